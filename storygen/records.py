"""Records are the contract: every JSON file the pipeline writes is one of these frozen dataclasses.

Each record has `to_dict()` / `from_dict()` and a `schema_version`. `from_dict` checks field names
and types recursively, so a corrupted or foreign file fails with a message naming the field.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional, Union

from .errors import RecordError

SCHEMA_VERSION = 1
# Never in a file we write: control characters (but newline and tab), zero-width and text-direction
# characters. In a hand-edited file they could hide or reorder text, so reading refuses them.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
                        "\U000e0000-\U000e007f]")


class Record:
    """Mixin: JSON round-trip for frozen dataclasses of plain types, tuples and nested records."""

    kind: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.kind:  # top-level files say what they are, so a wrong file is caught early
            out["kind"] = self.kind
            out["schema_version"] = SCHEMA_VERSION
        hints = _hints(type(self))
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if hints[f.name] is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)  # 400 and 400.0 must give the same bytes on disk
            out[f.name] = _dump(value)
        return out

    @classmethod
    def from_dict(cls, data: Any, where: str = ""):
        where = where or cls.__name__
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected a JSON object, got {type(data).__name__}")
        data = dict(data)
        if cls.kind:
            kind = data.pop("kind", None)
            version = data.pop("schema_version", None)
            if kind != cls.kind:
                raise RecordError(f"{where}: this is not a {cls.kind} file (kind={kind!r})")
            if version != SCHEMA_VERSION:
                raise RecordError(
                    f"{where}: schema_version {version!r} is not supported (expected {SCHEMA_VERSION});"
                    " regenerate the file with this version of storygen"
                )
        hints = _hints(cls)
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(data) - names)
        if unknown:
            raise RecordError(f"{where}: unknown key(s) {', '.join(unknown)}")
        kwargs = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                kwargs[f.name] = _load(hints[f.name], data[f.name], f"{where}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise RecordError(f"{where}: missing field {f.name!r}")
        return cls(**kwargs)


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    return value


def _load(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _load(inner[0], value, where)
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp.from_dict(value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise RecordError(f"{where}: expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise RecordError(f"{where}: expected {len(args)} items, got {len(value)}")
        return tuple(_load(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value)))
    if origin is dict:
        if not isinstance(value, dict):
            raise RecordError(f"{where}: expected an object, got {type(value).__name__}")
        return {k: _load(args[1], v, f"{where}.{k}") for k, v in value.items()}
    if tp is Any:
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RecordError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if tp in (int, str, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise RecordError(f"{where}: expected {tp.__name__}, got {value!r}")
        if tp is str and (hidden := _INVISIBLE.search(value)):
            ch = hidden.group()
            raise RecordError(f"{where}: contains U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
                              + ", an invisible or control character; regenerate the file with the"
                              " step that makes it")
        return value
    raise TypeError(f"unsupported record field type {tp!r} at {where}")  # a bug, not bad input


# ---------------------------------------------------------------- text stages


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


# ---------------------------------------------------------------- scenes


@dataclass(frozen=True)
class Entity(Record):
    id: str
    lemma: str
    mention: str
    object_id: Optional[str] = None  # id in library/objects, None if nothing drawable matches
    count: int = 1
    attributes: tuple[str, ...] = ()
    hero: bool = False


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
    # the entity this is worn or held by (scenes/attire.py): drawn on it, in `tint` when set
    worn_by: Optional[str] = None


@dataclass(frozen=True)
class Background(Record):
    id: str
    theme: str
    variant: str
    cues: tuple[str, ...] = ()  # the scene graph's time/weather/place cues
    # As drawn, read from the book's text with carry-over (scenes/setting.py). light "" is a
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


# ---------------------------------------------------------------- audio


@dataclass(frozen=True)
class WordTiming(Record):
    word: str
    start: float
    end: float


@dataclass(frozen=True)
class Narration(Record):
    kind: ClassVar[str] = "narration"
    index: int
    text: str
    wav: str  # path relative to the book folder
    duration_s: float
    sample_rate: int
    words: tuple[WordTiming, ...]
    backend: str
    voice: str
    # reading pace, words per minute from the first word to the last (narrate.words_per_minute);
    # 0.0 in files written before it was recorded, which still load
    wpm: float = 0.0


@dataclass(frozen=True)
class Mood(Record):
    valence: float  # sad -1 .. +1 happy
    arousal: float  # calm -1 .. +1 exciting


@dataclass(frozen=True)
class MusicScore(Record):
    kind: ClassVar[str] = "music_score"
    index: int
    mood: Mood
    key: str
    mode: str
    tempo_bpm: float
    progression: tuple[str, ...]
    instruments: dict[str, int]  # part -> General MIDI program
    duration_s: float
    midi: str
    wav: str
    seed: int
    backend: str


@dataclass(frozen=True)
class SfxCue(Record):
    sound: str  # id in the sfx library
    trigger: str  # the word that asked for it
    start_s: float
    gain: float = 1.0


@dataclass(frozen=True)
class SfxCues(Record):
    kind: ClassVar[str] = "sfx_cues"
    index: int
    cues: tuple[SfxCue, ...]
    duration_s: float
    wav: str
    seed: int
    backend: str


# ---------------------------------------------------------------- book


@dataclass(frozen=True)
class BookManifest(Record):
    kind: ClassVar[str] = "book_manifest"
    prompt: Prompt
    seed: int
    title: str
    versions: dict[str, str]
    backends: dict[str, str]
    stage_seconds: dict[str, float]
    files: tuple[str, ...]


@dataclass(frozen=True)
class ConsentRecord(Record):
    """Holds a guardian's name and a time, never anything about the child."""

    kind: ClassVar[str] = "consent"
    profile: str
    guardian: str
    granted_at: str


@dataclass(frozen=True)
class Arrangement(Record):
    """How the `arranged` music backend built audio/NN-music.mid (audio/NN-arrangement.json):
    the hero's leitmotif and where it plays, the library entries used, and the mood-driven
    settings, so a scene's music can be explained and regenerated."""

    kind: ClassVar[str] = "arrangement"
    index: int
    hero: str
    leitmotif: str  # melody id in library/music/melodies
    leitmotif_bars: tuple[int, ...]  # first bar (0-based) of each statement
    counter: str  # melody id of the counter-melody, "" if none
    progression: str  # progression id in library/music/progressions.yaml
    patterns: dict[str, str]  # accomp / bass / drums -> pattern id ("" = none)
    bars: int
    beats_per_bar: int
    tempo_bpm: float
    register: int  # octave shift of the leitmotif
    velocity: int  # base MIDI velocity (dynamics)
    density: int  # 0 calm .. 3 lively
    stretch: float  # 2.0 = leitmotif at half speed
    target_s: float  # narration + padding; the piece lasts this long
    padding_s: float
    seed: int
    story_seed: int


ALL_RECORDS: tuple[type[Record], ...] = (
    Prompt, Plan, Candidates, Story, SceneGraph, SceneLayout, Narration, MusicScore, SfxCues,
    BookManifest, ConsentRecord, Arrangement,
)
