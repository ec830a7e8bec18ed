"""Pipeline entry points for the audio stages: story.json -> files in the book's audio/ folder.

  run_narrate  audio/NN-narration.wav + .json (duration, word timings)
  run_music    audio/NN-music.mid + .wav + .json (+ NN-arrangement.json for `arranged`)
  run_sfx      audio/NN-sfx.json + .wav
  run_mix      audio/NN-mix.wav: narration + ducked music + sfx (run after the three above)
Settings (mood backend, padding, synth, mix levels) come from configs/audio.yaml.

Scene indices are 1-based, as in the file names: scene 1 -> audio/01-narration.wav.
Seeds: scene i uses story.prompt.seed + i, so one scene can be regenerated alone.
All files are written atomically through storygen.io.
"""
from __future__ import annotations

from pathlib import Path

from .. import io as sio
from ..book_paths import BookPaths, audio_name
from ..errors import RecordError
from ..records import MusicScore, Narration, SfxCues, Story, WordTiming
from . import synth
from .arrange import SceneContext
from .config import AudioConfig, audio_config
from .mix import mix_scene
from .mood import estimate_mood
from .music import compose_full
from .narrate import estimate_timings, narrate
from .sfx import load_manifest, mix_cues, plan_sfx
from .wav import decode_wav, encode_wav

MAX_SCENE_S = 600.0  # no scene is read aloud for longer than this


def run_narrate(story: Story, book_dir: Path, backend: str = "piper",
                voice: str | None = None) -> list[Narration]:
    """Writes audio/NN-narration.wav and audio/NN-narration.json for every scene. `voice` is the
    backend's own voice id (audio/voices.py maps the names people choose); None: its default."""
    out = []
    for index, text in enumerate(story.scenes, start=1):
        record = narrate(text, BookPaths(book_dir).audio(index, "narration.wav"), backend=backend,
                         index=index, book_dir=Path(book_dir), voice=voice)
        sio.write_record(BookPaths(book_dir).audio(index, "narration.json"), record)
        out.append(record)
    return out


def scene_timing(book_dir: Path, index: int, text: str) -> tuple[float, tuple[WordTiming, ...]]:
    """Narration length and word times from audio/NN-narration.json; without one (narration
    not run yet), an estimate at 2.5 words per second."""
    path = BookPaths(book_dir).audio(index, "narration.json")
    if path.exists():
        record = sio.read_record(path, Narration)
        # An edited length would size music and effects to it (1e12 s never ends): refuse it.
        ok = 0 < record.duration_s <= MAX_SCENE_S and all(
            0 <= w.start <= w.end <= record.duration_s + 1 for w in record.words)
        if not ok:
            raise RecordError(f"{path}: duration {record.duration_s} s or a word's timing is out of"
                              f" range (0..{MAX_SCENE_S:.0f} s); run `storygen narrate {book_dir}` again")
        return record.duration_s, record.words
    return estimate_timings(text)


def run_music(story: Story, book_dir: Path, backend: str = "basic",
              synth_backend: str | None = None, config: AudioConfig | None = None) -> list[MusicScore]:
    """Writes audio/NN-music.mid, .wav and .json for every scene (+ NN-arrangement.json when the
    backend explains itself). The mood comes from config.mood_backend, the length from the
    narration (or an estimate) plus config.music.padding_s."""
    cfg = config or audio_config()
    out = []
    for index, text in enumerate(story.scenes, start=1):
        duration, _ = scene_timing(book_dir, index, text)
        mood = estimate_mood(text, cfg.mood_backend)
        context = SceneContext(hero=story.prompt.hero, story_seed=story.prompt.seed,
                               padding_s=cfg.music.padding_s)
        score, midi, arrangement = compose_full(text, mood, story.prompt.theme, duration,
                                                story.scene_seed(index), index, backend, context)
        sio.write_bytes(Path(book_dir) / score.midi, midi)
        sio.write_bytes(Path(book_dir) / score.wav,
                        synth.render_wav(midi, score.duration_s, backend=synth_backend or cfg.music.synth,
                                         reverb=cfg.music.reverb))
        sio.write_record(BookPaths(book_dir).audio(index, "music.json"), score)
        if arrangement is not None:
            sio.write_record(BookPaths(book_dir).audio(index, "arrangement.json"), arrangement)
        out.append(score)
    return out


def run_sfx(story: Story, book_dir: Path, backend: str = "basic") -> list[SfxCues]:
    """Writes audio/NN-sfx.json and audio/NN-sfx.wav (the narration's length) for every scene."""
    out = []
    rate = load_manifest().sample_rate
    for index, text in enumerate(story.scenes, start=1):
        duration, words = scene_timing(book_dir, index, text)
        seed = story.scene_seed(index)
        cues = plan_sfx(text, words, duration, seed, index, backend=backend)
        samples = mix_cues(list(cues.cues), cues.duration_s, seed)
        sio.write_bytes(Path(book_dir) / cues.wav, encode_wav(samples, rate))
        sio.write_record(BookPaths(book_dir).audio(index, "sfx.json"), cues)
        out.append(cues)
    return out


def _read_wav(path: Path, step: str):
    if not path.exists():
        raise RecordError(f"{path} does not exist; run `storygen {step}` first")
    try:
        return decode_wav(path.read_bytes())
    except RecordError as exc:
        raise RecordError(f"{path}: {exc}; run `storygen {step}` again") from None


def run_mix(story: Story, book_dir: Path, config: AudioConfig | None = None) -> list[Path]:
    """Writes audio/NN-mix.wav (44.1 kHz stereo) for every scene from its narration, music and
    sfx WAVs: the music ducked under the voice, the sum normalised to mix.peak_dbfs."""
    cfg = config or audio_config()
    out = []
    for index in range(1, len(story.scenes) + 1):
        voice, voice_rate = _read_wav(BookPaths(book_dir).audio(index, "narration.wav"), "narrate")
        music, rate = _read_wav(BookPaths(book_dir).audio(index, "music.wav"), "music")
        effects, sfx_rate = _read_wav(BookPaths(book_dir).audio(index, "sfx.wav"), "sfx")
        if sfx_rate != rate:
            raise RecordError(f"{audio_name(index, 'sfx.wav')} is {sfx_rate} Hz but the music is {rate} Hz;"
                              " rerun `storygen sfx` and `storygen music`")
        samples = mix_scene(voice, voice_rate, music, effects, rate, cfg.mix)
        out.append(sio.write_bytes(BookPaths(book_dir).audio(index, "mix.wav"), encode_wav(samples, rate)))
    return out
