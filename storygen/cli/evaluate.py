"""`storygen evaluate lm|stories|mood|nlp|layout|pictures|pictures-score`: every measurement, one group.

`lm` compares the story models with the template and human stories (or writes a blind reading
sheet); `stories` scores books or files for quality; `mood` checks the music's mood reader on its
gold set; the scene commands (nlp, layout, pictures) live in evaluate_scenes.py. Each prints a
table (or --json) and exits 1 when a gated target is missed.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from ..io import write_text
from .app import err, group, out


@group("evaluate")
def evaluate() -> None:
    """Measure a stage: story models, story quality, mood, scene NLP, layout, pictures.

    \b
    Examples:
      storygen evaluate lm --section compare --limit 4
      storygen evaluate stories books/*/
      storygen evaluate nlp --blind data/gold/blind --split dev
      storygen evaluate layout
      storygen evaluate pictures 30 -o sheet/
    """


_CARD_SECTIONS = {"generator": ("compare", "perplexity", "speed")}


def decode_overrides(pairs: tuple[str, ...]) -> dict:
    """--decode KEY=VALUE pairs as DecodeSettings fields, typed like the field's default."""
    from ..config import DecodeSettings

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


@evaluate.command("lm")
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
def evaluate_lm(sections, split, limit, k, seed, engine, out_path, models_dir, keywords_dir,
             ranker, decode, sheet_n, sheet_path, cards) -> None:
    """Measure the story models beside the template and human stories; or write a blind sheet.

    \b
    Examples:
      storygen evaluate lm                   (every section, the test split)
      storygen evaluate lm --section compare --limit 8
      storygen evaluate lm --sheet 12 -o runs/eval/sheet.md   (+ runs/eval/sheet.key.json)

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
    from ..lm.card import EVAL_FILE, write_card
    from ..lm.evaluate import DEFAULT_ORDER, SECTIONS, EvalContext, compared_stories, run_sections

    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise click.UsageError(f"unknown section {unknown[0]!r}; choose from {', '.join(SECTIONS)}")
    ctx = EvalContext(split=split, limit=limit or (sheet_n or 0), k=k, seed=seed, engine=engine, log=err.log,
                      models_dir=models_dir, keywords_dir=keywords_dir, ranker=ranker,
                      decode=decode_overrides(decode),
                      track=lambda items, description: track(items, description, console=err, transient=True))
    if sheet_n:
        from ..lm.sheet import build_sheet, dumps_key

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
    names = [n for n in order if n in sections] or order
    report, rows = run_sections(names, ctx)
    if ctx.decode:
        report["decode_overrides"] = ctx.decode
    write_text(out_path, json.dumps(report, indent=1) + "\n")
    if "compare" in ctx.cache:
        stories = {sys_: [{"title": t, "picks": [p.theme, p.hero, p.color, p.adjective], "scenes": list(sc)}
                          for t, sc, p, _, _ in rows] for sys_, rows in ctx.cache["compare"].items()}
        write_text(out_path.with_name(f"{out_path.stem}-stories.json"), json.dumps(stories, indent=1) + "\n")
    table = Table(title=f"storygen evaluate lm ({split} split, k={k})")
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


@evaluate.command("stories")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-coherence", is_flag=True, help="Skip the coherence score (no model needed).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=None,
              help="Also write the full report (JSON) here.")
def evaluate_stories(paths: tuple[Path, ...], no_coherence: bool, as_json: bool,
                     out_path: Path | None) -> None:
    """Story quality of books, story.json / candidates.json files or corpus .jsonl files:
    coherence, plan keyword coverage, repetition, Flesch-Kincaid grade, safety flags."""
    from ..quality import load_items, story_quality

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


@evaluate.command("mood")
@click.option("--gold", type=click.Path(path_type=Path), default=None, help="Gold set (default data/gold/mood.jsonl).")
@click.option("--backend", default="lexicon", show_default=True, help="Mood backend: lexicon or basic (the baseline).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def evaluate_mood(gold, backend, as_json) -> None:
    """Spearman correlation of estimated vs gold valence and arousal (target >= 0.6 for both).
    Exit code 1 when a target is missed."""
    from ..audio.evaluate import evaluate_mood as run_evaluation

    report = run_evaluation(gold, backend=backend)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        table = Table(title=f"mood evaluation: {report['backend']} on {report['n']} gold scenes")
        for col in ("subset", "n", "valence rho", "arousal rho"):
            table.add_column(col)
        table.add_row("all", str(report["n"]), f"{report['valence_spearman']:.3f}", f"{report['arousal_spearman']:.3f}")
        for name, s in report["by_source"].items():
            table.add_row(name, str(s["n"]), f"{s['valence_spearman']:.3f}", f"{s['arousal_spearman']:.3f}")
        out.print(table)
        verdict = "[green]PASSED[/]" if report["passed"] else "[red]FAILED[/]"
        out.print(f"{verdict} (target rho >= {report['target']} for both)")
    if not report["passed"]:
        raise SystemExit(1)


from .evaluate_scenes import evaluate_layout, evaluate_nlp, evaluate_pictures, evaluate_pictures_score  # noqa: E402

for _command in (evaluate_nlp, evaluate_layout, evaluate_pictures, evaluate_pictures_score):
    evaluate.add_command(_command)
