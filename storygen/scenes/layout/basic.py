"""The `basic` scene layout: the rule-based BASELINE that the `solver` backend (solver_backend.py)
improves on; kept for comparison (`storygen evaluate layout --backend basic`).

Rules, in order: background from the theme and cues (backgrounds.choose.choose_background,
shared); the hero large near the centre; every
other drawable entity sized by its size class and placed in its placement zone (sky on top,
ground at the bottom, water anywhere under the sea), next to an already placed entity when a
relation links them (above/below/on/in/near/behind/in front of), otherwise at the least crowded
of a few seeded candidate spots. Boxes stay inside the frame. Same inputs + seed -> same layout.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from ...records import Box, Entity, PlacedObject, Prompt, SceneGraph, SceneLayout
from ...object_library import Library, LibraryObject, load_library
from ..backgrounds.choose import choose_background
from .select import drawn_names

BACKEND = "basic"

HORIZON = 0.64  # ground band starts here (fraction of height); render.py draws the same line
WATER_SURFACE = 0.135  # underwater: the sea surface line near the top
SIZE_FRACTION = {"tiny": 0.10, "small": 0.15, "medium": 0.22, "large": 0.30, "huge": 0.40}
HERO_FRACTION = 0.46
BACKDROP_FRACTION = 0.50
MIN_SIZE = 0.06
MAX_OBJECTS = 10  # hero included; more than this is clutter at 1024x768
MAX_COPIES = 4
CANDIDATES = 48
# Relation as seen from the entity being placed, when the relation names it as the object.
INVERSE = {"above": "below", "below": "above", "on": "under", "in": "contains", "near": "near",
           "behind": "in_front_of", "in_front_of": "behind"}
ANIMATION_AMPLITUDE = {  # px are fractions of the box height; sway in degrees
    "bob": 0.04, "hop": 0.10, "swim": 0.06, "sway": 5.0, "flap": 0.28, "twinkle": 0.12, "none": 0.0,
}


@dataclass
class _Placed:
    entity: Entity
    obj: LibraryObject
    box: tuple[float, float, float, float]  # x, y, w, h
    key: float  # painter's order: larger is drawn later (in front)


def compose_layout(graph: SceneGraph, prompt: Prompt, accent_hex: str, width: int, height: int,
                   seed: int, library: Library | None = None, setting=None, outfit=()) -> SceneLayout:
    """Place the graph's drawable entities on a width x height canvas (deterministic per seed).
    `setting`: the book's SceneSetting for this scene (setting/book.py), else cues alone choose.
    `outfit` is ignored: the baseline draws worn things as loose objects, as it always did."""
    lib = library or load_library()
    rng = random.Random(seed)
    theme = graph.theme or prompt.theme
    placed: list[_Placed] = []
    for entity, anchor in _placement_order(graph, lib):
        obj = lib.get(entity.object_id)
        copies = 1 if entity.hero else min(entity.count, MAX_COPIES)
        for copy in range(copies):
            if len(placed) >= MAX_OBJECTS:
                break
            rel = anchor if copy == 0 else None
            placed.append(_place(entity, obj, rel, placed, theme, width, height, rng))
    objects = _finish(placed, accent_hex, width, rng)
    if setting is not None:
        from ..setting.book import background_for  # late: setting -> backgrounds, kept light here
        background = background_for(theme, setting, graph.cues)
    else:
        background = choose_background(theme, graph.cues, graph.resolved_text or graph.text,
                                       drawn=drawn_names(graph, lib))
    return SceneLayout(index=graph.index, width=width, height=height,
                       background=background,
                       objects=objects, accent=accent_hex, seed=seed, backend=BACKEND)


def _placement_order(graph: SceneGraph, lib: Library):
    """Hero first; then, repeatedly, the first entity related to one already placed (with that
    relation seen from its side); else the first landmark (the object of a preposition: the
    chest in "a crown in the chest" stands on its own, the crown goes where the chest is);
    else the next entity in mention order."""
    drawable = [e for e in graph.entities if e.object_id and e.object_id in lib and not e.gone]
    todo = sorted(drawable, key=lambda e: not e.hero)
    done: set[str] = set()
    relations = [r for r in graph.relations if not r.negated]
    landmarks = {r.object for r in relations}
    while todo:
        pick, anchor = None, None
        for ent in todo:
            anchor = _anchor_for(ent.id, relations, done)
            if anchor is not None:
                pick = ent
                break
        if pick is None:
            pick = next((e for e in todo if e.hero or e.id in landmarks), todo[0])
        todo.remove(pick)
        done.add(pick.id)
        yield pick, anchor


def _anchor_for(entity_id: str, relations, done: set[str]):
    for r in relations:
        if r.subject == entity_id and r.object in done:
            return (r.predicate, r.object)
        if r.object == entity_id and r.subject in done:
            return (INVERSE.get(r.predicate, "near"), r.subject)
    return None


def _size(entity: Entity, obj: LibraryObject, theme: str, H: int) -> float:
    if entity.hero:
        return HERO_FRACTION * H
    if _is_backdrop(obj):
        return BACKDROP_FRACTION * H
    frac = SIZE_FRACTION[obj.size]
    if theme == "underwater" and obj.placement in ("surface", "sky"):
        frac = min(frac, WATER_SURFACE + 0.03)  # boats and clouds ride the thin band up top
    return min(frac, 0.9 * HERO_FRACTION) * H


def _is_backdrop(obj: LibraryObject) -> bool:
    return obj.category == "building" or (obj.size == "huge" and obj.category in ("plant", "prop"))


def _zone(obj: LibraryObject, theme: str, hero: bool) -> str:
    """Where on screen an object lives, given its placement and the theme's world."""
    p = obj.placement
    if theme == "underwater":
        if p in ("surface", "sky"):
            return "surface"
        return "floor" if p == "ground" else ("middle" if hero else "water")
    if theme == "space" and p in ("water", "any"):
        return "middle" if hero else "water"  # things float in space
    if p in ("water", "surface"):
        return "ground"  # ponds and streams sit in the ground band
    if p == "sky":
        return "high" if hero else "sky"
    if p == "any":
        return "middle" if hero else "any"
    return p  # ground, wall


def _bottom_range(zone: str, h: float, H: int) -> tuple[float, float]:
    """Allowed range of the box's bottom edge for a zone."""
    if zone in ("ground", "floor"):
        return 0.84 * H, 0.97 * H
    if zone == "sky":
        lo = 0.03 * H + h
        return lo, max(lo, 0.42 * H)
    if zone == "surface":
        return h + 0.005 * H, h + 0.01 * H
    if zone == "wall":
        return 0.30 * H + h / 2, 0.50 * H + h / 2
    if zone == "water":
        return 0.26 * H + h / 2, 0.66 * H + h / 2
    if zone == "high":
        return 0.42 * H + h / 2, 0.42 * H + h / 2
    if zone == "middle":
        return 0.50 * H + h / 2, 0.50 * H + h / 2
    return 0.15 * H + h, 0.80 * H + h / 2  # any


def _place(entity: Entity, obj: LibraryObject, anchor, placed: list[_Placed], theme: str,
           W: int, H: int, rng: random.Random) -> _Placed:
    h = _size(entity, obj, theme, H)
    w = h  # every Noto icon is square
    zone = _zone(obj, theme, entity.hero)
    if entity.hero:
        cx = W / 2 + rng.uniform(-0.06, 0.06) * W
        bottom = 0.95 * H if zone in ("ground", "floor", "wall") else _bottom_range(zone, h, H)[0]
        return _Placed(entity, obj, _fit((cx - w / 2, bottom - h, w, h), W, H), bottom)
    if anchor is not None:
        target = next((p for p in placed if p.entity.id == anchor[1]), None)
        if target is not None:
            grounded = zone in ("ground", "floor") or _is_backdrop(obj)
            got = _relative(anchor[0], w, h, target, grounded, W, H, rng)
            if _acceptable(got, anchor[0], grounded, h, H):
                return _Placed(entity, obj, _fit(got[0], W, H), got[1])
    if _is_backdrop(obj):
        zone = "backdrop"
    box = _best_spot(zone, w, h, placed, W, H, rng)
    layer = -2.0 if zone == "backdrop" else (-1.0 if zone in ("sky", "surface") else 0.0)
    return _Placed(entity, obj, box, layer * H + box[1] + box[3])


def _acceptable(got, pred: str, grounded: bool, h: float, H: int) -> bool:
    """A relation box is used unless it squeezed the object too small, or would lift a
    ground-dweller into the air ("the crab looked behind the boat" with the boat up top)."""
    if got is None or got[0][3] < max(MIN_SIZE * H, 0.5 * h):
        return False
    bottom = got[0][1] + got[0][3]
    return not (grounded and pred not in ("on", "in") and bottom < (HORIZON + 0.1) * H)


def _relative(pred: str, w: float, h: float, p: _Placed, grounded: bool, W: int, H: int,
              rng: random.Random):
    """(box, painter's key) for an object in relation `pred` to the placed object p, or None."""
    px, py, pw, ph = p.box
    pcx, pbottom = px + pw / 2, py + ph
    jitter = rng.uniform(-0.1, 0.1) * pw
    if (pred == "above" and grounded) or (pred == "under" and pbottom > 0.9 * H):
        # "hid under the mushroom" / "on the sunflower" with both on the ground: draw the
        # landmark big behind p, so p is under its cap / on its face, instead of floating it
        h = w = min(max(h, 1.25 * ph), 0.95 * H)
        return (pcx - w / 2, min(pbottom + 0.02 * H, H) - h, w, h), p.key - 0.5
    if pred == "above":
        bottom = py + 0.08 * ph
        h = w = min(h, bottom - 0.01 * H)
        return (pcx + jitter - w / 2, bottom - h, w, h), p.key - 0.5
    if pred == "below":
        top = pbottom - 0.08 * ph
        h = w = min(h, 0.99 * H - top)
        return (pcx + jitter - w / 2, top, w, h), p.key + 0.5
    if pred == "on":
        h = w = min(h, 0.8 * ph, py + 0.2 * ph - 0.01 * H)
        return (pcx - w / 2, py + 0.2 * ph - h, w, h), p.key + 0.5
    if pred == "under":
        h = w = min(h, 0.99 * H - (pbottom - 0.2 * h))
        return (pcx - w / 2, pbottom - 0.2 * h, w, h), p.key - 0.5  # drawn behind what it holds
    if pred == "in":
        h = w = min(h, 0.5 * ph)
        return (pcx - w / 2, py + ph / 2 - h / 2, w, h), p.key + 0.5
    if pred == "contains":
        h = w = min(max(h, 1.3 * ph), 0.95 * H)
        return (pcx - w / 2, pbottom + 0.1 * h - h, w, h), p.key - 0.5
    side = 1 if pcx < W / 2 else -1
    if pred == "near":  # beside p, on the side with room (else the other side)
        right, left = px + pw + 0.02 * W, px - 0.02 * W - w
        x = right if (side > 0 and right + w <= W) or left < 0 else left
        return (x, pbottom - h, w, h), p.key + (0.1 if h < ph else -0.1)  # big things stay back
    if pred == "behind":
        return (pcx + side * 0.35 * pw - w / 2, pbottom - 0.06 * H - h, w, h), p.key - 0.5
    if pred == "in_front_of":
        h = w = min(h, 0.7 * ph)
        return (pcx + side * 0.3 * pw - w / 2, min(pbottom + 0.03 * H, H) - h, w, h), p.key + 0.5
    return None


def _best_spot(zone: str, w: float, h: float, placed: list[_Placed], W: int, H: int,
               rng: random.Random) -> tuple[float, float, float, float]:
    """The least-overlapping of CANDIDATES seeded spots in the zone (hero overlap costs most)."""
    if zone == "backdrop":
        lo, hi = (HORIZON + 0.08) * H, (HORIZON + 0.16) * H
    else:
        lo, hi = _bottom_range(zone, h, H)
    best, best_cost = None, float("inf")
    for _ in range(CANDIDATES):
        x = rng.uniform(0, max(0.0, W - w))
        bottom = rng.uniform(lo, hi)
        box = _fit((x, bottom - h, w, h), W, H)
        cost = sum(_overlap(box, p.box) / (w * h) * (4.0 if p.entity.hero else 1.0)
                   for p in placed)
        if cost < best_cost:
            best, best_cost = box, cost
    return best


def _overlap(a, b) -> float:
    dx = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    dy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _fit(box, W: int, H: int) -> tuple[float, float, float, float]:
    """Shrink to the frame if needed, then shift inside it; whole pixels for stable JSON."""
    x, y, w, h = box
    s = min(1.0, W / w, H / h)
    w, h = int(w * s), int(h * s)
    x = min(max(int(round(x)), 0), W - w)
    y = min(max(int(round(y)), 0), H - h)
    return float(x), float(y), float(w), float(h)


def _finish(placed: list[_Placed], accent_hex: str, W: int, rng: random.Random):
    """z from painter's keys; flips so creatures face the hero; hero tint; animation params."""
    order = sorted(range(len(placed)), key=lambda i: (placed[i].key, i))
    z_of = {i: z for z, i in enumerate(order, start=1)}
    hero = next((p for p in placed if p.entity.hero), None)
    focus = hero.box[0] + hero.box[2] / 2 if hero else W / 2
    out = []
    for i, p in enumerate(placed):
        x, y, w, h = p.box
        cx = x + w / 2
        if p.entity.hero:
            look = W / 2 - cx if abs(W / 2 - cx) > 0.02 * W else 0.0
        else:
            look = focus - cx
        flip = (p.obj.facing == "left" and look > 0) or (p.obj.facing == "right" and look < 0)
        amp = ANIMATION_AMPLITUDE[p.obj.animation]
        params = {} if p.obj.animation == "none" else {
            "amplitude": round(amp if p.obj.animation in ("sway", "flap", "twinkle") else amp * h, 2),
            "phase": round(rng.random(), 3),
        }
        out.append(PlacedObject(entity=p.entity.id, object_id=p.obj.id, box=Box(x=x, y=y, w=w, h=h),
                                z=z_of[i], flip=flip, tint=accent_hex if p.entity.hero else None,
                                animation=p.obj.animation, animation_params=params))
    return tuple(sorted(out, key=lambda o: o.z))


def make_basic(**_):
    return compose_layout

