"""Loading the in-house corpus (data/corpus/stories.jsonl), one CorpusStory per line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..config import CONFIG_DIR, DATA_DIR, load_config
from ..errors import ConfigError
from ..io import read_jsonl
from ..records import Record

CORPUS_PATH = DATA_DIR / "corpus" / "stories.jsonl"
# What each of the five scenes does in the arc (../shared/CORPUS.md); a story's beats follow it.
BEAT_ROLES = ("setup", "problem", "attempt", "turn", "ending")


@dataclass(frozen=True)
class CorpusStory(Record):
    id: str
    theme: str
    hero: str
    color: str
    adjective: str
    title: str
    scenes: tuple[str, ...]
    name: Optional[str] = None
    plot: Optional[str] = None  # one of configs/corpus.yaml plots
    beats: tuple[str, ...] = ()  # one short line per scene: what it does (BEAT_ROLES order)


def load_stories(path: Path | str = CORPUS_PATH) -> list[CorpusStory]:
    try:
        stamp = Path(path).stat().st_mtime_ns  # the cache must not hide an edited file
    except OSError:
        stamp = 0
    return list(_load(str(path), stamp))


@lru_cache(maxsize=4)
def _load(path: str, stamp: int = 0) -> tuple[CorpusStory, ...]:
    rows = read_jsonl(path, "run scripts/merge_corpus.py")
    return tuple(CorpusStory.from_dict(data, where=where) for where, data in rows)


# ------------------------------------------------------------------ text units shared by the tools
# (sentences and words: storygen/text.py)

def term_pattern(term: str) -> re.Pattern:
    """A whole word or phrase, any case, singular or plural ("polar bears", "puppies")."""
    stem = re.escape(term)
    plural = rf"(?:{re.escape(term[:-1])}ies|{stem}(?:e?s)?)" if term.endswith("y") else rf"{stem}(?:e?s)?"
    return re.compile(rf"\b(?:{stem}|{plural})\b", re.IGNORECASE)


# ------------------------------------------------------------------ configs/corpus.yaml


@dataclass(frozen=True)
class ValidateConfig(Record):
    scenes: int = 5
    sentences: tuple[int, int] = (2, 4)  # per scene, inclusive
    words: tuple[int, int] = (25, 70)  # per scene, inclusive
    max_jaccard: float = 0.5  # word 3-gram Jaccard between any two stories must stay below
    max_repeated_sentence_rate: float = 0.02  # share of sentences shared with another story
    beat_words: tuple[int, int] = (2, 16)  # per beat line, inclusive


@dataclass(frozen=True)
class SplitConfig(Record):
    seed: int = 13
    val_rate: float = 0.1
    test_rate: float = 0.12  # at least this share of each theme goes to test
    heldout_pairs_per_theme: int = 2  # (hero, adjective) pairs kept out of train entirely


@dataclass(frozen=True)
class KeywordConfig(Record):
    max_per_sentence: int = 5
    planner_keep_rate: float = 0.5  # share of a scene's keywords the planner data keeps
    planner_max_per_scene: int = 6  # then at most this many (a random subset, order kept)
    planner_seed: int = 7
    batch_size: int = 64


@dataclass(frozen=True)
class CorpusConfig(Record):
    """configs/corpus.yaml: validation limits, the split, keyword extraction, character words."""

    validate: ValidateConfig = field(default_factory=ValidateConfig)
    split: SplitConfig = field(default_factory=SplitConfig)
    keywords: KeywordConfig = field(default_factory=KeywordConfig)
    characters: tuple[str, ...] = ()  # nouns counted as secondary characters by `corpus stats`
    plots: tuple[str, ...] = ()  # the plot kinds a story (and a plan) may have


def check_corpus_config(cfg: CorpusConfig, where: str = "corpus.yaml") -> CorpusConfig:
    s, v, k = cfg.split, cfg.validate, cfg.keywords
    bad = []
    if not (0 <= s.val_rate < 1 and 0 < s.test_rate < 1 and s.val_rate + s.test_rate < 1):
        bad.append("split: val_rate and test_rate must be in [0, 1) and sum below 1")
    if s.heldout_pairs_per_theme < 0:
        bad.append("split: heldout_pairs_per_theme must be >= 0")
    if not (0 < k.planner_keep_rate <= 1):
        bad.append("keywords: planner_keep_rate must be in (0, 1]")
    if min(k.max_per_sentence, k.planner_max_per_scene, k.batch_size) < 1:
        bad.append("keywords: max_per_sentence, planner_max_per_scene and batch_size must be >= 1")
    if v.sentences[0] > v.sentences[1] or v.words[0] > v.words[1] or v.beat_words[0] > v.beat_words[1]:
        bad.append("validate: sentences, words and beat_words are [min, max] with min <= max")
    if not cfg.plots:
        bad.append("plots: list the plot kinds a story may have")
    if bad:
        raise ConfigError(f"{where}: " + "; ".join(bad))
    return cfg


@lru_cache(maxsize=None)
def corpus_config(path: str | None = None) -> CorpusConfig:
    path = path or str(CONFIG_DIR / "corpus.yaml")
    return check_corpus_config(load_config(path, CorpusConfig), path)
