"""The background painters, one module per kind of place, and the complete layer table.

Each painter module names its layers in its own LayerSet (`layer`); this package joins them, so
`LAYERS` and `ACCENT_LAYERS` hold every painter the background manifest may name
(library.validate checks the names against them, draw.py calls them). A name painted by two
modules is an error here, when the package is first imported.
"""
from __future__ import annotations

from typing import Callable

from . import indoors, land_accents, land_far, land_near, land_places, land_water, sea, space

MODULES = (sea, space, indoors, land_far, land_near, land_water, land_places, land_accents)


def _join() -> tuple[dict[str, Callable], set[str]]:
    painters: dict[str, Callable] = {}
    accents: set[str] = set()
    for module in MODULES:
        twice = painters.keys() & module.layer.painters.keys()
        if twice:
            raise ValueError(f"background layer {sorted(twice)[0]!r} painted by two modules")
        painters.update(module.layer.painters)
        accents |= module.layer.accents
    return painters, accents


LAYERS, ACCENT_LAYERS = _join()

__all__ = ["ACCENT_LAYERS", "LAYERS"]
