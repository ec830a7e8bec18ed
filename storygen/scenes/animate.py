"""Algorithmic animation: a looping GIF from one SceneLayout.

Each object moves by its manifest animation kind (bob, sway, flap, swim, twinkle, hop) with the
amplitude/phase the layout gave it; motions are whole cycles over the loop, so the last frame
flows into the first. The background is drawn once (render.background is cached); each frame
re-composites the small sprites. Frames share one palette (no flicker, smaller file).
"""
from __future__ import annotations

import io
import math
from functools import partial

from PIL import Image

from ..records import PlacedObject, SceneLayout
from .render import compose

FLAP_CYCLES = 2  # wings beat twice per loop
HOP_CYCLES = 1  # |sin| has half the period: two hops per loop


def pose(img: Image.Image, obj: PlacedObject, t: float) -> tuple[Image.Image, int, int]:
    """The object's sprite and top-left position at loop time t (0..1)."""
    kind = obj.animation
    amp = float(obj.animation_params.get("amplitude", 0.0))
    phase = float(obj.animation_params.get("phase", 0.0))
    x, y = int(obj.box.x), int(obj.box.y)
    a = 2 * math.pi * (t + phase)
    if kind == "bob":
        return img, x, y + round(-amp * math.sin(a))
    if kind == "hop":
        lift = amp * abs(math.sin(a * HOP_CYCLES))
        return img, x, y - round(lift)
    if kind == "swim":
        return img, x + round(amp * math.sin(a)), y + round(0.3 * amp * math.sin(2 * a))
    if kind == "sway":
        return _rotate_about_base(img, amp * math.sin(a), x, y)
    if kind == "flap":
        return _squash(img, 1.0 - amp * abs(math.sin(a * FLAP_CYCLES)), 1.0, x, y)
    if kind == "twinkle":
        k = 1.0 + amp * math.sin(a)
        return _squash(img, k, k, x, y)
    return img, x, y


def _squash(img: Image.Image, sx: float, sy: float, x: int, y: int):
    """Scale about the sprite's centre."""
    w, h = max(1, round(img.width * sx)), max(1, round(img.height * sy))
    if (w, h) == img.size:
        return img, x, y
    out = img.resize((w, h), Image.Resampling.BILINEAR)
    return out, x + (img.width - w) // 2, y + (img.height - h) // 2


def _rotate_about_base(img: Image.Image, degrees: float, x: int, y: int):
    """Rotate around the bottom centre (plants sway from the root)."""
    if abs(degrees) < 0.2:
        return img, x, y
    pad = img.height // 4  # room for the rotated corners
    canvas = Image.new("RGBA", (img.width + 2 * pad, img.height + pad), (0, 0, 0, 0))
    canvas.paste(img, (pad, pad))
    pivot = (pad + img.width / 2, pad + img.height)
    out = canvas.rotate(degrees, resample=Image.Resampling.BICUBIC, center=pivot)
    return out, x - pad, y - pad


def render_frames(layout: SceneLayout, count: int = 12) -> list[Image.Image]:
    """The loop's RGB frames, frame k at t = k / count."""
    return [compose(layout, partial(_pose_at, t=k / count), t=k / count) for k in range(count)]


def _pose_at(img: Image.Image, obj: PlacedObject, t: float):
    return pose(img, obj, t)


def render_gif(layout: SceneLayout, frames: int = 12, frame_ms: int = 200) -> bytes:
    """A looping animated GIF of the scene (same layout -> same bytes)."""
    images = render_frames(layout, frames)
    palette = images[0].quantize(colors=255, method=Image.Quantize.MEDIANCUT,
                                 dither=Image.Dither.NONE)
    quantized = [palette] + [im.quantize(palette=palette, dither=Image.Dither.NONE)
                             for im in images[1:]]
    buf = io.BytesIO()
    quantized[0].save(buf, format="GIF", save_all=True, append_images=quantized[1:],
                      duration=frame_ms, loop=0, optimize=False, disposal=1)
    return buf.getvalue()
