"""`storygen evaluate`: the story models measured honestly, beside the template and human stories.

Sections register by name in a group (`lm` here; other stages add theirs), each a function of the
shared EvalContext returning a dict of figures plus the table rows it wants shown. Sections of
one run share work through `ctx.cache`.

- `compare`: for each prompt of the split (its distinct picks), the story the shipped text stage
  makes with the learned models (plan -> K candidates -> filter + rank), the template baseline's,
  and the split's human story for the same picks, measured side by side: non-word rate, garbled
  pick words, distinct-2, repeated 4-grams, perplexity under the base model, coherence score,
  plan coverage, seconds. None of these is the goal (a blind reading is: `--sheet`); they are
  what can be watched between readings.
- `perplexity`: the human test stories under the fine-tuned model (given their own plans) and
  under the base model.
- `speed`: raw decoding tokens/s of every installed engine, batch of 4.
"""
from __future__ import annotations

import math
import resource
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from ..records import Prompt

Row = tuple[str, str, str, "bool | None"]  # metric, value, target, met (None = no target)
SYSTEMS = ("lm", "template", "human")


@dataclass
class EvalContext:
    split: str = "test"
    limit: int = 0  # prompts evaluated (0 = all of the split)
    k: int = 4
    seed: int = 0
    engine: str | None = None  # override the recipes' decode engine
    models_dir: Path | None = None
    keywords_dir: Path | None = None
    log: Callable[[str], None] = print
    decode: dict = field(default_factory=dict)  # DecodeSettings fields to override (tests, sweeps)
    ranker: str = "coherence"  # the ranker of the learned text stage
    track: Callable = lambda items, description: items  # the CLI shows a progress bar here
    cache: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    name: str
    group: str
    run: Callable[[EvalContext], dict]
    rows: Callable[[dict], list]


SECTIONS: dict[str, Section] = {}


def section(name: str, group: str, rows: Callable[[dict], list]):
    def deco(fn):
        SECTIONS[name] = Section(name, group, fn, rows)
        return fn
    return deco


def run_sections(names: list[str], ctx: EvalContext) -> tuple[dict, list]:
    report: dict = {"split": ctx.split, "k": ctx.k, "seed": ctx.seed}
    rows: list = []
    for name in names:
        ctx.log(f"evaluating {name}")
        t0 = time.perf_counter()
        result = SECTIONS[name].run(ctx)
        result["seconds"] = round(time.perf_counter() - t0, 1)
        report[name] = result
        rows += [(f"{name}: {r[0]}", *r[1:]) for r in SECTIONS[name].rows(result)]
    return report, rows


# ------------------------------------------------------------------ shared helpers


def settings(ctx: EvalContext, task: str):
    from .recipe import decode_settings

    s = replace(decode_settings(task), **ctx.decode)
    return replace(s, engine=ctx.engine) if ctx.engine else s


def keywords_dir(ctx: EvalContext) -> Path:
    from .recipe import default_recipe

    r = default_recipe("generator")
    return ctx.keywords_dir or r.path(r.keywords_dir)


def split_stories(ctx: EvalContext) -> list:
    """One human story per distinct (theme, hero, color, adjective) of the split, in file order."""
    from .data import keyword_stories

    seen: dict = {}
    for s in keyword_stories(keywords_dir(ctx), ctx.split):
        seen.setdefault((s.theme, s.hero, s.color, s.adjective), s)
    stories = list(seen.values())
    return stories[:ctx.limit] if ctx.limit else stories


def prompt_of(story, seed: int) -> Prompt:
    return Prompt(theme=story.theme, hero=story.hero, color=story.color, adjective=story.adjective, seed=seed)


def distinct(texts: list[str], n: int) -> float:
    """Distinct n-grams over all n-grams of each text, averaged (1.0 = nothing repeats)."""
    from .decode import words_of

    vals = []
    for t in texts:
        w = words_of(t)
        grams = [tuple(w[i:i + n]) for i in range(len(w) - n + 1)]
        if grams:
            vals.append(len(set(grams)) / len(grams))
    return round(statistics.mean(vals), 4) if vals else 0.0


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _mean(xs) -> float:
    xs = [x for x in xs if x is not None]
    return round(statistics.mean(xs), 4) if xs else float("nan")


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


# ------------------------------------------------------------------ making the stories


def make_story(prompt: Prompt, system: str, ctx: EvalContext):
    """(story, seconds) from one system's text stage, exactly as `storygen make` runs it."""
    from ..story import choose_story, make_plan, write_candidates
    from .story_model import LMPlanner, LMWriter

    t0 = time.perf_counter()
    if system == "lm":
        plan = LMPlanner(ctx.models_dir, settings(ctx, "planner")).plan(prompt, prompt.seed)
        writer = LMWriter(ctx.models_dir, settings(ctx, "generator"))
        cands = writer.write(plan, ctx.k, plan.seed)
        story, _ = choose_story(cands, ctx.ranker, writer=writer)
    else:
        plan = make_plan(prompt, "template")
        cands = write_candidates(plan, ctx.k, "template")
        story, _ = choose_story(cands, "heuristic", writer="template")
    return story, time.perf_counter() - t0


def base_perplexities(texts: list[str]) -> list[float]:
    """Per-story perplexity of plain text under the base model (fluency, independent of our models)."""
    import torch

    from .base import load_base
    from .data import Encoder, Example
    from .train import loss_sum

    model, tok = load_base()
    enc = Encoder(tok)
    out = []
    with torch.no_grad():
        for t in texts:
            ids = [enc.eos] + enc(t)
            total, n = loss_sum(model, [Example(ids, ids)], tok.pad_token_id)
            out.append(round(math.exp(float(total) / max(n, 1)), 3))
    return out


def measure(stories: list[tuple[tuple[str, ...], Prompt, tuple | None]], coherence: bool = True) -> dict:
    """The automatic measures of a set of (scenes, prompt, plan keywords) stories."""
    from ..fluency import check_story
    from ..fluency import WORD_RE
    from ..ranker import keyword_coverage, repeated_ngram_rate

    words = non = garbled_stories = nonword_stories = 0
    for scenes, p, _ in stories:
        f = check_story(scenes, (p.hero, p.color, p.adjective))
        words += sum(len(WORD_RE.findall(s)) for s in scenes)
        non += len(f.non_words)
        garbled_stories += bool(f.garbled)
        nonword_stories += bool(f.non_words)
    texts = ["\n".join(scenes) for scenes, _, _ in stories]
    out = {
        "stories": len(stories),
        "non_word_rate": round(non / max(words, 1), 5),
        "stories_with_non_words": nonword_stories,
        "stories_with_garbled_picks": garbled_stories,
        "distinct_2": distinct(texts, 2),
        "repeated_4gram_rate": _mean(repeated_ngram_rate(scenes) for scenes, _, _ in stories),
        "base_perplexity": _mean(base_perplexities(texts)) if stories else None,
        "plan_coverage": _mean(keyword_coverage(scenes, plan) for scenes, _, plan in stories if plan),
    }
    if coherence and stories:
        try:
            from ..coherence.scorer import shared_scorer

            scores = shared_scorer().score([(scenes, p.hero, p.theme) for scenes, p, _ in stories])
            out["coherence"] = _mean(s.coherence for s in scores)
        except Exception as exc:  # an untrained or incompatible ranker: say so, keep the rest
            out["coherence_unavailable"] = str(exc).splitlines()[0][:200]
    return out


def compared_stories(ctx: EvalContext) -> dict:
    """{system: [(title, scenes, prompt, plan keywords, seconds)]} for the split's prompts, cached."""
    if "compare" in ctx.cache:
        return ctx.cache["compare"]
    from .data import story_plan, story_texts

    made: dict = {s: [] for s in SYSTEMS}
    humans = split_stories(ctx)
    for i, h in enumerate(ctx.track(humans, description="writing stories")):
        prompt = prompt_of(h, ctx.seed + i)
        for system in ("lm", "template"):
            story, secs = make_story(prompt, system, ctx)
            made[system].append((story.title, tuple(story.scenes), prompt, story.plan.scenes, secs))
        gold = story_plan(h, 0).keywords
        made["human"].append((h.title, story_texts(h), prompt, gold, 0.0))
    ctx.cache["compare"] = made
    return made


# ------------------------------------------------------------------ sections


def _compare_rows(r: dict) -> list:
    rows = []
    for sys_ in SYSTEMS:
        m = r[sys_]
        target = sys_ == "lm"
        rows += [
            (f"{sys_}: non-word rate / stories with non-words", f"{_pct(m['non_word_rate'])} / {m['stories_with_non_words']}",
             "0" if target else "-", (m["stories_with_non_words"] == 0) if target else None),
            (f"{sys_}: stories with garbled pick words", str(m["stories_with_garbled_picks"]),
             "0" if target else "-", (m["stories_with_garbled_picks"] == 0) if target else None),
            (f"{sys_}: distinct-2 / repeated 4-grams", f"{m['distinct_2']:.3f} / {_pct(m['repeated_4gram_rate'])}", "-", None),
            (f"{sys_}: base-model perplexity", f"{m['base_perplexity']:.2f}", "-", None),
            (f"{sys_}: coherence / plan coverage",
             f"{m.get('coherence', float('nan')):.3f} / {_pct(m['plan_coverage'])}", "-", None),
        ]
        if sys_ != "human":
            rows.append((f"{sys_}: seconds per story (median / max)",
                         f"{m['seconds_median']:.1f} / {m['seconds_max']:.1f}", "<= 15" if target else "-",
                         (m["seconds_median"] <= 15) if target else None))
    return rows


@section("compare", "lm", _compare_rows)
def eval_compare(ctx: EvalContext) -> dict:
    made = compared_stories(ctx)
    out: dict = {"prompts": len(made["human"]), "k": ctx.k, "ranker": ctx.ranker}
    for sys_, rows in made.items():
        m = measure([(scenes, p, plan) for _, scenes, p, plan, _ in rows])
        secs = [s for *_, s in rows]
        if sys_ != "human" and secs:
            m["seconds_median"], m["seconds_max"] = round(statistics.median(secs), 2), round(max(secs), 2)
        out[sys_] = m
    out["lm"]["peak_rss_mb"] = peak_rss_mb()
    return out


def _ppl_rows(r: dict) -> list:
    return [("test-story perplexity, fine-tuned (given its plan) / base (plain text)",
             f"{r['finetuned']:.2f} / {r['base']:.2f}", "below base", r["finetuned"] < r["base"])]


@section("perplexity", "lm", _ppl_rows)
def eval_perplexity(ctx: EvalContext) -> dict:
    from .base import base_dir
    from .data import (Encoder, _pieces, marker_ids, picks_of, plan_ids, planner_prompt_ids, scene_text_ids,
                       story_plan, story_texts)
    from .adapters import adapter_dir, merged_model
    from .train import evaluate_loss

    stories = split_stories(ctx)
    tuned, tok = merged_model(str(adapter_dir("generator", ctx.models_dir)), str(base_dir()))
    enc = Encoder(tok)

    def example(s):  # loss on the scene texts only, the plan given
        parts = [(planner_prompt_ids(enc, *picks_of(s)), False), (plan_ids(enc, story_plan(s, 0)), False)]
        for i, text in enumerate(story_texts(s), 1):
            parts += [(marker_ids(enc, i, first=i == 1), False), (scene_text_ids(enc, text), True)]
        return _pieces(parts)

    examples = [example(s) for s in stories]
    texts = ["\n".join(story_texts(s)) for s in stories]
    return {
        "stories": len(stories),
        "finetuned": round(math.exp(evaluate_loss(tuned, examples, tok.pad_token_id, 4)), 3),
        "base": _mean(base_perplexities(texts)),
    }


def _speed_rows(r: dict) -> list:
    return [(f"{name}: tokens/s, batch of 4 x {r['new_tokens']}", f"{v['tokens_per_s']:.1f}", ">= 75",
             v["tokens_per_s"] >= 75) for name, v in r["engines"].items()]


@section("speed", "lm", _speed_rows)
def eval_speed(ctx: EvalContext, new_tokens: int = 100) -> dict:
    """Every installed engine on the same batch: 4 prompts, exactly `new_tokens` each."""
    from .data import Encoder, planner_prompt_ids
    from .engines import ct2_available, derive_seed
    from .story_model import load_engine

    engines = {}
    for name in ["hf-int8", "hf"] + (["ct2"] if ct2_available() else []):
        s = replace(settings(ctx, "generator"), engine=name)
        t0 = time.perf_counter()
        engine = load_engine("generator", s, ctx.models_dir)
        load = time.perf_counter() - t0
        prompt = planner_prompt_ids(Encoder(engine.tok), "farm", "pig", "pink", "shy")
        engine.session(derive_seed("speed", ctx.seed))
        t0 = time.perf_counter()
        outs = engine.generate([prompt] * 4, new_tokens, (), s, ctx.seed)
        dt = time.perf_counter() - t0
        engines[name] = {"tokens_per_s": round(sum(map(len, outs)) / dt, 1), "load_seconds": round(load, 2),
                         "threads": s.threads}
    return {"new_tokens": new_tokens, "engines": engines}


DEFAULT_ORDER = ("compare", "perplexity", "speed")
