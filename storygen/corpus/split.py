"""`storygen corpus split`: a deterministic train/val/test split of the corpus (data/corpus/splits.json).

Per theme, with seed and rates from configs/corpus.yaml:
1. a few (hero, adjective) pairs are held out: all their stories go to test, none to train, so the
   models are tested on combinations they never saw;
2. the other stories, grouped by their (hero, adjective, color) combination, are ranked by a
   seeded hash of their id; the first fill test up to ceil(test_rate * n), the next val up to
   round(val_rate * n), the rest is train.
Test therefore holds >= test_rate of every theme, and no test combination occurs in train.
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..config import DATA_DIR
from ..errors import RecordError, StorygenError
from ..io import read_record, write_record
from ..records import Record
from .stories import CorpusStory, SplitConfig

SPLITS_PATH = DATA_DIR / "corpus" / "splits.json"
SPLIT_NAMES = ("train", "val", "test")


@dataclass(frozen=True)
class CorpusSplits(Record):
    kind: ClassVar[str] = "corpus_splits"
    seed: int
    val_rate: float
    test_rate: float
    heldout_pairs: tuple[tuple[str, str], ...]  # (hero, adjective), never in train
    train: tuple[str, ...]
    val: tuple[str, ...]
    test: tuple[str, ...]

    def of(self, story_id: str) -> str | None:
        for name in SPLIT_NAMES:
            if story_id in getattr(self, name):
                return name
        return None


def _rank(seed: int, key: str) -> str:
    # A hash, not random.shuffle: a story's place depends only on the seed and its own key.
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def _heldout_pairs(members: list[CorpusStory], cfg: SplitConfig, budget: int) -> list[tuple[str, str]]:
    """Seeded pick of up to N (hero, adjective) pairs of one theme whose stories fit the test budget."""
    sizes: dict[tuple[str, str], int] = defaultdict(int)
    for s in members:
        sizes[s.hero, s.adjective] += 1
    chosen: list[tuple[str, str]] = []
    used = 0
    for pair in sorted(sizes, key=lambda p: _rank(cfg.seed, f"pair:{p[0]}:{p[1]}")):
        if len(chosen) == cfg.heldout_pairs_per_theme:
            break
        if used + sizes[pair] <= budget:
            chosen.append(pair)
            used += sizes[pair]
    return sorted(chosen)


def split_stories(stories: list[CorpusStory], cfg: SplitConfig) -> CorpusSplits:
    seen: set[str] = set()
    for s in stories:
        if s.id in seen:
            raise StorygenError(f"story id {s.id!r} occurs twice; fix it (storygen corpus validate) before splitting")
        seen.add(s.id)
    by_theme: dict[str, list[CorpusStory]] = defaultdict(list)
    for s in stories:
        by_theme[s.theme].append(s)
    assigned: dict[str, list[str]] = {n: [] for n in SPLIT_NAMES}
    heldout: list[tuple[str, str]] = []
    for theme in sorted(by_theme):
        members = by_theme[theme]
        n_test = math.ceil(cfg.test_rate * len(members))
        n_val = round(cfg.val_rate * len(members))
        pairs = _heldout_pairs(members, cfg, n_test)
        heldout += pairs
        test = [s.id for s in members if (s.hero, s.adjective) in pairs]
        val: list[str] = []
        train: list[str] = []
        # Stories sharing a full combination move together, so a combination is in one split only.
        units: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for s in members:
            if (s.hero, s.adjective) not in pairs:
                units[s.hero, s.adjective, s.color].append(s.id)
        for ids in sorted(units.values(), key=lambda ids: _rank(cfg.seed, f"story:{min(ids)}")):
            target = test if len(test) < n_test else val if len(val) < n_val else train
            target.extend(ids)
        for name, ids in (("train", train), ("val", val), ("test", test)):
            assigned[name] += ids
    splits = CorpusSplits(
        seed=cfg.seed, val_rate=cfg.val_rate, test_rate=cfg.test_rate,
        heldout_pairs=tuple(sorted(heldout)),
        **{n: tuple(sorted(ids)) for n, ids in assigned.items()},
    )
    problems = check_splits(splits, stories)
    if problems:  # cannot happen by construction; a guard against a future edit breaking it
        raise StorygenError("split is inconsistent: " + "; ".join(problems))
    return splits


def check_splits(splits: CorpusSplits, stories: list[CorpusStory]) -> list[str]:
    """What is wrong with a split for this corpus: coverage, overlap, held-out combinations."""
    problems = []
    ids = [i for n in SPLIT_NAMES for i in getattr(splits, n)]
    corpus_ids = {s.id for s in stories}
    if len(ids) != len(set(ids)):
        problems.append("a story id is in more than one split")
    if missing := sorted(corpus_ids - set(ids)):
        problems.append(f"{len(missing)} stories are in no split (e.g. {missing[0]})")
    if unknown := sorted(set(ids) - corpus_ids):
        problems.append(f"{len(unknown)} ids in the split are not in the corpus (e.g. {unknown[0]})")
    by_id = {s.id: s for s in stories}
    train = [by_id[i] for i in splits.train if i in by_id]
    train_combos = {(s.hero, s.adjective, s.color) for s in train}
    train_pairs = {(s.hero, s.adjective) for s in train}
    if leaked := sorted(i for i in splits.test if i in by_id
                        and (by_id[i].hero, by_id[i].adjective, by_id[i].color) in train_combos):
        problems.append(f"test stories whose (hero, adjective, color) is also in train: {', '.join(leaked)}")
    if leaked_pairs := sorted(set(splits.heldout_pairs) & train_pairs):
        problems.append(f"held-out (hero, adjective) pairs found in train: {leaked_pairs}")
    return problems


def write_splits(splits: CorpusSplits, path: Path | str = SPLITS_PATH) -> Path:
    return write_record(path, splits)


def load_splits(stories: list[CorpusStory], path: Path | str = SPLITS_PATH) -> CorpusSplits:
    """The split on disk, refused when it no longer matches the corpus."""
    try:
        splits = read_record(path, CorpusSplits)
    except RecordError as exc:
        if not Path(path).exists():
            raise RecordError(f"{path} does not exist; run `storygen corpus split` first") from None
        raise exc
    problems = check_splits(splits, stories)
    if problems:
        raise RecordError(f"{path} does not match the corpus ({problems[0]}); run `storygen corpus split` again")
    return splits
