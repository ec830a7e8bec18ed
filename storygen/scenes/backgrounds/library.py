"""The background library (library/backgrounds/manifest.yaml): its records, validated variants
per theme, and loading.

A variant names its procedural layers (drawn by draw.py with the painters/ registry, bottom to
top), a day-colour palette, its light (day/dusk/night), whether it is inside or outside, the
cue words that select it (choose.py) and the geometry the layout needs (horizon = where the
ground starts, surface = the sea surface line).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Optional

from ...config import LIBRARY_DIR, load_config
from ...errors import ConfigError, StorygenError
from ...records import Record
from ...object_library import THEMES
from .painters import ACCENT_LAYERS, LAYERS

MANIFEST = LIBRARY_DIR / "backgrounds" / "manifest.yaml"
LIGHTS = ("day", "dusk", "night")
SETTINGS = ("outside", "inside")
WEATHER = ("rain", "snow", "storm", "fog", "drought")
MIN_VARIANTS = 3
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Palette(Record):
    """Day colours; night and dusk are made from them by the light transform."""

    sky_top: str  # sky, water, or (inside) the top of the wall
    sky_bottom: str
    ground: str  # ground, sea floor or floor
    far: str  # far scenery (hills, rocks, walls)
    near: str  # near scenery (plants, props)


@dataclass(frozen=True)
class BackgroundVariant(Record):
    name: str
    setting: str  # outside | inside
    light: str  # day | dusk | night, before any cue changes it
    cues: tuple[str, ...]  # words or phrases that select this variant
    palette: Palette
    layers: tuple[str, ...]  # painter names in painters.LAYERS, bottom to top
    horizon: float = 0.64  # fraction of the height where the ground/floor starts
    surface: Optional[float] = None  # underwater: the sea surface line
    weather: tuple[str, ...] = ()  # weather this variant can show (rain, snow, storm, fog, drought)
    # things it paints that a text names without going anywhere ("on the wall" of a room):
    # never drawn again as objects there, and no cue (they move no scene)
    shows: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeBackgrounds(Record):
    default: str
    variants: tuple[BackgroundVariant, ...]


@dataclass(frozen=True)
class BackgroundLibrary(Record):
    kind: ClassVar[str] = "background_library"
    themes: dict[str, ThemeBackgrounds]

    def variant(self, theme: str, name: str) -> BackgroundVariant:
        if theme not in self.themes:
            raise StorygenError(f"Unknown theme {theme!r} for a background; choose one of: "
                                f"{', '.join(self.themes)}")
        for v in self.themes[theme].variants:
            if v.name == name:
                return v
        names = ", ".join(v.name for v in self.themes[theme].variants)
        raise StorygenError(f"Unknown background variant {name!r} for theme {theme!r}; "
                            f"choose one of: {names}")


def validate(lib: BackgroundLibrary, where: str, layer_names: set[str] | None = None,
             accent_layers: set[str] | None = None) -> None:
    """What the dataclass types cannot say: enums, counts, colours, known layers, accents."""
    layer_names = set(LAYERS) if layer_names is None else layer_names
    accent_layers = set(ACCENT_LAYERS) if accent_layers is None else accent_layers
    missing = [t for t in THEMES if t not in lib.themes]
    if missing:
        raise ConfigError(f"{where}: no backgrounds for theme(s) {', '.join(missing)}")
    for theme, tb in lib.themes.items():
        at = f"{where}: theme {theme!r}"
        if theme not in THEMES:
            raise ConfigError(f"{at}: unknown theme; choose one of: {', '.join(THEMES)}")
        if len(tb.variants) < MIN_VARIANTS:
            raise ConfigError(f"{at}: needs at least {MIN_VARIANTS} variants, has {len(tb.variants)}")
        names = [v.name for v in tb.variants]
        if len(set(names)) != len(names):
            raise ConfigError(f"{at}: duplicate variant name")
        if tb.default not in names:
            raise ConfigError(f"{at}: default {tb.default!r} is not one of its variants")
        for v in tb.variants:
            _check_variant(v, f"{at} variant {v.name!r}", layer_names, accent_layers)


def _check_variant(v: BackgroundVariant, at: str, layer_names: set[str],
                   accent_layers: set[str]) -> None:
    if not _NAME.match(v.name):
        raise ConfigError(f"{at}: name must be lowercase letters, digits and hyphens")
    for field, value, allowed in (("setting", v.setting, SETTINGS), ("light", v.light, LIGHTS)):
        if value not in allowed:
            raise ConfigError(f"{at}: {field} {value!r} is not one of {', '.join(allowed)}")
    bad = sorted(set(v.weather) - set(WEATHER))
    if bad:
        raise ConfigError(f"{at}: unknown weather {', '.join(bad)}; use {', '.join(WEATHER)}")
    unknown = [name for name in v.layers if name not in layer_names]
    if unknown:
        raise ConfigError(f"{at}: unknown layer(s) {', '.join(unknown)}; "
                          "add a painter in storygen/scenes/backgrounds/painters/ or fix the name")
    if not set(v.layers) & accent_layers:
        raise ConfigError(f"{at}: needs an accent layer (one of {', '.join(sorted(accent_layers))})"
                          " so the chosen colour shows in every scene")
    for key, value in v.palette.to_dict().items():
        if not _HEX.match(value):
            raise ConfigError(f"{at}: palette {key} {value!r} is not a #RRGGBB hex")
    if not 0.3 <= v.horizon <= 0.9:
        raise ConfigError(f"{at}: horizon {v.horizon} must be in 0.3..0.9")
    if v.surface is not None and not 0.0 < v.surface < v.horizon - 0.2:
        raise ConfigError(f"{at}: surface {v.surface} must be above the horizon by 0.2 or more")
    if any(c != c.lower().strip() or not c for c in v.cues):
        raise ConfigError(f"{at}: cues must be lowercase words")
    if any(c != c.lower().strip() or not c or c in v.cues for c in v.shows):
        raise ConfigError(f"{at}: shows must be lowercase words that are not its cues")


def load_backgrounds(path: str | Path | None = None) -> BackgroundLibrary:
    """Load and validate a background manifest (default: the shipped one)."""
    return _load(str(Path(path or MANIFEST).resolve()))


@lru_cache(maxsize=4)
def _load(path: str) -> BackgroundLibrary:
    lib = load_config(path, BackgroundLibrary)
    validate(lib, path)
    return lib
