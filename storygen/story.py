"""The text stages: plan -> K candidates -> safety filter + rank -> story, with the fallback.

Safety rule (DESIGN.md): never show a failed candidate. If none passes the filter, write again
with a new seed; if that fails too, use a curated story from the corpus.
"""
from __future__ import annotations

from functools import lru_cache

from .corpus.stories import load_stories
from .errors import SafetyError
from .lm.planner import PLANNERS
from .lm.writer import WRITERS
from .options import load_options
from .ranker import rank
from .records import CandidateScore, Candidates, Plan, Prompt, Story
from .safety import rejection_reason


def make_plan(prompt: Prompt, backend: str = "template") -> Plan:
    load_options().check(prompt)  # a hand-edited prompt.json must still be a curated choice
    return PLANNERS.create(backend).plan(prompt, prompt.seed)


def write_candidates(plan: Plan, k: int = 4, backend="template", seed: int | None = None) -> Candidates:
    """`backend`: a registered writer name, or a writer object (evaluation: its own models)."""
    load_options().check(plan.prompt)
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
