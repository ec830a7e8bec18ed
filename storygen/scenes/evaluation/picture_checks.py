"""Picture checks of one layout beyond its relations (issue 22): things that stand touch the
ground, nothing is cut off by the frame, and no object is drawn over another unless a relation
says so. Judged, like the relations, on the visible part of each sprite.
"""
from __future__ import annotations

from typing import Sequence

from ...records import Relation, SceneLayout
from ...object_library import Library
from ..backgrounds.choose import variant_of
from ..layout.geometry import TOUCHING, overlap_area, visible
from ..layout.select import geo_of, zone_of

STANDING_ZONES = ("ground", "floor", "backdrop")
# a relation that holds a thing up: it need not stand on the ground
HELD_UP = ("on", "in", "above", "below", "riding_on", "worn_by", "held_by")
GROUND_TOLERANCE = 0.01  # of the frame height: an anchor whose foot touches the seabed line stands
CUT_TOLERANCE = 1.0  # px: whole-pixel rounding of a box is not a cut
OVERLAP_SHARE = 0.10  # of the smaller visible area: less is two outlines touching, not one over another


def picture_checks(layout: SceneLayout, relations: Sequence[Relation], lib: Library,
                   hero: str | None) -> dict[str, list]:
    """{"floating": [keys], "cut_off": [keys], "overlaps": [(a, b)]} for one layout."""
    W, H = layout.width, layout.height
    geo = geo_of(variant_of(layout.background), layout.background.theme, W, H)
    held_up = {r.subject for r in relations if not r.negated and r.predicate in HELD_UP}
    linked = {frozenset((r.subject, r.object)) for r in relations
              if not r.negated and r.predicate in TOUCHING}
    vis, floating, cut = {}, [], []
    for o in layout.objects:
        box = (o.box.x, o.box.y, o.box.w, o.box.h)
        v = vis[o.entity] = visible(box, lib.content(o.object_id))
        base = o.entity.split("#")[0]
        if v[0] < -CUT_TOLERANCE or v[1] < -CUT_TOLERANCE or v[0] + v[2] > W + CUT_TOLERANCE \
                or v[1] + v[3] > H + CUT_TOLERANCE:  # the drawing, not its transparent margin
            cut.append(o.entity)
        zone = zone_of(lib.get(o.object_id), base == hero and o.entity == base, geo)
        if zone in STANDING_ZONES and not o.worn_by and base not in held_up \
                and v[1] + v[3] < geo.horizon - GROUND_TOLERANCE * H:
            floating.append(o.entity)
    overlaps = []
    objs = list(layout.objects)
    for i, a in enumerate(objs):
        for b in objs[i + 1:]:
            # a worn or held thing goes where its owner goes: judged as the owner (the crown of
            # a princess standing in front of the castle may cover the castle too)
            ka, kb = a.worn_by or a.entity.split("#")[0], b.worn_by or b.entity.split("#")[0]
            if ka == kb or frozenset((ka, kb)) in linked:
                continue
            va, vb = vis[a.entity], vis[b.entity]
            if overlap_area(va, vb) > OVERLAP_SHARE * min(va[2] * va[3], vb[2] * vb[3]):
                overlaps.append((a.entity, b.entity))
    return {"floating": floating, "cut_off": cut, "overlaps": overlaps}
