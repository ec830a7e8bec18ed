"""`storygen batch --engine ray`: the same book tasks on Ray actors.

One actor per worker is a long-lived process, so models are loaded once per actor. Without
--address, `ray.init()` starts a private local cluster and shuts it down afterwards; with one, the
driver joins that cluster, and the output folder and STORYGEN_HOME must be on storage that every
node sees. `ray` is imported here only, and only when this engine is chosen.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional

from .batch import BookResult, BookTask, Maker, OnResult, make_one, threads_per_worker, triage
from .config import Settings
from .errors import BackendError
from .pipeline import make_book

RAY_INSTALL = "pip install ray==2.60.0"
# Passed to every actor so a worker on any node reads the same consent store and configs.
_ENV = ("STORYGEN_HOME", "STORYGEN_CONFIG_DIR", "STORYGEN_SETTINGS", "STORYGEN_CACHE", "XDG_CACHE_HOME", "HF_HUB_OFFLINE")


def import_ray():
    try:
        import ray
    except ImportError:
        raise BackendError(f"The ray engine needs Ray; run: {RAY_INSTALL} (or use --engine local)") from None
    return ray


def _env() -> dict[str, str]:
    return {k: os.environ[k] for k in _ENV if k in os.environ}


class _BookWorker:
    """Ray actor body: one process that makes books one after another."""

    def make(self, task: BookTask, out_root: str, settings: Settings, force: bool,
             maker: Maker) -> BookResult:
        return make_one(task, out_root, settings, force, maker)


def run_batch_ray(tasks: list[BookTask], out_root: str | os.PathLike, settings: Settings,
                  workers: int = 1, force: bool = False, on_result: OnResult = lambda r: None,
                  maker: Maker = make_book, address: Optional[str] = None) -> list[BookResult]:
    """Like batch.run_batch, on `workers` Ray actors. An actor that dies fails only its book
    (Ray gives the error); a fresh actor replaces it for the remaining books."""
    ray = import_ray()
    out_root = str(Path(out_root).resolve())  # actors may not share the driver's working dir
    results: dict[int, BookResult] = {}

    def record(i: int, result: BookResult) -> None:
        results[i] = result
        on_result(result)

    todo = triage(tasks, out_root, force, record)
    if not todo:
        return [results[i] for i in range(len(tasks))]
    workers = min(workers, len(todo))
    # On a local cluster we start, each actor gets its share of this machine's cores (Ray sets
    # its OMP_NUM_THREADS to match); on a cluster someone else started, 1-CPU actors.
    own = not address and not ray.is_initialized()
    cpus = threads_per_worker(workers) if own else 1
    started = _connect(ray, address, workers * cpus)
    try:
        # More actors than the cluster can place would wait forever with a book assigned.
        fits = int(ray.cluster_resources().get("CPU", 0)) // cpus
        workers = max(1, min(workers, fits)) if fits else workers
        _run_actors(ray, tasks, todo, out_root, settings, workers, cpus, force, maker, record)
    finally:
        if started:
            ray.shutdown()
    return [results[i] for i in range(len(tasks))]


def _connect(ray, address: Optional[str], cpus: int) -> bool:
    """Start (or join) a cluster unless this process is already connected; True if we did."""
    if ray.is_initialized():
        return False
    kwargs = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    if address:
        ray.init(address=address, **kwargs)
    else:
        # A private local cluster sized to the workers: it never takes more cores than asked.
        ray.init(num_cpus=max(cpus, 1), **kwargs)
    return True


def _run_actors(ray, tasks, todo, out_root, settings, workers, cpus, force, maker, record) -> None:
    env = _env()
    actor_cls = ray.remote(num_cpus=cpus)(_BookWorker)
    if env:
        actor_cls = actor_cls.options(runtime_env={"env_vars": env})

    def new_actor():
        return actor_cls.remote()

    # Large arguments are put in the object store once, not copied into every call.
    settings_ref, maker_ref = ray.put(settings), ray.put(maker)
    queue = list(todo)
    actors = [new_actor() for _ in range(workers)]
    running: dict = {}  # ObjectRef -> (task index, actor)

    def submit(actor) -> None:
        if queue:
            i = queue.pop(0)
            running[actor.make.remote(tasks[i], out_root, settings_ref, force, maker_ref)] = (i, actor)

    for actor in actors:
        submit(actor)
    while running:
        ready, _ = ray.wait(list(running), num_returns=1)
        ref = ready[0]
        i, actor = running.pop(ref)
        try:
            record(i, ray.get(ref))
        except Exception as exc:  # the actor died or the result was lost: fail this book only
            record(i, BookResult(line=tasks[i].line, name=tasks[i].name, status="failed",
                                 error=f"Ray worker failed: {type(exc).__name__}: {_first_line(exc)}"))
            ray.kill(actor, no_restart=True)
            if not queue:
                continue
            actor = new_actor()
        submit(actor)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""
