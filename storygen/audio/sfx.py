"""Sound effects: words in the scene -> cues at the words' narration times -> one mixed WAV.

`basic`: the sounds are SYNTHESISED with numpy from recipes in library/sfx/manifest.yaml (tones
with glides and decaying partials, band-limited noise with sweeps and flutter, and seeded
scatters of either) or RENDERED from General MIDI notes (`gm` layers: a trumpet fanfare, a tom
roll, the GM "seashore" effect) with the synth's soundfont, so the library needs no recordings.
Each sound lists trigger words; a word matches a trigger by its simple lemma (bubbles, bubbled,
bubbling -> bubble; hopped -> hop), irregular forms are listed in the manifest (swam, flew).

Cue policy (keeps a scene from turning into a sound-effects parade): at most MAX_CUES per scene,
at most two of the same sound, and cues at least MIN_GAP_S apart; earlier words win.
"""
from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

from ..config import LIBRARY_DIR, load_config
from ..errors import ConfigError
from ..records import Record, SfxCue, SfxCues, WordTiming
from .wav import fade
from .lemmas import lemma_candidates
from ..backends import SFX
from ..book_paths import audio_name

MANIFEST = LIBRARY_DIR / "sfx" / "manifest.yaml"
MAX_CUES = 4
MAX_SAME = 2
MIN_GAP_S = 0.8
LAYER_TYPES = ("tone", "noise", "events", "gm")
SHAPES = ("exp", "swell", "flat")


@dataclass(frozen=True)
class Layer(Record):
    """One synthesis layer; which fields matter depends on `type` (see the manifest header)."""

    type: str
    dur: float = 0.5
    start: float = 0.0
    gain: float = 1.0
    attack: float = 0.005
    decay: float = 0.0  # exponential time constant in seconds; 0 = no decay
    shape: str = "exp"
    freq: float = 440.0
    freq_end: float = 0.0  # 0 = no glide
    partials: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0),)  # ratio, amp, decay x
    vibrato: tuple[float, float] = (0.0, 0.0)  # rate Hz, depth in semitones
    band: tuple[float, float] = (20.0, 20000.0)
    band_end: Optional[tuple[float, float]] = None  # sweep the band to this by the end
    tilt: float = 0.0  # noise colour: 0 white, 1 pink, 2 brown
    flutter: tuple[float, float] = (0.0, 0.0)  # slow random loudness wobble: rate Hz, depth 0-1
    sound: Optional[Layer] = None  # events: the layer to scatter
    count: int = 1
    spread: float = 0.0  # events start at random times in [0, spread] ...
    interval: float = 0.0  # ... or every `interval` seconds, +- jitter
    jitter: float = 0.0
    pitch: tuple[float, float] = (1.0, 1.0)  # random frequency factor range per event
    scale: tuple[float, ...] = ()  # or a factor drawn from this list (e.g. a pentatonic scale)
    level: tuple[float, float] = (1.0, 1.0)  # random gain range per event
    program: int = 0  # gm: General MIDI program (ignored for drums)
    drums: bool = False  # gm: play `notes` on the percussion channel
    notes: tuple[tuple[float, float, float, float], ...] = ()  # gm: (start s, key, length s, velocity)


@dataclass(frozen=True)
class SoundSpec(Record):
    description: str
    triggers: tuple[str, ...]
    layers: tuple[Layer, ...]
    dur: float = 1.0
    gain: float = 0.6


@dataclass(frozen=True)
class SfxManifest(Record):
    sample_rate: int
    sounds: dict[str, SoundSpec] = field(default_factory=dict)


# ---------------------------------------------------------------- manifest


@lru_cache(maxsize=4)
def load_manifest(path: str | None = None) -> SfxManifest:
    where = Path(path) if path else MANIFEST
    manifest = load_config(where, SfxManifest)
    seen: dict[str, str] = {}
    for sid, spec in manifest.sounds.items():
        for layer in spec.layers:
            _check_layer(layer, f"{where}: sound {sid!r}")
        for trig in spec.triggers:
            if trig != trig.lower() or not trig.strip():
                raise ConfigError(f"{where}: sound {sid!r} trigger {trig!r} must be a lower-case word")
            if trig in seen:
                raise ConfigError(f"{where}: trigger {trig!r} is listed for both {seen[trig]!r} and {sid!r}")
            seen[trig] = sid
    return manifest


def _check_layer(layer: Layer, where: str) -> None:
    if layer.type not in LAYER_TYPES:
        raise ConfigError(f"{where}: layer type {layer.type!r} is not one of {', '.join(LAYER_TYPES)}")
    if layer.shape not in SHAPES:
        raise ConfigError(f"{where}: layer shape {layer.shape!r} is not one of {', '.join(SHAPES)}")
    if layer.dur <= 0:
        raise ConfigError(f"{where}: layer dur must be > 0")
    if layer.type == "events":
        if layer.sound is None:
            raise ConfigError(f"{where}: an events layer needs a `sound` layer to scatter")
        _check_layer(layer.sound, where)
    if layer.type == "gm":
        if not layer.notes or not 0 <= layer.program <= 127:
            raise ConfigError(f"{where}: a gm layer needs `notes` [[start s, key, length s, velocity]]"
                              " and a `program` 0-127")
        for start, key, length, vel in layer.notes:
            if start < 0 or length <= 0 or not 0 <= key <= 127 or not 1 <= vel <= 127:
                raise ConfigError(f"{where}: gm note {[start, key, length, vel]} is out of range")


# ---------------------------------------------------------------- synthesis


def _envelope(layer: Layer, n: int, sr: int) -> np.ndarray:
    t = np.arange(n) / sr
    if layer.shape == "swell":
        env = np.sin(np.pi * np.clip(t / layer.dur, 0, 1)) ** 1.5
    else:
        env = np.minimum(1.0, t / max(layer.attack, 1e-4))
        if layer.shape == "exp" and layer.decay > 0:
            env = env * np.exp(-np.maximum(0.0, t - layer.attack) / layer.decay)
    release = min(n, int(0.005 * sr))
    if release:
        env[n - release:] *= np.linspace(1, 0, release)
    return env


def _tone(layer: Layer, n: int, sr: int) -> np.ndarray:
    t = np.arange(n) / sr
    freq = np.full(n, layer.freq)
    if layer.freq_end > 0:
        freq = layer.freq * (layer.freq_end / layer.freq) ** (t / layer.dur)
    rate, depth = layer.vibrato
    if rate > 0 and depth:
        freq = freq * 2.0 ** (depth / 12.0 * np.sin(2 * np.pi * rate * t))
    phase = 2 * np.pi * np.cumsum(freq) / sr
    out = np.zeros(n)
    for ratio, amp, decay_x in layer.partials:
        if layer.freq * ratio >= sr / 2:
            continue  # above Nyquist: would alias into a whistle
        partial = amp * np.sin(ratio * phase)
        if layer.decay > 0 and decay_x != 1.0:  # higher partials of bells die sooner
            partial *= np.exp(-t * (1.0 / (layer.decay * decay_x) - 1.0 / layer.decay))
        out += partial
    return out


def _band_mask(freqs: np.ndarray, lo: float, hi: float, tilt: float) -> np.ndarray:
    # soft edges (half an octave) so the band does not ring
    rise = np.clip(np.log2(np.maximum(freqs, 1.0) / lo) * 2 + 1, 0, 1)
    fall = np.clip(np.log2(hi / np.maximum(freqs, 1.0)) * 2 + 1, 0, 1)
    return rise * fall / np.maximum(freqs, 20.0) ** (tilt / 2)


def _noise(layer: Layer, n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    white = rng.standard_normal(n)
    if layer.band_end is None:
        spec = np.fft.rfft(white)
        out = np.fft.irfft(spec * _band_mask(np.fft.rfftfreq(n, 1 / sr), *layer.band, layer.tilt), n)
    else:  # sweep: filter overlapping Hann blocks, each with its own band
        size, hop = 2048, 1024
        window = np.hanning(size + 1)[:-1]
        freqs = np.fft.rfftfreq(size, 1 / sr)
        padded = np.concatenate([np.zeros(hop), white, np.zeros(size)])
        out = np.zeros(len(padded))
        blocks = max(1, (len(padded) - size) // hop + 1)
        for k in range(blocks):
            frac = min(1.0, k / max(1, blocks - 1))
            lo = layer.band[0] * (layer.band_end[0] / layer.band[0]) ** frac
            hi = layer.band[1] * (layer.band_end[1] / layer.band[1]) ** frac
            seg = np.fft.rfft(padded[k * hop:k * hop + size] * window)
            out[k * hop:k * hop + size] += np.fft.irfft(seg * _band_mask(freqs, lo, hi, layer.tilt), size)
        out = out[hop:hop + n]
    peak = np.max(np.abs(out)) or 1.0
    out = out / peak
    rate, depth = layer.flutter
    if rate > 0 and depth > 0:
        t = np.arange(n) / sr
        wobble = sum(np.sin(2 * np.pi * rate * m * t + rng.uniform(0, 2 * np.pi)) for m in (1.0, 1.7, 2.9))
        out *= 1 - depth * (0.5 + wobble / 6)
    return out


def render_layer(layer: Layer, sr: int, rng: np.random.Generator) -> np.ndarray:
    n = max(1, int(round(layer.dur * sr)))
    if layer.type == "events":
        out = np.zeros(n)
        sub = layer.sound
        for k in range(layer.count):
            if layer.interval > 0:
                start = k * layer.interval + rng.uniform(-1, 1) * layer.jitter
            else:
                start = rng.uniform(0, layer.spread)
            if layer.scale:
                factor = float(rng.choice(layer.scale))
            else:
                lo, hi = layer.pitch
                factor = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
            gain = rng.uniform(*layer.level) if layer.level[0] != layer.level[1] else layer.level[0]
            one = render_layer(dataclasses.replace(sub, freq=sub.freq * factor,
                                                   freq_end=sub.freq_end * factor), sr, rng)
            at = max(0, int(round((start + sub.start) * sr)))
            if at < n:
                m = min(len(one), n - at)
                out[at:at + m] += gain * one[:m]
        return out * layer.gain
    if layer.type == "gm":
        return _gm(layer, n, sr) * layer.gain
    wave = _tone(layer, n, sr) if layer.type == "tone" else _noise(layer, n, sr, rng)
    return wave * _envelope(layer, n, sr) * layer.gain


def _gm(layer: Layer, n: int, sr: int) -> np.ndarray:
    """General MIDI notes rendered with the synth's soundfont (mono, peak 1)."""
    from . import synth
    from ..backends import SYNTHS
    from .midi import DRUM_CHANNEL, Note, Part, build_midi

    per_s = 960  # ticks per second at 120 bpm and 480 ticks per beat
    notes = tuple(Note(int(round(st * per_s)), max(1, int(round(ln * per_s))), int(k), int(v))
                  for st, k, ln, v in layer.notes)
    part = Part("sfx", DRUM_CHANNEL if layer.drums else 0, layer.program, notes)
    stereo = SYNTHS.create("tinysoundfont").render(build_midi([part], 120.0), n / sr)
    if sr != synth.SAMPLE_RATE:
        raise ConfigError(f"gm layers need sample_rate {synth.SAMPLE_RATE} (the synth's rate)")
    out = stereo.mean(axis=1).astype(np.float64)[:n]
    out = np.pad(out, (0, n - len(out)))
    peak = np.max(np.abs(out)) or 1.0
    release = min(n, int(0.02 * sr))
    if release:
        out[n - release:] *= np.linspace(1, 0, release)
    return out / peak


@lru_cache(maxsize=256)
def synth_sound(sound_id: str, seed: int, manifest_path: str | None = None) -> np.ndarray:
    """The sound's samples at peak 1.0 (float32). Same id + seed => same samples."""
    manifest = load_manifest(manifest_path)
    spec = manifest.sounds[sound_id]
    sr = manifest.sample_rate
    rng = np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(sound_id.encode())])
    out = np.zeros(max(1, int(round(spec.dur * sr))))
    for layer in spec.layers:
        wave = render_layer(layer, sr, rng)
        at = int(round(layer.start * sr))
        m = min(len(wave), len(out) - at)
        if m > 0:
            out[at:at + m] += wave[:m]
    peak = np.max(np.abs(out))
    out = out / peak if peak > 0 else out
    return fade(out.astype(np.float32), sr, 0.0, 0.03)


# ---------------------------------------------------------------- triggers and cues


def trigger_index(manifest: SfxManifest) -> dict[str, str]:
    """trigger word -> sound id (load_manifest has checked that no trigger is listed twice)."""
    return {t: sid for sid, spec in manifest.sounds.items() for t in spec.triggers}


def find_sound(word: str, index: dict[str, str]) -> Optional[str]:
    for cand in lemma_candidates(word):
        if cand in index:
            return index[cand]
    return None


def pick_cues(words: tuple[WordTiming, ...] | list[WordTiming], manifest: SfxManifest) -> list[SfxCue]:
    index = trigger_index(manifest)
    cues: list[SfxCue] = []
    for w in words:
        sid = find_sound(w.word, index)
        if sid is None or len(cues) >= MAX_CUES:
            continue
        if sum(c.sound == sid for c in cues) >= MAX_SAME:
            continue
        if cues and w.start - cues[-1].start_s < MIN_GAP_S:
            continue
        cues.append(SfxCue(sound=sid, trigger=w.word, start_s=round(w.start, 3),
                           gain=manifest.sounds[sid].gain))
    return cues


def mix_cues(cues: list[SfxCue], duration_s: float, seed: int, manifest_path: str | None = None) -> np.ndarray:
    """All cues in one mono track of `duration_s` (the narration's length)."""
    sr = load_manifest(manifest_path).sample_rate
    out = np.zeros(int(round(duration_s * sr)), np.float32)
    for k, cue in enumerate(cues):
        sound = synth_sound(cue.sound, seed + k, manifest_path)
        at = int(round(cue.start_s * sr))
        m = min(len(sound), len(out) - at)
        if m <= 0:
            continue
        piece = sound[:m] if m == len(sound) else fade(sound[:m], sr, 0.0, 0.1)
        out[at:at + m] += cue.gain * piece
    peak = float(np.max(np.abs(out))) if len(out) else 0.0
    return out / peak * 0.95 if peak > 0.95 else out


def plan_basic(text: str, words: tuple[WordTiming, ...], duration_s: float, seed: int,
               index: int) -> SfxCues:
    manifest = load_manifest()
    return SfxCues(index=index, cues=tuple(pick_cues(words, manifest)), duration_s=round(duration_s, 3),
                   wav=audio_name(index, "sfx.wav"), seed=seed, backend="basic")




def make_basic():
    return plan_basic


def plan_sfx(text: str, words: tuple[WordTiming, ...], duration_s: float, seed: int, index: int,
             backend: str = "basic") -> SfxCues:
    """Scene text + narration word timings -> the cues (no audio yet; see mix_cues)."""
    return SFX.create(backend)(text, words, duration_s, seed, index)
