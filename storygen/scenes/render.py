"""Render a SceneLayout to pixels: the procedural background variant, objects in z order with
soft shadows, the hero recoloured (hue shift of its fill) in the chosen colour standing in a glow
of it, accents of that colour in the scenery and the frame, and the weather overlays.

Everything is a pure function of the layout (its seed drives the scenery), so the PNG bytes are
reproducible. The static part (background, shadows, glow) is drawn once per layout; animate.py
reuses it for every frame and only re-pastes the posed sprites and the moving weather.
"""
from __future__ import annotations

import io
import math
import random
import re
from dataclasses import replace
from functools import lru_cache
from typing import Callable, Optional

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from ..errors import StorygenError
from ..records import PlacedObject, SceneLayout
from ..object_library import LibraryObject, load_library
from .backgrounds.choose import drawn_light, drawn_weather
from .backgrounds.draw import background
from .backgrounds.library import load_backgrounds
from .backgrounds.paint import hex_rgb
from .posing import apply, owner_turns, sleep_marks

Pose = Callable[[Image.Image, PlacedObject], tuple[Image.Image, int, int]]
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


# ------------------------------------------------------------------ recolouring

def _hsv(rgb: np.ndarray) -> np.ndarray:
    return np.asarray(Image.fromarray(rgb, "RGB").convert("HSV")).astype(np.float32) / 255.0


def recolor(img: Image.Image, hexcode: str, obj: LibraryObject) -> Image.Image:
    """Hue-shift the object's main colour to `hexcode`, keeping its shading and alpha.

    The shifted pixels are the object's dominant saturated hue band (or `recolor_hues` from the
    manifest, so people keep their skin); mostly grey/white objects (sheep, astronaut suit)
    get their light greys tinted instead. Every shifted pixel keeps its offset from the band's
    mean hue/saturation/value, so highlights and shadows survive."""
    arr = np.array(img)
    rgb, alpha = arr[..., :3], arr[..., 3].astype(np.float32) / 255.0
    h, s, v = np.moveaxis(_hsv(np.ascontiguousarray(rgb)), -1, 0)
    th, ts, tv = _hsv(np.array([[hex_rgb(hexcode)]], np.uint8))[0, 0]
    opaque = alpha > 0.5
    saturated = opaque & (s > 0.25) & (v > 0.2)
    coverage = saturated.sum() / max(1, opaque.sum())
    if obj.recolor_greys or (obj.recolor_hues is None and coverage < 0.4):
        weight = ((alpha > 0) & (s < 0.25) & (v > 0.3)).astype(np.float32)
        nh = np.full_like(h, th)
        ns = ts * 0.9 * (1 - 0.5 * np.clip((v - 0.8) / 0.2, 0, 1))  # highlights stay pale
        nv = v
    else:
        lo, hi = (np.array(obj.recolor_hues) / 360.0 if obj.recolor_hues is not None
                  else _dominant_band(h[saturated], (s * alpha)[saturated]))
        centre, half = (lo + hi) / 2, (hi - lo) / 2
        dist = np.abs(((h - centre + 0.5) % 1.0) - 0.5)
        weight = np.clip(1 - (dist - half) * 36, 0, 1) * np.clip((s - 0.15) * 10, 0, 1)
        core = weight > 0.5
        if not core.any():
            return img
        ang = h[core] * 2 * np.pi
        ref_h = (math.atan2(np.sin(ang).mean(), np.cos(ang).mean()) / (2 * np.pi)) % 1.0
        ref_s, ref_v = max(float(s[core].mean()), 1e-3), max(float(v[core].mean()), 1e-3)
        nh = (h + (th - ref_h)) % 1.0
        ns = np.clip(s * ts / ref_s, 0, 1)
        nv = np.clip(v * (tv / ref_v) ** 0.6, 0, 1)
    hsv = (np.clip(np.stack([nh, ns, nv], -1), 0, 1) * 255 + 0.5).astype(np.uint8)
    shifted = np.asarray(Image.fromarray(hsv, "HSV").convert("RGB")).astype(np.float32)
    w3 = weight[..., None]
    arr[..., :3] = np.clip(rgb * (1 - w3) + shifted * w3 + 0.5, 0, 255).astype(np.uint8)
    return Image.fromarray(arr, "RGBA")


def _dominant_band(hues: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    hist, _ = np.histogram(hues, bins=36, range=(0, 1), weights=weights)
    peak = (int(np.argmax(hist)) + 0.5) / 36
    return peak - 30 / 360, peak + 30 / 360


# ------------------------------------------------------------------ objects and composition

SCENERY_OBJECTS = ("sun", "moon", "castle")  # the background leaves these out when drawn
NIGHT_DIM = (0.72, 0.78, 0.95)  # side objects take on the night light; the hero stays vivid


@lru_cache(maxsize=128)
def sprite(object_id: str, w: int, h: int, flip: bool, tint: Optional[str],
           night: bool = False, worn: bool = False) -> Image.Image:
    """Rasterised (flipped, recoloured, night-dimmed) object. Cached and shared: do not modify.
    A tint recolours any thing that is no creature (a scarf, an umbrella in the colour the
    text names); creatures only when `recolorable` (the flag guards skin and faces). `worn` is
    kept for the layer files' cache key only."""
    lib = load_library()
    img = lib.raster(object_id, w, h)
    obj = lib.get(object_id)
    if tint and (obj.recolorable or worn or obj.category not in ("animal", "character")):
        img = recolor(img, tint, obj)
    if night and not tint:
        arr = np.array(img)
        arr[..., :3] = (arr[..., :3] * np.array(NIGHT_DIM, np.float32)).astype(np.uint8)
        img = Image.fromarray(arr, "RGBA")
    return ImageOps.mirror(img) if flip else img


def _soft_ellipse(base: Image.Image, cx: float, cy: float, rx: float, ry: float, rgba) -> None:
    """A blurred ellipse (shadow or glow) composited onto base; only a small patch is blurred."""
    pad = int(ry + 8)
    wpx, hpx = int(2 * rx + 2 * pad), int(2 * ry + 2 * pad)
    if wpx < 2 or hpx < 2:
        return
    patch = Image.new("RGBA", (wpx, hpx), (*rgba[:3], 0))
    ImageDraw.Draw(patch).ellipse([pad, pad, wpx - pad, hpx - pad], fill=rgba)
    patch = patch.filter(ImageFilter.GaussianBlur(max(2, ry / 2)))
    paste(base, patch, int(cx - wpx / 2), int(cy - hpx / 2))


def paste(base: Image.Image, img: Image.Image, x: int, y: int) -> None:
    """Alpha-composite img at (x, y), clipped to the frame (alpha_composite itself won't clip)."""
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + img.width, base.width), min(y + img.height, base.height)
    if x1 <= x0 or y1 <= y0:
        return
    if (x0, y0, x1, y1) != (x, y, x + img.width, y + img.height):
        img = img.crop((x0 - x, y0 - y, x1 - x, y1 - y))
    base.alpha_composite(img, (x0, y0))


def weather(base: Image.Image, kinds, seed: int, t: float = 0.0) -> None:
    """Rain streaks / snow flakes; `t` (0..1) moves them for animation (one whole frame height
    per loop, so the last frame flows into the first)."""
    W, H = base.size
    k = W / 1024
    rng = random.Random(f"{seed}:weather")
    draw = ImageDraw.Draw(base, "RGBA")
    if "rain" in kinds or "storm" in kinds:
        for _ in range(220 if "storm" in kinds else 150):
            x, y = rng.uniform(0, W), (rng.uniform(0, H) + t * H) % H
            draw.line([(x, y), (x - 6 * k, y + 22 * k)], fill=(220, 235, 255, 150),
                      width=max(1, round(2 * k)))
    if "snow" in kinds:
        for _ in range(120):
            x = rng.uniform(0, W) + 8 * k * math.sin(2 * math.pi * (t + rng.random()))
            y, r = (rng.uniform(0, H) + t * H) % H, rng.uniform(2, 5) * k
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255, 220))


def _frame(base: Image.Image, accent) -> None:
    """Accent: a border in the chosen colour (12 px at 1024 wide)."""
    W, H = base.size
    k = W / 1024
    bw, r = max(3, round(12 * k)), max(6, round(24 * k))
    draw = ImageDraw.Draw(base)
    draw.rounded_rectangle([0, 0, W - 1, H - 1], radius=r, outline=accent, width=bw)
    draw.rounded_rectangle([bw, bw, W - 1 - bw, H - 1 - bw], radius=max(4, r - bw),
                           outline=(255, 255, 255), width=max(1, round(2 * k)))


def check_layout(layout: SceneLayout) -> None:
    """Refuse a (hand-edited) layout.json that cannot be drawn, saying what to fix."""
    where = f"layout of scene {layout.index}"
    bgs = load_backgrounds()
    if layout.background.theme not in bgs.themes:
        raise StorygenError(f"{where}: unknown theme {layout.background.theme!r}; "
                            f"choose one of: {', '.join(bgs.themes)}")
    bgs.variant(layout.background.theme, layout.background.variant)
    if not 16 <= layout.width <= 4096 or not 16 <= layout.height <= 4096:
        raise StorygenError(f"{where}: size {layout.width}x{layout.height} is out of 16..4096")
    for colour in (layout.accent, *(o.tint for o in layout.objects if o.tint)):
        if not _HEX.match(colour):
            raise StorygenError(f"{where}: colour {colour!r} is not a #RRGGBB hex")
    lib = load_library()
    for o in layout.objects:
        lib.get(o.object_id)
        if o.box.w < 1 or o.box.h < 1:
            raise StorygenError(f"{where}: object {o.entity!r} has an empty box; fix its w and h")


def scene_base(layout: SceneLayout) -> Image.Image:
    """The static part of the scene as RGBA: background, shadows, the hero's glow."""
    check_layout(layout)
    W, H = layout.width, layout.height
    spec = load_backgrounds().variant(layout.background.theme, layout.background.variant)
    cues = tuple(layout.background.cues)
    # scenery the objects replace: no second sun, moon or castle beside a drawn one
    skip = frozenset(o.object_id for o in layout.objects if o.object_id in SCENERY_OBJECTS)
    bg = background(layout.background.theme, layout.background.variant, W, H, layout.seed,
                    layout.accent, skip, cues, drawn_light(spec, layout.background),
                    drawn_weather(spec, layout.background))
    base = bg.convert("RGBA")
    accent = hex_rgb(layout.accent)
    lib = load_library()
    for obj in sorted(layout.objects, key=lambda o: o.z):
        b = obj.box
        grounded = b.y + b.h > spec.horizon * H
        if obj.worn_by:
            continue  # drawn on its wearer: no shadow or glow of its own
        # the glow marks the hero (tinted in the accent), not a thing in a colour the text names
        hero_glow = obj.tint == layout.accent and lib.get(obj.object_id).category in ("animal", "character")
        if hero_glow and grounded:  # the hero stands in a soft glow of the chosen colour ...
            _soft_ellipse(base, b.x + b.w / 2, b.y + b.h * 0.93, b.w * 0.36, b.h * 0.06, (*accent, 150))
        elif hero_glow:  # ... or, up in the air or the water, glows with it from behind
            _soft_ellipse(base, b.x + b.w / 2, b.y + b.h / 2, b.w * 0.42, b.h * 0.42, (*accent, 60))
        elif grounded:
            _soft_ellipse(base, b.x + b.w / 2, b.y + b.h * 0.93, b.w * 0.3, b.h * 0.04, (0, 0, 0, 60))
    return base


def is_night(layout: SceneLayout) -> bool:
    spec = load_backgrounds().variant(layout.background.theme, layout.background.variant)
    return drawn_light(spec, layout.background) == "night"


def compose(layout: SceneLayout, pose: Optional[Pose] = None, t: float = 0.0,
            base: Optional[Image.Image] = None) -> Image.Image:
    """The scene as an RGB image; `pose` (from animate.py) moves each object for one frame;
    `base` is scene_base(layout) when the caller already has it (animation frames)."""
    img = (base if base is not None else scene_base(layout)).copy()
    night = is_night(layout)
    lib = load_library()
    turns = owner_turns(layout, lib, t)
    for obj in sorted(layout.objects, key=lambda o: o.z):
        b = obj.box
        spr = sprite(obj.object_id, int(b.w), int(b.h), obj.flip, obj.tint, night, bool(obj.worn_by))
        x, y = int(b.x), int(b.y)
        if obj.entity in turns:  # asleep, rolling, diving ... (posing.py), with what it wears
            spr, x, y = apply(spr, x, y, turns[obj.entity])
        if pose is not None:
            spr, x, y = pose(spr, replace(obj, box=replace(b, x=x, y=y)))
        paste(img, spr, x, y)
    sleep_marks(img, layout, lib, night)
    spec = load_backgrounds().variant(layout.background.theme, layout.background.variant)
    weather(img, drawn_weather(spec, layout.background), layout.seed, t)
    _frame(img, hex_rgb(layout.accent))
    return img.convert("RGB")


def _png(img: Image.Image, level: int = 6) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=level)
    return buf.getvalue()


def render_png(layout: SceneLayout) -> bytes:
    """The still picture as PNG bytes (same layout -> same bytes)."""
    return _png(compose(layout))


def render_layers(layout: SceneLayout) -> dict[str, bytes]:
    """Separate PNGs for a viewer that animates objects itself (CSS): `background.png` (scenery,
    shadows, glow and the accent frame; no objects, no weather) and one `obj-ZZ-<object>.png`
    per placed object (ZZ = its z; already flipped, recoloured and night-dimmed), each exactly
    its layout box in size, to be placed at box.x, box.y in z order."""
    base = scene_base(layout)
    night = is_night(layout)
    sleep_marks(base, layout, load_library(), night)  # the viewer turns the sprites (book.py)
    _frame(base, hex_rgb(layout.accent))
    out = {"background.png": _png(base.convert("RGB"), 1)}
    for obj in sorted(layout.objects, key=lambda o: o.z):
        b = obj.box
        spr = sprite(obj.object_id, int(b.w), int(b.h), obj.flip, obj.tint, night, bool(obj.worn_by))
        out[layer_name(obj)] = _png(spr, 1)
    return out


def layer_name(obj: PlacedObject) -> str:
    return f"obj-{obj.z:02d}-{obj.object_id}.png"
