"""PCM WAV encode/decode in memory, so every audio file is written through storygen.io (atomic)."""
from __future__ import annotations

import io
import wave

import numpy as np

from ..errors import RecordError


def encode_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    """float samples in [-1, 1], shape (n,) mono or (n, channels) -> 16-bit PCM WAV bytes.

    The wave module writes a fixed header and no timestamps, so equal samples give equal bytes.
    """
    data = np.asarray(samples, dtype=np.float64)
    channels = 1 if data.ndim == 1 else data.shape[1]
    pcm = np.round(np.clip(data, -1.0, 1.0) * 32767.0).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def decode_wav(data: bytes) -> tuple[np.ndarray, int]:
    """16-bit PCM WAV bytes -> (float32 samples, shape (n,) or (n, channels), sample_rate)."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise RecordError(f"Not a readable WAV file: {exc}") from None
    if width != 2:
        raise RecordError(f"Only 16-bit WAV is supported, got {8 * width}-bit")
    if len(frames) != w.getnframes() * width * channels:  # cut short: never play half a file
        raise RecordError(f"a truncated WAV file ({len(frames) // (width * channels)} of its"
                          f" {w.getnframes()} frames)")
    pcm = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32767.0
    if channels > 1:
        pcm = pcm.reshape(-1, channels)
    return pcm, rate


def fade(samples: np.ndarray, sample_rate: int, fade_in_s: float = 0.0,
         fade_out_s: float = 0.0) -> np.ndarray:
    """Linear fades at the edges; avoids clicks where a sound is cut."""
    out = np.array(samples, dtype=np.float32, copy=True)
    n = len(out)
    for seconds, at_end in ((fade_in_s, False), (fade_out_s, True)):
        k = min(n, int(round(seconds * sample_rate)))
        if k <= 0:
            continue
        ramp = np.linspace(0.0, 1.0, k, endpoint=False, dtype=np.float32)
        if at_end:
            ramp = ramp[::-1]
        shape = (k,) + (1,) * (out.ndim - 1)
        if at_end:
            out[n - k:] *= ramp.reshape(shape)
        else:
            out[:k] *= ramp.reshape(shape)
    return out
