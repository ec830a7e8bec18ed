"""Background painters for the space theme: nebulae, stars, planets and the far Earth, rocky moon
and red-planet ground, a space station (walls, window, floor, control-panel lights), a garden
dome and an alien market, with their accents in the chosen colour."""
from __future__ import annotations

import math

from ..paint import Ctx, LayerSet, Pen, band, star

layer = LayerSet()


@layer("nebula")
def nebula(pen: Pen, c: Ctx) -> None:
    for _ in range(3):
        pen.ellipse(c.rng.uniform(0, c.W), c.rng.uniform(0, 0.6) * c.H, c.rng.uniform(120, 260),
                    c.rng.uniform(60, 120), (170, 90, 200, 28))


@layer("starfield")
def starfield(pen: Pen, c: Ctx) -> None:
    for _ in range(140):
        r = c.rng.choice((1, 1, 1.5, 2, 2.5))
        pen.ellipse(c.rng.uniform(0, c.W), c.rng.uniform(0, c.hy), r, r,
                    (255, 255, 255, c.rng.randint(150, 255)))


@layer("accent_stars", accent=True)
def accent_stars(pen: Pen, c: Ctx) -> None:
    for _ in range(8):
        star(pen, c.rng.uniform(0, c.W), c.rng.uniform(0.05, 0.55) * c.H, c.rng.uniform(6, 11),
             (*c.accent, 255))


@layer("ringed_planet", accent=True)
def ringed_planet(pen: Pen, c: Ctx) -> None:
    cx, cy, r = c.rng.choice((0.12, 0.88)) * c.W, 0.2 * c.H, 0.08 * c.H
    pen.ellipse(cx, cy, r, r, (255, 183, 77, 255))
    pen.ellipse(cx - r * 0.2, cy - r * 0.25, r * 0.7, r * 0.18, (255, 204, 128, 255))
    pen.ellipse(cx, cy, r * 1.8, r * 0.4, None, (*c.accent, 255), 6)


@layer("earth_far")
def earth_far(pen: Pen, c: Ctx) -> None:
    cx, cy, r = c.rng.choice((0.2, 0.8)) * c.W, 0.22 * c.H, 0.1 * c.H
    pen.ellipse(cx, cy, r * 1.15, r * 1.15, (129, 212, 250, 50))
    pen.ellipse(cx, cy, r, r, (30, 136, 229, 255))
    for dx, dy, k in ((-0.3, -0.2, 0.45), (0.35, 0.25, 0.35), (0.1, 0.5, 0.25)):
        pen.ellipse(cx + dx * r, cy + dy * r, k * r, k * r * 0.7, (102, 187, 106, 255))


def _rocky_ground(pen: Pen, c: Ctx, colour) -> None:
    band(pen, c.W, c.H, c.hy + 0.06 * c.H, 14, c.W / 2, c.rng.uniform(0, 6), (*colour, 255))
    for _ in range(9):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 0.12 * c.H, 0.97 * c.H)
        rx = c.rng.uniform(20, 60)
        pen.ellipse(x, y, rx, rx * 0.3, c.shade(colour, -0.18))
        pen.ellipse(x, y + rx * 0.06, rx * 0.85, rx * 0.22, c.shade(colour, -0.05))


@layer("moon_ground")
def moon_ground(pen: Pen, c: Ctx) -> None:
    _rocky_ground(pen, c, c.ground)


@layer("red_ground")
def red_ground(pen: Pen, c: Ctx) -> None:
    for _ in range(3):  # far mesas
        x = c.rng.uniform(0, c.W)
        pen.poly([(x - 150, c.hy + 0.07 * c.H), (x - 90, c.hy - 0.06 * c.H),
                  (x + 90, c.hy - 0.06 * c.H), (x + 150, c.hy + 0.07 * c.H)], c.shade(c.ground, -0.25))
    _rocky_ground(pen, c, c.ground)


@layer("station_walls")
def station_walls(pen: Pen, c: Ctx) -> None:
    for k in range(9):  # panels with rivets
        x = k * c.W / 8
        pen.line([(x, 0), (x, c.hy)], c.shade(c.far, -0.25), 4)
        for y in (0.1 * c.H, 0.5 * c.H):
            pen.ellipse(x + 12, y, 3, 3, c.shade(c.far, -0.35))
    pen.rect(0, c.hy - 18, c.W, c.hy, c.shade(c.far, -0.3))


@layer("station_window")
def station_window(pen: Pen, c: Ctx) -> None:
    cx, cy, r = c.W / 2, 0.3 * c.H, 0.17 * c.H
    pen.ellipse(cx, cy, r + 14, r + 14, c.shade(c.far, -0.4))
    pen.ellipse(cx, cy, r, r, (18, 16, 52, 255))
    for _ in range(30):
        pen.ellipse(cx + c.rng.uniform(-0.7, 0.7) * r, cy + c.rng.uniform(-0.7, 0.7) * r, 1.5, 1.5,
                    (255, 255, 255, 230))
    pen.ellipse(cx + 0.35 * r, cy + 0.3 * r, 0.28 * r, 0.28 * r, (30, 136, 229, 255))


@layer("station_floor")
def station_floor(pen: Pen, c: Ctx) -> None:
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))
    for k in range(1, 12):
        x = c.W / 2 + (k - 6) * 140
        pen.line([(c.W / 2 + (k - 6) * 40, c.hy), (x, c.H)], c.shade(c.ground, -0.15), 2)


@layer("accent_lights", accent=True)
def accent_lights(pen: Pen, c: Ctx) -> None:
    """Control-panel lights in the chosen colour along the wall."""
    for k in range(14):
        x = (k + 0.5) * c.W / 14
        pen.rect(x - 14, c.hy - 44, x + 14, c.hy - 28, (*c.accent, 255), radius=4)
        pen.ellipse(x, c.hy - 36, 16, 12, (*c.accent, 50))


@layer("dome_glass")
def dome_glass(pen: Pen, c: Ctx) -> None:
    """The glass dome of a space garden: arched ribs against the stars."""
    cx, r = c.W / 2, 0.62 * c.W
    for k in range(9):
        a = math.pi * (k + 1) / 10
        pts = [(cx + r * math.cos(a) * t, c.hy - 0.95 * c.hy * math.sqrt(max(0.0, 1 - t * t)))
               for t in (j / 12 for j in range(13))]
        pen.line(pts, (207, 216, 220, 200), 4)
    pen.ellipse(cx, c.hy, r, 0.95 * c.hy, None, (236, 239, 241, 230), 8)
    pen.poly([(cx - 200, 0.1 * c.H), (cx - 120, 0.1 * c.H), (cx - 260, c.hy), (cx - 340, c.hy)],
             (255, 255, 255, 28))


@layer("market_stalls", accent=True)
def market_stalls(pen: Pen, c: Ctx) -> None:
    """Market stalls with striped awnings, every other stripe in the chosen colour."""
    for k in range(4):
        x, base = (0.12 + 0.25 * k) * c.W, c.hy + 0.03 * c.H
        pen.rect(x - 80, base - 80, x + 80, base, c.shade(c.far, -0.2))
        pen.rect(x - 88, base - 90, x + 88, base - 74, (121, 85, 72, 255))
        for j in range(8):
            colour = c.accent if j % 2 else (250, 250, 245)
            pen.poly([(x - 88 + 22 * j, base - 150), (x - 66 + 22 * j, base - 150),
                      (x - 66 + 22 * j, base - 120), (x - 88 + 22 * j, base - 120)], (*colour, 255))
        for side in (-84, 84):
            pen.line([(x + side, base - 150), (x + side, base)], (93, 64, 55, 255), 5)
