"""Background painters for the one big thing that makes a land place what it is: a vine bridge
over a valley, the treetops, a bamboo thicket, an orchard, a henhouse, a village square, a castle
garden's hedges, the old oak, an igloo and a ring of mushrooms."""
from __future__ import annotations

import math

from ..paint import SS, Ctx, LayerSet, Pen, band, leaf, wave

layer = LayerSet()


@layer("vine_bridge")
def vine_bridge(pen: Pen, c: Ctx) -> None:
    """A sagging bridge of vines and planks between two cliffs, a green valley far below."""
    left, right, y = 0.18 * c.W, 0.82 * c.W, c.hy + 0.04 * c.H
    pen.rect(left, c.hy - 0.02 * c.H, right, c.H, c.shade(c.far, 0.25))
    for k in range(7):  # treetops far down in the valley
        pen.ellipse(left + (k + 0.5) * (right - left) / 7, c.H * 0.97, 70, 50, c.shade(c.far, -0.1))
    for x0, x1 in ((0, left), (right, c.W)):
        pen.poly([(x0, c.hy - 0.05 * c.H), (x1, c.hy - 0.02 * c.H), (x1 + (20 if x0 else -20), c.H),
                  (x0, c.H)], (121, 85, 72, 255))
        pen.rect(x0, c.hy - 0.07 * c.H, x1, c.hy - 0.03 * c.H, (*c.ground, 255))

    def sag(x: float, drop: float) -> float:
        t = (x - left) / (right - left)
        return y + drop * 4 * t * (1 - t)
    for k in range(22):
        x = left + (k + 0.5) * (right - left) / 22
        pen.rect(x - 11, sag(x, 60) - 4, x + 11, sag(x, 60) + 8, (161, 110, 70, 255))
    for dy, width in ((0, 5), (-60, 4)):
        pts = [(left + (right - left) * j / 24, sag(left + (right - left) * j / 24, 60) + dy)
               for j in range(25)]
        pen.line(pts, c.shade(c.near, -0.4), width)
        for x, yy in pts[2::4]:
            pen.poly(leaf(x, yy, 22, 1.2), c.shade(c.near, -0.1))


@layer("treetops")
def treetops(pen: Pen, c: Ctx) -> None:
    """High in the trees: a thick branch to stand on, leaves all round."""
    for _ in range(12):
        pen.ellipse(c.rng.uniform(0, c.W), c.hy + c.rng.uniform(0.02, 0.3) * c.H,
                    c.rng.uniform(80, 150), c.rng.uniform(50, 90), c.shade(c.far, c.rng.uniform(-0.3, 0.1)))
    band(pen, c.W, c.hy + 0.14 * c.H, c.hy, 10, c.W / 2, c.rng.uniform(0, 6), (109, 76, 65, 255))
    pen.line(wave(c.W, c.hy + 0.02 * c.H, 8, c.W / 2, 1.0), (141, 110, 99, 255), 6)
    for k in range(10):
        x = (k + 0.5) * c.W / 10
        pen.poly(leaf(x, c.rng.uniform(0, 0.1) * c.H, 120, c.rng.uniform(1.0, 2.1)), c.shade(c.near, -0.3))


@layer("bamboo")
def bamboo(pen: Pen, c: Ctx) -> None:
    """A thicket of tall bamboo stalks with joints and narrow leaves."""
    for _ in range(14):
        x, w = c.rng.uniform(0, c.W), c.rng.uniform(12, 22)
        base, colour = c.hy + c.rng.uniform(0.0, 0.12) * c.H, c.shade((124, 179, 66), c.rng.uniform(-0.3, 0.1))
        pen.rect(x - w / 2, 0, x + w / 2, base, colour)
        for k in range(1, 7):
            yy = base * k / 7
            pen.rect(x - w / 2 - 2, yy - 3, x + w / 2 + 2, yy + 3, c.shade(colour[:3], -0.25))
            if k % 2:
                pen.poly(leaf(x, yy, 60, c.rng.choice((-0.4, -2.7))), c.shade(c.near, -0.2))


@layer("apple_trees")
def apple_trees(pen: Pen, c: Ctx) -> None:
    """A row of round apple trees hung with red apples."""
    for k in range(5):
        x, base = (k + 0.5) * c.W / 5 + c.rng.uniform(-30, 30), c.hy + 0.05 * c.H
        pen.rect(x - 12, base - 130, x + 12, base, (109, 76, 65, 255))
        pen.ellipse(x, base - 170, 95, 80, c.shade(c.far, -0.1))
        for _ in range(9):
            pen.ellipse(x + c.rng.uniform(-70, 70), base - 170 + c.rng.uniform(-55, 55), 8, 8,
                        (229, 57, 53, 255))


@layer("coop")
def coop(pen: Pen, c: Ctx) -> None:
    """A little wooden henhouse on legs with a ramp and a nest-box window."""
    x, base = c.rng.choice((0.2, 0.8)) * c.W, c.hy + 0.04 * c.H
    pen.rect(x - 110, base - 150, x + 110, base - 40, (188, 120, 70, 255))
    pen.poly([(x - 130, base - 150), (x, base - 230), (x + 130, base - 150)], (141, 60, 40, 255))
    pen.rect(x - 30, base - 120, x + 30, base - 70, (62, 39, 35, 255), radius=20)
    for dx in (-100, 100):
        pen.rect(x + dx - 6, base - 40, x + dx + 6, base, (121, 85, 72, 255))
    pen.line([(x + 30, base - 70), (x + 150, base)], (161, 110, 70, 255), 10)


@layer("village_houses")
def village_houses(pen: Pen, c: Ctx) -> None:
    """Half-timbered houses round a square, a well in the middle."""
    for k in range(6):
        x, base = (k + 0.5) * c.W / 6, c.hy + 0.02 * c.H
        w, h = 70, c.rng.uniform(110, 160)
        pen.rect(x - w, base - h, x + w, base, (250, 240, 220, 255))
        pen.poly([(x - w - 10, base - h), (x, base - h - 70), (x + w + 10, base - h)],
                 c.rng.choice(((183, 28, 28, 255), (121, 85, 72, 255), (93, 64, 55, 255))))
        for dx in (-w, 0, w):
            pen.line([(x + dx, base - h), (x + dx, base)], (93, 64, 55, 255), 5)
        pen.rect(x - 20, base - 60, x + 20, base, (93, 64, 55, 255))
    cx, cy = c.W / 2, c.hy + 0.12 * c.H
    pen.ellipse(cx, cy, 70, 22, (158, 158, 158, 255))
    pen.rect(cx - 66, cy - 40, cx + 66, cy, (189, 189, 189, 255))
    pen.ellipse(cx, cy - 40, 66, 18, (100, 181, 246, 255))


@layer("hedges")
def hedges(pen: Pen, c: Ctx) -> None:
    """Clipped hedges of a castle garden (a rose maze), roses in them, a path between."""
    pen.poly([(c.W / 2 - 60, c.hy), (c.W / 2 + 60, c.hy), (c.W / 2 + 220, c.H), (c.W / 2 - 220, c.H)],
             (215, 204, 200, 255))
    for side in (-1, 1):
        for r in range(3):
            y = c.hy + (0.03 + 0.1 * r) * c.H
            x0 = c.W / 2 + side * (90 + 50 * r)
            x1 = x0 + side * 0.5 * c.W
            pen.rect(min(x0, x1), y - 60, max(x0, x1), y + 10, c.shade(c.near, -0.25 + 0.08 * r), radius=18)
            for _ in range(8):
                pen.ellipse(c.rng.uniform(min(x0, x1), max(x0, x1)), y + c.rng.uniform(-50, 0), 7, 7,
                            (*c.rng.choice(((236, 64, 122), (229, 57, 53), (255, 255, 255))), 255))


@layer("big_oak")
def big_oak(pen: Pen, c: Ctx) -> None:
    """An old oak: a wide trunk with roots and a crown over half the sky."""
    x, base = c.rng.choice((0.28, 0.72)) * c.W, c.hy + 0.06 * c.H
    bark = (93, 64, 55, 255)
    pen.poly([(x - 70, base), (x - 45, base - 300), (x + 45, base - 300), (x + 70, base)], bark)
    for dx in (-120, 110):
        pen.line([(x + dx * 0.3, base - 10), (x + dx, base + 14)], bark, 20)
    pen.line([(x, base - 280), (x - 170, base - 380)], bark, 22)
    pen.line([(x, base - 280), (x + 160, base - 400)], bark, 20)
    for _ in range(14):
        pen.ellipse(x + c.rng.uniform(-260, 260), base - 400 + c.rng.uniform(-90, 70),
                    c.rng.uniform(70, 120), c.rng.uniform(50, 80), c.shade(c.far, c.rng.uniform(-0.25, 0.1)))
    pen.ellipse(x + 10, base - 140, 20, 28, (62, 39, 35, 255))  # a hole in the trunk


@layer("igloo")
def igloo(pen: Pen, c: Ctx) -> None:
    ix, iy, r = c.rng.choice((0.13, 0.87)) * c.W, c.hy + 0.07 * c.H, 70
    pen.pie(ix, iy, r, 180, 360, (250, 253, 255, 255), (144, 202, 249, 255), 3)
    for k in (0.35, 0.7):
        half = r * math.sqrt(1 - k * k)
        pen.line([(ix - half, iy - r * k), (ix + half, iy - r * k)], (144, 202, 249, 255), 2)
    pen.d.pieslice([(ix - 22) * SS, (iy - 30) * SS, (ix + 22) * SS, (iy + 30) * SS], 180, 360,
                   fill=(69, 90, 100, 255))


@layer("mushrooms")
def mushrooms(pen: Pen, c: Ctx) -> None:
    cx, cy = c.W / 2, c.hy + 0.2 * c.H
    for k in range(12):
        a = 2 * math.pi * k / 12
        x, y = cx + 0.36 * c.W * math.cos(a), cy + 0.09 * c.H * math.sin(a)
        pen.rect(x - 4, y - 16, x + 4, y, (255, 243, 224, 255))
        pen.pie(x, y - 14, 14, 180, 360, (229, 57, 53, 255))
        pen.ellipse(x - 4, y - 20, 2.5, 2.5, (255, 255, 255, 255))
