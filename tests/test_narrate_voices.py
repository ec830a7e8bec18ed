"""The voices: hibari's storyteller beside piper's joe, chosen by name (--voice, settings, studio).

hibari runs ~100x faster than real time, so these tests narrate for real; joe (piper) is
exercised by tests/test_audio_basic.py and here only through the CLI on short scenes.
"""
from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from storygen import config
from storygen.audio import hibari_voice, narrate, narrators, voices, word_timing
from storygen.audio.wav import decode_wav
from storygen.cli import main
from storygen.errors import BackendError, ConfigError
from storygen.io import read_record, write_record
from storygen.records import Narration

from .samples import NARRATION, STORY

TWO = "The little owl looked up at the moon. Then she flew home to bed."


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch, tmp_path):
    """Any attempt by hibari to fetch a voice fails the test, and its cache is an empty folder."""
    import hibari.voices

    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "hibari-cache"))

    def refuse(*args, **kwargs):
        raise AssertionError(f"hibari tried to download {args}")

    monkeypatch.setattr(hibari.voices, "download", refuse)


def _db(samples: np.ndarray, rate: int, start: float, end: float) -> float:
    part = samples[int(start * rate): int(end * rate)].astype(np.float64)
    return 20 * np.log10(np.sqrt(np.mean(part ** 2)) + 1e-9)


def test_hibari_narrates_with_monotone_timings_inside_the_audio():
    a = narrate.synthesize(TWO, "hibari")
    assert (a.backend, a.voice, a.sample_rate) == ("hibari", "heart", 24000)
    assert [w.word for w in a.words] == word_timing.words_of(TWO)
    pace = narrators.STORYTELLER_PACE
    assert a.words[0].start >= pace.lead_in_s - 1e-9 and a.words[-1].end <= a.duration_s - pace.tail_s + 0.01
    assert all(w.start < w.end for w in a.words)
    assert all(p.end <= n.start for p, n in zip(a.words, a.words[1:]))
    # the sentence boundary in the timings is the silence in the audio: ~0.7 s below -50 dB,
    # and speech on both sides of it
    last, first = a.words[7], a.words[8]  # "moon" | "Then"
    assert first.start - last.end >= pace.sentence_gap_s - 0.01
    x = a.samples
    assert _db(x, a.sample_rate, last.end + 0.05, first.start - 0.05) < -50
    assert _db(x, a.sample_rate, last.start, last.end) > -35
    assert _db(x, a.sample_rate, first.start, first.end) > -35
    assert np.max(np.abs(x)) <= hibari_voice.PEAK + 1e-6  # levelled, never clipped


def test_hibari_is_deterministic_bytes_twice(tmp_path):
    one = narrate.narrate(TWO, tmp_path / "a.wav", backend="hibari")
    two = narrate.narrate(TWO, tmp_path / "b.wav", backend="hibari")
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    assert one.words == two.words and one.duration_s == two.duration_s
    # a sentence sounds the same wherever it stands (a fresh seed-0 generator per sentence)
    scene = narrate.synthesize(TWO, "hibari")
    alone = narrate.synthesize("Then she flew home to bed.", "hibari")
    pace, rate = narrators.STORYTELLER_PACE, alone.sample_rate
    speech = alone.samples[int(pace.lead_in_s * rate): len(alone.samples) - int(pace.tail_s * rate)]
    assert len(speech) > rate and np.array_equal(scene.samples[-int(pace.tail_s * rate) - len(speech):
                                                               -int(pace.tail_s * rate)], speech)


def test_wpm_is_recorded_in_a_sane_range(tmp_path):
    rec = narrate.narrate(STORY.scenes[0], tmp_path / "audio/01-narration.wav", backend="hibari",
                          book_dir=tmp_path)
    assert rec.wpm == narrate.words_per_minute(rec.words)
    assert 110 <= rec.wpm <= 190  # a read-aloud pace: measured ~150 on corpus scenes
    assert read_record(_write(tmp_path, rec), Narration).wpm == rec.wpm


def _write(tmp_path: Path, rec: Narration) -> Path:
    path = tmp_path / "rec.json"
    write_record(path, rec)
    return path


def test_older_narration_files_without_wpm_still_load(tmp_path):
    data = NARRATION.to_dict()
    del data["wpm"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    assert read_record(path, Narration).wpm == 0.0
    assert narrate.words_per_minute(NARRATION.words) == 0.0  # one word: no pace to report


def test_hibari_refuses_voices_that_would_download():
    with pytest.raises(BackendError, match="not available offline.*'heart'"):
        narrate.synthesize("Hi there.", "hibari", voice="emma")
    for name in ("fenrir", "kore", "af_heart", "../heart"):
        with pytest.raises(BackendError, match="never does"):
            hibari_voice.check_voice(name)
    assert hibari_voice.check_voice(None) == hibari_voice.check_voice("heart") == "heart"
    with pytest.raises(BackendError, match="one voice here"):
        narrate.synthesize("Hi there.", "piper", voice="heart")
    assert not Path(os.environ["HIBARI_HOME"]).exists()  # nothing was cached or fetched


def test_misaki_phonemes_become_espeak_ipa():
    assert hibari_voice.to_ipa("hˈAv mI ʤˈʌmp ˈWl bˈʌbᵊlz") == "hˈeɪv maɪ dʒˈʌmp ˈaʊl bˈʌbəlz"
    _, ipa = hibari_voice.speak("Have you seen my shell?")
    assert len(word_timing.ipa_word_weights(ipa)) == 5 and not set("AIOWYᵊ") & set(ipa)


# ---------------------------------------------------------------- choosing a voice


def test_voice_table_matches_settings_names_and_registry():
    from storygen.backends import NARRATORS

    assert {n: v.backend for n, v in voices.VOICES.items()} == config.VOICE_NAMES
    assert all(v.backend in NARRATORS.names() for v in voices.VOICES.values())
    listed = voices.list_voices()
    assert [n for n, _ in listed][0] == config.settings().voice  # the default first
    assert {n for n, _ in listed} == {"storyteller", "joe"} and all(d for _, d in listed)


def test_narration_choice_from_voice_backend_or_settings():
    s = config.settings()
    assert voices.narration_choice(s, "joe") == ("piper", "en_US-joe-medium")
    assert voices.narration_choice(s, None, "espeak") == ("espeak", None)
    assert voices.narration_choice(voices.with_voice(s, "storyteller")) == ("hibari", "heart")
    joe = voices.with_voice(s, "joe")
    assert joe.voice == "joe" and joe.backends.narration == "piper"
    with pytest.raises(Exception, match="give one of --voice or --backend"):
        voices.narration_choice(s, "storyteller", "piper")


@pytest.mark.parametrize("text, fragments", [
    ("voice: robot\n", ["voice: 'robot' is not a voice", "choose one of: storyteller, joe"]),
    ("voice: joe\nbackends:\n  narration: hibari\n", ["voice: 'joe'", "backends.narration is 'hibari'"]),
    ("backends:\n  narration: festival\n", ["backends.narration: 'festival'", "espeak, hibari, piper"]),
])
def test_settings_voice_is_validated_at_load(tmp_path, text, fragments):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        config.settings(str(path))
    assert str(path) in str(err.value) and all(f in str(err.value) for f in fragments)


def test_settings_voice_sets_the_backend(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("voice: joe\n")
    assert config.settings(str(path)).backends.narration == "piper"
    shipped = config.settings(str(config.CONFIG_DIR / "default.yaml"))
    assert (shipped.voice, shipped.backends.narration) == ("storyteller", "hibari")


# ---------------------------------------------------------------- the commands


@pytest.fixture
def book(tmp_path, consented):
    folder = tmp_path / "book"
    write_record(folder / "story.json", STORY)
    return folder


def test_narrate_voice_on_the_cli(book):
    result = run("narrate", book, "--voice", "storyteller")
    assert result.exit_code == 0, result.output
    line = " ".join(result.output.split())
    assert "narrated 5 scenes, hibari heart," in line and "words per minute" in line
    recs = [read_record(book / f"audio/{n:02d}-narration.json", Narration) for n in range(1, 6)]
    assert all((r.backend, r.voice, r.sample_rate) == ("hibari", "heart", 24000) for r in recs)
    assert f"{narrate.overall_wpm(recs):.0f} words per minute" in line
    assert decode_wav((book / "audio/01-narration.wav").read_bytes())[1] == 24000

    result = run("narrate", book, "--voice", "joe")
    assert result.exit_code == 0, result.output
    assert "piper en_US-joe-medium" in " ".join(result.output.split())
    joe = read_record(book / "audio/01-narration.json", Narration)
    assert joe.backend == "piper" and joe.wpm > 0
    assert run("narrate", book, "--backend", "hibari").exit_code == 0  # --backend still works


@pytest.mark.parametrize("args", [["--voice", "robot"], ["--voice", "emma"]])
def test_bad_voice_names_the_choices_and_writes_nothing(book, tmp_path, args):
    result = run("narrate", book, *args)
    assert result.exit_code == 2 and "storyteller" in result.output and "joe" in result.output
    assert not (book / "audio").exists()
    out = tmp_path / "books"
    result = run("make", "--theme", "underwater", "--hero", "mermaid", "--color", "teal",
                 "--adj", "silly", "--out", out, *args)
    assert result.exit_code == 2 and "storyteller" in result.output and "joe" in result.output
    assert not out.exists()


def test_voice_and_backend_that_disagree_exit_2(book):
    result = run("narrate", book, "--voice", "storyteller", "--backend", "piper")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--voice storyteller is spoken by the hibari backend" in " ".join(result.output.split())
    assert not (book / "audio").exists()


def test_a_non_bundled_hibari_voice_reaching_the_cli_exits_2(book, monkeypatch):
    monkeypatch.setattr(voices, "narration_choice", lambda *a, **k: ("hibari", "emma"))
    result = run("narrate", book)
    assert result.exit_code == 2 and "not available offline" in " ".join(result.output.split())
    assert not (book / "audio").exists()


def test_make_passes_the_voice(monkeypatch, consented, tmp_path):
    import storygen.pipeline

    seen = {}

    def fake_make_book(prompt, out_root, settings, force=False, on_stage=lambda s: None):
        seen["choice"] = voices.narration_choice(settings)
        return tmp_path / "b", True

    monkeypatch.setattr(storygen.pipeline, "make_book", fake_make_book)
    picks = ["--theme", "underwater", "--hero", "mermaid", "--color", "teal", "--adj", "silly"]
    assert run("make", *picks, "--voice", "joe").exit_code == 0
    assert seen["choice"] == ("piper", "en_US-joe-medium")
    assert run("make", *picks).exit_code == 0
    assert seen["choice"] == ("hibari", "heart")  # the default in the settings


def test_epub_from_the_storyteller(tmp_path, consented):
    """The EPUB's MP3s and Media Overlays from real hibari narration (24 kHz, longer pauses)."""
    from storygen.mp3 import mp3_duration_s, mp3_info

    from .test_epub import make_epub_book

    book = make_epub_book(tmp_path)
    assert run("narrate", book, "--voice", "storyteller").exit_code == 0
    result = run("book", book, "--epub")
    assert result.exit_code == 0, result.output
    z = zipfile.ZipFile(book / "book.epub")
    for n in range(1, 6):
        data = z.read(f"EPUB/audio/{n:02d}.mp3")
        rec = read_record(book / f"audio/{n:02d}-narration.json", Narration)
        assert mp3_info(data)[0] == 24000
        assert abs(mp3_duration_s(data) - rec.duration_s) < 0.1
        smil = z.read(f"EPUB/p{n:02d}.smil").decode()
        ends = [float(e) for e in re.findall(r'clipEnd="([\d.]+)s?"', smil)]
        assert ends and max(ends) <= rec.duration_s + 1e-6
