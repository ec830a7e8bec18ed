"""The `basic` NLP backend: a dependency-free BASELINE scene-graph builder (no parser, no model).

BasicNLP is the scene reader named "basic" in storygen.backends.NLP_BACKENDS, the figure the
parsed reader (parsed_reader.py) must beat. Its text helpers are shared: parsed_reader.py takes
the place/time cues from `find_cues`, evaluate_blind.py the sentences from `split_sentences`.

What it does, deliberately simple so that learned/parsed backends have something to beat:
- pronoun "She/He/It" at the start of a sentence -> the hero (real coreference: coref.py);
- entities = the hero + every library object named in the text (longest name match on words,
  simple plural stripping); a number word or a plural form sets `count`;
- relations from the surface pattern `<entity> ... <preposition> [up to 3 words] <entity>`
  inside one sentence (nearest entity before the preposition is the subject);
- cues = time/weather/place words.
No actions are extracted (that needs a parse). Deterministic: same text + prompt -> same graph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..options import load_options
from ..records import Entity, Prompt, Relation, SceneGraph
from ..object_library import Library, load_library, singular_forms

BACKEND = "basic"

_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"'”’)]*)?\s*")
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|[,;:()\"“”—]")

PRONOUNS = ("she", "he", "it")
# "It was a dark night" / "It began to rain": expletive "it", not the hero.
_EXPLETIVE_NEXT = {"was", "is", "seemed", "looked", "felt", "got", "began", "started", "rained",
                   "snowed", "became", "would", "will"}

# Longest first, so "in front of" wins over "in" and "on top of" over "on".
PREPOSITIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("in", "front", "of"), "in_front_of"), (("on", "top", "of"), "on"),
    (("next", "to"), "near"), (("close", "to"), "near"),
    (("under",), "below"), (("underneath",), "below"), (("below",), "below"),
    (("beneath",), "below"), (("above",), "above"), (("over",), "above"),
    (("on",), "on"), (("onto",), "on"), (("upon",), "on"),
    (("in",), "in"), (("inside",), "in"), (("into",), "in"),
    (("near",), "near"), (("beside",), "near"), (("behind",), "behind"),
)
_PREP_WORDS = {w for words, _ in PREPOSITIONS for w in words}
_MAX_GAP = 3  # words allowed between a preposition and its object ("under the old boat")

NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "several": 3, "many": 4,
           "lots": 4, "few": 3, "pair": 2}
PLURAL_COUNT = 3  # "the stars" -> draw a few
NEGATIONS = {"not", "never", "no"}

CUE_WORDS = {
    "night": "night", "midnight": "night", "nighttime": "night", "moonlight": "night",
    "moonlit": "night", "bedtime": "night", "starlight": "night", "dark": "dark",
    "darkness": "dark", "evening": "evening", "sunset": "evening", "dusk": "evening",
    "morning": "morning", "sunrise": "morning", "dawn": "morning",
    "rain": "rain", "raining": "rain", "rainy": "rain", "rained": "rain", "raindrop": "rain",
    "puddle": "rain", "snow": "snow", "snowing": "snow", "snowy": "snow", "snowflake": "snow",
    "snowfall": "snow", "storm": "storm", "stormy": "storm", "thunder": "storm",
    "lightning": "storm", "wind": "wind", "windy": "wind", "breeze": "wind", "fog": "fog",
    "foggy": "fog", "mist": "fog", "misty": "fog", "sunny": "sunny", "sunshine": "sunny",
    "cloudy": "cloudy", "rainbow": "rainbow",
}
EXTRA_PLACES = ("cave", "castle", "forest", "woods", "river", "pond", "lake", "sea", "ocean",
                "beach", "island", "garden", "meadow", "barn", "field", "hill", "mountain",
                "jungle", "house", "kitchen", "tower", "bridge", "burrow", "den", "nest", "school",
                "park", "playground", "village", "sky", "space", "stream", "waterfall")


@dataclass(frozen=True)
class Mention:
    start: int  # token index in the sentence
    end: int  # exclusive
    entity: str  # entity id (= object id)
    name: str  # matched singular library name
    surface: str
    count: int


def split_sentences(text: str) -> list[str]:
    """Sentences with their trailing whitespace, so that ''.join(result) == text."""
    return [m.group(0) for m in _SENTENCE.finditer(text)]


def tokens(sentence: str) -> list[tuple[str, int, int]]:
    """(lowercase token, start, end); possessive 's dropped from the word, n't kept."""
    out = []
    for m in _TOKEN.finditer(sentence):
        word = m.group(0).replace("’", "'").lower()
        if word.endswith("'s"):
            word = word[:-2]
        out.append((word, m.start(), m.end()))
    return out


def resolve_pronouns(text: str, hero: str) -> tuple[str, list[str]]:
    """Replace a capitalised She/He/It opening a sentence by 'The <hero>' (baseline coref)."""
    resolved = []
    for sent in split_sentences(text):
        toks = tokens(sent)
        words = [t[0] for t in toks if t[0].isalpha()]
        first = next((t for t in toks if t[0].isalpha()), None)
        if (first and first[0] in PRONOUNS and sent[first[1]].isupper()
                and not (first[0] == "it" and len(words) > 1 and words[1] in _EXPLETIVE_NEXT)):
            sent = f"{sent[:first[1]]}The {hero}{sent[first[2]:]}"
        resolved.append(sent)
    return "".join(resolved), resolved


def find_mentions(sentence: str, library: Library, hero_object: str | None) -> list[Mention]:
    """Greedy longest-name matching of library objects over the sentence's words."""
    toks = tokens(sentence)
    words = [t[0] for t in toks]
    out: list[Mention] = []
    i = 0
    while i < len(words):
        hit = None
        for n in range(min(library.max_words, len(words) - i), 0, -1):
            span = words[i:i + n]
            if not all(w.isalpha() for w in span):
                continue
            name = library.name_of(" ".join(span))
            if name is not None:
                hit = (n, name, library.lookup(name))
                break
        if hit is None:
            i += 1
            continue
        n, name, oid = hit
        count = NUMBERS.get(words[i - 1], 0) if i else 0
        if not count and i > 1:
            count = NUMBERS.get(words[i - 2], 0)
        if not count:
            count = PLURAL_COUNT if words[i + n - 1] != name.split()[-1] else 1
        surface = sentence[toks[i][1]:toks[i + n - 1][2]]
        out.append(Mention(i, i + n, oid, name, surface, 1 if oid == hero_object else count))
        i += n
    return out


def find_relations(sentence: str, mentions: list[Mention]) -> list[Relation]:
    """`<entity> ... <prep> [<= 3 words] <entity>` (or a sentence-initial prep phrase)."""
    words = [t[0] for t in tokens(sentence)]
    out: list[Relation] = []
    i = 0
    while i < len(words):
        match = next(((p, pred) for p, pred in PREPOSITIONS if tuple(words[i:i + len(p)]) == p),
                     None)
        if match is None:
            i += 1
            continue
        prep, pred = match
        after = i + len(prep)
        obj = _object_after(words, mentions, after)
        subj = next((m for m in reversed(mentions) if m.end <= i), None)
        if subj is None and obj is not None and i == _first_word(words):
            # "Under the boat, the octopus hid.": the subject follows the fronted phrase
            subj = next((m for m in mentions if m.start >= obj.end), None)
        if subj is not None and obj is not None and subj.entity != obj.entity:
            lo, hi = sorted((subj.end, i))
            negated = any(w in NEGATIONS or w.endswith("n't") for w in words[lo:hi])
            out.append(Relation(subject=subj.entity, predicate=pred, object=obj.entity,
                                negated=negated))
        i = after
    return out


def _first_word(words: list[str]) -> int:
    return next((k for k, w in enumerate(words) if w.isalpha()), -1)


def _object_after(words: list[str], mentions: list[Mention], start: int) -> Mention | None:
    for k in range(start, min(start + _MAX_GAP + 1, len(words))):
        found = next((m for m in mentions if m.start == k), None)
        if found is not None:
            return found
        if not words[k].isalpha() or words[k] in _PREP_WORDS:
            return None  # punctuation or another preposition ends the phrase
    return None


def find_cues(text: str, places: tuple[str, ...]) -> tuple[str, ...]:
    """Time/weather/place cue words, canonicalised, in order of first appearance."""
    words = [t[0] for t in tokens(text)]
    place_set = set(places) | set(EXTRA_PLACES)
    longest = max(len(p.split()) for p in place_set)
    cues: list[str] = []
    i = 0
    while i < len(words):
        step = 1
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            cue = _cue_for(phrase, place_set)
            if cue is not None:
                if cue not in cues:
                    cues.append(cue)
                step = n
                break
        i += step
    return tuple(cues)


def _cue_for(phrase: str, places: set[str]) -> str | None:
    if phrase in CUE_WORDS:
        return CUE_WORDS[phrase]
    head, _, last = phrase.rpartition(" ")
    for single in singular_forms(last):
        candidate = f"{head} {single}" if head else single
        if candidate in places:
            return candidate
        if candidate in CUE_WORDS and not head:
            return CUE_WORDS[candidate]
    return None


class BasicNLP:
    """Registered as nlp backend "basic"."""

    def __init__(self, library: Library | None = None) -> None:
        self.library = library or load_library()
        options = load_options()
        self.places = tuple(p for t in options.themes.values() for p in t.places)

    def build_graph(self, text: str, index: int, prompt: Prompt) -> SceneGraph:
        hero_object = self.library.lookup(prompt.hero)
        hero_id = hero_object or prompt.hero.replace(" ", "_")
        resolved, sentences = resolve_pronouns(text, prompt.hero)
        found: dict[str, Entity] = {}
        relations: list[Relation] = []
        hero_mention = ""
        for sent in sentences:
            mentions = find_mentions(sent, self.library, hero_object)
            for m in mentions:
                if m.entity == hero_object:
                    hero_mention = hero_mention or _hero_phrase(sent, m, prompt)
                    continue
                old = found.get(m.entity)
                count = max(m.count, old.count if old else 0)
                found[m.entity] = Entity(id=m.entity, lemma=(old.lemma if old else m.name),
                                         mention=(old.mention if old else m.surface),
                                         object_id=m.entity, count=min(count, 5))
            for rel in find_relations(sent, mentions):
                if rel not in relations:
                    relations.append(rel)
        hero = Entity(id=hero_id, lemma=prompt.hero, mention=hero_mention or prompt.hero,
                      object_id=hero_object, attributes=(prompt.color, prompt.adjective),
                      hero=True)
        return SceneGraph(index=index, text=text, resolved_text=resolved,
                          entities=(hero, *found.values()), relations=tuple(relations),
                          actions=(), cues=find_cues(resolved, self.places), theme=prompt.theme,
                          backend=BACKEND)


def _hero_phrase(sentence: str, m: Mention, prompt: Prompt) -> str:
    """The hero's mention with the picked color/adjective in front ("silly teal mermaid")."""
    toks = tokens(sentence)
    start = m.start
    while start > 0 and toks[start - 1][0] in (prompt.color, prompt.adjective):
        start -= 1
    return sentence[toks[start][1]:toks[m.end - 1][2]]


def make_basic(**kwargs) -> BasicNLP:
    return BasicNLP(**kwargs)
