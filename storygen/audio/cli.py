"""Audio commands for the `storygen` CLI: `library melodies` (train the melody model, write the
melody library), `evaluate-mood` (the gold-set check) and `mix` (audio/NN-mix.wav).
Thin: parse options, call the library, print with rich. music21 loads only inside `melodies`.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from ..console import make_console
from rich.table import Table

from ..scenes.cli import library

out = make_console()


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
    from .melody_train import DEFAULT_COLLECTIONS, build

    chosen = tuple(c.strip() for c in collections.split(",") if c.strip()) if collections else DEFAULT_COLLECTIONS
    report = build(seed=seed, collections=chosen, chorales=not no_chorales)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    out.print(f"trained on {report['tunes_used']} tunes ({report['major_tunes']} major, "
              f"{report['minor_tunes']} minor) in {report['seconds_total']} s; wrote "
              f"{report['melodies']} melodies to library/music/melodies/melodies.yaml")


@click.command("evaluate-mood")
@click.option("--gold", type=click.Path(path_type=Path), default=None, help="Gold set (default data/gold/mood.jsonl).")
@click.option("--backend", default="lexicon", show_default=True, help="Mood backend: lexicon or basic (the baseline).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def evaluate_mood_cmd(gold, backend, as_json) -> None:
    """Spearman correlation of estimated vs gold valence and arousal (target >= 0.6 for both).
    Exit code 1 when a target is missed."""
    from .evaluate import evaluate_mood

    report = evaluate_mood(gold, backend=backend)
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


@click.command("mix")
@click.argument("book_dir", type=click.Path(path_type=Path, file_okay=False))
def mix(book_dir) -> None:
    """Mix each scene: audio/NN-mix.wav = narration + ducked music + sound effects."""
    from ..pipeline import read_book_story  # picks, consent and the output filter, like `make`
    from .stage import run_mix

    story = read_book_story(Path(book_dir))
    paths = run_mix(story, Path(book_dir))
    out.print(f"mixed {len(paths)} scenes")
