"""`storygen evaluate`: figures of the story models on a corpus split, as JSON + a table.

Sections register by name in a group (`lm` here; other stages add theirs, e.g. `nlp`), each a
function of the shared EvalContext returning a dict of metrics, plus the table rows it wants
shown (metric, value, target, pass). Sections of one run share work through `ctx.cache` (the
writer reuses the planner's plans; the report is written once at the end).
"""
from __future__ import annotations

import math
import random
import resource
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from ..corpus.stories import term_pattern
from ..ranker import keyword_coverage, repeated_ngram_rate
from ..records import Prompt
from .decode import hero_names, words_of

Row = tuple[str, str, str, "bool | None"]  # metric, value, target, met (None = no target)


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
    plans: str = "planner"  # the writer writes from the planner's plans, or "gold" (corpus keywords)
    ranker: str = "coherence"  # the ranking section's ranker
    track: Callable = lambda items, description: items  # the CLI shows a progress bar here
    candidates_dir: Path | None = None  # the ranking section reads stored candidates from here
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


def groups() -> list[str]:
    return sorted({s.group for s in SECTIONS.values()})


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


def _settings(ctx: EvalContext, task: str):
    from .recipe import default_recipe

    s = replace(default_recipe(task).decode, **ctx.decode)
    return replace(s, engine=ctx.engine) if ctx.engine else s


def _keywords_dir(ctx: EvalContext) -> Path:
    from .recipe import default_recipe

    return ctx.keywords_dir or default_recipe("generator").path(default_recipe("generator").keywords_dir)


def split_stories(ctx: EvalContext) -> list:
    from .data import keyword_stories

    return keyword_stories(_keywords_dir(ctx), ctx.split)


def split_prompts(ctx: EvalContext) -> list[Prompt]:
    """One prompt per distinct (theme, hero, color, adjective) of the split, in file order."""
    seen: dict = {}
    for s in split_stories(ctx):
        seen.setdefault((s.theme, s.hero, s.color, s.adjective), None)
    prompts = [Prompt(theme=t, hero=h, color=c, adjective=a, seed=ctx.seed + i)
               for i, (t, h, c, a) in enumerate(seen)]
    return prompts[:ctx.limit] if ctx.limit else prompts


def gold_plans(ctx: EvalContext) -> list:
    """Plans from the split's own stories (planner examples fitted to the 2-5 contract)."""
    from ..corpus.keywords import PlannerExample, read_jsonl
    from ..records import Plan
    from .data import planner_target, salience, scene_pool

    stories = {s.id: s for s in split_stories(ctx)}
    out, seen = [], set()
    for ex in read_jsonl(_keywords_dir(ctx) / f"planner-{ctx.split}.jsonl", PlannerExample):
        combo = (ex.theme, ex.hero, ex.color, ex.adjective)
        if combo in seen or ex.id not in stories:
            continue
        seen.add(combo)
        st = stories[ex.id]
        scenes = planner_target(ex.scenes, [scene_pool(s) for s in st.scenes], ex.hero,
                                random.Random(f"gold:{ex.id}"), ranks=[salience(s) for s in st.scenes])
        prompt = Prompt(theme=ex.theme, hero=ex.hero, color=ex.color, adjective=ex.adjective,
                        seed=ctx.seed + len(out))
        out.append(Plan(prompt=prompt, scenes=scenes, backend="gold", seed=prompt.seed))
    return out[:ctx.limit] if ctx.limit else out


def theme_vocab(ctx: EvalContext) -> dict[str, set[str]]:
    from .data import keyword_vocabulary

    return {theme: set(words) for theme, words in keyword_vocabulary(_keywords_dir(ctx)).items()}


def hero_scenes(scenes, hero: str) -> tuple[bool, int]:
    """(hero's noun in scene 1, scenes naming the hero by noun or by the name scene 1 gave it)."""
    names = hero_names(scenes[0]) if scenes else ()
    pat = term_pattern(hero)
    count = sum(bool(pat.search(t)) or any(n in t for n in names) for t in scenes)
    return bool(scenes) and bool(pat.search(scenes[0])), count


def distinct(texts: list[str], n: int) -> float:
    grams = [tuple(w[i:i + n]) for w in (words_of(t) for t in texts) for i in range(len(w) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def _mean(xs) -> float:
    xs = list(xs)
    return round(sum(xs) / len(xs), 4) if xs else 0.0


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ------------------------------------------------------------------ planner


def _planner_rows(r: dict) -> list:
    return [("valid plans (5 scenes, 2-5 keywords)", _pct(r["valid_rate"]), "100%", r["valid_rate"] == 1),
            ("hero in scene 1", _pct(r["hero_scene1_rate"]), "100%", r["hero_scene1_rate"] == 1),
            ("keywords seen in the theme's train stories", _pct(r["theme_fit"]), "-", None),
            ("template fallbacks", str(r["fallbacks"]), "0", r["fallbacks"] == 0),
            ("seconds per plan (median)", f"{r['plan_seconds_median']:.2f}", "-", None)]


@section("planner", "lm", _planner_rows)
def eval_planner(ctx: EvalContext) -> dict:
    from .lm_backends import LMPlanner

    planner = LMPlanner(ctx.models_dir, _settings(ctx, "planner"))
    vocab = theme_vocab(ctx)
    plans, times = [], []
    for p in ctx.track(split_prompts(ctx), "planning"):
        t0 = time.perf_counter()
        plans.append(planner.plan(p, p.seed))
        times.append(time.perf_counter() - t0)
    ctx.cache["plans"] = plans
    ctx.cache["plan_times"] = times
    words = [(p.prompt.theme, w) for p in plans for s in p.scenes for w in s]
    return {
        "prompts": len(plans),
        "valid_rate": _mean(len(p.scenes) == 5 and all(2 <= len(s) <= 5 for s in p.scenes) for p in plans),
        "hero_scene1_rate": _mean(p.prompt.hero in p.scenes[0] for p in plans),
        "theme_fit": _mean(w.lower() in vocab.get(t, set()) for t, w in words),
        "keywords_per_scene": _mean(len(s) for p in plans for s in p.scenes),
        "fallbacks": sum(p.backend != "lm" for p in plans),
        "plan_seconds_median": round(statistics.median(times), 3) if times else 0.0,
        "examples": [{"prompt": p.prompt.to_dict(), "scenes": [list(s) for s in p.scenes]} for p in plans[:3]],
    }


# ------------------------------------------------------------------ writer


def story_stats(scene_sets: list[tuple[str, ...]], plans: list, heroes: list[str]) -> dict:
    cover = [keyword_coverage(sc, pl) for sc, pl in zip(scene_sets, plans)] if plans else []
    hero = [hero_scenes(sc, h) for sc, h in zip(scene_sets, heroes)]
    texts = [" ".join(sc) for sc in scene_sets]
    reps = [repeated_ngram_rate(sc) for sc in scene_sets]
    return {
        "stories": len(scene_sets),
        "keyword_coverage": _mean(cover) if cover else None,
        "five_scenes_rate": _mean(len(sc) == 5 for sc in scene_sets),
        "hero_scene1_rate": _mean(h[0] for h in hero),
        "hero_4of5_rate": _mean(h[1] >= 4 for h in hero),
        "hero_scenes_mean": _mean(h[1] for h in hero),
        "distinct_1": round(distinct(texts, 1), 4),
        "distinct_2": round(distinct(texts, 2), 4),
        "distinct_2_per_story": _mean(distinct([t], 2) for t in texts),
        "repeated_4gram_rate": _mean(reps),
        "repeated_4gram_max": round(max(reps), 4) if reps else 0.0,
        "words_per_scene": _mean(len(t.split()) for sc in scene_sets for t in sc),
    }


def _writer_rows(r: dict) -> list:
    return [("keyword coverage", _pct(r["keyword_coverage"]), ">= 95%", r["keyword_coverage"] >= 0.95),
            ("candidates with exactly 5 scenes", _pct(r["five_scenes_rate"]), "100%", r["five_scenes_rate"] == 1),
            ("hero named in scene 1", _pct(r["hero_scene1_rate"]), "100%", r["hero_scene1_rate"] == 1),
            ("hero named in >= 4 of 5 scenes", _pct(r["hero_4of5_rate"]), "100%", r["hero_4of5_rate"] == 1),
            ("repeated 4-gram rate (mean)", _pct(r["repeated_4gram_rate"]), "<= 3%", r["repeated_4gram_rate"] <= 0.03),
            ("distinct-1 / distinct-2", f"{r['distinct_1']:.3f} / {r['distinct_2']:.3f}",
             f"corpus {r['corpus']['distinct_1']:.3f} / {r['corpus']['distinct_2']:.3f}", None),
            ("scenes passing every check", _pct(r["scenes_passed_rate"]), "-", None),
            ("decodes per scene (retries incl.)", f"{r['tries_per_scene']:.2f}", "-", None),
            ("tokens/s, batch of 4", f"{r['tokens_per_s']:.1f}", ">= 40", r["tokens_per_s"] >= 40),
            ("plan + 4 candidates, seconds (median / max)",
             f"{r['plan_write_seconds_median']:.1f} / {r['plan_write_seconds_max']:.1f}", "<= 30",
             r["plan_write_seconds_median"] <= 30),
            ("peak RSS (MB)", f"{r['peak_rss_mb']:.0f}", "<= 3072", r["peak_rss_mb"] <= 3072)]


@section("writer", "lm", _writer_rows)
def eval_writer(ctx: EvalContext) -> dict:
    from .lm_backends import LMWriter, load_engine

    if ctx.plans == "gold":
        plans = gold_plans(ctx)
        plan_times = [0.0] * len(plans)
    else:
        if "plans" not in ctx.cache:
            eval_planner(ctx)
        plans, plan_times = ctx.cache["plans"], ctx.cache["plan_times"]
    s = _settings(ctx, "generator")
    writer = LMWriter(ctx.models_dir, s)
    engine = load_engine("generator", s, ctx.models_dir)
    tokens0, secs0 = engine.generated, engine.seconds
    sets, walls, cands_all = [], [], []
    for plan, pt in ctx.track(list(zip(plans, plan_times)), "writing"):
        t0 = time.perf_counter()
        cands = writer.write(plan, ctx.k, plan.seed)
        walls.append(pt + time.perf_counter() - t0)
        cands_all.append(cands)
        sets += [(c.scenes, plan) for c in cands.candidates]
    ctx.cache["candidates"] = cands_all
    stats = story_stats([sc for sc, _ in sets], [p.scenes for _, p in sets], [p.prompt.hero for _, p in sets])
    tries = [t for c in cands_all for cand in c.candidates for t in cand.settings["tries"]]
    passed = [ok for c in cands_all for cand in c.candidates for ok in cand.settings["passed"]]
    gold = split_stories(ctx)
    stats.update({
        "engine": engine.name, "prompts": len(plans), "plans": ctx.plans,
        "scenes_passed_rate": _mean(passed), "tries_per_scene": _mean(tries),
        "tokens_per_s": round((engine.generated - tokens0) / max(engine.seconds - secs0, 1e-9), 1),
        "plan_write_seconds_median": round(statistics.median(walls), 2) if walls else 0.0,
        "plan_write_seconds_max": round(max(walls), 2) if walls else 0.0,
        "peak_rss_mb": peak_rss_mb(),
        "corpus": story_stats([tuple(" ".join(x.text for x in sc) for sc in g.scenes) for g in gold], [],
                              [g.hero for g in gold]),
    })
    return stats


# ------------------------------------------------------------------ ranking + safety of the candidates


def _ranking_rows(r: dict) -> list:
    p, q = r["pick"], r["random"]
    return [("stories checked by the safety filter", str(r["stories"]), ">= 200", r["stories"] >= 200),
            ("stories flagged / flagged words", f"{r['flagged_stories']} / {len(r['flagged_words'])}", "0",
             r["flagged_stories"] == 0),
            ("coverage: ranker pick vs random pick", f"{p['coverage']:.4f} vs {q['coverage']:.4f}",
             ">= random", p["coverage"] >= q["coverage"]),
            ("repetition: ranker pick vs random pick", f"{p['repetition']:.4f} vs {q['repetition']:.4f}",
             "<= random", p["repetition"] <= q["repetition"]),
            ("seconds to rank 4 candidates (median / max)",
             f"{r['rank_seconds_median']:.2f} / {r['rank_seconds_max']:.2f}", "< 1", r["rank_seconds_max"] < 1)]


def stored_candidates(folder: Path) -> list:
    """The candidates.json files of a folder, in name order (what `storygen evaluate` stores)."""
    import json

    from ..errors import RecordError
    from ..records import Candidates

    files = sorted(Path(folder).glob("*.json"))
    if not files:
        raise RecordError(f"{folder} holds no candidates .json files; run storygen evaluate --section writer first")
    return [Candidates.from_dict(json.loads(f.read_text(encoding="utf-8")), str(f)) for f in files]


@section("ranking", "lm", _ranking_rows)
def eval_ranking(ctx: EvalContext) -> dict:
    """The writer's candidates through the output filter and the default ranker: flagged words
    (every candidate, before filtering), the ranker's pick against a random one, ranking time."""
    from ..coherence.picks import compare_picks
    from ..ranker import RANKERS, rank
    from ..safety import flagged_words, rejection_reason

    if ctx.candidates_dir is not None:
        sets = stored_candidates(ctx.candidates_dir)
    else:
        if "candidates" not in ctx.cache:
            eval_writer(ctx)
        sets = ctx.cache["candidates"]
    flagged, words = 0, set()
    for cands in sets:
        for c in cands.candidates:
            found = flagged_words(" ".join((c.title, *c.scenes)))
            words.update(found)
            flagged += bool(found) or rejection_reason(c.scenes) is not None
    scorer = RANKERS.create(ctx.ranker)
    rank(sets[0], ctx.ranker) if sets else None  # loads the ranker's model: not part of ranking time
    times = []
    for cands in ctx.track(sets, "ranking"):
        t0 = time.perf_counter()
        rank(cands, ctx.ranker)
        times.append(time.perf_counter() - t0)
    picks = compare_picks(sets, ctx.ranker, scorer)
    return {"stories": sum(len(c.candidates) for c in sets), "flagged_stories": flagged,
            "flagged_words": sorted(words), "ranker": ctx.ranker, "sets": picks.get("sets", 0),
            "pick": picks.get("pick", {"coverage": 0.0, "repetition": 0.0}),
            "random": picks.get("random", {"coverage": 0.0, "repetition": 0.0}),
            "pick_is_best": picks.get("pick_is_best", {}),
            "rank_seconds_median": round(statistics.median(times), 3) if times else 0.0,
            "rank_seconds_max": round(max(times), 3) if times else 0.0}


# ------------------------------------------------------------------ samples (unseen combinations)


def unseen_prompts(ctx: EvalContext, n: int = 5) -> list[Prompt]:
    """n prompts whose (hero, adjective, color) never occurs in the corpus, one theme each."""
    from ..corpus.stories import load_stories
    from ..options import load_options

    used = {(s.hero, s.adjective, s.color) for s in load_stories()}
    opts = load_options()
    rng = random.Random(f"unseen:{ctx.seed}")
    themes = rng.sample(sorted(opts.themes), min(n, len(opts.themes)))
    out = []
    for i, theme in enumerate(themes):
        combos = [(h, a, c) for h in opts.themes[theme].heroes for a in opts.adjectives for c in opts.colors
                  if (h, a, c) not in used]
        h, a, c = rng.choice(combos)
        out.append(Prompt(theme=theme, hero=h, color=c, adjective=a, seed=ctx.seed + 100 + i))
    return out


def _sample_rows(r: dict) -> list:
    return [(f"{s['prompt']['adjective']} {s['prompt']['color']} {s['prompt']['hero']}",
             f"{s['title']!r}, coverage {_pct(s['coverage'])}", "-", None) for s in r["stories"]]


@section("samples", "lm", _sample_rows)
def eval_samples(ctx: EvalContext) -> dict:
    from ..ranker import rank
    from .lm_backends import LMPlanner, LMWriter

    planner = LMPlanner(ctx.models_dir, _settings(ctx, "planner"))
    writer = LMWriter(ctx.models_dir, _settings(ctx, "generator"))
    stories = []
    for p in ctx.track(unseen_prompts(ctx), "samples"):
        plan = planner.plan(p, p.seed)
        cands = writer.write(plan, ctx.k, p.seed)
        story = rank(cands, ctx.ranker)
        chosen = cands.candidates[story.chosen] if story else cands.candidates[0]
        stories.append({"prompt": p.to_dict(), "plan": [list(s) for s in plan.scenes],
                        "title": chosen.title, "scenes": list(chosen.scenes),
                        "coverage": round(keyword_coverage(chosen.scenes, plan.scenes), 4),
                        "chosen": story.chosen if story else None})
    return {"stories": stories}


# ------------------------------------------------------------------ perplexity


def ppl_examples(enc, stories, markers: bool, seed: int = 0) -> list:
    """Test stories with loss on the scene texts only; with the generator's plan markers or bare."""
    from .data import (Example, _pieces, scene_prefix_ids, scene_text_ids, story_keywords,
                       story_prefix_ids, story_texts)

    out: list[Example] = []
    for s in stories:
        parts = [(story_prefix_ids(enc, s.theme, s.hero, s.color, s.adjective), False)] if markers else []
        for i, (kws, text) in enumerate(zip(story_keywords(s, seed, 0), story_texts(s)), 1):
            if markers:
                parts.append((scene_prefix_ids(enc, i, kws), False))
            parts.append((scene_text_ids(enc, text), True))
        out.append(_pieces(parts))
    return out


def _ppl_rows(r: dict) -> list:
    return [("test-story perplexity, fine-tuned (plan format)", f"{r['finetuned']:.2f}",
             f"< base {min(r['base'], r['base_plain']):.2f}", r["finetuned"] < 0.8 * min(r["base"], r["base_plain"])),
            ("test-story perplexity, base (plan format / plain text)", f"{r['base']:.2f} / {r['base_plain']:.2f}", "-", None)]


@section("perplexity", "lm", _ppl_rows)
def eval_perplexity(ctx: EvalContext) -> dict:
    from .base import base_dir, load_base
    from .data import Encoder
    from .lm_backends import adapter_dir, merged_model
    from .train import evaluate_loss

    stories = split_stories(ctx)
    base, tok = load_base()
    enc = Encoder(tok)
    marked, plain = ppl_examples(enc, stories, True), ppl_examples(enc, stories, False)
    tuned, _ = merged_model(str(adapter_dir("generator", ctx.models_dir)), str(base_dir()))
    pad = tok.pad_token_id
    return {
        "stories": len(stories),
        "tokens": sum(sum(x != -100 for x in e.labels[1:]) for e in marked),
        "finetuned": round(math.exp(evaluate_loss(tuned, marked, pad, 4)), 3),
        "base": round(math.exp(evaluate_loss(base, marked, pad, 4)), 3),
        "base_plain": round(math.exp(evaluate_loss(base, plain, pad, 4)), 3),
    }


# ------------------------------------------------------------------ raw decoding speed


def _speed_rows(r: dict) -> list:
    return [(f"{name}: tokens/s, batch of 4 x {r['new_tokens']}", f"{v['tokens_per_s']:.1f}", ">= 40",
             v["tokens_per_s"] >= 40) for name, v in r["engines"].items()]


@section("speed", "lm", _speed_rows)
def eval_speed(ctx: EvalContext, new_tokens: int = 100) -> dict:
    """Every installed engine on the same batch: 4 prompts, exactly `new_tokens` each."""
    from .data import Encoder, scene_prefix_ids, story_prefix_ids
    from .engines import ct2_available, derive_seed
    from .lm_backends import load_engine

    engines = {}
    for name in ["hf-int8", "hf"] + (["ct2"] if ct2_available() else []):
        s = replace(_settings(ctx, "generator"), engine=name)
        t0 = time.perf_counter()
        engine = load_engine("generator", s, ctx.models_dir)
        load = time.perf_counter() - t0
        enc = Encoder(engine.tok)
        prompt = story_prefix_ids(enc, "farm", "pig", "pink", "shy") + scene_prefix_ids(enc, 1, ("pig", "barn"))
        engine.session(derive_seed("speed", ctx.seed))
        t0 = time.perf_counter()
        outs = engine.generate([prompt] * 4, new_tokens, (), s, ctx.seed)
        dt = time.perf_counter() - t0
        engines[name] = {"tokens_per_s": round(sum(map(len, outs)) / dt, 1), "load_seconds": round(load, 2),
                         "threads": s.threads}
    return {"new_tokens": new_tokens, "engines": engines}


DEFAULT_ORDER = ("planner", "writer", "ranking", "samples", "speed", "perplexity")
