"""How big the text says a thing is: size words on the entity ("a tiny monkey", "the big
rock"), nouns that name a size of their stand-in ("pebbles" drawn with the rock, but small) and
comparisons ("no bigger than a mango", "the size of a teacup"); otherwise the object's real-world
size class from the library. Also which entities the text names only as a yardstick ("like a
little umbrella", "than a mango"): they are not in the scene, so they are not drawn.
"""
from __future__ import annotations

import re
from typing import Optional

from ...records import Entity, SceneGraph
from ...object_library import Library, LibraryObject

CLASSES = ("tiny", "small", "medium", "large", "huge")
# a size word moves the class to (absolute) or by (relative, in steps)
ABSOLUTE = {"tiny": "tiny", "teeny": "tiny", "huge": "huge", "giant": "huge", "enormous": "huge",
            "gigantic": "huge"}
RELATIVE = {"little": -1, "small": -1, "big": 1, "large": 1, "tall": 1, "fat": 1,
            "baby": -1}  # "the baby turtles" (nlp marks young ones "baby")
# nouns that name a size of the object they are drawn with (the library's class is the thing's)
NOUN_CLASS = {"pebble": "tiny", "boulder": "huge", "twig": "tiny", "puddle": "small",
              "pond": "large", "cub": "small", "chick": "tiny", "kitten": "small", "puppy": "small",
              "calf": "medium", "foal": "medium", "duckling": "tiny", "piglet": "small",
              "lamb": "small", "pup": "small", "mountain": "huge", "hill": "huge",
              "hatchling": "tiny", "kit": "tiny", "joey": "tiny", "fawn": "small"}
# the hero's drawn height as a share of the usual hero height, by the class the text gives it:
# still the easiest thing to find, but a monkey "no bigger than a mango" is not as big as a tree
HERO_SCALE = {"tiny": 0.5, "small": 0.68, "medium": 0.85, "large": 1.0, "huge": 1.1}
_ARTICLE = r"(?:a|an|the|his|her|its|their|one)\s+"
_COMPARE = re.compile(
    r"\b(?P<neg>no|not|much|far|even)?\s*(?P<cmp>bigger|larger|taller|smaller|shorter|littler)\s+than\s+"
    rf"(?:{_ARTICLE})?(?P<noun>[a-z]+(?:\s[a-z]+)?)"
    r"|\bas\s+(?P<adj>big|large|tall|small|tiny|little|long|wide)\s+as\s+"
    rf"(?:{_ARTICLE})?(?P<noun2>[a-z]+(?:\s[a-z]+)?)"
    rf"|\bthe\s+size\s+of\s+(?:{_ARTICLE})?(?P<noun3>[a-z]+(?:\s[a-z]+)?)", re.I)
_YARDSTICK = r"\b(?:like|than|as\s+\w+\s+as|size\s+of)\s+(?:{a})?(?:\w+,?\s+){{0,4}}{w}\b"  # "like a smooth, tall wall", "like someone blowing across a bottle"
_SENTENCE = re.compile(r"[^.!?]+[.!?\"']*")


def shift(cls: str, steps: int) -> str:
    return CLASSES[min(len(CLASSES) - 1, max(0, CLASSES.index(cls) + steps))]


def _noun_class(phrase: str, lib: Library) -> Optional[str]:
    words = phrase.lower().split()
    for k in range(len(words), 0, -1):  # "a little umbrella": try "little umbrella", "umbrella"
        name = " ".join(words[-k:])
        for form in (name, name[:-1] if name.endswith("s") else name):
            if form in NOUN_CLASS:
                return NOUN_CLASS[form]
            oid = lib.lookup(form)
            if oid is not None:
                return lib.get(oid).size
    return None


def comparisons(graph: SceneGraph, lib: Library) -> dict[str, str]:
    """entity id -> size class from a comparison in its sentence ("She was no bigger than a
    mango": the monkey, as the coreference-resolved text names her). The compared entity is the
    nearest one named before the comparison in the same sentence."""
    text = graph.resolved_text or graph.text
    out: dict[str, str] = {}
    for sent in _SENTENCE.finditer(text):
        for m in _COMPARE.finditer(sent.group()):
            noun = m.group("noun") or m.group("noun2") or m.group("noun3")
            cls = _noun_class(noun, lib)
            if cls is None:
                continue
            if m.group("cmp"):
                smaller = m.group("cmp").lower() in ("smaller", "shorter", "littler")
                if m.group("neg") and m.group("neg").lower() in ("no", "not"):
                    pass  # "no bigger than a mango": about that size
                else:
                    cls = shift(cls, -1 if smaller else 1)
            owner = _nearest_before(graph, sent.group(), m.start())
            if owner is not None:
                out.setdefault(owner, cls)
    return out


def _nearest_before(graph: SceneGraph, sentence: str, pos: int) -> Optional[str]:
    best, best_at = None, -1
    low = sentence[:pos].lower()
    for e in graph.entities:
        for word in {e.lemma.lower(), e.mention.lower().split()[-1] if e.mention else ""} - {""}:
            at = max((m.start() for m in re.finditer(rf"\b{re.escape(word)}", low)), default=-1)
            if at > best_at:
                best, best_at = e.id, at
    return best


def yardsticks(graph: SceneGraph) -> set[str]:
    """Entities named only in a comparison ("like a little umbrella", "no bigger than a
    mango", "as red as the scarf"): the scene does not contain them."""
    text = (graph.resolved_text or graph.text).lower()
    out = set()
    for e in graph.entities:
        if e.hero or not e.mention:
            continue
        word = re.escape(e.mention.lower().split()[-1])
        every = len(re.findall(rf"\b{word}\b", text))
        compared = len(re.findall(_YARDSTICK.format(a=_ARTICLE, w=word), text))
        if every and compared >= every:
            out.add(e.id)
    return out


def size_class(entity: Entity, obj: LibraryObject, compared: dict[str, str]) -> tuple[str, bool]:
    """(class, whether the text said so): comparison, then size words, then the noun, then the
    library's real-world class."""
    if entity.id in compared:
        return compared[entity.id], True
    cls, said = NOUN_CLASS.get(entity.lemma.lower(), obj.size), entity.lemma.lower() in NOUN_CLASS
    if said and cls == obj.size:
        said = False
    for word in entity.attributes:
        if word in ABSOLUTE:
            return ABSOLUTE[word], True
    steps = sum(RELATIVE.get(w, 0) for w in entity.attributes)
    if steps:
        return shift(cls, max(-1, min(1, steps))), True
    return cls, said


def hero_scale(entity: Entity, compared: dict[str, str]) -> float:
    """The hero's height as a share of the usual hero height: the hero stays the biggest thing
    to find, unless the text makes it small ("a tiny rabbit", "no bigger than a mango")."""
    if entity.id in compared:
        return HERO_SCALE[compared[entity.id]]
    for word in entity.attributes:
        if word in ABSOLUTE:
            return HERO_SCALE[ABSOLUTE[word]]
    steps = sum(RELATIVE.get(w, 0) for w in entity.attributes)
    return 0.75 if steps < 0 else (1.05 if steps > 0 else 1.0)
