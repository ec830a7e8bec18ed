"""`storygen train planner|generator` and `storygen evaluate` (registered in storygen/cli.py)."""
from __future__ import annotations

from pathlib import Path

import click
from ..console import make_console

from ..config import CONFIG_DIR

err = make_console(stderr=True)
out = make_console()


@click.group("train")
def train() -> None:
    """Fine-tune the story models (LoRA on SmolLM2-135M-Instruct, CPU).

    \b
    Each recipe is a YAML file in configs/ (train_planner.yaml, train_generator.yaml).
    Checkpoints go to runs/; the final fp16 adapter and MODEL_CARD.md to models/<task>/.
    """


def _train_command(task: str):
    @train.command(task, help=f"Train the {task} adapter from configs/train_{task}.yaml.\n\n"
                   f"\b\nExamples:\n  storygen train {task}\n  storygen train {task} --resume\n"
                   f"  storygen train {task} --max-steps 2   (smoke run, into runs/)")
    @click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
                  default=None, help=f"Recipe YAML (default configs/train_{task}.yaml).")
    @click.option("--resume", is_flag=True, help="Continue from the last checkpoint in the recipe's runs/ folder.")
    @click.option("--max-steps", type=click.IntRange(1), default=None,
                  help="Stop after N optimiser steps (smoke runs; output goes to runs/ unless --out).")
    @click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                  help="Where the adapter and model card go (default: the recipe's out).")
    def command(config_path, resume, max_steps, out_dir):
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        from .card import write_card
        from .recipe import load_recipe
        from .train import train as run_training

        recipe = load_recipe(config_path or CONFIG_DIR / f"train_{task}.yaml")
        if recipe.task != task:
            raise click.UsageError(f"{config_path} is a {recipe.task} recipe, not a {task} one")
        runs = recipe.path(recipe.runs)
        if out_dir is None and max_steps is not None:
            out_dir = runs / "smoke-model"  # a smoke run must never replace the shipped adapter
        target = out_dir or recipe.path(recipe.out)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(),
                      TextColumn("ETA"), TimeRemainingColumn(), console=err) as progress:
            summary = run_training(recipe, out=target, runs=runs, resume=resume, max_steps=max_steps,
                                   log=progress.console.log, progress=progress)
        card = write_card(target)
        out.print(f"trained {task}: {summary['steps']} steps in {summary['seconds'] / 60:.1f} min, "
                  f"val loss {summary['val_loss']}; wrote {target} ({card.name})")

    return command


train_planner = _train_command("planner")
train_generator = _train_command("generator")


_CARD_SECTIONS = {"planner": ("planner",), "generator": ("writer", "ranking", "perplexity", "speed", "samples")}


def decode_overrides(pairs: tuple[str, ...]) -> dict:
    """--decode KEY=VALUE pairs as DecodeSettings fields, typed like the field's default."""
    from .recipe import DecodeSettings

    defaults = DecodeSettings().to_dict()
    out: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in defaults:
            names = ", ".join(defaults)
            raise click.BadParameter(f"{pair!r}: give KEY=VALUE with KEY one of {names}", param_hint="--decode")
        kind = type(defaults[key])
        try:
            out[key] = kind(value) if kind is not bool else value.lower() in ("1", "true", "yes", "on")
        except ValueError:
            what = {int: "a whole number", float: "a number"}.get(kind, kind.__name__)
            raise click.BadParameter(f"{pair!r}: {key} takes {what}", param_hint="--decode") from None
    return out


@click.command("evaluate")
@click.option("--lm", "lm_group", is_flag=True, help="The story models: planner, writer, samples, speed, perplexity.")
@click.option("--section", "sections", multiple=True, metavar="NAME",
              help="Run only this section (repeatable), e.g. --section writer.")
@click.option("--split", type=click.Choice(["train", "val", "test"]), default="test", show_default=True)
@click.option("--limit", type=click.IntRange(0), default=0, help="Evaluate only the first N prompts (0 = all).")
@click.option("-k", "--candidates", "k", type=click.IntRange(1, 16), default=4, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--engine", type=click.Choice(["hf-int8", "hf", "ct2", "auto"]), default=None,
              help="Decoding engine (default: the recipes' decode.engine).")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("runs/eval/report.json"), show_default=True, help="The JSON report.")
@click.option("--models", "models_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with planner/ and generator/ adapters (default models/).")
@click.option("--keywords", "keywords_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Keyword corpus folder (default: the recipes' keywords_dir).")
@click.option("--plans", type=click.Choice(["planner", "gold"]), default="planner", show_default=True,
              help="The writer writes from the planner's plans or from the split's own keywords.")
@click.option("--ranker", type=click.Choice(["coherence", "heuristic"]), default="coherence", show_default=True,
              help="The ranker of the ranking and samples sections.")
@click.option("--decode", "decode", multiple=True, metavar="KEY=VALUE",
              help="Override a decode setting of the recipes (repeatable), e.g. --decode guided=off "
                   "--decode retries=0 for the sampler's raw candidates.")
@click.option("--from-candidates", "candidates_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="Rank stored candidates (a report-candidates/ folder) instead of writing new ones.")
@click.option("--cards", is_flag=True, help="Also store the figures in <models>/<task>/evaluation.json and MODEL_CARD.md.")
def evaluate(lm_group, sections, split, limit, k, seed, engine, out_path, models_dir, keywords_dir, plans,
             ranker, decode, candidates_dir, cards) -> None:
    """Measure the models on a corpus split and print a table; write a JSON report.

    \b
    Examples:
      storygen evaluate                      (every section)
      storygen evaluate --lm --limit 8
      storygen evaluate --section writer --engine hf
      storygen evaluate --section ranking --decode guided=off --decode retries=0
      storygen evaluate --section ranking --from-candidates runs/eval/report-candidates

    The writer's candidates are also stored, one candidates.json per prompt, in a folder
    beside the report (report.json -> report-candidates/), for `storygen evaluate-stories`.
    """
    import json

    from rich.progress import track
    from rich.table import Table

    from ..config import MODELS_DIR
    from ..io import write_text
    from .card import EVAL_FILE, write_card
    from .evaluate import DEFAULT_ORDER, SECTIONS, EvalContext, run_sections

    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise click.UsageError(f"unknown section {unknown[0]!r}; choose from {', '.join(SECTIONS)}")
    chosen_groups = {g for g, on in (("lm", lm_group),) if on}
    order = [n for n in DEFAULT_ORDER if n in SECTIONS] + [n for n in SECTIONS if n not in DEFAULT_ORDER]
    names = [n for n in order if n in sections or SECTIONS[n].group in chosen_groups]
    names = names or order
    ctx = EvalContext(split=split, limit=limit, k=k, seed=seed, engine=engine, log=err.log,
                      models_dir=models_dir, keywords_dir=keywords_dir, plans=plans, ranker=ranker,
                      decode=decode_overrides(decode), candidates_dir=candidates_dir,
                      track=lambda items, description: track(items, description, console=err, transient=True))
    report, rows = run_sections(names, ctx)
    if ctx.decode:
        report["decode_overrides"] = ctx.decode
    write_text(out_path, json.dumps(report, indent=1) + "\n")
    for i, cands in enumerate(ctx.cache.get("candidates", [])):
        p = cands.plan.prompt
        write_text(out_path.parent / f"{out_path.stem}-candidates" / f"{i:03d}-{p.theme}-{p.hero}.json",
                   json.dumps(cands.to_dict(), indent=1) + "\n")
    table = Table(title=f"storygen evaluate ({split} split, k={k})")
    for col in ("metric", "value", "target", ""):
        table.add_column(col)
    for metric, value, target, met in rows:
        table.add_row(metric, value, target, "" if met is None else ("[green]yes[/]" if met else "[red]no[/]"))
    out.print(table)
    if cards:
        for task, wanted in _CARD_SECTIONS.items():
            part = {n: report[n] for n in wanted if n in report}
            folder = (models_dir or MODELS_DIR) / task
            if part and (folder / "training.json").exists():
                # sections measured before (another run, same split) are kept, these replace theirs
                old = json.loads((folder / EVAL_FILE).read_text()) if (folder / EVAL_FILE).exists() else {}
                old = old if old.get("split") == split and old.get("k") == k else {}
                write_text(folder / EVAL_FILE, json.dumps({**old, "split": split, "k": k, **part}, indent=1) + "\n")
                write_card(folder)
    out.print(f"wrote {out_path}")
