"""Many books from one prompts.jsonl: `storygen batch`.

Each worker is a long-lived process; the stage code caches loaded models per process, so a model is
loaded once per worker, not once per book. The batch is resumable (a book folder with a
manifest.json is skipped) and a failing book is recorded, never allowed to stop the others.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Optional

from . import consent
from .config import Settings
from .errors import ConsentError, OptionError, StorygenError
from .options import load_options
from .pipeline import book_name, is_finished, make_book
from .records import Prompt, Record
from .book_paths import BookPaths

PROMPT_KEYS = ("theme", "hero", "color", "adjective", "seed", "profile")
_REQUIRED = PROMPT_KEYS[:4]
_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")

Maker = Callable[..., tuple[Path, bool]]  # make_book's signature: (prompt, out_root, settings, force=)
OnResult = Callable[["BookResult"], None]


@dataclass(frozen=True)
class BookTask(Record):
    """One line of prompts.jsonl: a validated prompt, or the reason the line was refused."""

    line: int
    prompt: Optional[Prompt] = None
    error: Optional[str] = None

    @property
    def name(self) -> str:
        return book_name(self.prompt) if self.prompt else ""  # a refused line names no book


@dataclass(frozen=True)
class BookResult(Record):
    line: int
    name: str
    status: str  # "made" | "skipped" | "failed"
    seconds: float = 0.0
    book: Optional[str] = None
    error: Optional[str] = None
    trace: Optional[str] = None  # the traceback of an unexpected (non-StorygenError) failure
    stage_seconds: dict[str, float] = field(default_factory=dict)
    worker: int = 0  # pid of the process that made it


# ------------------------------------------------------------------ reading prompts.jsonl


def parse_line(text: str, line: int, default_seed: int = 0) -> BookTask:
    """One JSON object -> a task. Every refusal says what to fix; nothing here raises."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return BookTask(line, error=f"not valid JSON ({exc.msg}, column {exc.colno})")
    if not isinstance(data, dict):
        return BookTask(line, error=f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - set(PROMPT_KEYS))
    missing = [k for k in _REQUIRED if k not in data]
    if unknown or missing:
        parts = [f"unknown key(s) {', '.join(unknown)}"] if unknown else []
        parts += [f"missing key(s) {', '.join(missing)}"] if missing else []
        return BookTask(line, error=f"{'; '.join(parts)} (keys are: {', '.join(PROMPT_KEYS)})")
    seed = data.get("seed", default_seed)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        return BookTask(line, error=f"seed must be a whole number >= 0, got {seed!r}")
    wrong = [k for k in (*_REQUIRED, "profile") if k in data and not isinstance(data[k], str)]
    if wrong:
        return BookTask(line, error=f"{', '.join(wrong)} must be text")
    try:
        prompt = load_options().prompt(data["theme"], data["hero"], data["color"], data["adjective"],
                                       seed, data.get("profile", "default"))
        consent.check_profile(prompt.profile)  # a malformed name is this line's fault; consent is checked for all
    except StorygenError as exc:
        return BookTask(line, error=str(exc))
    return BookTask(line, prompt=prompt)


def read_prompts(path: str | os.PathLike, default_seed: int = 0) -> list[BookTask]:
    """Tasks for every non-blank line; a repeated (picks, seed) is refused, naming the first line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionError(f"Cannot read {path}: {exc}; give a UTF-8 prompts.jsonl file") from None
    tasks: list[BookTask] = []
    first: dict[str, int] = {}
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        task = parse_line(text, number, default_seed)
        if task.prompt is not None:
            seen = first.setdefault(task.name, number)
            if seen != number:  # two lines would race for one folder
                task = BookTask(number, error=f"same picks and seed as line {seen}; give it another seed")
        tasks.append(task)
    if not tasks:
        raise OptionError(f"{path} has no prompts; write one JSON object per line with: {', '.join(PROMPT_KEYS)}")
    return tasks


def require_consent(tasks: Iterable[BookTask]) -> None:
    """Fail fast, before any work, naming every profile without consent and how to grant it."""
    profiles = sorted({t.prompt.profile for t in tasks if t.prompt is not None})
    missing = [p for p in profiles if consent.status(p) is None]
    if missing:
        grants = "; ".join(f"storygen consent grant --guardian NAME --profile {p}" for p in missing)
        raise ConsentError(f"No parent/guardian consent for profile(s) {', '.join(map(repr, missing))};"
                           f" nothing was made. A parent or guardian can grant it with: {grants}")


# ------------------------------------------------------------------ one book (runs in a worker)


def make_one(task: BookTask, out_root: str, settings: Settings, force: bool = False,
             maker: Maker = make_book) -> BookResult:
    """Make one book and describe the outcome; a failure becomes a result, never an exception."""
    t0 = time.perf_counter()
    base = dict(line=task.line, name=task.name, worker=os.getpid())
    if task.prompt is None:
        return BookResult(**base, status="failed", error=task.error)
    try:
        book, made = maker(task.prompt, Path(out_root), settings, force=force)
    except Exception as exc:  # one bad book must not stop the batch; the summary names it
        known = isinstance(exc, StorygenError)
        return BookResult(**base, status="failed", seconds=_since(t0),
                          error=str(exc) if known else f"{type(exc).__name__}: {exc}",
                          trace=None if known else traceback.format_exc())
    return BookResult(**base, status="made" if made else "skipped", seconds=_since(t0),
                      book=str(book), stage_seconds=_stage_seconds(book) if made else {})


def _since(t0: float) -> float:
    return round(time.perf_counter() - t0, 3)


def _stage_seconds(book: Path) -> dict[str, float]:
    try:
        data = json.loads(BookPaths(book).manifest.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.get("stage_seconds", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def finished(task: BookTask, out_root: str | os.PathLike) -> bool:
    # A damaged manifest is not a finished book: its worker reports it (make it again with --force).
    return task.prompt is not None and is_finished(Path(out_root) / task.name)


def skipped(task: BookTask, out_root: str | os.PathLike) -> BookResult:
    return BookResult(line=task.line, name=task.name, status="skipped",
                      book=str(Path(out_root) / task.name))


def triage(tasks: list[BookTask], out_root: str | os.PathLike, force: bool,
           record: Callable[[int, BookResult], None]) -> list[int]:
    """Record refused lines and (unless `force`) finished books at once, without a worker;
    return the indexes of the tasks that need one. Shared by both engines."""
    todo = []
    for i, task in enumerate(tasks):
        if task.prompt is None:
            record(i, BookResult(line=task.line, name=task.name, status="failed", error=task.error))
        elif not force and finished(task, out_root):
            record(i, skipped(task, out_root))
        else:
            todo.append(i)
    return todo


# ------------------------------------------------------------------ the local engine


def threads_per_worker(workers: int) -> int:
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def _init_worker(threads: int) -> None:
    # Runs in each fresh (spawned) worker before any model library is imported: N workers that
    # each start one thread per core would fight over the cores. A value the user set wins.
    for var in _THREAD_VARS:
        os.environ.setdefault(var, str(threads))


def run_batch(tasks: list[BookTask], out_root: str | os.PathLike, settings: Settings,
              workers: int = 1, force: bool = False, on_result: OnResult = lambda r: None,
              maker: Maker = make_book) -> list[BookResult]:
    """Make every task's book with `workers` processes; results in task order.

    Finished books are skipped here without starting a worker (unless `force`). A worker that
    dies (killed, out of memory) breaks the whole pool, so every book it had in flight becomes a
    suspect: those are retried one at a time in a fresh worker, and only a book that kills its
    worker again, alone, counts as failed.
    """
    results: dict[int, BookResult] = {}

    def record(i: int, result: BookResult) -> None:
        results[i] = result
        on_result(result)

    todo = triage(tasks, out_root, force, record)
    run = dict(tasks=tasks, out_root=str(out_root), settings=settings, workers=workers, force=force,
               maker=maker, record=record)
    suspects = _run_pool(todo=todo, serial=False, **run) if todo else []

    def record_suspect(i: int, result: BookResult) -> None:
        # A suspect may have been finished just before the pool broke and lost its result: it
        # was still made by this run, not found from an earlier one.
        if result.status == "skipped" and result.book:
            result = replace(result, status="made", stage_seconds=_stage_seconds(Path(result.book)))
        record(i, result)

    while suspects:
        suspects = _run_pool(todo=suspects, serial=True, **{**run, "record": record_suspect})
    return [results[i] for i in range(len(tasks))]


def _run_pool(tasks, todo, out_root, settings, workers, force, maker, record, serial) -> list[int]:
    """Run `todo` in one pool. Returns what is left to run because the pool broke.

    In parallel mode everything is queued at once; in serial mode one book is in flight, so a
    broken pool names its culprit, which fails; the rest go back for a fresh pool.
    """
    ctx = multiprocessing.get_context("spawn")  # fork would copy model threads and locks
    queue, broken = list(todo), []
    size = 1 if serial else max(1, min(workers, len(todo)))
    with ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=_init_worker,
                             initargs=(threads_per_worker(workers),)) as pool:
        pending: dict[Future, int] = {}
        while queue and (not serial or not pending):
            i = queue.pop(0)
            pending[pool.submit(make_one, tasks[i], out_root, settings, force, maker)] = i
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                i = pending.pop(fut)
                try:
                    record(i, fut.result())
                except BrokenProcessPool:
                    if not serial:
                        broken.append(i)
                        continue
                    record(i, _failed(tasks[i], "its worker process died while making it (out of"
                                                " memory or killed?); rerun the batch to try again"))
                    return queue
                except Exception as exc:  # e.g. a result that cannot be sent back
                    record(i, _failed(tasks[i], f"{type(exc).__name__}: {exc}"))
            if serial and queue:
                i = queue.pop(0)
                pending[pool.submit(make_one, tasks[i], out_root, settings, force, maker)] = i
    return sorted(broken)


def _failed(task: BookTask, error: str) -> BookResult:
    return BookResult(line=task.line, name=task.name, status="failed", error=error)


def summarize(results: Iterable[BookResult], wall_s: float) -> dict[str, float | int]:
    """Counts and throughput: books/hour counts only books made in this run."""
    results = list(results)
    made = sum(r.status == "made" for r in results)
    return {"books": len(results), "made": made,
            "skipped": sum(r.status == "skipped" for r in results),
            "failed": sum(r.status == "failed" for r in results),
            "wall_s": round(wall_s, 3),
            "books_per_hour": round(3600.0 * made / wall_s, 1) if wall_s > 0 and made else 0.0}
