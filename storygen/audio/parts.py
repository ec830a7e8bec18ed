"""Library patterns and melodies -> MIDI notes (one part at a time), for the arranger.

Each function takes the chords as (first half, second half) pairs per bar and returns midi.Note
tuples; they draw no random numbers
except through the `human` callable they are given (a seeded velocity jitter), so the arranger
controls the order of random draws and the same seed gives the same piece.
"""
from __future__ import annotations

from typing import Callable, Optional

from .library import DRUMS, Melody, Pattern
from .midi import TICKS_PER_BEAT, Note
from .theory import MODES, Chord, is_major, near, voice_chord

T = TICKS_PER_BEAT
BAR = 4 * T
Human = Callable[[int], int]
Halves = list[tuple[Chord, Chord]]


def at_beat(halves: Halves, bar: int, beat: float) -> Chord:
    return halves[min(bar, len(halves) - 1)][0 if beat < 2 else 1]


def ticks(beats: float) -> int:
    return int(round(beats * T))


def chord_tones(chord: Chord, tonic: int, low: int = 52) -> list[int]:
    """[root, third, fifth, octave, seventh-or-upper-third] from a root in [low, low + 11]."""
    root = low + (tonic + chord.root - low) % 12
    tones = [root + i for i in chord.intervals[:3]] + [root + 12]
    tones.append(root + chord.intervals[3] if len(chord.intervals) > 3 else root + chord.intervals[1] + 12)
    return tones


def accompaniment(pattern: Pattern, halves: Halves, tonic: int, vel: int, human: Human,
                  low: int = 52) -> list[Note]:
    """The pattern in every bar but the last, where the tonic chord rings for the whole bar."""
    notes, prev = [], None
    for b, pair in enumerate(halves):
        voicings = []
        for chord in pair:
            voiced = voice_chord(chord.pitch_classes(tonic), prev, low + 3, low + 24)
            prev = voiced[:3]
            voicings.append(voiced)
        if b == len(halves) - 1:
            notes += [Note(b * BAR, BAR - 30, p, human(vel)) for p in voicings[0]]
            continue
        for beat, length, what in _split(pattern.events, pair[0] != pair[1]):
            half = 0 if beat < 2 else 1
            tones = chord_tones(pair[half], tonic, low)
            pitches = voicings[half] if what == "all" else [tones[i] for i in what]
            accent = 6 if float(beat) in (0.0, 2.0) else 0
            notes += [Note(b * BAR + ticks(beat), max(30, ticks(length) - 20), p, human(vel + accent))
                      for p in pitches]
    return notes


def _split(events, changes: bool) -> list[tuple[float, float, object]]:
    """Events as floats; where the chord changes mid-bar, one held across beat 3 is re-struck."""
    out = []
    for beat, length, what in events:
        beat, length = float(beat), float(length)
        if changes and beat < 2 < beat + length:
            out += [(beat, 2 - beat, what), (2.0, beat + length - 2, what)]
        else:
            out.append((beat, length, what))
    return out


def pad(halves: Halves, tonic: int, vel: int, human: Human) -> list[Note]:
    """Sustained chords (a bar, or half a bar where the harmony changes), voice-led."""
    notes, prev = [], None
    for b, (first, second) in enumerate(halves):
        spans = [(first, 0, BAR)] if first == second else [(first, 0, BAR // 2), (second, BAR // 2, BAR // 2)]
        for chord, start, length in spans:
            prev = voice_chord(chord.pitch_classes(tonic), prev, 50, 70)  # under the lead
            notes += [Note(b * BAR + start, length - 15, p, human(vel)) for p in prev]
    return notes


def _bass_root(chord: Chord, tonic: int) -> int:
    return 36 + (tonic + chord.root) % 12


def bass(pattern: Pattern, halves: Halves, tonic: int, mode: str, vel: int, human: Human) -> list[Note]:
    scale_pcs = {(tonic + i) % 12 for i in MODES[mode]}
    notes = []
    for b in range(len(halves)):
        if b == len(halves) - 1:
            notes.append(Note(b * BAR, BAR - 30, _bass_root(halves[b][0], tonic), human(vel + 4)))
            continue
        nxt = _bass_root(halves[b + 1][0], tonic)
        changes = halves[b][0] != halves[b][1]
        for beat, length, what in pattern.events:
            chord = at_beat(halves, b, float(beat))
            root = _bass_root(chord, tonic)
            token = str(what)
            if changes and float(beat) == 2.0 and token != "A":
                token = "R"  # the new chord's root when the harmony changes mid-bar
            if token == "A":  # the scale note just below the next root (or above, if that is a leap)
                below = next(p for p in range(nxt - 1, nxt - 4, -1) if p % 12 in scale_pcs)
                pitch = below if abs(below - root) <= 9 else nxt + 2
            else:
                third = chord.intervals[1]
                fifth = chord.intervals[2]
                pitch = {"R": root, "3": root + third, "5": root + fifth, "8": root + 12,
                         "L": root + fifth - 12 if root + fifth - 12 >= 28 else root + fifth}[token]
            notes.append(Note(b * BAR + ticks(beat), max(30, ticks(length) - 15), pitch,
                              human(vel + (4 if float(beat) == 0.0 else 0))))
    return notes


def drums(pattern: Pattern, n_bars: int, vel: int, human: Human) -> list[Note]:
    """The pattern in every bar but the last, which gets one soft kick (and a cymbal if loud)."""
    notes = []
    for b in range(n_bars - 1):
        for beat, name, offset in pattern.events:
            notes.append(Note(b * BAR + ticks(beat), T // 2, DRUMS[name], human(vel + int(offset))))
    last = (n_bars - 1) * BAR
    notes.append(Note(last, T, DRUMS["kick"], human(vel - 4)))
    if pattern.energy >= 2:
        notes.append(Note(last, 2 * T, DRUMS["crash"], human(vel - 24)))
    return notes


def map_note(step: int, alter: int, src: str, dst: str) -> int:
    """Semitones above the tonic of a melody note written in mode `src`, played in mode `dst`:
    the same scale step; an alteration is kept only if it lands in the new scale."""
    octave, degree = divmod(step, 7)
    wanted = MODES[src][degree] + alter
    if alter and wanted % 12 in MODES[dst]:
        return 12 * octave + wanted
    return 12 * octave + MODES[dst][degree]


def melody_notes(melody: Melody, mode: str, tonic_pitch: int, start_bar: int, vel: int, human: Human,
                 halves: Halves, stretch: float = 1.0, split_long: bool = False,
                 max_bars: Optional[int] = None) -> list[Note]:
    """A library melody in `mode`, from `start_bar`; `stretch` 2 doubles every length (a calm
    variation), `split_long` re-strikes notes of 2+ beats as two (a lively one). In minor over a
    major V chord the 7th degree is raised (harmonic minor), so the tune agrees with the chord."""
    notes, beat = [], 0.0
    limit = (max_bars or 10**6) * 4
    for step, alter, beats in melody.notes:
        length = beats * stretch
        if beat >= limit - 1e-9:
            break
        length = min(length, limit - beat)
        if step is not None:
            bar = start_bar + int(beat // 4)
            semis = map_note(step, alter, melody.mode, mode)
            chord = at_beat(halves, bar, beat % 4)
            if not is_major(mode) and step % 7 == 6 and chord.root == 7 and 4 in chord.intervals:
                semis += 1  # leading tone under V
            pitch = tonic_pitch + semis
            pieces = [length / 2, length / 2] if split_long and length >= 2 else [length]
            at = beat
            for piece in pieces:
                strong = 8 if at % 2 == 0 else 0
                notes.append(Note(start_bar * BAR + ticks(at), max(30, ticks(piece) - 25), pitch,
                                  human(vel + strong)))
                at += piece
        beat += length
    return notes


def melody_pitches(melody: Melody, mode: str, tonic_pitch: int) -> list[int]:
    return [tonic_pitch + map_note(s, a, melody.mode, mode) for s, a, _ in melody.notes if s is not None]


def melody_bars(melody: Melody, mode: str, tonic_pitch: int, stretch: float = 1.0
                ) -> list[list[tuple[float, float, Optional[int]]]]:
    """Notes grouped per bar as (beat in bar, beats, pitch) for the harmoniser."""
    bars: list[list] = [[] for _ in range(int(round(melody.bars * stretch)))]
    beat = 0.0
    for step, alter, beats in melody.notes:
        length = beats * stretch
        pitch = None if step is None else tonic_pitch + map_note(step, alter, melody.mode, mode)
        idx = int(beat // 4)
        if idx < len(bars):
            bars[idx].append((beat % 4, min(length, 4 - beat % 4), pitch))
        beat += length
    return bars


def closing_note(tonic: int, around: int, vel: int, bar: int, human: Human) -> Note:
    """The lead's last word when no tune ends in the final bar: the tonic, held."""
    return Note(bar * BAR, BAR - 30, near([tonic % 12], around, around - 7, around + 7)[0], human(vel))
