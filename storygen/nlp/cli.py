"""`evaluate_nlp`: score the NLP stage on data/gold and print rich tables (or --json).

A click command of its own so that storygen/cli.py can add it (`main.add_command`) or call
`evaluate_nlp` from `storygen evaluate --nlp`. StorygenErrors (a missing gold file, a missing
backend) propagate to the caller's group, which turns them into exit code 2.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..console import make_console

from .evaluate import GOLD_DIR
from .evaluate import evaluate_nlp as run_evaluation
from .evaluate_blind import SPLITS, evaluate_blind


@click.command("evaluate-nlp")
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
    if show_errors:
        for e in (coref or {}).get("errors", []):
            console.print(f"{e['id']} {e['word']!r} #{e['occurrence']} (sentence {e['sentence']}): "
                          f"gold {e['gold']}, got {e['predicted']}  | {e['text']}", highlight=False)
        for e in rel["errors"]:
            console.print(f"{e['id']} {e['text']}  missing {e['missing']} unsupported "
                          f"{e['unsupported']} extra {e['extra']}", highlight=False)
    console.print(f"{result['seconds']:.2f} s", style="dim")
