"""Mentions in a parse, for coreference: which nouns name an entity (and by what lemma), a
token's grammatical role, given names the tagger missed, and the "it" that names nothing
("It was a sunny morning"). Pure functions of one parse; coref.py keeps the story's state.
"""
from __future__ import annotations

from .lexicon import (ANIMALS, COLOR_WORDS, EXTRAPOSE_ADJ, FEMALE_NAMES, MALE_NAMES, NOT_MENTIONS,
                      PART_NOUNS, PEOPLE, QUANTITY, ROLE_NOUNS, SIZE_WORDS, TIME_NOUNS, WEATHER_ADJ,
                      WEATHER_VERBS)
from .parse import SUBJ, Parse, Token, to_infinitive


def role_class(role: str) -> str:
    return {"subj": "subj", "there": "subj", "obj": "obj"}.get(role, "other")


OBJECTIVE = {"him", "them"}  # and "her" tagged PRP


LETTING = {"let", "make", "help", "watch", "see", "hear", "feel"}


def ecm(t: Token, p: Parse | None = None) -> bool:
    """'saw him struggling', 'help him catch': an accusative pronoun the parser made the
    subject of a small clause is the object of the verb above; with the parse, so is an "it"
    before a bare verb after "let", "make", "watch" ("the lion let it go": not the lion)."""
    if t.dep in SUBJ and (t.lower in OBJECTIVE or t.lower == "her" and t.tag == "PRP"):
        return True
    if p is None or t.lower != "it" or t.dep != "nsubj" or t.head == t.i:
        return False
    verb = p.tokens[t.head]
    return verb.tag == "VB" and verb.dep in ("ccomp", "xcomp") and verb.head != verb.i and \
        p.tokens[verb.head].lemma.lower() in LETTING


LIGHT_VERBS = {"be", "have", "do", "get", "go", "come", "make", "take", "say", "see", "look", "let"}


def argument_of(p: Parse, t: Token) -> str:
    """The lemma of the verb t is the subject or direct object of ("" for any other role or a
    light verb that says too little to be a cue: be, have, go, say ...)."""
    while t.dep == "conj" and t.head != t.i:
        t = p.tokens[t.head]
    if t.dep not in SUBJ | {"dobj"} or t.head == t.i:
        return ""
    head = p.tokens[t.head]
    lemma = head.lemma.lower()
    if head.pos != "VERB" or lemma in LIGHT_VERBS:
        return ""
    # "gave the tortoise a banana ... He gave it back": giving back is the other way round
    return lemma + " back" if any(c.dep in ("prt", "advmod") and c.lower == "back"
                                  for c in p.children(head.i)) else lemma


def role_of(p: Parse, t: Token) -> str:
    while t.dep == "conj" and t.head != t.i:
        t = p.tokens[t.head]
    if ecm(t):
        return "obj"
    if t.dep in SUBJ:
        return "subj"
    if t.dep == "attr" and any(c.dep == "expl" for c in p.children(t.head)):
        return "there"
    if t.dep in ("dobj", "oprd"):
        return "obj"
    if t.dep == "dative":
        return "dative"
    if t.dep == "pobj":  # "the door of the house": a noun inside another's phrase is less in view
        prep = p.tokens[t.head]
        owner = p.tokens[prep.head]  # (not "a piece of cheese": the cheese is the mention)
        return "embedded" if prep.lower == "of" and prep.head != prep.i and \
            owner.pos in ("NOUN", "PROPN") and noun_lemma(p, owner) is not None else "obl"
    if t.dep == "poss":
        return "poss"
    return "other"


def is_name(t: Token) -> bool:
    """A proper name: tagged so, or a capitalised common given name the tagger took for a
    noun ("Pia planted a seed", "Lily and her mom")."""
    return t.pos == "PROPN" or t.text[:1].isupper() and t.lower in FEMALE_NAMES | MALE_NAMES


INDEPENDENT_POSSESSIVES = {"hers", "theirs", "ours", "yours", "mine"}


def painted_noun(p: Parse, t: Token) -> bool:
    """'painted the barn red': the parser reads "barn red" as one noun phrase, the colour its
    head; the word before a colour that ends the object (a determiner before both) is the noun."""
    head = p.tokens[t.head]
    return t.dep in ("amod", "compound") and t.i == head.i - 1 and head.lemma.lower() in COLOR_WORDS \
        and head.dep in ("dobj", "oprd") and t.lower not in COLOR_WORDS and t.text.isalpha() and \
        any(c.dep == "det" and c.i < t.i for c in p.children(head.i))


def sound_word(p: Parse, t: Token) -> bool:
    """'tap, tap, tap', 'Ding, ding, ding': a word said again after a comma is a sound, not a
    thing in the scene (no water tap in the throne room)."""
    for k in (t.i - 2, t.i + 2):
        if 0 <= k < len(p.tokens) and p.tokens[k].lower == t.lower and \
                p.tokens[(t.i + k) // 2].text == ",":
            return True
    return False


def mistagged(t: Token) -> bool:
    """'Grandpa/ADJ read Ava a story': a person or animal word the tagger called an
    adjective, standing where a noun stands (a subject or an object), is a noun."""
    return t.pos == "ADJ" and t.dep in SUBJ | {"dobj", "dative", "pobj"} and \
        t.lemma.lower() in PEOPLE | ANIMALS


def noun_lemma(p: Parse, t: Token) -> str | None:
    """The entity lemma of a nominal head, or None for times, abstractions and part nouns."""
    lemma = t.lemma.lower() if not is_name(t) else t.text
    if t.lower in INDEPENDENT_POSSESSIVES:  # "hers" tagged NOUN is a pronoun, no new entity
        return None
    if is_name(t):  # ("Every Sunday" is a day, not someone called Sunday)
        return lemma if t.text[:1].isupper() and t.lower not in TIME_NOUNS else None
    if lemma in ROLE_NOUNS:  # "a crab friend named Pinch" -> crab
        comp = [c for c in p.children(t.i) if c.dep == "compound" and c.i < t.i]
        if comp:
            lemma = comp[-1].lemma.lower()
    if lemma == "one" and t.tag == "NNS" and any(c.lower == "little" for c in p.children(t.i)):
        return "little one"  # "the little ones": a young one named before (coref._young), or none
    if lemma in TIME_NOUNS or lemma in NOT_MENTIONS or lemma in PART_NOUNS or not lemma.isalpha():
        return None
    if lemma in QUANTITY and any(c.dep == "prep" and c.lemma == "of" for c in p.children(t.i)):
        return None  # "a school of fish": the fish are the mention
    if t.dep != "compound" and t.i >= 2 and p.tokens[t.i - 1].text == "-" and \
            p.tokens[t.i - 2].head == t.i and p.tokens[t.i - 2].text.isalpha():
        lemma = f"{p.tokens[t.i - 2].lower}-{lemma}"  # "a yo-yo": one word, not a "yo"
    if t.dep in ("dobj", "attr") and p.tokens[t.head].lemma.lower() == "play" and lemma in PEOPLE \
            and not any(c.dep in ("det", "poss") for c in p.children(t.i)):
        return None  # "Amara played doctor with her teddy": a game, nobody called doctor
    if lemma == "watering" and t.i + 1 < len(p.tokens) and p.tokens[t.i + 1].lower == "can":
        return "watering can"  # the parser reads "can" as the verb
    head = p.tokens[t.head]
    if lemma == "ball" and t.dep == "pobj" and head.lower == "into" and \
            p.tokens[head.head].lemma.lower() in ("curl", "roll", "tuck"):
        return None  # "curled into a prickly ball": a shape, no ball beside the hedgehog
    if lemma in SOUNDS_GIVEN and t.dep == "dobj" and head.lemma.lower() in ("give", "let") and \
            not any(c.dep == "dative" for c in p.children(head.i)):
        return None  # "the hares gave a whistle" (but "gave her a whistle" is one)
    if lemma in DONE_AFTER_TO and t.i > 0 and p.tokens[t.i - 1].lower == "to" and not any(
            c.dep in ("det", "poss", "amod", "nummod") for c in p.children(t.i)):
        return None  # "stood up to bow": a verb the tagger made a noun (no ribbon on the grass)
    return lemma


SOUNDS_GIVEN = {"whistle", "shout", "cry", "laugh", "sigh", "yell", "squeak", "cheer", "hoot", "toot",
                "howl", "roar", "squeal", "shriek", "gasp", "giggle", "snort", "bark"}
DISTANCES = {"way", "distance", "walk", "trip", "journey"}
# verbs that are also things: after a bare "to" they are what someone goes to do
DONE_AFTER_TO = {"bow", "wave", "rest", "drink", "swim", "dance", "dive", "nap", "sniff", "peek", "kick"}


def pleonastic(p: Parse, t: Token) -> bool:
    """'It was a sunny morning', 'it began to rain', 'It was hard to see'."""
    if t.dep == "expl":
        return True
    if t.dep not in SUBJ:
        return False
    head = p.tokens[t.head]
    kids = p.children(head.i)
    if head.lemma in WEATHER_VERBS:
        return True
    if any(c.dep == "xcomp" and c.lemma in WEATHER_VERBS for c in kids):
        return True
    if head.lemma == "be":
        if any(c.dep == "attr" and c.lemma.lower() in TIME_NOUNS for c in kids):
            return True
        if any(c.dep == "attr" and c.lemma.lower() in DISTANCES for c in kids):
            return True  # "It was a long way"
        adjs = [a for c in kids if c.dep == "acomp" for a in [c] + [g for g in p.children(c.i) if g.dep == "conj"]]
        if any(a.lemma.lower() in WEATHER_ADJ for a in adjs):
            # "it was warm in her hands" is the egg; "It was cold in the castle", "nice and
            # cool in the water" is the place
            return all(_a_place(p, c) for c in kids if c.dep == "prep")
        if any(c.dep == "acomp" and c.lemma.lower() in EXTRAPOSE_ADJ for c in kids) and \
                any(c.dep in ("xcomp", "ccomp") for c in kids):
            return True
    # "It took him all day to reach the tree", "it takes time to learn" (the "to" may hang on
    # the object)
    clauses = kids + [g for k in kids if k.dep == "dobj" for g in p.children(k.i)]
    if head.lemma == "take" and any(c.dep in ("xcomp", "ccomp", "advcl", "relcl", "acl") and to_infinitive(p, c)
                                    for c in clauses):
        return True
    return False


def _a_place(p: Parse, prep: Token) -> bool:
    """'in the castle', 'outside': a where, not whose ('in her hands')."""
    objs = [c for c in p.children(prep.i) if c.dep == "pobj"]
    return prep.lower in ("in", "inside", "outside", "at", "on") and all(
        not any(g.dep == "poss" for g in p.children(o.i)) for o in objs)


def simile(p: Parse, t: Token) -> bool:
    """'looked like a unicorn's horn', 'shone like a star': a likeness, no one in the scene
    (nor an antecedent: the narwhal's "it" is not the unicorn)."""
    cur = t
    for _ in range(4):
        if cur.head == cur.i:
            return False
        head = p.tokens[cur.head]
        if cur.dep == "pobj":
            if head.lower == "as" and head.head != head.i:
                # "as smooth and shiny as a mirror" (a size, "as big as a house", is the
                # yardstick sizes.py reads: kept)
                adj = p.tokens[head.head]  # (the parser may hang the second "as" on "was")
                adjs = [adj] + [c for c in p.children(adj.i) if c.dep == "acomp"]
                return any(a.pos in ("ADJ", "ADV") and a.lemma.lower() not in SIZE_WORDS and
                           any(c.lower == "as" and c.i < a.i for c in p.children(a.i)) for a in adjs)
            return head.lower == "like" and head.pos == "ADP"
        if cur.dep not in ("poss", "compound", "amod", "conj", "appos"):
            return False
        cur = head
    return False


def given_name(p: Parse, t: Token) -> Token | None:
    """'a mermaid called Coral' / 'named Leo' / 'the mermaid, Coral,' -> the name token."""
    for c in p.children(t.i):
        if c.dep == "acl" and c.lemma in ("name", "call"):
            for n in p.children(c.i):
                if n.pos == "PROPN" or n.text[:1].isupper() and n.dep in ("oprd", "dobj", "attr", "xcomp"):
                    return n
        if c.dep == "appos" and c.pos == "PROPN":
            return c
    # "Ziggy the zebra was fast", "Rolo the rabbit": a capitalised word just before "the"
    # + noun, hung on the noun, or sharing its head (the parser may call it a verb)
    det = next((c for c in p.children(t.i) if c.dep == "det" and c.lower == "the" and
                all(p.tokens[k].head == t.i for k in range(c.i + 1, t.i))), None)
    n = p.tokens[det.i - 1] if det is not None and det.i > 0 else None
    if n is not None and n.text[:1].isupper() and n.text.isalpha() and \
            n.pos in ("PROPN", "NOUN", "VERB", "ADJ") and (n.i == 0 or p.tokens[n.i - 1].pos == "PUNCT") and \
            (t.head == n.i or n.head == t.i or n.head == t.head and n.head != n.i):
        return n
    head = p.tokens[t.head]  # "The cat is named Socks" (the tagger may call it a noun)
    if t.dep == "nsubjpass" and head.lemma in ("name", "call"):
        for n in p.children(head.i):
            if n.dep in ("oprd", "attr", "xcomp") and n.text[:1].isupper() and n.text.isalpha():
                return n
    subj = copula_subject(p, t)  # "Daisy was a brave puppy"
    if subj is not None and p.tokens[subj].pos == "PROPN" and p.tokens[subj].text[:1].isupper():
        return p.tokens[subj]
    return None


def copula_subject(p: Parse, t: Token) -> int | None:
    """Index of the subject when t is a predicate nominal ('He was the smallest bird')."""
    if t.dep != "attr" or p.tokens[t.head].lemma not in ("be", "become", "seem", "remain", "stay"):
        return None
    subj = [c for c in p.children(t.head) if c.dep in SUBJ]
    return subj[0].i if subj else None
