"""`storygen corpus stats`: what the corpus covers and how long its pieces are.

Counts per theme / hero / color / adjective, length distributions (words and sentences per scene,
words per story), vocabulary size, and the distinct secondary characters per theme: character
nouns from configs/corpus.yaml plus every hero word, other than the story's own hero.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from typing import Iterable

from ..options import Options, load_options
from ..text import split_sentences, words
from .stories import CorpusStory, corpus_config

# Plurals the simple rules below get wrong.
_IRREGULAR = {"mice": "mouse", "geese": "goose", "children": "child", "wolves": "wolf",
              "calves": "calf", "elves": "elf", "women": "woman", "men": "man", "people": "person"}


def _singular_forms(word: str) -> list[str]:
    if word in _IRREGULAR:
        return [_IRREGULAR[word]]
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    return forms


def character_lexicon(opts: Options, extra: Iterable[str]) -> set[str]:
    return set(extra) | {h for t in opts.themes.values() for h in t.heroes}


def secondary_characters(story: CorpusStory, lexicon: set[str]) -> set[str]:
    """Character nouns in the story other than its own hero ("polar bear" matched whole)."""
    text = " ".join(story.scenes).lower()
    found = set()
    for phrase in (c for c in lexicon if " " in c):
        if re.search(rf"\b{re.escape(phrase)}(?:e?s)?\b", text):
            found.add(phrase)
            text = re.sub(rf"\b{re.escape(phrase)}(?:e?s)?\b", " ", text)
    for w in words(text):
        found.update(f for f in _singular_forms(w) if f in lexicon)
    hero = story.hero
    return {c for c in found if c != hero and c not in hero.split()}


def distribution(values: list[int]) -> dict:
    if not values:
        return {"n": 0, "min": 0, "max": 0, "mean": 0.0, "median": 0.0, "p10": 0, "p90": 0}
    ordered = sorted(values)

    def pct(p: float) -> int:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {"n": len(values), "min": ordered[0], "max": ordered[-1],
            "mean": round(statistics.fmean(values), 2), "median": float(statistics.median(values)),
            "p10": pct(0.1), "p90": pct(0.9)}


def corpus_stats(stories: list[CorpusStory], opts: Options | None = None,
                 characters: Iterable[str] | None = None) -> dict:
    """Every number `storygen corpus stats` shows, as plain JSON-ready data (deterministic)."""
    opts = opts or load_options()
    lexicon = character_lexicon(opts, corpus_config().characters if characters is None else characters)
    scene_words, scene_sents, story_words = [], [], []
    vocab: Counter[str] = Counter()
    chars: dict[str, Counter[str]] = defaultdict(Counter)
    for s in stories:
        total = 0
        for scene in s.scenes:
            toks = words(scene)
            scene_words.append(len(toks))
            scene_sents.append(len(split_sentences(scene)))
            vocab.update(t.lower() for t in toks)
            total += len(toks)
        story_words.append(total)
        chars[s.theme].update(secondary_characters(s, lexicon))

    def counts(key) -> dict[str, int]:
        c = Counter(key(s) for s in stories)
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    themes_in_order = list(opts.themes) + sorted({s.theme for s in stories} - set(opts.themes))
    return {
        "stories": len(stories),
        "scenes": len(scene_words),
        "sentences": sum(scene_sents),
        "words": sum(story_words),
        "vocabulary": len(vocab),
        "per_theme": {t: sum(1 for s in stories if s.theme == t) for t in themes_in_order},
        "per_hero": counts(lambda s: s.hero),
        "per_color": counts(lambda s: s.color),
        "per_adjective": counts(lambda s: s.adjective),
        "named_heroes": sum(1 for s in stories if s.name),
        "per_plot": counts(lambda s: s.plot or "-"),
        "words_per_scene": distribution(scene_words),
        "sentences_per_scene": distribution(scene_sents),
        "sentences_per_scene_counts": {str(k): v for k, v in sorted(Counter(scene_sents).items())},
        "words_per_story": distribution(story_words),
        "secondary_characters": {
            t: {"distinct": len(chars[t]),
                "top": [f"{c} ({n})" for c, n in sorted(chars[t].items(), key=lambda kv: (-kv[1], kv[0]))[:8]]}
            for t in themes_in_order
        },
        "missing_picks": {
            "heroes": [h for t in opts.themes.values() for h in t.heroes
                       if not any(s.hero == h for s in stories)],
            "colors": [c for c in opts.colors if not any(s.color == c for s in stories)],
            "adjectives": [a for a in opts.adjectives if not any(s.adjective == a for s in stories)],
        },
    }
