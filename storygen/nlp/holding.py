"""Who holds and who rides what: held_by and riding_on relations read from the scene's actions.

A preposition gives most relations, but "Mia held a red balloon", "holding a basket" and "The
knight rode a white horse" say where things are with a verb instead: the balloon is in Mia's
hand, the knight sits astride the horse. The pictures need both (scenes/attire.py draws held
things at the holder's hand; the solver puts a rider on the mount's back), so the graph says so.
"""
from __future__ import annotations

from dataclasses import replace

from ..records import Action, Relation
from .lexicon import BODY_PARTS
from .parse import Parse, clause_subjects
from .relations import entity_ids, with_conj

# Verbs after which the object is in the subject's hands (or paws, beak, trunk); "lift" and
# "hug" are moments, not a way of being placed, and stay actions only.
HOLD_VERBS = {"hold", "carry", "clutch", "grip", "grasp", "cradle"}
RIDE_VERBS = {"ride"}


def with_phrases(p: Parse, links: dict[int, tuple[str, ...]], animate: set[str]) -> list[Relation]:
    """"He hid behind the door with a lantern", "she came back with a big stick": a thing "with"
    a creature's intransitive verb is in its hands, and a creature with it ("played with the
    puppy", "walked home with her kitten") is at its side (near). Not with an object ("filled
    the bucket with water", "covered it with leaves": what it is done with), not a body part
    ("pushed with her nose"), not a noun's ("a fox with a silver coat": what it has, read by the
    scene reader)."""
    out = []
    for t in p.tokens:
        prep = p.tokens[t.head]
        if t.dep != "pobj" or prep.lemma.lower() != "with" or prep.dep != "prep" or \
                t.lemma.lower() in BODY_PARTS:
            continue
        verb = p.tokens[prep.head]
        if verb.pos != "VERB" or any(c.dep in ("dobj", "nsubjpass") for c in p.children(verb.i)):
            continue
        holders = [e for s in clause_subjects(p, verb) for x in with_conj(p, s)
                   for e in entity_ids(p, x, links) if e in animate]
        for thing in with_conj(p, t):
            for item in entity_ids(p, thing, links):
                pred = "near" if item in animate else "held_by"
                out += [Relation(subject=item, predicate=pred, object=h) for h in holders if h != item]
    return out


def holding_relations(actions: tuple[Action, ...], relations: tuple[Relation, ...],
                      animate: set[str]) -> tuple[Relation, ...]:
    """`relations` with "X on Y" made "X riding_on Y" for a rider, plus held_by and riding_on
    relations from hold/carry and ride actions (a holder or rider is a creature)."""
    riders = {(a.subject, a.object) for a in actions if a.verb in RIDE_VERBS and a.subject in animate}
    rider_ids = {a.subject for a in actions if a.verb in RIDE_VERBS and a.subject in animate}
    out = [replace(r, predicate="riding_on") if r.predicate == "on" and r.subject in rider_ids
           else r for r in relations]
    have = {(r.subject, r.predicate, r.object) for r in out}
    for a in actions:
        if a.object is None or a.subject not in animate or a.object == a.subject:
            continue
        on_body = any((a.object, pred, a.subject) in have for pred in ("on", "in"))
        if a.verb in HOLD_VERBS and (a.object, "held_by", a.subject) not in have and not on_body:
            # "carried the monkey on her back": on the carrier, not in hand
            out.append(Relation(subject=a.object, predicate="held_by", object=a.subject))
        elif (a.subject, a.object) in riders and (a.subject, "riding_on", a.object) not in have:
            out.append(Relation(subject=a.subject, predicate="riding_on", object=a.object))
    return tuple(dict.fromkeys(out))
