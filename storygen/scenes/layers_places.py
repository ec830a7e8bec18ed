"""Background layers for the places the corpus stories use most that the first library lacked
(issue 22): tide pool, sea-grass meadow, bubble vents; garden dome, alien market; mud pool,
vine bridge over a valley, treetops, bamboo; orchard, henhouse; village square, castle garden,
library; open sea with ice floes; the old oak; and the cracked ground of a drought."""
from __future__ import annotations

import math

from .paint import Ctx, Pen, band, layer, leaf, mix, wave


# ------------------------------------------------------------------ under the sea, by the sea


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


# ------------------------------------------------------------------ space


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


# ------------------------------------------------------------------ jungle


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


# ------------------------------------------------------------------ farm, castle, forest


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


@layer("bookshelves")
def bookshelves(pen: Pen, c: Ctx) -> None:
    """Tall shelves of coloured books along the wall of a library tower."""
    for r in range(5):
        y = 0.08 * c.H + r * (c.hy - 0.08 * c.H) / 5
        pen.rect(0, y + 58, c.W, y + 70, (93, 64, 55, 255))
        x = 4.0
        while x < c.W:
            w = c.rng.uniform(12, 22)
            colour = c.rng.choice(((183, 28, 28), (21, 101, 192), (46, 125, 50), (255, 179, 0), (106, 27, 154)))
            pen.rect(x, y + 58 - c.rng.uniform(40, 56), x + w - 2, y + 58, (*colour, 255))
            x += w


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


# ------------------------------------------------------------------ arctic, weather


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


def parched(rgb, k: float):
    """A colour dried toward dust, by k (0..1): green grass to straw, blue water to mud."""
    return mix(rgb, (201, 168, 108), k)
