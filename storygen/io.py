"""All file I/O for records and media: atomic writes (temp file + rename) and checked reads."""
from __future__ import annotations

import errno
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TypeVar

from .errors import BackendError, OutputError, RecordError
from .records import Record

R = TypeVar("R", bound=Record)


def dumps(record: Record) -> str:
    return json.dumps(record.to_dict(), indent=2, ensure_ascii=False) + "\n"


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temp path beside `path`; rename it over `path` only if the block succeeds."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"Cannot write to {path.parent}: {exc.strerror}; choose another --out") from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)  # mkstemp makes files private; outputs are ordinary files
        os.replace(tmp_path, path)
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        # A full disk or a folder that turned read-only is the user's to fix, not a bug.
        raise OutputError(f"Cannot write {path}: {exc.strerror}; free some space or write"
                          " somewhere else") from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_record(path: str | os.PathLike, record: Record) -> Path:
    return write_text(path, dumps(record))


def read_json(path: str | os.PathLike, hint: str = ""):
    """`hint` replaces the generic advice with what to do about this file (e.g. how to remake it)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordError(f"{path} does not exist; {hint or 'run the step that makes it first'}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"Cannot read {path}: {exc}" + (f"; {hint}" if hint else "")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg};"
            f" {hint or 'regenerate it with the step that makes it'}"
        ) from None


def check_safetensors(path: str | os.PathLike, hint: str) -> Path:
    """Refuse a missing, truncated or foreign .safetensors model file here, naming it and saying
    what to do (`hint`), rather than deep inside torch with a traceback. Reads the header only:
    8 bytes of header length, a JSON header, and tensors that must end exactly at end of file."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            n = int.from_bytes(fh.read(8), "little")
            header = json.loads(fh.read(n)) if 8 < 8 + n <= size else None
        ends = [v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"]
        whole = 8 + n + max(ends, default=0) == size
    except FileNotFoundError:
        raise BackendError(f"{path} is missing; {hint}") from None
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        whole = False
    if not whole:
        raise BackendError(f"{path} is damaged (truncated or not a safetensors file); {hint}")
    return path


def read_record(path: str | os.PathLike, cls: type[R]) -> R:
    try:
        return cls.from_dict(read_json(path), where=str(path))
    except RecordError as exc:  # the wrong kind of file, a field gone: say what to do as well
        text = str(exc)
        raise RecordError(text if "regenerate" in text or "; run" in text
                          else f"{text}; regenerate it with the step that makes it") from None


def ensure_writable_dir(path: str | os.PathLike) -> Path:
    """Check that `path` is (or can become) a writable folder, without leaving anything behind."""
    path = Path(path)
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"{probe} is a file, not a folder; choose another --out")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"{probe} is not writable; choose another --out")
    return path


def read_jsonl(path: str | os.PathLike, hint: str = "") -> list[tuple[str, object]]:
    """(where, value) for each non-blank line of a JSONL file; `where` is "path:line" for messages.

    `hint` says what to do when the file is missing or broken (e.g. the command that makes it).
    """
    path = Path(path)
    tail = f"; {hint}" if hint else ""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise RecordError(f"{path} does not exist{tail}") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append((f"{path}:{n}", json.loads(line)))
        except json.JSONDecodeError as exc:
            raise RecordError(f"{path}:{n}: not valid JSON ({exc.msg}){tail}") from None
    return out
