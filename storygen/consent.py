"""Parental consent: no story is made until a guardian has granted consent for the profile.

Records hold the guardian's name and a timestamp, never anything about the child. Books made for
a profile are listed beside its consent so that `revoke` can delete them.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .book_paths import BookPaths
from .errors import ConsentError, OutputError, RecordError, StorygenError
from .io import read_json, write_record, write_text
from .records import ConsentRecord

_PROFILE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def home() -> Path:
    return Path(os.environ.get("STORYGEN_HOME", Path.home() / ".storygen"))


def _profile_dir(profile: str) -> Path:
    if not _PROFILE.fullmatch(profile):  # fullmatch: "$" alone would let a final newline through
        raise StorygenError(
            f"Profile name {profile!r} is not allowed; use 1-32 lowercase letters, digits, - or _"
        )
    return home() / "profiles" / profile


def check_profile(profile: str) -> str:
    """Refuse a malformed profile name, before anything is read or written."""
    _profile_dir(profile)
    return profile


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
    """The profile's consent, None if there is none. A record that is damaged or was edited by
    hand (another profile's, no guardian, no time of granting) counts for nothing: it is refused."""
    path = _profile_dir(profile) / "consent.json"
    if not path.exists():
        return None
    again = ("nothing is made until a parent or guardian grants consent again with:"
             f" storygen consent grant --guardian NAME --profile {profile}")
    try:
        record = ConsentRecord.from_dict(read_json(path, hint=again), where=str(path))
    except RecordError as exc:
        raise ConsentError(str(exc) if again in str(exc) else f"{exc}; {again}") from None
    problem = _tampered(record, profile)
    if problem:
        raise ConsentError(f"{path} {problem}; {again}")
    return record


def _tampered(record: ConsentRecord, profile: str) -> str:
    """Why a well-formed consent record cannot be one that `grant` wrote ("" if it can)."""
    if record.profile != profile:
        return f"belongs to profile {record.profile!r}, not {profile!r}"
    name = record.guardian
    if not name or name != " ".join(name.split()) or len(name) > _MAX_GUARDIAN or not name.isprintable():
        return "has no valid guardian name"
    try:
        when = datetime.fromisoformat(record.granted_at)
    except ValueError:
        return f"has no valid time of granting ({record.granted_at!r})"
    if when.tzinfo is None or when > datetime.now(timezone.utc) + timedelta(days=1):
        return f"has no valid time of granting ({record.granted_at!r})"
    return ""


def require(profile: str = "default") -> ConsentRecord:
    record = status(profile)
    if record is None:
        raise ConsentError(
            f"No parent/guardian consent for profile {profile!r}. A parent or guardian can grant it"
            f" with: storygen consent grant --guardian NAME --profile {profile}"
        )
    return record


def register_book(book_dir: Path, profile: str = "default") -> None:
    path = str(Path(book_dir).resolve())
    with _books_lock(profile):  # two workers adding books at once must not lose one
        books = books_of(profile)
        if path not in books:
            write_text(_profile_dir(profile) / "books.txt", "\n".join(books + [path]) + "\n")


@contextmanager
def _books_lock(profile: str):
    """Hold a lock on the profile's folder while its books.txt is read and rewritten."""
    pdir = _profile_dir(profile)
    try:
        pdir.mkdir(parents=True, exist_ok=True)
        fd = os.open(pdir, os.O_RDONLY)
    except OSError as exc:
        raise OutputError(f"Cannot write to {pdir}: {exc.strerror}; check {home()} (STORYGEN_HOME)") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def books_of(profile: str = "default") -> list[str]:
    path = _profile_dir(profile) / "books.txt"
    # One path per line: a book folder may have spaces in its path. A damaged byte spoils only its
    # own line (no such folder), never revoking consent.
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return [ln for ln in text.splitlines() if ln.strip()]


def forget_book(book_dir: Path, profile: str = "default") -> None:
    """Take a deleted book off the profile's list (the studio's delete button)."""
    path = str(Path(book_dir).resolve())
    with _books_lock(profile):  # a book registered meanwhile must not be lost
        books = books_of(profile)
        if path in books:
            write_text(_profile_dir(profile) / "books.txt", "".join(f"{b}\n" for b in books if b != path))


def revoke(profile: str = "default") -> list[str]:
    """Delete the consent record and every stored book of the profile; return what was deleted."""
    pdir = _profile_dir(profile)
    deleted = []
    for book in books_of(profile):
        # Only this profile's books are removed: never a path edited in by hand, nor a book that
        # another profile has made again in the same folder since.
        if _book_profile(Path(book)) == profile:
            shutil.rmtree(book)
            deleted.append(book)
    if pdir.exists():
        shutil.rmtree(pdir)
    return deleted


def _book_profile(book: Path) -> str | None:
    """The profile a book folder was made for: from its manifest, or, where that is damaged,
    from its prompt.json (a damaged book is still deleted with its profile); None if neither."""
    paths = BookPaths(book)
    for path, kind in ((paths.manifest, "book_manifest"), (paths.prompt, "prompt")):
        try:
            data = read_json(path) if path.is_file() else None
        except RecordError:
            continue
        if isinstance(data, dict) and data.get("kind") == kind:
            prompt = data.get("prompt") if kind == "book_manifest" else data
            return prompt.get("profile") if isinstance(prompt, dict) else None
    return None
