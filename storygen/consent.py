"""Parental consent: no story is made until a guardian has granted consent for the profile.

Records hold the guardian's name and a timestamp, never anything about the child. Books made for
a profile are listed beside its consent so that `revoke` can delete them.
"""
from __future__ import annotations

import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

from .errors import ConsentError, StorygenError
from .io import read_json, read_record, write_record, write_text
from .records import ConsentRecord

_PROFILE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def home() -> Path:
    return Path(os.environ.get("STORYGEN_HOME", Path.home() / ".storygen"))


def _profile_dir(profile: str) -> Path:
    if not _PROFILE.match(profile):
        raise StorygenError(
            f"Profile name {profile!r} is not allowed; use 1-32 lowercase letters, digits, - or _"
        )
    return home() / "profiles" / profile


_MAX_GUARDIAN = 100


def grant(guardian: str, profile: str = "default") -> ConsentRecord:
    guardian = " ".join(guardian.split())
    if not guardian:
        raise StorygenError("Give the guardian's name: storygen consent grant --guardian NAME")
    # A name, not a place for other data: bounded, printable, nothing invisible.
    if len(guardian) > _MAX_GUARDIAN or not all(ch.isprintable() for ch in guardian):
        raise StorygenError(f"The guardian's name must be printable text of at most {_MAX_GUARDIAN}"
                            " characters: storygen consent grant --guardian NAME")
    record = ConsentRecord(
        profile=profile,
        guardian=guardian,
        granted_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    )
    write_record(_profile_dir(profile) / "consent.json", record)
    return record


def status(profile: str = "default") -> ConsentRecord | None:
    path = _profile_dir(profile) / "consent.json"
    return read_record(path, ConsentRecord) if path.exists() else None


def require(profile: str = "default") -> ConsentRecord:
    record = status(profile)
    if record is None:
        raise ConsentError(
            f"No parent/guardian consent for profile {profile!r}. A parent or guardian can grant it"
            f" with: storygen consent grant --guardian NAME --profile {profile}"
        )
    return record


def register_book(book_dir: Path, profile: str = "default") -> None:
    books = books_of(profile)
    path = str(Path(book_dir).resolve())
    if path not in books:
        write_text(_profile_dir(profile) / "books.txt", "\n".join(books + [path]) + "\n")


def books_of(profile: str = "default") -> list[str]:
    path = _profile_dir(profile) / "books.txt"
    # One path per line: a book folder may have spaces in its path.
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()] if path.exists() else []


def revoke(profile: str = "default") -> list[str]:
    """Delete the consent record and every stored book of the profile; return what was deleted."""
    pdir = _profile_dir(profile)
    deleted = []
    for book in books_of(profile):
        # Only folders that still look like our books are removed: never a path edited in by hand.
        if (Path(book) / "manifest.json").exists():
            manifest = read_json(Path(book) / "manifest.json")
            if isinstance(manifest, dict) and manifest.get("kind") == "book_manifest":
                shutil.rmtree(book)
                deleted.append(book)
    if pdir.exists():
        shutil.rmtree(pdir)
    return deleted
