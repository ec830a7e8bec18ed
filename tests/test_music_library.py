"""The composed music library (library/music), music theory helpers and the melody model."""
import random
import shutil

import pytest
import yaml

from storygen.audio import library as libmod
from storygen.audio import melody, theory
from storygen.audio.library import load_library
from storygen.errors import ConfigError, RecordError
from storygen.options import load_options


def test_library_sizes_and_coverage():
    lib = load_library()
    assert len(lib.progressions) >= 40 and len(lib.accompaniment) >= 20
    assert len(lib.bass) >= 8 and len(lib.drums) >= 8
    assert set(load_options().themes) <= set(lib.instruments)
    for family in (theory.MAJOR_FAMILY, theory.MINOR_FAMILY):
        progs = [p for p in lib.progressions if p.mode in family]
        for tag in ("calm", "exciting", "tender"):
            assert any(tag in p.moods for p in progs), (family, tag)
    assert {p.cadence for p in lib.progressions} == set(libmod.CADENCES)
    assert {p.energy for p in lib.accompaniment} == {0, 1, 2, 3}


def test_melody_library_tags_and_shape():
    mels = load_library().melodies
    assert len(mels) >= 200 and len({m.id for m in mels}) == len(mels)
    assert {m.mode for m in mels} == {"major", "minor"} and {m.bars for m in mels} == {4, 6, 8}
    assert {m.energy for m in mels} >= {"low", "mid"}
    for m in mels:
        sounding = [n for n in m.notes if n[0] is not None]
        assert sum(n[2] for n in m.notes) == 4 * m.bars
        assert sounding[-1][0] % 7 == 0 and sounding[-1] == m.notes[-1]  # ends on the tonic
        assert 0 < m.range <= 17


def _copy_library(tmp_path):
    root = tmp_path / "music"
    shutil.copytree(libmod.MUSIC_DIR, root)
    return root


@pytest.mark.parametrize("file, old, new, message", [
    ("progressions.yaml", "chords: [I, V, vi, IV]", "chords: [I, V, vi, XI]", "not a roman numeral"),
    ("progressions.yaml", "moods: [happy, exciting, playful]", "moods: [happy, spooky]", "mood tags"),
    ("progressions.yaml", "mode: major, chords: [I, V, vi, IV]", "mode: locrian, chords: [I, V, vi, IV]", "mode 'locrian'"),
    ("progressions.yaml", "id: doo-wop", "id: four-chord-pop", "listed twice"),
    ("patterns.yaml", "events: [[0, 4, all]]}", "events: [[2, 4, all]]}", "does not fit"),
    ("patterns.yaml", "[0, triangle, 0]", "[0, gong, 0]", "drum event"),
    ("patterns.yaml", "events: [[0, 4, R]]}", "events: [[0, 4, Q]]}", "bass note 'Q'"),
    ("instruments.yaml", "sad_exciting: 68}\n    counter: 75", "sad_excited: 68}\n    counter: 75", "lead needs exactly"),
    ("instruments.yaml", "counter: 75", "counter: 128", "not a General MIDI program"),
    ("instruments.yaml", "drums: [shaker-soft, triangle-twinkle, jungle-congas, pop-beat]",
     "drums: [samba]", "drum patterns"),
    ("progressions.yaml", "cadence: half}", "cadence: half, tempo: 3}", "unknown key"),
])
def test_library_validation_errors(tmp_path, file, old, new, message):
    root = _copy_library(tmp_path)
    path = root / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ConfigError, match=message):
        load_library(str(root))


def test_melody_file_errors(tmp_path):
    root = _copy_library(tmp_path)
    path = root / "melodies" / "melodies.yaml"
    data = yaml.safe_load(path.read_text())
    data["melodies"][0]["notes"] = data["melodies"][0]["notes"][:-1]
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper))
    with pytest.raises(ConfigError, match="lasts .* beats, not 4 bars"):
        load_library(str(root))
    path.unlink()
    with pytest.raises(ConfigError, match="storygen library melodies"):
        load_library(str(root))


# ---------------------------------------------------------------- theory


def test_chords_in_modes():
    assert theory.parse_chord("IV", "major").pitch_classes(0) == [5, 9, 0]
    assert theory.parse_chord("bVII", "major").pitch_classes(0) == [10, 2, 5]
    assert theory.parse_chord("V7", "minor").pitch_classes(9) == [4, 8, 11, 2]  # E G# B D in A minor
    assert theory.parse_chord("vii°", "major").pitch_classes(0) == [11, 2, 5]
    assert theory.parse_chord("Isus4", "major").pitch_classes(2) == [2, 7, 9]
    assert theory.parse_chord("Iadd9", "major").pitch_classes(0) == [0, 4, 7, 2]
    assert theory.diatonic_chords("major") == ["I", "ii", "iii", "IV", "V", "vi", "vii°"]
    assert theory.diatonic_chords("dorian") == ["i", "ii", "III", "IV", "v", "vi°", "VII"]
    assert theory.key_name(9, "minor") == "Am" and theory.key_name(7, "mixolydian") == "G"
    assert theory.step_pitch(-1, 1, 60, "minor") == 59 and theory.step_pitch(9, 0, 60, "major") == 76
    with pytest.raises(ConfigError, match="Unknown mode"):
        theory.parse_chord("I", "ionian")


def test_harmonise_follows_the_tune_and_the_progression():
    c_major_arpeggio = [[(0.0, 2.0, 60), (2.0, 2.0, 67)], [(0.0, 2.0, 65), (2.0, 2.0, 69)],
                        [(0.0, 1.0, 67), (1.0, 1.0, 71), (2.0, 2.0, 74)], [(0.0, 4.0, 72)]]
    got = theory.harmonise(c_major_arpeggio, "major", 0, ["I", "IV", "I", "V"])
    assert got == [("I", "I"), ("IV", "IV"), ("V", "V"), ("I", "I")]
    # an empty bar (a rest) keeps the progression's chord
    assert theory.harmonise([[(0.0, 4.0, None)], [(0.0, 4.0, 60)]], "major", 0, ["vi", "I"]) == [
        ("vi", "vi"), ("I", "I")]
    assert theory.bar_label(("I", "V")) == "I-V" and theory.bar_label(("ii", "ii")) == "ii"


# ---------------------------------------------------------------- melody model

TUNES = [  # (step, alter, beats): two tiny folk-like tunes, 4 bars each
    [(0, 0, 1.0), (1, 0, 1.0), (2, 0, 1.0), (0, 0, 1.0), (0, 0, 1.0), (1, 0, 1.0), (2, 0, 1.0),
     (0, 0, 1.0), (2, 0, 1.0), (3, 0, 1.0), (4, 0, 2.0), (4, 0, 1.0), (1, 0, 1.0), (0, 0, 2.0)],
    [(4, 0, 0.5), (4, 0, 0.5), (5, 0, 1.0), (4, 0, 1.0), (2, 0, 1.0), (1, 0, 1.0), (2, 0, 1.0),
     (0, 0, 2.0), (None, 0, 1.0), (4, 0, 1.0), (3, 0, 1.0), (2, 0, 1.0), (1, 0, 1.0), (0, 0, 4.0)],
]


def test_markov_model_counts_and_distribution():
    model = melody.MarkovModel.train(TUNES, order=2)
    assert model.tunes == 2 and sum(model.unigram.values()) == sum(len(t) for t in TUNES)
    dist = model.distribution("0", ["0,0,1", "1,0,1"])
    assert sum(dist.values()) == pytest.approx(1.0)
    assert max(dist, key=dist.get) == "2,0,1"  # both times 0 1 led to 2
    assert model.counts[0]["0"]["0,0,1"] >= 1
    again = melody.MarkovModel.from_json(model.to_json())
    assert again.to_json() == model.to_json()
    with pytest.raises(RecordError, match="Not a melody model"):
        melody.MarkovModel.from_json('{"format": "other"}')


def test_generated_melodies_obey_the_rules():
    model = melody.MarkovModel.train(TUNES * 3, order=2)
    for bars in (4, 8):
        notes = melody.generate_melody(model, bars, random.Random(5))
        assert notes == melody.generate_melody(model, bars, random.Random(5))  # seeded
        assert sum(n[2] for n in notes) == 4 * bars
        offset = 0.0
        for step, _, beats in notes:  # no note crosses a bar line
            assert int(offset // 4) == int((offset + beats - 1e-9) // 4)
            offset += beats
        last = notes[-1]
        assert last[0] % 7 == 0 and (4 * bars - last[2]) % 4 in (0.0, 2.0)  # tonic on beat 1 or 3
        steps = [n[0] for n in notes if n[0] is not None]
        assert max(steps) - min(steps) <= melody.MAX_SPAN
    tags = melody.describe(TUNES[0], "major")
    assert tags == {"energy": "low", "range": 7, "density": 0.875}


# ---------------------------------------------------------------- training on the corpus (music21)

ABC_MAJOR = """X:1
T: TEST
M: 2/4
L: 1/8
K: G
D | G2 AB | c2 BA | G2 B2 | d4 | c2 A2 | B2 G2 | A2 F2 | G4 |]"""


def test_tune_from_abc_reads_steps_and_drops_the_pickup():
    pytest.importorskip("music21")
    from storygen.audio import melody_train

    tune = melody_train.tune_from_abc("t#1", ABC_MAJOR)
    assert tune is not None and tune.mode == "major"
    # the pickup D is dropped; G A B c B A G B d c A B G A F# G as steps of G major
    assert [n[0] for n in tune.notes] == [0, 1, 2, 3, 2, 1, 0, 2, 4, 3, 1, 2, 0, 1, -1, 0]
    assert [n[2] for n in tune.notes][:4] == [1.0, 0.5, 0.5, 1.0] and tune.notes[-1] == (0, 0, 2.0)
    modal = ABC_MAJOR.replace("G4 |]", "A4 |]")  # ends on the 2nd degree: modal, skipped
    assert melody_train.tune_from_abc("t#2", modal) is None
    triplets = ABC_MAJOR.replace("G2 AB", "(3GAB G2")  # triplets are outside the duration set
    assert melody_train.tune_from_abc("t#3", triplets) is None


def test_minor_tune_keeps_its_leading_tone():
    pytest.importorskip("music21")
    from storygen.audio import melody_train

    abc = ABC_MAJOR.replace("K: G", "K: Am").replace("d4", "e4").replace("G4 |]", "A4 |]")
    abc = abc.replace("A2 F2", "^G2 B2")
    tune = melody_train.tune_from_abc("t#4", abc)
    assert tune is not None and tune.mode == "minor"
    assert (-1, 1, 1.0) in tune.notes  # G# below the tonic A: step -1 raised


@pytest.mark.slow
def test_melody_library_rebuild_is_reproducible(tmp_path):
    """`storygen library melodies` again (about 90 s): the same seed writes the same library."""
    pytest.importorskip("music21")
    from storygen.audio import melody_train

    report = melody_train.build(seed=0, library_dir=tmp_path / "lib", model_dir=tmp_path / "model")
    assert report["melodies"] >= 200 and report["model_bytes"] < 5_000_000
    assert (tmp_path / "lib" / "melodies.yaml").read_bytes() == (libmod.MUSIC_DIR / "melodies" / "melodies.yaml").read_bytes()
    assert (tmp_path / "model" / "markov.json").read_bytes() == (melody_train.MODEL_DIR / "markov.json").read_bytes()
