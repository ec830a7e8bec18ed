"""Busts and faces on bodies: Noto draws many people as a head (or head and shoulders) and some
animals as a face only; the library sets each on a drawn body (scripts/build_library.py), so it
stands on the ground, holds things in its hand and wears a crown on its head."""
import io

import numpy as np
import pytest
import yaml
from PIL import Image

from storygen.errors import ConfigError
from storygen.options import load_options
from storygen.records import Action, Entity, Prompt, Relation, SceneGraph
from storygen.object_library import MANIFEST, load_library
from storygen.scenes.backgrounds.choose import variant_of
from storygen.scenes.evaluation.layouts import layout_report
from storygen.scenes.evaluation.picture_checks import picture_checks
from storygen.scenes.layout.select import geo_of
from storygen.scenes.layout.solver_backend import compose_layout
from storygen.scenes.render import render_png, sprite

LIB = load_library()
OPTIONS = load_options()
W, H = 1024, 768

# The audit (each source icon rasterised and looked at): what Noto 1.2.9 draws of these.
AUDIT = {
    "bust": ("wizard", "astronaut", "elf", "santa", "farmer", "cook", "judge", "guard", "pilot",
             "teacher", "scientist", "artist", "singer", "firefighter", "mechanic", "doctor",
             "builder", "bride", "detective", "student"),
    "face": ("prince", "princess", "child", "girl", "boy", "baby", "old_woman", "old_man",
             "alien", "robot", "ogre", "goblin", "polar_bear", "bear", "fox", "wolf", "lion",
             "frog", "panda", "koala", "hamster", "moose"),
}
# Heads whose Noto set also has the whole creature: that icon is used instead.
WHOLE = {"person": "noto:person-standing", "man": "noto:man-standing",
         "woman": "noto:woman-standing", "hen": "noto:rooster", "unicorn": "noto:horse"}


def ent(eid, hero=False, attrs=(), mention=None):
    return Entity(id=eid, lemma=eid, mention=mention or eid, object_id=eid, attributes=attrs, hero=hero)


def graph(theme, entities, text, relations=(), actions=()):
    return SceneGraph(index=1, text=text, resolved_text=text, entities=tuple(entities),
                      relations=tuple(relations), actions=tuple(actions), cues=(), theme=theme,
                      backend="test")


def lay(g, hero, color="teal"):
    prompt = Prompt(theme=g.theme, hero=hero, color=color, adjective="kind")
    return compose_layout(g, prompt, OPTIONS.hex(color), W, H, seed=3)


def _alpha(object_id, size=128):
    return np.asarray(LIB.raster(object_id, size, size))[..., 3]


# ------------------------------------------------------------------ the audit and the build


@pytest.mark.parametrize("kind", list(AUDIT))
def test_every_bust_and_face_of_the_audit_is_recorded_with_a_body(kind):
    for oid in AUDIT[kind]:
        obj = LIB.get(oid)
        assert obj.figure == kind and obj.body and obj.head and obj.hand, oid
        assert "set on a body drawn by storygen" in obj.modified and obj.license == "Apache-2.0"


def test_no_other_object_is_a_bust_or_face_and_whole_icons_replace_heads():
    marked = {o.id for o in LIB.manifest.objects if o.figure != "full"}
    assert marked == set(AUDIT["bust"]) | set(AUDIT["face"])
    for oid, source in WHOLE.items():
        obj = LIB.get(oid)
        assert obj.source == source and obj.figure == "full" and obj.head is None, oid


@pytest.mark.parametrize("oid", AUDIT["bust"] + AUDIT["face"])
def test_a_composed_figure_has_a_body_below_its_head_down_to_its_feet(oid):
    obj, alpha = LIB.get(oid), _alpha(oid)
    _, top, bottom = LIB.content(oid)
    x, y, w, h = obj.head
    head_bottom = int((y + h) * 128)
    assert head_bottom < 0.8 * 128  # the head is the top part, not the whole drawing
    assert bottom > 0.93 and (y + h) < bottom - 0.2  # feet near the box bottom, well below the head
    middle = alpha[head_bottom + 2:int(bottom * 128) - 2, 48:80]  # the body's middle column band
    assert (middle > 128).mean() > 0.6, f"{oid}: no body under the head"


def test_composed_prince_svg_holds_the_noto_head_over_the_drawn_body():
    svg = LIB.svg_path("prince").read_text()
    assert svg.index("<g transform=") > svg.index("<path")  # body first, head drawn over it
    assert (LIB.root / "drawn" / "bodies" / "cape.svg").is_file()
    attribution = (LIB.root / "ATTRIBUTION.md").read_text()
    assert "prince (Noto prince (head only) set on a body drawn by storygen" in attribution


def _manifest_with(tmp_path, mutate, name="manifest.yaml"):
    data = yaml.safe_load(MANIFEST.read_text())
    data["objects"] = [o for o in data["objects"] if o["id"] in ("prince", "crab")]
    mutate({o["id"]: o for o in data["objects"]})
    (tmp_path / "svg").mkdir(exist_ok=True)
    for oid in ("prince", "crab"):
        (tmp_path / "svg" / f"{oid}.svg").write_text(LIB.svg_path(oid).read_text())
    path = tmp_path / name  # load_library caches by path: one name per manifest
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("mutate, message", [
    (lambda o: o["prince"].update(figure="torso"), "figure 'torso'"),
    (lambda o: o["prince"].pop("body"), "needs the body"),
    (lambda o: o["prince"].pop("head"), "needs the body"),
    (lambda o: o["prince"].update(hand=[1.5, 0.5]), "fractions"),
    (lambda o: o["crab"].update(head=[0.1, 0.1, 0.5, 0.5]), "a full figure has no body"),
    (lambda o: o["crab"].update(category="prop", figure="face", body="bear", head=[0, 0, 1, 0.5],
                                hand=[0.5, 0.5]), "only a character or an animal"),
])
def test_bad_figure_fields_are_config_errors(tmp_path, mutate, message):
    load_library(_manifest_with(tmp_path, lambda o: None, "valid.yaml"))  # the copy is valid
    with pytest.raises(ConfigError, match=message):
        load_library(_manifest_with(tmp_path, mutate))


# ------------------------------------------------------------------ in a scene


def test_composed_prince_stands_on_the_ground_band():
    g = graph("castle", [ent("prince", hero=True), ent("castle")],
              "The prince stood in front of the castle.",
              relations=[Relation("prince", "in_front_of", "castle")])
    layout = lay(g, "prince")
    prince = next(o for o in layout.objects if o.entity == "prince")
    _, _, bottom = LIB.content("prince")
    feet = prince.box.y + bottom * prince.box.h
    geo = geo_of(variant_of(layout.background), "castle", W, H)
    assert geo.horizon + 0.05 * H < feet <= H  # feet in the ground band, not above the horizon
    assert picture_checks(layout, g.relations, LIB, "prince")["floating"] == []


def test_held_lantern_is_at_the_composed_figures_hand():
    g = graph("castle", [ent("prince", hero=True), ent("lantern")], "The prince held a lantern.",
              actions=[Action("prince", "hold", "lantern")])
    layout = lay(g, "prince")
    objs = {o.entity: o for o in layout.objects}
    p, lan = objs["prince"].box, objs["lantern"].box
    assert objs["lantern"].worn_by == "prince" and objs["lantern"].z > objs["prince"].z
    hx, hy = LIB.get("prince").hand
    hand = (p.x + hx * p.w, p.y + hy * p.h)
    inset, top, bottom = LIB.content("lantern")
    vis = (lan.x + inset * lan.w, lan.y + top * lan.h, lan.w * (1 - 2 * inset), lan.h * (bottom - top))
    feet = p.y + LIB.content("prince")[2] * p.h
    # the lantern hangs from the hand: the hand is inside its drawing or just above it
    assert vis[0] - 4 <= hand[0] <= vis[0] + vis[2] + 4
    assert vis[1] - 0.3 * vis[3] <= hand[1] <= vis[1] + 0.6 * vis[3]
    assert vis[1] + vis[3] <= feet + 1  # never below the prince's feet
    assert all(v for _, v in layout_report(layout, g, LIB)["relations"])


def test_crown_lands_on_the_princess_head_and_scarf_at_the_boys_neck():
    g = graph("castle", [ent("princess", hero=True), ent("crown")],
              "The princess had a crown on her head.", relations=[Relation("crown", "on", "princess")])
    objs = {o.entity: o for o in lay(g, "princess").objects}
    box, crown = objs["princess"].box, objs["crown"].box
    hx, hy, hw, hh = LIB.get("princess").head
    head_top, head_h = box.y + hy * box.h, hh * box.h
    _, _, cbottom = LIB.content("crown")
    assert head_top + 0.3 * head_h < crown.y + cbottom * crown.h < head_top + 0.55 * head_h
    assert abs(crown.x + crown.w / 2 - (box.x + (hx + hw / 2) * box.w)) < 0.1 * hw * box.w

    g = graph("garden", [ent("boy", hero=True), ent("scarf")], "The boy wore a scarf.",
              actions=[Action("boy", "wear", "scarf")])
    objs = {o.entity: o for o in lay(g, "boy").objects}
    box, scarf = objs["boy"].box, objs["scarf"].box
    _, hy, _, hh = LIB.get("boy").head
    neck = box.y + (hy + hh) * box.h  # the chin: where the head meets the body
    _, top, bottom = LIB.content("scarf")
    s_top, s_bottom = scarf.y + top * scarf.h, scarf.y + bottom * scarf.h
    assert neck - 0.1 * box.h < s_top < neck < s_bottom < neck + 0.25 * box.h  # round the neck


def test_teal_prince_wears_teal_and_keeps_his_face():
    plain = np.asarray(sprite("prince", 256, 256, False, None)).astype(int)
    teal = np.asarray(sprite("prince", 256, 256, False, OPTIONS.hex("teal"))).astype(int)
    x, y, w, h = LIB.get("prince").head
    changed = np.abs(plain - teal)[..., :3].sum(-1) > 40
    face = changed[int((y + 0.35 * h) * 256):int((y + 0.85 * h) * 256),
                   int((x + 0.2 * w) * 256):int((x + 0.8 * w) * 256)]
    body = changed[int((y + h) * 256) + 4:int(0.8 * 256), 96:160]
    assert face.mean() < 0.05  # skin, eyes, mouth and hair as drawn
    assert body.mean() > 0.6  # the tunic and cape in the chosen colour


def test_prince_with_a_teal_cape_wears_his_own_cape_in_teal():
    g = graph("castle", [ent("prince", hero=True), ent("cloak", attrs=("teal",), mention="a teal cape")],
              "The prince had a teal cape.", actions=[Action("prince", "wear", "cloak")])
    layout = lay(g, "prince", color="red")
    objs = {o.entity: o for o in layout.objects}
    assert "cloak" not in objs  # no second cape pasted over the drawn one
    assert objs["prince"].tint == OPTIONS.hex("teal")


def test_a_scene_with_composed_figures_renders_the_same_bytes_twice():
    g = graph("castle", [ent("princess", hero=True), ent("prince"), ent("wizard"), ent("fox")],
              "The princess met the prince, the wizard and a fox.",
              relations=[Relation("prince", "near", "princess")])
    layout = lay(g, "princess")
    first = render_png(layout)
    assert render_png(layout) == first
    img = np.asarray(Image.open(io.BytesIO(first)).convert("RGB"))
    assert img.shape == (H, W, 3)


def test_a_narrow_figure_hiding_behind_a_door_still_peeks_out():
    g = graph("space", [ent("alien", hero=True), ent("door")], "The alien hid behind the door.",
              relations=[Relation("alien", "behind", "door")])
    layout = lay(g, "alien")
    vis = {o.entity: (o.box.x + LIB.content(o.object_id)[0] * o.box.w,
                      o.box.w * (1 - 2 * LIB.content(o.object_id)[0])) for o in layout.objects}
    (ax, aw), (dx, dw) = vis["alien"], vis["door"]
    covered = max(0.0, min(ax + aw, dx + dw) - max(ax, dx))
    assert 0.4 * aw <= covered <= 0.8 * aw  # behind the door, and still seen
    assert all(v for _, v in layout_report(layout, g, LIB)["relations"])
