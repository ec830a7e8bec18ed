"""`storygen library validate`: check the curated object and background libraries end to end.

Beyond the schema checks done on every load (assets.validate, backgrounds.library.validate, the
stand-ins) it checks what the pipeline relies on: enough objects, every hero drawable and
recolourable, every theme with its own objects, the attribution file, the noun classes of the
coverage measure (library_coverage.py), and (with render=True) that every SVG rasterises to
something visible and every background variant paints by day and by night.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from ..errors import ConfigError
from ..options import load_options
from ..object_library import MANIFEST, THEMES, load_library, rasterize
from .backgrounds.library import MANIFEST as BG_MANIFEST
from .backgrounds.library import load_backgrounds

MIN_OBJECTS = 150
MIN_PER_THEME = 12


def validate_libraries(objects: Optional[str | Path] = None, backgrounds: Optional[str | Path] = None,
                       render: bool = True) -> dict[str, Any]:
    """A summary of both libraries; raises ConfigError naming the first problem found."""
    obj_path = Path(objects or MANIFEST)
    lib = load_library(obj_path)
    where = str(obj_path)
    if len(lib.objects) < MIN_OBJECTS:
        raise ConfigError(f"{where}: {len(lib.objects)} objects; the library needs at least "
                          f"{MIN_OBJECTS} (add them in scripts/build_library.py)")
    for theme, opts in load_options().themes.items():
        for hero in opts.heroes:
            oid = lib.lookup(hero)
            if oid is None:
                raise ConfigError(f"{where}: hero {hero!r} of theme {theme!r} has no object")
            obj = lib.get(oid)
            if not obj.recolorable or obj.category not in ("character", "animal"):
                raise ConfigError(f"{where}: hero object {oid!r} must be a recolorable "
                                  "character or animal (the chosen colour is painted on it)")
    per_theme = {t: sum(1 for o in lib.objects.values() if t in o.themes) for t in THEMES}
    thin = [f"{t} ({n})" for t, n in per_theme.items() if n < MIN_PER_THEME]
    if thin:
        raise ConfigError(f"{where}: themes with fewer than {MIN_PER_THEME} objects: {', '.join(thin)}")
    if not (obj_path.parent / "ATTRIBUTION.md").is_file():
        raise ConfigError(f"{obj_path.parent / 'ATTRIBUTION.md'} is missing; rerun "
                          "python scripts/build_library.py")
    from .library_coverage import load_noun_classes  # late: it imports the NLP helpers

    classes = load_noun_classes(library=lib)
    bg_path = Path(backgrounds or BG_MANIFEST)
    bgs = load_backgrounds(bg_path)
    rasterised = painted = 0
    if render:
        for oid in lib.objects:
            img = rasterize(str(lib.svg_path(oid)), 48, 48)
            if img.getchannel("A").getbbox() is None:
                raise ConfigError(f"{where}: object {oid!r} rasterises to an empty image")
            rasterised += 1
        painted = _paint_all(bgs, str(bg_path))
    return {
        "objects": len(lib.objects), "objects_per_theme": per_theme,
        "standins": len(lib.standins), "noun_classes": len(classes.by_word),
        "backgrounds": {t: [v.name for v in tb.variants] for t, tb in bgs.themes.items()},
        "variants": sum(len(tb.variants) for tb in bgs.themes.values()),
        "rasterised": rasterised, "painted": painted,
    }


def _paint_all(bgs, where: str) -> int:
    """Paint every variant small, by day and by night (the light transform and late layers)."""
    from .backgrounds.draw import background

    count = 0
    for theme, tb in bgs.themes.items():
        for v in tb.variants:
            for cues in ((), ("night",)):
                try:
                    background(theme, v.name, 128, 96, 0, "#E53935", frozenset(), cues)
                except Exception as exc:  # a painter bug: name the variant, keep the cause
                    raise ConfigError(f"{where}: variant {theme}/{v.name} does not paint "
                                      f"({type(exc).__name__}: {exc})") from exc
                count += 1
    return count
