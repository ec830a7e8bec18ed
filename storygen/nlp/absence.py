"""What a scene says is not there: "the kite was gone", "there was no umbrella anywhere".

A lost-and-found story names the lost thing in the very scenes where it is missing, and a
picture that draws it there tells the child the opposite of the text (a reviewer: "the lost
ball is drawn right beside her"). These rules find the nouns a scene states absent or asks
after ("Did you see my ball?"), and keep
them absent unless the same scene then shows them again ("... she saw a flash of orange. It was
the kite!"). Searching for a thing ("looked for the kite") does not bring it back; finding it,
seeing it or a thing that lies somewhere does.
"""
from __future__ import annotations

from .parse import Parse, Token, governing_verb

GONE_WORDS = {"gone", "missing", "lost", "vanished", "away"}  # "the telescope was gone"
NOWHERE = {"nowhere"}  # "her ball was nowhere to be found"
VANISH_VERBS = {"vanish", "disappear"}
# seeing verbs: negated they say absence ("could not find her hat"), plain they say presence
SEE_VERBS = {"find", "see", "spot", "discover", "notice"}
LOSE_VERBS = {"lose", "misplace"}  # (not "drop": a dropped thing lies there)
# mentions that do not show the thing: looking for it, missing it, wishing for it
SEARCH_VERBS = {"look", "search", "hunt", "miss", "want", "wish", "hope", "call", "ask", "cry",
                "worry", "wonder", "remember", "think", "dream"}


def absent_mentions(p: Parse, animate: frozenset[int] = frozenset()) -> set[int]:
    """Token indexes of nouns (and pronouns) this parse states are not there, or are looked
    for ("searched for her hat under the bed": the hat is not drawn under the bed). `animate`:
    tokens naming a character, for whom "was lost" means lost in the woods, still in sight."""
    out: set[int] = set()
    for t in p.tokens:
        if t.pos not in ("NOUN", "PROPN", "PRON"):
            continue
        if _stated_gone(p, t, t.i in animate) or _seen_not(p, t) or _there_is_no(p, t) \
                or _searched(p, t) or _asked_for(p, t) or _idiom(p, t) or _buried(p, t) \
                or _not_yet(p, t):
            out.add(t.i)
    return out


def present_mentions(p: Parse, after: int, lemma: str | None = None) -> set[int]:
    """Token indexes after `after` of nouns and pronouns that show a thing is here: found,
    seen, lying or sitting somewhere, "it was the kite!" (not looked for, not missing)."""
    absent = absent_mentions(p)
    out: set[int] = set()
    for t in p.tokens[after + 1:]:
        if t.pos not in ("NOUN", "PROPN", "PRON") or t.i in absent:
            continue
        verb = governing_verb(p, t)
        if verb is None or _negated(p, verb) or verb.lemma in SEARCH_VERBS or _reported(p, verb):
            continue
        if t.dep == "attr" and lemma is not None and t.lemma.lower() != lemma:
            continue  # "It was the kite!" shows the kite; "it was the only way" no swing
        if t.dep == "nsubj" and verb.lemma == "be" and not any(
                c.dep == "prep" or c.lower in ("there", "here") for c in p.children(verb.i)):
            continue  # "it was the only way": says nothing of where it is
        if t.dep in ("dobj", "nsubj", "nsubjpass", "attr", "pobj", "conj"):
            out.add(t.i)
    return out


def gone_entities(p: Parse, links: dict[int, tuple[str, ...]],
                  animate: frozenset[str] = frozenset()) -> set[str]:
    """Entity ids the scene leaves absent: stated gone or looked for, and not shown again
    after that. `animate`: the entity ids of characters."""
    gone: set[str] = set()
    characters = frozenset(i for i, key in links.items() if any(e in animate for e in key))
    for i in sorted(absent_mentions(p, characters)):
        for eid in links.get(i, ()):
            back = present_mentions(p, i, p.tokens[i].lemma.lower())
            if not any(eid in links.get(j, ()) for j in back):
                gone.add(eid)
    return gone


def _stated_gone(p: Parse, t: Token, animate: bool = False) -> bool:
    """'The kite was gone', 'the key was missing', 'the ball was nowhere to be found', 'the key
    was not there', 'the moon disappeared', and 'lost her hat' (the thing lost, not 'a lost
    spoon': an adjective in front only says what it once was)."""
    head = p.tokens[t.head]
    if head.dep in ("aux", "auxpass") and head.head != head.i:
        head = p.tokens[head.head]  # "The telescope was gone": the subject may hang on "was"
    if t.dep in ("nsubj", "nsubjpass"):
        if head.lemma in VANISH_VERBS and not _negated(p, head):
            return True
        gone_words = GONE_WORDS - {"lost"} if animate else GONE_WORDS
        if head.lower in gone_words and head.pos in ("VERB", "ADJ", "ADV") and \
                _is_copula_or_aux(p, head):
            return not _negated(p, head)
        if head.lemma == "be":
            kids = p.children(head.i)
            if any(c.dep == "advmod" and c.lower in NOWHERE for c in kids):
                return True  # "the ball was nowhere to be found"
            if any(c.dep in ("acomp", "advmod", "attr") and c.lower in gone_words for c in kids):
                return not _negated(p, head)
            if _negated(p, head) and any(c.dep == "advmod" and c.lower in ("there", "here")
                                         for c in kids):
                return True  # "the key was not there"
    if t.dep == "dobj" and head.lemma in LOSE_VERBS and not _negated(p, head):
        return True
    return False


def _seen_not(p: Parse, t: Token) -> bool:
    """'She could not find her hat', 'nobody saw the key'."""
    head = p.tokens[t.head]
    if t.dep != "dobj" or head.lemma not in SEE_VERBS:
        return False
    return _negated(p, head) or any(c.dep == "nsubj" and c.lower in ("nobody", "no one", "none")
                                    for c in p.children(head.i))


def _asked_for(p: Parse, t: Token) -> bool:
    """'"Did you see my ball?"', 'Have you found my kite?', '"Where is my hat?"': a thing
    asked after is not in sight."""
    head = p.tokens[t.head]
    if t.dep == "nsubj" and head.lemma == "be":
        return any(c.dep == "advmod" and c.lower == "where" for c in p.children(head.i))
    if t.dep != "dobj" or head.lemma not in SEE_VERBS:
        return False
    end = next((w for w in p.tokens[t.i + 1:] if w.text in (".", "!", "?")), None)
    return end is not None and end.text == "?"


# a bare noun after "to"/"for"/"at" that names a doing, not a thing: "went home to bed", "time
# for bed", "off to school", "at sea"
IDIOM_NOUNS = {"bed", "school", "church", "work", "sea", "breakfast", "lunch", "supper", "dinner"}


def _idiom(p: Parse, t: Token) -> bool:
    """'off he went, home to bed': no bed in the picture."""
    head = p.tokens[t.head]
    return t.dep == "pobj" and head.lower in ("to", "for", "at") and t.lemma.lower() in IDIOM_NOUNS \
        and not any(c.dep in ("det", "poss", "amod", "compound", "nummod") for c in p.children(t.i))


CREATE_VERBS = {"build", "make", "bake", "knit", "sew", "draw", "paint", "cook", "plant", "dig"}
MODALS = {"will", "would", "could", "can", "shall", "should", "might", "may"}
WISH_VERBS = {"want", "wish", "hope", "plan", "decide", "dream", "need", "try", "promise", "ask",
              "beg", "offer", "help"}


def _not_yet(p: Parse, t: Token) -> bool:
    """'Gus, will you build us a swing?', 'she wanted to bake a cake': a thing still to be made
    is not in the picture (until the scene makes it: "... and soon the swing hung from the beam")."""
    head = p.tokens[t.head]
    if t.dep != "dobj" or head.lemma not in CREATE_VERBS:
        return False
    kids = p.children(head.i)
    if any(c.dep == "aux" and c.lower in MODALS for c in kids):
        return True
    if head.dep == "xcomp" and p.tokens[head.head].lemma in WISH_VERBS:
        return True
    end = next((w for w in p.tokens[t.i + 1:] if w.text in (".", "!", "?")), None)
    return end is not None and end.text == "?"


COVER_VERBS = {"cover", "bury", "hide", "swallow", "fill"}  # "the snow covered every footprint"
MASSES = {"snow", "sand", "leaf", "mud", "water", "dust", "fog", "mist", "wave", "tide", "ice"}


def _buried(p: Parse, t: Token) -> bool:
    """'In a few minutes it had covered the path and every footprint he had made' (the snow),
    'the tide buried the shells': under snow, sand or water, not to be seen."""
    head = p.tokens[t.head]
    if t.dep == "conj" and head.pos != "VERB":  # "covered the path and every footprint"
        while t.dep == "conj" and head.head != head.i:
            t, head = head, p.tokens[head.head]
    # (the parser may hang the second object on the verb itself: conj of "covered")
    if t.dep not in ("dobj", "conj") or head.lemma not in COVER_VERBS or _negated(p, head):
        return False
    subj = next((c for c in p.children(head.i) if c.dep == "nsubj"), None)
    return subj is not None and (subj.lemma.lower() in MASSES or subj.lower == "it" and
                                 any(w.lemma.lower() in MASSES for w in p.tokens[:head.i]))


def _there_is_no(p: Parse, t: Token) -> bool:
    """'There was no kite anywhere', 'there was no sign of the key'."""
    head = p.tokens[t.head]
    if t.dep == "pobj" and head.lower == "of" and p.tokens[head.head].lower == "sign":
        t, head = p.tokens[head.head], p.tokens[p.tokens[head.head].head]
    if t.dep != "attr" or head.lemma != "be":
        return False
    expl = any(c.dep == "expl" for c in p.children(head.i))
    no = any(c.dep == "det" and c.lower == "no" for c in p.children(t.i))
    return expl and (no or _negated(p, head) and any(c.lower == "any" for c in p.children(t.i)))


def _is_copula_or_aux(p: Parse, w: Token) -> bool:
    """'was gone' parses 'gone' as the root with 'was' as its auxiliary; 'was missing' too."""
    return w.pos in ("ADJ", "ADV") or any(c.dep in ("aux", "auxpass") and c.lemma == "be"
                                          for c in p.children(w.i))


def _negated(p: Parse, w: Token) -> bool:
    return any(c.dep == "neg" or c.lower in ("never", "nowhere") and c.dep == "advmod"
               for c in p.children(w.i))


SAY_VERBS = {"say", "tell", "think", "hope", "guess", "shout", "whisper", "reply", "answer"}


def _reported(p: Parse, verb: Token) -> bool:
    """'a squirrel, who said it rolled down the hill': told of, not shown (the ball is still
    lost)."""
    cur, seen = verb, 0
    while cur.head != cur.i and seen < 6:
        head = p.tokens[cur.head]
        if cur.dep == "ccomp" and head.lemma in SAY_VERBS:
            return True
        cur, seen = head, seen + 1
    return False


def _searched(p: Parse, t: Token) -> bool:
    """'looked for the kite', 'searched for her hat': the object of for/after a search verb."""
    head = p.tokens[t.head]
    return t.dep == "pobj" and head.lower in ("for", "after") and \
        p.tokens[head.head].lemma in SEARCH_VERBS
