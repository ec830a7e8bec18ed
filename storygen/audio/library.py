"""The composed music library (library/music/*.yaml): load, validate, index.

progressions.yaml   chord progressions with mode, mood tags and cadence
patterns.yaml       accompaniment, bass and drum patterns (one 4/4 bar each)
instruments.yaml    General MIDI instrument sets per theme
melodies/*.yaml     melodies written by `storygen library melodies` (the offline Markov model)

Every file is checked on load: unknown keys, unknown chords, modes, tags, drum names and events
that do not fit in the bar are ConfigErrors naming the file and the entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from ..config import LIBRARY_DIR
from ..errors import ConfigError, RecordError
from ..records import Record
from .theory import MODES, parse_chord

MUSIC_DIR = LIBRARY_DIR / "music"
MOOD_TAGS = ("happy", "sad", "calm", "exciting", "tender", "playful", "heroic", "mysterious",
             "dreamy", "tense")
CADENCES = ("authentic", "plagal", "half", "deceptive", "open")
QUADRANTS = ("happy_calm", "happy_exciting", "sad_calm", "sad_exciting")
BAR_BEATS = 4
BASS_TOKENS = ("R", "3", "5", "8", "L", "A")
DRUMS = {  # General MIDI percussion key numbers (channel 10)
    "kick": 36, "sidestick": 37, "snare": 38, "clap": 39, "hat": 42, "open-hat": 46, "crash": 49,
    "ride": 51, "tambourine": 54, "cowbell": 56, "tom-low": 45, "tom-mid": 47, "tom-high": 50,
    "bongo-hi": 60, "bongo-lo": 61, "conga-hi": 63, "conga-lo": 64, "shaker": 70, "claves": 75,
    "woodblock-hi": 76, "woodblock-lo": 77, "triangle": 81,
}
ENERGIES = ("low", "mid", "high")


@dataclass(frozen=True)
class Progression(Record):
    id: str
    mode: str
    chords: tuple[str, ...]
    moods: tuple[str, ...]
    cadence: str


@dataclass(frozen=True)
class Pattern(Record):
    """One bar of events; `events` stay as written ([beat, length, what]) and are checked here."""

    id: str
    energy: int
    moods: tuple[str, ...]
    events: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class InstrumentSet(Record):
    lead: dict[str, int]
    counter: int
    accomp: int
    pad: int
    bass: int
    drums: tuple[str, ...]


@dataclass(frozen=True)
class Melody(Record):
    """Notes are [step, alter, beats]: a diatonic step from the tonic (None = rest), an
    alteration in semitones and a length in quarter notes; bars of 4 beats."""

    id: str
    mode: str
    bars: int
    energy: str
    range: int  # semitones from the lowest to the highest note, in its own mode
    notes: tuple[tuple[Optional[int], int, float], ...]
    phrase: str = ""  # structure, e.g. "a b a c"


@dataclass(frozen=True)
class _ProgressionFile(Record):
    progressions: tuple[Progression, ...]


@dataclass(frozen=True)
class _PatternFile(Record):
    accompaniment: tuple[Pattern, ...]
    bass: tuple[Pattern, ...]
    drums: tuple[Pattern, ...]


@dataclass(frozen=True)
class _InstrumentFile(Record):
    default: InstrumentSet
    themes: dict[str, InstrumentSet] = field(default_factory=dict)


@dataclass(frozen=True)
class MelodyFile(Record):
    model: str
    seed: int
    melodies: tuple[Melody, ...]


@dataclass(frozen=True)
class MusicLibrary:
    progressions: tuple[Progression, ...]
    accompaniment: tuple[Pattern, ...]
    bass: tuple[Pattern, ...]
    drums: dict[str, Pattern]
    default_instruments: InstrumentSet
    instruments: dict[str, InstrumentSet]
    melodies: tuple[Melody, ...]

    def instruments_for(self, theme: str) -> InstrumentSet:
        return self.instruments.get(theme, self.default_instruments)


def _read(path: Path, cls):
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except FileNotFoundError:
        raise ConfigError(f"The music library file {path} is missing; restore it from the repository"
                          + (" or run `storygen library melodies`" if "melodies" in str(path) else ""))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    try:
        return cls.from_dict(data, where=str(path))
    except RecordError as exc:
        raise ConfigError(str(exc)) from None


def _check_tags(tags, where: str) -> None:
    bad = [t for t in tags if t not in MOOD_TAGS]
    if bad or not tags:
        raise ConfigError(f"{where}: mood tags {bad or '[]'} are not among {', '.join(MOOD_TAGS)}")


def _check_progression(p: Progression, where: str) -> None:
    if p.mode not in MODES:
        raise ConfigError(f"{where}: progression {p.id!r} mode {p.mode!r} is not one of {', '.join(MODES)}")
    if p.cadence not in CADENCES:
        raise ConfigError(f"{where}: progression {p.id!r} cadence {p.cadence!r} is not one of {', '.join(CADENCES)}")
    if not p.chords:
        raise ConfigError(f"{where}: progression {p.id!r} has no chords")
    for numeral in p.chords:
        try:
            parse_chord(numeral, p.mode)
        except ConfigError as exc:
            raise ConfigError(f"{where}: progression {p.id!r}: {exc}") from None
    _check_tags(p.moods, f"{where}: progression {p.id!r}")


def _check_pattern(p: Pattern, kind: str, where: str) -> None:
    where = f"{where}: {kind} pattern {p.id!r}"
    if not 0 <= p.energy <= 3:
        raise ConfigError(f"{where}: energy must be 0-3")
    _check_tags(p.moods, where)
    if not p.events:
        raise ConfigError(f"{where}: has no events")
    for ev in p.events:
        if len(ev) != 3 or not isinstance(ev[0], (int, float)):
            raise ConfigError(f"{where}: event {list(ev)} must be [beat, length, what]")
        beat, what = float(ev[0]), ev[2]
        if kind == "drums":
            if not 0 <= beat < BAR_BEATS or ev[1] not in DRUMS or not isinstance(what, int):
                raise ConfigError(f"{where}: drum event {list(ev)} must be [beat 0-4, drum name, velocity offset];"
                                  f" drums: {', '.join(DRUMS)}")
            continue
        length = ev[1]
        if not isinstance(length, (int, float)) or length <= 0 or beat < 0 or beat + length > BAR_BEATS + 1e-9:
            raise ConfigError(f"{where}: event {list(ev)} does not fit in a {BAR_BEATS}-beat bar")
        if kind == "bass" and str(what) not in BASS_TOKENS:
            raise ConfigError(f"{where}: bass note {what!r} is not one of {', '.join(BASS_TOKENS)}")
        if kind == "accompaniment" and what != "all" and not (
                isinstance(what, list) and what and all(isinstance(t, int) and 0 <= t <= 4 for t in what)):
            raise ConfigError(f"{where}: chord tones {what!r} must be `all` or a list of indices 0-4")


def _check_instruments(s: InstrumentSet, where: str, drums: dict[str, Pattern]) -> None:
    if set(s.lead) != set(QUADRANTS):
        raise ConfigError(f"{where}: lead needs exactly {', '.join(QUADRANTS)}")
    for name, program in list(s.lead.items()) + [("counter", s.counter), ("accomp", s.accomp),
                                                  ("pad", s.pad), ("bass", s.bass)]:
        if not 0 <= program <= 127:
            raise ConfigError(f"{where}: {name} program {program} is not a General MIDI program 0-127")
    unknown = [d for d in s.drums if d not in drums]
    if unknown or not s.drums:
        raise ConfigError(f"{where}: drum patterns {unknown or '[]'} are not in patterns.yaml")


def check_melody(m: Melody, where: str) -> None:
    if m.mode not in MODES:
        raise ConfigError(f"{where}: melody {m.id!r} mode {m.mode!r} is not one of {', '.join(MODES)}")
    if m.energy not in ENERGIES:
        raise ConfigError(f"{where}: melody {m.id!r} energy must be one of {', '.join(ENERGIES)}")
    total = sum(n[2] for n in m.notes)
    if abs(total - m.bars * BAR_BEATS) > 1e-6 or any(n[2] <= 0 for n in m.notes):
        raise ConfigError(f"{where}: melody {m.id!r} lasts {total} beats, not {m.bars} bars of {BAR_BEATS}")


@lru_cache(maxsize=4)
def load_library(root: str | None = None) -> MusicLibrary:
    base = Path(root) if root else MUSIC_DIR
    progs = _read(base / "progressions.yaml", _ProgressionFile).progressions
    pats = _read(base / "patterns.yaml", _PatternFile)
    inst = _read(base / "instruments.yaml", _InstrumentFile)
    for what, items in (("progression", progs), ("accompaniment", pats.accompaniment),
                        ("bass", pats.bass), ("drums", pats.drums)):
        ids = [p.id for p in items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ConfigError(f"{base}: {what} id(s) {', '.join(dup)} listed twice")
    for p in progs:
        _check_progression(p, str(base / "progressions.yaml"))
    for kind in ("accompaniment", "bass", "drums"):
        for p in getattr(pats, kind):
            _check_pattern(p, kind, str(base / "patterns.yaml"))
    drums = {p.id: p for p in pats.drums}
    _check_instruments(inst.default, f"{base / 'instruments.yaml'}: default", drums)
    for theme, s in inst.themes.items():
        _check_instruments(s, f"{base / 'instruments.yaml'}: theme {theme!r}", drums)
    melodies: list[Melody] = []
    files = sorted((base / "melodies").glob("*.yaml"))
    if not files:
        raise ConfigError(f"No melodies in {base / 'melodies'}: run `storygen library melodies`")
    for path in files:
        for m in _read(path, MelodyFile).melodies:
            check_melody(m, str(path))
            melodies.append(m)
    return MusicLibrary(progs, pats.accompaniment, pats.bass, drums, inst.default, dict(inst.themes),
                        tuple(melodies))
