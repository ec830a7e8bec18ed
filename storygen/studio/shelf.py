"""The bookshelf: the profile's finished books in the studio's books folder, their downloads, delete.

A book is on the shelf when consent.py lists it for the profile, its folder sits directly in the
books folder (not a symlink out of it) and its manifest.json says it is a storygen book of
this profile. Everything else in the folder (other profiles' books, half-made hidden temp
folders, stray files) is neither listed nor served nor deleted.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import consent
from ..errors import RecordError, StorygenError
from ..io import read_record
from ..options import load_options
from ..records import BookManifest, Story
from .files import Refused, safe_segments
from ..book_paths import EPUB, HTML, PDF, PICTURE, BookPaths, scene_rel

# Already compressed, or audio that deflate barely shrinks: stored, so a zip is quick to make.
_STORED = (".png", ".gif", ".mp3", ".wav", ".epub", ".pdf")


@dataclass(frozen=True)
class Book:
    name: str
    path: Path
    title: str
    picks: dict
    made: float  # the manifest's modification time, for newest-first order

    def to_dict(self) -> dict:
        cover = BookPaths(self.path).picture(1)
        base = f"/books/{self.name}"
        return {"name": self.name, "title": self.title, "picks": self.picks, "made": self.made,
                "url": f"{base}/{HTML}", "cover": f"{base}/{scene_rel(1)}/{PICTURE}" if cover.is_file() else None,
                "downloads": {k: f"/api/books/{self.name}/{k}" for k in ("zip", "epub", "pdf")}}


class Shelf:
    def __init__(self, root: Path, profile: str) -> None:
        self.root = Path(root)
        self.profile = profile

    def _book(self, folder: Path) -> Book | None:
        if folder.is_symlink() or not folder.is_dir() or folder.name.startswith("."):
            return None
        try:
            manifest = read_record(BookPaths(folder).manifest, BookManifest)
        except (RecordError, StorygenError):
            return None  # not (or no longer) a finished book
        if manifest.prompt.profile != self.profile:
            return None
        p = manifest.prompt
        return Book(name=folder.name, path=folder, title=manifest.title,
                    picks={"theme": p.theme, "hero": p.hero, "color": p.color, "adjective": p.adjective},
                    made=BookPaths(folder).manifest.stat().st_mtime)

    def books(self) -> list[Book]:
        """The profile's books in this folder, newest first."""
        base = self.root.resolve() if self.root.exists() else None
        if base is None:
            return []
        found = []
        for listed in consent.books_of(self.profile):
            folder = Path(listed)
            if folder.parent != base:
                continue
            book = self._book(folder)
            if book is not None:
                found.append(book)
        return sorted(found, key=lambda b: (-b.made, b.name))

    def find(self, name: str) -> Book:
        """A shelf book by folder name; Refused(404) for anything that is not one."""
        safe_segments([name])
        for book in self.books():
            if book.name == name:
                return book
        raise Refused(404, f"No book {name!r} on this shelf")

    def delete(self, name: str) -> Book:
        book = self.find(name)
        where = book.path.resolve()
        shutil.rmtree(where)
        consent.forget_book(where, self.profile)
        return book

    # -------------------------------------------------------------- downloads

    def zip_file(self, name: str):
        """An open temp file (outside the books folder) holding the book folder as a zip."""
        book = self.find(name)
        tmp = tempfile.TemporaryFile()
        with zipfile.ZipFile(tmp, "w") as z:
            for dirpath, dirnames, filenames in os.walk(book.path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and not os.path.islink(os.path.join(dirpath, d)))
                for fn in sorted(filenames):
                    full = Path(dirpath) / fn
                    if fn.startswith(".") or full.is_symlink():
                        continue  # temp files of a write in progress; links could point anywhere
                    arc = f"{book.name}/{full.relative_to(book.path).as_posix()}"
                    kind = zipfile.ZIP_STORED if fn.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
                    z.write(full, arc, compress_type=kind)
        tmp.seek(0)
        return tmp

    def _export(self, name: str, filename: str, write) -> Path:
        book = self.find(name)
        target = book.path / filename
        story_json = BookPaths(book.path).story
        if target.is_file() and not target.is_symlink() and target.stat().st_mtime >= story_json.stat().st_mtime:
            return target  # exported before and the story has not changed since
        story = read_record(story_json, Story)
        return write(story, book.path, load_options().hex(story.prompt.color))

    def epub(self, name: str) -> Path:
        """book.epub, made by the same code as `storygen book BOOK --epub`."""
        from ..epub import write_epub

        return self._export(name, EPUB, write_epub)

    def pdf(self, name: str) -> Path:
        """book.pdf, made by the same code as `storygen book BOOK --pdf`."""
        from ..book import write_pdf

        return self._export(name, PDF, write_pdf)
