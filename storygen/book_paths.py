"""Where each file of a book folder lives: the folder layout in README's "A book folder", in one place.

Every stage reads and writes its files through BookPaths, so the layout is changed (or read) here
and nowhere else. Scene numbers are 1-based, as in the names: scene 1 is scenes/01/ and
audio/01-*. `audio_name` is the relative form the records store (a record must not hold the
absolute path of the machine that made it).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROMPT, PLAN, CANDIDATES = "prompt.json", "plan.json", "candidates.json"
STORY, MANIFEST = "story.json", "manifest.json"
HTML, PDF, EPUB = "book.html", "book.pdf", "book.epub"
SCENES_DIR, AUDIO_DIR = "scenes", "audio"
PICTURE = "scene.png"


def scene_folder_name(number: int) -> str:
    return f"{number:02d}"


def scene_rel(number: int) -> str:
    """scenes/NN, relative to the book folder (as the book's pages link to it)."""
    return f"{SCENES_DIR}/{scene_folder_name(number)}"


def audio_name(number: int, kind: str) -> str:
    """audio/NN-<kind>, relative to the book folder: kind is e.g. "narration.wav", "music.mid"."""
    return f"{AUDIO_DIR}/{number:02d}-{kind}"


@dataclass(frozen=True)
class BookPaths:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def prompt(self) -> Path:
        return self.root / PROMPT

    @property
    def plan(self) -> Path:
        return self.root / PLAN

    @property
    def candidates(self) -> Path:
        return self.root / CANDIDATES

    @property
    def story(self) -> Path:
        return self.root / STORY

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    @property
    def html(self) -> Path:
        return self.root / HTML

    @property
    def pdf(self) -> Path:
        return self.root / PDF

    @property
    def epub(self) -> Path:
        return self.root / EPUB

    def scene_dir(self, number: int) -> Path:
        return self.root / SCENES_DIR / scene_folder_name(number)

    def graph(self, number: int) -> Path:
        return self.scene_dir(number) / "graph.json"

    def layout(self, number: int) -> Path:
        return self.scene_dir(number) / "layout.json"

    def picture(self, number: int) -> Path:
        return self.scene_dir(number) / PICTURE

    def animation(self, number: int) -> Path:
        return self.scene_dir(number) / "scene.gif"

    def audio(self, number: int, kind: str) -> Path:
        """audio/NN-<kind>: narration.wav/.json, music.mid/.wav/.json, arrangement.json, sfx.json/.wav, mix.wav."""
        return self.root / audio_name(number, kind)
