"""Shared tools of the reliability suite: run storygen as a real process (its own process group,
always with a timeout), look at an out folder the way a user or a batch would, check a finished
book down to its bytes, and record the counts that `make soak` prints.

"Visible" book: a folder in --out whose name does not start with "." (storygen builds in hidden
`.NAME.partial-*` folders and renames into place at the end; the manifest is written last, inside
the hidden folder). A visible book must always be finished and whole: a valid manifest.json, every
file it lists present, every JSON record readable, every picture and sound decodable.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import wave
from dataclasses import dataclass
from pathlib import Path

from storygen.config import CONFIG_DIR, ROOT
from storygen.records import ALL_RECORDS

QUICK = CONFIG_DIR / "quick.yaml"
DEFAULTS = CONFIG_DIR / "default.yaml"
_BIN = Path(sys.executable).parent / "storygen"
STORYGEN = [str(_BIN)] if _BIN.exists() else [sys.executable, "-m", "storygen.cli"]
SOAK_LOG = "STORYGEN_SOAK_LOG"  # `make soak` collects every test's counts here
KINDS = {cls.kind: cls for cls in ALL_RECORDS if cls.kind}
PICKS = ("--theme", "underwater", "--hero", "mermaid", "--color", "teal", "--adj", "silly")


def book_env(home: Path, settings: Path = QUICK, **extra: str) -> dict[str, str]:
    """The environment of a storygen child: its own consent store, the named settings file, one
    thread per library (the machine is shared), nothing from the test runner's own STORYGEN_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYGEN_") or k == SOAK_LOG}
    env.update(STORYGEN_HOME=str(home), STORYGEN_SETTINGS=str(settings), PYTHONUNBUFFERED="1",
               HF_HUB_OFFLINE="1", **extra)
    return env


@dataclass
class Result:
    rc: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err

    def error_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.strip()]


def spawn(args: list[str], env: dict, cwd: Path | None = None, exe: list[str] | None = None,
          preexec=None) -> subprocess.Popen:
    """Start storygen in a new session (its own process group, so it and its workers can be
    killed together)."""
    return subprocess.Popen([*(exe or STORYGEN), *args], env=env, cwd=cwd or ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=preexec)


def kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def finish(proc: subprocess.Popen, timeout: float) -> Result:
    t0 = time.monotonic()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        raise AssertionError(f"storygen {proc.args[1:]} ran past {timeout} s: {err[-2000:]}") from None
    finally:
        kill_group(proc)  # workers left behind by a killed main process go too
    return Result(proc.returncode, out, err, time.monotonic() - t0)


def run(args: list[str], env: dict, timeout: float = 300, **kw) -> Result:
    t0 = time.monotonic()
    result = finish(spawn(args, env, **kw), timeout)
    result.seconds = time.monotonic() - t0
    return result


def grant(env: dict, profile: str = "default") -> None:
    r = run(["consent", "grant", "--guardian", "Test Parent", "--profile", profile], env, timeout=60)
    assert r.rc == 0, r.text


def assert_clean_error(r: Result, *fragments: str, rc: int = 2) -> str:
    """Exit code 2, no traceback, one line on stderr saying what went wrong; returns it."""
    assert "Traceback" not in r.text, r.text[-3000:]
    assert r.rc == rc, (r.rc, r.text[-2000:])
    lines = r.error_lines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


# ------------------------------------------------------------------ looking at an out folder


def visible_books(out: Path) -> list[Path]:
    if not out.exists():
        return []
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))


def leftovers(out: Path) -> list[str]:
    """Everything storygen leaves only while it works: hidden entries in --out (build folders,
    locks, a set-aside book) and temp files inside books."""
    if not out.exists():
        return []
    found = [p.name for p in out.iterdir() if p.name.startswith(".")]
    for book in visible_books(out):
        found += [str(p.relative_to(out)) for p in book.rglob(".*")]
    return sorted(found)


def _check_media(path: Path, data: bytes) -> None:
    if path.suffix == ".png" or path.suffix == ".gif":
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            img.verify()
    elif path.suffix == ".wav":
        with wave.open(io.BytesIO(data)) as w:
            frames = w.getnframes()
            assert frames > 0 and len(data) >= 44 + frames * w.getsampwidth() * w.getnchannels(), path
    elif path.suffix == ".mid":
        assert data.startswith(b"MThd"), path
    elif path.suffix == ".html":
        text = data.decode("utf-8")
        assert text.rstrip().endswith("</html>") and text.count('<section class="page"') >= 5, path


def check_book(book: Path) -> dict[str, str]:
    """Everything a finished book must be; returns {file: sha256} (manifest.json's changing
    stage_seconds included: a finished book is never touched again)."""
    manifest = json.loads((book / "manifest.json").read_text(encoding="utf-8"))
    KINDS["book_manifest"].from_dict(manifest, where=str(book / "manifest.json"))
    digests = {}
    for rel in manifest["files"]:
        path = book / rel
        assert path.is_file(), f"{book.name}: manifest lists {rel}, which is missing"
        data = path.read_bytes()
        assert data, f"{book.name}: {rel} is empty"
        if path.suffix == ".json":
            record = json.loads(data)
            KINDS[record["kind"]].from_dict(record, where=str(path))
        else:
            _check_media(path, data)
        digests[rel] = hashlib.sha256(data).hexdigest()
    assert len(manifest["files"]) > 60, f"{book.name}: only {len(manifest['files'])} files"
    return digests


def snapshot(out: Path) -> dict[str, dict[str, str]]:
    return {b.name: check_book(b) for b in visible_books(out)}


STAGE_MARKS = (  # the file whose arrival shows a stage has started writing, in pipeline order
    ("plan", "prompt.json"), ("write", "plan.json"), ("rank", "story.json"),
    ("scene", "scenes/01/graph.json"), ("narrate", "audio/01-narration.wav"),
    ("music", "audio/01-music.mid"), ("sfx", "audio/01-sfx.json"), ("mix", "audio/01-mix.wav"),
    ("book", "book.html"), ("manifest", "manifest.json"),
)


def stage_of(out: Path, name: str) -> str:
    """How far a killed run of book `name` had got, read from what it left."""
    if (out / name / "manifest.json").exists():
        return "finished"
    partials = [p for p in out.glob(f".{name}.partial-*") if p.is_dir()]
    if not partials:
        return "not started"
    reached = "started"
    for stage, mark in STAGE_MARKS:
        if any((p / mark).exists() for p in partials):
            reached = stage
    return reached


# ------------------------------------------------------------------ counts for `make soak`


def record(promise: str, **counts) -> None:
    """Append one test's counts for promise 1-7; `python -m tests.reliability.report` sums them."""
    path = os.environ.get(SOAK_LOG)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"promise": promise, **counts}, sort_keys=True) + "\n")
