"""Scene commands for the `storygen` CLI: `library` (a group: `validate`, `coverage`; issue 9
adds `melodies`), `evaluate-layout`, and the picture review sheet: `evaluate-pictures` (write one)
and `evaluate-pictures-score` (its figures). Thin: parse options, call the library, print with rich.
Heavy modules are imported inside the commands so that `storygen --help` stays fast.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from ..console import make_console
from rich.table import Table

out = make_console()
err = make_console(stderr=True)


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
@click.option("--settings-gold", type=click.Path(path_type=Path), default=None, help="Gold books for place/light/weather (default data/gold/settings.jsonl).")
@click.option("--blind", "blind_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also read the blind passages of this folder (data/gold/blind) from text to picture: named things drawn, gold relations holding.")
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True, help="With --blind: which split.")
@click.option("--generated", type=click.IntRange(0, 1000), default=0, show_default=True,
              help="Also read N scenes of template books for seeded random picks the same way.")
def evaluate_layout(gold, backend, as_json, show, settings_gold, blind_dir, split, generated) -> None:
    """Lay out the gold scene graphs and report relations satisfied, hero overlaps, objects
    out of frame, standing things floating, drawings cut off, overlaps no relation allows
    (targets: >= 95%, then 0 each); and read the gold books' settings (place, light,
    weather per scene, with carry-over; target >= 90% each). Exit code 1 when a target is missed.

    \b
    From text to picture (issue 19): --blind data/gold/blind and/or --generated 100 read scenes
    as a book does (NLP, then layout) and count the library things named that are drawn and
    the relations between them that hold (for the blind passages: the gold's).
    """
    from .evaluate import TARGET_SATISFIED, evaluate_layouts
    from .evaluate_setting import TARGET, evaluate_settings

    report = evaluate_layouts(gold, backend=backend)
    report["settings"] = evaluate_settings(settings_gold)
    if blind_dir is not None or generated:
        from .evaluate_text import evaluate_text_pictures

        report["from_text"] = evaluate_text_pictures(blind_dir, split, generated, backend)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        _print_report(report, show, TARGET_SATISFIED)
        _print_settings(report["settings"], show, TARGET)
        _print_from_text(report.get("from_text", {}), show)
    if not report["passed"] or not report["settings"]["passed"]:
        raise SystemExit(1)


def _print_from_text(rep: dict, show: int) -> None:
    if not rep:
        return
    table = Table(title="from text to picture (NLP + layout)")
    for col in ("scenes", "named things drawn", "relations between things", "relations to places"):
        table.add_column(col)
    for key, d in rep.items():
        label = f"blind {d['split']} ({d['passages']})" if key == "blind" else f"generated ({d['scenes']})"
        table.add_row(label, f"{d['named_shown']}/{d['named']} ({d['named_pct']:.1f}%)",
                      f"{d['relations_hold']}/{d['relations']} ({d['relations_pct']:.1f}%)",
                      f"{d['to_places_shown']}/{d['to_places']} ({d['to_places_pct']:.1f}%) painted")
    out.print(table)
    for d in rep.values():
        for f in d["failures"][:show]:
            out.print(f"[red]{f['id']}[/]: {f['what']}", highlight=False)


def _print_settings(rep: dict, show: int, target: float) -> None:
    table = Table(title=f"settings: {rep['scenes']} scenes of {rep['books']} gold books")
    for col in ("check", "correct", "target"):
        table.add_column(col)
    for key, name in (("variant", "place (variant)"), ("light", "light"), ("weather", "weather"),
                      ("all", "all three")):
        table.add_row(name, f"{rep['correct'][key]}/{rep['scenes']} ({rep['pct'][key]:.1f}%)",
                      f">= {100 * target:.0f}%" if key != "all" else "")
    out.print(table)
    for f in rep["failures"][:show]:
        out.print(f"[red]{f['id']}[/]: expected {f['expected']}, got {f['got']}: {f['text']}",
                  highlight=False)


def _print_report(report: dict, show: int, target: float) -> None:
    table = Table(title=f"layout evaluation: {report['backend']} on {report['cases']} gold graphs")
    for col in ("check", "value", "target"):
        table.add_column(col)
    table.add_row("relations satisfied", f"{report['satisfied']}/{report['relations']} "
                  f"({report['satisfied_pct']:.1f}%)", f">= {100 * target:.0f}%")
    table.add_row("hero overlaps", str(report["hero_overlaps"]), "0")
    table.add_row("objects out of frame", f"{report['out_of_frame']} of {report['objects']}", "0")
    table.add_row("standing things floating", str(report["floating"]), "0")
    table.add_row("drawings cut off by the frame", str(report["cut_off"]), "0")
    table.add_row("overlaps no relation allows", str(report["overlaps"]), "0")
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


@click.command("evaluate-pictures")
@click.argument("n", type=int)
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="The sheet folder (must not exist, or be empty).")
@click.option("--seed", type=int, default=None, help="Which scenes are drawn (default 22). Same seed, same sheet.")
@click.option("--from", "books", multiple=True, type=click.Path(path_type=Path),
              help="Draw from the scenes of this book folder instead of the corpus test split (repeatable).")
@click.option("--force", is_flag=True, help="Replace an earlier sheet in the out folder.")
def evaluate_pictures(n, out_dir, seed, books, force) -> None:
    """Write a picture review sheet: N scenes, each one's text beside its picture, to score by eye.

    \b
    Examples:
      storygen evaluate-pictures 12 -o runs/pictures/
      storygen evaluate-pictures 5 -o runs/pictures-book/ --from books/underwater-mermaid-teal-silly-seed0
      storygen evaluate-pictures-score runs/pictures/scores.json

    The folder gets scene-01.png ..., sheet.html (text, picture and a scoring form per scene, and a
    button that downloads scores.json), sheet.md (the same for a reader of markdown) and
    scores-template.json (the fields to fill, null). Pictures are composed by the scene stage, as
    `storygen scene` composes them; scenes come from the corpus's held-out test split by default.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..config import settings as load_settings
    from ..errors import StorygenError
    from .review import DEFAULT_SEED, book_stories, check_out_dir, corpus_stories, draw, write_sheet

    if n < 1:
        raise StorygenError(f"N must be at least 1 (got {n})")
    seed = DEFAULT_SEED if seed is None else seed
    check_out_dir(out_dir, force)  # before the corpus loads: a bad -o fails at once
    stories = book_stories(books) if books else corpus_stories("test")
    source = ("books: " + ", ".join(name for name, _ in stories)) if books else "corpus test split"
    items = draw(stories, n, seed)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("composing", total=len(items))

        def on_scene(k, item) -> None:
            progress.update(task, completed=k - 1, description=f"{item.story_id} scene {item.number}")
            err.print(f"scene {k}/{len(items)}: {item.story_id} scene {item.number}", highlight=False)

        path = write_sheet(items, out_dir, load_settings(), seed, source, force=force, on_scene=on_scene)
        progress.update(task, completed=len(items))
    out.print(f"wrote {len(items)} scenes to {path}: open {path / 'sheet.html'} (or sheet.md); "
              f"copy scores-template.json to scores.json to fill in", highlight=False)


@click.command("evaluate-pictures-score")
@click.argument("scores_path", metavar="SCORES_JSON", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where the figures go (default: figures.json beside the scores file).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_pictures_score(scores_path, out_path, as_json) -> None:
    """The figures of a filled picture review sheet (scores.json from `storygen evaluate-pictures`):
    characters shown %, things shown %, relations right %, setting fits %, pictures that contradict
    their text, mean composition; entries left all null are counted as unscored."""
    from ..io import write_record
    from .review import figures, read_scores

    fig = figures(read_scores(scores_path))
    target = write_record(out_path or scores_path.with_name("figures.json"), fig)
    if as_json:
        click.echo(json.dumps(fig.to_dict(), indent=2))
        return
    pct = lambda v: "n/a (none in the texts)" if v is None else f"{v:.1f}%"  # noqa: E731
    table = Table(title=f"picture review: {fig.n} scenes scored" + (f", {fig.unscored} unscored" if fig.unscored else ""))
    for col in ("figure", "value"):
        table.add_column(col)
    table.add_row("characters shown", pct(fig.characters_shown_pct))
    table.add_row("important things shown", pct(fig.things_shown_pct))
    table.add_row("relations right", pct(fig.relations_right_pct))
    table.add_row("setting fits", pct(fig.setting_fits_pct))
    table.add_row("pictures contradicting the text", f"{fig.contradicting} of {fig.n}")
    table.add_row("mean composition (1-5)", f"{fig.mean_composition:.2f}")
    table.add_row("N", str(fig.n))
    out.print(table)
    out.print(f"wrote {target}", highlight=False)
