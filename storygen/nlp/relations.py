"""Dependency patterns -> SceneGraph: entities, spatial relations, actions and place cues.

The parsed pipeline registered as nlp backends "spacy" and "stanza": parse (hero phrases
protected) -> coref with story context -> relations. Relation rules, on ClearNLP labels:
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

from ..options import load_options
from ..records import Action, Entity, Prompt, Relation, SceneGraph, Story
from ..scenes.assets import Library, load_library
from . import spacy_backend, stanza_backend  # noqa: F401  (register nlp "spacy" and "stanza")
from .basic import find_cues
from .holding import holding_relations
from .lexicon import BODY_PARTS, QUANTITY
from .people import person_object
from .coref import POSSESSIVE, REFLEXIVE, SceneCoref, StoryCoref
from .parse import (SUBJ, Parse, Token, clause_subjects, governing_verb,
                    mention_phrase, parse_text, right_edge)

PREPS = {
    "under": "below", "beneath": "below", "underneath": "below", "below": "below",
    "above": "above", "over": "above", "on": "on", "onto": "on", "upon": "on", "atop": "on",
    "up": "on", "in": "in", "inside": "in", "into": "in", "within": "in", "near": "near",
    "beside": "near", "by": "near", "alongside": "near", "around": "near", "among": "near",
    "amongst": "near", "against": "near", "behind": "behind", "between": "between",
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
LOOK_VERBS = set("look peek peer search stare glance gaze point hunt check".split())
# Mass/ground nouns: "lay on the sand near the wreck" places the anchor, not the sand
# "a penguin in goggles" is wearing them, not inside them
CLOTHES = set("suit goggles coat dress cloak scarf hat boot jacket sweater pyjamas costume shoe "
              "mitten glove glasses cape uniform raincoat".split())
GROUND = set("sand water grass mud snow ice ground floor air sky dirt soil hay straw".split())
PLACE_VERBS = set("put place lay set hang drop throw toss hide keep leave plant find see spot "
                  "notice carry hold wear balance stick bury pile stack spin build push pour tuck "
                  "store lose drag bring discover tie fix lift".split())
NEGATORS = {"not", "n't", "never", "no", "nowhere"}
NO_ACTION = {"be", "have", "do", "can", "could", "will", "would", "shall", "should", "may", "might",
             "must", "let"}
COLORS_EXTRA = set("black grey gray golden silvery dark light bright".split())
SIZES = set("big small little tiny huge giant tall long short large enormous fat thin".split())
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "several": 3, "many": 5, "few": 3, "lots": 5, "pair": 2, "both": 2}
PLURAL_COUNT, MAX_COUNT = 3, 5
EXTRA_CUES = ("ship", "spaceship", "sea floor", "ice cave", "treetop", "treetops")


class ParsedNLP:
    """Full parsed pipeline; registered as nlp backend "spacy" (and "stanza")."""

    def __init__(self, parser: str = "spacy", library: Library | None = None,
                 protect: bool = True) -> None:
        self.parser = parser
        self.protect = protect
        self.library = library or load_library()
        opts = load_options()
        self.places = tuple(p for t in opts.themes.values() for p in t.places) + EXTRA_CUES
        self.colors = set(opts.colors) | COLORS_EXTRA
        self.adjectives = set(opts.adjectives)
        self.animate = frozenset(n for o in self.library.manifest.objects
                                 if o.category in ("character", "animal") for n in o.names)

    def new_context(self, prompt: Prompt) -> StoryCoref:
        return StoryCoref(hero=prompt.hero, animate_lemmas=self.animate)

    def build_graph(self, text: str, index: int, prompt: Prompt,
                    context: StoryCoref | None = None) -> SceneGraph:
        """One scene; pass the same `context` for every scene of a story to carry coref."""
        coref = context if context is not None else self.new_context(prompt)
        scene = coref.add_scene(parse_text(text, self.parser, self.protect))
        return self.graph(scene, coref, index, prompt)

    def build_graphs(self, scenes: tuple[str, ...] | list[str], prompt: Prompt) -> list[SceneGraph]:
        coref = self.new_context(prompt)
        return [self.build_graph(text, n, prompt, coref) for n, text in enumerate(scenes, 1)]

    def object_id(self, coref: StoryCoref, eid: str) -> str | None:
        e = coref.entities[eid]
        words = e.mention.split()
        if words and words[-1][:1].islower():
            # the noun phrase first: its compound names the kind ("stag beetle", "watering can"),
            # and a stand-in marked None ("paper chain") must not fall back to the head lemma
            found = self.library.resolve(e.mention)
            if found.decided:
                return found.object_id
        for name in (e.lemma, *sorted(e.aliases)):
            oid = self.library.lookup(name)
            if oid is not None and name[:1].isupper() and \
                    self.library.get(oid).category not in ("animal", "character"):
                continue  # a name: "Old Goat" is a goat, but "Daisy" is no flower
            if oid is not None:
                return oid
        owner = self.object_id(coref, e.kin_of) if e.kin_of and e.kin_of != eid else None
        return person_object(e.lemma, e.names, self.library.objects, owner)  # "Grandpa", "Mia"

    def graph(self, scene: SceneCoref, coref: StoryCoref, index: int, prompt: Prompt) -> SceneGraph:
        p = scene.parse
        ids = {eid for key in scene.links.values() for eid in key
               if coref.entities[eid].lemma.split()[-1] not in BODY_PARTS
               and not coref.entities[eid].abstract}
        drawable = {eid for eid in coref.entities if self.object_id(coref, eid)}
        entities = tuple(self._entity(scene, coref, eid, prompt) for eid in _ordered(scene, ids))
        animate = {eid for eid, e in coref.entities.items() if e.animate}
        relations = tuple(dict.fromkeys(r for r in extract_relations(p, scene.links, animate)
                                        if r.subject in ids and r.object in ids))
        actions = tuple(dict.fromkeys(a for a in extract_actions(p, scene.links)
                                      if a.subject in ids and (a.object is None or a.object in ids)))
        relations = holding_relations(actions, relations, animate)
        resolved = rewrite(scene, coref, drawable)
        return SceneGraph(index=index, text=p.text, resolved_text=resolved, entities=entities,
                          relations=relations, actions=actions,
                          cues=find_cues(resolved, self.places), theme=prompt.theme,
                          backend=self.parser)

    def _entity(self, scene: SceneCoref, coref: StoryCoref, eid: str, prompt: Prompt) -> Entity:
        p, e = scene.parse, coref.entities[eid]
        heads = [p.tokens[i] for i, key in scene.links.items() if key == (eid,)
                 and p.tokens[i].pos in ("NOUN", "PROPN")]
        attrs: list[str] = []
        count = PLURAL_COUNT if e.plural else 1
        for t in heads:
            for c in p.children(t.i):
                word = c.lemma.lower()
                if c.dep in ("amod", "compound", "nummod") and (
                        word in self.colors or word in SIZES or word in self.adjectives):
                    attrs.append(word)
                if c.dep == "nummod" or c.lemma.lower() in NUMBERS:
                    count = max(count if e.plural else 1, _number(c))
            attrs += owned_colors(p, t, self.colors)
        if e.hero:
            attrs += [prompt.color, prompt.adjective]
        mention = next((mention_phrase(p, t) for t in heads), e.mention or e.lemma)
        return Entity(id=eid, lemma=e.lemma, mention=mention, object_id=self.object_id(coref, eid),
                      count=1 if e.hero else min(count, MAX_COUNT),
                      attributes=tuple(dict.fromkeys(attrs)), hero=e.hero)


def build_graphs(story: Story, backend: str = "spacy") -> list[SceneGraph]:
    """Scene graphs for a story's five scenes, with coreference carried across scenes."""
    from ..backends import NLP_BACKENDS

    nlp = NLP_BACKENDS.create(backend)
    if hasattr(nlp, "build_graphs"):
        return nlp.build_graphs(story.scenes, story.prompt)
    return [nlp.build_graph(text, n, story.prompt) for n, text in enumerate(story.scenes, 1)]


# ---------------------------------------------------------------- relations


def extract_relations(p: Parse, links: dict[int, tuple[str, ...]],
                      animate: frozenset[str] | set[str] = frozenset()) -> list[Relation]:
    out = []
    for prep in p.tokens:
        if prep.dep not in ("prep", "agent", "conj") or prep.pos != "ADP" and prep.lemma not in PREPS:
            continue
        found = predicate_and_objects(p, prep)
        if found is None:
            continue
        predicate, objects = found
        if predicate == "in" and all(o.lemma.lower() in CLOTHES for o in objects):
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
        if anchor.pos in ("VERB", "AUX") and anchor.lemma in LOOK_VERBS:
            continue
        negated = _negated(p, prep, anchor)
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


def _first_word(p: Parse, prep: Token) -> int:
    """Where a PP starts: 'next to' starts at 'next', 'in front of' at 'in'."""
    head = p.tokens[prep.head]
    if head.lemma.lower() in NEAR_HEADS and head.i == prep.i - 1:
        return head.i
    return prep.i


def predicate_and_objects(p: Parse, prep: Token) -> tuple[str, list[Token]] | None:
    word = prep.text.lower()
    pobj = [c for c in p.children(prep.i) if c.dep == "pobj"]
    if not pobj:
        return None
    obj = pobj[0]
    part = obj.lemma.lower()
    of = [g for c in p.children(obj.i) if c.dep == "prep" and c.lemma == "of"
          for g in p.children(c.i) if g.dep == "pobj"]
    if (word, part) in PART_PREDICATE and of:
        return PART_PREDICATE[(word, part)], _with_conj(p, of[0])
    if word in ("to", "of") and p.tokens[prep.head].lemma.lower() in NEAR_HEADS:
        return "near", _with_conj(p, obj)
    if word == "of" and p.tokens[prep.head].lemma.lower() in ("front", "top", "left", "right"):
        return None  # handled from the outer preposition
    if word not in PREPS:
        return None
    return PREPS[word], _with_conj(p, obj)


def _with_conj(p: Parse, t: Token) -> list[Token]:
    out = [t]
    for c in p.children(t.i):
        if c.dep == "conj":
            out += _with_conj(p, c)
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
        return _with_conj(p, by["nsubjpass"])
    if "expl" in by and "attr" in by:
        return _with_conj(p, by["attr"])
    if "dobj" in by and anchor.lemma in PLACE_VERBS:
        return _with_conj(p, by["dobj"])
    if anchor.dep in ("relcl", "acl") and anchor.head != anchor.i and not any(
            c.dep in SUBJ and c.tag not in ("WDT", "WP") for c in kids):
        return [p.tokens[anchor.head]]
    subjects = clause_subjects(p, anchor)
    if subjects:
        if subjects[0].tag in ("WDT", "WP") and anchor.dep == "relcl":
            return [p.tokens[anchor.head]]
        return [x for s in subjects for x in _with_conj(p, s)]
    for dep in ("attr", "dobj"):  # fronted: "In the cave lived an old sea turtle"
        if dep in by:
            return _with_conj(p, by[dep])
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


# ---------------------------------------------------------------- actions and entities


def extract_actions(p: Parse, links: dict[int, tuple[str, ...]]) -> list[Action]:
    out = []
    for v in p.tokens:
        if v.pos != "VERB" or v.dep in ("aux", "auxpass", "amod") or v.lemma in NO_ACTION:
            continue
        kids = p.children(v.i)
        if is_passive(p, v):
            subjects = [g for c in kids if c.dep == "agent" for g in p.children(c.i) if g.dep == "pobj"]
            objects = [c for c in kids if c.dep == "nsubjpass"]
        else:
            subjects = list(dict.fromkeys(x for s in clause_subjects(p, v) for x in _with_conj(p, s)))
            objects = [c for c in kids if c.dep == "dobj"]
        obj_ids = [e for o in objects for e in entity_ids(p, o, links)] or [None]
        for s in subjects:
            for se in entity_ids(p, s, links):
                for oe in obj_ids:
                    if oe != se:
                        out.append(Action(subject=se, verb=v.lemma.lower(), object=oe))
    return out


def owned_colors(p: Parse, t: Token, colors: set[str]) -> list[str]:
    """'a mermaid with a teal tail', 'her blue fins': a colored body part colors its owner."""
    out = []
    for prep in p.children(t.i):
        if prep.dep == "prep" and prep.lemma == "with":
            for part in p.children(prep.i):
                if part.lemma.lower() in BODY_PARTS:
                    out += [c.lemma.lower() for c in p.children(part.i) if c.lemma.lower() in colors]
    return out


def _number(t: Token) -> int:
    word = t.lemma.lower()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word, 1)


def _ordered(scene: SceneCoref, ids: set[str]) -> list[str]:
    """Entities in order of first appearance in the scene (stable output)."""
    seen: list[str] = []
    for i in sorted(scene.links):
        for eid in scene.links[i]:
            if eid in ids and eid not in seen:
                seen.append(eid)
    return seen


# ---------------------------------------------------------------- rewriting


def noun_phrase(coref: StoryCoref, key: tuple[str, ...], possessive: bool = False) -> str:
    """'the mermaid', 'the robots', 'the mermaid and the crab' (+ 's / ' when possessive)."""
    parts = []
    for eid in key:
        e = coref.entities[eid]
        word = e.lemma if e.hero or not e.surface else e.surface
        parts.append(word if word[:1].isupper() else f"the {word}")
    np = " and ".join(parts)
    if possessive:
        np += "'" if np.endswith("s") and len(key) == 1 and coref.entities[key[0]].plural else "'s"
    return np


def rewrite(scene: SceneCoref, coref: StoryCoref, drawable: set[str]) -> str:
    """Scene text with each pronoun that names a drawable entity replaced by its noun phrase
    ("her tail" -> "the mermaid's tail"); pleonastic and unresolved pronouns stay."""
    p = scene.parse
    out, pos = [], 0
    for i in sorted(scene.pronouns):
        key = scene.pronouns[i]
        t = p.tokens[i]
        word = t.text.lower()
        if not key or not any(e in drawable for e in key) or word in REFLEXIVE:
            continue  # "took it up the peak herself": the referent is already in the clause
        possessive = word in POSSESSIVE or t.tag == "PRP$"
        np = noun_phrase(coref, key, possessive)
        if t.text[:1].isupper():
            np = np[0].upper() + np[1:]
        out.append(p.text[pos:t.idx])
        out.append(np)
        pos = t.idx + len(t.text)
    out.append(p.text[pos:])
    return "".join(out)
