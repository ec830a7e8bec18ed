"""The hibari voice (`hibari-tts`, Apache-2.0): one sentence -> 24 kHz speech + its IPA.

Only the voice inside the wheel ("heart", American English, female) is ever used. hibari's other
voices download from the network on first use; we never let that happen: any other name is
refused here, and the model file is passed to hibari by path (the bundled file, checked to exist),
so hibari's downloader is never reached.

Determinism: hibari's vocoder adds shaped noise from a numpy Generator; every sentence is spoken
with a fresh Generator seeded 0 on one onnxruntime thread, so the same sentence gives the same
samples wherever it stands in a scene (checked twice in tests/test_narrate_voices.py).

The phonemes come in misaki's alphabet (capitals for diphthongs, ᵊ for a reduced schwa); `to_ipa`
spells them as espeak-style IPA, so word_timing.ipa_word_weights, fitted on piper's espeak phonemes,
weighs both voices the same way.

Pace, measured on 40 corpus scenes (words per minute of speech, sentence pauses left out):
speed 1.0 226, 0.9 218, 0.85 206, 0.8 181, 0.75 164, 0.7 159, 0.65 141 (the steps are uneven:
hibari's duration model does not scale linearly). 0.85-0.9 is barely slower than its own
conversational pace, already faster than a read-aloud; 0.75 with the storyteller's pauses reads
a scene at ~150 words a minute (scripts/compare_voices.py).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import BackendError

BUNDLED_VOICE = "heart"
HIBARI_SPEED = 0.75  # below 1.0 = slower; the measured pace is in the module doc
SEED = 0
TARGET_RMS = 0.09  # about piper's level (its sentences peak at 0.9 with an RMS of ~0.1) ...
PEAK = 0.9  # ... but never above this peak: no clipping, headroom for the mix
INSTALL = "pip install hibari-tts==0.2.1"

# misaki (hibari's phoneme alphabet) -> the IPA espeak-ng writes, which the word weights expect
_MISAKI_TO_IPA = {"A": "eɪ", "I": "aɪ", "O": "oʊ", "Q": "əʊ", "W": "aʊ", "Y": "ɔɪ", "ᵊ": "ə",
                  "ᵻ": "ɪ", "ʤ": "dʒ", "ʧ": "tʃ"}
_TO_IPA = str.maketrans(_MISAKI_TO_IPA)


def to_ipa(phonemes: str) -> str:
    return phonemes.translate(_TO_IPA)


def check_voice(voice: str | None) -> str:
    """The voice name to use; anything but the bundled voice is refused (it would download)."""
    if voice in (None, "", BUNDLED_VOICE):
        return BUNDLED_VOICE
    raise BackendError(
        f"hibari voice {voice!r} is not available offline: storygen uses only the voice inside the"
        f" hibari-tts package, {BUNDLED_VOICE!r} (the others download on first use, which storygen"
        " never does); choose voice 'storyteller' (hibari heart) or 'joe' (piper)"
    )


@lru_cache(maxsize=1)
def load_voice():
    """The Hibari engine with the bundled model, once per process (~0.4 s, ~30 MB)."""
    try:
        from hibari import Hibari
        from hibari.voices import ASSETS, VOICES
    except ImportError:
        raise BackendError(f"Narration backend 'hibari' needs hibari-tts: {INSTALL}"
                           " (or choose the piper backend, voice joe)") from None
    info = VOICES.get(BUNDLED_VOICE, {})
    model = Path(ASSETS) / str(info.get("file", ""))
    if not info.get("bundled") or not model.is_file():
        raise BackendError(f"hibari-tts has no bundled {BUNDLED_VOICE!r} voice at {model};"
                           f" reinstall it: {INSTALL}")
    # model= by path: hibari never looks its voice up in the download cache
    return Hibari(voice=BUNDLED_VOICE, model=str(model), threads=1)


def speak(sentence: str, speed: float = HIBARI_SPEED) -> tuple[np.ndarray, str]:
    """One sentence -> (float32 mono samples at 24 kHz, its phonemes as espeak-style IPA).

    hibari may cut a very long sentence into chunks; they are joined, and so is their IPA."""
    tts = load_voice()
    rng = np.random.default_rng(SEED)  # fresh per sentence: same sentence, same bytes
    chunks = tts.phonemize(sentence)
    parts = [tts.from_ids(tts.ids(ps), speed, rng) for ps in chunks]
    audio = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
    return level(audio), " ".join(to_ipa(ps) for ps in chunks)


def level(audio: np.ndarray) -> np.ndarray:
    """Scale a sentence to TARGET_RMS, capped so its peak stays at or below PEAK."""
    if len(audio) == 0:
        return audio
    peak = float(np.max(np.abs(audio)))
    rms = float(np.sqrt(np.mean(audio.astype(np.float64) ** 2)))
    if peak <= 0 or rms <= 0:
        return audio
    gain = min(TARGET_RMS / rms, PEAK / peak)
    return (audio * gain).astype(np.float32)


def sample_rate() -> int:
    from hibari import SAMPLE_RATE

    return int(SAMPLE_RATE)
