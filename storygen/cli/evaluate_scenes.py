"""`storygen evaluate nlp|layout|pictures|pictures-score`: the scene reader and the pictures measured.

nlp: pronoun resolution and relation triples against the gold sets (ours, or the blind-written
one by split); layout: the gold graphs laid out, and scenes read from text to picture; pictures:
a review sheet of N scenes (text beside picture) for a person to score, and its figures.
Heavy modules (spaCy, the renderer) load inside the commands so `storygen --help` stays fast.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..console import make_console
from ..nlp.evaluate import GOLD_DIR
from ..nlp.evaluate import evaluate_nlp as run_evaluation
from ..nlp.evaluate_blind import SPLITS, evaluate_blind
from .app import command, err, out


@command("nlp")
@click.option("--backend", default="spacy", show_default=True,
              help="Parser backend: spacy, stanza, or basic (the regex baseline; relations only).")
@click.option("--gold", "gold_dir", type=click.Path(path_type=Path), default=GOLD_DIR,
              show_default=True, help="Folder with coref.jsonl and relations.jsonl.")
@click.option("--blind", "blind_dir", type=click.Path(path_type=Path), default=None,
              help="Score the blind-written gold in this folder instead (data/gold/blind: "
                   "coref_SPLIT.jsonl, relations_SPLIT.jsonl; see its README.md).")
@click.option("--split", type=click.Choice(SPLITS), default="dev", show_default=True,
              help="With --blind: which split. Report test once per change; never tune on it.")
@click.option("--no-protect", is_flag=True, help="Parse hero phrases as written (to measure the fix).")
@click.option("--errors", "show_errors", is_flag=True, help="List every wrong pronoun and triple.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def evaluate_nlp(backend: str, gold_dir: Path, blind_dir: Path | None, split: str,
                 no_protect: bool, show_errors: bool, as_json: bool) -> None:
    """Pronoun-resolution accuracy and relation-triple P/R/F1 on the gold sets."""
    if blind_dir is not None:
        result = evaluate_blind(backend, blind_dir, split, protect=not no_protect)
    else:
        result = run_evaluation(backend, gold_dir, protect=not no_protect)
    if as_json:
        click.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    (print_blind_report if blind_dir is not None else print_report)(
        result, make_console(), show_errors)


def _pronoun_table(title: str, coref: dict, first: str, rows: dict) -> Table:
    """Pronoun accuracy overall (in the title) and by row: phenomenon (our gold) or kind (blind)."""
    table = Table(title=f"{title}: {coref['accuracy']:.1%} of {coref['n']}")
    for col in (first, "pronouns", "correct", "accuracy"):
        table.add_column(col, justify="left" if col == first else "right")
    for name, row in rows.items():
        table.add_row(name, str(row["n"]), str(row["correct"]), f"{row['accuracy']:.1%}")
    return table


def print_report(result: dict, console: Console, show_errors: bool = False) -> None:
    coref, rel = result["coref"], result["relations"]
    if coref is not None:
        console.print(_pronoun_table(f"Pronoun resolution ({result['backend']})", coref,
                                     "phenomenon", coref["by_phenomenon"]))
    table = Table(title=f"Relation triples ({result['backend']}): P {rel['precision']:.3f} "
                        f"R {rel['recall']:.3f} F1 {rel['f1']:.3f}")
    for col in ("phenomenon", "items", "tp", "fp", "fn", "P", "R", "F1"):
        table.add_column(col, justify="left" if col == "phenomenon" else "right")
    for name, row in rel["by_phenomenon"].items():
        table.add_row(name, str(row["items"]), str(row["tp"]), str(row["fp"]), str(row["fn"]),
                      f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}")
    console.print(table)
    if show_errors:
        for e in (coref or {}).get("errors", []):
            console.print(f"{e['id']} scene {e['scene']} {e['word']!r}@{e['offset']}: "
                          f"gold {e['gold']}, got {e['predicted']}", highlight=False)
        for e in rel["errors"]:
            console.print(f"{e['id']} {e['text']}  missing {e['missing']} extra {e['extra']}",
                          highlight=False)
    console.print(f"{result['seconds']:.2f} s", style="dim")


def print_blind_report(result: dict, console: Console, show_errors: bool = False) -> None:
    coref, rel, where = result["coref"], result["relations"], f"{result['backend']}, {result['split']}"
    if coref is not None:
        console.print(_pronoun_table(f"Blind pronoun resolution ({where})", coref, "kind",
                                     coref["by_kind"]))
    if rel is None:
        _print_blind_errors(coref, None, console, show_errors)
        console.print(f"{result['seconds']:.2f} s", style="dim")
        return
    sup = rel["supported_only"]
    table = Table(title=f"Blind relation triples ({where}): P {rel['precision']:.3f} "
                        f"R {rel['recall']:.3f} F1 {rel['f1']:.3f}  (supported kinds only: "
                        f"R {sup['recall']:.3f} F1 {sup['f1']:.3f})")
    for col in ("predicate", "gold kinds", "tp", "fp", "fn", "P", "R", "F1"):
        table.add_column(col, justify="left" if col in ("predicate", "gold kinds") else "right")
    for name, row in rel["by_kind"].items():
        if not row["tp"] + row["fp"] + row["fn"]:
            continue
        table.add_row(name, "+".join(row["gold_kinds"]) or "(none)", str(row["tp"]), str(row["fp"]),
                      str(row["fn"]), f"{row['precision']:.3f}", f"{row['recall']:.3f}",
                      f"{row['f1']:.3f}")
    console.print(table)
    table = Table(title=f"Recall per gold kind ({rel['unsupported_gold']} unsupported gold triples; "
                        f"{rel['unsupported_linked_by_other_output']} of them linked by another "
                        "relation or action of ours)")
    for col in ("gold kind", "n", "found", "recall"):
        table.add_column(col, justify="left" if col == "gold kind" else "right")
    for name, row in rel["by_gold_kind"].items():
        table.add_row(name, str(row["n"]), str(row["found"]),
                      "unsupported" if not row["supported"] else f"{row['recall']:.3f}" if row["n"]
                      else "-")
    console.print(table)
    _print_blind_errors(coref, rel, console, show_errors)
    console.print(f"{result['seconds']:.2f} s", style="dim")


def _print_blind_errors(coref: dict | None, rel: dict | None, console: Console, show: bool) -> None:
    if not show:
        return
    for e in (coref or {}).get("errors", []):
        console.print(f"{e['id']} {e['word']!r} #{e['occurrence']} (sentence {e['sentence']}): "
                      f"gold {e['gold']}, got {e['predicted']}  | {e['text']}", highlight=False)
    for e in (rel or {}).get("errors", []):
        console.print(f"{e['id']} {e['text']}  missing {e['missing']} unsupported "
                      f"{e['unsupported']} extra {e['extra']}", highlight=False)


@command("layout")
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
    from ..scenes.evaluation.layouts import TARGET_SATISFIED, evaluate_layouts
    from ..scenes.evaluation.setting import TARGET, evaluate_settings

    report = evaluate_layouts(gold, backend=backend)
    report["settings"] = evaluate_settings(settings_gold)
    if blind_dir is not None or generated:
        from ..scenes.evaluation.from_text import evaluate_text_pictures

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


@command("pictures")
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
      storygen evaluate pictures 12 -o runs/pictures/
      storygen evaluate pictures 5 -o runs/pictures-book/ --from books/underwater-mermaid-teal-silly-seed0
      storygen evaluate pictures-score runs/pictures/scores.json

    The folder gets scene-01.png ..., sheet.html (text, picture and a scoring form per scene, and a
    button that downloads scores.json), sheet.md (the same for a reader of markdown) and
    scores-template.json (the fields to fill, null). Pictures are composed by the scene stage, as
    `storygen scene` composes them; scenes come from the corpus's held-out test split by default.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..config import settings as load_settings
    from ..errors import StorygenError
    from ..scenes.evaluation.review import DEFAULT_SEED, book_stories, check_out_dir, corpus_stories, draw, write_sheet

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


@command("pictures-score")
@click.argument("scores_path", metavar="SCORES_JSON", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where the figures go (default: figures.json beside the scores file).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_pictures_score(scores_path, out_path, as_json) -> None:
    """The figures of a filled picture review sheet (scores.json from `storygen evaluate pictures`):
    characters shown %, things shown %, relations right %, setting fits %, pictures that contradict
    their text, mean composition; entries left all null are counted as unscored."""
    from ..io import write_record
    from ..scenes.evaluation.review import figures, read_scores

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
