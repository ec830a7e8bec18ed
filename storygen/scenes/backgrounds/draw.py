"""Draw a background: a variant from library/backgrounds/manifest.yaml painted layer by layer.

Order: the base gradient (sky, water or wall; night/dusk/overcast skies replace the day one
outdoors), the variant's scenery layers, the light transform (night darkens, dusk warms, a
storm dims), then the layers that must stay bright: night sky, glows and the accents in the
chosen colour, and fog; the painters themselves are in painters/. Rain and snow are animated,
so render.py draws them per frame. A drought dries the palette toward dust, turns water to mud
and cracks the ground; snow whitens the land it falls on.

Pure function of (theme, variant, size, seed, accent, skip, cues, light, weather): same inputs
-> same pixels. light/weather None (a layout from before issue 22): both come from the cues.
"""
from __future__ import annotations

import random
from functools import lru_cache

import numpy as np
from PIL import Image

from .choose import scene_light, scene_weather
from .library import load_backgrounds
from .paint import SS, Ctx, Pen, hex_rgb, mix, parched
from .painters import ACCENT_LAYERS, LAYERS

REF_WIDTH = 1024
NIGHT_SKY = ((14, 22, 60), (52, 66, 122))
DUSK_SKY = ((92, 60, 150), (255, 171, 130))
OVERCAST_SKY = ((130, 148, 160), (205, 212, 218))
NIGHT = {"underwater": (0.40, 0.45, 0.70), "space": (0.70, 0.70, 0.85)}
NIGHT_LAND = (0.55, 0.60, 0.85)  # mild, so snow and hills still read against the dark sky
NIGHT_INSIDE = (0.72, 0.72, 0.85)
DUSK = (1.0, 0.86, 0.80)
STORM = (0.78, 0.80, 0.86)
GLOW_LAYERS = {"plankton", "aurora", "fireflies"}  # light sources: drawn after the darkening


def _gradient(top, bottom, W, H) -> np.ndarray:
    t = np.linspace(0.0, 1.0, H, dtype=np.float32)[:, None, None]
    col = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    return np.broadcast_to(col, (H, W, 3)).astype(np.uint8)


def _multiply(img: Image.Image, factor) -> Image.Image:
    arr = np.asarray(img).astype(np.float32) * np.array(factor, np.float32)
    return Image.fromarray(arr.astype(np.uint8), "RGB")


def _fog(img: Image.Image, W: int, H: int, horizon: float) -> None:
    pen = Pen(img)
    for k in range(5):
        y = horizon - 0.12 * H + k * 0.07 * H
        pen.rect(0, y, W, y + 0.09 * H, (236, 239, 241, 60))


@lru_cache(maxsize=8)
def background(theme: str, variant: str, width: int, height: int, seed: int, accent: str,
               skip: frozenset = frozenset(), cues: tuple = (), light: str | None = None,
               weather: tuple | None = None) -> Image.Image:
    """The static scene behind the objects (cached: callers must copy before drawing).

    Painted at a reference width of REF_WIDTH (the painters' pixel sizes assume it) and
    resampled when the asked size differs, so small test renders look like big ones."""
    spec = load_backgrounds().variant(theme, variant)
    light = light or scene_light(spec, cues)
    weather = scene_weather(spec, cues) if weather is None else tuple(weather)
    dry = "drought" in weather
    overcast = bool(set(weather) - {"drought"}) and spec.setting == "outside"
    W, H = REF_WIDTH, max(1, round(REF_WIDTH * height / width))
    rng = random.Random(f"{seed}:{theme}:{variant}")  # the same world in every scene of a seed
    pal = {k: hex_rgb(v) for k, v in spec.palette.to_dict().items()}
    if dry:  # grass to straw, far green to olive, a pale hot sky
        pal.update(ground=parched(pal["ground"], 0.75), near=parched(pal["near"], 0.6),
                   far=parched(pal["far"], 0.35), sky_bottom=mix(pal["sky_bottom"], (255, 236, 200), 0.6))
    if "snow" in weather and spec.setting == "outside" and theme not in ("underwater", "space"):
        # snow lies on the ground it falls on: a winter wood, not a green summer one
        white = (246, 250, 255)
        pal.update(ground=mix(pal["ground"], white, 0.8), near=mix(pal["near"], white, 0.55),
                   far=mix(pal["far"], white, 0.35))
    ctx = Ctx(W=W, H=H, rng=rng, accent=hex_rgb(accent), sky_top=pal["sky_top"],
              sky_bottom=pal["sky_bottom"], ground=pal["ground"], far=pal["far"], near=pal["near"],
              light=light, hy=spec.horizon * H, sy=None if spec.surface is None else spec.surface * H,
              skip=skip, overcast=overcast, dry=dry)
    top, bottom = pal["sky_top"], pal["sky_bottom"]
    has_sky = "celestial" in spec.layers
    if has_sky:
        top, bottom = (NIGHT_SKY if light == "night" else DUSK_SKY if light == "dusk"
                       else OVERCAST_SKY if overcast else (top, bottom))
    img = Image.fromarray(_gradient(top, bottom, W * SS, H * SS), "RGB")
    late = {name for name in spec.layers if name in ACCENT_LAYERS or name in GLOW_LAYERS
            or (name == "celestial" and light == "night")}
    pen = Pen(img)
    for name in spec.layers:
        if name not in late:
            LAYERS[name](pen, ctx)
    if dry and spec.setting == "outside":
        LAYERS["cracks"](pen, ctx)
    img = _relight(img, theme, spec.setting, light, "storm" in weather)
    pen = Pen(img)
    for name in spec.layers:
        if name in late:
            LAYERS[name](pen, ctx)
    if light == "night" and theme == "underwater" and "plankton" not in spec.layers:
        LAYERS["plankton"](pen, ctx)  # a relit day reef glows at night too
    if "fog" in weather:
        _fog(img, W, H, ctx.hy)
    if (width, height) == (W, H):
        return img.reduce(SS)
    return img.resize((width, height), Image.Resampling.BOX)


def _relight(img: Image.Image, theme: str, setting: str, light: str, storm: bool) -> Image.Image:
    if light == "night":
        factor = NIGHT_INSIDE if setting == "inside" else NIGHT.get(theme, NIGHT_LAND)
        img = _multiply(img, factor)
    elif light == "dusk":
        img = _multiply(img, DUSK)
    if storm:
        img = _multiply(img, STORM)
    return img
