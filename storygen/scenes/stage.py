"""The `scene` stage: story.json -> scenes/NN/graph.json, layout.json, scene.png (+ scene.gif),
and layers/ (background.png + one PNG per object, for a viewer that animates them with CSS).

Each step reads the previous step's file, so `only="layout"` re-lays out from an existing
graph.json and `only="render"` re-renders an existing layout.json (e.g. after hand-editing it).
Scene numbers are 1-based, as in the folder names (scenes/01 .. scenes/05).
Place, light and weather are read for the whole book at once (setting/book.py: they carry from scene
to scene), so laying out scene 4 alone still knows it is night in the barn.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from ..backends import SCENE_BACKENDS
from ..book_paths import BookPaths
from ..config import Settings
from ..errors import OptionError, RecordError, StorygenError
from ..io import read_record, write_bytes, write_record
from ..nlp import build_graphs
from ..options import load_options
from ..records import SceneGraph, SceneLayout, Story
from .animate import render_gif
from ..object_library import load_library
from .layout.attire import book_outfits
from .layout.select import drawn_names
from .render import render_layers, render_png
from .setting.book import SceneSetting, read_book
from .setting.places import SceneText

STEPS = ("graph", "layout", "render")


def run_scenes(story: Story, book_dir: Path, settings: Settings, only: Optional[str] = None,
               indices: Optional[Iterable[int]] = None) -> list[Path]:
    """Run graph -> layout -> render for the chosen scenes; returns the files written.

    only: None (all steps) or one of "graph", "layout", "render".
    indices: 1-based scene numbers (default: every scene of the story)."""
    if only is not None and only not in STEPS:
        raise StorygenError(f"Unknown scene step {only!r}; choose one of: {', '.join(STEPS)}")
    numbers = _numbers(story, indices)
    accent = _accent(story)
    layout_fn = SCENE_BACKENDS.create(settings.backends.scene)
    written: list[Path] = []
    # Graphs are built for the whole story at once: coreference needs the earlier scenes.
    graphs = (build_graphs(story.scenes, story.prompt, settings.backends.nlp)
              if only in (None, "graph") else None)
    places = book_settings(story, book_dir, graphs) if only in (None, "layout") else []
    outfits = book_outfits(_graphs(story, book_dir, graphs), load_library()) \
        if only in (None, "layout") else []
    paths = BookPaths(book_dir)
    for n in numbers:
        folder = paths.scene_dir(n)
        graph_path, layout_path = paths.graph(n), paths.layout(n)
        if only in (None, "graph"):
            graph = graphs[n - 1]
            written.append(write_record(graph_path, graph))
        if only in (None, "layout"):
            if only == "layout":
                graph = read_record(graph_path, SceneGraph)
                if graph.text != story.scenes[n - 1]:  # an edited or stale graph is not drawn
                    raise RecordError(f"{graph_path} does not belong to scene {n} of this story;"
                                      f" run `storygen scene {book_dir} --only graph` to make it again")
            layout = layout_fn(graph, story.prompt, accent, settings.image.width,
                               settings.image.height, story.scene_seed(n), setting=places[n - 1],
                               outfit=outfits[n - 1])
            written.append(write_record(layout_path, layout))
        if only in (None, "render"):
            layout = read_record(layout_path, SceneLayout) if only == "render" else layout
            written.append(write_bytes(paths.picture(n), render_png(layout)))
            written += _write_layers(folder / "layers", layout)
            if settings.animate:
                gif = render_gif(layout, frames=settings.image.gif_frames,
                                 frame_ms=settings.image.gif_frame_ms)
                written.append(write_bytes(paths.animation(n), gif))
    return written


def book_settings(story: Story, book_dir: Path, graphs: Optional[list[SceneGraph]] = None
                  ) -> list[SceneSetting]:
    """Every scene's place, light and weather, read in order; from the graphs (coreference-
    resolved text, drawn things) where there are any, else from the story's text."""
    lib = load_library()
    texts = []
    for n, text in enumerate(story.scenes, 1):
        path = BookPaths(book_dir).graph(n)
        graph = graphs[n - 1] if graphs else (read_record(path, SceneGraph) if path.is_file() else None)
        texts.append(SceneText(graph.resolved_text or graph.text, drawn_names(graph, lib))
                     if graph is not None else SceneText(text))
    return read_book(story.prompt.theme, texts)


def _graphs(story: Story, book_dir: Path, graphs: Optional[list[SceneGraph]]) -> list[SceneGraph]:
    """The story's graphs: given, else read from the book (a scene without one is empty)."""
    if graphs:
        return graphs
    out = []
    for n in range(1, len(story.scenes) + 1):
        path = BookPaths(book_dir).graph(n)
        out.append(read_record(path, SceneGraph) if path.is_file() else SceneGraph(
            index=n, text="", resolved_text="", entities=(), relations=(), actions=(), cues=(),
            theme=story.prompt.theme, backend="none"))
    return out


def _write_layers(folder: Path, layout: SceneLayout) -> list[Path]:
    """layers/background.png + obj-ZZ-<object>.png; stale object files of an older layout go."""
    files = render_layers(layout)
    if folder.is_dir():
        for old in folder.glob("obj-*.png"):
            if old.name not in files:
                old.unlink()
    return [write_bytes(folder / name, data) for name, data in files.items()]


def _numbers(story: Story, indices: Optional[Iterable[int]]) -> list[int]:
    count = len(story.scenes)
    if indices is None:
        return list(range(1, count + 1))
    numbers = sorted(set(int(i) for i in indices))
    bad = [i for i in numbers if not 1 <= i <= count]
    if bad:
        raise StorygenError(f"Scene number(s) {', '.join(map(str, bad))} out of range; "
                            f"this story has scenes 1..{count}")
    return numbers


def _accent(story: Story) -> str:
    colors = load_options().colors
    if story.prompt.color not in colors:
        raise OptionError(f"Unknown color {story.prompt.color!r} in story.json; choose one of: "
                          f"{', '.join(colors)}")
    return colors[story.prompt.color]
