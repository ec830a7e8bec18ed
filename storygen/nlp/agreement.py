"""Agreement for coreference (coref.py): whether an entity may be a pronoun of a number and
gender, at what cost ("it" for an animal, "she" for a thing once called "it"), and what gender
an entity's own word or name says ("Mia", "the grandma")."""
from __future__ import annotations

from .coref_state import EntityState
from .lexicon import (ANIMALS, BODY_PARTS, FEMALE, FEMALE_NAMES, HUMANS, MALE, MALE_NAMES,
                      PERSONIFIED)

HERO, AMBIGUOUS_PLURAL = 10, 20  # the hero leans a little; "they" for "the sheep" a little less
# "it" for an animal: a mild cost when the words around the "it" say nothing (a near tie only:
# "The kitten hid under the blanket. The boy could not find it" is the kitten, the previous subject
# beating a place phrase by less than a role weight), a strong one when they say "thing"
# ("open it", "it rolled", "it was locked"; all but a bar: "the fox told the crow that
# it was too heavy" is the cheese), none when they say "animal" ("it wagged");
# and a thing loses THING_FOR_ANIMATE when they say "animal" (IT_ANIMATE_THING for "its head").
IT_ANIMATE, IT_ANIMATE_THING, THING_FOR_ANIMATE = 12, 300, 60
# "A turtle sat on the log. A snail crawled under it": a place "it" leans to a thing
IT_ANIMATE_PLACE = 40
# "The bushes were full of finches, and they sang": a "they" that sings, sleeps or wants is
# creatures, not the things beside them (a "they" that rolls says nothing: people roll too)
THEY_ANIMATE = 100
# "The ladybug landed on Mia's hand. She ...": a candidate whose word or name says "she"
# is a likelier "she" than one that says nothing
GENDER_KNOWN = 60
CALLED_IT = 200  # "Sophie's cat ... It could not get down, so her dad ...": not the cat again
NAMED_IT = 40  # "a goat named Pepper ... It": possible, but a thing "it" near it is likelier


def compatible(e: EntityState | None, plural: bool, gender: str | None,
               pref: str | None = None) -> tuple[bool, float]:
    """Whether entity `e` (None: a group) may be a pronoun of this number and gender, and the
    score it gains or loses for it; `pref`: what the words around an "it" say it is
    (preferences.it_words: animate, body, thing, place)."""
    if e is None:
        return plural, 0.0
    if e.lemma.split()[-1] in BODY_PARTS:
        return False, 0.0
    adj = HERO if e.hero else 0.0
    if plural:
        if e.plural is False:
            return False, 0.0
        return True, adj - (AMBIGUOUS_PLURAL if e.plural is None else 0) - \
            (THEY_ANIMATE if pref == "animate" and not e.animate else 0)
    if e.plural is True:
        return False, 0.0
    if gender in ("m", "f"):
        # (a toy may be told "he" or "she": "the china doll ... played with her")
        animate = e.animate or e.lemma.split()[-1] in PERSONIFIED
        return animate and e.gender in (None, gender), adj - (CALLED_IT if e.called_it else 0)
    if e.animate:  # "it" for an animal is possible, but not once it has been he/she
        head = e.lemma.split()[-1]  # (HUMANS holds every gendered word: "hen" too)
        # a named animal the story has not called "he" or "she" may still be "it" ("a
        # goat named Pepper. It ate the flowers"), a little worse than an unnamed one
        named = bool(e.names) and head in ANIMALS and not e.told and lexical_gender(e) is None
        if head in HUMANS and head not in ANIMALS and head not in PERSONIFIED or e.names and not named:
            return False, 0.0
        cost = {"animate": 0, "body": 0, "thing": IT_ANIMATE_THING, "place": IT_ANIMATE_PLACE
                }.get(pref, IT_ANIMATE)
        if head in PERSONIFIED:  # a toy or robot is an "it" at no cost ("the robot ... it stopped")
            cost = 0
        lexical = head in ANIMALS and not e.told  # "the cow ... it mooed"
        return e.gender in (None, "n") or lexical, adj - cost - (NAMED_IT if named else 0)
    return True, adj - {"animate": THING_FOR_ANIMATE, "body": IT_ANIMATE_THING}.get(pref, 0)


def says(e: EntityState, gender: str) -> bool:
    """The entity's own word or name says `gender` ("Mia", "the grandma"), or the story has
    told it of a named one ("Luna ... she"); an unnamed animal once called "she" (the
    hedgehog) is no likelier a "she" than the squirrel just met."""
    return e.told and e.gender == gender and bool(e.names) or lexical_gender(e) == gender


def lexical_gender(e: EntityState) -> str | None:
    """The gender the entity's own word or name says ("grandma", "Mia"), not one told."""
    head = e.lemma.split()[-1]
    if head in ANIMALS and not e.names:
        return None  # "met a hen. She gave her...": a hen's word says less than the subject's place
    names = {n.lower() for n in e.names} | {head.lower()}
    if head in FEMALE or names & FEMALE_NAMES:
        return "f"
    if head in MALE or names & MALE_NAMES:
        return "m"
    return None
