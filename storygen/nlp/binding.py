"""Where the syntax lets a pronoun reach: binding and cataphora, for coreference (coref.py).

Binding (`banned`): an object pronoun does not name its own clause's subject or objects ("The
rabbit met a hen. She gave her a carrot": her is not She), a possessive is not the noun it
modifies, an independent possessive ("Tess drew hers") and a place phrase after "have" ("the
sweater had a hole in it") are free. Cataphora (`cataphor`): a pronoun in a clause fronted
before its main clause may name that clause's subject ("When she woke up, the bear
stretched"). Pure functions of one parse and the token -> entity links found so far.
"""
from __future__ import annotations

from .mentions import INDEPENDENT_POSSESSIVES, ecm
from .parse import SUBJ, Parse, Token, arguments, governing_verb


def banned(p: Parse, t: Token, links: dict[int, tuple[str, ...]]) -> set[str]:
    """Binding: an object pronoun is not its clause's subject/objects; a possessive is not
    the noun it modifies."""
    out: set[str] = set()
    if t.lower in INDEPENDENT_POSSESSIVES:  # "Tess drew hers": her own, binding says nothing
        return out
    if t.dep == "poss" or t.tag == "PRP$":
        out.update(links.get(t.head, ()))
        return out
    verb = governing_verb(p, t)
    if verb is not None and ecm(t):
        verb = governing_verb(p, verb)
    elif verb is not None and t.dep in SUBJ and p.tokens[t.head].i == verb.i:
        return out
    if verb is None:
        return out
    # "The sweater had a hole in it", "the box had a lid on it": after "have", a pronoun
    # in a place phrase may name the subject (elsewhere, "said hello to him", it may not)
    free = t.dep == "pobj" and verb.lemma == "have"
    for c in arguments(p, verb):
        if c.i != t.i and not (free and c.dep in SUBJ):
            out.update(links.get(c.i, ()))
    return out


def cataphor(p: Parse, t: Token, links: dict[int, tuple[str, ...]]) -> tuple[str, ...]:
    """The main clause's subject when the pronoun sits in a clause fronted before it ("After
    she finished her tea, the queen went out"): children's books use this often, and with no
    earlier antecedent it is the only reading."""
    verb = governing_verb(p, t)
    while verb is not None and verb.dep not in ("advcl",) and verb.head != verb.i and \
            verb.dep in ("conj", "xcomp", "ccomp"):
        verb = p.tokens[verb.head]
    if verb is None or verb.dep != "advcl" or verb.head == verb.i:
        return ()
    main = p.tokens[verb.head]
    while main.pos not in ("VERB", "AUX") and main.head != main.i:  # "As soon as it rose, ..."
        main = p.tokens[main.head]
    if main.i < verb.i:
        return ()  # not fronted: "the bear stretched when she woke" reads backwards
    subj = next((c for c in p.children(main.i) if c.dep in SUBJ and c.i > t.i), None)
    return links.get(subj.i, ()) if subj is not None else ()

