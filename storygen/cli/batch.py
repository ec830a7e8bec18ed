"""`storygen batch`: many books from a prompts.jsonl, with a progress bar and a failure summary."""
from __future__ import annotations

import time
from pathlib import Path

import click
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table

from ..batch import BookResult, read_prompts, require_consent, run_batch, summarize
from ..config import settings as load_settings
from ..io import ensure_writable_dir, write_text
from .app import command, err, out

@command()
@click.argument("prompts", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("books"), show_default=True, help="Folder that receives one sub-folder per book.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Books made at once; each worker loads the models once (mind memory: one set per worker).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="local: a process pool on this machine. ray: Ray actors (pip install ray==2.60.0).")
@click.option("--address", default=None, help="Ray only: join this cluster (e.g. auto, or ray://HOST:10001) instead of starting a local one. --out must then be shared storage.")
@click.option("--force", is_flag=True, help="Remake books that already exist (default: skip them, so a stopped batch resumes).")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Also write every book's outcome and timings as JSON to this file.")
@click.option("-v", "--verbose", is_flag=True, help="Print the traceback of unexpected failures.")
def batch(prompts, out_dir, workers, engine, address, force, report_path, verbose) -> None:
    """Make many books from PROMPTS, a .jsonl file with one JSON object per line:

    \b
      {"theme": "underwater", "hero": "mermaid", "color": "teal", "adjective": "silly", "seed": 1}

    "seed" defaults to configs/default.yaml's, "profile" to "default". Every profile needs
    consent first; if one lacks it nothing is made (exit 2). Books that already exist are
    skipped, so rerunning a stopped batch resumes it. A bad line or a failing book is reported in
    the summary and never stops the others.

    \b
    Exit code: 0 if every book was made or skipped, 1 if some failed,
    2 if nothing could start (no consent, unreadable file, unwritable --out, Ray missing).
    """
    if address and engine != "ray":
        raise click.UsageError("--address is for --engine ray")
    cfg = load_settings()
    tasks = read_prompts(prompts, cfg.seed)
    require_consent(tasks)
    ensure_writable_dir(out_dir)  # a read-only --out fails every book: say it once, before starting
    if engine == "ray":
        from ..batch_ray import import_ray, run_batch_ray

        import_ray()  # a missing Ray is reported before the progress bar appears

        def engine_run(**kw):
            return run_batch_ray(address=address, **kw)
    else:
        engine_run = run_batch
    t0 = time.perf_counter()
    with _progress() as progress:
        bar = progress.add_task(f"{engine}, {workers} worker(s)", total=len(tasks), made=0, skipped=0, failed=0)
        counts = {"made": 0, "skipped": 0, "failed": 0}

        def on_result(result: BookResult) -> None:
            counts[result.status] += 1
            progress.update(bar, advance=1, **counts)
            if result.status == "failed":
                progress.console.print(f"[red]failed[/] line {result.line} {result.name}: {result.error}".replace(" :", ":"),
                                       highlight=False, soft_wrap=True)

        results = engine_run(tasks=tasks, out_root=out_dir, settings=cfg, workers=workers,
                             force=force, on_result=on_result)
    summary = summarize(results, time.perf_counter() - t0)
    _print_summary(results, summary, out_dir, verbose)
    if report_path:
        import json

        report = {"summary": summary, "results": [r.to_dict() for r in results]}
        write_text(report_path, json.dumps(report, indent=2) + "\n")
    if summary["failed"]:
        raise SystemExit(1)


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("[green]{task.fields[made]} made[/] {task.fields[skipped]} skipped"
                               " [red]{task.fields[failed]} failed[/]"),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err)


def _print_summary(results: list[BookResult], summary: dict, out_dir: Path, verbose: bool) -> None:
    table = Table(title=f"Batch into {out_dir}")
    for col in ("books", "made", "skipped", "failed", "wall s", "books/hour"):
        table.add_column(col, justify="right")
    table.add_row(*(str(summary[k]) for k in ("books", "made", "skipped", "failed", "wall_s", "books_per_hour")))
    out.print(table)
    failed = [r for r in results if r.status == "failed"]
    if not failed:
        return
    fails = Table(title="Failures (fix and rerun: finished books are skipped)")
    for col in ("line", "book", "error"):
        fails.add_column(col)
    for r in failed:
        fails.add_row(str(r.line), r.name or "-", r.error or "")
    out.print(fails)
    if verbose:
        for r in failed:
            if r.trace:
                err.print(f"line {r.line}:\n{r.trace}", highlight=False, markup=False)
