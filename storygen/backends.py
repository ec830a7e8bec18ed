"""The contract of every stage, and the backends that keep it.

One small Protocol per kind of backend says what a stage may call; the registry beside it names
the backends that keep the contract as "module:attr" strings, imported on first use (registry.py).
This module imports no stage, so config.py checks a settings file's backend names here before
any stage (or torch, or spaCy) is loaded, and a stage finds another stage's backend only through
its table. A new backend is one class or factory plus one line in its table.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Protocol

from .registry import Registry

if TYPE_CHECKING:  # records only, for the signatures; nothing is imported at run time
    import numpy as np

    from .records import (Arrangement, Candidate, Candidates, Mood, MusicScore, Plan, Prompt,
                          SceneGraph, SceneLayout, SfxCues, Story, WordTiming)


class Planner(Protocol):
    name: str

    def plan(self, prompt: Prompt, seed: int) -> Plan:
        """The plot kind, and per scene a beat and keywords."""


class Writer(Protocol):
    name: str

    def write(self, plan: Plan, k: int, seed: int) -> Candidates:
        """k candidate stories for the plan, each with its own recorded seed."""


class Ranker(Protocol):
    name: str

    def score(self, cand: Candidate, cands: Candidates) -> tuple[float, dict[str, float]]:
        """(score, named parts of it); higher is better, compared within one Candidates."""


class SceneReader(Protocol):
    """The nlp stage: story text -> one SceneGraph per scene (build_graphs carries coreference
    across scenes where the backend has it)."""

    def build_graph(self, text: str, index: int, prompt: Prompt) -> SceneGraph: ...


class Parser(Protocol):
    name: str

    def parse(self, text: str) -> Any:
        """-> storygen.nlp.parse.Parse (tokens, tags, heads, dependency labels)."""


class SceneComposer(Protocol):
    def __call__(self, graph: SceneGraph, prompt: Prompt, accent_hex: str, width: int, height: int,
                 seed: int, library: Any = None, setting: Any = None, outfit: Any = ()
                 ) -> SceneLayout: ...


class Narrator(Protocol):
    name: str
    voice: str
    sample_rate: int
    pace: Any

    def speak(self, sentence: str) -> tuple[np.ndarray, Optional[list[tuple[float, float]]]]:
        """One sentence -> (float32 mono samples, per-word (speech, pause) weights or None)."""


class Composer(Protocol):
    """The music stage: a scene's text and mood -> (score, MIDI bytes, arrangement or None)."""

    def __call__(self, text: str, mood: Mood, theme: str, duration_s: float, seed: int, index: int,
                 context: Any = None) -> tuple[MusicScore, bytes, Optional[Arrangement]]: ...


class SfxPlanner(Protocol):
    def __call__(self, text: str, words: tuple[WordTiming, ...], duration_s: float, seed: int,
                 index: int) -> SfxCues: ...


class BookMaker(Protocol):
    name: str

    def render(self, story: Story, book_dir: Path, accent_hex: str) -> str:
        """Write the book's page(s) into book_dir; -> the main file's name."""


class MoodReader(Protocol):
    def __call__(self, text: str) -> Mood: ...


class Synth(Protocol):
    name: str
    has_reverb: bool

    def render(self, midi: bytes, duration_s: float) -> np.ndarray:
        """-> float32 stereo samples, shape (round(duration_s * SAMPLE_RATE), 2)."""


PLANNERS: Registry[Planner] = Registry("planner", {
    "template": "storygen.template.planner:TemplatePlanner",
    "lm": "storygen.lm.story_model:LMPlanner",  # models/planner; torch loads only when it plans
})
WRITERS: Registry[Writer] = Registry("writer", {
    "template": "storygen.template.writer:TemplateWriter",
    "lm": "storygen.lm.story_model:LMWriter",  # models/generator
})
RANKERS: Registry[Ranker] = Registry("ranker", {
    "heuristic": "storygen.ranker:HeuristicRanker",
    "coherence": "storygen.coherence.backend:CoherenceRanker",  # models/ranker, loaded on first use
})
NLP_BACKENDS: Registry[SceneReader] = Registry("nlp", {
    "basic": "storygen.nlp.basic:make_basic",
    "spacy": "storygen.nlp.parsed_reader:make_spacy_nlp",
    "stanza": "storygen.nlp.parsed_reader:make_stanza_nlp",
})
PARSERS: Registry[Parser] = Registry("parser", {
    "spacy": "storygen.nlp.spacy_parser:SpacyParser",
    "stanza": "storygen.nlp.stanza_parser:StanzaParser",
})
SCENE_BACKENDS: Registry[SceneComposer] = Registry("scene", {
    "basic": "storygen.scenes.layout.basic:make_basic",
    "solver": "storygen.scenes.layout.solver_backend:make_solver",
})
NARRATORS: Registry[Narrator] = Registry("narration", {
    "espeak": "storygen.audio.narrators:make_espeak",
    "hibari": "storygen.audio.narrators:make_hibari",
    "piper": "storygen.audio.narrators:make_piper",
})
MUSIC: Registry[Composer] = Registry("music", {
    "arranged": "storygen.audio.music:make_arranged",
    "basic": "storygen.audio.music:make_basic",
})
SFX: Registry[SfxPlanner] = Registry("sfx", {"basic": "storygen.audio.sfx:make_basic"})
BOOKS: Registry[BookMaker] = Registry("book", {"html": "storygen.book:HtmlBook"})
MOODS: Registry[MoodReader] = Registry("mood", {
    "basic": "storygen.audio.mood:make_basic",
    "lexicon": "storygen.audio.mood:make_lexicon",
})
SYNTHS: Registry[Synth] = Registry("synth", {
    "fluidsynth": "storygen.audio.synth:make_fluidsynth",
    "tinysoundfont": "storygen.audio.synth:make_tinysoundfont",
})

# The registries a settings file's `backends:` block names, by its key.
STAGES: dict[str, Registry] = {
    "planner": PLANNERS, "writer": WRITERS, "ranker": RANKERS, "nlp": NLP_BACKENDS,
    "scene": SCENE_BACKENDS, "narration": NARRATORS, "music": MUSIC, "sfx": SFX, "book": BOOKS,
}
