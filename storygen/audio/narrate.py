"""Narration: scene text -> speech WAV + approximate word timings (they drive music length and SFX).

synthesize speaks a scene sentence by sentence with a NARRATORS backend (narrators.py: hibari,
piper, espeak), trims each sentence's silent edges, times its words (word_timing.py) and joins
the sentences with the narrator's Pace; narrate writes the WAV and returns its Narration record.
The record's `wpm` reports the pace as words per minute from the first word to the last, pauses
included. Measured on 40 corpus scenes (scripts/compare_voices.py): hibari ~150, piper ~192.
estimate_timings gives a reading time without a voice, for the stages run before narration.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from .. import io as sio
from ..errors import RecordError
from ..records import Narration, WordTiming
from .narrators import LEAD_IN_S, SENTENCE_GAP_S, TAIL_S
from .wav import encode_wav
from .word_timing import (letter_weights, match_weights, speech_bounds, split_sentences,
                          spread_words, words_of)
from ..backends import NARRATORS


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
