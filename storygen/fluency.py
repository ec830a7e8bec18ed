"""Is every word a real word? Non-words and garbled option words in a story (a leaf: no stage).

Why: a small LM fine-tuned on a few thousand stories can fuse sub-word pieces into words that do
not exist ("Mermid", "unicornes") or glue a pick onto another word ("tealight shell" for a teal
shell). A child hears every word, so such a story is never shown: the corpus validator refuses
them in training text, the writer rewrites a candidate that has one, the ranker rejects it and
`storygen evaluate` counts them.

wordfreq (the well-kept frequency list of 40+ sources) decides what is English: a word with Zipf
frequency 0 is not. Names aside: a capitalised word the story introduces ("a pig named Rosie",
"called Zib") or the corpus record names is allowed everywhere in that story.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from .records import Record

WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+(?:['’][A-Za-z]+)*)*")
_INTRODUCED = re.compile(r"\b(?:named|called|name is|name was)\s+((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?)")
# Endings that turn a pick into another real word ("shyly", "reddish", "sillier").
_DERIVED = ("s", "es", "'s", "’s", "ly", "ily", "er", "ier", "est", "iest", "ness", "iness", "ish",
            "y", "ies", "ied", "ed", "d", "ing", "en")
GARBLE_ZIPF = 2.0  # a pick fused with more letters is garbled when rarer than this ("tealight": 1.6)
INSTALL = "pip install wordfreq==3.1.1"


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        from .errors import BackendError

        raise BackendError(f"Checking words needs wordfreq; run: {INSTALL}") from None
    return zipf_frequency(word, "en")


@dataclass(frozen=True)
class WordsConfig(Record):
    """configs/words.yaml."""

    english: tuple[str, ...] = ()  # real words wordfreq lacks


@lru_cache(maxsize=1)
def extra_words() -> frozenset[str]:
    from .config import CONFIG_DIR, load_config

    return frozenset(w.lower() for w in load_config(CONFIG_DIR / "words.yaml", WordsConfig).english)


def _known(w: str) -> bool:
    return w in extra_words() or zipf(w) > 0


def is_word(word: str) -> bool:
    """A real English word; a possessive counts as its owner ("walrus's"), and each part of a
    hyphenated word counts on its own ("teal-blue")."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s") or w.endswith("s'"):
        w = w[:-2] if w.endswith("'s") else w[:-1]
    if _known(w):
        return True
    parts = w.split("-")
    return len(parts) > 1 and all(p and _known(p) for p in parts)


def introduced_names(text: str) -> set[str]:
    """Names a story gives its characters: "a pig named Rosie Pink" -> {"Rosie", "Pink"}."""
    return {n for m in _INTRODUCED.findall(text) for n in m.split()}


def non_words(text: str, names: Iterable[str] = ()) -> list[str]:
    """Words of `text` that are not English, in order of first use, names excused."""
    allowed = set(names) | introduced_names(text)
    out: dict[str, None] = {}
    for w in WORD_RE.findall(text):
        base = w.strip("'’")
        if base and base not in allowed and base.rstrip("s").rstrip("'’") not in allowed and not is_word(base):
            out.setdefault(base, None)
    return list(out)


def _edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, cut off at `limit` (we only ask "is it close?")."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) >= limit:
            return limit
        prev = cur
    return min(prev[-1], limit)


def _is_derived(word: str, pick: str) -> bool:
    stems = {pick, pick[:-1]} if pick.endswith(("y", "e")) else {pick}
    return any(word == s + end for s in stems for end in _DERIVED)


def garbled_words(text: str, picks: Sequence[str], names: Iterable[str] = ()) -> list[str]:
    """Words that are a pick gone wrong: a non-word one or two letters from a pick ("Mermid"), or a
    pick glued to more letters into a rare word ("tealight"). Multi-word picks ("polar bear")
    are checked word by word."""
    allowed = {n.lower() for n in names} | {n.lower() for n in introduced_names(text)}
    targets = {p for pick in picks for p in pick.lower().split() if len(p) >= 3}
    out: dict[str, None] = {}
    for w in WORD_RE.findall(text):
        low = w.lower().replace("’", "'")
        low = low[:-2] if low.endswith("'s") else low  # "beetle's" is the beetle's
        if low in targets or low in allowed or "-" in low:
            continue
        for p in targets:
            if _is_derived(low, p):
                break
            near = _edit_distance(low, p) <= (1 if len(p) <= 4 else 2) and not is_word(low)
            fused = low.startswith(p) and len(low) > len(p) and zipf(low) < GARBLE_ZIPF
            if near or fused:
                out.setdefault(w, None)
                break
    return list(out)


@dataclass(frozen=True)
class Fluency:
    non_words: tuple[str, ...]
    garbled: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.non_words and not self.garbled

    def reason(self) -> str | None:
        """Why a story fails, in words a person can act on; None when it passes."""
        parts = []
        if self.garbled:
            parts.append(f"garbled pick words: {', '.join(self.garbled)}")
        rest = [w for w in self.non_words if w not in self.garbled]
        if rest:
            parts.append(f"not English words: {', '.join(rest)}")
        return "; ".join(parts) or None


def check_story(scenes: Sequence[str], picks: Sequence[str], names: Iterable[str] = ()) -> Fluency:
    text = "\n".join(scenes)
    names = tuple(names)
    return Fluency(tuple(non_words(text, names)), tuple(garbled_words(text, picks, names)))
