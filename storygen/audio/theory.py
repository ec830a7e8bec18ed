"""Just enough music theory for the arranger: modes, roman-numeral chords, voicing, harmonising.

Conventions:
  - a *step* is a diatonic scale step from the tonic (0 = tonic, 7 = the octave above, -1 = the
    leading note below); with an *alter* in semitones (+1 = raised) it names any pitch in a mode,
    so a melody stored as steps can be played in major or minor (the leitmotif does this);
  - a chord is a roman numeral over the mode's scale: the case gives the quality (V major,
    ii minor), suffixes add the rest: ° dim, + aug, 7, maj7, sus2, sus4, add9; a leading b or #
    lowers or raises the root (bVII, #iv°). Minor keys use the natural minor scale, so in minor
    "v" is the natural minor dominant and "V" the raised, harmonic-minor one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import ConfigError

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
}
MAJOR_FAMILY = ("major", "mixolydian", "lydian")  # a major third over the tonic
MINOR_FAMILY = ("minor", "dorian")
PITCH_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_ROMAN = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}
_NUMERAL = re.compile(r"^(b|#)?(VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(°|o|\+)?(maj7|7|sus2|sus4|add9)?$")


def is_major(mode: str) -> bool:
    return mode in MAJOR_FAMILY


def key_name(tonic: int, mode: str) -> str:
    """Name for the MIDI key signature: major-family modes use the major, minor-family the minor
    key with the same tonic (the signature is a reading aid, not a constraint)."""
    return PITCH_NAMES[tonic % 12] + ("" if is_major(mode) else "m")


def step_pitch(step: int, alter: int, tonic_pitch: int, mode: str) -> int:
    """Diatonic step (+ alteration) -> MIDI pitch, with `tonic_pitch` the pitch of step 0."""
    scale = MODES[mode]
    octave, degree = divmod(step, 7)
    return tonic_pitch + 12 * octave + scale[degree] + alter


@dataclass(frozen=True)
class Chord:
    numeral: str
    root: int  # semitones above the tonic, 0-11
    intervals: tuple[int, ...]  # above the root, the triad first
    degree: int  # scale degree of the root, 0-6

    def pitch_classes(self, tonic: int) -> list[int]:
        return [(tonic + self.root + i) % 12 for i in self.intervals]


@lru_cache(maxsize=512)
def parse_chord(numeral: str, mode: str) -> Chord:
    """'IV' in major -> F-A-C over C; 'bVII' -> Bb-D-F; 'V7' in minor -> the raised dominant 7th."""
    if mode not in MODES:
        raise ConfigError(f"Unknown mode {mode!r}; choose one of: {', '.join(MODES)}")
    m = _NUMERAL.match(numeral)
    if not m:
        raise ConfigError(
            f"Chord {numeral!r} is not a roman numeral like I, ii, V7, bVII, vii°, IVmaj7 or Vsus4")
    accidental, roman, quality, extra = m.groups()
    degree = _ROMAN[roman.lower()]
    root = (MODES[mode][degree] + {"b": -1, "#": 1, None: 0}[accidental]) % 12
    if quality in ("°", "o"):
        triad = (0, 3, 6)
    elif quality == "+":
        triad = (0, 4, 8)
    else:
        triad = (0, 4, 7) if roman.isupper() else (0, 3, 7)
    if extra == "sus2":
        triad = (0, 2, 7)
    elif extra == "sus4":
        triad = (0, 5, 7)
    tones = list(triad)
    if extra == "7":
        tones.append(10)  # dominant 7th on a major triad, minor 7th on minor, half-dim on dim
    elif extra == "maj7":
        tones.append(11)
    elif extra == "add9":
        tones.append(14)
    return Chord(numeral, root, tuple(tones), degree)


def diatonic_chords(mode: str) -> list[str]:
    """The triads built on each degree of the mode, as numerals (minor keys add the raised V)."""
    scale = MODES[mode]
    out = []
    for degree in range(7):
        third = (scale[(degree + 2) % 7] - scale[degree]) % 12
        fifth = (scale[(degree + 4) % 7] - scale[degree]) % 12
        roman = list(_ROMAN)[degree]
        if third == 4 and fifth == 7:
            out.append(roman.upper())
        elif third == 3 and fifth == 7:
            out.append(roman)
        elif third == 3 and fifth == 6:
            out.append(roman + "°")
    if mode == "minor":
        out.append("V")
    return out


def tonic_numeral(mode: str) -> str:
    return "I" if is_major(mode) else "i"


def voice_chord(pcs: list[int], previous: list[int] | None, low: int = 55, high: int = 76) -> list[int]:
    """Closest close-position voicing to the previous chord (smooth voice leading) in [low, high]."""
    triad = pcs[:3]
    options = []
    for base in range(low, high - 6):
        if base % 12 not in triad:
            continue
        notes = sorted(base + ((pc - base) % 12) for pc in triad)
        if notes[-1] <= high:
            options.append(notes)
    target = previous or [60, 64, 67]
    best = min(options, key=lambda v: (sum(abs(a - b) for a, b in zip(v, target)), v))
    extra = [best[0] + ((pc - best[0]) % 12) for pc in pcs[3:]]  # sevenths/ninths on top
    return sorted(best + [p if p > best[-1] else p + 12 for p in extra])


def near(pcs, around: int, low: int, high: int) -> list[int]:
    """Pitches with these pitch classes in [low, high], nearest to `around` first."""
    return sorted((p for p in range(low, high + 1) if p % 12 in pcs), key=lambda p: (abs(p - around), p))


Segment = list[tuple[float, float, "int | None"]]  # (beat in the bar, beats, pitch or None)


def _fit(numeral: str, notes: Segment, mode: str, tonic: int, lo: float, hi: float) -> float:
    """How well a chord fits the melody in beats [lo, hi) of a bar: time on chord tones minus
    time off them, the first beat of the half bar counted double."""
    pcs = set(parse_chord(numeral, mode).pitch_classes(tonic))
    total = 0.0
    for beat, length, pitch in notes:
        end = min(hi, beat + length)
        if pitch is None or end <= lo or beat >= hi:
            continue
        span = end - max(lo, beat)
        strong = 2.0 if max(lo, beat) == lo else 1.0
        total += span * strong * (1.0 if pitch % 12 in pcs else -0.7)
    return total


def harmonise(bars: list[Segment], mode: str, tonic: int, preferred: list[str],
              final_tonic: bool = True) -> list[tuple[str, str]]:
    """Chords for a melody, one per half bar: (first half, second half) for every bar.

    Each diatonic chord scores the melody time it covers in the half bar (minus the time it
    clashes), plus a bonus for the chord the library progression wants in that bar and a smaller
    one for keeping the first half's chord, so the harmony follows the progression where the tune
    allows it and changes mid-bar only when the tune asks. The last bar is the tonic when
    `final_tonic`.
    """
    # ties go to the stronger function: tonic, dominant, subdominant, then the rest
    strength = {0: 0, 4: 1, 3: 2, 5: 3, 1: 4, 2: 5, 6: 6}
    chords = sorted(diatonic_chords(mode), key=lambda n: (strength[parse_chord(n, mode).degree], n))
    out: list[tuple[str, str]] = []
    for b, notes in enumerate(bars):
        want = preferred[b % len(preferred)] if preferred else tonic_numeral(mode)
        if final_tonic and b == len(bars) - 1:
            out.append((tonic_numeral(mode), tonic_numeral(mode)))
            continue
        cands = list(dict.fromkeys([want] + chords))
        first = max(cands, key=lambda n: (_fit(n, notes, mode, tonic, 0, 2) + (1.2 if n == want else 0),
                                          -cands.index(n)))
        second = max(cands, key=lambda n: (_fit(n, notes, mode, tonic, 2, 4) + (1.2 if n == want else 0)
                                           + (0.8 if n == first else 0), -cands.index(n)))
        out.append((first, second))
    return out


def bar_label(pair: tuple[str, str]) -> str:
    """'I' for a bar on one chord, 'I-V' for a bar that changes halfway."""
    return pair[0] if pair[0] == pair[1] else f"{pair[0]}-{pair[1]}"
