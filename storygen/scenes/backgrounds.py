"""Procedural themed backgrounds for the scene renderer: a vertical gradient, far scenery per
theme (8 themes), a ground band, a day/night variant, and an accent of the chosen colour
(bunting, bubbles or a ringed planet). Drawn at SS x and box-downsampled for smooth edges.

Pure functions of (theme, variant, size, seed, accent): same inputs -> same pixels.
"""
from __future__ import annotations

import math
import random
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .layout import HORIZON, WATER_SURFACE

SS = 2  # supersampling factor
REF_WIDTH = 1024

# theme: (sky top, sky bottom, ground) for the day variant; night darkens the day scene.
PALETTE = {
    "underwater": ((79, 195, 247), (1, 87, 155), (230, 200, 140)),
    "space": ((26, 20, 70), (59, 31, 107), (176, 174, 196)),
    "jungle": ((143, 211, 244), (224, 247, 250), (124, 179, 66)),
    "farm": ((135, 206, 235), (232, 246, 255), (139, 195, 74)),
    "castle": ((167, 199, 242), (243, 229, 245), (102, 187, 106)),
    "arctic": ((179, 229, 252), (225, 245, 254), (245, 250, 255)),
    "forest": ((154, 208, 236), (227, 242, 253), (124, 160, 60)),
    "garden": ((144, 202, 249), (227, 242, 253), (124, 179, 66)),
}
NIGHT = {"underwater": (0.40, 0.45, 0.70), "space": (0.70, 0.70, 0.85)}
NIGHT_LAND = (0.55, 0.60, 0.85)  # mild, so snow and hills still read against the dark sky
NIGHT_SKY = ((14, 22, 60), (52, 66, 122))
LAND = ("jungle", "farm", "castle", "arctic", "forest", "garden")


def hex_rgb(hexcode: str) -> tuple[int, int, int]:
    return tuple(int(hexcode[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def mix(a, b, t: float) -> tuple[int, ...]:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


class _Pen:
    """ImageDraw at SS x scale with blending, taking 1x coordinates."""

    def __init__(self, img: Image.Image) -> None:
        self.d = ImageDraw.Draw(img, "RGBA")

    def poly(self, pts, fill) -> None:
        self.d.polygon([(x * SS, y * SS) for x, y in pts], fill=fill)

    def ellipse(self, cx, cy, rx, ry, fill=None, outline=None, width=1) -> None:
        self.d.ellipse([(cx - rx) * SS, (cy - ry) * SS, (cx + rx) * SS, (cy + ry) * SS],
                       fill=fill, outline=outline, width=width * SS)

    def rect(self, x0, y0, x1, y1, fill) -> None:
        self.d.rectangle([x0 * SS, y0 * SS, x1 * SS, y1 * SS], fill=fill)

    def line(self, pts, fill, width) -> None:
        self.d.line([(x * SS, y * SS) for x, y in pts], fill=fill, width=int(width * SS),
                    joint="curve")


def _wave(W, y, amp, period, phase, n=48):
    return [(W * i / n, y + amp * math.sin(2 * math.pi * (W * i / n) / period + phase))
            for i in range(n + 1)]


def _band(pen, W, H, y, amp, period, phase, fill):
    """Fill from a wavy line at y down to the bottom of the frame."""
    pen.poly(_wave(W, y, amp, period, phase) + [(W, H), (0, H)], fill)


def _leaf(cx, cy, length, angle, width=0.35):
    pts = []
    for i in range(13):
        t = i / 12
        pts.append((t * length, math.sin(math.pi * t) * length * width / 2))
    pts += [(x, -y) for x, y in reversed(pts)]
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts]


def _cloud(pen, cx, cy, r, fill=(255, 255, 255, 225)):
    for dx, dy, k in ((-1.1, 0.2, 0.7), (0, 0, 1.0), (1.1, 0.15, 0.75), (0.5, -0.5, 0.7)):
        pen.ellipse(cx + dx * r, cy + dy * r, k * r * 1.2, k * r, fill)


def _pines(pen, W, y, h, n, colour, rng):
    for i in range(n):
        x = (i + rng.uniform(0.1, 0.9)) * W / n
        hh = h * rng.uniform(0.7, 1.1)
        pen.poly([(x, y - hh), (x - hh * 0.28, y + 4), (x + hh * 0.28, y + 4)], colour)


def paint_underwater(pen, W, H, rng, accent):
    for _ in range(5):  # light rays from the surface
        x = rng.uniform(0.05, 0.95) * W
        pen.poly([(x - 18, 0), (x + 18, 0), (x + 140, H * 0.8), (x + 40, H * 0.8)], (255, 255, 255, 26))
    pen.poly([(0, 0), (W, 0)] + _wave(W, WATER_SURFACE * H, 5, W / 9, 0)[::-1], (178, 235, 242, 255))
    pen.line(_wave(W, WATER_SURFACE * H, 5, W / 9, 0), (255, 255, 255, 200), 4)
    for _ in range(7):  # far rocks
        pen.ellipse(rng.uniform(0, W), H * rng.uniform(0.76, 0.8), rng.uniform(60, 150),
                    rng.uniform(30, 70), (10, 60, 110, 110))
    for side in (0.08, 0.9, 0.2, 0.78):  # kelp
        x0 = side * W + rng.uniform(-30, 30)
        top = H * rng.uniform(0.3, 0.5)
        pts = [(x0 + 14 * math.sin(k / 2.0), H * 0.86 - (H * 0.86 - top) * k / 12) for k in range(13)]
        pen.line(pts, (46, 125, 50, 255), 12)
        for k in range(2, 12, 2):
            pen.poly(_leaf(*pts[k], 44, -0.6 if k % 4 else -2.5), (67, 160, 71, 255))
    _band(pen, W, H, 0.8 * H, 10, W / 3, rng.uniform(0, 6), (230, 200, 140, 255))
    for _ in range(40):
        pen.ellipse(rng.uniform(0, W), rng.uniform(0.84, 0.99) * H, 4, 2.5, (190, 160, 110, 255))
    light = mix(accent, (255, 255, 255), 0.55)  # accent: bubbles in the chosen colour
    for _ in range(16):
        x = rng.choice((rng.uniform(0.02, 0.18), rng.uniform(0.82, 0.98))) * W
        r = rng.uniform(5, 14)
        pen.ellipse(x, rng.uniform(0.2, 0.75) * H, r, r, (*light, 90), (*accent, 230), 3)


def paint_space(pen, W, H, rng, accent):
    for _ in range(3):
        pen.ellipse(rng.uniform(0, W), rng.uniform(0, 0.6) * H, rng.uniform(120, 260),
                    rng.uniform(60, 120), (170, 90, 200, 28))
    for _ in range(140):
        r = rng.choice((1, 1, 1.5, 2, 2.5))
        pen.ellipse(rng.uniform(0, W), rng.uniform(0, HORIZON) * H, r, r,
                    (255, 255, 255, rng.randint(150, 255)))
    for _ in range(8):  # accent: stars in the chosen colour
        x, y, r = rng.uniform(0, W), rng.uniform(0.05, 0.55) * H, rng.uniform(6, 11)
        pen.poly([(x, y - r), (x + r / 4, y - r / 4), (x + r, y), (x + r / 4, y + r / 4), (x, y + r),
                  (x - r / 4, y + r / 4), (x - r, y), (x - r / 4, y - r / 4)], (*accent, 255))
    cx = rng.choice((0.12, 0.88)) * W
    cy, r = 0.2 * H, 0.08 * H
    pen.ellipse(cx, cy, r, r, (255, 183, 77, 255))
    pen.ellipse(cx - r * 0.2, cy - r * 0.25, r * 0.7, r * 0.18, (255, 204, 128, 255))
    pen.ellipse(cx, cy, r * 1.8, r * 0.4, None, (*accent, 255), 6)  # accent ring
    _band(pen, W, H, (HORIZON + 0.06) * H, 14, W / 2, rng.uniform(0, 6), (176, 174, 196, 255))
    for _ in range(9):
        x, y = rng.uniform(0, W), rng.uniform(HORIZON + 0.12, 0.97) * H
        rx = rng.uniform(20, 60)
        pen.ellipse(x, y, rx, rx * 0.3, (140, 138, 165, 255))
        pen.ellipse(x, y + rx * 0.06, rx * 0.85, rx * 0.22, (160, 158, 185, 255))


def _hills(pen, W, H, rng, colours):
    for k, colour in enumerate(colours):
        for _ in range(3):
            pen.ellipse(rng.uniform(0, W), (HORIZON + 0.02) * H, rng.uniform(200, 380),
                        rng.uniform(60, 130) - 20 * k, colour)


def paint_jungle(pen, W, H, rng, accent):
    _hills(pen, W, H, rng, [(56, 142, 60, 255), (46, 125, 50, 255)])
    for _ in range(6):  # far canopy
        x = rng.uniform(0, W)
        pen.rect(x - 6, (HORIZON - 0.2) * H, x + 6, HORIZON * H, (93, 64, 55, 255))
        pen.ellipse(x, (HORIZON - 0.22) * H, rng.uniform(50, 80), rng.uniform(35, 55), (27, 94, 32, 255))
    _band(pen, W, H, HORIZON * H, 8, W / 4, rng.uniform(0, 6), (124, 179, 66, 255))
    for x0 in (0.04, 0.3, 0.7, 0.96):  # vines from the top
        x0 *= W
        pts = [(x0 + 24 * math.sin(k / 1.7), 0.3 * H * k / 10) for k in range(11)]
        pen.line(pts, (51, 105, 30, 255), 6)
        for k in range(2, 11, 2):
            pen.poly(_leaf(*pts[k], 30, 0.5 if k % 4 else 2.6), (85, 139, 47, 255))
    for cx, ang in ((0, -0.5), (W, math.pi + 0.5)):  # big leaves in the bottom corners
        for d in (-0.3, 0.0, 0.3):
            pen.poly(_leaf(cx, H, 230, ang + d - 0.6), (46, 125, 50, 255))


def paint_farm(pen, W, H, rng, accent):
    _hills(pen, W, H, rng, [(156, 204, 101, 255), (124, 179, 66, 255)])
    bx = rng.choice((0.14, 0.86)) * W
    by = (HORIZON + 0.01) * H
    bw, bh = 0.13 * W, 0.12 * H
    pen.rect(bx - bw / 2, by - bh, bx + bw / 2, by, (198, 40, 40, 255))
    pen.poly([(bx - bw / 2 - 8, by - bh), (bx, by - bh * 1.7), (bx + bw / 2 + 8, by - bh)],
             (120, 20, 20, 255))
    pen.rect(bx - bw / 6, by - bh * 0.6, bx + bw / 6, by, (255, 255, 255, 255))
    pen.line([(bx - bw / 6, by - bh * 0.6), (bx + bw / 6, by)], (198, 40, 40, 255), 3)
    pen.line([(bx + bw / 6, by - bh * 0.6), (bx - bw / 6, by)], (198, 40, 40, 255), 3)
    _band(pen, W, H, (HORIZON + 0.02) * H, 6, W / 3, rng.uniform(0, 6), (139, 195, 74, 255))
    fy = (HORIZON + 0.05) * H
    for k in range(0, 21):  # fence
        x = k * W / 20
        pen.rect(x - 5, fy - 40, x + 5, fy + 12, (161, 110, 70, 255))
    for dy in (-28, -8):
        pen.rect(0, fy + dy - 4, W, fy + dy + 4, (141, 94, 60, 255))


def paint_castle(pen, W, H, rng, accent):
    _hills(pen, W, H, rng, [(165, 214, 167, 255), (129, 199, 132, 255)])
    cx, base = rng.choice((0.22, 0.78)) * W, (HORIZON + 0.02) * H
    wall = (159, 168, 218, 255)
    pen.rect(cx - 130, base - 110, cx + 130, base, wall)
    for k in range(-6, 7):
        pen.rect(cx + k * 20 - 6, base - 124, cx + k * 20 + 6, base - 108, wall)
    for tx, th in ((-130, 190), (130, 190), (0, 250)):
        x = cx + tx
        pen.rect(x - 28, base - th, x + 28, base, wall)
        pen.poly([(x - 36, base - th), (x, base - th - 70), (x + 36, base - th)], (121, 134, 203, 255))
        pen.line([(x, base - th - 70), (x, base - th - 100)], (90, 90, 110, 255), 3)
        pen.poly([(x, base - th - 100), (x + 34, base - th - 91), (x, base - th - 82)], (*accent, 255))
    pen.ellipse(cx, base, 30, 46, (92, 107, 192, 255))
    _band(pen, W, H, (HORIZON + 0.02) * H, 6, W / 3, rng.uniform(0, 6), (102, 187, 106, 255))


def paint_arctic(pen, W, H, rng, accent):
    for _ in range(4):
        x, hh = rng.uniform(0, W), rng.uniform(0.18, 0.32) * H
        y = (HORIZON + 0.02) * H
        pen.poly([(x - hh * 1.1, y), (x, y - hh), (x + hh * 1.1, y)], (240, 248, 255, 255))
        pen.poly([(x, y - hh), (x + hh * 1.1, y), (x + hh * 0.2, y)], (187, 222, 251, 255))
    _band(pen, W, H, (HORIZON + 0.01) * H, 8, W / 2.5, rng.uniform(0, 6), (245, 250, 255, 255))
    ix, iy, r = rng.choice((0.13, 0.87)) * W, (HORIZON + 0.07) * H, 70
    pen.d.pieslice([(ix - r) * SS, (iy - r) * SS, (ix + r) * SS, (iy + r) * SS], 180, 360,
                   fill=(250, 253, 255, 255), outline=(144, 202, 249, 255), width=3 * SS)
    for k in (0.35, 0.7):
        half = r * math.sqrt(1 - k * k)  # ice-block joints
        pen.line([(ix - half, iy - r * k), (ix + half, iy - r * k)], (144, 202, 249, 255), 2)
    pen.d.pieslice([(ix - 22) * SS, (iy - 30) * SS, (ix + 22) * SS, (iy + 30) * SS], 180, 360,
                   fill=(69, 90, 100, 255))
    for _ in range(12):
        x, y = rng.uniform(0, W), rng.uniform(HORIZON + 0.1, 0.97) * H
        pen.ellipse(x, y, rng.uniform(40, 110), 6, (207, 230, 250, 255))


def paint_forest(pen, W, H, rng, accent):
    _pines(pen, W, (HORIZON + 0.02) * H, 0.26 * H, 16, (129, 178, 129, 255), rng)
    _pines(pen, W, (HORIZON + 0.03) * H, 0.34 * H, 7, (56, 110, 70, 255), rng)
    _band(pen, W, H, (HORIZON + 0.02) * H, 8, W / 3, rng.uniform(0, 6), (124, 160, 60, 255))
    for _ in range(25):
        x, y = rng.uniform(0, W), rng.uniform(HORIZON + 0.08, 0.98) * H
        pen.line([(x, y), (x - 5, y - 14)], (85, 120, 40, 255), 3)
        pen.line([(x, y), (x + 5, y - 14)], (85, 120, 40, 255), 3)


def paint_garden(pen, W, H, rng, accent):
    y = (HORIZON + 0.02) * H
    for k in range(18):
        pen.ellipse(k * W / 17, y - 30, 48, 55, (56, 142, 60, 255))
    pen.rect(0, y - 30, W, y + 5, (56, 142, 60, 255))
    for k in range(0, 41):  # picket fence
        x = k * W / 40
        pen.poly([(x - 8, y + 6), (x - 8, y - 48), (x, y - 58), (x + 8, y - 48), (x + 8, y + 6)],
                 (250, 250, 245, 255))
    pen.rect(0, y - 34, W, y - 26, (236, 236, 228, 255))
    _band(pen, W, H, y, 4, W / 3, rng.uniform(0, 6), (124, 179, 66, 255))
    for _ in range(45):
        x, fy = rng.uniform(0, W), rng.uniform(HORIZON + 0.06, 0.98) * H
        petal = rng.choice(((244, 143, 177), (255, 241, 118), (255, 255, 255), (206, 147, 216)))
        pen.ellipse(x, fy, 7, 7, (*petal, 255))
        pen.ellipse(x, fy, 2.5, 2.5, (255, 193, 7, 255))


PAINTERS = {"underwater": paint_underwater, "space": paint_space, "jungle": paint_jungle,
            "farm": paint_farm, "castle": paint_castle, "arctic": paint_arctic,
            "forest": paint_forest, "garden": paint_garden}


def _gradient(top, bottom, W, H) -> np.ndarray:
    t = np.linspace(0.0, 1.0, H, dtype=np.float32)[:, None, None]
    col = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    return np.broadcast_to(col, (H, W, 3)).astype(np.uint8)


@lru_cache(maxsize=8)
def background(theme: str, variant: str, width: int, height: int, seed: int, accent: str,
               skip: frozenset = frozenset()) -> Image.Image:
    """The static scene behind the objects (cached: callers must copy before drawing).

    Painted at a reference width of REF_WIDTH (the painters' pixel sizes assume it) and
    resampled when the asked size differs, so small test renders look like big ones."""
    W, H = REF_WIDTH, max(1, round(REF_WIDTH * height / width))
    rng = random.Random(f"{seed}:{theme}")  # the same world in every scene of a story seed
    top, bottom, _ = PALETTE[theme]
    if variant == "night" and theme in LAND:
        top, bottom = NIGHT_SKY
    acc = hex_rgb(accent)
    img = Image.fromarray(_gradient(top, bottom, W * SS, H * SS), "RGB")
    pen = _Pen(img)
    if theme in LAND and variant == "day":
        if "sun" not in skip:
            for k, a in ((2.0, 40), (1.5, 60), (1.0, 255)):
                pen.ellipse(0.84 * W, 0.2 * H, 0.06 * H * k, 0.06 * H * k, (255, 213, 79, a))
        for _ in range(3):
            _cloud(pen, rng.uniform(0.05, 0.95) * W, rng.uniform(0.14, 0.36) * H, rng.uniform(22, 36))
    PAINTERS[theme](pen, W, H, rng, acc)
    if variant == "night":
        img = _night(img, theme, W, H, rng, skip)
    if theme in LAND:
        _bunting(_Pen(img), W, H, acc)
    if (width, height) == (W, H):
        return img.reduce(SS)
    return img.resize((width, height), Image.Resampling.BOX)


def _night(img: Image.Image, theme: str, W: int, H: int, rng, skip) -> Image.Image:
    factor = np.array(NIGHT.get(theme, NIGHT_LAND), np.float32)
    img = Image.fromarray((np.asarray(img).astype(np.float32) * factor).astype(np.uint8), "RGB")
    pen = _Pen(img)
    if theme in LAND:
        for _ in range(90):
            r = rng.choice((1, 1.5, 2))
            pen.ellipse(rng.uniform(0, W), rng.uniform(0.02, HORIZON - 0.12) * H, r, r,
                        (255, 255, 240, rng.randint(140, 255)))
        if "moon" not in skip:
            for k, a in ((1.8, 35), (1.35, 60), (1.0, 255)):
                pen.ellipse(0.82 * W, 0.2 * H, 0.055 * H * k, 0.055 * H * k, (250, 245, 210, a))
    if theme == "arctic":
        img = _aurora(img, W, H)
    if theme == "underwater":
        for _ in range(40):  # glowing plankton
            pen.ellipse(rng.uniform(0, W), rng.uniform(0.2, 0.8) * H, 2, 2, (180, 255, 230, 200))
    return img


def _aurora(img: Image.Image, W: int, H: int) -> Image.Image:
    """Northern lights: soft wavy bands, drawn small and blurred (cheap) then scaled up."""
    k = 4
    layer = Image.new("RGBA", (W // k, H // k), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for i, colour in enumerate(((105, 240, 174, 110), (64, 196, 255, 80), (179, 136, 255, 60))):
        pts = _wave(W // k, (0.2 + 0.07 * i) * H / k, 30 / k, W / k / 2, 1.3 * i)
        draw.line(pts, fill=colour, width=max(2, 44 // k))
    layer = layer.filter(ImageFilter.GaussianBlur(3)).resize(img.size, Image.Resampling.BILINEAR)
    return Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")


def _bunting(pen: _Pen, W: int, H: int, accent) -> None:
    """Accent: a string of flags across the top in the chosen colour."""
    colours = (accent, mix(accent, (255, 255, 255), 0.5), (255, 255, 255))
    curve = [(x, 0.025 * H + 0.05 * H * (1 - (2 * x / W - 1) ** 2)) for x in np.linspace(0, W, 25)]
    pen.line(curve, (90, 70, 60, 255), 2)
    for k in range(1, 24):
        (x0, y0), (x1, y1) = curve[k], curve[k + 1]
        pen.poly([(x0, y0), (x1, y1), ((x0 + x1) / 2, (y0 + y1) / 2 + 0.05 * H)], (*colours[k % 3], 255))


