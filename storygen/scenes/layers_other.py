"""Background layers under the sea, in space and indoors (barn, throne room, kitchen, ice cave,
burrow, greenhouse, space station), with their accents in the chosen colour."""
from __future__ import annotations

import math

from .paint import Ctx, Pen, band, layer, leaf, mix, star, wave

# ------------------------------------------------------------------ underwater


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


# ------------------------------------------------------------------ space


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


# ------------------------------------------------------------------ indoors


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


@layer("hay_floor")
def hay_floor(pen: Pen, c: Ctx) -> None:
    pen.rect(0, c.hy, c.W, c.H, (*c.ground, 255))
    for _ in range(70):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(c.hy, c.H)
        a = c.rng.uniform(-0.6, 0.6)
        pen.line([(x, y), (x + 26 * math.cos(a), y + 26 * math.sin(a))], c.shade(c.ground, -0.2), 2)
    for x in (0.06 * c.W, 0.94 * c.W):
        pen.rect(x - 70, c.hy - 70, x + 70, c.hy + 20, c.shade(c.ground, -0.05), radius=10)


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


@layer("icicles")
def icicles(pen: Pen, c: Ctx) -> None:
    for k in range(26):
        x = (k + 0.5) * c.W / 26
        pen.poly([(x - 12, 0), (x + 12, 0), (x, c.rng.uniform(40, 110))], (225, 245, 254, 235))


@layer("crystals", accent=True)
def crystals(pen: Pen, c: Ctx) -> None:
    """Ice crystals glinting in the chosen colour."""
    for x in (0.05 * c.W, 0.95 * c.W, 0.3 * c.W, 0.7 * c.W):
        base = c.hy + c.rng.uniform(0.0, 0.04) * c.H
        for dx, h in ((-16, 50), (0, 80), (16, 44)):
            pen.poly([(x + dx - 10, base), (x + dx, base - h), (x + dx + 10, base)],
                     (*mix(c.accent, (255, 255, 255), 0.25), 235))


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
