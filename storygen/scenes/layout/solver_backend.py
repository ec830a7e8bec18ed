"""The `solver` scene backend: graph -> background + objects -> optimised layout -> SceneLayout.

Steps: the background variant, light and weather (the book's `setting` for this scene, read
with carry-over by setting/book.py; without one, from the theme and this graph's cues alone);
leave out what that background already shows (the castle we went home to); select the drawable
entities and their sizes/zones (select); place them by constraint optimisation
(solver); then round to whole pixels, decide the drawing order (depth, with behind / in front
of / in / on respected), flip creatures to face what they relate to (the hero faces into the
frame), tint the hero in the chosen colour and give every object its animation parameters.
Same graph + prompt + seed -> the same SceneLayout, byte for byte.
"""
from __future__ import annotations

import random
from dataclasses import replace

from ...records import POSES, Box, Entity, PlacedObject, Prompt, SceneGraph, SceneLayout
from ...object_library import Library, load_library
from ..backgrounds.choose import choose_background, drawn_weather, variant_of
from ..backgrounds.library import BackgroundLibrary, load_backgrounds
from ..setting.book import SceneSetting, background_for
from .attire import (Outfit, attachments, color_hex, drawn_clothes, dressed_for_the_weather, place,
                     with_relations)
from .geometry import Z_AFTER, Z_BEFORE, visible
from .select import Item, drawable, drawn_names, geo_of, scenery, select_items
from .sizes import CLASSES, comparisons, size_class, yardsticks
from .solver import CREATURES, SHARED, solve

BACKEND = "solver"
# amplitude: px as a fraction of the box height (bob, hop, swim), degrees (sway), or a squash
# fraction (flap, twinkle); cycles: whole periods per loop so the loop is seamless.
ANIMATION = {
    "bob": {"amplitude": 0.04, "cycles": 1.0},
    "hop": {"amplitude": 0.10, "cycles": 2.0, "squash": 0.08},
    "swim": {"amplitude": 0.06, "cycles": 1.0, "tail": 0.07},
    "sway": {"amplitude": 5.0, "cycles": 1.0},
    "flap": {"amplitude": 0.22, "cycles": 2.0, "lift": 0.03},
    "twinkle": {"amplitude": 0.12, "cycles": 2.0},
}
PIXEL_PARAMS = {"bob", "hop", "swim"}  # amplitude scales with the box height


def with_hero(graph: SceneGraph, prompt: Prompt, lib: Library) -> SceneGraph:
    """The graph with the hero in it: a picture book shows its hero on every page, also where
    the text speaks only of the others ("a sparrow was splashing in the bowl" in the caterpillar's
    race: a blind reviewer missed the caterpillar). A graph without the hero's kind in the
    library is left as it is."""
    oid = lib.lookup(prompt.hero)
    if oid is None or any(e.hero or e.id == prompt.hero for e in graph.entities):
        return graph
    hero = Entity(id=prompt.hero, lemma=prompt.hero, mention=f"the {prompt.hero}", object_id=oid,
                  attributes=(prompt.color, prompt.adjective), hero=True)
    return replace(graph, entities=(hero, *graph.entities))


def possible(relations, graph: SceneGraph, lib: Library, compared: dict[str, str]):
    """The relations a picture can show: not a big thing resting on a much smaller one ("a
    tiger knew how to walk on the dry leaves": a tiger on leaves at its feet, not on a leaf
    grown as big as a rock)."""
    size = {e.id: CLASSES.index(size_class(e, obj, compared)[0]) for e, obj in drawable(graph, lib)}
    return tuple(r for r in relations if r.negated or r.predicate not in ("on", "riding_on")
                 or size.get(r.subject, 0) - size.get(r.object, 0) < 2)


def compose_layout(graph: SceneGraph, prompt: Prompt, accent_hex: str, width: int, height: int,
                   seed: int, library: Library | None = None,
                   backgrounds: BackgroundLibrary | None = None,
                   setting: SceneSetting | None = None,
                   outfit: Outfit = Outfit()) -> SceneLayout:
    """Lay out one scene graph on a width x height canvas (deterministic per seed).
    `outfit`: what the hero wears from earlier scenes (attire.book_outfits)."""
    lib = library or load_library()
    bgs = backgrounds or load_backgrounds()
    theme = graph.theme or prompt.theme
    if setting is not None:
        background = background_for(theme, setting, graph.cues, bgs)
    else:
        background = choose_background(theme, graph.cues, graph.resolved_text or graph.text, bgs,
                                       drawn_names(graph, lib))
    variant = variant_of(background, bgs)
    geo = geo_of(variant, theme, width, height)
    shown = scenery(graph, variant) | yardsticks(graph)  # "like a little umbrella": not here
    drawn = replace(graph, entities=tuple(e for e in graph.entities if e.id not in shown))
    drawn = dressed_for_the_weather(with_hero(drawn, prompt, lib), theme, drawn_weather(variant, background), lib)
    atts = attachments(drawn, lib, outfit.worn)
    compared = comparisons(graph, lib)
    drawn = replace(drawn, relations=possible(with_relations(drawn, atts), drawn, lib, compared))
    items = select_items(drawn, lib, geo, skip=frozenset(a.item for a in atts), compared=compared)
    boxes, _ = solve(items, drawn.relations, geo, seed)
    boxes = [_whole_pixels(b, width, height) for b in _hugging(items, boxes, width)]
    z = _z_order(items, boxes, drawn, height)
    rng = random.Random(f"{seed}:animation")
    hero_dressed = outfit.named_item or any(it.hero and a.owner == it.key for it in items for a in atts)
    # "the prince with a teal cape": the cape his drawing wears, in teal (attire.DRAWN_CLOTHES)
    by_key = {it.key: it for it in items}
    clothes = {a.owner: a for a in atts if a.owner in by_key and drawn_clothes(a, by_key[a.owner].obj)}
    objects = []
    for i, item in enumerate(items):
        x, y, w, h = boxes[i]
        if item.key in clothes:
            tint = clothes[item.key].color or (accent_hex if item.hero else None)
        elif item.hero:  # the hero's named item carries the chosen colour instead (issue 22)
            tint = accent_hex if item.obj.recolorable and not hero_dressed else None
        else:
            tint = _text_colour(item)
        objects.append(PlacedObject(
            entity=item.key, object_id=item.obj.id, box=Box(x=x, y=y, w=w, h=h), z=2 * z[i],
            flip=_flip(i, items, boxes, drawn, width), tint=tint,
            animation=item.obj.animation, animation_params=_animation(item, h, rng),
            pose=_pose(item)))
    shown = [a for a in atts if not (a.owner in clothes and clothes[a.owner].item == a.item)]
    objects += _dressed(shown, items, objects, lib, accent_hex, width, height)
    objects.sort(key=lambda o: o.z)
    objects = [replace(o, z=k) for k, o in enumerate(objects, start=1)]
    return SceneLayout(index=graph.index, width=width, height=height, background=background,
                       objects=tuple(objects), accent=accent_hex, seed=seed, backend=BACKEND)


def scene_relations(graph: SceneGraph, lib: Library, outfit: Outfit = Outfit()):
    """The relations the layout keeps (the graph's, with worn_by / held_by / riding_on read in
    as compose_layout reads them): what evaluation judges a generated scene on."""
    drawn = replace(graph, entities=tuple(e for e in graph.entities
                                          if e.id not in yardsticks(graph)))
    return with_relations(drawn, attachments(drawn, lib, outfit.worn))


def _hugging(items: list[Item], boxes, W: int):
    """Two who hug stand touching (the solver's "near" leaves a gap): the one who is not the
    hero steps over to the other's side, their drawings' edges meeting."""
    boxes = list(boxes)
    hugs = [i for i, it in enumerate(items) if _pose(it) == "hug" and not it.copy]
    for i in hugs:
        if not items[i].hero or len(hugs) < 2:
            continue
        j = min((k for k in hugs if k != i), key=lambda k: abs(boxes[k][0] - boxes[i][0]))
        (xi, _, wi, _), (xj, _, wj, _) = visible(boxes[i], items[i].content), visible(boxes[j], items[j].content)
        dx = (xi + wi - xj) if xj >= xi else (xi - (xj + wj))  # close the gap, from whichever side
        x, y, w, h = boxes[j]
        boxes[j] = (min(max(x + dx, 0.0), W - w), y, w, h)
    return boxes


def _pose(item: Item) -> str:
    """The text's pose for a creature's drawing (scenes/posing.py); a thing only rolls or falls
    ("the ball rolled under the bed"); copies too ("the penguins danced")."""
    pose = item.entity.pose
    if pose not in POSES:
        return ""
    return pose if item.obj.category in ("animal", "character") or pose in ("roll", "fall") else ""


def _text_colour(item: Item):
    """A thing in the colour the text names ("a pink umbrella"); creatures only when their
    drawing may be recoloured (skin and faces must not shift)."""
    if item.obj.category in ("animal", "character") and not item.obj.recolorable:
        return None
    return color_hex(item.entity)


def _dressed(atts, items: list[Item], placed: list[PlacedObject], lib: Library, accent_hex: str,
             W: int, H: int) -> list[PlacedObject]:
    """The worn and held things, on their owners (drawn just over them, moving with them); in
    the colour the text names, else the hero's in the chosen colour, else as drawn."""
    out = []
    owners = {it.key: (it, p) for it, p in zip(items, placed)}
    for k, a in enumerate(atts):
        if a.owner not in owners or a.entity is None or a.entity.object_id not in lib:
            continue  # the owner is not drawn: neither is what it wears
        it, p = owners[a.owner]
        obj = lib.get(a.entity.object_id)
        x, y, w, h = place(a, obj, it.obj, (p.box.x, p.box.y, p.box.w, p.box.h), p.flip, lib, W, H)
        tint = a.color or (accent_hex if it.hero else None)
        out.append(PlacedObject(entity=a.item, object_id=obj.id, box=Box(x=x, y=y, w=w, h=h),
                                z=p.z + 1, flip=p.flip and obj.facing != "none", tint=tint,
                                animation=p.animation, animation_params=dict(p.animation_params),
                                worn_by=a.owner, pose=p.pose))
    return out


def _whole_pixels(box, W: int, H: int) -> tuple[float, float, float, float]:
    """Round to whole pixels (stable JSON) and shift inside the frame."""
    x, y, w, h = box
    w, h = min(int(round(w)), W), min(int(round(h)), H)
    x = min(max(int(round(x)), 0), W - w)
    y = min(max(int(round(y)), 0), H - h)
    return float(x), float(y), float(w), float(h)


def _stack_order(a: int, b: int, boxes, H: int) -> tuple[int, int]:
    """(front, back) for a pair in an above/below relation: the one up top is drawn over the
    one it touches (a bee over a sunflower); when both stand on the same ground (a rabbit
    sheltering under a mushroom) the smaller one is in front."""
    bottom = [boxes[k][1] + boxes[k][3] for k in (a, b)]
    if abs(bottom[0] - bottom[1]) < 0.08 * H:
        return (a, b) if boxes[a][3] <= boxes[b][3] else (b, a)
    return (a, b) if bottom[0] < bottom[1] else (b, a)


def _z_order(items: list[Item], boxes, graph: SceneGraph, height: int) -> list[int]:
    """Painter's order: backdrop, then sky/surface, then by depth (lower base = in front);
    relations that say who is in front override it (a topological sort; cycles fall back)."""
    index = {it.key: i for i, it in enumerate(items)}
    after: dict[int, set[int]] = {i: set() for i in range(len(items))}  # i must follow these
    pairs = [(r, index.get(r.subject), index.get(r.object)) for r in graph.relations]
    pairs += [(r, i, index.get(r.object)) for r in graph.relations if r.predicate in SHARED
              for i, it in enumerate(items) if it.entity.id == r.subject and it.copy > 0
              and it.obj.category in CREATURES]
    for r, a, b in pairs:  # (a subject's copies share where it is: solver.SHARED)
        if r.negated or a is None or b is None or a == b:
            continue
        if r.predicate in Z_BEFORE:
            after[b].add(a)
        elif r.predicate in Z_AFTER:
            after[a].add(b)
        elif r.predicate in ("above", "below"):
            front, back = _stack_order(a, b, boxes, height)
            after[front].add(back)
    key = {i: (items[i].layer, boxes[i][1] + boxes[i][3], i) for i in range(len(items))}
    todo, out = set(range(len(items))), []
    while todo:
        ready = [i for i in todo if not (after[i] & todo)] or list(todo)  # cycle: drop it
        pick = min(ready, key=key.__getitem__)
        todo.remove(pick)
        out.append(pick)
    z = [0] * len(items)
    for rank, i in enumerate(out, start=1):
        z[i] = rank
    return z


def _flip(i: int, items: list[Item], boxes, graph: SceneGraph, W: int) -> bool:
    """Mirror a creature drawn facing left/right so it looks at what it relates to; the
    hero looks into the frame; everyone else looks at the hero."""
    facing = items[i].obj.facing
    if facing == "none":
        return False
    cx = boxes[i][0] + boxes[i][2] / 2
    centres = {it.key: boxes[k][0] + boxes[k][2] / 2 for k, it in enumerate(items)}
    target = None
    if items[i].copy == 0:
        for r in graph.relations:
            if r.negated:
                continue
            other = r.object if r.subject == items[i].key else (
                r.subject if r.object == items[i].key else None)
            if other in centres:
                target = centres[other]
                break
    if target is None:
        hero = next((k for k, it in enumerate(items) if it.hero), None)
        if items[i].hero or hero is None:
            target = W / 2 if abs(W / 2 - cx) > 0.05 * W else _nearest(i, boxes, cx)
        else:
            target = centres[items[hero].key]
    look = target - cx
    return (facing == "left" and look > 0) or (facing == "right" and look < 0)


def _nearest(i: int, boxes, cx: float) -> float:
    others = [b[0] + b[2] / 2 for k, b in enumerate(boxes) if k != i]
    return min(others, key=lambda o: abs(o - cx)) if others else cx


def _animation(item: Item, h: float, rng: random.Random) -> dict[str, float]:
    kind = item.obj.animation
    if kind not in ANIMATION:
        return {}
    params = dict(ANIMATION[kind])
    if kind in PIXEL_PARAMS:
        params["amplitude"] = round(params["amplitude"] * h, 2)
    if kind == "sway" and item.obj.size == "huge":
        params["amplitude"] = 2.5  # big trees sway less
    params["phase"] = round(rng.random(), 3)
    return params


def make_solver(**_):
    return compose_layout
