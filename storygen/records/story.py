"""The text stages' records: the prompt, the plan, the writer's candidates and the chosen story.

Prompt (what the child asked for) -> Plan (plot and per-scene keywords) -> Candidates (the
writer's stories, each with its seed and, once scored, its likelihood) -> Story (the one chosen,
with every candidate's score and the ranker that gave it). Prompt, Plan, Candidates and Story
are files (prompt.json, plan.json, candidates.json, story.json).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional

from .base import Record


@dataclass(frozen=True)
class Prompt(Record):
    kind: ClassVar[str] = "prompt"
    theme: str
    hero: str
    color: str
    adjective: str
    seed: int = 0
    profile: str = "default"


@dataclass(frozen=True)
class Plan(Record):
    """The outline of a story: keywords per scene (what each of the five scenes should be about),
    and from planners that write one, the plot kind, one beat per scene (setup, problem, attempt,
    turn, ending) and a title."""

    kind: ClassVar[str] = "plan"
    prompt: Prompt
    scenes: tuple[tuple[str, ...], ...]
    backend: str
    seed: int
    plot: str = ""
    beats: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class StoryLikelihood(Record):
    """The story model's NLL of a candidate (storygen/coherence/likelihood.py), kept with it."""

    nll: float  # summed over the story's tokens, in nats
    tokens: int
    digest: str  # of the scenes it was computed for: a hand-edited story is scored again
    model: str  # the generator it was computed with


@dataclass(frozen=True)
class Candidate(Record):
    scenes: tuple[str, ...]
    seed: int
    backend: str
    settings: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    likelihood: Optional[StoryLikelihood] = None


@dataclass(frozen=True)
class Candidates(Record):
    kind: ClassVar[str] = "candidates"
    plan: Plan
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class CandidateScore(Record):
    index: int
    score: float
    rejected: Optional[str] = None  # why the safety filter or a check refused it
    details: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Story(Record):
    kind: ClassVar[str] = "story"
    prompt: Prompt
    plan: Plan
    title: str
    scenes: tuple[str, ...]
    chosen: int  # index into candidates; -1 = curated fallback story
    scores: tuple[CandidateScore, ...]
    ranker: str
    source: str = "generated"  # or "fallback"

    def scene_seed(self, number: int) -> int:
        """The seed of scene `number` (1-based) in every media stage: the story's seed plus the
        number, so one scene can be remade alone and comes out the same (recorded in layout.json)."""
        return self.prompt.seed + number
