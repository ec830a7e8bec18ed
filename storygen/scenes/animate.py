"""Algorithmic animation: a looping GIF from one SceneLayout.

Each object moves by its manifest animation kind (swim, flap, sway, bob, hop, twinkle, see
`pose`) with the parameters the layout gave it (amplitude, phase, cycles, tail, lift, squash);
motions are whole cycles over the loop, so the last frame flows into the first (12 frames x
200 ms = a 2.4 s loop by default). The static scene (background, shadows, glow) is drawn once;
each frame re-composites the small sprites and the weather. Frames share one palette (no
flicker, smaller file).
"""
from __future__ import annotations

import io
import math
from functools import partial

from PIL import Image

from ..records import PlacedObject, SceneLayout
from .render import compose, scene_base

DEFAULT_CYCLES = {"flap": 2.0}  # layouts that give no `cycles` (the basic backend)


def pose(img: Image.Image, obj: PlacedObject, t: float) -> tuple[Image.Image, int, int]:
    """The object's sprite and top-left position at loop time t (0..1).

    swim: glides side to side with a small dip, the tail flicking (a quick horizontal squash);
    flap: wings beat (vertical squash) while the body lifts a little; sway: rotates about the
    base like a plant in a current; bob: floats up and down; hop: jumps, squashing on landing;
    twinkle: pulses in size. Every motion makes whole cycles per loop (seamless GIF)."""
    kind = obj.animation
    p = obj.animation_params
    amp = float(p.get("amplitude", 0.0))
    cycles = float(p.get("cycles", DEFAULT_CYCLES.get(kind, 1.0)))
    x, y = int(obj.box.x), int(obj.box.y)
    a = 2 * math.pi * (t + float(p.get("phase", 0.0)))
    if kind == "bob":
        return img, x, y + round(-amp * math.sin(a * cycles))
    if kind == "hop":
        k = abs(math.sin(a * cycles / 2))  # |sin| of half the rate: `cycles` hops per loop
        squash = float(p.get("squash", 0.0)) * max(0.0, 1 - 4 * k)  # flattened as it lands
        img, x, y = _squash(img, 1 + squash / 2, 1 - squash, x, y, anchor="bottom")
        return img, x, y - round(amp * k)
    if kind == "swim":
        flick = float(p.get("tail", 0.0)) * abs(math.sin(3 * a))
        img, x, y = _squash(img, 1 - flick, 1.0, x, y)
        return img, x + round(amp * math.sin(a * cycles)), y + round(0.3 * amp * math.sin(2 * a))
    if kind == "sway":
        return _rotate_about_base(img, amp * math.sin(a * cycles), x, y)
    if kind == "flap":
        beat = abs(math.sin(a * cycles))
        img, x, y = _squash(img, 1.0, 1.0 - amp * beat, x, y)
        return img, x, y - round(float(p.get("lift", 0.0)) * obj.box.h * beat)
    if kind == "twinkle":
        k = 1.0 + amp * math.sin(a * cycles)
        return _squash(img, k, k, x, y)
    return img, x, y


def _squash(img: Image.Image, sx: float, sy: float, x: int, y: int, anchor: str = "centre"):
    """Scale about the sprite's centre (or its bottom centre: feet stay on the ground)."""
    w, h = max(1, round(img.width * sx)), max(1, round(img.height * sy))
    if (w, h) == img.size:
        return img, x, y
    out = img.resize((w, h), Image.Resampling.BILINEAR)
    dy = img.height - h if anchor == "bottom" else (img.height - h) // 2
    return out, x + (img.width - w) // 2, y + dy


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
    """The loop's RGB frames, frame k at t = k / count (the static scene is drawn once)."""
    base = scene_base(layout)
    return [compose(layout, partial(_pose_at, t=k / count), t=k / count, base=base)
            for k in range(count)]


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
