"""The `lm` planner and writer: the fine-tuned adapters in models/ on the base LM.

The adapter is merged into a copy of the base weights once per process (and, for the ct2
engine, converted once per machine into the cache folder). Nothing here imports torch until a
plan or a story is actually asked for, so the CLI stays quick.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..errors import BackendError
from ..records import Candidate, Candidates, Plan, Prompt
from .decode import sample_plans, write_stories
from .engines import CT2Engine, Engine, HFEngine, ct2_model, pick_engine, quantize_int8
from .recipe import DecodeSettings, decode_settings, default_recipe
from .adapters import adapter_dir, adapter_key, merged_model

PLAN_ROUNDS = 3


@lru_cache(maxsize=4)
def _engine(folder: str, base: str, kind: str, key: str, threads: int) -> Engine:
    if kind == "hf":
        model, tok = merged_model(folder, base)
        return HFEngine(model, tok, threads)
    if kind == "hf-int8":
        model, tok = merged_model.__wrapped__(folder, base)  # its own copy: quantised in place
        return HFEngine(quantize_int8(model), tok, threads, name="hf-int8")
    from .base import load_tokenizer

    tok = load_tokenizer(base)
    target = ct2_model(tok, key, build=lambda: merged_model(folder, base)[0])
    return CT2Engine(target, tok, threads)


def load_engine(task: str, s: DecodeSettings, models_dir: Path | str | None = None) -> Engine:
    from .base import base_dir

    folder = adapter_dir(task, models_dir)
    base = base_dir()
    kind = pick_engine(s.engine)
    return _engine(str(folder), str(base), kind, adapter_key(folder, base), s.threads)


def _encoder(engine: Engine):
    from .data import Encoder

    return Encoder(engine.tok)


def planner_adapter(models_dir: Path | str | None = None) -> str:
    """The adapter the planner decodes with: its own, or the generator's when the recipe shares it."""
    return "generator" if default_recipe("planner").shares == "generator" else "planner"


def _plan_is_safe(plan) -> bool:
    from ..safety import rejection_reason

    return rejection_reason((*plan.beats, plan.title, *(", ".join(k) for k in plan.keywords))) is None


def plan_text_of(plan: Plan):
    """A Plan record as the story model's PlanText (the writer's prompt)."""
    from .data import PlanText

    if not plan.plot or len(plan.beats) != len(plan.scenes) or not plan.title:
        raise BackendError("The lm writer needs a plan with a plot, one beat per scene and a title;"
                           " make one with `storygen plan` (the lm or template planner)")
    return PlanText(plot=plan.plot, beats=plan.beats, keywords=plan.scenes, title=plan.title)


class LMPlanner:
    """Prompt -> Plan (plot kind, beats, keywords, title) with the fine-tuned story model; the
    template plan only if every sample fails."""

    name = "lm"

    def __init__(self, models_dir: Path | str | None = None, settings: DecodeSettings | None = None):
        self.models_dir, self.settings = models_dir, settings

    def plan(self, prompt: Prompt, seed: int) -> Plan:
        from ..corpus.stories import corpus_config

        s = self.settings or decode_settings("planner")
        engine = load_engine(planner_adapter(self.models_dir), s, self.models_dir)
        text, _ = sample_plans(engine, _encoder(engine), prompt, s, seed, PLAN_ROUNDS, _plan_is_safe,
                               corpus_config().plots)
        if text is None:
            from ..template.planner import TemplatePlanner

            fallback = TemplatePlanner().plan(prompt, seed)
            return replace(fallback, backend="lm-fallback-template")
        return Plan(prompt=prompt, scenes=text.keywords, backend=self.name, seed=seed, plot=text.plot,
                    beats=text.beats, title=text.title)


class LMWriter:
    """Plan -> K candidates, decoded together, each checked and rewritten where it fails."""

    name = "lm"

    def __init__(self, models_dir: Path | str | None = None, settings: DecodeSettings | None = None):
        self.models_dir, self.settings = models_dir, settings

    def write(self, plan: Plan, k: int, seed: int) -> Candidates:
        s = self.settings or decode_settings("generator")
        text = plan_text_of(plan)
        engine = load_engine("generator", s, self.models_dir)
        drafts = write_stories(engine, _encoder(engine), plan.prompt, text, k, s, seed)
        common = {"engine": engine.name, "temperature": s.temperature, "top_p": s.top_p, "top_k": s.top_k,
                  "repetition_penalty": s.repetition_penalty, "no_repeat_ngram_size": s.no_repeat_ngram_size,
                  "max_new_tokens": s.max_new_tokens, "retries": s.retries, "retry_width": s.retry_width,
                  "batch_seed": seed, "k": k}
        # The generator's likelihood of each finished story, for the coherence ranker: scored
        # here, it costs the ranker nothing (coherence/likelihood.py). One scorer per process:
        # loading a fresh one for every book grew the peak RSS of a 5-book run by ~0.4 GB.
        from ..coherence.likelihood import shared_likelihood

        liks = shared_likelihood(None if self.models_dir is None else str(self.models_dir)).score(
            [tuple(d.scenes) for d in drafts])
        out = tuple(
            Candidate(scenes=tuple(d.scenes), seed=seed, backend=self.name, title=plan.title,
                      settings={**common, "index": i, "tries": d.tries, "rewrites": list(d.rewrites),
                                "problems": list(d.verdict.problems)},
                      likelihood=lik)
            for i, (d, lik) in enumerate(zip(drafts, liks)))
        return Candidates(plan=plan, candidates=out)
