"""The picks as picture buttons: configs/options.yaml plus a drawing for each choice.

Heroes are drawn with their own object from library/objects (the scene stage's picture of
them). Themes and adjectives have no object of their own, so each gets a fitting one here.
No emoji: the machines this runs on often have no colour emoji font, and a box is no picture.
Only the SVG files named in this catalog can be fetched (`art_path`), nothing else of the library.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..options import load_options
from ..object_library import load_library

# A picture that says the theme to a child who cannot read the label yet.
THEME_ART = {"underwater": "tropical_fish", "space": "rocket", "jungle": "palm_tree",
             "farm": "tractor", "castle": "castle", "arctic": "igloo", "forest": "pine_tree",
             "garden": "sunflower"}
ADJECTIVE_ART = {"silly": "party_popper", "brave": "shield", "shy": "curtain",
                 "curious": "magnifying_glass", "kind": "gift", "clever": "light_bulb",
                 "sleepy": "pillow", "grumpy": "storm_cloud", "cheerful": "sun", "tiny": "ant",
                 "clumsy": "banana", "gentle": "dove"}


def _art(library, object_id: str | None) -> str | None:
    """URL of an object's drawing, or None when the library lacks it (the label still shows)."""
    if object_id is None or object_id not in library:
        return None
    return f"/art/{object_id}.svg" if library.svg_path(object_id).is_file() else None


@lru_cache(maxsize=1)
def catalog() -> dict:
    """Everything the page needs to draw the four steps, in the options file's order."""
    opts, library = load_options(), load_library()
    themes = []
    for name, theme in opts.themes.items():
        heroes = [{"name": h, "label": h.title(), "art": _art(library, library.lookup(h))}
                  for h in theme.heroes]
        themes.append({"name": name, "label": theme.label,
                       "art": _art(library, THEME_ART.get(name)), "heroes": heroes})
    colors = [{"name": n, "label": n.title(), "hex": hexcode} for n, hexcode in opts.colors.items()]
    adjectives = [{"name": a, "label": a.title(), "art": _art(library, ADJECTIVE_ART.get(a))}
                  for a in opts.adjectives]
    return {"themes": themes, "colors": colors, "adjectives": adjectives}


@lru_cache(maxsize=1)
def _art_files() -> dict[str, Path]:
    library = load_library()
    urls = set()
    cat = catalog()
    for theme in cat["themes"]:
        urls.add(theme["art"])
        urls.update(h["art"] for h in theme["heroes"])
    urls.update(a["art"] for a in cat["adjectives"])
    ids = {u[len("/art/"):-len(".svg")] for u in urls if u}
    return {i: library.svg_path(i) for i in ids}


def art_path(object_id: str) -> Path | None:
    """The SVG file of a drawing the catalog uses; None for anything else."""
    return _art_files().get(object_id)
