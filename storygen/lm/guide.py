"""Keyword-guided decoding for the `hf` engine: a logits processor that steers each row toward the
plan keywords it has not written yet (a light form of lexically constrained decoding).

While a keyword is missing from the tokens generated so far:
- its first token gets a bonus that grows with every generated token (a nudge early, close to a
  command later), in both " word" and " Word" spellings;
- once its first tokens are out, the next token of the keyword gets a large bonus (finish it);
- the scene-closing newline (and end-of-text) is penalised, so the scene does not end without it.
A keyword whose first token came out twice without the word being finished ("hiccups" for
"hiccuped") is given up: pushing further only makes the text stutter ("hiccup hiccupped").
CTranslate2 has no hook for this, so guided decoding runs on the hf engine.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class GuideSettings:
    base: float = 1.5  # first-token bonus at the first generated token
    slope: float = 0.12  # added per generated token
    cap: float = 8.0
    finish: float = 10.0  # bonus for the next token of a keyword already begun
    close_penalty: float = 6.0  # on newline / end-of-text while a keyword is missing
    attempts: int = 3  # first-token emissions before a keyword is given up


def keyword_variants(enc, keyword: str) -> list[list[int]]:
    spellings = dict.fromkeys([keyword, keyword[:1].upper() + keyword[1:]])
    return [enc(" " + w) for w in spellings]


def _contains(seq: list[int], part: list[int]) -> bool:
    n = len(part)
    return any(seq[i:i + n] == part for i in range(len(seq) - n + 1))


class KeywordGuide:
    """A transformers LogitsProcessor (duck-typed: __call__(input_ids, scores) -> scores).

    `keywords[row]`: the words row `row` still has to write; `start`: where generation begins in
    input_ids (after left padding and the prompt)."""

    def __init__(self, enc, keywords: Sequence[Sequence[str]], start: int, close: Sequence[int],
                 settings: GuideSettings = GuideSettings()) -> None:
        self.start, self.close, self.s = start, list(close), settings
        self.variants = [[keyword_variants(enc, k) for k in row] for row in keywords]

    def todo(self, row: int, generated: list[int]) -> list[list[list[int]]]:
        """Variants of the keywords of `row` not yet written nor given up."""
        out = []
        for variants in self.variants[row]:
            if any(_contains(generated, v) for v in variants):
                continue
            if sum(generated.count(v[0]) for v in variants) >= self.s.attempts:
                continue
            out.append(variants)
        return out

    def __call__(self, input_ids, scores):
        step = input_ids.shape[1] - self.start
        bonus = min(self.s.cap, self.s.base + self.s.slope * step)
        for row in range(input_ids.shape[0]):
            if not self.variants[row]:
                continue
            generated = input_ids[row, self.start:].tolist()
            todo = self.todo(row, generated)
            for variants in todo:
                for ids in variants:
                    begun = next((j for j in range(len(ids) - 1, 0, -1) if generated[-j:] == ids[:j]), 0)
                    scores[row, ids[begun]] += self.s.finish if begun else bonus
            if todo:
                for t in self.close:
                    scores[row, t] -= self.s.close_penalty
        return scores
