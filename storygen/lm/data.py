"""Text formats of the two story models and their training examples (token ids + masked labels).

Planner:    "theme: farm | hero: pig | color: pink | adjective: shy\\nplan:"
            -> " 1: pig, barn, mud | 2: ... | 5: ...<eos>"
Generator:  "theme: ... | adjective: shy\\n"
            "1 (pig, barn, mud): <scene 1 text>\\n" ... "5 (...): <scene 5 text>\\n"
            "title: <title><eos>"
The generator sees each scene's keywords right before that scene (not only once at the top):
the plan is then a local instruction the decoder is reminded of, and a scene can be re-decoded
alone from the story so far. Sequences are built by concatenating separately tokenised pieces,
exactly as the decoder builds its prompts, so training and inference see the same token
boundaries. Loss is only on what the model must write (plan / scene texts / title).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import RecordError

IGNORE = -100
KEYWORD_RANGE = (2, 5)  # keywords per scene in a plan (the contract)
_PLAN_SCENE = re.compile(r"^\s*([1-5])\s*:\s*(.*?)\s*$")
_KEYWORD_OK = re.compile(r"^[A-Za-z][A-Za-z'\-]*(?: [A-Za-z][A-Za-z'\-]*){0,2}$")


# ------------------------------------------------------------------ text formats


def header_text(theme: str, hero: str, color: str, adjective: str) -> str:
    return f"theme: {theme} | hero: {hero} | color: {color} | adjective: {adjective}"


def plan_text(scenes: Sequence[Sequence[str]]) -> str:
    return " | ".join(f"{i}: {', '.join(words)}" for i, words in enumerate(scenes, 1))


def scene_header(index: int, keywords: Sequence[str]) -> str:
    """The marker that opens scene `index` (1-based) with its keywords."""
    return f"{index} ({', '.join(keywords)}):"


def clean_keywords(words: Iterable[str], limit: int = KEYWORD_RANGE[1]) -> tuple[str, ...]:
    """Plausible keywords only (1-3 words of letters), deduplicated case-insensitively, at most `limit`."""
    seen: set[str] = set()
    out = []
    for w in words:
        w = " ".join(w.split())
        if _KEYWORD_OK.match(w) and w.lower() not in seen:
            seen.add(w.lower())
            out.append(w)
    return tuple(out[:limit])


def parse_plan(text: str) -> tuple[tuple[str, ...], ...] | None:
    """The five keyword lists of a planner output, or None unless it is exactly scenes 1..5."""
    parts = [p for p in text.strip().split("|")]
    if len(parts) != 5:
        return None
    scenes = []
    for want, part in enumerate(parts, 1):
        m = _PLAN_SCENE.match(part)
        if not m or int(m.group(1)) != want:
            return None
        scenes.append(clean_keywords(m.group(2).split(",")))
    return tuple(scenes)


def with_hero_first(words: Sequence[str], hero: str) -> tuple[str, ...]:
    rest = [w for w in words if w.lower() != hero.lower()]
    return (hero, *rest)


# ------------------------------------------------------------------ tokens


class Encoder:
    """Tokenises pieces without special tokens; knows the newline and end-of-text ids."""

    def __init__(self, tokenizer) -> None:
        self.tok = tokenizer
        nl = tokenizer.encode("\n", add_special_tokens=False)
        if len(nl) != 1:
            raise RecordError("the tokenizer must encode a newline as one token")
        self.nl = nl[0]
        self.eos = tokenizer.eos_token_id
        if self.eos is None:
            raise RecordError("the tokenizer has no end-of-text token")

    def __call__(self, text: str) -> list[int]:
        return self.tok.encode(text, add_special_tokens=False)

    def decode(self, ids: Sequence[int]) -> str:
        return self.tok.decode(list(ids), skip_special_tokens=True)


@dataclass
class Example:
    ids: list[int]
    labels: list[int]  # IGNORE where the model is only reading

    def __len__(self) -> int:
        return len(self.ids)


def _pieces(parts: Iterable[tuple[list[int], bool]]) -> Example:
    ids: list[int] = []
    labels: list[int] = []
    for piece, learn in parts:
        ids += piece
        labels += piece if learn else [IGNORE] * len(piece)
    return Example(ids, labels)


def planner_prompt_ids(enc: Encoder, theme: str, hero: str, color: str, adjective: str) -> list[int]:
    return enc(header_text(theme, hero, color, adjective) + "\nplan:")


def planner_example(enc: Encoder, picks: Sequence[str], scenes: Sequence[Sequence[str]]) -> Example:
    return _pieces([(planner_prompt_ids(enc, *picks), False),
                    (enc(" " + plan_text(scenes)) + [enc.eos], True)])


def story_prefix_ids(enc: Encoder, theme: str, hero: str, color: str, adjective: str) -> list[int]:
    return enc(header_text(theme, hero, color, adjective)) + [enc.nl]


def scene_prefix_ids(enc: Encoder, index: int, keywords: Sequence[str]) -> list[int]:
    return enc(scene_header(index, keywords))


def scene_text_ids(enc: Encoder, text: str) -> list[int]:
    """What the model writes for a scene: the text and the newline that closes it."""
    return enc(" " + text) + [enc.nl]


def title_prefix_ids(enc: Encoder) -> list[int]:
    return enc("title:")


def generator_example(enc: Encoder, picks: Sequence[str], keywords: Sequence[Sequence[str]],
                      texts: Sequence[str], title: str) -> Example:
    parts: list[tuple[list[int], bool]] = [(story_prefix_ids(enc, *picks), False)]
    for i, (words, text) in enumerate(zip(keywords, texts), 1):
        parts += [(scene_prefix_ids(enc, i, words), False), (scene_text_ids(enc, text), True)]
    parts += [(title_prefix_ids(enc), False), (enc(" " + title) + [enc.eos], True)]
    return _pieces(parts)


# ------------------------------------------------------------------ keyword sampling


def scene_pool(sentences) -> list[str]:
    """All keywords of a scene (KeywordSentence list), sentence order, deduplicated."""
    return list(clean_keywords((k for s in sentences for k in s.keywords), limit=1000))


def sample_keywords(pool: Sequence[str], hero: str, rng: random.Random,
                    lo: int = KEYWORD_RANGE[0], hi: int = KEYWORD_RANGE[1]) -> tuple[str, ...]:
    """A plan-like subset of a scene's keywords: lo..hi of them in story order, the hero always
    kept when the scene names it (so a hero in the header means: name the hero here)."""
    pool = list(pool)
    if len(pool) <= lo:
        return tuple(pool)
    n = rng.randint(lo, min(hi, len(pool)))
    forced = [i for i, w in enumerate(pool) if w.lower() == hero.lower()][:1]
    others = [i for i in range(len(pool)) if i not in forced]
    chosen = set(forced) | set(rng.sample(others, n - len(forced)))
    return tuple(pool[i] for i in sorted(chosen))


def salience(sentences) -> dict[str, int]:
    """Best rank of each keyword within its sentences (0 = the sentence's most salient word: the
    hero, then nouns, then verbs, adjectives; see storygen/corpus/keywords.py)."""
    out: dict[str, int] = {}
    for sent in sentences:
        for i, k in enumerate(sent.keywords):
            out[k.lower()] = min(i, out.get(k.lower(), i))
    return out


def planner_target(scenes: Sequence[Sequence[str]], pools: Sequence[Sequence[str]], hero: str,
                   rng: random.Random, size: tuple[int, int] = KEYWORD_RANGE,
                   ranks: Sequence[dict[str, int]] = ()) -> tuple[tuple[str, ...], ...]:
    """A planner example made to fit the plan contract: size[0]..size[1] keywords a scene, the
    hero first in scene 1. Long scenes keep their most salient keywords (`ranks`, ties broken at
    random), in story order; short ones borrow from the scene's full pool."""
    lo, hi = size
    out = []
    for i, (words, pool) in enumerate(zip(scenes, pools)):
        words = list(clean_keywords(words, limit=1000))
        if i == 0:
            words = list(with_hero_first(words, hero))
        if len(words) > hi:
            rank = ranks[i] if i < len(ranks) else {}
            order = sorted(range(len(words)), key=lambda j: (j != 0 or i != 0, rank.get(words[j].lower(), 99),
                                                             rng.random()))
            words = [words[j] for j in sorted(order[:hi])]
        extra = [w for w in pool if w.lower() not in {x.lower() for x in words}]
        while len(words) < lo and extra:
            words.append(extra.pop(rng.randrange(len(extra))))
        out.append(tuple(words))
    return tuple(out)


# ------------------------------------------------------------------ datasets


def _picks(rec) -> tuple[str, str, str, str]:
    return (rec.theme, rec.hero, rec.color, rec.adjective)


def keyword_stories(keywords_dir: Path | str, split: str) -> list:
    from ..corpus.keywords import KeywordStory, read_jsonl

    return read_jsonl(Path(keywords_dir) / f"{split}.jsonl", KeywordStory)


def planner_dataset(enc: Encoder, keywords_dir: Path | str, split: str, seed: int,
                    size: tuple[int, int] = KEYWORD_RANGE) -> list[Example]:
    from ..corpus.keywords import PlannerExample, read_jsonl

    stories = {k.id: k for k in keyword_stories(keywords_dir, split)}
    out = []
    for ex in read_jsonl(Path(keywords_dir) / f"planner-{split}.jsonl", PlannerExample):
        story = stories.get(ex.id)
        pools = [scene_pool(s) for s in story.scenes] if story else [[] for _ in ex.scenes]
        ranks = [salience(s) for s in story.scenes] if story else []
        rng = random.Random(f"planner-target:{seed}:{ex.id}")
        target = planner_target(ex.scenes, pools, ex.hero, rng, size, ranks)
        out.append(planner_example(enc, _picks(ex), target))
    return out


def keyword_vocabulary(keywords_dir: Path | str, split: str = "train") -> dict[str, list[str]]:
    """Every keyword (lowercased) of a split by theme: what a plan for that theme may contain
    (stored with the planner, so a plan never invents words and stays in its theme)."""
    vocab: dict[str, set[str]] = {}
    for story in keyword_stories(keywords_dir, split):
        vocab.setdefault(story.theme, set()).update(k.lower() for scene in story.scenes for k in scene_pool(scene))
    return {theme: sorted(words) for theme, words in sorted(vocab.items())}


def story_keywords(story, seed: int, epoch: int) -> tuple[tuple[str, ...], ...]:
    """The scene headers of one training story for one epoch (a fresh subset every epoch)."""
    rng = random.Random(f"generator-keywords:{seed}:{epoch}:{story.id}")
    return tuple(sample_keywords(scene_pool(s), story.hero, rng) for s in story.scenes)


def story_texts(story) -> tuple[str, ...]:
    return tuple(" ".join(sent.text for sent in scene) for scene in story.scenes)


def generator_dataset(enc: Encoder, keywords_dir: Path | str, split: str, seed: int,
                      epoch: int) -> list[Example]:
    return [generator_example(enc, _picks(s), story_keywords(s, seed, epoch), story_texts(s), s.title)
            for s in keyword_stories(keywords_dir, split)]


def build_dataset(task: str, enc: Encoder, keywords_dir: Path | str, split: str, seed: int,
                  epoch: int = 0, plan_size: tuple[int, int] = KEYWORD_RANGE) -> list[Example]:
    if task == "planner":
        return planner_dataset(enc, keywords_dir, split, seed, plan_size)
    if task == "generator":
        return generator_dataset(enc, keywords_dir, split, seed, epoch)
    raise RecordError(f"unknown task {task!r}; choose planner or generator")
