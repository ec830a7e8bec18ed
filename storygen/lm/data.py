"""Text format of the story model and its training examples (token ids + masked labels).

One fine-tuned model plays both roles, planner and writer, on one sequence per story:

    theme: farm | hero: pig | color: pink | adjective: shy        <- the picks (read, not learned)
    plot: lost and found                                           \\
    plan 1 setup: a shy pig and her red hat | pig, hat, barn        |
    ...                                                             |  the plan: what the planner
    plan 5 ending: ... | ...                                        |  writes, then <eos>
    title: The Muddy Hat<eos>                                      /
    scene 1 setup: <scene 1 text>                                  \\
    ...                                                             |  the story: what the writer
    scene 5 ending: <scene 5 text><eos>                            /   writes from the plan

Why this shape: the writer reads the whole plan (plot, every beat, the ending it is heading for)
before the first word, and every scene is written after the whole story so far; each scene line
repeats its plan line's prefix ("scene 2 problem:" / "plan 2 problem:"), so the model finds that
scene's beat and keywords by matching them. Keywords reach the text only through this prompt:
decoding never pushes a token. Sequences are built by concatenating separately tokenised pieces,
exactly as the decoder builds its prompts, so training and inference see the same boundaries.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..corpus.stories import BEAT_ROLES
from ..errors import RecordError

IGNORE = -100
KEYWORD_RANGE = (2, 5)  # keywords per scene in a plan (the contract)
TRAIN_KEYWORDS = (2, 4)  # keywords per scene in training plans (the most salient, nouns first)
_KEYWORD_OK = re.compile(r"^[A-Za-z][A-Za-z'\-]*(?: [A-Za-z][A-Za-z'\-]*){0,2}$")
_PLAN_LINE = re.compile(r"^plan ([1-5]) ([a-z]+): (.*?)\s*(?:\|\s*(.*))?$")
_SCENE_LINE = re.compile(r"^scene ([1-5]) ([a-z]+):(.*)$")


@dataclass(frozen=True)
class PlanText:
    """What the planner writes: plot kind, one beat and 2-5 keywords per scene, a title."""

    plot: str
    beats: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]
    title: str


# ------------------------------------------------------------------ text formats


def header_text(theme: str, hero: str, color: str, adjective: str) -> str:
    return f"theme: {theme} | hero: {hero} | color: {color} | adjective: {adjective}"


def plot_line(plot: str) -> str:
    """A plan's first line: its plot kind."""
    return f"plot: {plot}"


def plan_lines(plan: PlanText) -> str:
    """The plan as written in the sequence (no trailing newline)."""
    rows = [plot_line(plan.plot)]
    rows += [f"plan {i} {role}: {' '.join(beat.split())} | {', '.join(words)}"
             for i, (role, beat, words) in enumerate(zip(BEAT_ROLES, plan.beats, plan.keywords), 1)]
    rows.append(f"title: {' '.join(plan.title.split())}")
    return "\n".join(rows)


def scene_marker(index: int) -> str:
    """The prefix of scene `index` (1-based)."""
    return f"scene {index} {BEAT_ROLES[index - 1]}:"


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


def parse_plan_text(text: str) -> PlanText | None:
    """A planner output read back, or None unless it has a plot, five plan lines in order with
    their roles, and a title."""
    lines = [ln.strip() for ln in text.strip().split("\n") if ln.strip()]
    if len(lines) != 7 or not lines[0].startswith("plot: ") or not lines[6].startswith("title: "):
        return None
    beats, keywords = [], []
    for want, line in enumerate(lines[1:6], 1):
        m = _PLAN_LINE.match(line)
        if not m or int(m.group(1)) != want or m.group(2) != BEAT_ROLES[want - 1] or not m.group(3):
            return None
        beats.append(" ".join(m.group(3).split()))
        keywords.append(clean_keywords((m.group(4) or "").split(",")))
    title = " ".join(lines[6][len("title: "):].split()).strip(" \"'")
    plot = " ".join(lines[0][len("plot: "):].split())
    if not title or not plot:
        return None
    return PlanText(plot=plot, beats=tuple(beats), keywords=tuple(keywords), title=title)


def parse_scenes(text: str, start: int = 0) -> tuple[list[str], bool]:
    """(scene texts in order, complete): what the writer wrote, beginning with scene start + 1's
    marker. Complete means every scene up to 5, each introduced by its own marker, in order."""
    scenes: list[str] = []
    ok = True
    for line in (ln.strip() for ln in text.strip().split("\n")):
        if not line:
            continue
        want = start + len(scenes) + 1
        m = _SCENE_LINE.match(line)
        if not m or int(m.group(1)) != want or m.group(2) != BEAT_ROLES[want - 1]:
            ok = False
            break
        scenes.append(" ".join(m.group(3).split()))
        if want == 5:
            break
    return scenes, ok and start + len(scenes) == 5


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
    return enc(header_text(theme, hero, color, adjective)) + [enc.nl]


def plot_ids(enc: Encoder, plot: str) -> list[int]:
    """The plot line with its newline: what the planner writes first."""
    return enc(plot_line(plot)) + [enc.nl]


def plan_ids(enc: Encoder, plan: PlanText) -> list[int]:
    """What the planner writes, with the end-of-text that closes it."""
    return enc(plan_lines(plan)) + [enc.eos]


def writer_prompt_ids(enc: Encoder, picks: Sequence[str], plan: PlanText) -> list[int]:
    """Everything the writer reads before scene 1's text: picks, plan, scene 1's marker."""
    return planner_prompt_ids(enc, *picks) + plan_ids(enc, plan) + marker_ids(enc, 1, first=True)


def marker_ids(enc: Encoder, index: int, first: bool = False) -> list[int]:
    """Scene `index`'s marker; every scene but the first starts on a new line."""
    return ([] if first else [enc.nl]) + enc(scene_marker(index))


def scene_text_ids(enc: Encoder, text: str) -> list[int]:
    return enc(" " + " ".join(text.split()))


def story_ids(enc: Encoder, scenes: Sequence[str], close: bool = True) -> list[tuple[list[int], bool]]:
    """The writer's part as pieces: (marker, read), (scene text, learned) ..., then <eos>."""
    parts: list[tuple[list[int], bool]] = []
    for i, text in enumerate(scenes, 1):
        parts += [(marker_ids(enc, i, first=i == 1), i > 1), (scene_text_ids(enc, text), True)]
    if close:
        parts.append(([enc.eos], True))
    return parts


def planner_example(enc: Encoder, picks: Sequence[str], plan: PlanText) -> Example:
    return _pieces([(planner_prompt_ids(enc, *picks), False), (plan_ids(enc, plan), True)])


def story_example(enc: Encoder, picks: Sequence[str], plan: PlanText, scenes: Sequence[str],
                  learn_plan: bool = True) -> Example:
    """The whole sequence; with learn_plan the plan is a target too (one model, both roles).
    Scene markers after the first are learned: the writer moves on to the next scene itself."""
    return _pieces([(planner_prompt_ids(enc, *picks), False), (plan_ids(enc, plan), learn_plan),
                    *story_ids(enc, scenes)])


# ------------------------------------------------------------------ plans from the corpus


def scene_pool(sentences) -> list[str]:
    """All keywords of a scene (KeywordSentence list), sentence order, deduplicated."""
    return list(clean_keywords((k for s in sentences for k in s.keywords), limit=1000))


def salience(sentences) -> dict[str, int]:
    """Best rank of each keyword within its sentences (0 = the sentence's most salient word: the
    hero, then nouns, then verbs, adjectives; see storygen/corpus/keywords.py)."""
    out: dict[str, int] = {}
    for sent in sentences:
        for i, k in enumerate(sent.keywords):
            out[k.lower()] = min(i, out.get(k.lower(), i))
    return out


def with_hero_first(words: Sequence[str], hero: str) -> tuple[str, ...]:
    rest = [w for w in words if w.lower() != hero.lower()]
    return (hero, *rest)


def plan_keywords(sentences, hero: str, rng: random.Random, first: bool,
                  size: tuple[int, int] = TRAIN_KEYWORDS) -> tuple[str, ...]:
    """The most salient lo..hi keywords of a scene, in story order (ties at random); scene 1
    always names the hero first (a plan opens with its hero)."""
    pool = scene_pool(sentences)
    rank = salience(sentences)
    n = rng.randint(*size)
    order = sorted(range(len(pool)), key=lambda j: (rank.get(pool[j].lower(), 99), rng.random()))
    words = [pool[j] for j in sorted(order[:n])]
    return with_hero_first(words, hero)[:size[1]] if first else tuple(words)


def story_plan(story, seed: int, epoch: int = 0, size: tuple[int, int] = TRAIN_KEYWORDS) -> PlanText:
    """A keyword story's plan: its plot and beats as written, keywords drawn for this epoch."""
    if not story.plot or len(story.beats) != len(story.scenes):
        raise RecordError(f"{story.id}: a story needs its plot and one beat per scene to train on;"
                          " add them to data/corpus and run `storygen keywords`")
    rng = random.Random(f"plan-keywords:{seed}:{epoch}:{story.id}")
    keywords = tuple(plan_keywords(sc, story.hero, rng, i == 0, size) for i, sc in enumerate(story.scenes))
    return PlanText(plot=story.plot, beats=tuple(story.beats), keywords=keywords, title=story.title)


def story_texts(story) -> tuple[str, ...]:
    return tuple(" ".join(sent.text for sent in scene) for scene in story.scenes)


def picks_of(rec) -> tuple[str, str, str, str]:
    return (rec.theme, rec.hero, rec.color, rec.adjective)


# ------------------------------------------------------------------ datasets


def keyword_stories(keywords_dir: Path | str, split: str) -> list:
    from ..corpus.keywords import KeywordStory, read_jsonl

    return read_jsonl(Path(keywords_dir) / f"{split}.jsonl", KeywordStory)


def keyword_vocabulary(keywords_dir: Path | str, split: str = "train") -> dict[str, list[str]]:
    """Every keyword (lowercased) of a split by theme."""
    vocab: dict[str, set[str]] = {}
    for story in keyword_stories(keywords_dir, split):
        vocab.setdefault(story.theme, set()).update(k.lower() for scene in story.scenes for k in scene_pool(scene))
    return {theme: sorted(words) for theme, words in sorted(vocab.items())}


def build_dataset(task: str, enc: Encoder, keywords_dir: Path | str, split: str, seed: int,
                  epoch: int = 0, plan_size: tuple[int, int] = TRAIN_KEYWORDS,
                  learn_plan: bool = True) -> list[Example]:
    """planner: picks -> plan; generator: the whole sequence (plan learned too with learn_plan).
    Validation and test use epoch 0's keywords whatever the epoch, so their loss is comparable."""
    stories = keyword_stories(keywords_dir, split)
    epoch = epoch if split == "train" else 0
    if task == "planner":
        return [planner_example(enc, picks_of(s), story_plan(s, seed, epoch, plan_size)) for s in stories]
    if task == "generator":
        return [story_example(enc, picks_of(s), story_plan(s, seed, epoch, plan_size), story_texts(s), learn_plan)
                for s in stories]
    raise RecordError(f"unknown task {task!r}; choose planner or generator")
