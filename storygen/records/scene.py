"""The scene stages' records: what a scene's text says (SceneGraph), how it is drawn (SceneLayout).

SceneGraph holds the entities, relations, actions and cues the nlp stage read from one scene;
SceneLayout the background and placed objects (boxes in pixels, z order, tint, animation) the
layout stage made from it. Both are files (scenes/NN/graph.json, scenes/NN/layout.json).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Optional

from .base import Record


# what a body can be drawn doing (nlp/poses.py reads them, scenes/posing.py draws them)
POSES = ("sleep", "lie", "roll", "dive", "climb", "jump", "fall", "dance", "hug")


@dataclass(frozen=True)
class Entity(Record):
    id: str
    lemma: str
    mention: str
    object_id: Optional[str] = None  # id in library/objects, None if nothing drawable matches
    count: int = 1
    attributes: tuple[str, ...] = ()  # colours, sizes, adjectives; GONE when the text says absent
    hero: bool = False
    # what its body is doing, when a drawing can show it (one of POSES); "" stands as drawn
    pose: str = ""

    GONE: ClassVar[str] = "gone"  # "the kite was gone", "looked for her hat": named, not drawn

    @property
    def gone(self) -> bool:
        """The scene names it as missing or looked for: the picture leaves it out."""
        return self.GONE in self.attributes and not self.hero


@dataclass(frozen=True)
class Relation(Record):
    subject: str  # entity id
    predicate: str  # above, below, on, in, near, behind, in_front_of, left_of, right_of, between
    object: str
    negated: bool = False


@dataclass(frozen=True)
class Action(Record):
    subject: str
    verb: str
    object: Optional[str] = None


@dataclass(frozen=True)
class SceneGraph(Record):
    kind: ClassVar[str] = "scene_graph"
    index: int
    text: str
    resolved_text: str
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    actions: tuple[Action, ...]
    cues: tuple[str, ...]
    theme: str
    backend: str


@dataclass(frozen=True)
class Box(Record):
    x: float  # left, pixels
    y: float  # top, pixels
    w: float
    h: float


@dataclass(frozen=True)
class PlacedObject(Record):
    entity: str
    object_id: str
    box: Box
    z: int
    flip: bool = False
    tint: Optional[str] = None  # hex color when recolored (the hero: the chosen color)
    animation: str = "none"  # bob, sway, flap, swim, twinkle, hop, none
    animation_params: dict[str, float] = field(default_factory=dict)
    # the entity this is worn or held by (scenes/layout/attire.py): drawn on it, in `tint` when set
    worn_by: Optional[str] = None
    # what it is doing (one of POSES, drawn by scenes/posing.py), as its owner's when worn;
    # "" stands as drawn
    pose: str = ""


@dataclass(frozen=True)
class Background(Record):
    id: str
    theme: str
    variant: str
    cues: tuple[str, ...] = ()  # the scene graph's time/weather/place cues
    # As drawn, read from the book's text with carry-over (scenes/setting/). light "" is a
    # layout from before issue 22: light and weather then come from `cues` alone.
    light: str = ""  # day | dusk | night
    weather: tuple[str, ...] = ()  # rain, snow, storm, fog, drought


@dataclass(frozen=True)
class SceneLayout(Record):
    kind: ClassVar[str] = "scene_layout"
    index: int
    width: int
    height: int
    background: Background
    objects: tuple[PlacedObject, ...]
    accent: str  # hex of the chosen color, the story's visual signature
    seed: int
    backend: str
