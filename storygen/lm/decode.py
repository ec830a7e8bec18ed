"""Decoding with the story model on any engine: plain sampling, then checks, then rewrites.

Planner: the plot kind is drawn from the model's own probabilities over the corpus's plot kinds,
then `samples` plans are written after it in one batch; the first that reads back as a plan (five
beats in order, 2-5 keywords each, a title, real words only, safe) wins; another round with new
seeds if none does.
Writer: K stories in one batch, each written whole from the plan (every scene after the whole
story so far). A story is then checked: five scenes, each a finished passage of sensible length,
the hero named, every word a real word and no garbled pick (storygen/fluency.py), nothing the
safety filter flags, no looping. A failing story is rewritten from its first failing scene on
(the scenes before it are kept), `retry_width` samples each, at most `retries` rounds, all in
one batch; the best attempt is kept, so the loop is bounded.

Nothing here pushes a token: keywords reach the text through the prompt only (issue 17: a bonus
on a first sub-word piece wrote " teal"+"ight"). No-repeat rules, where set, see only the text
being generated (engines.py).
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from ..corpus.stories import term_pattern
from ..fluency import check_story, introduced_names
from ..records import Prompt
from ..safety import flagged_words
from ..text import letter_runs
from .data import (KEYWORD_RANGE, Encoder, PlanText, marker_ids, parse_plan_text, parse_scenes,
                   planner_prompt_ids, plot_ids, plot_line, scene_marker, scene_text_ids, with_hero_first,
                   writer_prompt_ids)
from .engines import Engine, derive_seed
from .recipe import DecodeSettings

_FINISHED = re.compile(r"[.!?][\"'”’)]*$")
SCENE_WORDS = (12, 110)
MAX_REPEAT_RATE = 0.08  # share of a story's word 4-grams seen earlier in it: above this it loops
HERO_SCENES = 3  # the hero (noun or name) is named in at least this many scenes


def words_of(text: str) -> list[str]:
    return letter_runs(text)


def has_word(text: str, keyword: str) -> bool:
    """The keyword as whole words (the ranker's coverage rule: exact words, any case)."""
    return f" {' '.join(words_of(keyword))} " in f" {' '.join(words_of(text))} "


def hero_named(text: str, hero: str, names: Sequence[str] = ()) -> bool:
    return bool(term_pattern(hero).search(text)) or any(re.search(rf"\b{re.escape(n)}\b", text) for n in names)


def repeat_rate(scenes: Sequence[str], n: int = 4) -> float:
    w = words_of(" ".join(scenes))
    grams = [tuple(w[i:i + n]) for i in range(len(w) - n + 1)]
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


# ------------------------------------------------------------------ planner


def check_plan(plan: PlanText | None, prompt: Prompt, plots: Sequence[str]) -> PlanText | None:
    """A parsed plan made to fit the contract, or None: a known plot, 2-5 keywords a scene (the
    hero first in scene 1), real words in beats and title."""
    if plan is None or (plots and plan.plot not in plots):
        return None
    lo, hi = KEYWORD_RANGE
    keywords = [with_hero_first(plan.keywords[0], prompt.hero)[:hi], *(k[:hi] for k in plan.keywords[1:])]
    if any(len(k) < lo for k in keywords):
        return None
    picks = (prompt.hero, prompt.color, prompt.adjective)
    if not check_story([*plan.beats, plan.title, *(", ".join(k) for k in keywords)], picks).ok:
        return None
    return PlanText(plot=plan.plot, beats=plan.beats, keywords=tuple(keywords), title=plan.title)


def plot_weights(engine: Engine, enc: Encoder, ids: list[int], plots: Sequence[str]) -> list[float]:
    """The model's own probability of each plot kind after the picks, normalised over the list
    (one scoring pass): the plot is drawn from these, never written free (the pilot wrote plots
    that are not in the list)."""
    seqs = [ids + plot_ids(enc, p) for p in plots]
    logp = [sum(lp[len(ids) - 1:]) for lp in engine.log_probs(seqs)]
    top = max(logp)
    w = [math.exp(x - top) for x in logp]
    return [x / sum(w) for x in w]


def plan_from_output(text: str, closed: bool) -> PlanText | None:
    """A plan read back from a planner output, up to its title line: text the model went on with
    after a finished title is ignored, a title cut off by the token budget is not a title."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip().startswith("title: "):
            if i == len(lines) - 1 and not closed:
                return None
            return parse_plan_text("\n".join(lines[:i + 1]))
    return None


def sample_plans(engine: Engine, enc: Encoder, prompt: Prompt, s: DecodeSettings, seed: int,
                 rounds: int = 3, accept: Callable[[PlanText], bool] = lambda plan: True,
                 plots: Sequence[str] = ()) -> tuple[PlanText | None, int]:
    """The first valid plan among `samples` per round (one batch each), and the rounds used;
    (None, rounds) if none is valid. With a list of `plots`, each sample's plot is drawn from
    the model's probabilities over the list and the model writes the rest of the plan after it."""
    ids = planner_prompt_ids(enc, prompt.theme, prompt.hero, prompt.color, prompt.adjective)
    engine.session(derive_seed("plan", seed))
    weights = plot_weights(engine, enc, ids, plots) if plots else []
    for r in range(rounds):
        rng = random.Random(derive_seed("plot", seed, r))
        chosen = rng.choices(list(plots), weights, k=s.samples) if plots else [None] * s.samples
        prompts = [ids + plot_ids(enc, p) if p else ids for p in chosen]
        outs = engine.generate(prompts, s.plan_tokens, (enc.eos,), s, derive_seed("plan", seed, r))
        for plot, out in zip(chosen, outs):
            closed = bool(out) and out[-1] == enc.eos
            text = (plot_line(plot) + "\n" if plot else "") + enc.decode(out[:-1] if closed else out)
            plan = check_plan(plan_from_output(text, closed), prompt, plots)
            if plan is not None and accept(plan):
                return plan, r + 1
    return None, rounds


# ------------------------------------------------------------------ writer


@dataclass
class Verdict:
    """What is wrong with a story, and where its first fault is (the scene a rewrite starts at)."""

    problems: tuple[str, ...]
    first_bad: int  # 0-based scene index to rewrite from; len(scenes) if the story is only short
    unsafe: bool
    rank: tuple

    @property
    def ok(self) -> bool:
        return not self.problems


def judge_story(scenes: Sequence[str], complete: bool, closed: bool, prompt: Prompt) -> Verdict:
    picks = (prompt.hero, prompt.color, prompt.adjective)
    text = " ".join(scenes)
    names = tuple(sorted(introduced_names(text)))
    problems: list[str] = []
    bad: list[int] = []
    unsafe = False
    for i, sc in enumerate(scenes):
        n = len(sc.split())
        if not (_FINISHED.search(sc) and SCENE_WORDS[0] <= n <= SCENE_WORDS[1]):
            problems.append(f"scene {i + 1} is cut off or of odd length ({n} words)")
            bad.append(i)
        fl = check_story([sc], picks, names)
        if not fl.ok:
            problems.append(f"scene {i + 1}: {fl.reason()}")
            bad.append(i)
        if flagged_words(sc):
            problems.append(f"scene {i + 1}: words the safety filter refuses")
            bad.append(i)
            unsafe = True
    if not (complete and closed):
        problems.append(f"{len(scenes)} of 5 scenes written" if len(scenes) < 5 else "does not end after scene 5")
        bad.append(min(len(scenes), 4))
    if scenes and not hero_named(scenes[0], prompt.hero):
        problems.append("scene 1 does not name the hero")
        bad.append(0)
    named = sum(hero_named(sc, prompt.hero, names) for sc in scenes)
    if len(scenes) == 5 and named < HERO_SCENES:
        problems.append(f"the hero is named in {named} scenes")
        bad.append(1)
    rate = repeat_rate(scenes)
    if rate > MAX_REPEAT_RATE:
        problems.append(f"{rate:.0%} repeated 4-grams")
        bad.append(1)
    first = min(bad) if bad else len(scenes)
    # Safe first (a flagged word fails the candidate), then fewer problems, then a later first
    # fault (more good scenes), then less repetition.
    rank = (not unsafe, -len(problems), first, -rate)
    return Verdict(tuple(problems), first, unsafe, rank)


@dataclass
class Draft:
    scenes: list[str] = field(default_factory=list)
    verdict: Verdict | None = None
    tries: int = 0  # stories (or story tails) decoded for this candidate
    rewrites: list[int] = field(default_factory=list)  # scene a rewrite started at, per round

    @property
    def ok(self) -> bool:
        return self.verdict is not None and self.verdict.ok


def continuation_prompt(enc: Encoder, prompt: Prompt, plan: PlanText, kept: Sequence[str]) -> list[int]:
    """The writer's prompt with `kept` scenes already written: decoding goes on at the next one."""
    ids = writer_prompt_ids(enc, (prompt.theme, prompt.hero, prompt.color, prompt.adjective), plan)
    for i, text in enumerate(kept, 1):
        ids += scene_text_ids(enc, text) + marker_ids(enc, i + 1)
    return ids


def _read(enc: Encoder, out: list[int], kept: Sequence[str]) -> tuple[list[str], bool, bool]:
    """(all scenes, complete, closed) of a decode that went on after the `kept` scenes."""
    closed = bool(out) and out[-1] == enc.eos
    body = enc.decode(out[:-1] if closed else out)
    # the first new scene's marker was the end of the prompt: put it back to parse by one rule
    new, complete = parse_scenes(scene_marker(len(kept) + 1) + body, len(kept))
    return list(kept) + new, complete, closed


def write_stories(engine: Engine, enc: Encoder, prompt: Prompt, plan: PlanText, k: int,
                  s: DecodeSettings, seed: int) -> list[Draft]:
    """K stories decoded together from one plan; failing ones rewritten (see module doc)."""
    engine.session(derive_seed("write", seed))
    drafts = [Draft() for _ in range(k)]
    first = continuation_prompt(enc, prompt, plan, [])
    outs = engine.generate([first] * k, s.max_new_tokens, (enc.eos,), s, derive_seed("story", seed))
    for d, out in zip(drafts, outs):
        d.tries += 1
        scenes, complete, closed = _read(enc, out, [])
        d.scenes, d.verdict = scenes, judge_story(scenes, complete, closed, prompt)
    for r in range(s.retries):
        todo = [c for c, d in enumerate(drafts) if not d.ok]
        if not todo:
            break
        jobs = []
        for c in todo:
            start = min(drafts[c].verdict.first_bad, 4)
            drafts[c].rewrites.append(start + 1)
            jobs += [(c, start)] * s.retry_width
        prompts = [continuation_prompt(enc, prompt, plan, drafts[c].scenes[:start]) for c, start in jobs]
        budget = s.max_new_tokens  # a tail is shorter than a story; the same cap keeps one batch
        outs = engine.generate(prompts, budget, (enc.eos,), s, derive_seed("rewrite", seed, r))
        for (c, start), out in zip(jobs, outs):
            d = drafts[c]
            d.tries += 1
            scenes, complete, closed = _read(enc, out, d.scenes[:start])
            verdict = judge_story(scenes, complete, closed, prompt)
            if verdict.rank > d.verdict.rank:
                d.scenes, d.verdict = scenes, verdict
    return drafts
