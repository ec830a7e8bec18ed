"""The offline melody model: a variable-order Markov chain over (scale step, length) notes.

Pure Python, no music21 (that is only needed to read the training corpus: melody_train.py).

A tune is a list of notes (step, alter, beats): `step` is the diatonic scale step from the tonic
(the tune's final note is step 0; None is a rest), `alter` a chromatic alteration in semitones
(the raised leading note of minor tunes), `beats` the length in quarter notes. The chain predicts
the next note from up to ORDER previous notes and the metric position (beats into the current
half bar), with Witten-Bell interpolation down to the position-only and the context-free
distribution, so unseen contexts fall back smoothly instead of failing.

Generation adds what a bare chain cannot know (see generate_melody): whole 4/4 bars, no note
across a bar line, a phrase plan with repeated bars (a b a c ...), a half cadence in the middle,
the final tonic held from beat 1 or 3, leaps of at most an octave, and a range a child can sing.
"""
from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional

from ..errors import RecordError
from .theory import step_pitch

ORDER = 3
HALF_BAR = 2.0
BAR = 4.0
MIN_STEP, MAX_STEP = -4, 9  # a fourth below the tonic .. a tenth above
MAX_SPAN = 9  # steps between lowest and highest note
MAX_LEAP = 7  # steps between neighbouring notes (an octave)
PHRASES = {4: "a b a c", 6: "a b c a b d", 8: "a b c d a b e f"}  # bar plans; a repeated letter
HALF_CADENCE = {1, 4}  # repeats its bar; phrase one ends on the 2nd or 5th degree (mod 7)

Note = tuple[Optional[int], int, float]


def encode(note: Note) -> str:
    step, alter, beats = note
    return f"{'r' if step is None else step},{alter},{beats:g}"


def decode(sym: str) -> Note:
    step, alter, beats = sym.split(",")
    return (None if step == "r" else int(step), int(alter), float(beats))


def position(offset: float) -> str:
    return f"{offset % HALF_BAR:g}"


@dataclass
class MarkovModel:
    """counts[k][context] -> Counter(next symbol); context = "pos|s1|...|sk" (most recent last)."""

    order: int
    counts: list[dict[str, Counter]]
    unigram: Counter
    tunes: int

    # ------------------------------------------------------------ training

    @classmethod
    def train(cls, tunes: Iterable[list[Note]], order: int = ORDER) -> "MarkovModel":
        counts: list[dict[str, Counter]] = [defaultdict(Counter) for _ in range(order + 1)]
        unigram: Counter = Counter()
        n = 0
        for tune in tunes:
            n += 1
            syms = [encode(x) for x in tune]
            offset = 0.0
            for i, sym in enumerate(syms):
                unigram[sym] += 1
                pos = position(offset)
                for k in range(order + 1):
                    if i - k < 0:
                        break
                    counts[k][context(pos, syms[i - k:i])][sym] += 1
                offset += tune[i][2]
        return cls(order, [dict(c) for c in counts], unigram, n)

    # ------------------------------------------------------------ prediction

    def distribution(self, pos: str, history: list[str]) -> dict[str, float]:
        """P(next | history, pos), Witten-Bell interpolated from the longest context down."""
        total = sum(self.unigram.values())
        probs = {s: c / total for s, c in self.unigram.items()}
        for k in range(0, min(self.order, len(history)) + 1):
            seen = self.counts[k].get(context(pos, history[len(history) - k:]))
            if not seen:
                break  # a longer context than this one cannot have been seen either
            n, types = sum(seen.values()), len(seen)
            lam = n / (n + types)
            probs = {s: lam * seen.get(s, 0) / n + (1 - lam) * p for s, p in probs.items()}
        return probs

    # ------------------------------------------------------------ storage

    def to_json(self) -> str:
        data = {"format": "storygen-markov-melody", "version": 1, "order": self.order,
                "tunes": self.tunes, "unigram": dict(sorted(self.unigram.items())),
                "counts": [{ctx: dict(sorted(c.items())) for ctx, c in sorted(level.items())}
                           for level in self.counts]}
        return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "MarkovModel":
        try:
            data = json.loads(text)
            if data.get("format") != "storygen-markov-melody":
                raise ValueError("not a storygen melody model")
            counts = [{ctx: Counter(c) for ctx, c in level.items()} for level in data["counts"]]
            return cls(int(data["order"]), counts, Counter(data["unigram"]), int(data["tunes"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise RecordError(f"Not a melody model file ({exc}); rebuild it with `storygen library melodies`") from None


def context(pos: str, syms: list[str]) -> str:
    return "|".join([pos, *syms])


# ---------------------------------------------------------------- generation


class _Retry(Exception):
    pass


def _sample(probs: dict[str, float], rng: random.Random, temperature: float) -> str:
    items = sorted(probs.items())  # sorted: the same seed always walks the same list
    weights = [p ** (1.0 / temperature) for _, p in items]
    return rng.choices([s for s, _ in items], weights=weights)[0]


def _ok_range(steps: list[int], step: int) -> bool:
    if not MIN_STEP <= step <= MAX_STEP or (steps and abs(step - steps[-1]) > MAX_LEAP):
        return False
    lo, hi = min(steps + [step]), max(steps + [step])
    return hi - lo <= MAX_SPAN


def _bar(model: MarkovModel, history: list[str], steps: list[int], rng: random.Random,
         cadence: Optional[set[int]], final: bool, temperature: float) -> list[str]:
    """Sample one bar; `cadence` constrains its last note's degree (mod 7), `final` makes it the
    tonic held for at least a beat."""
    for _ in range(40):
        out, offset, hist, used = [], 0.0, list(history), list(steps)
        try:
            while offset < BAR - 1e-9:
                probs = model.distribution(position(offset), hist[-model.order:] if model.order else [])
                allowed = {}
                for sym, p in probs.items():
                    step, alter, beats = decode(sym)
                    end = offset + beats
                    if end > BAR + 1e-9:
                        continue
                    if step is None:
                        if not hist or end >= BAR - 1e-9 and (final or cadence):
                            continue  # no rest to open a tune or to close a phrase
                    elif not _ok_range(used, step):
                        continue
                    last = end >= BAR - 1e-9
                    # the final tonic starts on beat 1 or 3 and is held to the end of the bar
                    if last and final and (step is None or step % 7 or alter or offset not in (0.0, 2.0)):
                        continue
                    if last and cadence and (step is None or step % 7 not in cadence or beats < 1):
                        continue
                    allowed[sym] = p
                if not allowed:
                    raise _Retry
                sym = _sample(allowed, rng, temperature)
                out.append(sym)
                hist.append(sym)
                step, _, beats = decode(sym)
                if step is not None:
                    used.append(step)
                offset += beats
            return out
        except _Retry:
            continue
    raise _Retry


def generate_melody(model: MarkovModel, bars: int, rng: random.Random, temperature: float = 0.9,
                    tries: int = 60) -> list[Note]:
    """A melody of `bars` 4/4 bars following PHRASES[bars] (repeated letters repeat the bar)."""
    plan = PHRASES.get(bars) or " ".join("abcdefgh"[i] for i in range(bars))
    letters = plan.split()
    for _ in range(tries):
        made: dict[str, list[str]] = {}
        syms: list[str] = []
        try:
            for i, letter in enumerate(letters):
                if letter in made and i != len(letters) - 1:
                    bar = made[letter]
                else:
                    final = i == len(letters) - 1
                    half = i == len(letters) // 2 - 1 and bars >= 4
                    steps = [decode(s)[0] for s in syms if decode(s)[0] is not None]
                    bar = _bar(model, syms, steps, rng, HALF_CADENCE if half else None, final, temperature)
                    made.setdefault(letter, bar)
                syms += bar
        except _Retry:
            continue
        return [decode(s) for s in syms]
    raise RecordError(f"The melody model could not make a {bars}-bar melody in {tries} tries;"
                      " retrain it on more tunes (storygen library melodies --collections ...)")


def describe(notes: list[Note], mode: str) -> dict[str, object]:
    """Tags for the library: energy from notes per beat, range in semitones in its mode."""
    sounding = [n for n in notes if n[0] is not None]
    beats = sum(n[2] for n in notes)
    density = len(sounding) / beats if beats else 0.0
    pitches = [step_pitch(n[0], n[1], 60, mode) for n in sounding]
    energy = "low" if density < 1.0 else "mid" if density < 1.5 else "high"
    return {"energy": energy, "range": max(pitches) - min(pitches) if pitches else 0,
            "density": round(density, 3)}
