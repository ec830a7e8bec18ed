"""The text stages: plan -> K candidates -> safety filter + rank -> story, with the fallback.

Safety rule (DESIGN.md): never show a failed candidate. If none passes the filter, write again
with a new seed; if that fails too, use a curated story from the corpus.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from .corpus.stories import load_stories
from .errors import OptionError, SafetyError
from .backends import PLANNERS
from .backends import WRITERS
from .options import load_options
from .ranker import rank
from .records import CandidateScore, Candidates, Plan, Prompt, Story
from .safety import flagged_words, rejection_reason


def make_plan(prompt: Prompt, backend: str = "template") -> Plan:
    load_options().check(prompt)  # a hand-edited prompt.json must still be a curated choice
    return PLANNERS.create(backend).plan(prompt, prompt.seed)


_PLAN_TEXT_LIMITS = {"keyword": 40, "plot": 60, "beat": 300, "title": 120}
_KEYWORD_CHARS = frozenset(" -'\u2019")  # besides letters and digits
_SENTENCE_CHARS = frozenset(" .,;:!?'\"()-\u2013\u2014\u2026\u2018\u2019\u201c\u201d")


def check_plan(plan: Plan, where: str = "the plan") -> Plan:
    """A plan (maybe read from a hand-edited plan.json) gets no free text to a writer: curated
    picks, and keywords, plot, beats and title that are short, visible text passing the output
    filter."""
    try:
        load_options().check(plan.prompt)
    except OptionError as exc:
        raise OptionError(f"{where}: {exc}") from None
    texts = [("keyword", k) for words in plan.scenes for k in words]
    texts += [("beat", b) for b in plan.beats]
    texts += [(what, t) for what, t in (("plot", plan.plot), ("title", plan.title)) if t]
    for what, text in texts:
        limit = _PLAN_TEXT_LIMITS[what]
        allowed = _KEYWORD_CHARS if what == "keyword" else _SENTENCE_CHARS
        odd = next((ch for ch in text if not (ch.isalnum() or ch in allowed)), None)
        if len(text) > limit or odd is not None:
            why = (f"contains U+{ord(odd):04X} {unicodedata.name(odd, '')}".rstrip() + ": a plan holds"
                   " words and plain sentences only" if odd else
                   f"is {len(text)} characters long (at most {limit})")
            raise SafetyError(f"{where}: a {what} {why}; make the plan again with `storygen plan`")
    # The block lists and patterns, not the classifier: it misreads short phrases ("the silly
    # pig up in the hayloft" scores 0.99) and the story written from the plan meets it anyway.
    words = flagged_words("\n".join(t for _, t in texts))
    if words:
        raise SafetyError(f"{where}: refused by the output filter (flagged: {', '.join(words)});"
                          " make the plan again with `storygen plan`")
    return plan


def write_candidates(plan: Plan, k: int = 4, backend="template", seed: int | None = None) -> Candidates:
    """`backend`: a registered writer name, or a writer object (evaluation: its own models)."""
    check_plan(plan)
    if k < 1:
        raise SafetyError(f"--k must be at least 1, got {k}")
    writer = backend if hasattr(backend, "write") else WRITERS.create(backend)
    return writer.write(plan, k, plan.seed if seed is None else seed)


def choose_story(cands: Candidates, ranker: str = "heuristic", writer="template",
                 regenerations: int = 1) -> tuple[Story, Candidates]:
    """Rank; on total rejection regenerate, then fall back. Returns the story and the final set."""
    story = rank(cands, ranker)
    attempt = 0
    history: list[CandidateScore] = []  # every rejection of every attempt, for story.json
    while story is None and attempt < regenerations:
        history += _attempt_record(cands, attempt)
        attempt += 1
        cands = write_candidates(cands.plan, len(cands.candidates), writer,
                                 seed=cands.plan.seed + 7919 * attempt)
        story = rank(cands, ranker)
    if story is None:
        history += _attempt_record(cands, attempt)
        story = fallback_story(cands.plan, tuple(history), ranker)
    return story, cands


def _attempt_record(cands: Candidates, attempt: int) -> list[CandidateScore]:
    from .ranker import fluency_reason

    return [CandidateScore(index=i, score=0.0, rejected=f"attempt {attempt}, seed {c.seed}: "
                           f"{rejection_reason(c.scenes) or fluency_reason(c, cands) or 'not 5 scenes'}")
            for i, c in enumerate(cands.candidates)]


@lru_cache(maxsize=None)
def _safe_stories(theme: str) -> tuple:
    """The theme's corpus stories that pass the output filter (checked once per process)."""
    return tuple(s for s in load_stories() if s.theme == theme and rejection_reason(s.scenes) is None)


def fallback_story(plan: Plan, scores: tuple[CandidateScore, ...], ranker: str) -> Story:
    """A curated corpus story for the same theme, closest to the prompt's picks."""
    p = plan.prompt
    pool = _safe_stories(p.theme)
    if not pool:
        raise SafetyError(f"No candidate passed the safety filter and the corpus has no {p.theme!r}"
                          " story to fall back on; try another --seed")

    def closeness(s):
        return (s.hero == p.hero, s.color == p.color, s.adjective == p.adjective, s.id)

    best = max(pool, key=closeness)
    return Story(prompt=p, plan=plan, title=best.title, scenes=best.scenes, chosen=-1,
                 scores=scores, ranker=ranker, source=f"fallback:{best.id}")
