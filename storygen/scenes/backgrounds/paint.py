"""Drawing helpers and the layer registry shared by the background painters.

A layer painter is `paint(pen, ctx)`: it draws one procedural layer (sky scenery, ground, far
scenery, an accent) at the reference size ctx.W x ctx.H with ctx.rng as its only randomness.
Painters register by name with @layer("name") (the painters/ package imports them all); the
background manifest lists them by that name.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Callable, Optional

from PIL import Image, ImageDraw

SS = 2  # supersampling factor: painted at 2x, box-downsampled for smooth edges
RGB = tuple[int, int, int]

class LayerSet:
    """The layers one painter module paints, by name: `layer = LayerSet()` at the top of the
    module, `@layer("reef")` on each painter. painters/__init__.py joins the sets (no module
    registers into a shared table as a side effect of being imported)."""

    def __init__(self) -> None:
        self.painters: dict[str, Callable[["Pen", "Ctx"], None]] = {}
        self.accents: set[str] = set()  # layers that show the chosen colour (every variant needs one)

    def __call__(self, name: str, accent: bool = False):
        def deco(fn):
            if name in self.painters:
                raise ValueError(f"background layer {name!r} registered twice")
            self.painters[name] = fn
            if accent:
                self.accents.add(name)
            return fn
        return deco


@dataclass
class Ctx:
    W: int
    H: int
    rng: random.Random
    accent: RGB
    sky_top: RGB
    sky_bottom: RGB
    ground: RGB
    far: RGB
    near: RGB
    light: str  # day | dusk | night
    hy: float  # horizon (px): where the ground starts
    sy: Optional[float]  # sea surface (px) or None
    skip: frozenset  # object ids drawn as objects (no second sun, moon or castle)
    overcast: bool  # rain/snow/storm/fog: no sunshine
    dry: bool = False  # a drought: water layers show mud (the palette is already parched)

    def shade(self, rgb: RGB, k: float, a: int = 255) -> tuple[int, int, int, int]:
        """rgb mixed toward black (k < 0) or white (k > 0), with alpha."""
        target = (255, 255, 255) if k > 0 else (0, 0, 0)
        return (*mix(rgb, target, abs(k)), a)


def hex_rgb(hexcode: str) -> RGB:
    return tuple(int(hexcode[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def mix(a, b, t: float) -> tuple[int, ...]:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


class Pen:
    """ImageDraw at SS x scale with blending, taking 1x coordinates."""

    def __init__(self, img: Image.Image) -> None:
        self.img = img  # for layers that composite (blurred glows) instead of drawing
        self.d = ImageDraw.Draw(img, "RGBA")

    def poly(self, pts, fill) -> None:
        self.d.polygon([(x * SS, y * SS) for x, y in pts], fill=fill)

    def ellipse(self, cx, cy, rx, ry, fill=None, outline=None, width=1) -> None:
        self.d.ellipse([(cx - rx) * SS, (cy - ry) * SS, (cx + rx) * SS, (cy + ry) * SS],
                       fill=fill, outline=outline, width=int(width * SS))

    def rect(self, x0, y0, x1, y1, fill, radius=0) -> None:
        box = [x0 * SS, y0 * SS, x1 * SS, y1 * SS]
        if radius:
            self.d.rounded_rectangle(box, radius=radius * SS, fill=fill)
        else:
            self.d.rectangle(box, fill=fill)

    def line(self, pts, fill, width) -> None:
        self.d.line([(x * SS, y * SS) for x, y in pts], fill=fill, width=max(1, int(width * SS)),
                    joint="curve")

    def pie(self, cx, cy, r, start, end, fill, outline=None, width=1) -> None:
        self.d.pieslice([(cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS], start, end,
                        fill=fill, outline=outline, width=int(width * SS))


def wave(W, y, amp, period, phase, n=48):
    return [(W * i / n, y + amp * math.sin(2 * math.pi * (W * i / n) / period + phase))
            for i in range(n + 1)]


def band(pen: Pen, W, H, y, amp, period, phase, fill) -> None:
    """Fill from a wavy line at y down to the bottom of the frame."""
    pen.poly(wave(W, y, amp, period, phase) + [(W, H), (0, H)], fill)


def leaf(cx, cy, length, angle, width=0.35):
    pts = []
    for i in range(13):
        t = i / 12
        pts.append((t * length, math.sin(math.pi * t) * length * width / 2))
    pts += [(x, -y) for x, y in reversed(pts)]
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts]


def cloud(pen: Pen, cx, cy, r, fill=(255, 255, 255, 225)) -> None:
    for dx, dy, k in ((-1.1, 0.2, 0.7), (0, 0, 1.0), (1.1, 0.15, 0.75), (0.5, -0.5, 0.7)):
        pen.ellipse(cx + dx * r, cy + dy * r, k * r * 1.2, k * r, fill)


def star(pen: Pen, x, y, r, fill) -> None:
    pen.poly([(x, y - r), (x + r / 4, y - r / 4), (x + r, y), (x + r / 4, y + r / 4), (x, y + r),
              (x - r / 4, y + r / 4), (x - r, y), (x - r / 4, y - r / 4)], fill)


def pines(pen: Pen, W, y, h, n, colour, rng) -> None:
    for i in range(n):
        x = (i + rng.uniform(0.1, 0.9)) * W / n
        hh = h * rng.uniform(0.7, 1.1)
        pen.poly([(x, y - hh), (x - hh * 0.28, y + 4), (x + hh * 0.28, y + 4)], colour)


def flags(pen: Pen, W, y_of, accent, H, count=24) -> None:
    """A string of triangular flags in the chosen colour along the curve y_of(x)."""
    colours = (accent, mix(accent, (255, 255, 255), 0.5), (255, 255, 255))
    xs = [W * k / count for k in range(count + 1)]
    curve = [(x, y_of(x)) for x in xs]
    pen.line(curve, (90, 70, 60, 255), 2)
    for k in range(1, count - 1):
        (x0, y0), (x1, y1) = curve[k], curve[k + 1]
        pen.poly([(x0, y0), (x1, y1), ((x0 + x1) / 2, (y0 + y1) / 2 + 0.05 * H)],
                 (*colours[k % 3], 255))


def parched(rgb, k: float):
    """A colour dried toward dust, by k (0..1): green grass to straw, blue water to mud."""
    return mix(rgb, (201, 168, 108), k)
