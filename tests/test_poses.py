"""Poses (issue 22: reviewers saw characters standing where the text has them asleep, rolling,
climbing, diving): read from the text (nlp/poses.py), carried by the layout to what the
character wears, and drawn (scenes/posing.py) in the still, the animation and the book page."""
from dataclasses import replace

import numpy as np
import pytest

from storygen.book import _sprite
from storygen.nlp import build_graphs
from storygen.object_library import load_library
from storygen.options import load_options
from storygen.records import Background, Box, PlacedObject, Prompt, SceneLayout
from storygen.scenes.layout.solver_backend import compose_layout
from storygen.scenes.posing import apply, owner_turns, turn_of
from storygen.scenes.render import compose

PROMPT = Prompt(theme="forest", hero="fox", color="teal", adjective="sleepy")


def poses(text, prompt=PROMPT):
    g = build_graphs((text,), prompt, "spacy")[0]
    return {e.lemma: e.pose for e in g.entities if e.pose}


@pytest.mark.parametrize("text, expected", [
    ("The fox yawned, lay down and fell asleep.", {"fox": "sleep"}),
    ("The hen was rocked to sleep by the wind.", {"hen": "sleep"}),
    ("The owl was fast asleep in the tree.", {"owl": "sleep"}),
    ("The deer rolled down the hill beside the hedgehog.", {"deer": "roll"}),
    ("The fox rolled down the hill.", {"fox": "roll"}),  # the parser makes the hill an object
    ("The ball rolled under the bed.", {"ball": "roll"}),  # a thing rolls too
    ("The tiger climbed up the tall tree.", {"tiger": "climb"}),
    ("The monkey climbed the tree.", {"monkey": "climb"}),  # a climbed thing is no object moved
    ("The frog dived into the pond.", {"frog": "dive"}),
    ("The rabbit was lying in the doorway.", {"rabbit": "lie"}),
    ("The elephant fell backward with a splat.", {"elephant": "fall"}),
    ("The penguins danced on the ice.", {"penguin": "dance"}),
    ("The bear saw the fox fall into the snow.", {"fox": "fall"}),  # not the bear
    ("The fox hugged the little bear.", {"fox": "hug", "bear": "hug"}),  # both lean in
    ("The fox woke up and jumped out of bed.", {"fox": "jump"}),  # the scene's last one
    ("The fox slept all night. In the morning he woke up.", {}),  # and it is over
    ("The sleepy fox took her nap in the middle of the leaf.", {"fox": "sleep"}),
    ("The fox yawned and went to sleep.", {"fox": "sleep"}),
    ("The fox was so tired that he lay down in the hay and began to snore.", {"fox": "sleep"}),
])
def test_poses_read_from_the_text(text, expected):
    assert poses(text) == expected


@pytest.mark.parametrize("text", [
    "The fox did not want to jump.",
    "The fox was too scared to climb.",
    "If the fox fell, who would catch him?",
    "The fox could jump higher than anyone.",
    "The fox rolled the ball to the bear.",  # the ball is rolled, the fox is not rolling
    "The fox fell silent.",
    "Let's dance!",
])
def test_what_does_not_happen_poses_nobody(text):
    assert poses(text) == {}


def _layout(*objects, width=400, height=300):
    return SceneLayout(index=1, width=width, height=height,
                       background=Background(id="forest-woodland-day", theme="forest", variant="woodland-day"),
                       objects=objects, accent="#008080", seed=1, backend="solver")


def test_a_grounded_turn_rests_on_the_feet_line():
    lib = load_library()
    fox = PlacedObject(entity="fox", object_id="fox", box=Box(x=100, y=100, w=120, h=120), z=1, pose="roll")
    turn = owner_turns(_layout(fox), lib)["fox"]
    feet = 100 + lib.content("fox")[2] * 120
    spr, x, y = apply(lib.raster("fox", 120, 120), 100, 100, turn)
    bottom = y + spr.getchannel("A").point(lambda a: 255 if a > 32 else 0).getbbox()[3]
    assert abs(bottom - feet) <= 2 and abs(turn.angle) > 90  # on its back, on the ground
    # an unposed one is not turned; an unknown pose is as drawn (a hand-edited layout)
    assert turn_of(replace(fox, pose=""), lib.get("fox")) is None
    assert turn_of(replace(fox, pose="cartwheel"), lib.get("fox")) is None


def test_worn_things_turn_with_their_owner_and_the_z_marks_sleep():
    lib = load_library()
    girl = PlacedObject(entity="girl", object_id="girl", box=Box(x=150, y=80, w=150, h=150), z=1)
    hat = PlacedObject(entity="hat", object_id="hat", box=Box(x=190, y=70, w=60, h=60), z=2, worn_by="girl")
    standing = np.asarray(compose(_layout(girl, hat))).astype(int)
    asleep = _layout(replace(girl, pose="sleep"), replace(hat, pose="sleep"))
    turns = owner_turns(asleep, lib)
    assert turns["girl"] == turns["hat"]  # the hat is turned about the girl's pivot
    assert abs(turns["girl"].angle) == 90 and turns["girl"].dy > 0  # lying, down on the ground
    lying = np.asarray(compose(asleep)).astype(int)
    changed = np.abs(lying - standing).sum(axis=2) > 60
    rows = np.where(changed.any(axis=1))[0]
    # the standing girl's head is gone from the top of her box; something (her and her z's) moved
    assert changed[90:130, 190:260].mean() > 0.2 and rows.min() < 200


def test_the_layout_carries_the_pose_to_what_the_character_wears():
    prompt = Prompt(theme="forest", hero="fox", color="teal", adjective="sleepy")
    g = build_graphs(("The sleepy fox wore a red scarf. He rolled down the hill.",), prompt, "spacy")[0]
    lay = compose_layout(g, prompt, load_options().hex("teal"), 512, 384, 3)
    by = {o.object_id: o for o in lay.objects}
    assert by["fox"].pose == "roll" and by["scarf"].worn_by and by["scarf"].pose == "roll"
    assert SceneLayout.from_dict(lay.to_dict()) == lay  # the pose is in layout.json


def test_the_book_page_turns_a_posed_sprite_as_the_still_does():
    lib = load_library()
    fox = PlacedObject(entity="fox", object_id="fox", box=Box(x=100, y=100, w=120, h=120), z=1, pose="dive")
    lay = _layout(fox)
    turn = owner_turns(lay, lib)["fox"]
    html = _sprite(fox, "layers/fox.png", lay, 2.4, turn)
    assert f"rotate:{-turn.angle:.4g}deg" in html and "transform-origin:" in html
    assert "rotate:" not in _sprite(replace(fox, pose=""), "layers/fox.png", lay, 2.4)


def test_two_who_hug_lean_in_and_touch():
    prompt = Prompt(theme="forest", hero="fox", color="orange", adjective="kind")
    g = build_graphs(("The kind fox hugged the little bear.",), prompt, "spacy")[0]
    lay = compose_layout(g, prompt, load_options().hex("orange"), 1024, 768, 3)
    lib = load_library()
    by = {o.entity: o for o in lay.objects}
    turns = owner_turns(lay, lib)
    fox, bear = by["fox"].box, by["bear"].box
    right = bear.x > fox.x
    assert (turns["fox"].angle < 0) == right and (turns["bear"].angle > 0) == right  # toward each other
    ifox, ibear = lib.content("fox")[0], lib.content("bear")[0]  # side insets of the drawings
    gap = (bear.x + ibear * bear.w) - (fox.x + fox.w * (1 - ifox)) if right else \
        (fox.x + ifox * fox.w) - (bear.x + bear.w * (1 - ibear))
    assert abs(gap) <= 2  # their drawings' edges meet
