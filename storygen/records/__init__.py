"""Records are the contract: every JSON file the pipeline writes is one of these frozen dataclasses.

Each record has `to_dict()` / `from_dict()` and a `schema_version` (the Record base class, base.py);
`from_dict` checks field names and types recursively, so a corrupted or foreign file fails with a
message naming the field. The records live in one module per part of the pipeline: story.py (prompt,
plan, candidates, story), scene.py (scene graph and layout), audio.py (narration, mood, music,
arrangement, sound effects) and book.py (manifest, consent); they are all importable from here.
Records are a leaf: they import only storygen.errors and the standard library, never a stage.
"""
from __future__ import annotations

from .audio import Arrangement, Mood, MusicScore, Narration, SfxCue, SfxCues, WordTiming
from .base import SCHEMA_VERSION, Record
from .book import BookManifest, ConsentRecord
from .scene import POSES, Action, Background, Box, Entity, PlacedObject, Relation, SceneGraph, SceneLayout
from .story import Candidate, Candidates, CandidateScore, Plan, Prompt, Story, StoryLikelihood

__all__ = [
    "SCHEMA_VERSION", "Record", "ALL_RECORDS",
    "Prompt", "Plan", "StoryLikelihood", "Candidate", "Candidates", "CandidateScore", "Story",
    "Entity", "Relation", "Action", "SceneGraph", "Box", "PlacedObject", "Background",
    "SceneLayout",
    "WordTiming", "Narration", "Mood", "MusicScore", "SfxCue", "SfxCues", "Arrangement",
    "BookManifest", "ConsentRecord",
]

# The top-level records (each a file with its own `kind`), in the order of the pipeline.
ALL_RECORDS: tuple[type[Record], ...] = (
    Prompt, Plan, Candidates, Story, SceneGraph, SceneLayout, Narration, MusicScore, SfxCues,
    BookManifest, ConsentRecord, Arrangement,
)
