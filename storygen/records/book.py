"""The book's own records: the manifest of a made book, and the guardian consent that allows one.

BookManifest (the book's manifest.json) says what a book was made from and with: its prompt and
seed, the versions and backends used, each stage's time and the files written. ConsentRecord is
a profile's consent.json: a guardian's name and a time, never anything about the child.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Record
from .story import Prompt


@dataclass(frozen=True)
class BookManifest(Record):
    kind: ClassVar[str] = "book_manifest"
    prompt: Prompt
    seed: int
    title: str
    versions: dict[str, str]
    backends: dict[str, str]
    stage_seconds: dict[str, float]
    files: tuple[str, ...]


@dataclass(frozen=True)
class ConsentRecord(Record):
    """Holds a guardian's name and a time, never anything about the child."""

    kind: ClassVar[str] = "consent"
    profile: str
    guardian: str
    granted_at: str
