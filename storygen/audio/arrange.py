"""The `arranged` music backend: a scene's mood + the hero's leitmotif + the composed library
(library/music) -> a multi-track MIDI piece as long as the narration plus padding.

Per story (seeded by the story seed and the hero, so every scene agrees):
  - the hero's key (tonic) and leitmotif: a 4-bar melody from the offline melody library;
Per scene (seeded by the scene seed), from its mood (valence v, arousal a, both in [-1, 1]):
  - mode: a progression from the major family when v >= 0, the minor family when v < 0, chosen by
    its mood tags (happy/sad/calm/exciting + tender, playful, heroic, ...) and the theme;
  - tempo 66 + 24(a + 1) + 8v bpm (calmer = slower, happier = faster), then the nearest tempo
    at which whole bars last narration + padding within SLACK_S (see fit_bars);
  - dynamics: velocity 60 + 20a + 3v (calmer = softer); density 0-3 from a picks the
    accompaniment, bass and drum patterns (drums from density 2), a pad under calm scenes;
  - the leitmotif is varied by mode, tempo, register (the octave nearest a target that rises
    with v and a), instrumentation (the theme's lead for the mood quadrant) and rhythm (calm
    scenes with room play it at half speed, lively ones re-strike long notes);
  - form: a bar of introduction, the leitmotif, a softer counter-melody from the library in the
    middle, the leitmotif again at the end when there is room, a final tonic bar. Bars that carry
    a melody are harmonised to fit it (theory.harmonise), the others follow the progression.
"""
from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass
from typing import Optional

import mido

from ..book_paths import audio_name
from ..records import Arrangement, Mood, MusicScore
from . import parts
from .library import Melody, MusicLibrary, Pattern, Progression, load_library
from .midi import DRUM_CHANNEL, Part, build_midi
from .theory import (MAJOR_FAMILY, MINOR_FAMILY, PITCH_NAMES, bar_label, harmonise, is_major,
                     key_name, parse_chord, tonic_numeral)

BEATS_PER_BAR = 4
TONICS = (0, 2, 3, 5, 7, 9, 10)  # C D Eb F G A Bb: keys where the tunes sit well for the leads
TEMPO_RANGE = (40.0, 168.0)
SLACK_S = 0.25  # the piece may end this much before or after narration + padding (issue: 0.5 s)
CHANNELS = {"lead": 0, "counter": 1, "accomp": 2, "pad": 3, "bass": 4, "drums": DRUM_CHANNEL}
MIX = {"lead": (100, 64), "counter": (78, 44), "accomp": (80, 84), "pad": (66, 64), "bass": (92, 60),
       "drums": (70, 70)}  # CC7 volume, CC10 pan
THEME_TAGS = {"space": {"dreamy": 0.3, "mysterious": 0.2}, "arctic": {"dreamy": 0.3, "tender": 0.1},
              "castle": {"heroic": 0.3}, "jungle": {"playful": 0.2, "mysterious": 0.2},
              "farm": {"playful": 0.3}, "underwater": {"dreamy": 0.3}, "forest": {"tender": 0.2},
              "garden": {"playful": 0.2, "tender": 0.1}}
QUADRANT_TAGS = {"happy_calm": {"tender": 0.5, "dreamy": 0.4}, "happy_exciting": {"playful": 0.5, "heroic": 0.4},
                 "sad_calm": {"tender": 0.4, "dreamy": 0.3},
                 "sad_exciting": {"tense": 0.5, "mysterious": 0.4, "heroic": 0.2}}


@dataclass(frozen=True)
class SceneContext:
    """What the arranger needs beyond one scene's text: who the hero is and the story's seed
    (the leitmotif and key stay the same in every scene), and the padding after the narration."""

    hero: str = ""
    story_seed: int = 0
    padding_s: float = 1.5


def quadrant_key(mood: Mood) -> str:
    return f"{'happy' if mood.valence >= 0 else 'sad'}_{'exciting' if mood.arousal > 0 else 'calm'}"


def base_tempo(mood: Mood) -> float:
    return 66.0 + 24.0 * (mood.arousal + 1.0) + 8.0 * mood.valence


def fit_bars(target_s: float, tempo: float, slack_s: float = SLACK_S) -> tuple[int, float]:
    """Whole bars and a tempo for a piece of `target_s` +- `slack_s` seconds, with the tempo as
    close to `tempo` as possible (in ratio). Within the slack any tempo is allowed, so the result
    rises with the mood's tempo wherever it can: the choice is the mood tempo projected onto the
    union of tempo ranges that whole bars allow (a monotone map, so faster moods never get a
    slower piece). Tempos stay in TEMPO_RANGE."""
    lo_s, hi_s = max(0.1, target_s - slack_s), target_s + slack_s
    best = None
    n_max = max(1, int(hi_s * TEMPO_RANGE[1] / (60.0 * BEATS_PER_BAR)))
    for n in range(1, n_max + 1):
        fast = min(TEMPO_RANGE[1], 60.0 * BEATS_PER_BAR * n / lo_s)
        slow = max(TEMPO_RANGE[0], 60.0 * BEATS_PER_BAR * n / hi_s)
        if slow > fast:
            continue
        chosen = min(max(tempo, slow), fast)
        cost = abs(math.log(chosen / tempo))
        if best is None or cost < best[0] - 1e-12:
            best = (cost, n, chosen)
    if best is None:  # a target too short for one bar even at the fastest tempo
        return 1, TEMPO_RANGE[1]
    return best[1], best[2]


def velocity_for(mood: Mood) -> int:
    return int(round(60 + 20 * mood.arousal + 3 * mood.valence))


def density_for(mood: Mood) -> int:
    """0 (a < -0.35) .. 3 (a >= 0.65); a neutral scene is 1: no drums under an ordinary scene."""
    return sum(mood.arousal >= t for t in (-0.35, 0.15, 0.65))


def wanted_tags(mood: Mood, theme: str) -> dict[str, float]:
    w = {"happy": max(0.0, mood.valence), "sad": max(0.0, -mood.valence),
         "exciting": max(0.0, mood.arousal), "calm": max(0.0, -mood.arousal)}
    for tag, x in list(QUADRANT_TAGS[quadrant_key(mood)].items()) + list(THEME_TAGS.get(theme, {}).items()):
        w[tag] = w.get(tag, 0.0) + x
    return w


def _tag_score(tags, wanted: dict[str, float]) -> float:
    return sum(wanted.get(t, 0.0) for t in tags) / math.sqrt(len(tags))


def _pick(items: list, score, rng: random.Random, top: int = 3):
    """A seeded choice among the `top` best-scored items (ties broken by id, so it is stable)."""
    ranked = sorted(items, key=lambda x: (-score(x), x.id))[:top]
    return ranked[rng.randrange(len(ranked))]


def choose_progression(lib: MusicLibrary, mood: Mood, theme: str, rng: random.Random) -> Progression:
    family = MAJOR_FAMILY if mood.valence >= 0 else MINOR_FAMILY
    wanted = wanted_tags(mood, theme)
    return _pick([p for p in lib.progressions if p.mode in family], lambda p: _tag_score(p.moods, wanted), rng)


def choose_pattern(patterns, density: int, wanted: dict[str, float], rng: random.Random) -> Pattern:
    return _pick(list(patterns), lambda p: _tag_score(p.moods, wanted) - 0.6 * abs(p.energy - density), rng, top=2)


def leitmotif(lib: MusicLibrary, hero: str, theme: str, story_seed: int) -> tuple[Melody, int]:
    """The hero's tune and key: the same for every scene of a story (seeded by story and hero)."""
    rng = random.Random(zlib.crc32(f"{story_seed}:{theme}:{hero}".encode()))
    # clean 4-bar major tunes of moderate range: they survive the move to minor and to other modes
    pool = [m for m in lib.melodies if m.mode == "major" and m.bars == 4 and m.range <= 12
            and all(a == 0 for _, a, _ in m.notes)]
    return pool[rng.randrange(len(pool))], TONICS[rng.randrange(len(TONICS))]


def choose_counter(lib: MusicLibrary, mood: Mood, mode: str, exclude: str, rng: random.Random) -> Melody:
    src = "major" if is_major(mode) else "minor"
    energy = "low" if mood.arousal < -0.25 else "high" if mood.arousal > 0.5 else "mid"
    pool = [m for m in lib.melodies if m.mode == src and m.id != exclude and m.range <= 12]
    ranked = sorted(pool, key=lambda m: (m.energy != energy, m.bars != 4, m.id))[:12]
    return ranked[rng.randrange(len(ranked))]


def register_for(melody: Melody, mood: Mood, mode: str, tonic: int) -> tuple[int, int]:
    """(tonic pitch, octave shift): the octave whose tune centre is nearest a target that rises
    with valence and arousal (sad and calm sit low, bright scenes high)."""
    target = 71 + 5 * mood.valence + 4 * mood.arousal
    base = 60 + tonic
    best = None
    for shift in (-1, 0, 1):
        pitches = sorted(parts.melody_pitches(melody, mode, base + 12 * shift))
        centre = (pitches[0] + pitches[-1]) / 2
        if pitches[0] < 55 or pitches[-1] > 91:
            continue
        cand = (abs(centre - target), shift)
        best = cand if best is None or cand < best else best
    shift = best[1] if best else 0
    return base + 12 * shift, shift


def plan_form(n_bars: int, motif_bars: int) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """(first bar, bars) of each leitmotif statement, and the gap [start, end) between them (or
    before the final bar) for the counter-melody. A bar of introduction when there is room; the
    motif returns at the end when at least 2 bars fit between; a statement that does not fit is
    cut a bar short, so the final bar stays the lead's held tonic."""
    first = 1 if n_bars >= motif_bars + 2 else 0
    plays = [(first, motif_bars if n_bars - first >= motif_bars else max(0, n_bars - first - 1))]
    if n_bars - motif_bars >= first + motif_bars + 2:
        plays.append((n_bars - motif_bars, motif_bars))
    plays = [(start, length) for start, length in plays if length > 0]
    gap_start = first + (plays[0][1] if plays else 0)
    return plays, (gap_start, plays[1][0] if len(plays) > 1 else n_bars - 1)


def compose_arranged(text: str, mood: Mood, theme: str, duration_s: float, seed: int, index: int,
                     context: Optional[SceneContext] = None,
                     library: Optional[MusicLibrary] = None) -> tuple[MusicScore, bytes, Arrangement]:
    ctx = context or SceneContext()
    lib = library or load_library()
    rng = random.Random(seed)
    motif, tonic = leitmotif(lib, ctx.hero, theme, ctx.story_seed)
    target_s = duration_s + ctx.padding_s
    n_bars, tempo = fit_bars(target_s, base_tempo(mood))
    tempo_us = mido.bpm2tempo(tempo)
    prog = choose_progression(lib, mood, theme, rng)
    mode = prog.mode
    wanted = wanted_tags(mood, theme)
    density = density_for(mood)
    vel = velocity_for(mood)
    inst = lib.instruments_for(theme)

    stretch = 2.0 if mood.arousal < -0.4 and n_bars >= 2 * motif.bars + 2 else 1.0
    plays, gap = plan_form(n_bars, int(motif.bars * stretch))
    counter = choose_counter(lib, mood, mode, motif.id, rng)
    counter_bars = min(counter.bars, gap[1] - gap[0])
    use_counter = counter_bars >= 2
    tonic_pitch, shift = register_for(motif, mood, mode, tonic)
    counter_pitch = tonic_pitch - 12 if shift > 0 else tonic_pitch  # under a raised lead

    # ---- harmony: the progression, then the bars with a tune re-harmonised to fit it
    numerals = [(c, c) for c in (prog.chords[b % len(prog.chords)] for b in range(n_bars))]
    numerals[-1] = (tonic_numeral(mode), tonic_numeral(mode))
    tunes = [(parts.melody_bars(motif, mode, tonic_pitch, stretch)[:length], start) for start, length in plays]
    if use_counter:
        tunes.append((parts.melody_bars(counter, mode, counter_pitch)[:counter_bars], gap[0]))
    for bars, start in tunes:
        final = start + len(bars) == n_bars
        numerals[start:start + len(bars)] = harmonise(
            bars, mode, tonic, [a for a, _ in numerals[start:start + len(bars)]], final_tonic=final)
    chords = [(parse_chord(a, mode), parse_chord(b, mode)) for a, b in numerals]

    def human(v: int) -> int:
        return max(1, min(127, v + rng.randint(-4, 4)))

    # ---- parts (drawing random numbers in a fixed order)
    acc_pat = choose_pattern(lib.accompaniment, density, wanted, rng)
    bass_pat = choose_pattern(lib.bass, density, wanted, rng)
    quad = quadrant_key(mood)
    notes: dict[str, list] = {"lead": [], "counter": []}
    for start, length in plays:
        notes["lead"] += parts.melody_notes(motif, mode, tonic_pitch, start, vel + 12, human, chords,
                                            stretch, split_long=mood.arousal > 0.4, max_bars=length)
    if not plays or plays[-1][0] + plays[-1][1] < n_bars:  # no tune ends the piece: hold the tonic
        last = notes["lead"][-1].pitch if notes["lead"] else tonic_pitch + 12
        notes["lead"].append(parts.closing_note(tonic, last, vel + 4, n_bars - 1, human))
    if use_counter:
        notes["counter"] = parts.melody_notes(counter, mode, counter_pitch, gap[0], vel - 2, human,
                                              chords, max_bars=counter_bars)
    notes["accomp"] = parts.accompaniment(acc_pat, chords, tonic, vel - 6, human)
    if density <= 1:
        notes["pad"] = parts.pad(chords, tonic, vel - 16, human)
    notes["bass"] = parts.bass(bass_pat, chords, tonic, mode, vel, human)
    drum_pat = None
    if density >= 2:
        pool = [lib.drums[d] for d in inst.drums]
        drum_pat = min(pool, key=lambda p: (abs(p.energy - density), inst.drums.index(p.id)))
        notes["drums"] = parts.drums(drum_pat, n_bars, vel, human)

    programs = {"lead": inst.lead[quad], "counter": inst.counter, "accomp": inst.accomp,
                "pad": inst.pad, "bass": inst.bass, "drums": 0}
    order = [p for p in ("lead", "counter", "accomp", "pad", "bass", "drums") if notes.get(p)]
    midi_parts = [Part(p, CHANNELS[p], programs[p], tuple(notes[p]), MIX[p][0], MIX[p][1]) for p in order]
    midi = build_midi(midi_parts, tempo, key=key_name(tonic, mode), title=f"scene {index:02d}",
                      end_tick=n_bars * parts.BAR)
    seconds = n_bars * BEATS_PER_BAR * tempo_us / 1e6
    score = MusicScore(
        index=index, mood=mood, key=PITCH_NAMES[tonic], mode=mode, tempo_bpm=round(6e7 / tempo_us, 3),
        progression=tuple(bar_label(pair) for pair in numerals), instruments={p: programs[p] for p in order},
        duration_s=round(seconds, 3), midi=audio_name(index, "music.mid"),
        wav=audio_name(index, "music.wav"), seed=seed, backend="arranged")
    arrangement = Arrangement(
        index=index, hero=ctx.hero, leitmotif=motif.id, leitmotif_bars=tuple(start for start, _ in plays),
        counter=counter.id if use_counter else "", progression=prog.id,
        patterns={"accomp": acc_pat.id, "bass": bass_pat.id, "drums": drum_pat.id if drum_pat else ""},
        bars=n_bars, beats_per_bar=BEATS_PER_BAR, tempo_bpm=score.tempo_bpm, register=shift,
        velocity=vel, density=density, stretch=stretch, target_s=round(target_s, 3),
        padding_s=ctx.padding_s, seed=seed, story_seed=ctx.story_seed)
    return score, midi, arrangement
