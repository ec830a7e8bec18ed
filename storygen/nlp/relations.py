"""Relation rules: which spatial relations a scene's dependency parse states, as Relation records.

Reads one Parse plus coref's token -> entity links (coref.py) and gives "X below Y" triples; the
scene reader (parsed_reader.py) keeps the ones between drawn entities. Rules, on ClearNLP labels:
- a preposition maps to a predicate (under -> below, next to -> near, in front of ->
  in_front_of, on top of -> on, to the left of -> left_of, between X and Y -> two relations);
  to/from/through/across/past/at... are motion or direction, not a place, and give nothing;
- what is located: the noun a PP modifies ("the shelf above her bed"); for a PP on a verb, the
  passive subject, the copula subject ("there was a crab under..."), the object of a placing
  or finding verb ("put the comb on the shelf", "saw a mouse behind the log"), else the subject
  (through conjoined verbs, relative clauses and coordinated subjects);
- a body part with an owner stands for the owner ("on her nose" -> on the dolphin); "a pile of
  leaves" stands for the leaves; looking/calling verbs ("looked under the bed") place nothing;
- negation on the clause or the preposition ("not under", "never", "no fish") -> negated=True.
"""
from __future__ import annotations

from ..records import Relation
from .lexicon import BODY_PARTS, QUANTITY
from .parse import SUBJ, Parse, Token, clause_subjects, governing_verb, right_edge

PREPS = {
    "under": "below", "beneath": "below", "underneath": "below", "below": "below",
    "above": "above", "over": "above", "on": "on", "onto": "on", "upon": "on", "atop": "on",
    "up": "on", "in": "in", "inside": "in", "into": "in", "within": "in", "near": "near",
    "beside": "near", "by": "near", "alongside": "near", "around": "near", "among": "near",
    "amongst": "near", "against": "near", "behind": "behind", "between": "between",
    "outside": "near",  # "stood outside the door": at it, on its far side from the room
}
# (preposition, part noun) + "of X": "in front of", "on top of", "to the left of", "at the edge of"
PART_PREDICATE = {
    ("in", "front"): "in_front_of", ("on", "top"): "on", ("at", "top"): "on",
    ("to", "left"): "left_of", ("on", "left"): "left_of", ("to", "right"): "right_of",
    ("on", "right"): "right_of", ("at", "edge"): "near", ("on", "edge"): "near",
    ("at", "side"): "near", ("by", "side"): "near", ("at", "end"): "near", ("at", "foot"): "near",
    ("in", "middle"): "in", ("in", "centre"): "in", ("in", "center"): "in",
}
NEAR_HEADS = {"next", "close", "near"}  # "next to", "close to", "near to"
# verbs done "from" a place while staying there ("waved from the window"): _from_place
FROM_STATIC = set("""blink watch peek peep peer look stare gaze glare wave call shout cry sing
chirp croak hoot squeak wink grin smile listen hang dangle shine glow twinkle answer whisper
giggle laugh cheer""".split())
LOOK_VERBS = set("look peek peer search stare glance gaze point hunt check".split())
# "a penguin in goggles" is wearing them, not inside them
CLOTHES = set("suit goggles coat dress cloak scarf hat boot jacket sweater pyjamas costume shoe "
              "mitten glove glasses cape uniform raincoat ribbon bow helmet crown necklace apron "
              "tutu wig mask earmuff sock slipper hood bonnet vest overalls pajamas".split())
# verbs whose "in" is inside, even of a hat: "the crab hid in the hat", "slept in the boot"
INSIDE_VERBS = set("hide sleep nap curl sit lie crawl climb jump fall land nest live put place "
                   "keep find tuck stuff drop fit squeeze peek be".split())
# Mass/ground nouns: "lay on the sand near the wreck" places the anchor, not the sand
GROUND = set("sand water grass mud snow ice ground floor air sky dirt soil hay straw".split())
PLACE_VERBS = set("put place lay set hang drop throw toss hide keep leave plant find see spot "
                  "notice carry hold wear balance stick bury pile stack spin build push pour tuck "
                  "store lose drag bring discover tie fix lift hear smell".split())
NEGATORS = {"not", "n't", "never", "no", "nowhere"}


# what covers or fills a thing, said of the thing: "covered in snow", "filled with apples"
COVER_VERBS = {"cover": "on", "sprinkle": "on", "decorate": "on", "dust": "on", "fill": "in",
               "pack": "in", "stuff": "in", "load": "in"}


def extract_relations(p: Parse, links: dict[int, tuple[str, ...]],
                      animate: frozenset[str] | set[str] = frozenset()) -> list[Relation]:
    out = []
    for prep in p.tokens:
        seen_from = _from_place(p, prep)
        if seen_from is not None:
            predicate, objects = seen_from
        else:
            if prep.dep not in ("prep", "agent", "conj") or prep.pos != "ADP" and prep.lemma not in PREPS:
                continue
            found = predicate_and_objects(p, prep)
            if found is None:
                continue
            predicate, objects = found
        worn_anchor = _anchor(p, prep) if predicate == "in" and all(
            o.lemma.lower() in CLOTHES for o in objects) else None
        if worn_anchor is not None and worn_anchor.lemma not in INSIDE_VERBS:
            # "they raced in matching teal ribbons", "a kitten in a blue helmet": worn (but
            # "curled up in a space helmet" is inside it)
            worn = [Relation(subject=oe, predicate="worn_by", object=se)
                    for s in located(p, worn_anchor) for o in objects
                    for se in entity_ids(p, s, links) for oe in entity_ids(p, o, links)
                    if se != oe and se in animate]
            # (one drawing of the ribbons: worn by the first of "the mermaid and the starfish")
            out += list({r.subject: r for r in reversed(worn)}.values())
            continue
        anchor = _anchor(p, prep)
        verb = governing_verb(p, prep)
        if anchor is None or prep.lemma == "by" and verb is not None and is_passive(p, verb):
            continue  # "hidden under a stone by the crab": the agent, not a place
        while anchor.pos == "NOUN" and (anchor.i not in links or anchor.lemma.lower() in GROUND) \
                and anchor.dep == "pobj":
            # "stood in a line in front of": the line is no thing, and in "lay on the sand near
            # the wreck" the sand places nothing: the PP belongs higher up
            up = _anchor(p, p.tokens[anchor.head])
            if up is None:
                break
            anchor = up
        if anchor.pos in ("VERB", "AUX") and anchor.lemma in LOOK_VERBS and seen_from is None:
            continue
        negated = _negated(p, prep, anchor)
        if anchor.pos == "VERB" and anchor.lemma in COVER_VERBS and prep.lemma in ("in", "with"):
            # "the cake was covered in patterns": the patterns are on the cake, not it in them
            # ("the jar was filled with sweets": the sweets in the jar)
            inverse = COVER_VERBS[anchor.lemma]
            out += [Relation(subject=oe, predicate=inverse, object=se, negated=negated)
                    for s in located(p, anchor) for o in objects
                    for se in entity_ids(p, s, links) for oe in entity_ids(p, o, links) if se != oe]
            continue
        subjects = _stacked(p, prep, anchor, objects, links, animate) or located(p, anchor)
        subjects = _stacked(p, prep, anchor, objects, links, animate) or located(p, anchor)
        for s in subjects:
            for o in objects:
                for se in entity_ids(p, s, links):
                    for oe in entity_ids(p, o, links):
                        if se != oe:
                            out.append(Relation(subject=se, predicate=predicate, object=oe,
                                                negated=negated))
    return out


def _stacked(p: Parse, prep: Token, anchor: Token, objects: list[Token], links, animate
             ) -> list[Token]:
    """'put the comb on the shelf above her bed': a second PP right after the first one's noun
    locates that noun (the parser hangs both on the verb), unless the noun is mass/ground
    ("on the sand near the wreck") or the new landmark is a creature ("next to the hippo")."""
    if anchor.pos not in ("VERB", "AUX"):
        return []
    for first in p.children(anchor.i):
        if first.dep != "prep" or first.i >= prep.i or first.lemma not in PREPS:
            continue
        pobj = [c for c in p.children(first.i) if c.dep == "pobj"]
        if not pobj or right_edge(p, first.i) + 1 != _first_word(p, prep):
            continue
        noun = pobj[0]
        if noun.lemma.lower() in GROUND | BODY_PARTS or noun.i not in links:
            return []
        if any(e in animate for o in objects for e in entity_ids(p, o, links)):
            return []
        return [noun]
    return []


def _from_place(p: Parse, prep: Token) -> tuple[str, list[Token]] | None:
    """Where a thing is that does something "from" a place without leaving it: "a frog blinked
    at him from a lily pad" (on it), "peeking out from under a fern" (under it), "called down
    from the top of the hedge". Motion verbs ("ran from the farm") say where it was before."""
    inner = prep.dep in ("pcomp", "prep") and p.tokens[prep.head].lower == "from"
    outer = p.tokens[prep.head] if inner else prep
    if outer.lower != "from" or outer.dep != "prep":
        return None
    verb = p.tokens[outer.head]
    if verb.pos not in ("VERB", "AUX") or verb.lemma not in FROM_STATIC:
        return None
    if inner:  # "from under a fern", "from behind the tree"
        pobj = [c for c in p.children(prep.i) if c.dep == "pobj"]
        return (PREPS[prep.lower], with_conj(p, pobj[0])) if pobj and prep.lower in PREPS else None
    if any(c.dep in ("pcomp", "prep") and c.lower in PREPS for c in p.children(prep.i)):
        return None  # (the inner preposition says it)
    pobj = [c for c in p.children(prep.i) if c.dep == "pobj"]
    if not pobj:
        return None
    of = [g for c in p.children(pobj[0].i) if c.dep == "prep" and c.lemma == "of"
          for g in p.children(c.i) if g.dep == "pobj"]
    if pobj[0].lemma.lower() in ("top", "edge", "end", "side") and of:
        return ("on" if pobj[0].lemma.lower() == "top" else "near"), with_conj(p, of[0])
    return "on", with_conj(p, pobj[0])


def _first_word(p: Parse, prep: Token) -> int:
    """Where a PP starts: 'next to' starts at 'next', 'in front of' at 'in'."""
    head = p.tokens[prep.head]
    if head.lemma.lower() in NEAR_HEADS and head.i == prep.i - 1:
        return head.i
    return prep.i


def predicate_and_objects(p: Parse, prep: Token) -> tuple[str, list[Token]] | None:
    word = prep.text.lower()
    pobj = [c for c in p.children(prep.i) if c.dep == "pobj"]
    if not pobj:  # "in matching teal ribbons": the parser reads "matching" as a verb
        pobj = [g for c in p.children(prep.i) if c.dep == "pcomp" and c.lemma == "match"
                for g in p.children(c.i) if g.dep == "dobj"]
    if not pobj:
        return None
    obj = pobj[0]
    part = obj.lemma.lower()
    of = [g for c in p.children(obj.i) if c.dep == "prep" and c.lemma == "of"
          for g in p.children(c.i) if g.dep == "pobj"]
    if (word, part) in PART_PREDICATE and of:
        return PART_PREDICATE[(word, part)], with_conj(p, of[0])
    if word in ("to", "of") and p.tokens[prep.head].lemma.lower() in NEAR_HEADS:
        return "near", with_conj(p, obj)
    if word == "of" and p.tokens[prep.head].lemma.lower() in ("front", "top", "left", "right"):
        return None  # handled from the outer preposition
    if word not in PREPS:
        return None
    return PREPS[word], with_conj(p, obj)


def with_conj(p: Parse, t: Token) -> list[Token]:
    """t and its conjuncts, depth first ("the cow, the horse and the pig")."""
    out = [t]
    for c in p.children(t.i):
        if c.dep == "conj":
            out += with_conj(p, c)
    return out


def _anchor(p: Parse, prep: Token) -> Token | None:
    """The word the PP hangs on; coordinated PPs ('under X and behind Y') share it."""
    cur = prep
    for _ in range(4):
        head = p.tokens[cur.head]
        if cur.head == cur.i:
            return None
        if head.pos == "ADP" or head.lemma.lower() in NEAR_HEADS and head.dep in ("advmod", "prep", "amod"):
            cur = head
            continue
        if head.pos in ("ADJ", "ADV") and head.dep in ("acomp", "advmod", "oprd") and head.head != head.i:
            cur = head  # "stuck on a rock", "curled up in"
            continue
        return head
    return None


def located(p: Parse, anchor: Token) -> list[Token]:
    """What the PP on `anchor` places (see module doc), with coordinated subjects."""
    if anchor.pos in ("NOUN", "PROPN", "PRON"):
        return [anchor]
    kids = p.children(anchor.i)
    by = {}
    for c in kids:
        by.setdefault(c.dep, c)
    if "nsubjpass" in by:
        return with_conj(p, by["nsubjpass"])
    if "expl" in by and "attr" in by:
        return with_conj(p, by["attr"])
    if "dobj" in by and anchor.lemma in PLACE_VERBS:
        return with_conj(p, by["dobj"])
    if anchor.dep in ("relcl", "acl") and anchor.head != anchor.i and not any(
            c.dep in SUBJ and c.tag not in ("WDT", "WP") for c in kids):
        return [p.tokens[anchor.head]]
    subjects = clause_subjects(p, anchor)
    if subjects:
        if subjects[0].tag in ("WDT", "WP") and anchor.dep == "relcl":
            return [p.tokens[anchor.head]]
        return [x for s in subjects for x in with_conj(p, s)]
    for dep in ("attr", "dobj"):  # fronted: "In the cave lived an old sea turtle"
        if dep in by:
            return with_conj(p, by[dep])
    return []


def entity_ids(p: Parse, t: Token, links: dict[int, tuple[str, ...]]) -> tuple[str, ...]:
    """Entities a token stands for: owners for body parts, contents for 'a pile of X'."""
    lemma = t.lemma.lower()
    if lemma in BODY_PARTS:
        owner = [c for c in p.children(t.i) if c.dep == "poss"]
        if owner:
            return entity_ids(p, owner[0], links)
    if lemma in QUANTITY:
        inner = [g for c in p.children(t.i) if c.dep == "prep" and c.lemma == "of"
                 for g in p.children(c.i) if g.dep == "pobj"]
        if inner:
            return entity_ids(p, inner[0], links)
    return links.get(t.i, ())


def _negated(p: Parse, prep: Token, anchor: Token) -> bool:
    for t in (prep, anchor):
        if any(c.dep in ("neg", "preconj", "advmod") and c.text.lower() in NEGATORS
               for c in p.children(t.i)):
            return True
    for s in located(p, anchor) if anchor.pos in ("VERB", "AUX") else [anchor]:
        if any(c.dep == "det" and c.text.lower() == "no" for c in p.children(s.i)):
            return True
    return False


def is_passive(p: Parse, verb: Token) -> bool:
    return any(c.dep in ("auxpass", "nsubjpass") for c in p.children(verb.i))
