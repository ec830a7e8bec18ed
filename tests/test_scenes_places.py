"""The places and things a text puts characters on, in, under or beside are drawn: as library
objects (a windowsill, a branch, a bridge, a cage, a dock ...), as stand-ins ("torch" is the
flashlight), or as the background's place (a farm's "lake" is its pond), and "on" rests on a
thing's seat when that is not its top (layout.geometry.seat)."""
import pytest

from storygen.nlp.parsed_reader import ParsedNLP
from storygen.options import load_options
from storygen.records import Prompt, Relation
from storygen.object_library import THEMES, load_library
from storygen.scenes.evaluation.from_text import _themed
from storygen.scenes.evaluation.layouts import layout_report
from storygen.scenes.layout.attire import attachments
from storygen.scenes.layout.geometry import holds, seat, visible
from storygen.scenes.layout.solver_backend import compose_layout
from storygen.scenes.setting.book import read_book

OPTIONS = load_options()
NEW = ("branch", "windowsill", "steps", "cage", "dock", "snowdrift", "sandcastle", "haystack",
       "bridge", "stone_wall")


@pytest.fixture(scope="module")
def lib():
    return load_library()


@pytest.fixture(scope="module")
def nlp():
    return ParsedNLP()


@pytest.mark.parametrize("phrase, expected", [
    # new objects, by name and by a compound's head
    ("windowsill", "windowsill"), ("the window ledge", "windowsill"), ("branches", "branch"),
    ("the lowest branch", "branch"), ("stone steps", "steps"), ("the stairs", "steps"),
    ("birdcage", "cage"), ("an old wooden pier", "dock"), ("snowbank", "snowdrift"),
    ("sand castle", "sandcastle"), ("hay bale", "haystack"), ("stone bridge", "bridge"),
    ("garden wall", "stone_wall"), ("well", "well"),
    # stand-ins: what a reader takes for that thing
    ("torch", "flashlight"), ("wall", "stone_wall"), ("porch", "steps"), ("ledge", "rock"),
    ("doorway", "door"), ("village", "houses"), ("polar bear cub", "polar_bear"),
    ("cave wall", "rock"),
    # none: "a careful step" is a stride, a glass wall is the greenhouse's
    ("careful step", None), ("glass wall", None),
])
def test_places_resolve_to_objects_and_stand_ins(lib, phrase, expected):
    assert lib.resolve(phrase).object_id == expected


def test_new_objects_are_drawable_in_every_theme_with_their_licence(lib):
    for oid in NEW:
        obj = lib.get(oid)
        assert set(obj.themes) == set(THEMES), oid
        assert obj.source == f"storygen:{oid}" and obj.license == "Apache-2.0", oid
        assert obj.placement == "ground" and obj.facing == "none", oid
    # a seat below the top is measured into the manifest as fractions of the drawn height
    assert 0.5 < lib.get("windowsill").surface[0] < lib.get("windowsill").surface[1] < 0.8
    assert lib.get("haystack").size == "large" and lib.get("cage").size == "small"


@pytest.mark.parametrize("theme, scenes, expected", [
    ("farm", ["The ducks swam across the lake."], ["pond"]),  # a farm's lake is its pond
    ("garden", ["The frog sat by the lake."], ["pond"]),
    ("forest", ["The otter swam down the river."], ["stream"]),  # a forest's river its stream
    ("castle", ["The knight rode along the river."], ["moat"]),
    ("garden", ["The children played in the park."], ["flowerbed-day"]),
    ("farm", ["The pig slept in the barn.", "Then it ran up the hill."], ["barn-inside", "meadow"]),
    # a cue two variants share keeps the scene where it is
    ("forest", ["The frog swam in the forest pond.", "Then it sat on the bank."],
     ["forest-pond", "forest-pond"]),
    ("forest", ["The otter swam in the stream.", "Then it rested on the bank."],
     ["stream", "stream"]),
    # a place the variant shows (hills behind the farmyard) does not move the scene
    ("farm", ["The hen was in the farmyard.", "A storm rolled over the hills."],
     ["farmyard-day", "farmyard-day"]),
    # the porch of a house is outside it
    ("farm", ["The cat slept on the porch of the farmhouse."], ["farmyard-day"]),
    # another theme's word names a place here: under the sea "the garden" is the coral garden,
    # while in the garden theme it is the whole book and moves nothing
    ("underwater", ["The turtle hid in a dark cave.", "He swam to the middle of the garden."],
     ["cave", "reef-day"]),
    ("garden", ["The snail slept in the shed.", "Rain fell on the whole garden."],
     ["garden-shed", "garden-shed"]),
])
def test_whole_places_are_the_backgrounds(theme, scenes, expected):
    assert [s.variant for s in read_book(theme, scenes)] == expected


def test_seat_puts_on_on_the_sill_not_on_the_window():
    sill, surface = (100.0, 100.0, 200.0, 200.0), (0.56, 0.68)  # a sill halfway down
    on_top = {"cat": (150.0, 40.0, 100.0, 100.0), "sill": sill}  # base by the window's top
    on_sill = {"cat": (150.0, 124.0, 100.0, 100.0), "sill": sill}  # base on the sill
    rel, z = Relation("cat", "on", "sill"), {"cat": 2, "sill": 1}
    assert holds(rel, on_top, z, 1024, 768) and not holds(rel, on_sill, z, 1024, 768)
    seats = {"sill": seat(sill, surface)}
    assert holds(rel, on_sill, z, 1024, 768, seats=seats)
    assert not holds(rel, on_top, z, 1024, 768, seats=seats)
    assert seat(sill, None) == sill


def _scene(nlp, theme, hero, text, seed=3):
    prompt = Prompt(theme=theme, hero=hero, color="red", adjective="kind", seed=seed)
    g = nlp.build_graphs([text], prompt)[0]
    layout = compose_layout(g, prompt, OPTIONS.hex("red"), 1024, 768, seed,
                            setting=read_book(theme, [text])[0])
    return g, layout


def test_a_squirrel_on_the_branch_sits_on_its_bough(nlp, lib):
    g, layout = _scene(nlp, "forest", "squirrel", "The squirrel ran up the tree and sat on a branch.")
    assert ("squirrel", "on", "branch") in {(r.subject, r.predicate, r.object) for r in g.relations}
    rep = layout_report(layout, g, lib)
    assert all(v is True for _, v in rep["relations"]), rep["relations"]
    boxes = {o.entity: o for o in layout.objects}
    sq, br = boxes["squirrel"], boxes["branch"]
    vis = visible((br.box.x, br.box.y, br.box.w, br.box.h), lib.content("branch"))
    top, bottom = seat(vis, lib.get("branch").surface)[1], vis[1] + vis[3]
    base = visible((sq.box.x, sq.box.y, sq.box.w, sq.box.h), lib.content("squirrel"))
    feet = base[1] + base[3]
    assert top < feet < top + 0.45 * (bottom - top) and sq.z > br.z  # on the bough, drawn over it


@pytest.mark.parametrize("theme, hero, text, relation", [
    ("castle", "prince", "The king sat on the windowsill.", ("king", "on", "windowsill")),
    ("castle", "princess", "A troll hid under the bridge.", ("troll", "below", "bridge")),
    ("farm", "pig", "The bird sat in its cage.", ("bird", "in", "cage")),
    ("farm", "pig", "A boy sat on the dock.", ("boy", "on", "dock")),
    ("garden", "snail", "The cat sat on the garden wall.", ("cat", "on", "wall")),
    ("arctic", "penguin", "The penguin sat on the steps.", ("penguin", "on", "step")),
    ("farm", "hen", "The hen sat on the haystack.", ("hen", "on", "haystack")),
    ("castle", "princess", "The princess sat on the throne.", ("princess", "on", "throne")),
])
def test_places_are_drawn_and_their_relations_hold(nlp, lib, theme, hero, text, relation):
    g, layout = _scene(nlp, theme, hero, text)
    assert relation in {(r.subject, r.predicate, r.object) for r in g.relations}
    drawn = {o.entity for o in layout.objects}
    assert {relation[0], relation[2]} <= drawn
    rep = layout_report(layout, g, lib)
    assert all(v is True for _, v in rep["relations"]), rep["relations"]
    assert not rep["floating"] and not rep["cut_off"]


def test_the_steps_are_one_drawing_and_a_cage_of_ones_own_is_not_held(nlp, lib):
    _, layout = _scene(nlp, "castle", "princess", "Two cats slept on the steps.")
    assert sum(o.object_id == "steps" for o in layout.objects) == 1
    g = nlp.build_graphs(["The bird sat in its cage."], Prompt(theme="farm", hero="pig", color="red",
                                                               adjective="kind"))[0]
    assert not attachments(g, lib)  # the bird is in the cage, not holding it
    g = nlp.build_graphs(["A kitten in a blue helmet lived on the moon."],
                         Prompt(theme="space", hero="kitten", color="red", adjective="kind"))[0]
    assert [(a.item, a.kind) for a in attachments(g, lib)] == [("helmet", "worn")]


def test_a_room_wall_and_the_sunshine_are_painted_not_drawn(nlp):
    _, inside = _scene(nlp, "castle", "princess", "In the castle kitchen, a clock hung on the wall.")
    assert inside.background.variant == "kitchen"
    assert "stone_wall" not in {o.object_id for o in inside.objects}
    _, outside = _scene(nlp, "garden", "snail", "The cat sat on the garden wall.")
    assert "stone_wall" in {o.object_id for o in outside.objects}  # outdoors, a wall is drawn
    _, sunny = _scene(nlp, "garden", "snail", "The snail slept in the sun.")
    assert {o.object_id for o in sunny.objects} == {"snail"}  # in the painted sunshine


def test_a_blind_passage_is_drawn_in_the_theme_whose_places_it_names():
    prompt = Prompt(theme="underwater", hero="mermaid", color="teal", adjective="silly")
    assert _themed(prompt, "The bear was in the forest. It sat under a tree.", OPTIONS).theme == "forest"
    assert _themed(prompt, "Anna and the doll were in the garden.", OPTIONS).theme == "garden"
    assert _themed(prompt, "A frog sat in the pond.", OPTIONS).theme == "farm"
    assert _themed(prompt, "It was quiet.", OPTIONS) == prompt
