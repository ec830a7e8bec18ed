"""The mix (narration + ducked music + sfx), the audio config, the new sound effects and the
audio stages with the `arranged` backend."""
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from storygen import io as sio
from storygen.audio import mix, sfx, stage
from storygen.cli.stages import mix as mix_cmd
from storygen.audio.config import AudioConfig, MixSettings, audio_config, check
from storygen.config import CONFIG_DIR, load_config
from storygen.errors import ConfigError, RecordError
from storygen.records import Arrangement, Narration, Plan, Prompt, Story
from storygen.book_paths import BookPaths
from storygen.audio.wav import decode_wav, encode_wav

RATE = 44100


def _speech(seconds: float, rate: int, spans) -> np.ndarray:
    """A stand-in narration: 200 Hz bursts over `spans`, silence elsewhere."""
    t = np.arange(int(seconds * rate)) / rate
    on = np.zeros_like(t)
    for a, b in spans:
        on[(t >= a) & (t < b)] = 1.0
    return (0.8 * on * np.sin(2 * np.pi * 200 * t)).astype(np.float32)


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)))


def test_resample_keeps_pitch_and_length():
    x = np.sin(2 * np.pi * 1000 * np.arange(22050) / 22050).astype(np.float32)
    y = mix.resample(x, 22050, 44100)
    assert len(y) == 44100
    crossings = np.sum(np.diff(np.sign(y[100:-100])) != 0) / (len(y) - 200) * 44100 / 2
    assert crossings == pytest.approx(1000, rel=0.01)
    assert _rms(y) == pytest.approx(_rms(x), rel=0.01)
    assert mix.resample(x, 22050, 22050) is not x and np.array_equal(mix.resample(x, 22050, 22050), x)


def test_music_ducks_under_speech_and_mix_never_clips():
    cfg = MixSettings()
    voice = _speech(6.0, 22050, [(1.0, 3.0)])
    music = np.stack([np.full(7 * RATE, 0.9, np.float32)] * 2, axis=1)  # loud, constant: no clipping allowed
    noise = np.random.default_rng(0).standard_normal(7 * RATE).astype(np.float32) * 0.3
    out = mix.mix_scene(voice, 22050, music, noise, RATE, cfg)
    assert out.shape == (7 * RATE, 2) and out.dtype == np.float32
    assert np.max(np.abs(out)) == pytest.approx(mix.db(cfg.peak_dbfs), rel=1e-5)
    # the music is the only DC in the mix (a whole number of 200 Hz cycles and white noise
    # average to ~0): its level under the speech vs in the silence after it
    under = float(np.mean(out[int(1.5 * RATE):int(2.5 * RATE), 0]))
    free = float(np.mean(out[int(5.0 * RATE):int(6.0 * RATE), 0]))
    assert 20 * np.log10(under / free) == pytest.approx(cfg.duck_db, abs=1.0)
    # the duck starts before the first word (lead_s) and has recovered a second after the last
    curve = mix.duck_curve(mix.speech_activity(mix.resample(voice, 22050, RATE), RATE), 7 * RATE, RATE, cfg)
    assert curve[int(0.99 * RATE)] < 0.9 and curve[int(0.5 * RATE)] > 0.99 and curve[int(4.5 * RATE)] > 0.9
    assert np.array_equal(out, mix.mix_scene(voice, 22050, music, noise, RATE, cfg))  # deterministic


def test_audio_config_loads_and_checks(tmp_path):
    cfg = audio_config()
    assert cfg == load_config(CONFIG_DIR / "audio.yaml", AudioConfig) and cfg.mood_backend == "lexicon"
    bad = tmp_path / "audio.yaml"
    bad.write_text("music: {padding_s: -1}\n")
    with pytest.raises(ConfigError, match="padding_s must be between 0 and 10"):
        audio_config(str(bad))
    bad.write_text("mix: {duck_db: 3}\n")
    with pytest.raises(ConfigError, match="must be <= 0 dB"):
        audio_config(str(bad))
    bad.write_text("music: {tempo: 3}\n")
    with pytest.raises(ConfigError, match="unknown key"):
        audio_config(str(bad))
    assert check(AudioConfig()) == AudioConfig()


# ---------------------------------------------------------------- sound-effect library

REQUIRED_TAGS = {"splash", "bubbles", "giggle", "whoosh", "roar", "twinkle", "knock", "footsteps", "wind"}


def test_sfx_library_has_forty_tags_incl_required_and_gm():
    manifest = sfx.load_manifest()
    assert len(manifest.sounds) >= 40 and REQUIRED_TAGS <= set(manifest.sounds)
    gm = [sid for sid, spec in manifest.sounds.items() if any(l.type == "gm" for l in spec.layers)]
    assert set(gm) >= {"fanfare", "surf", "drumroll", "harp"}
    index = sfx.trigger_index(manifest)
    for word, sound in [("giggled", "giggle"), ("roared", "roar"), ("twinkling", "twinkle"),
                        ("meowed", "meow"), ("trumpet", "fanfare"), ("croaked", "ribbit"),
                        ("snoring", "snore"), ("galloped", "gallop"), ("sparkled", "sparkle")]:
        assert sfx.find_sound(word, index) == sound, word
    fanfare = sfx.synth_sound("fanfare", 1)
    assert np.array_equal(fanfare, sfx.synth_sound("fanfare", 1)) and _rms(fanfare) > 0.1


@pytest.mark.parametrize("layer, message", [
    ("{type: gm, program: 56}", "needs `notes`"),
    ("{type: gm, program: 200, notes: [[0, 60, 1, 90]]}", "program` 0-127"),
    ("{type: gm, notes: [[0, 60, 0, 90]]}", "out of range"),
])
def test_gm_layer_errors(tmp_path, layer, message):
    path = tmp_path / "manifest.yaml"
    path.write_text(f"sample_rate: 44100\nsounds:\n  x: {{description: d, triggers: [x], layers: [{layer}]}}\n")
    with pytest.raises(ConfigError, match=message):
        sfx.load_manifest(str(path))


# ---------------------------------------------------------------- stages


def _story(seed: int = 2) -> Story:
    prompt = Prompt(theme="farm", hero="pig", color="pink", adjective="silly", seed=seed)
    scenes = ("The silly pig giggled and rolled in the mud!", "Then he was sad and lonely.",
              "A cow mooed. They laughed and danced at the party!")
    return Story(prompt=prompt, plan=Plan(prompt=prompt, scenes=((),) * 3, backend="t", seed=seed),
                 title="Mud", scenes=scenes, chosen=0, scores=(), ranker="t")


def _fake_narration(book: Path, story: Story) -> None:
    """Narration files without TTS (fast): tone bursts at estimated word times."""
    from storygen.audio.narrate import estimate_timings

    for i, text in enumerate(story.scenes, start=1):
        duration, words = estimate_timings(text)
        voice = _speech(duration, 22050, [(w.start, w.end) for w in words])
        wav = BookPaths(book).audio(i, "narration.wav")
        sio.write_bytes(wav, encode_wav(voice, 22050))
        sio.write_record(BookPaths(book).audio(i, "narration.json"), Narration(
            index=i, text=text, wav=f"audio/{i:02d}-narration.wav", duration_s=duration,
            sample_rate=22050, words=words, backend="fake", voice="tone"))


def test_arranged_stages_and_mix_write_files(tmp_path):
    story = _story()
    books = [tmp_path / "a", tmp_path / "b"]
    for book in books:
        _fake_narration(book, story)
        scores = stage.run_music(story, book, backend="arranged")
        stage.run_sfx(story, book)
        paths = stage.run_mix(story, book)
    a = {p.name: p.read_bytes() for p in sorted((books[0] / "audio").iterdir())}
    b = {p.name: p.read_bytes() for p in sorted((books[1] / "audio").iterdir())}
    assert a == b  # JSON, MIDI and WAV byte-identical
    assert {n for n in a if n.startswith("01-")} == {f"01-{n}" for n in (
        "narration.wav", "narration.json", "music.mid", "music.wav", "music.json", "arrangement.json",
        "sfx.json", "sfx.wav", "mix.wav")}
    arrangements = [sio.read_record(BookPaths(books[0]).audio(i, "arrangement.json"), Arrangement)
                    for i in (1, 2, 3)]
    assert len({x.leitmotif for x in arrangements}) == 1 and arrangements[0].hero == "pig"
    assert scores[1].mode in ("minor", "dorian") and scores[0].mode in ("major", "mixolydian", "lydian")
    for i, (score, path) in enumerate(zip(scores, paths), start=1):
        narration = sio.read_record(BookPaths(books[0]).audio(i, "narration.json"), Narration)
        assert abs(score.duration_s - (narration.duration_s + 1.5)) < 0.5
        samples, rate = decode_wav(path.read_bytes())
        assert rate == 44100 and samples.shape == (round(score.duration_s * 44100), 2)
        assert np.max(np.abs(samples)) == pytest.approx(10 ** (-1 / 20), abs=1e-3)


def test_mix_needs_its_inputs(tmp_path):
    story = _story()
    _fake_narration(tmp_path, story)
    with pytest.raises(RecordError, match="run `storygen music` first"):
        stage.run_mix(story, tmp_path)
    stage.run_music(story, tmp_path, backend="arranged")
    with pytest.raises(RecordError, match="run `storygen sfx` first"):
        stage.run_mix(story, tmp_path)
    assert not list((tmp_path / "audio").glob("*mix*"))


def test_mix_command(tmp_path, consented):
    story = _story()
    sio.write_record(tmp_path / "story.json", story)
    _fake_narration(tmp_path, story)
    stage.run_music(story, tmp_path, backend="arranged")
    stage.run_sfx(story, tmp_path)
    result = CliRunner().invoke(mix_cmd, [str(tmp_path)])
    assert result.exit_code == 0 and "mixed 3 scenes" in result.output
    assert (tmp_path / "audio" / "03-mix.wav").is_file()


def test_library_group_has_melodies_command():
    from storygen.cli.library import library

    assert "melodies" in library.commands
    result = CliRunner().invoke(library, ["melodies", "--help"])
    assert result.exit_code == 0 and "music21" in result.output
