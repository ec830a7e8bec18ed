"""Pipeline entry points for the audio stages: story.json -> files in the book's audio/ folder.

Scene indices are 1-based, as in the file names: scene 1 -> audio/01-narration.wav.
Seeds: scene i uses story.prompt.seed + i, so one scene can be regenerated alone.
All files are written atomically through storygen.io.
"""
from __future__ import annotations

from pathlib import Path

from .. import io as sio
from ..records import MusicScore, Narration, SfxCues, Story, WordTiming
from . import synth
from .mood import estimate_mood
from .music import compose
from .narrate import estimate_timings, narrate
from .sfx import load_manifest, mix_cues, plan_sfx
from .wav import encode_wav

AUDIO_DIR = "audio"


def audio_path(book_dir: Path, index: int, name: str) -> Path:
    return Path(book_dir) / AUDIO_DIR / f"{index:02d}-{name}"


def scene_seed(story: Story, index: int) -> int:
    return story.prompt.seed + index


def run_narrate(story: Story, book_dir: Path, backend: str = "piper") -> list[Narration]:
    """Writes audio/NN-narration.wav and audio/NN-narration.json for every scene."""
    out = []
    for index, text in enumerate(story.scenes, start=1):
        record = narrate(text, audio_path(book_dir, index, "narration.wav"), backend=backend,
                         index=index, book_dir=Path(book_dir))
        sio.write_record(audio_path(book_dir, index, "narration.json"), record)
        out.append(record)
    return out


def scene_timing(book_dir: Path, index: int, text: str) -> tuple[float, tuple[WordTiming, ...]]:
    """Narration length and word times from audio/NN-narration.json; without one (narration
    not run yet), an estimate at 2.5 words per second."""
    path = audio_path(book_dir, index, "narration.json")
    if path.exists():
        record = sio.read_record(path, Narration)
        return record.duration_s, record.words
    return estimate_timings(text)


def run_music(story: Story, book_dir: Path, backend: str = "basic",
              synth_backend: str = "tinysoundfont") -> list[MusicScore]:
    """Writes audio/NN-music.mid, audio/NN-music.wav and audio/NN-music.json for every scene."""
    out = []
    for index, text in enumerate(story.scenes, start=1):
        duration, _ = scene_timing(book_dir, index, text)
        mood = estimate_mood(text)
        score, midi = compose(text, mood, story.prompt.theme, duration, scene_seed(story, index),
                              index, backend=backend)
        sio.write_bytes(Path(book_dir) / score.midi, midi)
        sio.write_bytes(Path(book_dir) / score.wav,
                        synth.render_wav(midi, score.duration_s, backend=synth_backend))
        sio.write_record(audio_path(book_dir, index, "music.json"), score)
        out.append(score)
    return out


def run_sfx(story: Story, book_dir: Path, backend: str = "basic") -> list[SfxCues]:
    """Writes audio/NN-sfx.json and audio/NN-sfx.wav (the narration's length) for every scene."""
    out = []
    rate = load_manifest().sample_rate
    for index, text in enumerate(story.scenes, start=1):
        duration, words = scene_timing(book_dir, index, text)
        seed = scene_seed(story, index)
        cues = plan_sfx(text, words, duration, seed, index, backend=backend)
        samples = mix_cues(list(cues.cues), cues.duration_s, seed)
        sio.write_bytes(Path(book_dir) / cues.wav, encode_wav(samples, rate))
        sio.write_record(audio_path(book_dir, index, "sfx.json"), cues)
        out.append(cues)
    return out
