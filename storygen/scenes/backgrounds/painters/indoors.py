"""Background painters for the rooms of the land themes: barn and shed walls and windows, hay,
a henhouse's nest boxes and roost, a polar hut's window onto the snow,
stone walls and castle windows, banners, a rug, a hearth, tile and wood floors, lanterns,
an ice cave, an igloo's dome of snow blocks, a burrow with roots, a greenhouse with its shelves of pots, and library shelves.
(The space station's rooms are in space.py.)"""
from __future__ import annotations

import math

from ..paint import Ctx, LayerSet, Pen, leaf, mix

layer = LayerSet()


@layer("wall_planks")
def wall_planks(pen: Pen, c: Ctx) -> None:
    for k in range(17):
        x = k * c.W / 16
        pen.line([(x, 0), (x, c.hy)], c.shade(c.far, -0.3), 3)
    for x0 in (0.1 * c.W, 0.9 * c.W):  # beams
        pen.rect(x0 - 16, 0, x0 + 16, c.hy, c.shade(c.far, -0.35))
    pen.rect(0, 0.1 * c.H, c.W, 0.1 * c.H + 26, c.shade(c.far, -0.35))


@layer("barn_window")
def barn_window(pen: Pen, c: Ctx) -> None:
    x, y = c.rng.choice((0.3, 0.7)) * c.W, 0.3 * c.H
    pen.rect(x - 80, y - 70, x + 80, y + 70, (255, 255, 255, 255))
    pen.rect(x - 70, y - 60, x + 70, y + 60, (144, 202, 249, 255) if c.light != "night" else (20, 30, 70, 255))
    pen.line([(x - 70, y), (x + 70, y)], (255, 255, 255, 255), 8)
    pen.line([(x, y - 60), (x, y + 60)], (255, 255, 255, 255), 8)


@layer("snowy_window")
def snowy_window(pen: Pen, c: Ctx) -> None:
    """A polar hut's window onto the snowfield: sky by the light of the hour, white hills."""
    x, y = c.W / 2, 0.3 * c.H
    sky = {"night": (20, 30, 70, 255), "dusk": (255, 171, 145, 255)}.get(c.light, (144, 202, 249, 255))
    pen.rect(x - 120, y - 90, x + 120, y + 90, c.shade(c.far, -0.4), radius=8)
    pen.rect(x - 106, y - 76, x + 106, y + 76, sky)
    pen.ellipse(x - 40, y + 96, 120, 60, (245, 250, 255, 255))
    pen.ellipse(x + 70, y + 100, 110, 50, (232, 242, 250, 255))
    pen.rect(x - 106, y + 50, x + 106, y + 76, (245, 250, 255, 255))
    pen.line([(x - 106, y), (x + 106, y)], c.shade(c.far, -0.4), 8)
    pen.line([(x, y - 76), (x, y + 76)], c.shade(c.far, -0.4), 8)


@layer("hay_floor")
def hay_floor(pen: Pen, c: Ctx) -> None:
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))
    for _ in range(70):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(c.hy, c.H)
        a = c.rng.uniform(-0.6, 0.6)
        pen.line([(x, y), (x + 26 * math.cos(a), y + 26 * math.sin(a))], c.shade(c.ground, -0.2), 2)
    for x in (0.06 * c.W, 0.94 * c.W):
        pen.rect(x - 70, c.hy - 70, x + 70, c.hy + 20, c.shade(c.ground, -0.05), radius=10)


@layer("nest_boxes")
def nest_boxes(pen: Pen, c: Ctx) -> None:
    """Inside a henhouse: a row of straw-filled nest boxes along the wall and a roosting pole."""
    wood, dark = c.shade(c.near, 0.1), c.shade(c.near, -0.3)
    straw = (*mix(c.ground, (255, 255, 255), 0.15), 255)
    top = c.hy - 0.2 * c.H
    for k in range(4):
        x = (0.18 + 0.21 * k) * c.W
        pen.rect(x - 70, top, x + 70, top + 90, wood)
        pen.rect(x - 58, top + 14, x + 58, top + 90, dark)
        pen.ellipse(x, top + 82, 56, 18, straw)
    pen.rect(0.08 * c.W, top + 90, 0.92 * c.W, top + 104, dark)  # the shelf they stand on
    y = 0.22 * c.H
    pen.line([(0.05 * c.W, y), (0.95 * c.W, y)], dark, 12)  # the roost
    for x in (0.05 * c.W, 0.95 * c.W):
        pen.line([(x, y), (x, c.hy)], dark, 10)


@layer("stone_wall")
def stone_wall(pen: Pen, c: Ctx) -> None:
    for r in range(int(c.hy // 48) + 1):
        off = 40 if r % 2 else 0
        for k in range(-1, 14):
            x = k * 80 + off
            pen.rect(x + 2, r * 48 + 2, x + 78, r * 48 + 46, c.shade(c.far, 0.08 * ((k + r) % 3 - 1)),
                     radius=6)


@layer("castle_windows")
def castle_windows(pen: Pen, c: Ctx) -> None:
    sky = (144, 202, 249, 255) if c.light != "night" else (25, 35, 80, 255)
    for x in (0.25 * c.W, 0.75 * c.W):
        pen.rect(x - 40, 0.16 * c.H, x + 40, 0.42 * c.H, sky)
        pen.pie(x, 0.16 * c.H, 40, 180, 360, sky)
        pen.line([(x, 0.1 * c.H), (x, 0.42 * c.H)], c.shade(c.far, -0.4), 5)


@layer("banners", accent=True)
def banners(pen: Pen, c: Ctx) -> None:
    """Hanging banners in the chosen colour with a pale stripe."""
    for x in (0.08 * c.W, 0.5 * c.W, 0.92 * c.W):
        pen.poly([(x - 34, 0.05 * c.H), (x + 34, 0.05 * c.H), (x + 34, 0.36 * c.H),
                  (x, 0.31 * c.H), (x - 34, 0.36 * c.H)], (*c.accent, 255))
        pen.rect(x - 34, 0.1 * c.H, x + 34, 0.12 * c.H, (*mix(c.accent, (255, 255, 255), 0.6), 255))


@layer("rug")
def rug(pen: Pen, c: Ctx) -> None:
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))
    top, bottom = c.hy + 0.06 * c.H, c.H
    pen.poly([(c.W / 2 - 110, top), (c.W / 2 + 110, top), (c.W / 2 + 260, bottom),
              (c.W / 2 - 260, bottom)], (183, 28, 28, 255))
    pen.poly([(c.W / 2 - 90, top + 8), (c.W / 2 + 90, top + 8), (c.W / 2 + 220, bottom),
              (c.W / 2 - 220, bottom)], (229, 57, 53, 255))


@layer("hearth")
def hearth(pen: Pen, c: Ctx) -> None:
    x, base = c.rng.choice((0.2, 0.8)) * c.W, c.hy + 4
    pen.rect(x - 120, base - 200, x + 120, base, c.shade(c.far, -0.25))
    pen.rect(x - 80, base - 130, x + 80, base, (40, 30, 30, 255))
    for dx, h, col in ((-30, 70, (255, 112, 67)), (0, 95, (255, 167, 38)), (30, 60, (255, 112, 67))):
        pen.poly([(x + dx - 24, base), (x + dx, base - h), (x + dx + 24, base)], (*col, 255))
    pen.rect(x - 140, base - 210, x + 140, base - 196, c.shade(c.far, -0.4))


@layer("tile_floor")
def tile_floor(pen: Pen, c: Ctx) -> None:
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))
    rows = 6
    for r in range(rows):
        y0 = c.hy + (c.H - c.hy) * r / rows
        y1 = c.hy + (c.H - c.hy) * (r + 1) / rows
        for k in range(12):
            if (k + r) % 2:
                pen.rect(k * c.W / 12, y0, (k + 1) * c.W / 12, y1, c.shade(c.ground, -0.12))


@layer("wood_floor")
def wood_floor(pen: Pen, c: Ctx) -> None:
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))
    for k in range(1, 8):
        y = c.hy + (c.H - c.hy) * k / 8
        pen.line([(0, y), (c.W, y)], c.shade(c.ground, -0.2), 2)


@layer("lanterns", accent=True)
def lanterns(pen: Pen, c: Ctx) -> None:
    """Paper lanterns in the chosen colour hanging from the ceiling, glowing."""
    glow = mix(c.accent, (255, 255, 255), 0.5)
    for x in (0.2 * c.W, 0.5 * c.W, 0.8 * c.W):
        y = 0.12 * c.H
        pen.line([(x, 0), (x, y - 24)], (90, 70, 60, 255), 2)
        pen.ellipse(x, y, 44, 40, (*glow, 60))
        pen.ellipse(x, y, 24, 28, (*c.accent, 255))
        pen.rect(x - 14, y - 30, x + 14, y - 24, (60, 50, 40, 255))


@layer("ice_walls")
def ice_walls(pen: Pen, c: Ctx) -> None:
    for _ in range(14):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(0, c.hy)
        r = c.rng.uniform(60, 140)
        pen.poly([(x - r, y), (x - r * 0.3, y - r * 0.8), (x + r * 0.6, y - r * 0.5), (x + r, y + r * 0.3),
                  (x, y + r * 0.7)], c.shade(c.far, c.rng.uniform(-0.1, 0.3), 200))
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))
    for _ in range(10):
        pen.ellipse(c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 10, c.H), c.rng.uniform(40, 100), 5,
                    c.shade(c.ground, -0.1))


@layer("snow_dome")
def snow_dome(pen: Pen, c: Ctx) -> None:
    """Inside an igloo: a dome of snow blocks in rows that curve in towards the top, a round
    doorway to the tunnel, and a packed snow floor."""
    pen.rect(0, 0, c.W, c.H, (*c.far, 255))
    cx, rows = c.W / 2, 7
    for k in range(rows):  # each row of blocks: an arc band, narrower higher up
        y0 = c.hy - (k + 1) * c.hy / rows
        y1 = c.hy - k * c.hy / rows
        half = c.W * (0.62 - 0.06 * k)
        n = 9 - k
        for j in range(n):
            x0 = cx - half + j * 2 * half / n
            shade = 0.08 * ((j + k) % 2) + c.rng.uniform(-0.03, 0.03)
            pen.rect(x0 + 3, y0 + 3, x0 + 2 * half / n - 3, y1 - 3, c.shade(c.far, 0.15 + shade), radius=6)
    dx, dy = 0.78 * c.W, c.hy  # the doorway to the tunnel, dark blue
    pen.ellipse(dx, dy - 70, 80, 90, c.shade(c.near, -0.45))
    pen.rect(dx - 80, dy - 70, dx + 80, dy, c.shade(c.near, -0.45))
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))
    for _ in range(8):
        pen.ellipse(c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 10, c.H), c.rng.uniform(40, 90), 5,
                    c.shade(c.ground, -0.08))


@layer("icicles")
def icicles(pen: Pen, c: Ctx) -> None:
    for k in range(26):
        x = (k + 0.5) * c.W / 26
        pen.poly([(x - 12, 0), (x + 12, 0), (x, c.rng.uniform(40, 110))], (225, 245, 254, 235))


@layer("earth_walls")
def earth_walls(pen: Pen, c: Ctx) -> None:
    """A round burrow / hollow-tree room: earthy walls around a warm arch."""
    pen.ellipse(c.W / 2, c.hy, 0.55 * c.W, 0.62 * c.H, c.shade(c.far, 0.15))
    for _ in range(30):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(0, c.hy)
        pen.ellipse(x, y, c.rng.uniform(6, 16), c.rng.uniform(4, 10), c.shade(c.far, -0.25))
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))


@layer("roots")
def roots(pen: Pen, c: Ctx) -> None:
    for k in range(7):
        x = c.rng.uniform(0, c.W)
        pts = [(x + 30 * math.sin(j / 1.5 + k), 0.03 * c.H * j) for j in range(6)]
        pen.line(pts, c.shade(c.far, -0.45), 7 - k % 3)


@layer("glass_walls")
def glass_walls(pen: Pen, c: Ctx) -> None:
    frame = (236, 239, 241, 255)
    for k in range(9):
        x = k * c.W / 8
        pen.line([(x, 0), (x, c.hy)], frame, 6)
    for y in (0.15 * c.H, 0.4 * c.H):
        pen.line([(0, y), (c.W, y)], frame, 6)
    for _ in range(6):
        x = c.rng.uniform(0, c.W)
        pen.poly([(x, 0), (x + 60, 0), (x - 40, c.hy), (x - 100, c.hy)], (255, 255, 255, 30))


@layer("shelves_pots")
def shelves_pots(pen: Pen, c: Ctx) -> None:
    y = c.hy - 0.12 * c.H
    pen.rect(0, y, c.W, y + 12, (141, 110, 99, 255))
    for k in range(9):
        x = (k + 0.5) * c.W / 9
        pen.poly([(x - 24, y - 44), (x + 24, y - 44), (x + 17, y), (x - 17, y)], (216, 67, 21, 255))
        for a in (-2.4, -1.57, -0.7):
            pen.poly(leaf(x, y - 44, 40, a), c.shade(c.near, -0.15))


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
