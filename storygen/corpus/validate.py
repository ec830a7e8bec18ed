"""`storygen corpus validate`: every check a story must pass before it can train a model.

Per story: schema, exactly N scenes of 2-4 sentences and 25-70 words, picks from
configs/options.yaml, the hero word + color + adjective in the text, the child-safety word list,
its plot kind and one beat per scene (the outline the planner learns), and every word a real
English word with no garbled pick word (storygen/fluency.py: wordfreq + configs/words.yaml).
Across stories: unique ids and (hero, adjective, color) combinations, near-duplicates (word
3-gram Jaccard) and sentences repeated across stories once the option words and given names
are blanked out (their share must stay under a limit). Problems are data, not exceptions: the
caller prints them and decides the exit code.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from ..errors import RecordError
from ..fluency import check_story
from ..options import Options, load_options
from ..records import Record
from ..safety import flagged_words
from ..text import split_sentences, words
from .stories import BEAT_ROLES, CORPUS_PATH, CorpusStory, ValidateConfig, corpus_config, term_pattern

CHECKS = (
    "json", "schema", "duplicate_id", "id", "option", "scenes", "sentences", "words",
    "missing_word", "name", "safety", "plan", "non_word", "duplicate_combo", "near_duplicate",
    "repeated_sentences",
)


@dataclass(frozen=True)
class Problem(Record):
    story: str  # story id, or "corpus" / "line N" where there is no id
    check: str  # one of CHECKS (not "kind": Record uses that name for file kinds)
    where: str  # "scene 3", "scene 2 sentence 1", "title", "" for the whole story
    message: str


@dataclass(frozen=True)
class Report:
    stories: tuple[CorpusStory, ...]
    problems: tuple[Problem, ...]
    repeated_rate: float  # share of sentences that also occur (blanked) in another story
    max_jaccard: float  # the highest word 3-gram Jaccard between two stories
    max_jaccard_pair: tuple[str, str] | None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "stories": len(self.stories),
            "repeated_sentence_rate": round(self.repeated_rate, 4),
            "max_jaccard": round(self.max_jaccard, 4),
            "max_jaccard_pair": list(self.max_jaccard_pair) if self.max_jaccard_pair else None,
            "problems": [p.to_dict() for p in self.problems],
        }


# ------------------------------------------------------------------ reading, line by line


def read_lines(path: Path | str = CORPUS_PATH) -> tuple[list[CorpusStory], list[Problem]]:
    """Every line that parses as a CorpusStory, and a problem for every line that does not."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise RecordError(f"Corpus file {path} does not exist; run scripts/merge_corpus.py") from None
    stories, problems = [], []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"line {n}", "json", f"column {exc.colno}", f"not valid JSON: {exc.msg}"))
            continue
        sid = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else f"line {n}"
        try:
            stories.append(CorpusStory.from_dict(data, where=f"line {n}"))
        except RecordError as exc:
            problems.append(Problem(sid, "schema", f"line {n}", str(exc)))
    return stories, problems


# ------------------------------------------------------------------ per-story checks


def _has_word(text: str, word: str) -> bool:
    return term_pattern(word).search(text) is not None


def check_options(story: CorpusStory, opts: Options) -> list[Problem]:
    out = []

    def bad(what: str, value: str, choices) -> None:
        out.append(Problem(story.id, "option", what, f"{what} {value!r} is not one of: {', '.join(choices)}"))

    if story.theme not in opts.themes:
        bad("theme", story.theme, opts.themes)
    elif story.hero not in opts.themes[story.theme].heroes:
        bad("hero", story.hero, opts.themes[story.theme].heroes)
    if story.color not in opts.colors:
        bad("color", story.color, opts.colors)
    if story.adjective not in opts.adjectives:
        bad("adjective", story.adjective, opts.adjectives)
    if not re.fullmatch(rf"{re.escape(story.theme)}-\d{{3,}}", story.id):
        out.append(Problem(story.id, "id", "id", f"id should look like '{story.theme}-001' (theme, dash, number)"))
    return out


def check_shape(story: CorpusStory, cfg: ValidateConfig) -> list[Problem]:
    out = []
    if len(story.scenes) != cfg.scenes:
        out.append(Problem(story.id, "scenes", "scenes", f"has {len(story.scenes)} scenes, needs exactly {cfg.scenes}"))
    (smin, smax), (wmin, wmax) = cfg.sentences, cfg.words
    for i, scene in enumerate(story.scenes, 1):
        n_sent, n_words = len(split_sentences(scene)), len(words(scene))
        if not smin <= n_sent <= smax:
            out.append(Problem(story.id, "sentences", f"scene {i}", f"{n_sent} sentences, needs {smin}-{smax}"))
        if not wmin <= n_words <= wmax:
            out.append(Problem(story.id, "words", f"scene {i}", f"{n_words} words, needs {wmin}-{wmax}"))
    if not story.title.strip():
        out.append(Problem(story.id, "schema", "title", "title is empty"))
    return out


def check_words(story: CorpusStory) -> list[Problem]:
    text = " ".join(story.scenes)
    out = [
        Problem(story.id, "missing_word", "scenes", f"the {what} {value!r} never appears in the story text")
        for what, value in (("hero", story.hero), ("color", story.color), ("adjective", story.adjective))
        if not _has_word(text, value)
    ]
    if story.name is not None and not re.search(rf"\b{re.escape(story.name)}\b", text):
        out.append(Problem(story.id, "name", "scenes",
                           f"the hero's name {story.name!r} never appears in the story text"))
    return out


def check_plan(story: CorpusStory, plots: tuple[str, ...], cfg: ValidateConfig) -> list[Problem]:
    """The plot kind and one beat per scene: what the planner learns to write."""
    out = []
    if story.plot not in plots:
        out.append(Problem(story.id, "plan", "plot", f"plot {story.plot!r} is not one of: {', '.join(plots)}"))
    if len(story.beats) != cfg.scenes:
        out.append(Problem(story.id, "plan", "beats", f"has {len(story.beats)} beats, needs {cfg.scenes}:"
                                                      f" one per scene ({', '.join(BEAT_ROLES)})"))
    lo, hi = cfg.beat_words
    for i, beat in enumerate(story.beats, 1):
        n = len(words(beat))
        if not lo <= n <= hi:
            out.append(Problem(story.id, "plan", f"beat {i}", f"{n} words, needs {lo}-{hi}"))
    return out


def check_fluency(story: CorpusStory) -> list[Problem]:
    picks = (story.hero, story.color, story.adjective)
    names = (story.name,) if story.name else ()
    return [Problem(story.id, "non_word", where, f"{reason}; use real English words (or add a real word"
                                                " wordfreq lacks to configs/words.yaml)")
            for where, text in [("title", story.title), *((f"scene {i}", sc) for i, sc in enumerate(story.scenes, 1)),
                                *((f"beat {i}", b) for i, b in enumerate(story.beats, 1))]
            if (reason := check_story([text], picks, names + tuple(_story_names(story))).reason())]


def _story_names(story: CorpusStory) -> set[str]:
    """Names introduced anywhere in the story ("a crab called Pinch" in scene 2 names him in 4)."""
    from ..fluency import introduced_names

    return introduced_names(" ".join(story.scenes))


def check_safety(story: CorpusStory, flagged=flagged_words) -> list[Problem]:
    """storygen.safety's output filter, the one every generated story passes: training text
    must not teach what it refuses. Whole story first (one call when clean), then per part."""
    parts = [("title", story.title)] + [(f"scene {i}", s) for i, s in enumerate(story.scenes, 1)]
    if not flagged("\n".join(text for _, text in parts)):
        return []
    return [
        Problem(story.id, "safety", where, f"words unfit for young children: {', '.join(hits)}")
        for where, text in parts
        if (hits := flagged(text))
    ]


# ------------------------------------------------------------------ corpus-wide checks


def check_unique(stories: list[CorpusStory]) -> list[Problem]:
    out = []
    seen_id: dict[str, int] = {}
    seen_combo: dict[tuple[str, str, str], str] = {}
    for s in stories:
        if s.id in seen_id:
            out.append(Problem(s.id, "duplicate_id", "id", f"id {s.id!r} is used by more than one story"))
        seen_id[s.id] = 1
        combo = (s.hero, s.adjective, s.color)
        if combo in seen_combo and seen_combo[combo] != s.id:
            out.append(Problem(
                s.id, "duplicate_combo", "hero/adjective/color",
                f"({s.hero}, {s.adjective}, {s.color}) is already used by {seen_combo[combo]};"
                " pick another color or adjective",
            ))
        seen_combo.setdefault(combo, s.id)
    return out


def trigrams(story: CorpusStory) -> frozenset[tuple[str, ...]]:
    toks = [w.lower() for w in words(" ".join(story.scenes))]
    return frozenset(zip(toks, toks[1:], toks[2:]))


def jaccard_pairs(stories: list[CorpusStory]) -> list[tuple[float, str, str]]:
    """(Jaccard, id_a, id_b) for every pair sharing at least one word 3-gram, highest first."""
    grams = [trigrams(s) for s in stories]
    # An inverted index visits only pairs that share a 3-gram: far fewer than all pairs.
    shared: dict[tuple[int, int], int] = defaultdict(int)
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, g in enumerate(grams):
        for t in g:
            index[t].append(i)
    for ids in index.values():
        if len(ids) > 1:
            for a, b in combinations(ids, 2):
                shared[a, b] += 1
    out = [(n / (len(grams[a]) + len(grams[b]) - n), stories[a].id, stories[b].id) for (a, b), n in shared.items()]
    return sorted(out, key=lambda t: (-t[0], t[1], t[2]))


def blanked(sentence: str, blank: re.Pattern) -> str:
    """A sentence with every option word and given name replaced by _, lowercased, words only."""
    return " ".join(re.findall(r"[\w']+", blank.sub("_", sentence.lower()))) or sentence.lower()


def blank_pattern(stories: list[CorpusStory], opts: Options) -> re.Pattern:
    terms = {h for t in opts.themes.values() for h in t.heroes} | set(opts.colors) | set(opts.adjectives)
    terms |= {s.name.lower() for s in stories if s.name}
    # Longest first, so "polar bear" is blanked whole before "bear"; plurals too.
    alts = "|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return re.compile(rf"\b(?:{alts})(?:e?s)?\b")


def repeated_sentences(stories: list[CorpusStory], opts: Options) -> tuple[float, dict[str, list[str]]]:
    """Share of all sentences whose blanked form also occurs in another story; where each occurs."""
    blank = blank_pattern(stories, opts)
    where: dict[str, list[str]] = defaultdict(list)
    owners: dict[str, set[str]] = defaultdict(set)
    total = 0
    for s in stories:
        for i, scene in enumerate(s.scenes, 1):
            for j, sent in enumerate(split_sentences(scene), 1):
                key = blanked(sent, blank)
                where[key].append(f"{s.id} scene {i} sentence {j}")
                owners[key].add(s.id)
                total += 1
    repeated = {k: v for k, v in where.items() if len(owners[k]) > 1}
    n_repeated = sum(len(v) for v in repeated.values())
    return (n_repeated / total if total else 0.0), dict(sorted(repeated.items()))


# ------------------------------------------------------------------ all together


def validate_stories(stories: list[CorpusStory], cfg: ValidateConfig | None = None,
                     opts: Options | None = None, flagged=None, plots: tuple[str, ...] | None = None) -> Report:
    """All checks. `flagged` replaces storygen.safety.flagged_words (tests of other checks)."""
    cfg = cfg or corpus_config().validate
    plots = corpus_config().plots if plots is None else plots
    opts = opts or load_options()
    flagged = flagged or flagged_words
    problems: list[Problem] = []
    for s in stories:
        problems += (check_options(s, opts) + check_shape(s, cfg) + check_words(s) + check_plan(s, plots, cfg)
                     + check_fluency(s) + check_safety(s, flagged))
    problems += check_unique(stories)
    pairs = jaccard_pairs(stories)
    for score, a, b in pairs:
        if score < cfg.max_jaccard:
            break
        problems.append(Problem(b, "near_duplicate", a, f"word 3-gram Jaccard with {a} is {score:.2f}"
                                                        f" (limit {cfg.max_jaccard}); rewrite one of them"))
    rate, repeated = repeated_sentences(stories, opts)
    if rate >= cfg.max_repeated_sentence_rate:
        problems.append(Problem(
            "corpus", "repeated_sentences", "",
            f"{rate:.1%} of sentences also occur in another story with option words and names"
            f" blanked (limit {cfg.max_repeated_sentence_rate:.0%}); rewrite the ones listed below",
        ))
        for key, places in repeated.items():
            ids = sorted({p.split(" ")[0] for p in places})
            problems.append(Problem(ids[0], "repeated_sentences", "; ".join(places), f"repeated sentence: {key!r}"))
    best = pairs[0] if pairs else None
    return Report(tuple(stories), tuple(problems), rate, best[0] if best else 0.0,
                  (best[1], best[2]) if best else None)


def validate_file(path: Path | str = CORPUS_PATH, cfg: ValidateConfig | None = None,
                  opts: Options | None = None, flagged=None, plots: tuple[str, ...] | None = None) -> Report:
    stories, problems = read_lines(path)
    report = validate_stories(stories, cfg, opts, flagged, plots)
    return Report(report.stories, tuple(problems) + report.problems, report.repeated_rate,
                  report.max_jaccard, report.max_jaccard_pair)


def repeated_warnings(stories: list[CorpusStory], opts: Options | None = None) -> dict[str, list[str]]:
    """The repeated sentences even when under the limit: worth a look, not a failure."""
    return repeated_sentences(stories, opts or load_options())[1]
