"""Things a character wears or holds, drawn where the text puts them: "a red scarf tied around
her neck" is a red scarf at the elephant's neck (not a red elephant, not a scarf on the ground),
"she carried a pink leaf" is a pink leaf in the monkey's hand.

An Attachment says which entity is worn or held by which, at which slot of the owner's drawing
(head, face, neck, back, feet, tail, hand) and in which colour the text names (None: none
named). They come from the graph: explicit worn_by / held_by relations, wear/hold/carry actions,
a wearable related to a creature (on/near/in her: "a bow on her tail" -> on the rabbit), and
"a cow with a red bow", "the seal's red scarf" in the coreference-resolved text. The hero's
worn things carry on to later scenes (a scarf put on in scene 1 is still worn in scene 3).
Placement is geometric, after the solver has placed the owner: the slot is found on the
owner's sprite (its head is the top of its outline on the side it faces).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional, Sequence

import numpy as np

from ...options import load_options
from ...records import Entity, Relation, SceneGraph
from ...object_library import Library, LibraryObject

# wearables by object id: where they go on the wearer
WEAR_SLOTS = {"scarf": "neck", "necklace": "neck", "hat": "head", "beanie": "head", "cap": "head",
              "crown": "head", "helmet": "head", "ribbon": "head", "glasses": "face", "sunglasses": "face",
              "goggles": "face", "boot": "feet", "shoe": "feet", "sock": "feet", "cloak": "back",
              "backpack": "back", "coat": "back", "dress": "back", "gloves": "hand", "purse": "hand",
              "blanket": "back",  # "the horse in the purple blanket"
              "earmuffs": "head", "collar": "neck", "apron": "back", "vest": "back"}
# Where a collar or scarf goes on the drawings whose head the outline does not give away (a
# front-facing head on a round body: the outline's top is the sheep's wool, the rabbit's ears,
# and the slot found from it put a collar on the face): the neck's centre, read off each
# drawing on a 10% grid, as fractions of its (unflipped) sprite box; the item's drawn centre
# goes lower (a collar's tag, a scarf's ends hang below the wrap), by this much of the box.
NECK_DROP = {"collar": 0.10, "necklace": 0.08}
DEFAULT_NECK_DROP = 0.05
NECKS = {"sheep": (0.27, 0.60), "rabbit": (0.33, 0.63), "puppy": (0.42, 0.55), "pig": (0.45, 0.62),
         "kitten": (0.35, 0.52), "hedgehog": (0.45, 0.65), "squirrel": (0.38, 0.55),
         "elephant": (0.45, 0.52), "penguin": (0.45, 0.36), "seal": (0.30, 0.40),
         "owl": (0.50, 0.50), "monkey": (0.35, 0.56), "bear": (0.45, 0.47),
         "polar_bear": (0.42, 0.48), "cow": (0.40, 0.45), "horse": (0.32, 0.38),
         "goat": (0.42, 0.55), "fox": (0.50, 0.47), "hen": (0.38, 0.42), "tiger": (0.38, 0.48)}
# drawn height as a share of the owner's drawn (visible) height
SLOT_SIZE = {"head": 0.34, "face": 0.24, "neck": 0.30, "back": 0.45, "feet": 0.22, "tail": 0.24,
             "hand": 0.34}
# a plain hat in the cold is a woolly one: the library's "hat" is a straw sun hat ("sun hat",
# "straw hat" and "bonnet" say so and keep it)
COLD_WORDS = {"snow", "snowy", "winter", "frost", "frosty", "icy", "freezing", "cold", "blizzard", "snowflake"}
SUMMER_HATS = {"sun", "straw", "summer", "bonnet", "sunhat"}
WEAR_VERBS = {"wear", "don", "put"}
HOLD_VERBS = {"hold", "carry", "clutch", "grab", "grip", "lift", "wave", "balance", "swing", "hug",
              "raise", "offer", "bring", "fetch", "pick",
              # "a boy was playing a whistle", "blew her horn", "rang the bell", "read a book"
              # (a piano or a church bell is no holdable size and stays where it is)
              "play", "blow", "ring", "read", "cup", "scoop"}
# owners drawn already wearing headwear (the princess's crown, the cook's hat): the share of
# their head's drawn height it covers (the library `head` of a bust/face on a body). A hat or
# crown the text puts on them is drawn over that one, in its place, so the picture shows one
# crown (in the text's colour), not a crown on a crown.
DRAWN_HEADWEAR = {"princess": 0.42, "prince": 0.42, "wizard": 0.45, "snowman": 0.30,
                  "farmer": 0.30, "cook": 0.30, "guard": 0.45, "pilot": 0.30, "artist": 0.25,
                  "firefighter": 0.35, "mechanic": 0.30, "builder": 0.30, "santa": 0.30,
                  "detective": 0.25, "student": 0.20}
# clothes the owner's drawn body already wears (library figure bodies: the prince's cape, the
# princess's gown, the wizard's robe): "a teal cape" is that cape in teal, the owner's clothes
# recoloured (their recolor_hues band), not a second cape pasted over the first
DRAWN_CLOTHES = {"prince": ("cloak",), "princess": ("dress",), "wizard": ("cloak", "coat", "hat")}
HOLDABLE = ("tiny", "small", "medium")  # what a creature can hold up: a leaf, a lantern, an umbrella
EXTRA_COLORS = {"black": "#263238", "grey": "#90A4AE", "gray": "#90A4AE", "golden": "#D4A017",
                "silvery": "#A8B2BD", "scarlet": "#C62828", "crimson": "#B71C1C", "violet": "#8E24AA",
                "lilac": "#B39DDB", "navy": "#1A237E", "cream": "#FFF3D6", "rainbow": "#EC407A"}
_WITH = r"\b{owner}(?:'s?|\s+(?:with|in|wearing)\s+(?:a|an|the|her|his|its|their)?)\s*(?:[a-z-]+\s+){{0,3}}?{item}\b"


@dataclass(frozen=True)
class Attachment:
    item: str  # entity id of the thing worn or held
    owner: str  # entity id of who wears or holds it
    kind: str  # "worn" | "held"
    slot: str  # head, face, neck, back, feet, tail, hand
    color: Optional[str] = None  # hex of the colour the text names for it, None if it names none
    entity: Optional[Entity] = None  # the item's entity (carried outfits bring it to later scenes)

    @property
    def predicate(self) -> str:
        return "worn_by" if self.kind == "worn" else "held_by"


def color_hex(entity: Entity) -> Optional[str]:
    """The first colour word among the entity's attributes, as hex."""
    colors = load_options().colors
    for word in entity.attributes:
        if word in colors:
            return colors[word]
        if word in EXTRA_COLORS:
            return EXTRA_COLORS[word]
    return None


def _animate(obj: Optional[LibraryObject]) -> bool:
    return obj is not None and obj.category in ("animal", "character")


def attachments(graph: SceneGraph, lib: Library, carried: Sequence[Attachment] = ()
                ) -> tuple[Attachment, ...]:
    """Every attachment of this scene (see the module doc), then the carried ones whose item or
    slot this scene does not already fill. An item is attached to one owner only."""
    ents = {e.id: e for e in graph.entities}
    # (a thing the text says is missing is neither worn nor held: "she had lost her hat")
    gone = {e.id for e in graph.entities if e.gone}
    obj = {e.id: lib.get(e.object_id) for e in graph.entities
           if e.object_id and e.object_id in lib and e.id not in gone}
    text = (graph.resolved_text or graph.text).lower()
    found: dict[str, Attachment] = {}
    # "the bird sat in its cage", "the cat slept on her windowsill": the owner is in, on or
    # under the thing, so it is where the owner is, not something in the owner's hand (but "a
    # kitten in a blue helmet" wears it)
    places = {(r.subject, r.object) for r in graph.relations if not r.negated
              and r.predicate in ("in", "on", "below", "behind", "riding_on")
              and r.object in obj and obj[r.object].id not in WEAR_SLOTS}

    def add(item: str, owner: str, held: bool) -> None:
        if item in found or item == owner or item not in obj or owner not in obj \
                or (owner, item) in places:
            return
        o, e = obj[item], ents[item]
        # (a creature is held only when it is tiny and a person holds it: "the robot cupped the
        # moth between his hands", "Mia held the ladybug"; friends who hug stand side by side)
        tiny_held = held and o.size in ("tiny", "small") and obj[owner].category == "character"
        if _animate(o) and not tiny_held or not _animate(obj[owner]):
            return
        slot = WEAR_SLOTS.get(o.id)
        if held or slot is None:
            if o.size not in HOLDABLE or o.category in ("building", "vehicle", "sky", "weather"):
                return
            kind, slot = "held", "hand"
        else:
            kind = "worn"
            if slot == "head" and re.search(rf"\b{re.escape(_word(e))}\b[^.]{{0,24}}\btail\b", text):
                slot = "tail"  # "a blue bow on her tail"
        if any(a.owner == owner and a.slot == slot for a in found.values()):
            return  # one thing to a hand or a head: the first the text gives it (the moth he cups)
        found[item] = Attachment(item=item, owner=owner, kind=kind, slot=slot,
                                 color=color_hex(e), entity=e)

    for r in graph.relations:
        if not r.negated and r.predicate in ("worn_by", "held_by"):
            add(r.subject, r.object, r.predicate == "held_by")
    for a in graph.actions:
        if a.object is not None and a.verb in WEAR_VERBS | HOLD_VERBS:
            add(a.object, a.subject, a.verb in HOLD_VERBS)
    for r in graph.relations:
        if not r.negated and r.predicate in ("on", "near", "in", "above", "below") and \
                r.subject in obj and obj[r.subject].id in WEAR_SLOTS:
            add(r.subject, r.object, False)
    for e in graph.entities:
        if e.id in found or e.id not in obj:
            continue
        for owner in graph.entities:
            found_with = owner.id != e.id and _animate(obj.get(owner.id)) and re.search(
                _WITH.format(owner=re.escape(_word(owner)), item=re.escape(_word(e))), text)
            if found_with:
                held = obj[e.id].id not in WEAR_SLOTS
                # "the princess's log" is hers, not in her hands ("with a lantern" is)
                if not (held and "with" not in found_with.group(0) and obj[e.id].size not in ("tiny", "small")):
                    add(e.id, owner.id, held)
                break
    # "with the teal apron flapping as the polar bear cooked": a wearable in the book's colour
    # that the scene gives to nobody is the hero's (the colour is the hero's signature)
    hero = next((h for h in graph.entities if h.hero and h.id in obj), None)
    for e in graph.entities:
        if hero is not None and e.id not in found and e.id in obj and obj[e.id].id in WEAR_SLOTS \
                and color_hex(e) is not None and color_hex(e) == color_hex(hero):
            add(e.id, hero.id, False)
    out = list(found.values())
    slots = {(a.owner, a.slot) for a in out}
    for c in carried:
        if c.item not in found and c.item not in gone and (c.owner, c.slot) not in slots \
                and c.owner in ents:
            out.append(c)
            slots.add((c.owner, c.slot))
    return tuple(out)


def _word(e: Entity) -> str:
    return (e.mention.split()[-1] if e.mention else e.lemma).lower()


@dataclass(frozen=True)
class Outfit:
    """What the book says the hero wears, for one scene: the worn things of earlier scenes, and
    whether the hero has a named item anywhere in the book. When it has, that item carries the
    chosen colour and the hero keeps its own colours in every scene (it looks the same all
    through the book: not red in scene 2 and grey with a red scarf in scene 3)."""

    worn: tuple[Attachment, ...] = ()
    named_item: bool = False


def book_outfits(graphs: Sequence[SceneGraph], lib: Library) -> list[Outfit]:
    """Per scene, the hero's worn things from the scenes before it (the latest per slot)."""
    carried, worn, named = [], {}, False
    for g in graphs:
        carried.append(tuple(worn.values()))
        hero = next((e.id for e in g.entities if e.hero), None)
        for a in attachments(g, lib, tuple(worn.values())):
            named |= a.owner == hero
            if a.owner == hero and a.kind == "worn":
                worn[a.slot] = a
        gone = {e.id for e in g.entities if e.gone}  # lost: not worn again until found and put on
        worn = {slot: a for slot, a in worn.items() if a.item not in gone}
    return [Outfit(worn=c, named_item=named) for c in carried]


def drawn_clothes(att: Attachment, owner: LibraryObject) -> bool:
    """Whether the worn thing is clothes the owner's drawing already wears and can take the
    colour of (DRAWN_CLOTHES): it is then shown by recolouring the owner, not drawn again."""
    return (att.kind == "worn" and att.entity is not None and owner.recolorable
            and att.entity.object_id in DRAWN_CLOTHES.get(owner.id, ()))


def with_relations(graph: SceneGraph, atts: Sequence[Attachment]) -> tuple[Relation, ...]:
    """The graph's relations with each attachment's worn_by / held_by in place of what the
    parser made of it ("bow on rabbit" is the bow worn by the rabbit)."""
    pairs = {frozenset((a.item, a.owner)) for a in atts}
    riders = {a.subject for a in graph.actions if a.verb == "ride"}
    rels = [replace(r, predicate="riding_on") if r.predicate == "on" and r.subject in riders
            and not r.negated else r  # "rode on the turtle": astride, not standing on it
            for r in graph.relations if frozenset((r.subject, r.object)) not in pairs]
    rels += [Relation(subject=a.item, predicate=a.predicate, object=a.owner) for a in atts]
    return tuple(dict.fromkeys(rels))


# ------------------------------------------------------------------ placement


@lru_cache(maxsize=256)
def _outline(lib: Library, object_id: str) -> np.ndarray:
    return np.asarray(lib.raster(object_id, 64, 64))[..., 3] > 96


def _head(lib: Library, obj: LibraryObject, flip: bool) -> tuple[float, float]:
    """(x, top) of the owner's head as fractions of its sprite box: the centre of the top of
    its outline on the side it faces (the whole top when it faces the viewer)."""
    mask = _outline(lib, obj.id)
    if flip:
        mask = mask[:, ::-1]
    rows = np.flatnonzero(mask.any(1))
    if rows.size == 0:
        return 0.5, 0.0
    top, bottom = rows[0], rows[-1]
    band = mask[top:top + max(2, int(0.4 * (bottom - top + 1)))]
    cols = np.flatnonzero(band.any(0))
    facing = obj.facing if not flip else {"left": "right", "right": "left"}.get(obj.facing, obj.facing)
    if facing in ("left", "right") and cols.size:
        mid = (cols[0] + cols[-1]) / 2
        side = cols[cols <= mid] if facing == "left" else cols[cols >= mid]
        weights = band[:, side].sum(0)
        hx = float(np.average(side, weights=weights)) if weights.sum() else float(cols.mean())
    else:
        hx = float(np.average(np.arange(64), weights=band.sum(0))) if band.any() else 32.0
    # the median top of the columns round hx: the crown between the ears, not an ear's tip
    # (a helmet hovered over the kitten's ears in review pictures)
    tops = [int(np.flatnonzero(c)[0]) for c in mask[:, max(0, int(hx) - 6):int(hx) + 7].T if c.any()]
    head_top = float(np.median(tops)) if tops else float(top)
    return (hx + 0.5) / 64, head_top / 64


def _drawn_top(lib: Library, object_id: str, x0: float, x1: float, floor: float) -> float:
    """Where the drawing starts between x0 and x1 (fractions of the sprite box), no higher than
    floor: the median of the columns' tops, so a fox's crown between its ears, not the ear tips
    (a figure is symmetric enough that a flip does not move its head's middle third)."""
    mask = _outline(lib, object_id)
    cols = mask[:, max(0, int(x0 * 64)):max(int(x0 * 64) + 1, int(x1 * 64))]
    tops = [int(np.flatnonzero(c)[0]) for c in cols.T if c.any()]
    return max(floor, float(np.median(tops)) / 64) if tops else floor


def facing_after(obj: LibraryObject, flip: bool) -> str:
    if not flip:
        return obj.facing
    return {"left": "right", "right": "left"}.get(obj.facing, obj.facing)


HEAD_SLOTS = ("head", "face", "neck")


def _mirrored_x(x: float, w: float, flip: bool) -> float:
    return 1 - x - w if flip else x


def place(att: Attachment, item: LibraryObject, owner: LibraryObject,
          owner_box: tuple[float, float, float, float], owner_flip: bool, lib: Library,
          W: int, H: int) -> tuple[float, float, float, float]:
    """The item's sprite box (whole pixels, inside the frame) at its slot on the owner."""
    x, y, w, h = owner_box
    inset, top, bottom = lib.content(owner.id)
    vx, vy, vw, vh = x + inset * w, y + top * h, w * (1 - 2 * inset), h * (bottom - top)
    if owner.head is not None and att.slot in HEAD_SLOTS:
        # a bust or face set on a body (library figure): hats, glasses and scarves go on that
        # head and are sized by it, as they were on the bust alone
        hx0, hy0, hw0, hh0 = owner.head
        vx, vy, vw, vh = x + _mirrored_x(hx0, hw0, owner_flip) * w, y + hy0 * h, hw0 * w, hh0 * h
        # the head's box is its icon's square, blank above the ears: a hat set on the box's top
        # floated over the fox's head in review pictures, so find where the drawing starts
        head_x, head_top = vx + vw / 2, y + _drawn_top(lib, owner.id, hx0 + hw0 / 3,
                                                       hx0 + 2 * hw0 / 3, hy0) * h
    else:
        hx, ht = _head(lib, owner, owner_flip)
        head_x, head_top = x + hx * w, y + ht * h
    facing = facing_after(owner, owner_flip)
    front = -1 if facing == "left" else 1  # held things go on the side it faces (right if none)
    size = SLOT_SIZE[att.slot] * vh
    if att.slot == "hand" and item.size == "medium":
        size = 0.5 * vh  # an umbrella, a lantern on a pole: held up, bigger than a scarf
    i_inset, i_top, i_bottom = lib.content(item.id)
    if att.slot == "head" and owner.id in DRAWN_HEADWEAR:
        # cover the drawn headwear: as wide as the head, its bottom edge on the drawn one's
        # (it grows upward, never down over the eyes); at most half again as tall, or it
        # becomes a giant crown
        band = DRAWN_HEADWEAR[owner.id] * vh
        aspect = (1 - 2 * i_inset) / max(0.2, i_bottom - i_top)
        size = min(max(vw / aspect, band), 1.5 * band)
        cx, cy = vx + vw / 2, vy + band + 0.03 * vh - size / 2
    elif att.slot == "head":  # sitting down on the head, not perched above it
        cx, cy = head_x, head_top - 0.32 * size
    elif att.slot == "face":
        cx, cy = head_x + front * 0.04 * vw, head_top + 0.24 * vh
    elif att.slot == "neck" and owner.head is not None:  # round the neck, under the chin:
        aspect = (1 - 2 * i_inset) / max(0.2, i_bottom - i_top)  # as wide as the body's top
        size = min(0.55 * vw / aspect, 0.45 * vh)
        cx, cy = vx + vw / 2, vy + (1.0 if owner.figure == "face" else 0.76) * vh + 0.3 * size
    elif att.slot == "neck" and owner.id in NECKS:
        nx, ny = NECKS[owner.id]
        size = 0.8 * size if item.id == "collar" else size  # a band, not a hoop round the face
        cx = x + (1 - nx if owner_flip else nx) * w
        cy = y + (ny + NECK_DROP.get(item.id, DEFAULT_NECK_DROP)) * h
    elif att.slot == "neck":  # under the head: behind it toward the body when seen from the side
        side_on = facing in ("left", "right")
        cx = (0.45 * head_x + 0.55 * (vx + vw / 2)) if side_on else vx + vw / 2
        cy = head_top + (0.48 if side_on else 0.58) * vh
    elif att.slot == "back" and owner.head is not None:  # on the drawn body, under the head
        neck = y + (owner.head[1] + owner.head[3]) * h
        size = min(size, 0.75 * (vy + vh - neck))
        cx, cy = vx + vw / 2, neck + 0.4 * (vy + vh - neck)
    elif att.slot == "back":
        cx, cy = vx + vw / 2, vy + 0.55 * vh
    elif att.slot == "feet":
        cx, cy = vx + vw / 2, vy + vh - 0.4 * size
    elif att.slot == "tail":
        cx, cy = vx + vw * (0.5 - front * 0.4), vy + 0.6 * vh
    elif owner.hand is not None:  # in the drawn hand of a figure on a body: a lantern hangs
        px, py = owner.hand       # from it, an umbrella is held up; never below the feet
        cx = x + (1 - px if owner_flip else px) * w + front * 0.15 * size
        cy = min(y + py * h + (-0.3 if item.size == "medium" else 0.25) * size, vy + vh - size / 2)
    else:  # hand: at the front edge, below the face (half-way up covered a rabbit's snout)
        cx, cy = vx + vw * (0.5 + front * 0.42), vy + 0.6 * vh
    side = size / max(0.2, i_bottom - i_top)  # the sprite box whose drawn part is `size` high
    bx, by = cx - side / 2, cy - side * (i_top + i_bottom) / 2
    side = min(side, W, H)
    return (float(min(max(round(bx), 0), W - int(side))), float(min(max(round(by), 0), H - int(side))),
            float(int(side)), float(int(side)))


def dressed_for_the_weather(graph: SceneGraph, theme: str, weather: Sequence[str], lib: Library) -> SceneGraph:
    """A hat in the arctic, in falling snow or in a scene that says it is cold is a beanie
    (a reviewer: "a straw sun hat on his crown, not a white fur hat")."""
    words = set(re.findall(r"[a-z]+", (graph.resolved_text or graph.text).lower()))
    cold = theme == "arctic" or "snow" in weather or bool(words & COLD_WORDS)
    if not cold or "beanie" not in lib:
        return graph
    hats = tuple(replace(e, object_id="beanie") if e.object_id == "hat" and not
                 set(e.mention.lower().split()) & SUMMER_HATS else e for e in graph.entities)
    return replace(graph, entities=hats)
