"""Issue 22 part 4: the picture checks (floating, cut off, overlaps no relation allows)."""
from storygen.records import Background, Box, PlacedObject, Relation, SceneLayout
from storygen.object_library import load_library
from storygen.scenes.evaluation.layouts import evaluate_layouts
from storygen.scenes.evaluation.picture_checks import picture_checks

LIB = load_library()
W, H = 1024, 768


def obj(entity, x, y, w, h, object_id=None, worn_by=None, z=1):
    return PlacedObject(entity=entity, object_id=object_id or entity, box=Box(x=x, y=y, w=w, h=h),
                        z=z, worn_by=worn_by)


def layout(*objects):
    return SceneLayout(index=1, width=W, height=H,
                       background=Background(id="farm-farmyard-day", theme="farm", variant="farmyard-day"),
                       objects=tuple(objects), accent="#00897B", seed=0, backend="test")


def check(*objects, relations=(), hero="cow"):
    return picture_checks(layout(*objects), relations, LIB, hero)


def test_a_clean_layout_passes():
    got = check(obj("cow", 100, 400, 300, 300), obj("rock", 600, 560, 150, 150))
    assert got == {"floating": [], "cut_off": [], "overlaps": []}


def test_a_standing_thing_in_the_sky_floats():
    got = check(obj("cow", 100, 400, 300, 300), obj("rock", 600, 60, 150, 150))
    assert got["floating"] == ["rock"]


def test_held_up_or_worn_things_do_not_float():
    up = check(obj("cow", 100, 400, 300, 300), obj("rock", 600, 60, 150, 150),
               relations=[Relation("rock", "above", "cow")])
    assert up["floating"] == []
    worn = check(obj("cow", 100, 400, 300, 300), obj("hat", 160, 330, 120, 120, worn_by="cow", z=2))
    assert worn == {"floating": [], "cut_off": [], "overlaps": []}


def test_a_drawing_past_the_frame_is_cut_off():
    assert check(obj("cow", 100, 400, 300, 300), obj("rock", 940, 560, 150, 150))["cut_off"] == ["rock"]
    # transparent margin past the edge is no cut
    _, top, bottom = LIB.content("rock")
    y = H - bottom * 150 + 0.5
    assert check(obj("rock", 600, y, 150, 150))["cut_off"] == []


def test_unrelated_overlap_is_flagged_and_a_relation_allows_it():
    a, b = obj("cow", 100, 400, 300, 300), obj("rock", 250, 450, 200, 200, z=2)
    assert check(a, b)["overlaps"] == [("cow", "rock")]
    assert check(a, b, relations=[Relation("cow", "behind", "rock")])["overlaps"] == []
    assert check(a, b, relations=[Relation("cow", "near", "rock")])["overlaps"] == [("cow", "rock")]


def test_a_worn_thing_overlaps_what_its_owner_may_overlap():
    cow, castle = obj("cow", 300, 400, 300, 300, z=2), obj("house", 200, 250, 400, 400, z=1)
    hat = obj("hat", 360, 330, 120, 120, worn_by="cow", z=3)
    assert check(castle, cow, hat)["overlaps"] == [("house", "cow"), ("house", "hat")]
    assert check(castle, cow, hat, relations=[Relation("cow", "in_front_of", "house")])["overlaps"] == []


def test_evaluate_layouts_reports_the_checks():
    report = evaluate_layouts()
    assert {"floating", "cut_off", "overlaps"} <= set(report)
    assert report["floating"] == report["cut_off"] == report["overlaps"] == 0
    assert report["satisfied"] == report["relations"]
