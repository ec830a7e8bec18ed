"""Safe file access for the studio: URL paths to files inside one folder, and sending them.

A request path is split into segments and refused when any segment could leave the folder or
reach something hidden ('..', '.', empty, a leading dot, a slash or backslash decoded from
%2F/%5C, NUL); the resolved file must still lie inside the folder, so a symlink pointing out of
it is refused as well. Media are sent with byte ranges, which Chromium's <audio> asks for when
it seeks or restarts a track.
"""
from __future__ import annotations

import mimetypes
import os
import re
import shutil
from pathlib import Path

TYPES = {".html": "text/html; charset=utf-8", ".json": "application/json", ".png": "image/png",
         ".gif": "image/gif", ".wav": "audio/wav", ".mid": "audio/midi", ".svg": "image/svg+xml",
         ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".pdf": "application/pdf", ".epub": "application/epub+zip", ".zip": "application/zip",
         ".mp3": "audio/mpeg", ".txt": "text/plain; charset=utf-8"}
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class Refused(Exception):
    """A path the studio will not serve: `status` is 404 (no such thing) or 403 (not allowed)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def safe_segments(parts: list[str]) -> list[str]:
    """The segments of a decoded URL path, or Refused(404) if any could escape or is hidden."""
    for part in parts:
        if (not part or part in (".", "..") or part.startswith(".") or "/" in part or "\\" in part
                or "\x00" in part or ":" in part):
            raise Refused(404, "Not found")
    return parts


def inside(root: Path, parts: list[str]) -> Path:
    """The existing file root/parts..., refusing anything that resolves outside root (403)."""
    base = Path(root).resolve()
    candidate = base.joinpath(*safe_segments(parts))
    try:
        real = candidate.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise Refused(404, "Not found") from None
    except (OSError, RuntimeError):  # a symlink loop
        raise Refused(403, "Not allowed") from None
    if not real.is_relative_to(base):
        raise Refused(403, "Not allowed")
    if not real.is_file():
        raise Refused(404, "Not found")
    return real


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single `Range: bytes=a-b` request; None for the whole file.
    ValueError for a range outside the file (answered 416)."""
    if not header:
        return None
    m = _RANGE.match(header.strip())
    if not m or not (m.group(1) or m.group(2)):
        return None  # a form we do not support: send the whole file, as RFC 9110 allows
    if m.group(1):
        first = int(m.group(1))
        last = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
    else:  # "bytes=-N": the last N bytes
        first, last = max(0, size - int(m.group(2))), size - 1
    if first >= size or first > last:
        raise ValueError("range not satisfiable")
    return first, last


def copy_part(src, dst, length: int, chunk: int = 1 << 16) -> None:
    """Copy `length` bytes from one open file to another (a range of a media file)."""
    while length > 0:
        data = src.read(min(chunk, length))
        if not data:
            break
        dst.write(data)
        length -= len(data)


def send_whole(src, dst) -> None:
    shutil.copyfileobj(src, dst, 1 << 16)


def size_of(path: Path) -> int:
    return os.stat(path).st_size
