"""What each spatial predicate means on screen, defined once and used by both the layout
optimiser (as hinge penalties) and the evaluation (as satisfied / not satisfied).

A predicate between a subject box `a` and an object box `b` is a list of terms g_i (pixels);
it holds when every g_i <= 0 (and, for behind / in front of / in / on, the drawing order
agrees). "above"/"below" have two readings: stacked (a boat over the mermaid) or sheltering (a
rabbit under a mushroom cap, both on the ground); the closer one is used, and only the
sheltering one when the upper thing stands on the ground (a tree cannot hang over a boy). Boxes are (x, y, w, h) with y growing downward, and are the *visible* boxes (see
`visible`): the drawn part of each sprite. `between` takes two object boxes;
with only one it means `near`. A negated relation holds when its predicate does not. "On" is
judged against the object's `seat` when what rests on it does not rest on its top (a windowsill
under its window, a bench's seat under its back: LibraryObject.surface).
"""
from __future__ import annotations

from typing import Optional, Sequence

from ...records import Relation

Box = tuple[float, float, float, float]
PREDICATES = ("above", "below", "on", "in", "near", "behind", "in_front_of", "left_of",
              "right_of", "between", "riding_on", "worn_by", "held_by")
# Relations that put two things in contact or in front of each other: their boxes may overlap.
TOUCHING = ("above", "below", "on", "in", "behind", "in_front_of", "riding_on", "worn_by", "held_by")
NEAR_GAP = 0.10  # of the frame width: "near" means at most this far apart
Z_BEFORE = {"behind"}  # the subject is drawn before (under) the object
Z_AFTER = {"in_front_of", "in", "on", "along", "riding_on", "worn_by", "held_by"}  # drawn after (over) it
SEATED = ("on", "along", "riding_on")  # judged against the object's seat (`seat`), not its whole box
ON_BAND = (0.12, 0.45)  # "on": the subject's base lies this far down the support (fractions)


def visible(box: Box, content: tuple[float, float, float]) -> Box:
    """The part of a sprite box the drawing covers (Library.content gives the fractions):
    relations and overlaps are judged on what the reader sees, not on transparent padding."""
    x, y, w, h = box
    inset, top, bottom = content
    return (x + inset * w, y + top * h, w * (1 - 2 * inset), h * (bottom - top))


def seat(box: Box, surface: Optional[tuple[float, float]]) -> Box:
    """The box that "on" is judged against: the visible box itself, or for a thing whose
    resting surface is not its top (LibraryObject.surface: the band, as fractions of the drawn
    height, where what rests on it has its base: a windowsill's sill below its window, a
    bridge's deck below its rail) a box whose ON_BAND is exactly that band."""
    if surface is None:
        return box
    x, y, w, h = box
    lo, hi = ON_BAND
    bh = (surface[1] - surface[0]) * h / (hi - lo)
    return (x, y + surface[0] * h - lo * bh, w, bh)


def _cx(b: Box) -> float:
    return b[0] + b[2] / 2


def _cy(b: Box) -> float:
    return b[1] + b[3] / 2


def overlap_1d(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def overlap_area(a: Box, b: Box) -> float:
    dx = overlap_1d(a[0], a[0] + a[2], b[0], b[0] + b[2])
    dy = overlap_1d(a[1], a[1] + a[3], b[1], b[1] + b[3])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _side_by_side(a: Box, b: Box) -> float:
    """<= 0 when the two boxes share some height (they stand side by side, not stacked)."""
    return abs(_cy(a) - _cy(b)) - 0.5 * (a[3] + b[3])


def terms(pred: str, a: Box, b: Box, W: float, H: float, c: Optional[Box] = None,
          grounded: bool = False) -> list[float]:
    """Hinge terms of `a pred b` (`c`: the second object of `between`); all <= 0 means it holds.
    `grounded`: for above / below, the upper thing stands on the ground (a tree, a bench, a
    table), so only the sheltering reading is possible: what is under it is at its foot, not
    lower down the page ("a boy sat under the apple tree" is not a boy in front of it)."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    abot, bbot = ay + ah, by + bh
    if pred == "above":  # stacked over b, or a big thing whose canopy shelters b on the ground
        # (under a thing standing on the ground, below its seat or canopy: a cat under a
        # bench is no taller than the space under the seat)
        shelter = [abs(_cx(a) - _cx(b)) - 0.3 * aw, ay + (0.45 if grounded else 0.3) * ah - by,
                   bw - 0.8 * aw, abs(abot - bbot) - 0.08 * H]
        if grounded:
            return shelter
        stacked = [abot - (by + 0.15 * bh), abs(_cx(a) - _cx(b)) - 0.5 * max(aw, bw)]
        return min(stacked, shelter, key=_excess)
    if pred == "below":
        return terms("above", b, a, W, H, grounded=grounded)
    if pred in ("on", "along"):  # resting on the top part, roughly centred ("along": anywhere
        # along it, for the copies of what sits on it: two crows on one fence)
        lo, hi = ON_BAND
        return [by + lo * bh - abot, abot - (by + hi * bh),
                abs(_cx(a) - _cx(b)) - (0.25 if pred == "on" else 0.45) * bw]
    if pred == "riding_on":  # astride: the rider's base on the upper part of the mount
        return [by + 0.05 * bh - abot, abot - (by + 0.6 * bh), abs(_cx(a) - _cx(b)) - 0.35 * bw]
    if pred == "worn_by":  # on the wearer's outline (a hat may rise above it), smaller than it:
        # no wider than the wearer (a crown drawn over a drawn one is as wide as the head)
        ox = overlap_1d(ax, ax + aw, bx, bx + bw)
        oy = overlap_1d(ay, abot, by, bbot)
        return [bx - _cx(a), _cx(a) - (bx + bw), by - 0.5 * ah - _cy(a), _cy(a) - bbot,
                1.0 - min(ox, oy), aw - bw, ah - 0.8 * bh]
    if pred == "held_by":  # touching the holder, not below its feet, not much bigger than it
        gap = max(-overlap_1d(ax, ax + aw, bx, bx + bw), -overlap_1d(ay, abot, by, bbot))
        return [gap - 0.02 * W, by - 0.25 * ah - _cy(a), _cy(a) - bbot, aw - 1.2 * bw]
    if pred == "in":  # centred inside and smaller than the container
        return [abs(_cx(a) - _cx(b)) - 0.3 * bw, abs(_cy(a) - _cy(b)) - 0.3 * bh, aw - 0.85 * bw]
    if pred in ("behind", "in_front_of"):  # overlapping; the one behind stands further back
        ox = overlap_1d(ax, ax + aw, bx, bx + bw)
        oy = overlap_1d(ay, abot, by, bbot)
        depth = abot - (bbot + 0.02 * H) if pred == "behind" else (bbot - 0.02 * H) - abot
        # (half of the smaller one's height shared: a mouse behind a flowerpot is hidden by
        # it, not perched above its leaves)
        return [0.5 * min(aw, bw) - ox, 0.5 * min(ah, bh) - oy, depth]
    if pred == "left_of":
        return [_cx(a) - bx, _side_by_side(a, b)]
    if pred == "right_of":
        return [bx + bw - _cx(a), _side_by_side(a, b)]
    if pred == "between" and c is not None:
        lo, hi = sorted((_cx(b), _cx(c)))
        return [lo + 0.1 * aw - _cx(a), _cx(a) - (hi - 0.1 * aw), _side_by_side(a, b),
                _side_by_side(a, c)]
    if pred in ("near", "between"):
        gap_x = -overlap_1d(ax, ax + aw, bx, bx + bw)
        gap_y = -overlap_1d(ay, abot, by, bbot)
        return [max(gap_x, gap_y) - NEAR_GAP * W,
                overlap_area(a, b) - 0.5 * min(aw * ah, bw * bh)]  # beside, not on top
    raise ValueError(f"unknown predicate {pred!r}")


def harmony(pred: str, a: Box, b: Box) -> float:
    """A preference, not part of "holds": sizes that make the relation read well (px). A
    support wider than what sits on it, a container clearly bigger than its content, something
    big enough to hide behind."""
    if pred == "on":
        return max(0.0, 1.5 * a[2] - b[2])
    if pred == "in":
        return max(0.0, a[2] - 0.7 * b[2])
    if pred == "behind":  # the front thing is tall enough and covers a good part of a, but a
        # still peeks out (a narrow figure wholly behind a door is not seen hiding, it is gone)
        ox = max(0.0, overlap_1d(a[0], a[0] + a[2], b[0], b[0] + b[2]))
        return max(0.0, 0.6 * a[3] - b[3]) + max(0.0, 0.4 * a[2] - ox) + max(0.0, ox - 0.75 * a[2])
    if pred == "below":  # what covers a is at least about as wide (a mushroom cap, a boat)
        return max(0.0, 0.9 * a[2] - b[2])
    if pred == "in_front_of":  # what stands behind still shows above it
        return 0.5 * max(0.0, 1.2 * a[3] - b[3])
    return 0.0


def _excess(g: list[float]) -> float:
    return sum(max(0.0, t) for t in g)


def z_ok(pred: str, za: int, zb: int) -> bool:
    if pred in Z_BEFORE:
        return za < zb
    if pred in Z_AFTER:
        return za > zb
    return True


def between_partner(rel: Relation, relations: Sequence[Relation]) -> Optional[str]:
    """For `a between b`, the other object of the same subject's between-relations, if any."""
    if rel.predicate != "between":
        return None
    for r in relations:
        if (r.predicate == "between" and r.subject == rel.subject and r.object != rel.object
                and r.negated == rel.negated):
            return r.object
    return None


def holds(rel: Relation, boxes: dict[str, Box], z: dict[str, int], W: float, H: float,
          relations: Sequence[Relation] = (), seats: Optional[dict[str, Box]] = None,
          grounded: frozenset[str] | set[str] = frozenset()) -> Optional[bool]:
    """Whether the relation is satisfied by the layout (negation included); None when one of
    its entities was not drawn. `seats`: the `seat` of each drawn thing whose resting surface
    is not its top, for "on" / "riding_on"; `grounded`: the drawn things that stand on the
    ground (see `terms`)."""
    a, b = boxes.get(rel.subject), boxes.get(rel.object)
    if a is None or b is None:
        return None
    if seats and rel.predicate in SEATED and rel.object in seats:
        b = seats[rel.object]
    partner = between_partner(rel, relations)
    c = boxes.get(partner) if partner else None
    upper = rel.subject if rel.predicate == "above" else rel.object
    geometric = all(g <= 0 for g in terms(rel.predicate, a, b, W, H, c, upper in grounded))
    positive = geometric and z_ok(rel.predicate, z[rel.subject], z[rel.object])
    return positive != rel.negated


def overlap_allowed(a: str, b: str, relations: Sequence[Relation]) -> bool:
    """Two entities may overlap when a (non-negated) touching relation links them."""
    return any(not r.negated and r.predicate in TOUCHING and {r.subject, r.object} == {a, b}
               for r in relations)


def out_of_frame(box: Box, W: float, H: float) -> bool:
    x, y, w, h = box
    return x < 0 or y < 0 or x + w > W or y + h > H
