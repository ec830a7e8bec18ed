"""The parsed scene reader: ParsedNLP turns a story's scene texts into SceneGraphs.

Registered as nlp backends "spacy" and "stanza" (storygen/backends.py names the factories at the
bottom of this module). Per scene: parse with the hero phrase protected (parse.py; the parser
is found through storygen.backends.PARSERS), coreference with the story's context carried
across scenes (coref.py), then entities with their attributes and counts (here), relations
(relations.py), what it says is absent (absence.py), actions (actions.py), held_by/riding_on (holding.py), who is together
(together.py), the resolved text (rewrite.py) and the place/time cues (basic.find_cues, shared
with the baseline reader).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..options import load_options
from ..records import Entity, Prompt, SceneGraph
from ..object_library import Library, load_library
from .absence import gone_entities
from .actions import extract_actions
from .basic import find_cues
from .coref import SceneCoref, StoryCoref
from .holding import holding_relations, with_phrases
from .together import together_relations
from .lexicon import ANIMAL_COVERINGS, BODY_PARTS, SIZES, YOUNG, YOUNG_ALIASES, YOUNG_OF
from .parse import Parse, Token, mention_phrase, parse_text
from .people import person_object
from .poses import entity_poses
from .preferences import PARTS
from .relations import extract_relations
from .rewrite import rewrite

COLORS_EXTRA = set("black grey gray golden silvery dark light bright".split())
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "several": 3, "many": 5, "few": 3, "lots": 5, "pair": 2, "both": 2}
PLURAL_COUNT, MAX_COUNT = 3, 5
FEMALE_FORMS = {"deer": "doe"}  # a drawing whose kind has a female look of its own
ROLE_WORDS = set("judge teacher doctor baker king queen chef cook guard mayor captain leader "
                 "referee postman nurse farmer pilot keeper".split())
YOUNG_WORDS = YOUNG_ALIASES | set(YOUNG_OF.values()) | {"babies"}  # a young one's own words
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
        creatures = {o.id for o in self.library.manifest.objects if o.category in ("character", "animal")}
        # (a kind drawn with another's drawing is a creature too: a porcupine, a sparrow, a moth)
        self.animate = frozenset([n for o in self.library.manifest.objects if o.id in creatures
                                  for n in o.names] +
                                 [w for w, oid in self.library.standins.items() if oid in creatures])

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
        oid = self._object_id(coref, eid)
        female = FEMALE_FORMS.get(oid or "")
        # "a gentle deer ... she": a doe, no antlers (the library's deer is a stag)
        if female in self.library and coref.entities[eid].gender == "f":
            return female
        return oid

    def _object_id(self, coref: StoryCoref, eid: str) -> str | None:
        e = coref.entities[eid]
        words = e.mention.split()
        if len(words) > 1 and words[-1] in ROLE_WORDS:
            # "the owl judge", "the rabbit teacher": an animal in a role is drawn as the animal
            kind = self.library.lookup(words[-2])
            if kind is not None and self.library.get(kind).category == "animal":
                return kind
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
        owner = self._object_id(coref, e.kin_of) if e.kin_of and e.kin_of != eid else None
        return person_object(e.lemma, e.names, self.library.objects, owner)  # "Grandpa", "Mia"

    def graph(self, scene: SceneCoref, coref: StoryCoref, index: int, prompt: Prompt) -> SceneGraph:
        p = scene.parse
        worn_by, covered = self._coverings(scene, coref)
        coverings = {scene.links[i][0] for i in worn_by}
        # "the ladybug landed on the snail's shell": on the snail, as with a body part
        links = {i: ((worn_by[i],) if i in worn_by else key) for i, key in scene.links.items()}
        ids = {eid for key in scene.links.values() for eid in key
               if coref.entities[eid].lemma.split()[-1] not in BODY_PARTS
               and eid not in coverings and not coref.entities[eid].abstract} - _parts(scene, coref)
        drawable = {eid for eid in coref.entities if self.object_id(coref, eid)}
        animate = {eid for eid, e in coref.entities.items() if e.animate}
        # "the kite was gone", "looked for her hat": named here, not drawn here (absence.py)
        gone = gone_entities(p, scene.links, frozenset(animate)) - \
            {eid for eid, e in coref.entities.items() if e.hero}
        poses = entity_poses(p, links, frozenset(animate))  # "the deer rolled down the hill"
        entities = tuple(replace(self._entity(scene, coref, eid, prompt, covered.get(eid, ()), eid in gone),
                                 pose="" if eid in gone else poses.get(eid, ""))
                         for eid in _ordered(scene, ids))
        relations = tuple(dict.fromkeys(r for r in extract_relations(p, links, animate)
                                        if r.subject in ids and r.object in ids and r.subject != r.object
                                        and (r.negated or not {r.subject, r.object} & gone)))
        ids -= gone  # (entities keep them, marked "gone"; only "it was not under the rock" holds)
        actions = tuple(dict.fromkeys(a for a in extract_actions(p, links)
                                      if a.subject in ids and (a.object is None or a.object in ids)
                                      and a.subject != a.object))
        held = tuple(r for r in with_phrases(p, links, animate) if r.subject in ids and r.object in ids
                     and not any(x.subject == r.subject for x in relations))
        relations = holding_relations(actions, relations + held, animate)
        have = {(r.subject, r.object) for r in relations} | {(r.object, r.subject) for r in relations}
        relations += tuple(r for r in together_relations(p, links, actions, animate)
                           if r.subject in ids and r.object in ids and r.subject != r.object
                           and (r.subject, r.object) not in have)
        resolved = rewrite(scene, coref, drawable)
        return SceneGraph(index=index, text=p.text, resolved_text=resolved, entities=entities,
                          relations=relations, actions=actions,
                          cues=find_cues(resolved, self.places), theme=prompt.theme,
                          backend=self.parser)

    def _is_animal(self, coref: StoryCoref, eid: str) -> bool:
        oid = self.object_id(coref, eid)
        return oid is not None and self.library.get(oid).category == "animal"

    def _coverings(self, scene: SceneCoref, coref: StoryCoref) -> tuple[dict[int, str], dict[str, list[str]]]:
        """The entities of this scene that are an animal's own coat, shell, feathers or stripes
        ("a fox with a silver coat", "his blue shell" of the turtle), and the colours they give
        their owners: drawn as the animal in that colour, not as a coat or a seashell beside it.
        -> ({covering token: owner entity id}, {owner: colours})."""
        p, out, colors = scene.parse, {}, {}
        for i, key in scene.links.items():
            t = p.tokens[i]
            if len(key) != 1 or t.pos != "NOUN" or t.lemma.lower() not in ANIMAL_COVERINGS:
                continue
            owners = [scene.links.get(c.i, ()) for c in p.children(i) if c.dep == "poss"]
            if t.dep == "pobj" and p.tokens[t.head].lemma == "with":
                w = p.tokens[t.head]
                owners.append(scene.links.get(w.head, ()))
                if w.i > 0 and p.tokens[w.i - 1].pos in ("NOUN", "PROPN"):
                    # "there lived a snail with a yellow shell": the parser hangs "with" on
                    # "lived"; the noun just before it is the one that has the shell
                    owners.append(scene.links.get(w.i - 1, ()))
            owner = next((o[0] for o in owners if len(o) == 1 and o[0] != key[0]), None)
            if owner is None or not self._is_animal(coref, owner):
                continue
            out[i] = owner
            colors.setdefault(owner, []).extend(_colors_of(p, i, self.colors))
        return out, colors

    def _entity(self, scene: SceneCoref, coref: StoryCoref, eid: str, prompt: Prompt,
                covered: Sequence[str] = (), gone: bool = False) -> Entity:
        p, e = scene.parse, coref.entities[eid]
        heads = [p.tokens[i] for i, key in scene.links.items() if key == (eid,)
                 and p.tokens[i].pos in ("NOUN", "PROPN")]
        attrs: list[str] = []
        count = PLURAL_COUNT if e.plural else 1
        stated: list[int] = []  # "two crows": two, not the three a bare plural draws
        for t in heads:
            for c in p.children(t.i):
                word = c.lemma.lower()
                if c.dep in ("amod", "compound", "nummod") and (
                        word in self.colors or word in SIZES or word in self.adjectives):
                    attrs.append(word)
                elif c.dep in ("amod", "compound") and word in YOUNG:
                    attrs.append("baby")  # "the baby turtles", "a young robin": drawn smaller
                if c.dep == "nummod" or c.lemma.lower() in NUMBERS:
                    stated.append(_number(c))
            if t.lemma.lower() in YOUNG_WORDS and t.lemma.lower() != e.lemma.split()[-1]:
                attrs.append("baby")  # "the baby turtles ... the babies", "the hatchlings"
            attrs += owned_colors(p, t, self.colors)
        if stated:
            count = max(stated)
        if count == 1 and any(c.dep in ("det", "predet") and c.lower in ("every", "all", "each")
                              for t in heads for c in p.children(t.i)):
            count = PLURAL_COUNT  # "every fish came to listen": several are drawn
        if any(c.dep == "appos" for t in heads for c in p.children(t.i)):
            count = 1  # "her friends the rabbit and the mole": the apposition names each one
        attrs += covered
        if gone:
            attrs.append(Entity.GONE)
        if e.hero:
            attrs += [prompt.color, prompt.adjective]
        elif not any(a in self.colors for a in attrs):
            kind = self.library.kind_color(e.lemma)  # a sparrow is drawn brown, not bird-blue
            attrs += [kind] if kind in self.colors else []
        mention = next((mention_phrase(p, t) for t in heads), e.mention or e.lemma)
        return Entity(id=eid, lemma=e.lemma, mention=mention, object_id=self.object_id(coref, eid),
                      count=1 if e.hero else min(count, MAX_COUNT),
                      attributes=tuple(dict.fromkeys(attrs)), hero=e.hero)


def _parts(scene: SceneCoref, coref: StoryCoref) -> set[str]:
    """Entities named only as a part of another's drawing: "its candle" of the lantern, the
    kite's string, the tree's branches (preferences.PARTS): drawn with their whole, not beside it."""
    p, out, whole = scene.parse, set(), set()
    for i, key in scene.links.items():
        t = p.tokens[i]
        owner = [scene.links.get(c.i, ()) for c in p.children(i) if c.dep == "poss"]
        wholes = PARTS.get(t.lemma.lower(), "").split()
        if len(key) == 1 and any(len(o) == 1 and ({coref.entities[o[0]].lemma.split()[-1]}
                                                   | coref.entities[o[0]].aliases) & set(wholes)
                                 for o in owner):
            out.add(key[0])
        else:
            whole.add(key[0] if len(key) == 1 else "")
    return out - whole  # (named on its own too: "the candle" later in the scene, it is drawn)


def owned_colors(p: Parse, t: Token, colors: set[str]) -> list[str]:
    """'a mermaid with a teal tail', 'her blue fins': a colored body part colors its owner."""
    out = []
    for prep in p.children(t.i):
        if prep.dep == "prep" and prep.lemma == "with":
            for part in p.children(prep.i):
                if part.lemma.lower() in BODY_PARTS:
                    out += [c.lemma.lower() for c in p.children(part.i) if c.lemma.lower() in colors]
    return out


def _colors_of(p: Parse, i: int, colors: set[str]) -> list[str]:
    """Colour words modifying token i, also inside a compound modifier ("purple-tipped feathers")."""
    out = []
    for c in p.children(i):
        if c.dep in ("amod", "compound", "npadvmod", "nmod"):
            out += [w.lemma.lower() for w in (c, *p.children(c.i)) if w.lemma.lower() in colors]
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


# ---------------------------------------------------------------- the registered factories


def make_spacy_nlp(**kwargs) -> ParsedNLP:
    return ParsedNLP(parser="spacy", **kwargs)


def make_stanza_nlp(**kwargs) -> ParsedNLP:
    return ParsedNLP(parser="stanza", **kwargs)
