"""Story quality for any set of stories or books: coherence, plan keyword coverage, repetition,
reading level (Flesch-Kincaid grade) and safety flags, per story and on average.

`story_quality` is the library call; `evaluate_stories` is its click command.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from statistics import mean, median
from typing import Iterable, Optional

from .errors import BackendError, RecordError
from .ranker import keyword_coverage, repeated_ngram_rate
from .safety import flagged_words
from .book_paths import BookPaths


@dataclass(frozen=True)
class StoryItem:
    """A story to evaluate, whatever file it came from."""

    name: str
    scenes: tuple[str, ...]
    hero: str = ""
    theme: str = ""
    plan: Optional[tuple[tuple[str, ...], ...]] = None  # keywords per scene, when known


_WORDS = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Vowel groups, less a silent final e ("made", not "little"); at least one."""
    w = word.lower().strip("'")
    count = len(_VOWELS.findall(w))
    syllabic_le = w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy"
    if w.endswith("e") and not w.endswith(("ee", "ye")) and not syllabic_le and count > 1:
        count -= 1
    return max(1, count)


def fk_grade(scenes: tuple[str, ...]) -> float:
    """Flesch-Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    from .text import split_sentences

    sents = [s for scene in scenes for s in split_sentences(scene)]
    words = [w for s in sents for w in _WORDS.findall(s)]
    if not sents or not words:
        return 0.0
    syl = sum(syllables(w) for w in words)
    return 0.39 * len(words) / len(sents) + 11.8 * syl / len(words) - 15.59


def story_quality(stories: Iterable[StoryItem], coherence: bool = True, scorer=None) -> dict:
    """Per-story measures and their means. Coherence needs the trained ranker (models/ranker/);
    when it is missing the report says so instead of failing the other measures."""
    items = list(stories)
    rows = [{"name": s.name, "scenes": len(s.scenes),
             "coverage": None if s.plan is None else round(keyword_coverage(s.scenes, s.plan), 4),
             "repetition": round(repeated_ngram_rate(s.scenes), 4),
             "fk_grade": round(fk_grade(s.scenes), 2),
             "flagged": flagged_words(" ".join(s.scenes))} for s in items]
    report: dict = {"n": len(items), "stories": rows}
    if coherence and items:
        try:
            from .coherence.scorer import shared_scorer

            scorer = scorer or shared_scorer()
            results = scorer.score([(s.scenes, s.hero, s.theme) for s in items])
            for row, res in zip(rows, results):
                row["coherence"] = round(res.coherence, 4)
        except BackendError as exc:
            report["coherence_unavailable"] = str(exc)
    report["summary"] = summarize(rows)
    return report


def summarize(rows: list[dict]) -> dict:
    out: dict = {"flagged_stories": sum(bool(r["flagged"]) for r in rows)}
    for key in ("coherence", "coverage", "repetition", "fk_grade"):
        values = [r[key] for r in rows if r.get(key) is not None]
        if values:
            out[key] = {"mean": round(mean(values), 4), "median": round(median(values), 4),
                        "min": round(min(values), 4), "max": round(max(values), 4)}
    return out


def load_items(path: Path | str) -> list[StoryItem]:
    """Stories from a book folder, a story.json, a candidates.json (each candidate) or a corpus
    .jsonl file."""
    from .corpus.stories import load_stories
    from .records import Candidates, Story

    path = Path(path)
    if path.is_dir():
        path = BookPaths(path).story
    if path.suffix == ".jsonl":
        return [StoryItem(s.id, s.scenes, s.hero, s.theme) for s in load_stories(path)]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecordError(f"{path} does not exist; give a book folder, story.json, candidates.json "
                          "or a corpus .jsonl") from None
    except json.JSONDecodeError as exc:
        raise RecordError(f"{path}: not valid JSON ({exc.msg})") from None
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "story":
        s = Story.from_dict(data, str(path))
        return [StoryItem(str(path), s.scenes, s.prompt.hero, s.prompt.theme, s.plan.scenes)]
    if kind == "candidates":
        c = Candidates.from_dict(data, str(path))
        p = c.plan.prompt
        return [StoryItem(f"{path}#{i}", cand.scenes, p.hero, p.theme, c.plan.scenes)
                for i, cand in enumerate(c.candidates)]
    raise RecordError(f"{path}: expected a story or candidates file, got kind={kind!r}")
