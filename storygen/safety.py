"""Output filter: every generated candidate passes through here before ranking.

Baseline: the `better-profanity` word list plus our own block list of words unfit for ages 4-8
(configs/blocklist.yaml). Issue 10 adds the classifier and red-team checks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .config import CONFIG_DIR, load_config
from .records import Record

_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class BlockList(Record):
    words: tuple[str, ...]
    phrases: tuple[str, ...] = ()


@lru_cache(maxsize=None)
def _blocklist() -> BlockList:
    return load_config(CONFIG_DIR / "blocklist.yaml", BlockList)


@lru_cache(maxsize=None)
def _profanity():
    from better_profanity import profanity

    profanity.load_censor_words()
    return profanity


def flagged_words(text: str) -> list[str]:
    """Every word or phrase in `text` that a story for young children must not contain."""
    lowered = text.lower()
    blocked = set(_blocklist().words)
    hits = [w for w in _WORD.findall(lowered) if w in blocked]
    hits += [p for p in _blocklist().phrases if p in lowered]
    if _profanity().contains_profanity(lowered):
        hits += [w for w in _WORD.findall(lowered) if _profanity().contains_profanity(w)]
    return sorted(set(hits))


def rejection_reason(scenes: tuple[str, ...] | list[str]) -> str | None:
    hits = flagged_words(" ".join(scenes))
    return f"flagged words: {', '.join(hits)}" if hits else None
