"""`storygen library validate|coverage|melodies`: the curated asset libraries in library/.

validate checks the object and background manifests (and paints every variant); coverage
measures how much of the corpus's concrete nouns the object library draws; melodies trains the
melody model and writes the melody library (needs music21).
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from .app import group, out


@group("library")
def library() -> None:
    """The curated asset libraries in library/: check them, build them."""


@library.command("validate")
@click.option("--objects", type=click.Path(path_type=Path), default=None, help="Object manifest (default library/objects/manifest.yaml).")
@click.option("--backgrounds", type=click.Path(path_type=Path), default=None, help="Background manifest (default library/backgrounds/manifest.yaml).")
@click.option("--render/--no-render", default=True, show_default=True, help="Also rasterise every SVG and paint every background variant (about 10 s).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def validate(objects, backgrounds, render, as_json) -> None:
    """Check the object and background libraries (schema, heroes, themes, files, painting)."""
    from ..scenes.library_check import validate_libraries

    report = validate_libraries(objects, backgrounds, render=render)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    table = Table(title=f"library OK: {report['objects']} objects, {report['variants']} background variants")
    for col in ("theme", "objects", "background variants"):
        table.add_column(col)
    for theme, names in report["backgrounds"].items():
        table.add_row(theme, str(report["objects_per_theme"].get(theme, 0)), ", ".join(names))
    out.print(table)
    if render:
        out.print(f"rasterised {report['rasterised']} SVGs, painted {report['painted']} variant/light pairs")


@library.command("coverage")
@click.option("--corpus", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None, help="Stories JSONL (default data/corpus/stories.jsonl).")
@click.option("--limit", type=int, default=None, help="Only the first N stories (parsing the whole corpus takes minutes).")
@click.option("--counts", "counts_in", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None, help="Reuse noun counts written by --save-counts instead of parsing.")
@click.option("--save-counts", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write the noun counts (JSON) for a later --counts.")
@click.option("--objects", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None, help="Object manifest (default library/objects/manifest.yaml).")
@click.option("--top", type=int, default=25, show_default=True, help="How many unmapped nouns and stand-ins to list.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def coverage(corpus, limit, counts_in, save_counts, objects, top, as_json) -> None:
    """Share of the concrete nouns in the corpus stories (weighted by frequency) that the object
    library draws: directly, by a stand-in, or by a compound's head noun. The rule is in
    storygen/scenes/library_coverage.py. Exit code 1 below the target (95%)."""
    from ..io import read_record, write_record
    from ..object_library import load_library
    from ..scenes.library_coverage import TARGET, NounCounts, corpus_counts
    from ..scenes.library_coverage import coverage as measure

    counts = read_record(counts_in, NounCounts) if counts_in else corpus_counts(corpus, limit)
    if save_counts:
        write_record(save_counts, counts)
    report = measure(counts.counts, load_library(objects), top=top)
    if as_json:
        click.echo(json.dumps({**report.to_dict(), "share": round(report.share, 4),
                               "stories": counts.stories, "target": TARGET}, indent=2))
    else:
        _print_coverage(report, counts.stories, TARGET)
    if report.share < TARGET:
        raise SystemExit(1)


def _print_coverage(report, stories: int, target: float) -> None:
    pct = lambda n: f"{100 * n / max(1, report.counted):.1f}%"  # noqa: E731
    table = Table(title=f"library coverage of {report.counted} concrete nouns in {stories} stories")
    for col in ("nouns", "tokens", "share"):
        table.add_column(col)
    for name, n in (("drawn: the object itself", report.direct), ("drawn: a stand-in", report.standin),
                    ("drawn: a compound's head", report.head), ("not drawable", report.unmapped)):
        table.add_row(name, str(n), pct(n))
    table.add_row("[bold]drawable[/]", str(report.drawable), f"[bold]{pct(report.drawable)}[/] (target >= {100 * target:.0f}%)")
    out.print(table)
    out.print("not counted: " + ", ".join(f"{k} {v}" for k, v in report.not_counted.items()), highlight=False)
    out.print("top unmapped: " + ", ".join(f"{p} ({n})" for p, n in report.top_unmapped), highlight=False)
    out.print("top stand-ins: " + ", ".join(f"{p} -> {o} ({n})" for p, o, n in report.top_standins),
              highlight=False)
    verdict = "[green]PASSED[/]" if report.share >= target else "[red]FAILED[/]"
    out.print(f"{verdict} {100 * report.share:.1f}% drawable")


@library.command("melodies")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the generated melodies.")
@click.option("--collections", default=None,
              help="Comma-separated Essen collections from music21's corpus (default: kinder0, boehme10, "
                   "boehme20, fink0, altdeu10, altdeu20).")
@click.option("--no-chorales", is_flag=True, help="Do not add Bach's minor-key chorale melodies.")
@click.option("--json", "as_json", is_flag=True, help="Print the training report as JSON.")
def melodies(seed, collections, no_chorales, as_json) -> None:
    """Train the Markov melody model on music21's folk-song corpus and write >= 200 tagged
    melodies to library/music/melodies/ (+ models/melody/MODEL_CARD.md). Needs music21."""
    from ..audio.melody_train import DEFAULT_COLLECTIONS, build

    chosen = tuple(c.strip() for c in collections.split(",") if c.strip()) if collections else DEFAULT_COLLECTIONS
    report = build(seed=seed, collections=chosen, chorales=not no_chorales)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    out.print(f"trained on {report['tunes_used']} tunes ({report['major_tunes']} major, "
              f"{report['minor_tunes']} minor) in {report['seconds_total']} s; wrote "
              f"{report['melodies']} melodies to library/music/melodies/melodies.yaml")
