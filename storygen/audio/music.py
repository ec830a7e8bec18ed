"""Background music per scene: mood + theme + reading time -> MIDI (then WAV via synth.py).

Backends (MUSIC registry): `arranged` (arrange.py: the composed library in library/music, the
hero's leitmotif from the offline melody model, mood-driven form and dynamics) and `basic`, the
baseline kept for comparison. `basic` is small on purpose but tries to sound like music:
  - one chord progression per mood quadrant, the key and mode from the quadrant, tempo from
    arousal (62-120 bpm);
  - four parts in the theme's instruments (General MIDI): a sustained chord pad with smooth
    voice leading, a bass line, an arpeggio of chord tones, and a melody; plus soft percussion
    when the scene is exciting;
  - the melody is a seeded two-bar call and a two-bar answer that cadences on the tonic, built
    from chord tones on strong beats and scale steps between; it enters after a one-bar intro,
    then rests four bars (room for the narration) before the pair comes back;
  - length = narration + ~2 s, rounded up to whole bars; the last bar resolves on the tonic.
The scene text is accepted for the interface's sake: the baseline uses only mood and theme.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Callable, Optional

from ..records import Arrangement, Mood, MusicScore
from .midi import DRUM_CHANNEL, TICKS_PER_BEAT, Note, Part, build_midi
from .mood import quadrant
from ..backends import MUSIC
from ..book_paths import audio_name

T = TICKS_PER_BEAT
BAR = 4 * T
TAIL_S = 2.0  # music runs on a little after the last word


@dataclass(frozen=True)
class Style:
    tonic: int  # pitch class 0-11
    key_name: str  # for the MIDI key signature: "F", "Dm", ...
    mode: str  # major | minor
    progression: tuple[str, ...]


STYLES = {
    "happy/calm": Style(5, "F", "major", ("I", "vi", "IV", "V")),
    "happy/exciting": Style(2, "D", "major", ("I", "V", "vi", "IV")),
    "sad/calm": Style(2, "Dm", "minor", ("i", "VI", "iv", "V")),
    "sad/exciting": Style(4, "Em", "minor", ("i", "VII", "VI", "V")),
}

# numeral -> (root in semitones above the tonic, triad intervals)
MAJOR, MINOR = (0, 4, 7), (0, 3, 7)
CHORDS = {
    "I": (0, MAJOR), "ii": (2, MINOR), "iii": (4, MINOR), "IV": (5, MAJOR), "V": (7, MAJOR),
    "vi": (9, MINOR), "i": (0, MINOR), "III": (3, MAJOR), "iv": (5, MINOR), "VI": (8, MAJOR),
    "VII": (10, MAJOR),
}
SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
HARMONIC_MINOR = (0, 2, 3, 5, 7, 8, 11)  # over V in a minor key the melody uses the leading tone

# theme -> General MIDI programs (0-based) for melody, arp, chords, bass
THEME_INSTRUMENTS: dict[str, dict[str, int]] = {
    "underwater": {"melody": 11, "arp": 46, "chords": 89, "bass": 32},  # vibraphone, harp, warm pad
    "space": {"melody": 8, "arp": 98, "chords": 88, "bass": 38},  # celesta, crystal, new-age pad
    "castle": {"melody": 40, "arp": 6, "chords": 48, "bass": 42},  # violin, harpsichord, strings
    "farm": {"melody": 110, "arp": 24, "chords": 25, "bass": 32},  # fiddle, nylon + steel guitar
    "jungle": {"melody": 75, "arp": 12, "chords": 48, "bass": 32},  # pan flute, marimba, strings
    "arctic": {"melody": 8, "arp": 10, "chords": 49, "bass": 42},  # celesta, music box, strings
    "forest": {"melody": 73, "arp": 45, "chords": 49, "bass": 70},  # flute, pizzicato, bassoon
    "garden": {"melody": 71, "arp": 9, "chords": 0, "bass": 32},  # clarinet, glockenspiel, piano
}
DEFAULT_INSTRUMENTS = {"melody": 0, "arp": 46, "chords": 48, "bass": 32}

MIX = {  # part -> (channel, CC7 volume, CC10 pan)
    "melody": (0, 100, 64), "arp": (1, 80, 40), "chords": (2, 68, 88), "bass": (3, 92, 60),
    "drums": (DRUM_CHANNEL, 62, 70),
}

# rhythms in beats (each sums to one 4/4 bar); the call uses the first two, the answer ends long
CALM_RHYTHMS = ((2, 2), (1, 1, 2), (3, 1), (1.5, 0.5, 2), (2, 1, 1), (1, 1, 1, 1))
EXCITING_RHYTHMS = ((1, 1, 1, 1), (0.5, 0.5, 1, 2), (1, 0.5, 0.5, 2), (0.5, 0.5, 0.5, 0.5, 2),
                    (1.5, 0.5, 1, 1), (0.5, 0.5, 1, 0.5, 0.5, 1))
CALM_ARPS = ((0, 1, 2, 3, 2, 1, 0, 1), (0, 2, 1, 3, 0, 2, 1, 3), (0, 1, 2, 1, 3, 2, 1, 2))
EXCITING_ARPS = ((0, 1, 2, 3, 0, 1, 2, 3), (0, 2, 3, 2, 1, 2, 3, 2), (3, 2, 1, 0, 1, 2, 3, 2))


def tempo_for(mood: Mood) -> float:
    return float(round(91 + 29 * mood.arousal))


def bars_for(duration_s: float, tempo_bpm: float) -> int:
    return max(2, math.ceil((duration_s + TAIL_S) / (4 * 60.0 / tempo_bpm) - 1e-9))


def chord_pitches(numeral: str, tonic: int) -> list[int]:
    """Pitch classes of a numeral's triad in a key."""
    root, triad = CHORDS[numeral]
    return [(tonic + root + i) % 12 for i in triad]


def voice_chord(pcs: list[int], previous: list[int] | None, low: int = 55, high: int = 76) -> list[int]:
    """Closest voicing to the previous chord (smooth voice leading), within [low, high]."""
    options = []
    for base in range(low, high - 6):
        if base % 12 not in pcs:
            continue
        notes = sorted(base + ((pc - base) % 12) for pc in pcs)
        if notes[-1] <= high:
            options.append(notes)
    target = previous or [60, 64, 67]
    return min(options, key=lambda v: (sum(abs(a - b) for a, b in zip(v, target)), v))


def _near(pcs, around: int, low: int, high: int) -> list[int]:
    return sorted((p for p in range(low, high + 1) if p % 12 in pcs), key=lambda p: (abs(p - around), p))


def melody_phrase(chords: list[list[int]], scale_pcs: list[tuple[int, ...]], rhythm: list[tuple],
                  rng: random.Random, start_pitch: int, end_on: int | None) -> list[tuple[int, int, int]]:
    """One phrase over `chords` (one per bar) -> (tick offset, ticks, pitch).

    Strong beats (1 and 3) take a chord tone near the previous note; other notes move by a scale
    step or two. `end_on` pulls the phrase's last note to that pitch class (the answer's tonic).
    """
    notes, prev = [], start_pitch
    for bar, (pcs, durations) in enumerate(zip(chords, rhythm)):
        scale = [p for p in range(64, 90) if p % 12 in scale_pcs[bar]]
        beat = 0.0
        for k, length in enumerate(durations):
            last = bar == len(chords) - 1 and k == len(durations) - 1
            if last and end_on is not None:
                pitch = _near([end_on], prev, 67, 86)[0]
            elif beat in (0.0, 2.0) or last:
                choices = _near(pcs, prev, 67, 86)[:3]
                pitch = rng.choice(choices[:2] if rng.random() < 0.75 else choices)
            else:
                idx = min(range(len(scale)), key=lambda i: abs(scale[i] - prev))
                step = rng.choice((-2, -1, -1, 1, 1, 2))
                if prev > 81:
                    step = -abs(step)  # keep the tune in a singable middle range
                elif prev < 70:
                    step = abs(step)
                pitch = scale[max(0, min(len(scale) - 1, idx + step))]
            notes.append((int(round((bar * 4 + beat) * T)), int(round(length * T)), pitch))
            prev, beat = pitch, beat + length
    return notes


def compose_basic(text: str, mood: Mood, theme: str, duration_s: float, seed: int,
                  index: int) -> tuple[MusicScore, bytes]:
    rng = random.Random(seed)
    quad = quadrant(mood)
    style = STYLES[quad]
    exciting = quad.endswith("exciting")
    tempo = tempo_for(mood)
    n_bars = bars_for(duration_s, tempo)
    numerals = [style.progression[b % len(style.progression)] for b in range(n_bars - 1)]
    numerals.append("I" if style.mode == "major" else "i")  # resolve home
    vel = int(round(58 + 14 * mood.arousal))

    def human(v: int) -> int:  # small seeded variation so repeated notes do not sound stamped
        return max(1, min(127, v + rng.randint(-5, 5)))

    # the parts draw from rng in a fixed order, so a seed always gives the same piece
    parts = {
        "chords": _chords(style, numerals, vel, human),
        "bass": _bass(style, numerals, exciting, vel, human),
        "arp": _arp(style, numerals, exciting, vel, human, rng),
        "melody": _melody(style, numerals, exciting, vel, human, rng),
    }
    programs = dict(THEME_INSTRUMENTS.get(theme, DEFAULT_INSTRUMENTS))
    if exciting:
        parts["drums"] = _drums(n_bars, vel, human)
        programs["drums"] = 0
    order = ("melody", "arp", "chords", "bass", "drums")
    midi_parts = [Part(name, MIX[name][0], programs[name], tuple(parts[name]), MIX[name][1],
                       MIX[name][2]) for name in order if name in parts]
    midi = build_midi(midi_parts, tempo, key=style.key_name, title=f"scene {index:02d}",
                      end_tick=n_bars * BAR)
    score = MusicScore(
        index=index, mood=mood, key=style.key_name.rstrip("m"), mode=style.mode, tempo_bpm=tempo,
        progression=style.progression, instruments={name: programs[name] for name in order
                                                    if name in programs},
        duration_s=round(n_bars * 4 * 60.0 / tempo, 3), midi=audio_name(index, "music.mid"),
        wav=audio_name(index, "music.wav"), seed=seed, backend="basic",
    )
    return score, midi


def _chords(style: Style, numerals: list[str], vel: int, human) -> list[Note]:
    """A whole-bar pad, each chord voiced close to the one before (smooth voice leading)."""
    notes, prev = [], None
    for b, numeral in enumerate(numerals):
        prev = voice_chord(chord_pitches(numeral, style.tonic), prev)
        notes += [Note(b * BAR, BAR - 20, p, human(vel - 12)) for p in prev]
    return notes


def _bass(style: Style, numerals: list[str], exciting: bool, vel: int, human) -> list[Note]:
    """Roots and fifths in octave 2-3: half notes when calm, walking quarters when exciting."""
    pattern = ((0, 1, 0), (1, 1, 0), (2, 1, 7), (3, 1, 12)) if exciting else ((0, 2, 0), (2, 2, 7))
    notes = []
    for b, numeral in enumerate(numerals):
        root = 36 + (style.tonic + CHORDS[numeral][0]) % 12
        steps = ((0, 4, 0),) if b == len(numerals) - 1 else pattern
        notes += [Note(b * BAR + int(beat * T), int(length * T) - 10, root + iv, human(vel + 4))
                  for beat, length, iv in steps]
    return notes


def _arp(style: Style, numerals: list[str], exciting: bool, vel: int, human,
         rng: random.Random) -> list[Note]:
    """Chord tones in eighths, one seeded pattern for the whole piece."""
    shape_all = rng.choice(EXCITING_ARPS if exciting else CALM_ARPS)
    notes = []
    for b, numeral in enumerate(numerals):
        tones = sorted(_near(chord_pitches(numeral, style.tonic), 62, 57, 79)[:3])
        tones.append(tones[0] + 12)
        final = b == len(numerals) - 1
        shape = shape_all[:4] if final else shape_all  # last bar: half a bar, then let it ring
        notes += [Note(b * BAR + i * T // 2, 2 * T if final and i == 3 else T // 2 - 8, tones[k],
                       human(vel - 8 + (8 if i % 4 == 0 else 0))) for i, k in enumerate(shape)]
    return notes


def _melody(style: Style, numerals: list[str], exciting: bool, vel: int, human,
            rng: random.Random) -> list[Note]:
    """A call over bars 1-2, an answer over bars 3-4 (bar 4 is the tonic chord, so the answer
    cadences on the tonic), four bars of rest for the narration, and again every 8 bars; the
    final bar is one long tonic note."""
    n_bars = len(numerals)
    pcs = [chord_pitches(n, style.tonic) for n in numerals]
    scales = [tuple((style.tonic + i) % 12 for i in
                    (HARMONIC_MINOR if style.mode == "minor" and n == "V" else SCALES[style.mode]))
              for n in numerals]
    rhythms = EXCITING_RHYTHMS if exciting else CALM_RHYTHMS
    rhythm = [rng.choice(rhythms), rng.choice(rhythms)]
    answer_rhythm = [rhythm[0], rng.choice([r for r in rhythms if r[-1] >= 2])]
    phrases = []
    if n_bars >= 4:
        call = melody_phrase(pcs[1:3], scales[1:3], rhythm, rng, _near(pcs[1], 74, 67, 86)[0], None)
        phrases.append((1, call))
        if n_bars >= 6:
            phrases.append((3, melody_phrase(pcs[3:5], scales[3:5], answer_rhythm, rng,
                                             call[-1][2], end_on=style.tonic)))
    notes = []
    for cycle in range(0, n_bars, 8):
        for first_bar, phrase in phrases:
            bar = cycle + first_bar
            if bar + 1 >= n_bars - 1:  # the final bar belongs to the closing tonic note
                continue
            notes += [Note(bar * BAR + off, length - 15, p,
                           human(vel + 8 + (6 if off % (2 * T) == 0 else 0)))
                      for off, length, p in phrase]
    if n_bars >= 3:
        home = _near([style.tonic], notes[-1].pitch if notes else 74, 67, 86)[0]
        notes.append(Note((n_bars - 1) * BAR, BAR - 20, home, human(vel)))
    return notes


def _drums(n_bars: int, vel: int, human) -> list[Note]:
    """Soft kit: kick on 1 and 3, shaker eighths, a light clap on 4; the last bar just a kick."""
    notes = []
    for b in range(n_bars):
        base = b * BAR
        if b == n_bars - 1:
            notes.append(Note(base, T, 36, human(vel)))
            break
        notes += [Note(base + beat * T, T // 2, 36, human(vel - 4)) for beat in (0, 2)]
        notes += [Note(base + i * T // 2, T // 4, 70, human(vel - 22 + (8 if i % 2 == 0 else 0)))
                  for i in range(8)]
        notes.append(Note(base + 3 * T, T // 2, 39, human(vel - 20)))
    return notes




def make_basic() -> Callable[..., tuple]:
    def run(text, mood, theme, duration_s, seed, index, context=None):
        return (*compose_basic(text, mood, theme, duration_s, seed, index), None)

    return run


def make_arranged() -> Callable[..., tuple]:
    from .arrange import compose_arranged  # the library loads on first use, not at import

    return compose_arranged


def compose_full(text: str, mood: Mood, theme: str, duration_s: float, seed: int, index: int,
                 backend: str = "basic", context=None) -> tuple[MusicScore, bytes, Optional[Arrangement]]:
    """-> (score record, MIDI bytes, Arrangement record or None for backends without one).

    `context` (arrange.SceneContext) carries the hero, the story seed and the padding after the
    narration; the basic backend ignores it."""
    return MUSIC.create(backend)(text, mood, theme, duration_s, seed, index, context)


def compose(text: str, mood: Mood, theme: str, duration_s: float, seed: int, index: int,
            backend: str = "basic", context=None) -> tuple[MusicScore, bytes]:
    """-> (score record, MIDI bytes). Same arguments => same record and same bytes."""
    score, midi, _ = compose_full(text, mood, theme, duration_s, seed, index, backend, context)
    return score, midi
