"""Where the syntax lets a pronoun reach: binding and cataphora, for coreference (coref.py).

Binding (`banned`): an object pronoun does not name its own clause's subject or objects ("The
rabbit met a hen. She gave her a carrot": her is not She), a subject pronoun not its own
verb's objects ("She ate the cake and thanked Grandma": she is not Grandma; "Inside it, it
changed": two things), a possessive is not the noun it modifies; an independent possessive
("Tess drew hers"), a place phrase after "have" ("the sweater had a hole in it") and what one
carries "with" oneself ("took some honey with them") are free. Cataphora (`cataphor`): a
pronoun in a clause fronted before its main clause may name that clause's subject ("When she
woke up, the bear stretched"). Pure functions of one parse and the token -> entity links found so far.
"""
from __future__ import annotations

from .coref_state import PRONOUNS
from .lexicon import BODY_PARTS
from .mentions import INDEPENDENT_POSSESSIVES, ecm
from .parse import SUBJ, Parse, Token, arguments, clause_subject, governing_verb


CARRY = {"take", "bring", "carry", "keep"}
STOOD_ON = set("stand sit jump climb step hop leap perch kneel land".split())


def banned(p: Parse, t: Token, links: dict[int, tuple[str, ...]]) -> set[str]:
    """Binding: an object pronoun is not its clause's subject/objects; a possessive is not
    the noun it modifies."""
    out: set[str] = set()
    if t.lower in INDEPENDENT_POSSESSIVES:  # "Tess drew hers": her own, binding says nothing
        return out
    if t.dep == "poss" or t.tag == "PRP$":
        out.update(links.get(t.head, ()))
        out.update(_crossed(p, t, links))
        return out
    verb = governing_verb(p, t)
    if verb is not None and ecm(t, p):
        verb = governing_verb(p, verb)
    elif verb is not None and t.dep in SUBJ and p.tokens[t.head].i == verb.i:
        return _subject_banned(p, t, verb, links)
    if verb is None:
        return out
    # "The sweater had a hole in it", "the box had a lid on it": after "have", a pronoun
    # in a place phrase may name the subject (elsewhere, "said hello to him", it may not)
    # "They took some honey with them": what one carries goes "with" oneself
    free = t.dep == "pobj" and (verb.lemma == "have" or verb.lemma in CARRY and
                                p.tokens[t.head].lower == "with")
    for c in arguments(p, verb):
        if c.i != t.i and not (free and c.dep in SUBJ) and not _own_clause(p, c):
            out.update(links.get(c.i, ()))
    # "the cat jumped on the table and knocked it down": not what it stands on
    if t.dep == "dobj" and verb.dep == "conj" and p.tokens[verb.head].lemma.lower() in STOOD_ON:
        first = p.tokens[verb.head]
        out.update(e for prep in p.children(first.i) if prep.dep == "prep" and prep.lower in ("on", "onto", "upon")
                   for g in p.children(prep.i) if g.dep == "pobj" for e in links.get(g.i, ()))
    # "Tom and his sister tried to catch them": every conjunct of the subject, not only the
    # first (a subject the clause shares: "had" + "to find")
    subj = clause_subject(p, verb)
    if not free and subj is not None and subj.i != t.i and p.tokens[subj.head].pos in ("VERB", "AUX"):
        for c in p.children(subj.i):
            if c.dep == "conj":
                out.update(links.get(c.i, ()))
    return out


# "A mouse ran across his nose": what moves over a body part moves over someone else's
MOVING = set("run crawl creep climb walk hop jump land fly scurry scamper skip dance march tiptoe "
             "slide buzz perch wriggle".split())
ONTO = {"across", "over", "onto", "on", "up", "along", "down", "into"}


def _crossed(p: Parse, t: Token, links: dict[int, tuple[str, ...]]) -> set[str]:
    """The subject of "ran across his nose", "landed on her hand", "crawled up his arm": a
    creature does not run across its own nose (a verb with an object may act on its own:
    "put his hand on his head")."""
    part = p.tokens[t.head]
    up = p.tokens[part.head]  # the preposition, or the verb ("crawled up/prt his leg/dobj")
    verb = p.tokens[up.head] if part.dep == "pobj" else up
    if part.lemma.lower() not in BODY_PARTS or verb.lemma.lower() not in MOVING:
        return set()
    kids = p.children(verb.i)
    if not (part.dep == "pobj" and up.lower in ONTO and not any(c.dep == "dobj" for c in kids) or
            part.dep == "dobj" and any(c.dep == "prt" and c.lower in ONTO for c in kids)):
        return set()
    return {e for c in kids if c.dep in SUBJ for e in links.get(c.i, ())}


def _own_clause(p: Parse, subj: Token) -> bool:
    """'A moth flew past, and the cat caught it': the parser may hang "flew ... and" off the
    moth and make the moth a second subject of "caught"; a subject whose own verb carries
    the "and" (or whose "and" follows its own verb: "A leaf floated by, and") is the subject
    of a clause of its own, and binding does not reach it."""
    kids = p.children(subj.i)
    verbs = [c for c in kids if c.pos == "VERB" and c.dep in ("acl", "relcl")]
    return subj.dep in SUBJ and any(any(g.dep == "cc" for g in p.children(v.i)) or
                                    any(g.dep == "cc" and g.i > v.i for g in kids) and
                                    not any(g.dep == "conj" for g in kids) for v in verbs)


def _subject_banned(p: Parse, t: Token, verb: Token, links: dict[int, tuple[str, ...]]) -> set[str]:
    """A subject pronoun is not what its own verb acts on, nor what the verbs that share its
    subject act on ("She ate every bite and thanked Grandma", "he wanted to hug the bear"):
    a writer who meant the same one would say "herself"."""
    out: set[str] = set()
    verbs, k = [verb], 0
    while k < len(verbs):
        for c in p.children(verbs[k].i):
            if c.dep in ("conj", "xcomp") and c.pos in ("VERB", "AUX") and \
                    not any(g.dep in SUBJ for g in p.children(c.i)):
                verbs.append(c)
        k += 1
    for v in verbs:
        for c in arguments(p, v):
            if c.i != t.i and c.dep not in SUBJ:
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


def other_gender(p: Parse, t: Token, gender: str | None, pronouns: dict[int, tuple[str, ...]]) -> set[str]:
    """What another pronoun of the clause, of another gender, already names (`pronouns`: token
    -> entities so far): "it slept at the end of her bed" (her is not the dragon), "His
    friend caught it" (it is not him)."""
    if gender not in ("m", "f", "n"):
        return set()
    verb = governing_verb(p, t)
    out: set[str] = set()
    for i, key in pronouns.items():
        other = p.tokens[i]
        g = PRONOUNS.get(other.lower, (None, None))[1]
        if len(key) == 1 and g in ("m", "f", "n") and g != gender and governing_verb(p, other) == verb:
            out.update(key)
    return out
