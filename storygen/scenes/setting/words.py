"""Words and phrase matching for reading a scene's setting (place, time, weather).

Words are lowercase; "hadn't" reads "had not" (negation matters: "it had not rained for weeks"),
and sentence ends are kept as "." so that a look-around never crosses into the next sentence.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[.!?;]")
_IRREGULAR_NOT = {"won't": "will", "can't": "can", "shan't": "shall"}
END = "."


_QUOTED = re.compile(r'["“][^"“”]*["”]')


def unquoted(text: str) -> str:
    """The narration without what characters say: "A little rain is all we need," said the
    gardener, in a drought, is not rain."""
    return _QUOTED.sub(" . ", text)


def words_of(text: str) -> list[str]:
    out: list[str] = []
    for tok in _TOKEN.findall(text.lower().replace("’", "'")):
        if tok in "!?;":
            out.append(END)
        elif tok.endswith("n't"):
            out += [_IRREGULAR_NOT.get(tok, tok[:-3]), "not"]
        else:
            out.append(tok.split("'")[0])  # "tonight's" -> tonight, "sun's" -> sun
    return out


class Phrases:
    """Longest-first, left-to-right, non-overlapping matching of labelled word phrases.
    plural=True also matches the last word with -s/-es ("reefs", "bushes")."""

    def __init__(self, labelled: Iterable[tuple[str, str]], plural: bool = False) -> None:
        self._first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.plural = plural
        seen: set[tuple[str, ...]] = set()
        for phrase, label in labelled:
            words = tuple(phrase.split())
            if words and words not in seen:  # the first label of a phrase wins
                seen.add(words)
                self._first.setdefault(words[0], []).append((words, label))
        for options in self._first.values():
            options.sort(key=lambda wl: -len(wl[0]))

    def _match_at(self, words: list[str], i: int) -> Optional[tuple[int, str]]:
        keys = [words[i]]
        if self.plural:
            keys += [words[i][:-1], words[i][:-2]] if words[i].endswith("s") else []
        for key in keys:
            for phrase, label in self._first.get(key, ()):
                n = len(phrase)
                got = words[i:i + n]
                if len(got) == n and all(self._same(g, p, k == n - 1) for k, (g, p) in
                                         enumerate(zip(got, phrase))):
                    return n, label
        return None

    def _same(self, got: str, want: str, last: bool) -> bool:
        return got == want or (self.plural and last and got in (want + "s", want + "es"))

    def find(self, words: list[str]) -> list[tuple[int, int, str]]:
        """(start, end, label) of every match."""
        out, i = [], 0
        while i < len(words):
            hit = self._match_at(words, i)
            if hit is None:
                i += 1
                continue
            out.append((i, i + hit[0], hit[1]))
            i += hit[0]
        return out

    def starts_within(self, words: list[str], start: int, span: int) -> bool:
        """A phrase starts in words[start:start+span] before the sentence ends."""
        for i in range(start, min(start + span, len(words))):
            if words[i] == END:
                return False
            if self._match_at(words, i) is not None:
                return True
        return False

    def ends_at(self, words: list[str], end: int) -> bool:
        """A phrase ends right before index `end` ("after the" + storm)."""
        for i in range(max(0, end - 4), end):
            hit = self._match_at(words, i)
            if hit is not None and i + hit[0] == end:
                return True
        return False


def sentence_of(words: list[str], i: int) -> list[str]:
    lo = i
    while lo > 0 and words[lo - 1] != END:
        lo -= 1
    hi = i
    while hi < len(words) and words[hi] != END:
        hi += 1
    return words[lo:hi]
