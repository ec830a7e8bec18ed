"""Who a person word or a given name is drawn as, when the library has no object by that name.

"Grandpa sat on the bench, holding a newspaper" names a character the picture must show; the
library draws old men, women, girls and boys, not grandpas or Mias. Words that always name a
person are mapped as they are; kin words ("mother", "brother", "baby") take the kind of whose
kin they are: the lamb's mother is a sheep, Lily's brother a boy, and with no owner known they
stay undrawn. A name not known as a person's stays undrawn ("Tiko" may be the story's monkey).
"""
from __future__ import annotations

from typing import Container, Optional

from .lexicon import FEMALE_NAMES, MALE_NAMES

PERSON_WORDS = {
    "grandpa": "old_man", "grandfather": "old_man", "grandad": "old_man", "granddad": "old_man",
    "grandma": "old_woman", "grandmother": "old_woman", "granny": "old_woman", "gran": "old_woman",
    "nana": "old_woman", "nan": "old_woman", "mom": "woman", "mum": "woman", "mommy": "woman",
    "mummy": "woman", "mama": "woman", "dad": "man", "daddy": "man", "papa": "man",
    "knight": "guard", "aunt": "woman", "auntie": "woman", "uncle": "man",
}


# kin word -> (for a person's kin, for an animal's kin: None = the same kind as the animal)
KIN_WORDS = {"mother": "woman", "mommy": "woman", "father": "man", "brother": "boy",
             "sister": "girl", "baby": "baby", "son": "boy", "daughter": "girl",
             "grandson": "boy", "granddaughter": "girl", "cousin": "child", "twin": "child"}
PEOPLE_OBJECTS = {"girl", "boy", "woman", "man", "child", "baby", "old_man", "old_woman", "person",
                  "prince", "princess"}


def person_object(lemma: str, names: set[str], known: Container[str], owner: Optional[str] = None
                  ) -> Optional[str]:
    """The library object for a person word, a common given name, or a kin word whose owner's
    object is `owner`, if one of `known` fits."""
    word = lemma.lower()
    if word in KIN_WORDS and owner is not None:
        oid = KIN_WORDS[word] if owner in PEOPLE_OBJECTS else owner
        return oid if oid in known else None
    oid = PERSON_WORDS.get(word)
    if oid is None and (names or lemma[:1].isupper()):
        if word in FEMALE_NAMES:
            oid = "girl"
        elif word in MALE_NAMES:
            oid = "boy"
    return oid if oid in known else None
