"""Object selection for a scene: which graph entities are drawn (hero first, related entities
next, copies last, at most MAX_OBJECTS), with which library object, how big before the layout
adjusts them (size class x depth), and in which placement zone of the chosen background.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...records import Entity, SceneGraph
from ...object_library import Library, LibraryObject
from ..backgrounds.library import BackgroundVariant
from .sizes import CLASSES, hero_scale, size_class

SIZE_FRACTION = {"tiny": 0.10, "small": 0.15, "medium": 0.22, "large": 0.30, "huge": 0.40}
HERO_FRACTION = 0.44
BACKDROP_FRACTION = 0.50
MAX_OBJECTS = 10  # hero included; more than this is clutter at 1024x768
MAX_COPIES = 4
DEPTH_MIN = 0.72  # a ground object at the back of the ground band is drawn this much smaller
LANDMARK_PREDICATES = ("in", "on", "behind", "in_front_of", "below", "above", "riding_on")
SUPPORTED = ("on", "in", "above", "below", "riding_on")  # a subject of these is placed by its relation
# a bird or a bee that sits, stands or sleeps is on the ground, not flying ("the fox and the
# raven sat side by side" showed the raven overhead)
GROUNDED_VERBS = {"sit", "stand", "perch", "sleep", "nap", "rest", "lie", "waddle", "walk", "hop",
                  "land", "settle", "curl", "doze", "wait", "nest"}
BIGGER_CAP = 0.62  # of the frame height: a thing bigger than the hero in life grows up to this
BIGGER_STEP = 0.10  # ... by this share of the hero's height per size class it is above the hero
COMPARED_CATEGORIES = ("animal", "character", "vehicle")
BUILDING_OVER_HERO = 1.35  # a huge building's height over the hero's, up to BIGGER_CAP
SUNLIGHT = frozenset({"sun", "sunshine", "sunlight"})  # what a sky with a sun ("celestial") paints


@dataclass(frozen=True)
class Geo:
    """The background's geometry in pixels."""

    W: int
    H: int
    horizon: float
    surface: Optional[float]
    theme: str
    inside: bool
    keepout: tuple[tuple[float, float, float, float], ...] = ()  # the painted sun/moon


@dataclass
class Item:
    key: str  # entity id; copies get "id#2", "id#3"
    entity: Entity
    obj: LibraryObject
    copy: int
    base: float  # height in px before depth and scale
    zone: str
    smin: float
    smax: float
    layer: int  # -2 backdrop, -1 sky/surface, 0 the ground and the water between
    supported: bool  # placed by an on/in/above/below relation, not by its zone
    content: tuple[float, float, float] = (0.0, 0.0, 1.0)  # Library.content: the drawn part

    @property
    def hero(self) -> bool:
        return self.entity.hero and self.copy == 0


def geo_of(variant: BackgroundVariant, theme: str, W: int, H: int) -> Geo:
    # painters.land_far.celestial paints the sun / moon about here; sky objects keep clear of it
    sky = ((0.82 * W - 0.09 * H, 0.11 * H, 0.18 * H, 0.18 * H),) if "celestial" in variant.layers else ()
    return Geo(W=W, H=H, horizon=variant.horizon * H,
               surface=None if variant.surface is None else variant.surface * H, theme=theme,
               inside=variant.setting == "inside", keepout=sky)


# a door, a gate or a window is part of a wall: of the room painted around the scene, of the
# castle or the house in it, or of one off the page; drawn on its own it stands in the meadow
# like a stage prop and hides the hero (four of thirty pictures in a blind review); drawn only
# when the scene puts something against it ("the prince hid behind the door")
BUILDING_PARTS = {"door", "gate", "window", "doorway"}


def scenery(graph: SceneGraph, variant: BackgroundVariant) -> set[str]:
    """Entities the background already shows: named by one of the chosen variant's cues ("went
    home to the hollow tree", "the castle") and placed by no relation except being the place
    something is in, or named by what it `shows` (the walls of a room, whatever is on them),
    or a part of a building (BUILDING_PARTS). They are not drawn again as objects."""
    # (where one lives is the place: "he lived on a busy space station" is the station painted)
    lives = {a.subject for a in graph.actions if a.verb == "live"}
    targets = {r.object for r in graph.relations if r.negated or r.predicate != "in"
               and not (r.predicate == "on" and r.subject in lives)}
    placed = {r.subject for r in graph.relations} | targets
    drawable_ids = {e.id for e in graph.entities if e.object_id}
    related = {x for r in graph.relations if not r.negated and {r.subject, r.object} <= drawable_ids
               for x in (r.subject, r.object)}  # "hid behind the door": that door is drawn
    out = set()
    for e in graph.entities:
        words = e.mention.lower().split()
        # what the phrase names is its head: "the temple ruins" are the ruins, "the hollow
        # tree" the tree, but "the garden wall" is a wall, not the garden the cue names
        phrases = {" ".join(words[i:]) for i in range(len(words))}
        if e.hero:
            continue
        # (from inside a place, the place itself is not seen: "your igloo is the warmest place
        # on the hill", said in the igloo, draws no igloo in it)
        free = e.id not in (targets if variant.setting == "inside" else placed)
        part = {e.lemma, words[-1] if words else ""} & BUILDING_PARTS and e.id not in related
        if free and ({e.lemma} | phrases) & set(variant.cues) or part or \
                {e.lemma, words[-1] if words else ""} & set(variant.shows) or \
                e.id not in placed and e.lemma in SUNLIGHT and "celestial" in variant.layers:
            out.add(e.id)  # "a snail basking in the sun": in the painted sunshine
    return out


def is_backdrop(obj: LibraryObject) -> bool:
    return obj.category == "building" or (obj.size == "huge" and obj.category in ("plant", "prop"))


def zone_of(obj: LibraryObject, hero: bool, geo: Geo) -> str:
    """Where on screen an object lives, given its placement and the background's world."""
    p = obj.placement
    if geo.theme == "underwater":
        if p in ("surface", "sky"):
            return "surface" if geo.surface is not None else "water"
        return "floor" if p == "ground" else ("middle" if hero else "water")
    if geo.theme == "space" and p in ("water", "any", "surface"):
        return "middle" if hero else "float"
    if p in ("water", "surface"):
        return "ground"  # ponds and streams sit in the ground band
    if p == "sky":
        return "high" if hero else "sky"
    if p == "any":
        # on land a thing nothing holds up rests on the ground: a book or a ball left "any"
        # where floated in mid-air in review pictures
        return "middle" if hero else "ground"
    if is_backdrop(obj) and not hero:
        return "backdrop"
    if p == "wall" and not geo.inside:
        return "ground"  # a picture or a clock outdoors leans on the ground, not on the sky
    return p  # ground, wall


def bottom_range(zone: str, h: float, geo: Geo) -> tuple[float, float]:
    """Allowed range of a box's bottom edge in a zone (for a box h pixels high)."""
    H, hy = geo.H, geo.horizon
    top_water = (geo.surface if geo.surface is not None else 0.05 * H) + 0.06 * H
    if zone in ("ground", "floor"):
        return hy + 0.10 * H, 0.985 * H
    if zone == "backdrop":
        return hy + 0.06 * H, hy + 0.2 * H
    if zone == "sky":
        lo = 0.03 * H + h
        return lo, max(lo, hy - 0.04 * H)
    if zone == "surface":
        s = geo.surface or 0.0
        return s + 0.15 * h, s + 0.35 * h
    if zone == "water":
        return top_water + h / 2, max(top_water, hy + 0.05 * H) + h / 2
    if zone == "float":
        return 0.12 * H + h / 2, hy + 0.05 * H + h / 2
    if zone == "high":
        return 0.38 * H + h / 2, 0.52 * H + h / 2
    if zone == "middle":
        return 0.42 * H + h / 2, 0.58 * H + h / 2
    if zone == "wall":
        return 0.25 * H + h / 2, 0.5 * H + h / 2
    return 0.2 * H + h / 2, 0.85 * H + h / 2  # any


def depth_factor(item: Item, bottom: float, geo: Geo) -> float:
    """Ground objects further back (base higher on screen) are drawn smaller."""
    if item.zone not in ("ground", "floor") or item.supported:
        return 1.0
    lo, hi = geo.horizon + 0.10 * geo.H, 0.985 * geo.H
    t = min(1.0, max(0.0, (bottom - lo) / max(1.0, hi - lo)))
    return DEPTH_MIN + (1 - DEPTH_MIN) * t


def _base_height(entity: Entity, obj: LibraryObject, zone: str, geo: Geo,
                 compared: dict[str, str], hero: Optional[tuple[float, str]]) -> float:
    """Height before depth and scale. The hero is the reference (smaller when the text says
    so); others by the size class the text gives them, else the library's real-world class,
    and never smaller than the hero when they are bigger in life (an elephant beside a bee)."""
    if entity.hero:
        return HERO_FRACTION * geo.H * hero_scale(entity, compared)
    if zone == "backdrop":
        return BACKDROP_FRACTION * geo.H
    cls, said = size_class(entity, obj, compared)
    frac = min(SIZE_FRACTION[cls], 0.9 * HERO_FRACTION)
    # only creatures and vehicles grow past their class: they are what a reader compares with
    # the hero (an elephant beside a bee); a bee's flowers grown past it crowd the scene off
    # the ground (gold l068)
    if hero is not None and zone not in ("sky", "surface") and obj.category in COMPARED_CATEGORIES:
        hero_h, hero_cls = hero
        steps = CLASSES.index(cls) - CLASSES.index(hero_cls)
        if steps > 0:
            frac = max(frac, min(BIGGER_CAP, hero_h / geo.H * (1 + BIGGER_STEP * steps)))
        elif said and steps < 0:  # "a tiny mouse" beside a tiny hero: still smaller than it
            frac = min(frac, hero_h / geo.H * 0.7 ** -steps)
    if hero is not None and obj.category == "building" and cls == "huge" and zone == "ground":
        # a house, a barn, a castle stands taller than whoever stands by it (a prince as tall
        # as the houses round the square, in a review picture)
        frac = max(frac, min(BIGGER_CAP, hero[0] / geo.H * BUILDING_OVER_HERO))
    if zone == "surface":
        frac = min(frac, 0.22)  # boats ride the thin band at the top of the sea
    return frac * geo.H


def _hero_size(pairs, compared: dict[str, str], lib_zone, geo: Geo) -> Optional[tuple[float, str]]:
    """(height px, size class) of the hero, the yardstick for the others."""
    for entity, obj in pairs:
        if entity.hero:
            cls = size_class(entity, obj, compared)[0]
            return _base_height(entity, obj, lib_zone(obj), geo, compared, None), cls
    return None


def drawable(graph: SceneGraph, lib: Library) -> list[tuple[Entity, LibraryObject]]:
    """Entities that have a library object (looked up by lemma when the backend gave none, but
    not a name's: "Shell" is no seashell), but not one the text says is missing ("the kite was
    gone": drawing it says the opposite). The one lookup rule for every layout step."""
    out = []
    for e in graph.entities:
        if e.gone:
            continue
        oid = e.object_id if e.object_id in lib else lib.lookup(e.lemma) if e.lemma[:1].islower() else None
        if oid is not None:
            out.append((e, lib.get(oid)))
    return out


def drawn_names(graph: SceneGraph, lib: Library) -> tuple[str, ...]:
    """Every name of every drawable entity ("barn" for the farmhouse): cues that name a drawn
    thing describe it, not the place the scene happens in."""
    return tuple(sorted({n for e, obj in drawable(graph, lib) for n in (e.lemma, *obj.names)}))


def copies(entity: Entity, obj: LibraryObject) -> int:
    """How many times to draw an entity: its count, but once when the text names it by a plural
    that is the drawing's own name ("the steps", "the stairs", "the houses"): one drawing."""
    words = entity.mention.lower().split()
    if words and words[-1] in obj.names and words[-1] != entity.lemma.lower():
        return 1
    return min(entity.count, MAX_COPIES)


def select_items(graph: SceneGraph, lib: Library, geo: Geo, skip: frozenset[str] = frozenset(),
                 compared: Optional[dict[str, str]] = None) -> list[Item]:
    """The items to place: hero, then related entities, then the rest, then extra copies.
    `skip`: entities placed otherwise (worn or held: attire.py); `compared`: size classes from
    the text's comparisons (sizes.comparisons)."""
    compared = compared or {}
    rels = [r for r in graph.relations if not r.negated]
    related = {r.subject for r in graph.relations} | {r.object for r in graph.relations}
    landmarks = {r.object for r in rels if r.predicate in LANDMARK_PREDICATES}
    supported = {r.subject for r in rels if r.predicate in SUPPORTED}
    pairs = [p for p in drawable(graph, lib) if p[0].id not in skip]
    grounded = {a.subject for a in graph.actions if a.verb in GROUNDED_VERBS} - {
        a.subject for a in graph.actions if a.verb in ("fly", "soar", "flutter", "hover", "glide")}
    hero = _hero_size(pairs, compared, lambda o: zone_of(o, True, geo), geo)
    pairs.sort(key=lambda p: (not p[0].hero, p[0].id not in related))
    items: list[Item] = []
    for copy in range(MAX_COPIES):
        for entity, obj in pairs:
            if len(items) >= MAX_OBJECTS:
                return items
            if copy >= (1 if entity.hero else copies(entity, obj)):
                continue
            zone = zone_of(obj, entity.hero and copy == 0, geo)
            if zone in ("sky", "high") and entity.id in grounded and obj.category == "animal":
                zone = "ground"
            base = _base_height(entity, obj, zone, geo, compared, hero)
            big = entity.id in landmarks and copy == 0
            # a landmark may grow until it can hold what relates to it (a hero in a shell)
            smax = 1.1 if entity.hero else 0.9 * geo.H / base if big else min(1.5, 0.9 * geo.H / base)
            layer = -2 if zone == "backdrop" else (-1 if zone in ("sky", "surface") else 0)
            items.append(Item(key=entity.id if copy == 0 else f"{entity.id}#{copy + 1}",
                              entity=entity, obj=obj, copy=copy, base=base, zone=zone,
                              smin=0.8 if entity.hero else (0.7 if zone == "backdrop" else 0.45),
                              smax=smax, layer=layer,
                              supported=entity.id in supported,  # copies too (solver.py)
                              content=lib.content(obj.id)))
    return items
