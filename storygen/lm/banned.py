"""Block-listed words the story models are never allowed to write.

The output filter (storygen/safety.py) rejects a candidate after the fact; a 135M model trained
on children's stories still writes the odd "sword", "vampire" or brand name it saw in
pre-training (14 of 224 test candidates before this ban). So every listed word and phrase (ours in
their common inflections; better-profanity's list already spells its forms out), as " word"
and " Word", is handed to the decoder as a banned
token sequence: transformers' NoBadWordsLogitsProcessor (hf engines) or CTranslate2's
suppress_sequences. Words only: a sequence is banned where it starts after a space, so " warm"
or "towards" are untouched. The filter still runs on every candidate.
"""
from __future__ import annotations

from functools import lru_cache


def word_forms(term: str) -> list[str]:
    """The term and the inflections a story could use (fight: fights, fighting, fighter, ...);
    phrases as they are."""
    if " " in term or not term.isalpha():
        return [term]
    forms = [term, term + "s", term + "es", term + "ed", term + "ing", term + "er", term + "ers"]
    if term.endswith("e"):
        forms += [term + "d", term[:-1] + "ing", term + "r", term + "rs"]
    if term.endswith("y"):
        forms += [term[:-1] + "ies", term[:-1] + "ied"]
    return list(dict.fromkeys(forms))


def banned_sequences(tokenizer) -> list[list[int]]:
    """Token sequences of every unsafe term form, as " form" and " Form"."""
    return [list(ids) for ids in _banned(tokenizer)]


@lru_cache(maxsize=4)
def _banned(tokenizer) -> tuple[tuple[int, ...], ...]:
    from ..safety import unsafe_terms

    ours, profanity = unsafe_terms()
    seqs: dict[tuple[int, ...], None] = {}
    for forms in [word_forms(t) for t in ours] + [[t] for t in profanity]:  # its list has the forms
        for form in forms:
            for spelled in dict.fromkeys((form, form[:1].upper() + form[1:])):
                ids = tuple(tokenizer.encode(" " + spelled, add_special_tokens=False))
                if ids:
                    seqs[ids] = None
    return tuple(seqs)
