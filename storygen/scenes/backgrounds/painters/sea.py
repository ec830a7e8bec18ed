"""Background painters for the underwater theme, under the sea and by it: light rays and the
sea surface, far rocks, kelp, sand, reef, a shipwreck, a sea cave, plankton, a tide pool, a
sea-grass meadow, bubble vents, and the bubbles that carry the chosen colour."""
from __future__ import annotations

import math

from ..paint import Ctx, LayerSet, Pen, band, leaf, mix, wave

layer = LayerSet()


@layer("water_rays")
def water_rays(pen: Pen, c: Ctx) -> None:
    for _ in range(5):
        x = c.rng.uniform(0.05, 0.95) * c.W
        pen.poly([(x - 18, 0), (x + 18, 0), (x + 140, c.H * 0.8), (x + 40, c.H * 0.8)],
                 (255, 255, 255, 26))


@layer("water_surface")
def water_surface(pen: Pen, c: Ctx) -> None:
    y = c.sy if c.sy is not None else 0.135 * c.H
    pen.poly([(0, 0), (c.W, 0)] + wave(c.W, y, 5, c.W / 9, 0)[::-1], c.shade(c.sky_top, 0.55))
    pen.line(wave(c.W, y, 5, c.W / 9, 0), (255, 255, 255, 200), 4)


@layer("far_rocks")
def far_rocks(pen: Pen, c: Ctx) -> None:
    for _ in range(7):
        pen.ellipse(c.rng.uniform(0, c.W), c.H * c.rng.uniform(0.76, 0.8), c.rng.uniform(60, 150),
                    c.rng.uniform(30, 70), (*c.far, 110))


def _kelp(pen: Pen, c: Ctx, x0: float, top: float) -> None:
    pts = [(x0 + 14 * math.sin(k / 2.0), c.H * 0.86 - (c.H * 0.86 - top) * k / 12) for k in range(13)]
    pen.line(pts, c.shade(c.near, -0.25), 12)
    for k in range(2, 12, 2):
        pen.poly(leaf(*pts[k], 44, -0.6 if k % 4 else -2.5), c.shade(c.near, 0.0))


@layer("kelp")
def kelp(pen: Pen, c: Ctx) -> None:
    for side in (0.08, 0.9, 0.2, 0.78):
        _kelp(pen, c, side * c.W + c.rng.uniform(-30, 30), c.H * c.rng.uniform(0.3, 0.5))


@layer("kelp_tall")
def kelp_tall(pen: Pen, c: Ctx) -> None:
    for k in range(9):
        _kelp(pen, c, (k + 0.5) * c.W / 9 + c.rng.uniform(-20, 20), c.H * c.rng.uniform(0.16, 0.3))


@layer("sand")
def sand(pen: Pen, c: Ctx) -> None:
    band(pen, c.W, c.H, c.hy, 10, c.W / 3, c.rng.uniform(0, 6), (*c.ground, 255))
    for _ in range(40):
        pen.ellipse(c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 0.04 * c.H, 0.99 * c.H), 4, 2.5,
                    c.shade(c.ground, -0.18))


@layer("reef")
def reef(pen: Pen, c: Ctx) -> None:
    """Soft coral fans and brain corals along the far edge of the sand."""
    for _ in range(9):
        x, y = c.rng.uniform(0, c.W), c.hy + c.rng.uniform(0.0, 0.03) * c.H
        colour = c.rng.choice(((255, 138, 128), (255, 183, 77), (206, 147, 216), (128, 203, 196)))
        if c.rng.random() < 0.5:
            pen.ellipse(x, y, c.rng.uniform(24, 40), c.rng.uniform(16, 26), (*colour, 235))
        else:
            for a in (-2.3, -1.9, -1.57, -1.2, -0.8):
                pen.line([(x, y), (x + 55 * math.cos(a), y + 55 * math.sin(a))], (*colour, 235), 7)


@layer("shipwreck")
def shipwreck(pen: Pen, c: Ctx) -> None:
    x, y = c.rng.choice((0.28, 0.72)) * c.W, c.hy + 0.02 * c.H
    hull = c.shade((93, 64, 55), -0.2, 235)
    pen.poly([(x - 230, y - 80), (x + 200, y - 120), (x + 170, y + 10), (x - 200, y + 10)], hull)
    pen.line([(x - 20, y - 100), (x + 30, y - 330)], hull, 12)  # broken mast, leaning
    pen.line([(x - 60, y - 240), (x + 110, y - 270)], hull, 6)
    for k in range(4):
        pen.ellipse(x - 150 + 85 * k, y - 55 - 9 * k, 14, 14, c.shade(c.far, -0.5))


@layer("cave_walls")
def cave_walls(pen: Pen, c: Ctx) -> None:
    """Dark rock framing an opening; the sea glows through it."""
    rock = c.shade(c.far, -0.45)
    top = [(c.W * k / 12, 0.12 * c.H + 40 * math.sin(k * 1.3) + c.rng.uniform(0, 30)) for k in range(13)]
    pen.poly([(0, 0), (c.W, 0)] + top[::-1], rock)
    for side in (0, c.W):
        sgn = 1 if side == 0 else -1
        pen.poly([(side, 0), (side + sgn * 150, 0.2 * c.H), (side + sgn * 110, 0.55 * c.H),
                  (side + sgn * 170, c.hy + 20), (side, c.H)], rock)
    for _ in range(6):  # stalactites
        x = c.rng.uniform(0.15, 0.85) * c.W
        pen.poly([(x - 14, 0.14 * c.H), (x + 14, 0.14 * c.H), (x, 0.14 * c.H + c.rng.uniform(40, 90))], rock)


@layer("plankton")
def plankton(pen: Pen, c: Ctx) -> None:
    for _ in range(40):
        pen.ellipse(c.rng.uniform(0, c.W), c.rng.uniform(0.2, 0.8) * c.H, 2, 2, (180, 255, 230, 200))


@layer("bubbles", accent=True)
def bubbles(pen: Pen, c: Ctx) -> None:
    light = mix(c.accent, (255, 255, 255), 0.55)
    for _ in range(16):
        x = c.rng.choice((c.rng.uniform(0.02, 0.18), c.rng.uniform(0.82, 0.98))) * c.W
        r = c.rng.uniform(5, 14)
        pen.ellipse(x, c.rng.uniform(0.2, 0.75) * c.H, r, r, (*light, 90), (*c.accent, 230), 3)


@layer("sea_horizon")
def sea_horizon(pen: Pen, c: Ctx) -> None:
    """The open sea seen from the shore: from the variant's surface line (else just above the
    horizon) down to the beach."""
    y = c.sy if c.sy is not None else c.hy - 0.1 * c.H
    pen.rect(0, y, c.W, c.hy + 4, c.shade(c.far, 0.0))
    for _ in range(14):
        pen.ellipse(c.rng.uniform(0, c.W), c.rng.uniform(y + 6, c.hy), 24, 2, (255, 255, 255, 150))


@layer("rock_pool")
def rock_pool(pen: Pen, c: Ctx) -> None:
    """Rocks around a clear shallow pool on the shore."""
    cx, cy = c.W / 2, c.hy + 0.17 * c.H
    for _ in range(10):
        x, r = c.rng.uniform(0, c.W), c.rng.uniform(40, 90)
        pen.ellipse(x, c.hy + c.rng.uniform(0.02, 0.08) * c.H, r, r * 0.45, c.shade(c.far, -0.35))
    pen.ellipse(cx, cy, 0.34 * c.W, 0.12 * c.H, c.shade(c.far, -0.3))
    pen.ellipse(cx, cy, 0.31 * c.W, 0.1 * c.H, (79, 195, 247, 255))
    for k in range(4):
        pen.ellipse(cx - 120 + 80 * k, cy - 10 + 8 * (k % 2), 36, 4, (225, 245, 254, 200))


@layer("seagrass")
def seagrass(pen: Pen, c: Ctx) -> None:
    """A meadow of sea grass: thin blades swaying over the sand."""
    for _ in range(110):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(c.hy - 0.02 * c.H, 0.99 * c.H)
        h, bend = c.rng.uniform(40, 120), c.rng.uniform(-25, 25)
        pen.line([(x, y), (x + bend * 0.4, y - h * 0.5), (x + bend, y - h)],
                 c.shade(c.near, c.rng.uniform(-0.3, 0.1)), 4)


@layer("vents")
def vents(pen: Pen, c: Ctx) -> None:
    """Rock chimneys on the sea floor with warm bubbles streaming up."""
    for x0 in (0.2, 0.74):
        x, base = (x0 + c.rng.uniform(-0.05, 0.05)) * c.W, c.hy + 0.05 * c.H
        pen.poly([(x - 70, base), (x - 22, base - 190), (x + 22, base - 190), (x + 70, base)],
                 c.shade(c.far, -0.3))
        for k in range(16):
            y = base - 200 - 24 * k
            r = 4 + (k % 4) * 2
            pen.ellipse(x + 14 * math.sin(k * 1.7), y, r, r, None, (225, 245, 254, 180), 2)
