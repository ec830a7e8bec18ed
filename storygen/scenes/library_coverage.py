"""Library coverage: what share of the concrete nouns the corpus stories name can be drawn.

`storygen library coverage` runs it (issue 22, part 1: target >= 95%). The rule:

1. Every scene of every story is parsed (nlp.parse.parse_text: spaCy, hero phrases protected)
   and each common-noun head (POS NOUN; a proper noun is a name) is taken with its left
   modifiers: compound nouns ("stag beetle") and adjectives ("polar bear", "big"). A compound
   modifier belongs to its head's phrase and is never counted alone ("watering" in "watering
   can"); a role noun with a compound is its compound ("a crab friend" is a crab).
2. Each phrase is counted once per occurrence (weighted by frequency) and sorted into:
   - not counted, because the scene pipeline never draws it as an object, whatever the
     library holds: nouns nlp.coref drops or marks (times "day", "morning"; abstractions
     "idea", "help"; "way", "lot"; part nouns "top", "edge"; "a pile of"; body parts "nose",
     "tail", drawn with their owner);
   - drawable, by Library.resolve: `direct` when the phrase or its head is an object name
     ("puppies", "big red scarf", "polar bear"), `stand-in` when standins.yaml answers ("stag
     beetle" -> beetle), `head` when a compound falls back to its head ("garden snail" -> snail);
   - not counted, because it is no object (library/objects/nouns.yaml, one class per reason):
     setting (places, ground underfoot, sky, light and weather: the background draws them),
     mass (materials and substances with no shape: "gold", "flour"), abstract (feelings,
     events, sounds, games, measures), part (of a drawn whole: "lid", "stem", "roof"),
     relational (names a role, not a kind: "mother", "friend", "guest"; whoever fills it is
     drawn), generic ("animal", "crowd": any kind, or a group the text names elsewhere), and
     not_noun (colors and adjectives the tagger calls nouns); plus a suffix rule: nouns of more
     than six letters ending in -ness, -ity, -tion, -sion, -ment, -ship, -hood, -dom, -ance,
     -ence, -ism or -ing are abstract ("kindness", "humming") unless nouns.yaml lists them as
     concrete ("pudding");
   - everything else is a concrete noun the library cannot draw: `unmapped`.
3. Coverage = drawable / (drawable + unmapped) tokens; the report names the top unmapped.

Parsing the whole corpus takes minutes on two cores, so the counts can be saved (a NounCounts
record) and reused while the library changes: the classification runs in milliseconds.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Iterable, Iterator, Mapping, Optional

from ..config import load_config
from ..errors import ConfigError
from ..nlp.lexicon import ABSTRACT, BODY_PARTS
from ..nlp.mentions import noun_lemma
from ..nlp.parse import Parse, parse_text
from ..records import Record
from ..object_library import MANIFEST, Library, load_library

NOUN_CLASSES = MANIFEST.parent / "nouns.yaml"
CLASSES = ("setting", "mass", "abstract", "part", "relational", "generic", "not_noun")  # nouns.yaml
TARGET = 0.95
_ABSTRACT_SUFFIX = re.compile(r"(ness|ity|tion|sion|ment|ship|hood|dom|ance|ence|ism|ing)$")
_SEP = "|"  # count keys are "<adjectives>|<compound nouns and head lemma>"
_DROPPED = "!"  # in place of the adjectives: a noun coref makes no entity of


@dataclass(frozen=True)
class NounCounts(Record):
    """Noun phrases of a corpus with their frequency: key "adjectives|nouns" ("big|stag beetle")."""

    kind: ClassVar[str] = "noun_counts"
    source: str
    stories: int
    counts: dict[str, int]


@dataclass(frozen=True)
class NounClassesFile(Record):
    """library/objects/nouns.yaml: head nouns that are no object, by class (see CLASSES)."""

    kind: ClassVar[str] = "noun_classes"
    classes: dict[str, tuple[str, ...]]
    concrete: tuple[str, ...] = ()  # look abstract by suffix, are things ("potion")


@dataclass(frozen=True)
class NounClasses:
    by_word: dict[str, str]
    concrete: frozenset[str]

    def classify(self, head: str) -> Optional[str]:
        """The class of a head lemma that is no object; None for a concrete noun."""
        if head in self.by_word:
            return self.by_word[head]
        if head not in self.concrete and _ABSTRACT_SUFFIX.search(head) and len(head) > 6:
            return "abstract"
        return None


@dataclass(frozen=True)
class Coverage(Record):
    """What `coverage` reports; token counts, weighted by frequency."""

    kind: ClassVar[str] = "library_coverage"
    counted: int  # concrete nouns: drawable + unmapped
    direct: int
    standin: int
    head: int
    unmapped: int
    not_counted: dict[str, int]  # class -> tokens left out (pipeline, setting, abstract, ...)
    top_unmapped: tuple[tuple[str, int], ...]
    top_standins: tuple[tuple[str, str, int], ...]  # (phrase, object id, tokens)

    @property
    def drawable(self) -> int:
        return self.direct + self.standin + self.head

    @property
    def share(self) -> float:
        return self.drawable / self.counted if self.counted else 1.0


def load_noun_classes(path: str | Path = NOUN_CLASSES, library: Optional[Library] = None
                      ) -> NounClasses:
    """Load nouns.yaml; a word in two classes, or in a class and also drawable, is an error."""
    data = load_config(path, NounClassesFile)
    lib = library or load_library()
    by_word: dict[str, str] = {}
    for cls, words in data.classes.items():
        if cls not in CLASSES:
            raise ConfigError(f"{path}: unknown class {cls!r}; use one of {', '.join(CLASSES)}")
        for w in words:
            if w in by_word:
                raise ConfigError(f"{path}: {w!r} is in both {by_word[w]!r} and {cls!r}")
            if lib.resolve(w).object_id is not None:
                raise ConfigError(f"{path}: {w!r} ({cls}) is drawable as "
                                  f"{lib.resolve(w).object_id!r}; remove it from {cls!r}")
            by_word[w] = cls
    return NounClasses(by_word, frozenset(data.concrete))


# ---------------------------------------------------------------- counting


def noun_phrases(p: Parse) -> Iterator[str]:
    """"adjectives|nouns" for each common-noun head of a parse (see the module docstring);
    "!|lemma" for a noun nlp.coref makes no entity of (times, part nouns, "a pile of")."""
    for t in p.tokens:
        if t.pos != "NOUN" or not t.lemma.isalpha():
            continue
        if t.dep == "compound" and t.head != t.i and p.tokens[t.head].pos in ("NOUN", "PROPN"):
            continue  # part of its head's phrase
        head = noun_lemma(p, t)
        if head is None:
            yield f"{_DROPPED}{_SEP}{t.lemma.lower()}"
            continue
        mods = []
        for k in range(t.i - 1, -1, -1):
            m = p.tokens[k]
            if m.dep not in ("compound", "amod") or not k < m.head <= t.i or not m.text.isalpha():
                break
            mods.insert(0, m)
        adjs = [m.text.lower() for m in mods if m.dep == "amod"]
        nouns = [m.text.lower() for m in mods if m.dep == "compound"]
        if nouns and nouns[-1] == head:  # "a crab friend": noun_lemma already took the crab
            nouns.pop()
        yield f"{' '.join(adjs)}{_SEP}{' '.join([*nouns, head])}"


def count_nouns(texts: Iterable[str], parser: str = "spacy") -> Counter:
    counts: Counter = Counter()
    for text in texts:
        counts.update(noun_phrases(parse_text(text, parser)))
    return counts


def corpus_counts(path: Optional[str | Path] = None, limit: Optional[int] = None,
                  parser: str = "spacy") -> NounCounts:
    """Noun counts over every scene of the first `limit` corpus stories (all by default)."""
    from ..corpus.stories import CORPUS_PATH, load_stories

    path = Path(path or CORPUS_PATH)
    stories = load_stories(path)[:limit]
    counts = count_nouns((s for st in stories for s in st.scenes), parser)
    return NounCounts(source=str(path), stories=len(stories), counts=dict(counts.most_common()))


# ---------------------------------------------------------------- classifying


def pipeline_drops(adjs: str, head: str) -> bool:
    """Nouns the scene pipeline never draws: coref makes no entity of them (marked while
    counting), marks them abstract, or draws them with their owner (body parts)."""
    return adjs == _DROPPED or head in ABSTRACT or head in BODY_PARTS


def coverage(counts: Mapping[str, int], library: Optional[Library] = None,
             classes: Optional[NounClasses] = None, top: int = 25) -> Coverage:
    """Classify counted phrases (NounCounts.counts keys) and total them (module docstring)."""
    lib = library or load_library()
    classes = classes or load_noun_classes(library=lib)
    tally: Counter = Counter()
    unmapped: Counter = Counter()
    standins: Counter = Counter()
    for key, n in counts.items():
        adjs, _, nouns = key.rpartition(_SEP)
        head = nouns.split()[-1]
        if pipeline_drops(adjs, head):
            tally["pipeline"] += n
            continue
        res = lib.resolve(f"{adjs} {nouns}")
        if res.object_id is not None:
            how = "standin" if res.standin else (
                "head" if len(res.matched.split()) < len(nouns.split()) else "direct")
            tally[how] += n
            if how != "direct":
                standins[(nouns if how == "head" else res.matched, res.object_id)] += n
            continue
        cls = None if res.matched else classes.classify(head)  # a None stand-in is concrete
        if cls is None:
            tally["unmapped"] += n
            unmapped[nouns] += n
        else:
            tally[cls] += n
    counted = sum(tally[k] for k in ("direct", "standin", "head", "unmapped"))
    return Coverage(counted=counted, direct=tally["direct"], standin=tally["standin"],
                    head=tally["head"], unmapped=tally["unmapped"],
                    not_counted={k: tally[k] for k in ("pipeline", *CLASSES)},
                    top_unmapped=tuple(unmapped.most_common(top)),
                    top_standins=tuple((p, o, n) for (p, o), n in standins.most_common(top)))
