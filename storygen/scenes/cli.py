"""Scene commands for the `storygen` CLI: `library` (a group: `validate`, `coverage`; issue 9
adds `melodies`) and `evaluate-layout`. Thin: parse options, call the library, print with rich.
Heavy modules are imported inside the commands so that `storygen --help` stays fast.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from ..console import make_console
from rich.table import Table

out = make_console()


@click.group("library")
def library() -> None:
    """The curated asset libraries in library/: check them, build them."""


@library.command("validate")
@click.option("--objects", type=click.Path(path_type=Path), default=None, help="Object manifest (default library/objects/manifest.yaml).")
@click.option("--backgrounds", type=click.Path(path_type=Path), default=None, help="Background manifest (default library/backgrounds/manifest.yaml).")
@click.option("--render/--no-render", default=True, show_default=True, help="Also rasterise every SVG and paint every background variant (about 10 s).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def validate(objects, backgrounds, render, as_json) -> None:
    """Check the object and background libraries (schema, heroes, themes, files, painting)."""
    from .library_check import validate_libraries

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
    storygen/scenes/coverage.py. Exit code 1 below the target (95%)."""
    from ..io import read_record, write_record
    from .assets import load_library
    from .coverage import TARGET, NounCounts, corpus_counts
    from .coverage import coverage as measure

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


@click.command("evaluate-layout")
@click.option("--gold", type=click.Path(path_type=Path), default=None, help="Gold layouts (default data/gold/layouts.jsonl).")
@click.option("--backend", default="solver", show_default=True, help="Scene layout backend: solver or basic (the baseline).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--failures", "show", type=int, default=10, show_default=True, help="How many failed checks to list.")
def evaluate_layout(gold, backend, as_json, show) -> None:
    """Lay out the gold scene graphs and report relations satisfied, hero overlaps and objects
    out of frame (targets: >= 95%, 0, 0). Exit code 1 when a target is missed."""
    from .evaluate import TARGET_SATISFIED, evaluate_layouts

    report = evaluate_layouts(gold, backend=backend)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        _print_report(report, show, TARGET_SATISFIED)
    if not report["passed"]:
        raise SystemExit(1)


def _print_report(report: dict, show: int, target: float) -> None:
    table = Table(title=f"layout evaluation: {report['backend']} on {report['cases']} gold graphs")
    for col in ("check", "value", "target"):
        table.add_column(col)
    table.add_row("relations satisfied", f"{report['satisfied']}/{report['relations']} "
                  f"({report['satisfied_pct']:.1f}%)", f">= {100 * target:.0f}%")
    table.add_row("hero overlaps", str(report["hero_overlaps"]), "0")
    table.add_row("objects out of frame", f"{report['out_of_frame']} of {report['objects']}", "0")
    table.add_row("ms per layout (mean / max)",
                  f"{report['ms_per_layout']['mean']} / {report['ms_per_layout']['max']}", "< 50")
    out.print(table)
    preds = Table(title="by predicate")
    for col in ("predicate", "satisfied", "total"):
        preds.add_column(col)
    for name, c in report["by_predicate"].items():
        preds.add_row(name, str(c["satisfied"]), str(c["total"]))
    out.print(preds)
    for f in report["failures"][:show]:
        out.print(f"[red]{f['id']}[/]: {f['relation']} ({f['why']})", highlight=False)
    verdict = "[green]PASSED[/]" if report["passed"] else "[red]FAILED[/]"
    out.print(f"{verdict} ({len(report['failures'])} failed checks)")
