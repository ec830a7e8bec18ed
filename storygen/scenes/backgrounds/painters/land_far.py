"""Background painters for the sky and the far scenery of the land themes outdoors: sun, moon,
clouds and stars, the northern lights, hills, far pines, the jungle canopy, mountains, and what
stands on the horizon (a barn, a castle flying the chosen colour, a temple, a waterfall)."""
from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter

from ..paint import SS, Ctx, LayerSet, Pen, cloud, pines, wave

layer = LayerSet()


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


@layer("aurora")
def aurora(pen: Pen, c: Ctx) -> None:
    """Northern lights: soft wavy bands, drawn small and blurred (cheap) then scaled up."""
    k = 4
    W, H = pen.img.size
    band = Image.new("RGBA", (W // k, H // k), (0, 0, 0, 0))
    draw = ImageDraw.Draw(band)
    for i, colour in enumerate(((105, 240, 174, 110), (64, 196, 255, 80), (179, 136, 255, 60))):
        pts = wave(W // k, (0.2 + 0.07 * i) * H / k, 30 * SS / k, W / k / 2, 1.3 * i)
        draw.line(pts, fill=colour, width=max(2, 44 * SS // k))
    band = band.filter(ImageFilter.GaussianBlur(3)).resize((W, H), Image.Resampling.BILINEAR)
    pen.img.paste(band, (0, 0), band)


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
