"""Click commands of the coherence ranker: `storygen train ranker` and the story-quality report.

`train_ranker` is registered on the `train` group of storygen/lm/cli.py when that group exists;
`evaluate_stories` is for cli.py to register (or merge into `storygen evaluate`).
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from .console import make_console
from rich.table import Table

from .coherence.model import MODEL_DIR
from .io import write_text

out = make_console()
err = make_console(stderr=True)


@click.command("ranker")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Training recipe (default configs/train_ranker.yaml).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=MODEL_DIR,
              show_default="models/ranker",
              help="Folder for the trained head, word judge, metrics and model card.")
def train_ranker(config_path: Path | None, out_dir: Path) -> None:
    """Train the coherence ranker on the corpus: human stories vs their perturbations.

    Takes about 10-20 minutes on 2 CPU cores. Prints test-split pairwise accuracy per
    perturbation kind; writes OUT/head.safetensors, disc.safetensors, metrics.json, README.md.
    """
    from .coherence.train import load_train_config, train_ranker as run

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


@click.command("evaluate-stories")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-coherence", is_flag=True, help="Skip the coherence score (no model needed).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=None,
              help="Also write the full report (JSON) here.")
def evaluate_stories(paths: tuple[Path, ...], no_coherence: bool, as_json: bool,
                     out_path: Path | None) -> None:
    """Story quality of books, story.json / candidates.json files or corpus .jsonl files:
    coherence, plan keyword coverage, repetition, Flesch-Kincaid grade, safety flags."""
    from .quality import load_items, story_quality

    items = [item for p in paths for item in load_items(p)]
    report = story_quality(items, coherence=not no_coherence)
    text = json.dumps(report, indent=2, sort_keys=True) + "\n"
    if out_path:
        write_text(out_path, text)
    if as_json:
        click.echo(text, nl=False)
        return
    if note := report.get("coherence_unavailable"):
        err.print(f"[yellow]coherence skipped:[/] {note}", highlight=False)
    table = Table(title=f"Story quality ({report['n']} stories)")
    for col in ("measure", "mean", "median", "min", "max"):
        table.add_column(col)
    for key, row in report["summary"].items():
        if isinstance(row, dict):
            table.add_row(key, *(f"{row[k]:.3f}" for k in ("mean", "median", "min", "max")))
    out.print(table)
    out.print(f"stories with safety flags: {report['summary']['flagged_stories']}")
