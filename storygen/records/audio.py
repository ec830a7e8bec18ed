"""The audio stages' records: narration and word timings, mood, music, arrangement, sound effects.

Narration (audio/NN-narration.json) holds the spoken scene's WAV path and its words' timings;
Mood a scene's valence and arousal; MusicScore (audio/NN-music.json) the music made for it and
Arrangement (audio/NN-arrangement.json) how the `arranged` backend built it; SfxCues
(audio/NN-sfx.json) the sound effects placed at the words that asked for them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Record


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
