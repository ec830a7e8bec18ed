"""Background painters for the water of the land themes: a pond, reeds, a river, a stream, a
castle moat, a frozen lake, an icy sea with floes and a jungle mud pool; in a drought the pond,
river, stream and moat show mud."""
from __future__ import annotations

import math

from ..paint import Ctx, LayerSet, Pen, band, wave

layer = LayerSet()


def _water_colours(c: Ctx):
    if c.dry:  # a drought: the pond or stream has shrunk to mud
        return (141, 110, 80, 255), (176, 146, 110, 200)
    return (100, 181, 246, 255), (187, 222, 251, 200)


@layer("pond")
def pond(pen: Pen, c: Ctx) -> None:
    x = c.rng.choice((0.3, 0.7)) * c.W
    y = c.hy + 0.13 * c.H
    deep, shine = _water_colours(c)
    pen.ellipse(x, y, 0.22 * c.W, 0.07 * c.H, c.shade(c.ground, -0.2))
    pen.ellipse(x, y, 0.21 * c.W, 0.062 * c.H, deep)
    for k in range(3):
        pen.ellipse(x - 60 + 60 * k, y - 8 + 6 * k, 40, 4, shine)
    for k in range(4):
        px = x + c.rng.uniform(-0.17, 0.17) * c.W
        pen.pie(px, y + c.rng.uniform(-12, 20), 16, 30, 330, (102, 187, 106, 255))


@layer("reeds")
def reeds(pen: Pen, c: Ctx) -> None:
    for _ in range(14):
        x, y = c.rng.uniform(0, c.W), c.hy + c.rng.uniform(0.06, 0.2) * c.H
        pen.line([(x, y), (x + 4, y - 60)], c.shade(c.near, -0.3), 4)
        pen.rect(x, y - 66, x + 8, y - 44, (121, 85, 72, 255), radius=4)


@layer("river")
def river(pen: Pen, c: Ctx) -> None:
    y = c.hy + 0.12 * c.H
    deep, shine = _water_colours(c)
    top = wave(c.W, y, 8, c.W / 2, c.rng.uniform(0, 6))
    bottom = wave(c.W, y + 0.08 * c.H, 8, c.W / 2, c.rng.uniform(0, 6))
    pen.poly(top + bottom[::-1], deep)
    for _ in range(10):
        pen.ellipse(c.rng.uniform(0, c.W), y + c.rng.uniform(0.02, 0.06) * c.H, 30, 3, shine)


@layer("stream")
def stream(pen: Pen, c: Ctx) -> None:
    deep, shine = _water_colours(c)
    pts = [(c.W * (0.55 + 0.12 * math.sin(k / 2.0)) - 90 * k / 10, c.hy + (c.H - c.hy) * k / 10)
           for k in range(11)]
    pen.line(pts, deep, 30)
    for k in range(1, 11, 2):
        pen.ellipse(pts[k][0], pts[k][1], 10, 3, shine)
    for _ in range(8):
        x, y = c.rng.choice(pts)
        pen.ellipse(x + c.rng.choice((-30, 30)), y, 14, 8, (158, 158, 158, 255))


@layer("moat")
def moat(pen: Pen, c: Ctx) -> None:
    y = c.hy + 0.05 * c.H
    deep, shine = _water_colours(c)
    pen.rect(0, y, c.W, y + 0.06 * c.H, deep)
    for _ in range(8):
        pen.ellipse(c.rng.uniform(0, c.W), y + 0.03 * c.H, 26, 3, shine)


@layer("frozen_lake")
def frozen_lake(pen: Pen, c: Ctx) -> None:
    x, y = c.W / 2, c.hy + 0.14 * c.H
    pen.ellipse(x, y, 0.38 * c.W, 0.09 * c.H, (179, 229, 252, 255))
    for _ in range(6):
        x0 = x + c.rng.uniform(-0.3, 0.3) * c.W
        pen.line([(x0, y - 10), (x0 + 50, y + 5), (x0 + 30, y + 20)], (255, 255, 255, 220), 2)


@layer("ice_sea")
def ice_sea(pen: Pen, c: Ctx) -> None:
    """Dark open water in front of the shore with white floes drifting on it."""
    y = c.hy + 0.02 * c.H
    pen.rect(0, y, c.W, y + 0.16 * c.H, (21, 101, 192, 255))
    for _ in range(6):
        x, fy = c.rng.uniform(0, c.W), y + c.rng.uniform(0.03, 0.13) * c.H
        r = c.rng.uniform(40, 90)
        pen.poly([(x - r, fy), (x - r * 0.6, fy - 10), (x + r * 0.7, fy - 12), (x + r, fy + 2),
                  (x + r * 0.5, fy + 10), (x - r * 0.7, fy + 8)], (245, 250, 255, 255))
    band(pen, c.W, c.H, y + 0.17 * c.H, 6, c.W / 2, 1.0, (*c.ground, 255))


@layer("mud_pool")
def mud_pool(pen: Pen, c: Ctx) -> None:
    """A wide brown pool of mud with bubbles and splashes."""
    x, y = c.rng.choice((0.38, 0.62)) * c.W, c.hy + 0.16 * c.H
    pen.ellipse(x, y, 0.3 * c.W, 0.1 * c.H, (93, 64, 45, 255))
    pen.ellipse(x, y - 4, 0.27 * c.W, 0.08 * c.H, (121, 85, 60, 255))
    for _ in range(9):
        bx, by = x + c.rng.uniform(-0.22, 0.22) * c.W, y + c.rng.uniform(-0.05, 0.05) * c.H
        r = c.rng.uniform(5, 12)
        pen.ellipse(bx, by, r, r * 0.7, None, (160, 120, 90, 255), 3)
