"""Background layers for the land themes, outdoors: sky scenery, far scenery, ground, water
features, near details, and accents in the chosen colour (flowers, bunting, fireflies)."""
from __future__ import annotations

import math

from .paint import SS, Ctx, Pen, band, cloud, flags, layer, leaf, mix, pines, wave


@layer("celestial")
def celestial(pen: Pen, c: Ctx) -> None:
    """Sun and clouds by day, a low red sun at dusk, moon and stars at night."""
    W, H, rng = c.W, c.H, c.rng
    if c.light == "night":
        for _ in range(90):
            r = rng.choice((1, 1.5, 2))
            pen.ellipse(rng.uniform(0, W), rng.uniform(0.02, 0.5) * c.hy, r, r,
                        (255, 255, 240, rng.randint(140, 255)))
        if "moon" not in c.skip and not c.overcast:
            for k, a in ((1.8, 35), (1.35, 60), (1.0, 255)):
                pen.ellipse(0.82 * W, 0.2 * H, 0.055 * H * k, 0.055 * H * k, (250, 245, 210, a))
        return
    sunny = "sun" not in c.skip and not c.overcast
    if c.light == "dusk" and sunny:
        for k, a in ((2.2, 40), (1.5, 70), (1.0, 255)):
            pen.ellipse(0.78 * W, c.hy - 0.04 * H, 0.09 * H * k, 0.09 * H * k, (255, 138, 80, a))
    elif sunny:
        for k, a in ((2.0, 40), (1.5, 60), (1.0, 255)):
            pen.ellipse(0.84 * W, 0.2 * H, 0.06 * H * k, 0.06 * H * k, (255, 213, 79, a))
    tone = (255, 214, 220, 215) if c.light == "dusk" else (255, 255, 255, 225)
    if c.overcast:
        tone = (200, 205, 215, 235)
    for _ in range(6 if c.overcast else 3):
        cloud(pen, rng.uniform(0.05, 0.95) * W, rng.uniform(0.12, 0.36) * H, rng.uniform(22, 40), tone)


@layer("hills")
def hills(pen: Pen, c: Ctx) -> None:
    for k, colour in enumerate((c.shade(c.far, 0.25), c.shade(c.far, 0.0))):
        for _ in range(3):
            pen.ellipse(c.rng.uniform(0, c.W), c.hy + 0.02 * c.H, c.rng.uniform(200, 380),
                        c.rng.uniform(60, 130) - 20 * k, colour)


@layer("pines_far")
def pines_far(pen: Pen, c: Ctx) -> None:
    pines(pen, c.W, c.hy + 0.02 * c.H, 0.26 * c.H, 16, c.shade(c.far, 0.35), c.rng)
    pines(pen, c.W, c.hy + 0.03 * c.H, 0.34 * c.H, 7, c.shade(c.far, -0.1), c.rng)


@layer("canopy")
def canopy(pen: Pen, c: Ctx) -> None:
    for _ in range(6):
        x = c.rng.uniform(0, c.W)
        pen.rect(x - 6, c.hy - 0.2 * c.H, x + 6, c.hy, (93, 64, 55, 255))
        pen.ellipse(x, c.hy - 0.22 * c.H, c.rng.uniform(50, 80), c.rng.uniform(35, 55),
                    c.shade(c.far, -0.3))


@layer("mountains")
def mountains(pen: Pen, c: Ctx) -> None:
    for _ in range(4):
        x, hh = c.rng.uniform(0, c.W), c.rng.uniform(0.18, 0.32) * c.H
        y = c.hy + 0.02 * c.H
        pen.poly([(x - hh * 1.1, y), (x, y - hh), (x + hh * 1.1, y)], c.shade(c.far, 0.6))
        pen.poly([(x, y - hh), (x + hh * 1.1, y), (x + hh * 0.2, y)], c.shade(c.far, 0.0))


@layer("barn_far")
def barn_far(pen: Pen, c: Ctx) -> None:
    bx, by = c.rng.choice((0.14, 0.86)) * c.W, c.hy + 0.01 * c.H
    bw, bh = 0.13 * c.W, 0.12 * c.H
    pen.rect(bx - bw / 2, by - bh, bx + bw / 2, by, (198, 40, 40, 255))
    pen.poly([(bx - bw / 2 - 8, by - bh), (bx, by - bh * 1.7), (bx + bw / 2 + 8, by - bh)],
             (120, 20, 20, 255))
    pen.rect(bx - bw / 6, by - bh * 0.6, bx + bw / 6, by, (255, 255, 255, 255))
    for a, b in (((bx - bw / 6, by - bh * 0.6), (bx + bw / 6, by)),
                 ((bx + bw / 6, by - bh * 0.6), (bx - bw / 6, by))):
        pen.line([a, b], (198, 40, 40, 255), 3)


@layer("castle_far", accent=True)
def castle_far(pen: Pen, c: Ctx) -> None:
    """A castle on the hill; its pennants fly the chosen colour. Only the flags when a castle
    is drawn as an object (no second castle)."""
    if "castle" in c.skip:
        for k in range(5):
            x = (0.1 + 0.2 * k) * c.W
            pen.line([(x, c.hy + 0.02 * c.H), (x, c.hy - 0.1 * c.H)], (120, 110, 100, 255), 3)
            pen.poly([(x, c.hy - 0.1 * c.H), (x + 34, c.hy - 0.085 * c.H), (x, c.hy - 0.07 * c.H)],
                     (*c.accent, 255))
        return
    cx, base = c.rng.choice((0.22, 0.78)) * c.W, c.hy + 0.02 * c.H
    wall, roof = (159, 168, 218, 255), (121, 134, 203, 255)
    pen.rect(cx - 130, base - 110, cx + 130, base, wall)
    for k in range(-6, 7):
        pen.rect(cx + k * 20 - 6, base - 124, cx + k * 20 + 6, base - 108, wall)
    for tx, th in ((-130, 190), (130, 190), (0, 250)):
        x = cx + tx
        pen.rect(x - 28, base - th, x + 28, base, wall)
        pen.poly([(x - 36, base - th), (x, base - th - 70), (x + 36, base - th)], roof)
        pen.line([(x, base - th - 70), (x, base - th - 100)], (90, 90, 110, 255), 3)
        pen.poly([(x, base - th - 100), (x + 34, base - th - 91), (x, base - th - 82)], (*c.accent, 255))
    pen.ellipse(cx, base, 30, 46, (92, 107, 192, 255))


@layer("temple")
def temple(pen: Pen, c: Ctx) -> None:
    cx, base = c.rng.choice((0.25, 0.75)) * c.W, c.hy + 0.02 * c.H
    for k in range(4):  # stepped pyramid, vines hanging off it
        w, top = 200 - 40 * k, base - 36 * (k + 1)
        pen.rect(cx - w, top, cx + w, top + 36, c.shade((161, 136, 127), 0.1 * (k % 2)))
    pen.rect(cx - 22, base - 180, cx + 22, base - 144, c.shade((93, 64, 55), 0))
    for k in range(6):
        x = cx - 170 + 68 * k
        pen.line([(x, base - 40 - 10 * (k % 3)), (x + 6, base - 5)], c.shade(c.near, -0.2), 5)


@layer("waterfall")
def waterfall(pen: Pen, c: Ctx) -> None:
    x0 = c.rng.choice((0.18, 0.62)) * c.W
    cliff = c.shade((121, 85, 72), 0.0)
    pen.poly([(x0 - 160, c.hy + 10), (x0 - 120, 0.12 * c.H), (x0 + 260, 0.1 * c.H),
              (x0 + 300, c.hy + 10)], cliff)
    pen.rect(x0 - 10, 0.12 * c.H, x0 + 150, c.hy + 20, (129, 212, 250, 255))
    for k in range(7):
        x = x0 + 10 + 20 * k
        pen.line([(x, 0.13 * c.H), (x, c.hy + 10)], (225, 245, 254, 200), 4)
    for k in range(8):
        pen.ellipse(x0 + 70 + c.rng.uniform(-90, 90), c.hy + 20, c.rng.uniform(20, 40), 14,
                    (255, 255, 255, 200))


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


@layer("snow_drifts")
def snow_drifts(pen: Pen, c: Ctx) -> None:
    for _ in range(12):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(c.hy + 0.1 * c.H, 0.97 * c.H)
        pen.ellipse(x, y, c.rng.uniform(40, 110), 6, c.shade(c.ground, -0.12))


@layer("igloo")
def igloo(pen: Pen, c: Ctx) -> None:
    ix, iy, r = c.rng.choice((0.13, 0.87)) * c.W, c.hy + 0.07 * c.H, 70
    pen.pie(ix, iy, r, 180, 360, (250, 253, 255, 255), (144, 202, 249, 255), 3)
    for k in (0.35, 0.7):
        half = r * math.sqrt(1 - k * k)
        pen.line([(ix - half, iy - r * k), (ix + half, iy - r * k)], (144, 202, 249, 255), 2)
    pen.d.pieslice([(ix - 22) * SS, (iy - 30) * SS, (ix + 22) * SS, (iy + 30) * SS], 180, 360,
                   fill=(69, 90, 100, 255))


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


@layer("mushrooms")
def mushrooms(pen: Pen, c: Ctx) -> None:
    cx, cy = c.W / 2, c.hy + 0.2 * c.H
    for k in range(12):
        a = 2 * math.pi * k / 12
        x, y = cx + 0.36 * c.W * math.cos(a), cy + 0.09 * c.H * math.sin(a)
        pen.rect(x - 4, y - 16, x + 4, y, (255, 243, 224, 255))
        pen.pie(x, y - 14, 14, 180, 360, (229, 57, 53, 255))
        pen.ellipse(x - 4, y - 20, 2.5, 2.5, (255, 255, 255, 255))


@layer("bunting", accent=True)
def bunting(pen: Pen, c: Ctx) -> None:
    """A string of flags across the top in the chosen colour."""
    flags(pen, c.W, lambda x: 0.025 * c.H + 0.05 * c.H * (1 - (2 * x / c.W - 1) ** 2), c.accent, c.H)


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


@layer("fireflies", accent=True)
def fireflies(pen: Pen, c: Ctx) -> None:
    """Glowing dots in the chosen colour (brighter at night)."""
    glow = mix(c.accent, (255, 255, 255), 0.5)
    for _ in range(26):
        x, y = c.rng.uniform(0, c.W), c.rng.uniform(0.25, 0.9) * c.H
        pen.ellipse(x, y, 9, 9, (*glow, 70))
        pen.ellipse(x, y, 3.5, 3.5, (*c.accent, 255))


@layer("accent_kites", accent=True)
def accent_kites(pen: Pen, c: Ctx) -> None:
    """Two kites in the chosen colour high in the sky, strings trailing down."""
    for x in (0.18 * c.W, 0.6 * c.W):
        y = c.rng.uniform(0.1, 0.22) * c.H
        pen.poly([(x, y - 26), (x + 18, y), (x, y + 30), (x - 18, y)], (*c.accent, 255))
        pen.line([(x, y + 30), (x + 20, y + 90), (x - 10, y + 160)], (120, 110, 100, 200), 1.5)

