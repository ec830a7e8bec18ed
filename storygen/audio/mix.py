"""The scene mix: narration + ducked music + sound effects -> one normalised stereo track.

- narration is resampled to the music's rate (band-limited, by FFT) and sits in the centre;
- the music is lowered by `music_db` everywhere and by `duck_db` more while the narrator speaks:
  speech is found from 10 ms frame levels, the duck starts `lead_s` before each word, falls with
  `attack_s` and recovers with `release_s` (one-pole smoothing, so no pumping clicks);
- sound effects are added at `sfx_db`;
- the sum is scaled so its peak is exactly `peak_dbfs`: never clipped, never too quiet.
Pure numpy and deterministic: the same three inputs give the same samples.
"""
from __future__ import annotations

import numpy as np

from .config import MixSettings

FRAME_S = 0.01
SPEECH_THRESHOLD = 0.06  # frames above 6% of the loudest frame's level count as speech


def db(x: float) -> float:
    return float(10.0 ** (x / 20.0))


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited resampling by zero-padding (or cutting) the spectrum. Mono or (n, ch)."""
    x = np.asarray(samples, dtype=np.float64)
    if rate_in == rate_out or len(x) == 0:
        return x.astype(np.float32)
    n_out = int(round(len(x) * rate_out / rate_in))
    spec = np.fft.rfft(x, axis=0)
    bins = n_out // 2 + 1
    shape = (bins,) + spec.shape[1:]
    out_spec = np.zeros(shape, dtype=complex)
    keep = min(bins, spec.shape[0])
    out_spec[:keep] = spec[:keep]
    return (np.fft.irfft(out_spec, n_out, axis=0) * (n_out / len(x))).astype(np.float32)


def speech_activity(voice: np.ndarray, rate: int) -> np.ndarray:
    """1.0 for 10 ms frames with speech, 0.0 for silence (relative to the loudest frame)."""
    hop = max(1, int(rate * FRAME_S))
    n = int(np.ceil(len(voice) / hop))
    if n == 0:
        return np.zeros(0)
    padded = np.zeros(n * hop)
    padded[: len(voice)] = voice
    rms = np.sqrt(np.mean(padded.reshape(n, hop) ** 2, axis=1))
    top = rms.max()
    return (rms > max(top * SPEECH_THRESHOLD, 1e-4)).astype(np.float64) if top > 0 else np.zeros(n)


def duck_curve(activity: np.ndarray, n_samples: int, rate: int, cfg: MixSettings) -> np.ndarray:
    """Per-sample music gain: 1 in silence, db(duck_db) under speech, smoothed."""
    lead = int(round(cfg.lead_s / FRAME_S))
    active = activity.copy()
    for k in range(1, lead + 1):  # start ducking `lead_s` before the speech
        active[:-k] = np.maximum(active[:-k], activity[k:])
    target = 1.0 - (1.0 - db(cfg.duck_db)) * active
    down = 1.0 - np.exp(-FRAME_S / cfg.attack_s)
    up = 1.0 - np.exp(-FRAME_S / cfg.release_s)
    gain = np.empty_like(target)
    g = 1.0
    for i, t in enumerate(target):  # a few thousand frames: a plain loop is fast enough
        g += (t - g) * (down if t < g else up)
        gain[i] = g
    frame_t = (np.arange(len(gain)) + 0.5) * FRAME_S * rate
    return np.interp(np.arange(n_samples), frame_t, gain, left=gain[0] if len(gain) else 1.0,
                     right=gain[-1] if len(gain) else 1.0)


def _stereo(x: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, 2), np.float64)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = np.stack([x, x], axis=1)
    m = min(n, len(x))
    out[:m] = x[:m]
    return out


def mix_scene(narration: np.ndarray, narration_rate: int, music: np.ndarray, sfx: np.ndarray,
              rate: int, cfg: MixSettings) -> np.ndarray:
    """-> float32 stereo at `rate`, as long as the longest input, peak = cfg.peak_dbfs."""
    voice = resample(narration, narration_rate, rate)
    n = max(len(voice), len(music), len(sfx))
    duck = duck_curve(speech_activity(voice, rate), n, rate, cfg)
    out = (db(cfg.narration_db) * _stereo(voice, n)
           + db(cfg.music_db) * duck[:, None] * _stereo(music, n)
           + db(cfg.sfx_db) * _stereo(sfx, n))
    peak = float(np.max(np.abs(out))) if n else 0.0
    if peak > 0:
        out *= db(cfg.peak_dbfs) / peak
    return out.astype(np.float32)
