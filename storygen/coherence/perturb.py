"""Negative stories for the coherence ranker (UNION-style): a human story, perturbed one way.

Seven kinds, each a failure a story model really makes:
  shuffle    scenes in a wrong order
  repeat     a sentence said twice
  swap_in    a sentence from another story in place of one of this story's
  hero_swap  the hero becomes another character from some scene on
  antonym    one key word turned into its opposite, or a statement negated / un-negated
  drop_dup   a scene missing and another told twice
  splice     the middle or the ending taken from another story of the theme (its hero renamed to
             this one's), so the scenes do not belong together though each reads well
Every function takes a seeded `random.Random`; nothing else is random. Each result carries the
character spans it changed, so the token-level head can be told which words are wrong.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from ..text import split_sentences

KINDS = ("shuffle", "repeat", "swap_in", "hero_swap", "antonym", "drop_dup", "splice")


@dataclass(frozen=True)
class StoryText:
    """What the ranker knows about a story: its scenes, and who the hero should be."""

    scenes: tuple[str, ...]
    hero: str
    theme: str = ""
    id: str = ""


@dataclass(frozen=True)
class Perturbed:
    kind: str
    detail: str  # sub-kind, e.g. antonym / negate / unnegate
    scenes: tuple[str, ...]
    spans: tuple[tuple[int, int, int], ...] = ()  # (scene, start, end) of changed text


# Both directions are listed so that "has more X" never tells a perturbation from a human story.
_PAIRS = """happy sad|big small|little big|tiny huge|huge tiny|giant tiny|found lost|lost found
find lose|open closed|opened closed|closed opened|up down|down up|day night|night day|hot cold
cold hot|warm cold|loud quiet|quiet loud|fast slow|slow fast|quickly slowly|slowly quickly
laughed cried|cried laughed|smiled frowned|frowned smiled|smile frown|laugh cry|cry laugh
dark bright|bright dark|light dark|high low|low high|first last|last first|full empty|empty full
wet dry|dry wet|old new|new old|young old|always never|never always|everyone nobody
nobody everyone|everybody nobody|everything nothing|nothing everything|inside outside
outside inside|above below|below above|top bottom|bottom top|near far|far near|good bad|bad good
best worst|brave scared|scared brave|safe dangerous|soft hard|hard soft|long short|short long
tall short|heavy light|remembered forgot|forgot remembered|started stopped|stopped started
gave took|took gave|came went|went came|asleep awake|awake asleep|woke slept|loved hated
liked disliked|strong weak|won lost|together alone|alone together|thin thick|thick thin
sunny cloudy|cheerful grumpy|grumpy cheerful|clever foolish|gentle rough|silly serious
shiny dull|sweet sour|many few|same different|different same|pushed pulled|pulled pushed
before after|after before|early late|late early|clean dirty|easy hard|happily sadly
loudly quietly|quietly loudly|softly loudly|sank floated|floated sank|fell rose|win lose"""
ANTONYMS: dict[str, str] = dict(p.split() for line in _PAIRS.splitlines() for p in line.split("|"))

_AUX = r"was|were|is|are|could|would|will|should|must|might"
_NEGATE = re.compile(rf"\b({_AUX})\b(?! not\b| never\b)", re.IGNORECASE)
_UNNEGATE = re.compile(rf"\b({_AUX}|can) (not)\b", re.IGNORECASE)
_CONTRACTED = {"wasn't": "was", "weren't": "were", "isn't": "is", "aren't": "are",
               "couldn't": "could", "wouldn't": "would", "won't": "will", "can't": "can",
               "shouldn't": "should"}
_WORD = re.compile(r"[A-Za-z']+")


def _match_case(src: str, word: str) -> str:
    return word[0].upper() + word[1:] if src[:1].isupper() else word


def _sentence_index(scenes: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(scene, sentence number, sentence) for every sentence of the story."""
    return [(i, j, s) for i, sc in enumerate(scenes) for j, s in enumerate(split_sentences(sc))]


def _with_sentences(scenes: tuple[str, ...], i: int, sents: list[str]) -> tuple[str, ...]:
    return scenes[:i] + (" ".join(sents),) + scenes[i + 1:]


def _span_of(sents: list[str], j: int) -> tuple[int, int]:
    start = sum(len(s) + 1 for s in sents[:j])
    return start, start + len(sents[j])


def shuffle(story: StoryText, rng: random.Random) -> Perturbed | None:
    order = list(range(len(story.scenes)))
    if len(set(story.scenes)) < 2:
        return None
    while order == sorted(order):
        rng.shuffle(order)
    return Perturbed("shuffle", "shuffle", tuple(story.scenes[k] for k in order))


def repeat(story: StoryText, rng: random.Random) -> Perturbed | None:
    """Copy one sentence to a later place: right after itself or into a later scene."""
    index = _sentence_index(story.scenes)
    i, j, sent = rng.choice(index)
    later = [(a, b) for a, b, _ in index if (a, b) > (i, j)] + [(len(story.scenes) - 1, None)]
    ti, tj = rng.choice([(i, j)] + later)
    sents = split_sentences(story.scenes[ti])
    pos = len(sents) if tj is None else tj + 1
    sents.insert(pos, sent)
    start, end = _span_of(sents, pos)
    return Perturbed("repeat", "same_scene" if ti == i else "later_scene",
                     _with_sentences(story.scenes, ti, sents), ((ti, start, end),))


def swap_in(story: StoryText, rng: random.Random, pool: list[StoryText]) -> Perturbed | None:
    """Replace one sentence with a sentence of another story (same theme half of the time)."""
    others = [s for s in pool if s.id != story.id]
    same = [s for s in others if s.theme == story.theme]
    donors = same if same and rng.random() < 0.5 else others
    if not donors:
        return None
    donor = rng.choice(donors)
    _, _, new = rng.choice(_sentence_index(donor.scenes))
    i, j, old = rng.choice(_sentence_index(story.scenes))
    if new == old:
        return None
    sents = split_sentences(story.scenes[i])
    sents[j] = new
    start, end = _span_of(sents, j)
    return Perturbed("swap_in", "same_theme" if donor.theme == story.theme else "other_theme",
                     _with_sentences(story.scenes, i, sents), ((i, start, end),))


def find_name(scenes: tuple[str, ...], hero: str) -> str | None:
    """The hero's name if the story gives one ("a mermaid named Marina", "Nib was a tiny squirrel")."""
    text = " ".join(scenes[:2])
    m = re.search(r"\b(?:named|called)\s+([A-Z][a-z]+)", text)
    if m:
        return m.group(1)
    m = re.match(rf"([A-Z][a-z]+) was an? (?:[a-z,]+ ){{0,3}}{re.escape(hero)}\b", text)
    return m.group(1) if m and m.group(1) not in ("The", "There", "Once", "It") else None


def hero_terms(scenes: tuple[str, ...], hero: str) -> list[str]:
    name = find_name(scenes, hero)
    return [hero] + ([name] if name else [])


def _hero_pattern(term: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(term)}(s|es)?\b", re.IGNORECASE)


def _replace_hero(text: str, term: str, new: str, is_name: bool) -> tuple[str, list[tuple[int, int]]]:
    """Replace every mention of `term` by `new`, fixing a/an; spans are in the new text."""
    out, spans, last = "", [], 0
    for m in _hero_pattern(term).finditer(text):
        before = text[last:m.start()]
        art = re.search(r"\b([Aa])n? $", before)
        if art:  # "a mermaid" -> "an octopus"
            a = "an" if new[0].lower() in "aeiou" else "a"
            before = before[:art.start()] + _match_case(art.group(1), a) + " "
        out += before
        if is_name:  # "Marina swam" -> "The octopus swam"; capital only where a sentence starts
            starts = not out.strip() or re.search(r"[.!?][\"”’]? $", out)
            word = _match_case("X" if starts else "x", f"the {new}")
        else:
            word = _match_case(m.group(0), new + (m.group(1) or ""))
        spans.append((len(out), len(out) + len(word)))
        out += word
        last = m.end()
    return out + text[last:], spans


def hero_swap(story: StoryText, rng: random.Random, characters: list[str]) -> Perturbed | None:
    """From a random scene on (not the first), the hero's noun and name become another character."""
    others = [c for c in characters if c != story.hero and story.hero not in c and c not in story.hero]
    if not others:
        return None
    new = rng.choice(others)
    terms = hero_terms(story.scenes, story.hero)
    starts = list(range(1, len(story.scenes)))
    rng.shuffle(starts)
    for k in starts:
        scenes, spans = list(story.scenes), []
        for i in range(k, len(scenes)):
            for term in terms:
                scenes[i], found = _replace_hero(scenes[i], term, new, term != story.hero)
                spans += [(i, a, b) for a, b in found]
        if spans:
            return Perturbed("hero_swap", f"from_scene_{k + 1}", tuple(scenes), tuple(spans))
    return None


def _antonym_edits(text: str) -> dict[str, list[tuple[int, int, str]]]:
    """Possible single edits of one sentence, by sub-kind: (start, end, replacement)."""
    edits: dict[str, list[tuple[int, int, str]]] = {"antonym": [], "negate": [], "unnegate": []}
    for m in _WORD.finditer(text):
        low = m.group(0).lower()
        if low in ANTONYMS:
            edits["antonym"].append((m.start(), m.end(), _match_case(m.group(0), ANTONYMS[low])))
        elif low in _CONTRACTED:
            edits["unnegate"].append((m.start(), m.end(), _match_case(m.group(0), _CONTRACTED[low])))
    for m in _NEGATE.finditer(text):
        edits["negate"].append((m.start(), m.end(), m.group(1) + " not"))
    for m in _UNNEGATE.finditer(text):
        edits["unnegate"].append((m.start(), m.end(), m.group(1)))
    return edits


def antonym(story: StoryText, rng: random.Random) -> Perturbed | None:
    """One word becomes its opposite, or one statement gains or loses its `not`.

    A negation edit is only made where both directions are possible, and then each direction
    half of the time: "has one more `not`" must not tell a perturbed story from a human one.
    """
    by_kind: dict[str, list[tuple[int, int, int, str]]] = {"antonym": [], "negate": [], "unnegate": []}
    for i, scene in enumerate(story.scenes):
        for sub, found in _antonym_edits(scene).items():
            by_kind[sub].extend((i, a, b, r) for a, b, r in found)
    subs = (["antonym"] if by_kind["antonym"] else []) + (
        ["negation"] if by_kind["negate"] and by_kind["unnegate"] else [])
    if not subs:
        return None
    sub = rng.choice(subs)
    if sub == "negation":
        sub = rng.choice(["negate", "unnegate"])
    i, a, b, rep = rng.choice(by_kind[sub])
    scene = story.scenes[i][:a] + rep + story.scenes[i][b:]
    scenes = story.scenes[:i] + (scene,) + story.scenes[i + 1:]
    return Perturbed("antonym", sub, scenes, ((i, a, a + len(rep)),))


def drop_dup(story: StoryText, rng: random.Random) -> Perturbed | None:
    """Scene i is lost and scene j (j != i) told again in its place."""
    n = len(story.scenes)
    i = rng.randrange(n)
    j = rng.choice([k for k in range(n) if k != i])
    if story.scenes[i] == story.scenes[j]:
        return None
    scenes = story.scenes[:i] + (story.scenes[j],) + story.scenes[i + 1:]
    return Perturbed("drop_dup", "adjacent" if abs(i - j) == 1 else "distant", scenes,
                     ((i, 0, len(scenes[i])),))


def splice(story: StoryText, rng: random.Random, pool: list[StoryText]) -> Perturbed | None:
    """Scenes from k on (k = 3, 4 or 5: an attempt, a turn or just the ending) come from another
    story of the same theme, whose hero (noun and name) is renamed to this story's hero."""
    donors = [s for s in pool if s.id != story.id and s.theme == story.theme and len(s.scenes) == len(story.scenes)]
    if not donors or len(story.scenes) < 4:
        return None
    donor = rng.choice(donors)
    k = rng.choice(range(2, len(story.scenes)))
    own = find_name(story.scenes, story.hero)
    scenes, spans = list(story.scenes[:k]), []
    for i in range(k, len(story.scenes)):
        text = donor.scenes[i]
        for term in hero_terms(donor.scenes, donor.hero):
            is_name = term != donor.hero
            new = own if (is_name and own) else story.hero
            text, _ = _replace_hero(text, term, new, is_name and not own)
        scenes.append(text)
        spans.append((i, 0, len(text)))
    if tuple(scenes) == story.scenes:
        return None
    return Perturbed("splice", f"from_scene_{k + 1}", tuple(scenes), tuple(spans))


def perturb(story: StoryText, kind: str, seed: int | str, pool: list[StoryText] = (),
            characters: list[str] = ()) -> Perturbed | None:
    """One perturbation of `story`; the same (story.id, kind, seed) always gives the same result.

    `pool` supplies donor sentences for swap_in and donor scenes for splice, `characters` the
    stand-ins for hero_swap.
    Returns None when the story offers nothing to perturb that way.
    """
    rng = random.Random(f"{seed}:{story.id}:{kind}")
    if kind == "swap_in":
        return swap_in(story, rng, list(pool))
    if kind == "splice":
        return splice(story, rng, list(pool))
    if kind == "hero_swap":
        return hero_swap(story, rng, list(characters))
    fn = {"shuffle": shuffle, "repeat": repeat, "antonym": antonym, "drop_dup": drop_dup}.get(kind)
    if fn is None:
        raise ValueError(f"unknown perturbation {kind!r}; choose one of: {', '.join(KINDS)}")
    return fn(story, rng)
