"""Poses drawn: one still drawing per creature, turned, tipped, lifted or flattened so that the
picture says what the text has it doing (PlacedObject.pose, read by nlp/poses.py).

    sleep  a person lies down (turned a quarter), an animal curls low; "z z z" over its head
    lie    the same, without the z's
    roll   tipped forward; in the animation it turns right over, once a loop
    dive   nose down (a person head first)
    climb  nose up
    jump   lifted a third of its height off where it stood, nose a little up
    fall   tipped over onto the ground
    dance  leaning, rocking from side to side in the animation
    hug    leaning in toward the nearest other creature (who hugs and who is hugged both do)

What it wears and holds turns with it: a worn thing is transformed about its owner's pivot, so a
rolling fox keeps its scarf on. "Nose" is where the drawing looks (LibraryObject.facing, after
the layout's flip); a front-facing drawing is taken to look right. Angles are PIL's: degrees
counter-clockwise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Optional

from PIL import Image, ImageDraw, ImageOps

from ..object_library import LibraryObject
from ..records import POSES, PlacedObject, SceneLayout
from .layout.geometry import visible

UPRIGHT = ("character",)  # drawn standing up: lying down is a quarter turn, not a flattening
LOW = 0.72  # an animal lying down: its height, flattened onto its feet
JUMP_LIFT = 0.33  # of its height
ROCK_DEGREES = 12.0  # dance: the rock either side of its lean
HUG_LEAN = 14.0


@dataclass(frozen=True)
class Turn:
    """How one posed owner (and what it wears) is drawn at one moment."""
    angle: float  # degrees counter-clockwise about the pivot
    pivot: tuple[float, float]  # the owner's box centre (for a flattening: its feet)
    dy: float  # then moved down by this much (px; negative lifts)
    squash: float = 1.0  # height factor about the owner's feet
    grounded: bool = False  # set down on its feet's line once turned (owner_turns measures)


def nose(obj: PlacedObject, drawing: LibraryObject) -> int:
    """+1 when the drawing looks right in the picture, -1 left."""
    looks = -1 if drawing.facing == "left" else 1
    return -looks if obj.flip else looks


def drawn_box(b, content: tuple[float, float, float]) -> tuple[float, float, float, float]:
    """(x, y, w, h) of the visible drawing inside a placed object's box (geometry.visible)."""
    return visible((b.x, b.y, b.w, b.h), content)


def turn_of(owner: PlacedObject, drawing: LibraryObject, content=(0.0, 0.0, 1.0),
            t: float = 0.0, toward: int = 0) -> Optional[Turn]:
    """The owner's pose at loop time t (0..1); None when it stands as drawn. Turned about the
    centre of what is drawn, set down on where its feet were (`content`: Library.content)."""
    pose = owner.pose
    if pose not in POSES:
        return None
    vis = drawn_box(owner.box, content)
    d = nose(owner, drawing)
    centre, feet = (vis[0] + vis[2] / 2, vis[1] + vis[3] / 2), (vis[0] + vis[2] / 2, vis[1] + vis[3])
    upright = drawing.category in UPRIGHT
    if pose in ("sleep", "lie"):
        if upright:  # head toward where it looked: a quarter turn, feet back on the ground
            return _grounded(vis, -90.0 * d, centre)
        return Turn(0.0, feet, 0.0, LOW)
    if pose == "roll":  # over on its back, and right over in the animation
        return _grounded(vis, d * (-140.0 - 360.0 * t), centre)
    if pose == "fall":
        return _grounded(vis, -80.0 * d, centre)
    if pose == "dive":
        return Turn((-120.0 if upright else -50.0) * d, centre, 0.0)
    if pose == "climb":
        return Turn((15.0 if upright else 30.0) * d, centre, 0.0)
    if pose == "jump":
        return Turn(0.0 if upright else 15.0 * d, centre, -min(JUMP_LIFT * vis[3], max(0.0, vis[1])))
    if pose == "hug":  # `toward`: +1 when the one it hugs is to its right, -1 left, 0 nobody
        return Turn(-HUG_LEAN * toward, feet, 0.0) if toward else None
    if pose == "dance":
        return Turn(d * (8.0 + ROCK_DEGREES * math.sin(2 * math.pi * 2 * t)), feet, 0.0)
    return None


def _grounded(vis, angle: float, centre) -> Turn:
    """Turned about its centre, then set down where its feet were (owner_turns measures how far
    from the turned drawing itself; this, from its box, is the first guess)."""
    a = math.radians(angle)
    h = abs(vis[2] * math.sin(a)) + abs(vis[3] * math.cos(a))
    return Turn(angle, centre, vis[1] + vis[3] - (centre[1] + h / 2), grounded=True)


def _settle(turn: Turn, owner: PlacedObject, library) -> Turn:
    """A grounded turn moved so the lowest drawn pixel of the turned owner is where its feet
    were: a deer on its back has empty corners that a turned box would count."""
    b = owner.box
    img = library.raster(owner.object_id, int(b.w), int(b.h))
    if owner.flip:
        img = ImageOps.mirror(img)
    spr, _, y = apply(img, int(b.x), int(b.y), replace(turn, dy=0.0))
    drawn = spr.getchannel("A").point(lambda a: 255 if a > 32 else 0).getbbox()
    if drawn is None:
        return turn
    bottom = library.content(owner.object_id)[2]
    feet = b.y + bottom * b.h
    return replace(turn, dy=feet - (y + drawn[3]))


def owner_turns(layout: SceneLayout, library, t: float = 0.0) -> dict[str, Turn]:
    """{entity: Turn} for every posed object of the layout and what it wears or holds."""
    owners = {o.entity: o for o in layout.objects if not o.worn_by}
    turns: dict[str, Turn] = {}
    settled: dict[str, Optional[Turn]] = {}
    for o in layout.objects:
        owner = owners.get(o.worn_by or o.entity)
        if owner is None or owner.object_id not in library:
            continue
        if owner.entity not in settled:
            turn = turn_of(owner, library.get(owner.object_id), library.content(owner.object_id), t,
                           _toward(owner, owners.values(), library) if owner.pose == "hug" else 0)
            settled[owner.entity] = _settle(turn, owner, library) if turn and turn.grounded else turn
        if settled[owner.entity] is not None:
            turns[o.entity] = settled[owner.entity]
    return turns


def _toward(owner: PlacedObject, others, library) -> int:
    """+1 / -1: the side of the nearest other creature (whom a hug leans to), 0 when none."""
    cx = owner.box.x + owner.box.w / 2
    near = [(abs(o.box.x + o.box.w / 2 - cx), o.box.x + o.box.w / 2 - cx) for o in others
            if o.entity != owner.entity and o.object_id in library
            and library.get(o.object_id).category in ("animal", "character")]
    return 0 if not near else (1 if min(near)[1] >= 0 else -1)


def apply(img: Image.Image, x: float, y: float, turn: Turn) -> tuple[Image.Image, int, int]:
    """The sprite at (x, y), transformed by the owner's turn -> (sprite, left, top)."""
    if turn.squash != 1.0:
        h = max(1, round(img.height * turn.squash))
        feet = turn.pivot[1]
        top = feet - (feet - y) * turn.squash
        img = img.resize((img.width, h), Image.Resampling.BILINEAR)
        y = top
    if abs(turn.angle) >= 0.2:
        cx, cy = x + img.width / 2, y + img.height / 2
        px, py = turn.pivot
        a = math.radians(-turn.angle)  # image y points down: a CCW turn on screen
        rx = px + (cx - px) * math.cos(a) - (cy - py) * math.sin(a)
        ry = py + (cx - px) * math.sin(a) + (cy - py) * math.cos(a)
        img = img.rotate(turn.angle, resample=Image.Resampling.BICUBIC, expand=True)
        x, y = rx - img.width / 2, ry - img.height / 2
    return img, round(x), round(y + turn.dy)


def sleep_marks(base: Image.Image, layout: SceneLayout, library, night: bool) -> None:
    """"z z z" rising from the head of everything asleep, on the side it looks to."""
    draw = ImageDraw.Draw(base)
    ink = (255, 255, 255, 235) if night else (52, 64, 110, 235)
    for o in layout.objects:
        if o.pose != "sleep" or o.worn_by or o.object_id not in library:
            continue
        x, y, w, h = drawn_box(o.box, library.content(o.object_id))
        d = nose(o, library.get(o.object_id))
        if library.get(o.object_id).category in UPRIGHT:  # lying: the head at the end it looks to
            hx, hy, size = x + w / 2 + d * h * 0.45, y + h - w, 0.28 * w
        else:  # curled low: the head up front
            hx, hy, size = x + w / 2 + d * w * 0.3, y + h * (1 - LOW), 0.14 * w
        size = max(8.0, size)
        for k in range(3):
            s = size * (0.6 + 0.25 * k)
            zx = hx + d * (k + 0.3) * size * 0.8 - (s if d < 0 else 0)
            zy = hy - (k + 0.5) * size * 0.9 - s
            pts = [(zx, zy), (zx + s, zy), (zx, zy + s), (zx + s, zy + s)]
            draw.line(pts, fill=ink, width=max(2, round(s / 6)), joint="curve")
