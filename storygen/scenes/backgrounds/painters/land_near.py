"""Background painters for the ground of the land themes outdoors and what grows or stands on
it near the viewer: the ground itself, fences, grass, wildflowers and flowerbeds, vegetable
rows, snow drifts, hanging vines and big jungle leaves, and the cracks of a drought."""
from __future__ import annotations

import math

from ..paint import Ctx, LayerSet, Pen, band, leaf

layer = LayerSet()


@layer("ground")
def ground(pen: Pen, c: Ctx) -> None:
    band(pen, c.W, c.H, c.hy, 8, c.W / 3, c.rng.uniform(0, 6), (*c.ground, 255))
    band(pen, c.W, c.H, c.hy + 0.16 * c.H, 6, c.W / 2, c.rng.uniform(0, 6), c.shade(c.ground, 0.08))


@layer("fence")
def fence(pen: Pen, c: Ctx) -> None:
    fy = c.hy + 0.05 * c.H
    for k in range(21):
        x = k * c.W / 20
        pen.rect(x - 5, fy - 40, x + 5, fy + 12, (161, 110, 70, 255))
    for dy in (-28, -8):
        pen.rect(0, fy + dy - 4, c.W, fy + dy + 4, (141, 94, 60, 255))


@layer("picket_fence")
def picket_fence(pen: Pen, c: Ctx) -> None:
    y = c.hy + 0.02 * c.H
    for k in range(18):
        pen.ellipse(k * c.W / 17, y - 30, 48, 55, c.shade(c.near, -0.15))
    pen.rect(0, y - 30, c.W, y + 5, c.shade(c.near, -0.15))
    for k in range(41):
        x = k * c.W / 40
        pen.poly([(x - 8, y + 6), (x - 8, y - 48), (x, y - 58), (x + 8, y - 48), (x + 8, y + 6)],
                 (250, 250, 245, 255))
    pen.rect(0, y - 34, c.W, y - 26, (236, 236, 228, 255))


@layer("grass_tufts")
def grass_tufts(pen: Pen, c: Ctx) -> None:
    for _ in range(28):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 0.08 * c.H, 0.98 * c.H)
        for dx in (-5, 0, 5):
            pen.line([(x, y), (x + dx, y - 14)], c.shade(c.near, -0.25), 3)


@layer("wildflowers")
def wildflowers(pen: Pen, c: Ctx) -> None:
    for _ in range(45):
        x, fy = c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 0.06 * c.H, 0.98 * c.H)
        petal = c.rng.choice(((244, 143, 177), (255, 241, 118), (255, 255, 255), (206, 147, 216)))
        pen.ellipse(x, fy, 7, 7, (*petal, 255))
        pen.ellipse(x, fy, 2.5, 2.5, (255, 193, 7, 255))


@layer("flowerbed")
def flowerbed(pen: Pen, c: Ctx) -> None:
    y = c.hy + 0.09 * c.H
    pen.rect(0, y - 12, c.W, y + 26, (121, 85, 72, 255), radius=12)
    for k in range(30):
        x = (k + 0.5) * c.W / 30 + c.rng.uniform(-8, 8)
        petal = c.rng.choice(((239, 83, 80), (255, 238, 88), (171, 71, 188), (255, 255, 255)))
        pen.line([(x, y), (x, y - 34)], c.shade(c.near, -0.2), 3)
        pen.ellipse(x, y - 38, 9, 9, (*petal, 255))
        pen.ellipse(x, y - 38, 3, 3, (255, 179, 0, 255))


@layer("veg_rows")
def veg_rows(pen: Pen, c: Ctx) -> None:
    for r in range(3):
        y = c.hy + (0.08 + 0.09 * r) * c.H
        pen.rect(0, y - 8, c.W, y + 8, (141, 110, 99, 255), radius=8)
        for k in range(16):
            x = (k + 0.5) * c.W / 16
            for a in (-0.9, -1.57, -2.2):
                pen.poly(leaf(x, y - 4, 22 + 4 * r, a), c.shade(c.near, -0.1 * r))


@layer("snow_drifts")
def snow_drifts(pen: Pen, c: Ctx) -> None:
    for _ in range(12):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 0.1 * c.H, 0.97 * c.H)
        pen.ellipse(x, y, c.rng.uniform(40, 110), 6, c.shade(c.ground, -0.12))


@layer("vines")
def vines(pen: Pen, c: Ctx) -> None:
    for x0 in (0.04, 0.3, 0.7, 0.96):
        x0 *= c.W
        pts = [(x0 + 24 * math.sin(k / 1.7), 0.3 * c.H * k / 10) for k in range(11)]
        pen.line(pts, c.shade(c.near, -0.4), 6)
        for k in range(2, 11, 2):
            pen.poly(leaf(*pts[k], 30, 0.5 if k % 4 else 2.6), c.shade(c.near, -0.2))


@layer("big_leaves")
def big_leaves(pen: Pen, c: Ctx) -> None:
    for cx, ang in ((0, -0.5), (c.W, math.pi + 0.5)):
        for d in (-0.3, 0.0, 0.3):
            pen.poly(leaf(cx, c.H, 230, ang + d - 0.6), c.shade(c.near, -0.35))


@layer("cracks")
def cracks(pen: Pen, c: Ctx) -> None:
    """Cracked, parched ground (a drought): branching dark lines over the ground."""
    dark = c.shade(c.ground, -0.35)
    for _ in range(16):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 0.08 * c.H, 0.98 * c.H)
        pts = [(x, y)]
        for _ in range(4):
            x, y = x + c.rng.uniform(-40, 40), y + c.rng.uniform(-8, 8)
            pts.append((x, y))
        pen.line(pts, dark, 2)
        mx, my = pts[2]
        pen.line([(mx, my), (mx + c.rng.uniform(-20, 20), my + c.rng.uniform(6, 16))], dark, 1.5)
