"""Who is together: "near" relations a scene states without a preposition of place.

"The fox and the raven sat side by side", "the two friends walked home together", "they slept
next to each other" put the coordinated subjects beside one another, and "the prince hugged his
dog", "she patted the pony" put the one touched at the toucher's side. Neither has a landmark
noun for relations.py to read, so the pictures drew the pair apart; these rules give the
relation the layout keeps ("near": close, side by side).
"""
from __future__ import annotations

import re

from ..records import Action, Relation
from .parse import Parse, Token, clause_subjects
from .relations import entity_ids, with_conj

TOGETHER = re.compile(r"\b(?:together|side by side|shoulder to shoulder|hand in hand|nose to nose|"
                      r"cheek to cheek|back to back|wing to wing|each other|one another|"
                      r"close beside|huddled up)\b")
# an action on a creature that only happens beside it: the one touched is at the toucher's side
CONTACT_VERBS = {"hug", "cuddle", "kiss", "pat", "nuzzle", "stroke", "tickle", "snuggle", "embrace",
                 "lick", "comfort", "groom", "squeeze"}
# clauses of their own: "sat down, and they played together" is the second verb's, not the first's
OWN_CLAUSE = {"advcl", "conj", "ccomp", "xcomp", "relcl", "acl", "parataxis", "csubj"}


def together_relations(p: Parse, links: dict[int, tuple[str, ...]], actions: tuple[Action, ...],
                       animate: set[str]) -> list[Relation]:
    """'near' between a verb's coordinated subjects when the clause says they are together, and
    between a creature and the one it hugs, pats or nuzzles (see the module doc)."""
    out = []
    for v in p.tokens:
        if v.pos not in ("VERB", "AUX") or not TOGETHER.search(_clause_words(p, v)):
            continue
        ids = list(dict.fromkeys(e for s in clause_subjects(p, v) for x in with_conj(p, s)
                                 for e in entity_ids(p, x, links)))
        out += [Relation(subject=other, predicate="near", object=ids[0]) for other in ids[1:]]
    for a in actions:
        if a.verb in CONTACT_VERBS and a.object in animate and a.subject in animate:
            out.append(Relation(subject=a.object, predicate="near", object=a.subject))
    return out


def _clause_words(p: Parse, v: Token) -> str:
    """The words of v's own clause: its subtree without the clauses hanging on it."""
    keep, todo = [], [v.i]
    while todo:
        i = todo.pop()
        keep.append(i)
        todo += [c.i for c in p.children(i) if c.dep not in OWN_CLAUSE]
    return " ".join(p.tokens[i].text.lower() for i in sorted(keep))
