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
        if recipe.shares:
            where = config_path or CONFIG_DIR / f"train_{task}.yaml"
            out.print(f"The {task} decodes with the {recipe.shares}'s adapter, which learns the plan as part"
                      f" of every story: run `storygen train {recipe.shares}` (`shares:` in {where}).")
            return
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


_CARD_SECTIONS = {"generator": ("compare", "perplexity", "speed")}


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
@click.option("--lm", "lm_group", is_flag=True, help="The story models: compare, perplexity, speed.")
@click.option("--section", "sections", multiple=True, metavar="NAME",
              help="Run only this section (repeatable): compare, perplexity, speed.")
@click.option("--split", type=click.Choice(["train", "val", "test"]), default="test", show_default=True)
@click.option("--limit", type=click.IntRange(0), default=0, help="Evaluate only the first N prompts (0 = all).")
@click.option("-k", "--candidates", "k", type=click.IntRange(1, 16), default=4, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--engine", type=click.Choice(["hf-int8", "hf", "ct2", "auto"]), default=None,
              help="Decoding engine (default: the recipes' decode.engine).")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("runs/eval/report.json"), show_default=True, help="The JSON report.")
@click.option("--models", "models_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with the generator/ adapter (default models/).")
@click.option("--keywords", "keywords_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Keyword corpus folder (default: the recipes' keywords_dir).")
@click.option("--ranker", type=click.Choice(["coherence", "heuristic"]), default="coherence", show_default=True,
              help="The ranker of the learned text stage.")
@click.option("--decode", "decode", multiple=True, metavar="KEY=VALUE",
              help="Override a decode setting of the recipes (repeatable), e.g. --decode temperature=0.7.")
@click.option("--sheet", "sheet_n", type=click.IntRange(1), default=None,
              help="Write a blind reading sheet of N prompts instead (learned, template and human story each).")
@click.option("-o", "--sheet-out", "sheet_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("runs/eval/sheet.md"), show_default=True,
              help="Where --sheet writes the sheet; the key goes beside it (sheet.key.json).")
@click.option("--cards", is_flag=True, help="Also store the figures in <models>/generator/evaluation.json and MODEL_CARD.md.")
def evaluate(lm_group, sections, split, limit, k, seed, engine, out_path, models_dir, keywords_dir,
             ranker, decode, sheet_n, sheet_path, cards) -> None:
    """Measure the story models beside the template and human stories; or write a blind sheet.

    \b
    Examples:
      storygen evaluate --lm                 (every section, the test split)
      storygen evaluate --section compare --limit 8
      storygen evaluate --sheet 12 -o runs/eval/sheet.md   (+ runs/eval/sheet.key.json)

    compare: for each prompt of the split, the learned text stage's story, the template's and the
    human story, side by side: non-word rate, garbled pick words, distinct-2, repeated 4-grams,
    base-model perplexity, coherence, plan coverage, seconds. The stories themselves are stored
    beside the report (report.json -> report-stories.json) for reading.
    """
    import json

    from rich.progress import track
    from rich.table import Table

    from ..config import MODELS_DIR
    from ..io import write_text
    from .card import EVAL_FILE, write_card
    from .evaluate import DEFAULT_ORDER, SECTIONS, EvalContext, compared_stories, run_sections

    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise click.UsageError(f"unknown section {unknown[0]!r}; choose from {', '.join(SECTIONS)}")
    ctx = EvalContext(split=split, limit=limit or (sheet_n or 0), k=k, seed=seed, engine=engine, log=err.log,
                      models_dir=models_dir, keywords_dir=keywords_dir, ranker=ranker,
                      decode=decode_overrides(decode),
                      track=lambda items, description: track(items, description, console=err, transient=True))
    if sheet_n:
        from .sheet import build_sheet, dumps_key

        made = compared_stories(ctx)
        groups = [{"picks": (p.theme, p.hero, p.color, p.adjective),
                   "stories": {sys_: (made[sys_][i][0], made[sys_][i][1]) for sys_ in made}}
                  for i, (_, _, p, _, _) in enumerate(made["human"])]
        text, key = build_sheet(groups, seed)
        write_text(sheet_path, text + "\n")
        key_path = sheet_path.with_suffix(".key.json")
        write_text(key_path, dumps_key(key))
        out.print(f"wrote {sheet_path} ({len(groups)} groups) and its key {key_path}")
        return
    order = list(DEFAULT_ORDER) + [n for n in SECTIONS if n not in DEFAULT_ORDER]
    names = [n for n in order if n in sections or (lm_group and SECTIONS[n].group == "lm")] or order
    report, rows = run_sections(names, ctx)
    if ctx.decode:
        report["decode_overrides"] = ctx.decode
    write_text(out_path, json.dumps(report, indent=1) + "\n")
    if "compare" in ctx.cache:
        stories = {sys_: [{"title": t, "picks": [p.theme, p.hero, p.color, p.adjective], "scenes": list(sc)}
                          for t, sc, p, _, _ in rows] for sys_, rows in ctx.cache["compare"].items()}
        write_text(out_path.with_name(f"{out_path.stem}-stories.json"), json.dumps(stories, indent=1) + "\n")
    table = Table(title=f"storygen evaluate ({split} split, k={k})")
    for col in ("metric", "value", "target", ""):
        table.add_column(col)
    for metric, value, target, met in rows:
        table.add_row(metric, value, target, "" if met is None else ("[green]yes[/]" if met else "[red]no[/]"))
    out.print(table)
    if cards:
        folder = (models_dir or MODELS_DIR) / "generator"
        part = {n: report[n] for n in _CARD_SECTIONS["generator"] if n in report}
        if part and (folder / "training.json").exists():
            old = json.loads((folder / EVAL_FILE).read_text()) if (folder / EVAL_FILE).exists() else {}
            old = old if old.get("split") == split and old.get("k") == k else {}
            write_text(folder / EVAL_FILE, json.dumps({**old, "split": split, "k": k, **part}, indent=1) + "\n")
            write_card(folder)
    out.print(f"wrote {out_path}")
