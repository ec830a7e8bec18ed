"""Who a person word or a given name is drawn as, when the library has no object by that name.

"Grandpa sat on the bench, holding a newspaper" names a character the picture must show; the
library draws old men, women, girls and boys, not grandpas or Mias. Only words that always name
a person are mapped: "mother" or "sister" may be a lamb's ("the lamb lost its mother"), so they
are left to the story's own kind of animal, and a name not known as a person's stays undrawn
("Tiko" may be the monkey of the story).
"""
from __future__ import annotations

from typing import Optional

from .lexicon import FEMALE_NAMES, MALE_NAMES

PERSON_WORDS = {
    "grandpa": "old_man", "grandfather": "old_man", "grandad": "old_man", "granddad": "old_man",
    "grandma": "old_woman", "grandmother": "old_woman", "granny": "old_woman", "gran": "old_woman",
    "nana": "old_woman", "nan": "old_woman", "mom": "woman", "mum": "woman", "mommy": "woman",
    "mummy": "woman", "mama": "woman", "dad": "man", "daddy": "man", "papa": "man",
    "knight": "guard", "aunt": "woman", "auntie": "woman", "uncle": "man",
}


def person_object(lemma: str, names: set[str], known: set[str]) -> Optional[str]:
    """The library object for a person word or a common given name, if one of `known` fits."""
    word = lemma.lower()
    oid = PERSON_WORDS.get(word)
    if oid is None and (names or lemma[:1].isupper()):
        if word in FEMALE_NAMES:
            oid = "girl"
        elif word in MALE_NAMES:
            oid = "boy"
    return oid if oid in known else None
