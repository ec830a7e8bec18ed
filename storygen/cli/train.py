"""`storygen train planner|generator|ranker`: fine-tune the story models and train the ranker.

Each recipe is a YAML file in configs/; runs resume from their last checkpoint (`--resume`),
show progress on stderr, and write the small trained artifact and its model card to models/.
torch loads only when a command runs.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..config import CONFIG_DIR
from .app import err, group, out


@group("train")
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

        from ..lm.card import write_card
        from ..lm.recipe import load_recipe
        from ..lm.train import train as run_training

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


@train.command("ranker")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Training recipe (default configs/train_ranker.yaml).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              show_default="models/ranker",
              help="Folder for the trained head, word judge, metrics and model card.")
def train_ranker(config_path: Path | None, out_dir: Path) -> None:
    """Train the coherence ranker on the corpus: human stories vs their perturbations.

    Takes about 10-20 minutes on 2 CPU cores. Prints test-split pairwise accuracy per
    perturbation kind; writes OUT/head.safetensors, disc.safetensors, metrics.json, README.md.
    """
    from rich.table import Table

    from ..coherence.model import MODEL_DIR
    from ..coherence.train import load_train_config, train_ranker as run

    out_dir = out_dir or MODEL_DIR
    cfg = load_train_config(config_path)
    metrics = run(cfg, out_dir, log=lambda msg: err.print(msg, highlight=False))
    table = Table(title="Test-split pairwise accuracy (human story vs perturbation)")
    for col in ("pairs", "n", "accuracy"):
        table.add_column(col)
    for key, row in metrics["test"].items():
        if "/" not in key:
            table.add_row(key, str(row["n"]), f"{row['accuracy']:.3f}")
    out.print(table)
    out.print(metrics["picks"].get("text", ""))
    out.print(f"wrote {out_dir}")
