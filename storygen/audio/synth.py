"""MIDI -> WAV (44.1 kHz, 16-bit stereo) with a General MIDI soundfont.

Backends (SYNTHS registry):
  tinysoundfont  the `tinysoundfont` wheel (no system library), default; we drive it event by
                 event at exact sample positions, so the same MIDI gives the same samples
  fluidsynth     the Debian `fluidsynth` program (optional; has its own reverb and chorus)

The soundfont is TimGM6mb.sf2 (GPL-2, 6 MB), shipped inside the `pretty_midi` package: we only
locate the file with importlib.util.find_spec and never import pretty_midi.
TinySoundFont has no reverb, so `render_wav` adds a light one (a seeded, decaying-noise impulse
response applied by FFT convolution), then fades the tail and sets the level.
"""
from __future__ import annotations

import importlib.util
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import BackendError
from ..registry import require_program
from .midi import DRUM_CHANNEL, length_s, timed_messages
from .wav import decode_wav, encode_wav, fade
from ..backends import SYNTHS, Synth

SAMPLE_RATE = 44100
SOUNDFONT_NAME = "TimGM6mb.sf2"
TARGET_RMS = 0.12  # about -18 dBFS: a bed under the narration, loud enough to hear alone
PEAK_LIMIT = 0.8


@lru_cache(maxsize=1)
def soundfont_path() -> Path:
    spec = importlib.util.find_spec("pretty_midi")
    if spec is not None and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / SOUNDFONT_NAME
        if path.is_file():
            return path
    raise BackendError(
        f"The General MIDI soundfont {SOUNDFONT_NAME} comes with pretty_midi:"
        " pip install pretty_midi==0.2.11.post0"
    )


# ---------------------------------------------------------------- tinysoundfont


@lru_cache(maxsize=1)
def _soundfont_bytes() -> bytes:
    return soundfont_path().read_bytes()


class TinySoundFontSynth:
    name = "tinysoundfont"
    has_reverb = False

    def __init__(self) -> None:
        try:
            import tinysoundfont
        except ImportError:
            raise BackendError(
                "Synth backend 'tinysoundfont' is not installed:"
                " pip install --no-deps tinysoundfont==0.3.7"
            ) from None
        self._module = tinysoundfont

    def render(self, midi: bytes, duration_s: float) -> np.ndarray:
        # A fresh synth per piece: no voice or controller state leaks between scenes.
        synth = self._module.Synth(samplerate=SAMPLE_RATE, gain=-6.0)
        synth.sfload(_soundfont_bytes(), max_voices=128)
        for ch in range(16):
            synth.program_change(ch, 0, is_drums=ch == DRUM_CHANNEL)
        total = int(round(duration_s * SAMPLE_RATE))
        blocks, pos = [], 0
        for t, msg in timed_messages(midi):
            at = min(total, int(round(t * SAMPLE_RATE)))
            if at > pos:
                blocks.append(self._generate(synth, at - pos))
                pos = at
            self._send(synth, msg)
        if total > pos:
            blocks.append(self._generate(synth, total - pos))
        if not blocks:
            return np.zeros((0, 2), np.float32)
        return np.concatenate(blocks)

    @staticmethod
    def _generate(synth, frames: int) -> np.ndarray:
        return np.frombuffer(synth.generate_simple(frames), dtype=np.float32).reshape(-1, 2).copy()

    @staticmethod
    def _send(synth, msg) -> None:
        ch = msg.channel if hasattr(msg, "channel") else 0
        if msg.type == "note_on" and msg.velocity > 0:
            synth.noteon(ch, msg.note, msg.velocity)
        elif msg.type in ("note_on", "note_off"):
            synth.noteoff(ch, msg.note)
        elif msg.type == "program_change":
            try:
                synth.program_change(ch, msg.program, is_drums=ch == DRUM_CHANNEL)
            except RuntimeError:  # a program the soundfont lacks: keep the previous one
                pass
        elif msg.type == "control_change":
            synth.control_change(ch, msg.control, msg.value)
        elif msg.type == "pitchwheel":
            synth.pitchbend(ch, msg.pitch + 8192)


def make_tinysoundfont() -> Synth:
    return TinySoundFontSynth()


# ---------------------------------------------------------------- fluidsynth


class FluidSynth:
    name = "fluidsynth"
    has_reverb = True

    def __init__(self) -> None:
        self._exe = require_program("fluidsynth", "Synth", "fluidsynth", "tinysoundfont")

    def render(self, midi: bytes, duration_s: float) -> np.ndarray:
        with tempfile.TemporaryDirectory(prefix="storygen-fluidsynth-") as tmp:
            mid, wav = Path(tmp) / "in.mid", Path(tmp) / "out.wav"
            mid.write_bytes(midi)
            proc = subprocess.run(
                [self._exe, "-ni", "-q", "-g", "0.6", "-r", str(SAMPLE_RATE), "-O", "s16",
                 "-T", "wav", "-F", str(wav), str(soundfont_path()), str(mid)],
                capture_output=True, timeout=120,
            )
            if proc.returncode != 0 or not wav.exists():
                raise BackendError(
                    f"fluidsynth failed ({proc.returncode}):"
                    f" {proc.stderr.decode(errors='replace').strip()[:300]}"
                )
            samples, _ = decode_wav(wav.read_bytes())
        if samples.ndim == 1:
            samples = np.stack([samples, samples], axis=1)
        total = int(round(duration_s * SAMPLE_RATE))
        out = np.zeros((total, 2), np.float32)
        out[: min(total, len(samples))] = samples[:total]
        return out


def make_fluidsynth() -> Synth:
    return FluidSynth()


# ---------------------------------------------------------------- finishing


@lru_cache(maxsize=4)
def _impulse_response(seconds: float = 1.6, seed: int = 7) -> np.ndarray:
    """Stereo decaying noise, a little darker as it decays: a small, soft room."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    noise = rng.standard_normal((n, 2))
    # darken: mix toward a smoothed copy as time goes on (cheap frequency-dependent decay)
    kernel = np.ones(8) / 8
    smooth = np.stack([np.convolve(noise[:, c], kernel, mode="same") for c in range(2)], axis=1)
    w = np.clip(t / seconds * 1.5, 0, 1)[:, None]
    ir = ((1 - w) * noise + w * smooth * 2.5) * np.exp(-t * 6.9 / seconds)[:, None]
    ir[: int(0.012 * SAMPLE_RATE)] = 0.0  # pre-delay
    return (ir / np.sqrt(np.sum(ir**2, axis=0))).astype(np.float32)


def add_reverb(audio: np.ndarray, wet: float) -> np.ndarray:
    if wet <= 0 or len(audio) == 0:
        return audio
    ir = _impulse_response()
    n = len(audio) + len(ir) - 1
    size = 1 << (n - 1).bit_length()
    spec = np.fft.rfft(audio, size, axis=0) * np.fft.rfft(ir, size, axis=0)
    tail = np.fft.irfft(spec, size, axis=0)[: len(audio)]
    return ((1 - wet) * audio + wet * tail).astype(np.float32)


def level(audio: np.ndarray, target_rms: float = TARGET_RMS, peak: float = PEAK_LIMIT) -> np.ndarray:
    rms = float(np.sqrt(np.mean(audio.astype(np.float64) ** 2))) if len(audio) else 0.0
    top = float(np.max(np.abs(audio))) if len(audio) else 0.0
    if rms < 1e-7:
        return audio
    return (audio * min(target_rms / rms, peak / top)).astype(np.float32)


def render(midi: bytes, duration_s: float | None = None, backend: str = "tinysoundfont",
           reverb: float = 0.25, fade_out_s: float = 0.6) -> np.ndarray:
    """MIDI bytes -> finished float32 stereo samples at SAMPLE_RATE."""
    synth = SYNTHS.create(backend)
    duration = duration_s if duration_s is not None else length_s(midi) + 1.0
    audio = synth.render(midi, duration)
    if not synth.has_reverb:
        audio = add_reverb(audio, reverb)
    return level(fade(audio, SAMPLE_RATE, 0.0, fade_out_s))


def render_wav(midi: bytes, duration_s: float | None = None, backend: str = "tinysoundfont",
               reverb: float = 0.25) -> bytes:
    return encode_wav(render(midi, duration_s, backend, reverb), SAMPLE_RATE)
