"""The `arranged` music backend: length, mood -> mode/tempo/dynamics, the hero's leitmotif,
harmony, determinism and golden MIDI dumps."""
import os
from pathlib import Path

import pytest

from storygen.audio import arrange, midi, music, parts, theory
from storygen.backends import MUSIC
from storygen.audio.arrange import SceneContext, compose_arranged
from storygen.audio.library import load_library
from storygen.records import Mood

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("STORYGEN_UPDATE_GOLDEN") == "1"
CTX = SceneContext(hero="mermaid", story_seed=3, padding_s=1.5)
MOODS = [Mood(0.8, 0.7), Mood(0.7, -0.8), Mood(-0.7, -0.6), Mood(-0.8, 0.8), Mood(0.0, 0.0)]


def track(data: bytes, name: str) -> list[tuple[int, int, int]]:
    """(tick, pitch, velocity) of the note_ons in the named track; [] if there is none."""
    for trk in midi.read_midi(data).tracks:
        if trk and trk[0].type == "track_name" and trk[0].name == name:
            now, out = 0, []
            for msg in trk:
                now += msg.time
                if msg.type == "note_on":
                    out.append((now, msg.note, msg.velocity))
            return out
    return []


def all_velocities(data: bytes) -> list[int]:
    return [m.velocity for m in midi.read_midi(data) if m.type == "note_on"]


@pytest.mark.parametrize("duration", [0.4, 3.0, 7.3, 12.0, 19.9, 31.7])
@pytest.mark.parametrize("mood", MOODS, ids=str)
def test_length_is_narration_plus_padding(mood, duration):
    score, data, arr = compose_arranged("", mood, "forest", duration, 7, 2, CTX)
    target = duration + CTX.padding_s
    assert abs(score.duration_s - target) <= arrange.SLACK_S + 1e-3 and arr.target_s == pytest.approx(target)
    assert midi.length_s(data) == pytest.approx(score.duration_s, abs=0.002)
    bar = 4 * 60 / score.tempo_bpm
    assert score.duration_s / bar == pytest.approx(arr.bars, abs=1e-3)  # whole bars
    assert len(score.progression) == arr.bars


def test_fit_bars_bends_the_tempo_least():
    # 12 s at 90 bpm is 4.5 bars; with 0.25 s slack, 4 bars allow 78.4-81.7 bpm and 5 bars
    # 98.0-102.1 bpm: 98.0 (5 bars in 12.25 s) is the nearer tempo
    n, tempo = arrange.fit_bars(12.0, 90.0)
    assert n == 5 and tempo == pytest.approx(240 * 5 / 12.25)
    assert arrange.fit_bars(12.0, 80.0) == (4, 80.0)  # inside the slack: the mood's own tempo
    assert arrange.fit_bars(2.0, 60.0) == (1, pytest.approx(240 / 2.25))
    assert arrange.fit_bars(0.05, 60.0)[0] == 1  # shorter than any bar: one bar, fastest tempo
    # monotone: a faster mood never gets a slower piece
    for target in (3.0, 7.5, 13.5, 24.0):
        tempos = [arrange.fit_bars(target, t)[1] for t in range(50, 140, 3)]
        assert tempos == sorted(tempos)


def test_happier_is_major_and_faster():
    for duration in (6.0, 11.0, 18.0):
        for seed in range(4):
            happy = compose_arranged("", Mood(0.8, 0.0), "garden", duration, seed, 1, CTX)[0]
            sad = compose_arranged("", Mood(-0.8, 0.0), "garden", duration, seed, 1, CTX)[0]
            assert theory.is_major(happy.mode) and not theory.is_major(sad.mode)
            assert happy.tempo_bpm > sad.tempo_bpm
    assert arrange.base_tempo(Mood(0.5, 0.2)) > arrange.base_tempo(Mood(-0.5, 0.2))


def test_calmer_is_slower_softer_and_sparser():
    for seed in range(4):
        calm, calm_midi, calm_arr = compose_arranged("", Mood(0.3, -0.8), "farm", 14.0, seed, 1, CTX)
        wild, wild_midi, wild_arr = compose_arranged("", Mood(0.3, 0.8), "farm", 14.0, seed, 1, CTX)
        assert calm.tempo_bpm < wild.tempo_bpm
        quiet, loud = all_velocities(calm_midi), all_velocities(wild_midi)
        assert sum(quiet) / len(quiet) < sum(loud) / len(loud) - 10
        assert calm_arr.density < wild_arr.density
        assert "drums" in wild.instruments and "drums" not in calm.instruments
        assert "pad" in calm.instruments


def _contour(pitches: list[int]) -> list[int]:
    uniq = [p for i, p in enumerate(pitches) if i == 0 or p != pitches[i - 1]]
    return [(b > a) - (b < a) for a, b in zip(uniq, uniq[1:])]


def test_leitmotif_returns_in_every_scene_varied_by_mood():
    lib = load_library()
    seen = set()
    for i, mood in enumerate(MOODS, start=1):
        score, data, arr = compose_arranged("", mood, "underwater", 16.0, 100 + i, i, CTX)
        motif = next(m for m in lib.melodies if m.id == arr.leitmotif)
        seen.add((arr.leitmotif, score.key))
        # the lead opens with the motif: same melodic contour in any mode, register or rhythm
        lead = [p for _, p, _ in track(data, "lead")]
        want = _contour([s for s, _, _ in motif.notes if s is not None])
        assert _contour(lead)[: len(want)] == want, mood
        quad = arrange.quadrant_key(mood)
        assert score.instruments["lead"] == lib.instruments_for("underwater").lead[quad]
    assert len(seen) == 1  # one tune and one key for the whole story
    others = {arrange.leitmotif(lib, hero, "underwater", 3)[0].id for hero in ("octopus", "crab", "turtle", "dolphin")}
    assert len(others | {next(iter(seen))[0]}) > 1  # heroes get different tunes
    low = compose_arranged("", Mood(-0.8, -0.8), "underwater", 16.0, 1, 1, CTX)[2].register
    high = compose_arranged("", Mood(0.9, 0.9), "underwater", 16.0, 1, 1, CTX)[2].register
    assert low < high


@pytest.mark.parametrize("bars, plays, gap", [
    (1, [], (0, 0)),  # one bar: only the held tonic
    (3, [(0, 2)], (2, 2)),  # cut a bar short: the last bar is the tonic
    (5, [(0, 4)], (4, 4)),
    (6, [(1, 4)], (5, 5)),  # a bar of introduction
    (10, [(1, 4)], (5, 9)),  # room for a counter-melody, not yet for the return
    (11, [(1, 4), (7, 4)], (5, 7)),  # the leitmotif returns to end the piece
])
def test_form(bars, plays, gap):
    assert arrange.plan_form(bars, 4) == (plays, gap)


def test_long_calm_scene_plays_the_motif_slowly_and_twice():
    score, data, arr = compose_arranged("", Mood(0.2, -0.9), "arctic", 40.0, 4, 1, CTX)
    assert arr.stretch == 2.0 and arr.counter  # 8 slow bars of leitmotif, then the counter-melody
    lead = track(data, "lead")
    assert lead[1][0] - lead[0][0] >= 2 * parts.T  # half speed: no note shorter than a half
    busy = compose_arranged("", Mood(0.2, 0.9), "arctic", 40.0, 4, 1, CTX)[2]
    assert busy.stretch == 1.0 and len(busy.leitmotif_bars) == 2


def test_melodies_fit_the_harmony():
    on, off = 0, 0
    for hero in ("dragon", "bee", "fox"):
        for mood in MOODS:
            score, data, _ = compose_arranged("", mood, "castle", 22.0, 9, 1, SceneContext(hero, 5))
            tonic = theory.PITCH_NAMES.index(score.key)
            scale = {(tonic + i) % 12 for i in theory.MODES[score.mode]}
            if not theory.is_major(score.mode):
                scale.add((tonic + 11) % 12)  # the leading tone under V
            for name in ("lead", "counter"):
                for tick, pitch, _ in track(data, name):
                    assert pitch % 12 in scale, (hero, mood, name)
                    bar, beat = divmod(tick, parts.BAR)
                    if beat % (2 * parts.T) == 0:  # beats 1 and 3
                        label = score.progression[bar].split("-")
                        numeral = label[0] if beat == 0 or len(label) == 1 else label[1]
                        hit = pitch % 12 in theory.parse_chord(numeral, score.mode).pitch_classes(tonic)
                        on, off = on + hit, off + (not hit)
    assert on / (on + off) > 0.9  # strong beats sit on chord tones


def test_midi_is_well_formed_and_deterministic():
    score, data, arr = compose_arranged("", Mood(0.4, 0.5), "jungle", 10.0, 3, 4, CTX)
    assert compose_arranged("", Mood(0.4, 0.5), "jungle", 10.0, 3, 4, CTX) == (score, data, arr)
    assert compose_arranged("", Mood(0.4, 0.5), "jungle", 10.0, 4, 4, CTX)[1] != data
    mid = midi.read_midi(data)
    names = [t[0].name for t in mid.tracks[1:]]
    assert names == [n for n in ("lead", "counter", "accomp", "pad", "bass", "drums") if n in score.instruments]
    end = arr.bars * parts.BAR
    for trk in mid.tracks[1:]:
        now, held = 0, set()
        for msg in trk:
            now += msg.time
            if msg.type == "note_on":
                held.add(msg.note)
            elif msg.type == "note_off":
                held.discard(msg.note)
        assert not held and now <= end
    assert (score.midi, score.backend, arr.kind) == ("audio/04-music.mid", "arranged", "arrangement")


def test_registry_and_compose_api():
    score, data = music.compose("", Mood(0.5, 0.5), "space", 8.0, 1, 1, backend="arranged", context=CTX)
    assert score.backend == "arranged" and data[:4] == b"MThd"
    full = music.compose_full("", Mood(0.5, 0.5), "space", 8.0, 1, 1, "arranged", CTX)
    assert full[:2] == (score, data) and full[2].hero == "mermaid"
    assert music.compose_full("", Mood(0.5, 0.5), "space", 8.0, 1, 1)[2] is None  # basic
    assert set(MUSIC.names()) >= {"basic", "arranged"}


@pytest.mark.parametrize("name, mood, theme, duration, seed", [
    ("happy_exciting", Mood(0.7, 0.7), "farm", 5.0, 11),
    ("sad_calm", Mood(-0.6, -0.7), "arctic", 6.0, 12),
])
def test_golden_midi(name, mood, theme, duration, seed):
    """The full message list for fixed seeds: any change to the arranger shows up here as a diff
    (regenerate with STORYGEN_UPDATE_GOLDEN=1 after checking the change is intended)."""
    score, data, _ = compose_arranged("", mood, theme, duration, seed, 1, SceneContext("hero", 1))
    text = f"# {score.key} {score.mode} {score.tempo_bpm} bpm {score.progression}\n" + midi.dump_midi(data)
    path = GOLDEN / f"music_arranged_{name}.txt"
    if UPDATE:
        path.write_text(text)
    assert text == path.read_text()
