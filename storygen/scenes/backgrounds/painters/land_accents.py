"""Background painters that carry the chosen colour in the land themes (every variant needs one
accent layer): flowers in the bottom corners, bunting, kites, fireflies and ice crystals."""
from __future__ import annotations

import math

from ..paint import Ctx, LayerSet, Pen, flags, mix

layer = LayerSet()


@layer("accent_flowers", accent=True)
def accent_flowers(pen: Pen, c: Ctx) -> None:
    """Two clumps of flowers in the chosen colour at the bottom corners: the book's colour in
    every picture without adding anything the story would have to explain (bunting said
    "party" in every scene, a reviewer found)."""
    for cx in (0.06 * c.W, 0.94 * c.W):
        for _ in range(7):
            x, y = cx + c.rng.uniform(-0.05, 0.05) * c.W, c.H - c.rng.uniform(0.02, 0.1) * c.H
            pen.line([(x, y), (x + c.rng.uniform(-4, 4), y + 0.05 * c.H)], c.shade(c.near, -0.3), 2)
            for a in range(5):
                ang = 2 * math.pi * a / 5
                pen.ellipse(x + 6 * math.cos(ang), y + 6 * math.sin(ang), 5, 5, (*c.accent, 255))
            pen.ellipse(x, y, 3, 3, (255, 236, 179, 255))


@layer("bunting", accent=True)
def bunting(pen: Pen, c: Ctx) -> None:
    """A string of flags across the top in the chosen colour."""
    flags(pen, c.W, lambda x: 0.025 * c.H + 0.05 * c.H * (1 - (2 * x / c.W - 1) ** 2), c.accent, c.H)


@layer("accent_kites", accent=True)
def accent_kites(pen: Pen, c: Ctx) -> None:
    """Two kites in the chosen colour high in the sky, strings trailing down."""
    for x in (0.18 * c.W, 0.6 * c.W):
        y = c.rng.uniform(0.1, 0.22) * c.H
        pen.poly([(x, y - 26), (x + 18, y), (x, y + 30), (x - 18, y)], (*c.accent, 255))
        pen.line([(x, y + 30), (x + 20, y + 90), (x - 10, y + 160)], (120, 110, 100, 200), 1.5)


@layer("fireflies", accent=True)
def fireflies(pen: Pen, c: Ctx) -> None:
    """Glowing dots in the chosen colour (brighter at night)."""
    glow = mix(c.accent, (255, 255, 255), 0.5)
    for _ in range(26):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(0.25, 0.9) * c.H
        pen.ellipse(x, y, 9, 9, (*glow, 70))
        pen.ellipse(x, y, 3.5, 3.5, (*c.accent, 255))


@layer("crystals", accent=True)
def crystals(pen: Pen, c: Ctx) -> None:
    """Ice crystals glinting in the chosen colour."""
    for x in (0.05 * c.W, 0.95 * c.W, 0.3 * c.W, 0.7 * c.W):
        base = c.hy + c.rng.uniform(0.0, 0.04) * c.H
        for dx, h in ((-16, 50), (0, 80), (16, 44)):
            pen.poly([(x + dx - 10, base), (x + dx, base - h), (x + dx + 10, base)],
                     (*mix(c.accent, (255, 255, 255), 0.25), 235))
