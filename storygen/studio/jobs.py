"""The studio's make job: the real `make_book` pipeline in a background thread, with its progress.

One book at a time: the pipeline already uses both cores of the machines this runs on, and a
child waits for one story anyway. The job reports the same stage names as `storygen make`
(storygen.pipeline.STAGES). Stopping the server cancels a running job at its next stage, so
make_book's own clean-up removes the half-made book (its hidden temp folder).
"""
from __future__ import annotations

import itertools
import json
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import settings as load_settings
from ..errors import StorygenError
from ..pipeline import STAGES, book_name, make_book
from ..records import Prompt


class Cancelled(StorygenError):
    """The server is stopping: the book being made is dropped."""


class Busy(StorygenError):
    """A book is already being made."""


@dataclass
class Job:
    id: str
    prompt: Prompt
    state: str = "queued"  # queued -> running -> done | error | cancelled
    stage: str | None = None
    stage_index: int = 0  # how many stages are finished
    book: str | None = None  # the book folder's name once done
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    def to_dict(self) -> dict:
        end = self.finished if self.finished is not None else time.monotonic()
        return {"id": self.id, "state": self.state, "stage": self.stage,
                "stage_index": self.stage_index, "stages": list(STAGES), "book": self.book,
                "error": self.error, "seconds": round(end - self.started, 1),
                "picks": {"theme": self.prompt.theme, "hero": self.prompt.hero,
                          "color": self.prompt.color, "adjective": self.prompt.adjective},
                "seed": self.prompt.seed}


RECENT_PLOTS = 5  # a new book tells none of the plot kinds of the shelf's last five
SEEDS_TRIED = 200


def recent_plots(out_root: Path, n: int = RECENT_PLOTS) -> list[str]:
    """The plot kinds of the newest `n` books in the folder (unreadable ones are skipped)."""
    books = sorted((d for d in Path(out_root).glob("*/story.json") if d.is_file()),
                   key=lambda f: f.stat().st_mtime, reverse=True)[:n]
    plots = []
    for f in books:
        try:
            plots.append(json.loads(f.read_text(encoding="utf-8"))["plan"]["plot"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return plots


def fresh_seed(prompt: Prompt, out_root: Path) -> Prompt:
    """The first seed from the settings' one whose book folder does not exist yet and whose
    plot kind is none of the shelf's last five: pressing "Make my story" again makes a new
    story, and a child read one a night does not hear the same kind of story twice in a week
    (a blind reading of twelve books found books of one plot kind share whole scenes). The
    seed stays the whole recipe: `storygen make --seed N` makes the same book."""
    from ..story import make_plan

    avoid = set(recent_plots(out_root))
    first = None
    for seed in range(prompt.seed, prompt.seed + SEEDS_TRIED):
        candidate = replace(prompt, seed=seed)
        if (Path(out_root) / book_name(candidate)).exists():
            continue
        first = first or candidate
        if not avoid or make_plan(candidate).plot not in avoid:
            return candidate
    return first or replace(prompt, seed=prompt.seed + SEEDS_TRIED)


class JobRunner:
    """Starts make jobs one at a time and keeps the recent ones for the page to poll."""

    def __init__(self, out_root: Path, keep: int = 20) -> None:
        self.out_root = Path(out_root)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._keep = keep
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self, prompt: Prompt) -> Job:
        """Start making a book for a checked prompt; Busy if one is being made."""
        with self._lock:
            if self._stopping.is_set():
                raise Busy("The studio is stopping")
            if self._thread is not None and self._thread.is_alive():
                raise Busy("A story is being made already; wait for it to finish")
            job = Job(id=f"j{next(self._ids)}", prompt=fresh_seed(prompt, self.out_root))
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-self._keep]:
                del self._jobs[old]
            self._thread = threading.Thread(target=self._run, args=(job,), name=f"make-{job.id}",
                                            daemon=True)
            self._thread.start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def running(self) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs.values() if j.state in ("queued", "running")), None)

    def _run(self, job: Job) -> None:
        def on_stage(name: str) -> None:
            if self._stopping.is_set():
                raise Cancelled("The studio stopped before the book was finished")
            job.stage, job.stage_index, job.state = name, STAGES.index(name), "running"

        job.state = "running"
        try:
            book, _ = make_book(job.prompt, self.out_root, load_settings(), on_stage=on_stage)
        except Cancelled as exc:
            job.state, job.error = "cancelled", str(exc)
        except StorygenError as exc:
            job.state, job.error = "error", str(exc)
            print(f"storygen studio: the book could not be made: {exc}", file=sys.stderr)
        except Exception:  # a bug: the page says so, the terminal gets the details
            traceback.print_exc(file=sys.stderr)
            job.state, job.error = "error", "Something went wrong making the book (see the terminal)"
        else:
            job.book, job.stage_index, job.state = book.name, len(STAGES), "done"
        finally:
            job.finished = time.monotonic()

    def stop(self, wait_s: float = 30.0) -> Job | None:
        """Refuse new jobs and cancel the running one at its next stage, waiting up to wait_s
        for it to end; returns that job (its state says whether it was dropped) or None."""
        self._stopping.set()
        job, thread = self.running(), self._thread
        if thread is not None and thread.is_alive():
            thread.join(wait_s)
        return job
