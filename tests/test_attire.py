"""Issue 22 part 3: worn and held things drawn on their owner, in the colour the text names."""
from storygen.options import load_options
from storygen.records import Action, Entity, Prompt, Relation, SceneGraph
from storygen.object_library import load_library
from storygen.scenes.evaluation.layouts import layout_report
from storygen.scenes.layout.attire import attachments, book_outfits, with_relations
from storygen.scenes.layout.solver_backend import compose_layout

OPTIONS = load_options()
LIB = load_library()
W, H = 1024, 768
RED = OPTIONS.colors["red"]


def ent(eid, hero=False, attrs=(), mention=None):
    return Entity(id=eid, lemma=eid, mention=mention or eid, object_id=eid, attributes=attrs, hero=hero)


def graph(theme, entities, text, relations=(), actions=(), index=1):
    return SceneGraph(index=index, text=text, resolved_text=text, entities=tuple(entities),
                      relations=tuple(relations), actions=tuple(actions), cues=(), theme=theme,
                      backend="test")


def lay(g, hero, color="teal", **kw):
    prompt = Prompt(theme=g.theme, hero=hero, color=color, adjective="kind")
    return compose_layout(g, prompt, OPTIONS.hex(color), W, H, seed=3, **kw)


SCARF = graph("jungle", [ent("elephant", hero=True), ent("scarf", attrs=("red",), mention="a red scarf")],
              "The elephant had a red scarf tied around the elephant's neck.",
              relations=[Relation("scarf", "near", "elephant")])  # what the parser makes of it


def test_red_scarf_is_worn_at_the_neck_in_red():
    (att,) = attachments(SCARF, LIB)
    assert (att.item, att.owner, att.kind, att.slot, att.color) == ("scarf", "elephant", "worn", "neck", RED)
    # the parser's "near" gives way to worn_by
    assert with_relations(SCARF, (att,)) == (Relation("scarf", "worn_by", "elephant"),)


def test_red_scarf_drawn_on_the_elephant_and_the_elephant_not_red():
    layout = lay(SCARF, "elephant")
    objs = {o.entity: o for o in layout.objects}
    scarf, elephant = objs["scarf"], objs["elephant"]
    assert scarf.worn_by == "elephant" and scarf.tint == RED
    assert elephant.tint is None  # neither red nor the accent: the named item carries the colour
    assert scarf.z > elephant.z
    e, s = elephant.box, scarf.box
    assert e.x <= s.x + s.w / 2 <= e.x + e.w and e.y <= s.y + s.h / 2 <= e.y + e.h  # on her
    assert s.h < 0.5 * e.h
    # the neck: below the top of the head, not on the ground beside her
    assert s.y + s.h / 2 > e.y + 0.3 * e.h


def test_untinted_worn_thing_of_the_hero_takes_the_chosen_colour():
    g = graph("farm", [ent("cow", hero=True), ent("hat")], "The cow wore a hat.",
              actions=[Action("cow", "wear", "hat")])
    objs = {o.entity: o for o in lay(g, "cow", color="purple").objects}
    assert objs["hat"].tint == OPTIONS.hex("purple") and objs["cow"].tint is None
    assert objs["hat"].box.y < objs["cow"].box.y + 0.3 * objs["cow"].box.h  # on the head


def test_carried_leaf_is_held_in_pink():
    g = graph("jungle", [ent("monkey", hero=True), ent("leaf", attrs=("pink",))],
              "The monkey carried a pink leaf.", actions=[Action("monkey", "carry", "leaf")])
    (att,) = attachments(g, LIB)
    assert (att.kind, att.slot, att.color) == ("held", "hand", OPTIONS.colors["pink"])
    objs = {o.entity: o for o in lay(g, "monkey").objects}
    assert objs["leaf"].worn_by == "monkey"


def test_played_and_plural_possessed_things_are_held():
    g = graph("farm", [ent("boy"), ent("whistle")], "A boy was playing a whistle.",
              actions=[Action("boy", "play", "whistle")])
    assert [(a.item, a.owner, a.kind) for a in attachments(g, LIB)] == [("whistle", "boy", "held")]
    g = graph("space", [ent("judge", mention="the judges"), ent("glasses")],
              "The judges stared and pulled out the judges' glasses.")
    assert [(a.item, a.owner, a.kind) for a in attachments(g, LIB)] == [("glasses", "judge", "worn")]


def test_a_horse_in_a_blanket_wears_it_on_its_back():
    g = graph("farm", [ent("horse"), ent("blanket", attrs=("purple",))],
              "The loaf went to the brave horse in the purple blanket.")
    assert [(a.item, a.owner, a.kind, a.slot) for a in attachments(g, LIB)] == \
        [("blanket", "horse", "worn", "back")]


def test_a_person_holds_a_small_creature_and_one_thing_to_a_hand():
    g = graph("space", [ent("robot"), ent("moth", mention="the moth"), ent("fan", mention="fan")],
              "The robot cupped the moth between his hands and turned the robot's little fan on.",
              actions=[Action("robot", "cup", "moth")])
    g = SceneGraph(**{**g.__dict__, "entities": (Entity("robot", "robot", "robot", "robot"),
                                                  Entity("moth", "moth", "the moth", "butterfly"),
                                                  Entity("fan", "fan", "fan", "fan"))})
    assert [(a.item, a.owner, a.kind, a.slot) for a in attachments(g, LIB)] == \
        [("moth", "robot", "held", "hand")]


def test_creatures_are_not_worn_and_big_things_not_held():
    g = graph("jungle", [ent("monkey", hero=True), ent("elephant"), ent("tree")],
              "The monkey carried the elephant and held a tree.",
              actions=[Action("monkey", "carry", "elephant"), Action("monkey", "hold", "tree")])
    assert attachments(g, LIB) == ()


def test_worn_things_carry_to_later_scenes_but_the_slot_can_change_hands():
    first = graph("jungle", [ent("elephant", hero=True), ent("scarf", attrs=("red",))],
                  "The elephant wore a red scarf.", actions=[Action("elephant", "wear", "scarf")])
    later = graph("jungle", [ent("elephant", hero=True)], "The elephant walked home.", index=2)
    outfits = book_outfits([first, later], LIB)
    assert outfits[0].worn == () and outfits[1].named_item
    (carried,) = outfits[1].worn
    assert carried.item == "scarf" and carried.color == RED
    objs = {o.entity: o for o in lay(later, "elephant", outfit=outfits[1]).objects}
    assert objs["scarf"].worn_by == "elephant" and objs["elephant"].tint is None


def test_crown_on_princess_covers_her_drawn_crown_and_is_on_her():
    g = graph("castle", [ent("princess", hero=True), ent("castle"), ent("crown")],
              "The princess stood in front of the castle with a crown on her head.",
              relations=[Relation("princess", "in_front_of", "castle"), Relation("crown", "on", "princess")])
    layout = lay(g, "princess")
    objs = {o.entity: o for o in layout.objects}
    crown, princess = objs["crown"].box, objs["princess"].box
    _, top, _, height = LIB.get("princess").head  # her head, set on a drawn body (a gown)
    vy, vh = princess.y + top * princess.h, princess.h * height
    _, _, cbottom = LIB.content("crown")
    crown_bottom = crown.y + cbottom * crown.h
    # over the drawn crown (its bottom rim at ~0.42 of her head's height), not perched above it
    assert vy + 0.3 * vh < crown_bottom < vy + 0.55 * vh
    assert all(v for _, v in layout_report(layout, g, LIB)["relations"])


def _drawn_bottom(box, oid):
    """The lowest drawn row of a sprite in its box (pixels)."""
    import numpy as np
    alpha = np.asarray(LIB.raster(oid, int(box.w), int(box.h)))[..., 3] > 96
    return box.y + np.flatnonzero(alpha.any(1))[-1]


def _drawn_top_at(box, oid, x, flip):
    import numpy as np
    alpha = np.asarray(LIB.raster(oid, int(box.w), int(box.h)))[..., 3] > 96
    alpha = alpha[:, ::-1] if flip else alpha
    col = alpha[:, int(x - box.x)]
    return box.y + np.flatnonzero(col)[0]


import pytest  # noqa: E402


@pytest.mark.parametrize("theme, hero, hat, text", [
    # a fox (a head set on a body) and a kitten (one drawing): the hat sits on the crown between
    # the ears; set on the top of the ears' box it floated above both in review pictures
    ("arctic", "fox", "beanie", "The fox wore a pink bobble hat."),
    ("space", "kitten", "helmet", "The kitten wore a blue helmet."),
])
def test_a_hat_sits_on_the_head_not_above_it(theme, hero, hat, text):
    g = graph(theme, [ent(hero, hero=True), ent(hat, mention=text.split(" wore ")[1][:-1])], text,
              actions=[Action(hero, "wear", hat)])
    objs = {o.entity: o for o in lay(g, hero).objects}
    h, o = objs[hat].box, objs[hero].box
    assert objs[hat].worn_by == hero
    centre = h.x + h.w / 2
    # the hat's lowest drawn row reaches into the head's drawing below it
    assert _drawn_bottom(h, objs[hat].object_id) > _drawn_top_at(o, objs[hero].object_id, centre, objs[hero].flip) + 2


def test_a_bobble_hat_is_a_knitted_hat_in_the_texts_colour():
    assert LIB.resolve("a pink bobble hat").object_id == "beanie"
    assert LIB.resolve("his woolly hat").object_id == "beanie"
    assert LIB.resolve("a straw hat").object_id == "hat"


def test_a_hat_in_the_cold_is_a_woolly_one():
    def drawn_hat(theme, mention, text):
        g = graph(theme, [ent("penguin", hero=True), ent("hat", mention=mention)], text,
                  relations=(Relation(subject="hat", predicate="worn_by", object="penguin"),))
        return [o.object_id for o in lay(g, "penguin").objects if o.entity == "hat"]
    assert drawn_hat("arctic", "a red hat", "The penguin wore a red hat.") == ["beanie"]
    assert drawn_hat("garden", "a hat", "Snow fell, and the penguin put on a hat.") == ["beanie"]
    assert drawn_hat("garden", "a hat", "The sun was warm, and the penguin wore a hat.") == ["hat"]
    assert drawn_hat("arctic", "a straw hat", "The penguin wore a straw hat.") == ["hat"]


def test_a_collar_goes_under_the_chin_of_a_front_facing_head():
    # the outline's top is the sheep's wool: the slot found from it put the collar on its face
    g = graph("farm", [ent("sheep", hero=True), ent("collar", attrs=("red",), mention="a red collar")],
              "The sheep wore a red collar.", relations=(Relation(subject="collar", predicate="worn_by", object="sheep"),))
    objs = {o.entity: o for o in lay(g, "sheep").objects}
    s, c = objs["sheep"].box, objs["collar"].box
    top, bottom = LIB.content("sheep")[1:]
    below_chin = (c.y + c.h / 2 - s.y) / s.h
    assert 0.58 < below_chin < 0.8 and c.h < 0.4 * s.h * (bottom - top) / LIB.content("collar")[2]


def test_a_big_thing_of_hers_is_not_in_her_hands():
    # "slid off her log": the log is hers, not held up (a review picture had a red log across her)
    g = graph("castle", [ent("princess", hero=True), ent("log")], "The princess's log lay by the path.")
    assert [o.worn_by for o in lay(g, "princess").objects if o.entity == "log"] == [None]
    g = graph("castle", [ent("princess", hero=True), ent("leaf")], "The princess's leaf shone in the sun.")
    assert [o.worn_by for o in lay(g, "princess").objects if o.entity == "leaf"] == ["princess"]


def test_an_unowned_wearable_in_the_books_colour_is_the_heros():
    teal = ("teal",)
    g = graph("arctic", [ent("polar_bear", hero=True, attrs=teal), ent("apron", attrs=teal, mention="the teal apron")],
              "The feast was on the shore, with the teal apron flapping as the polar bear cooked.")
    assert [o.worn_by for o in lay(g, "polar bear").objects if o.entity == "apron"] == ["polar_bear"]
    # a scarf in another colour, given to nobody, stays where the text leaves it
    g = graph("arctic", [ent("polar_bear", hero=True, attrs=teal), ent("scarf", attrs=("red",), mention="a red scarf")],
              "A red scarf lay on the ice.")
    assert [o.worn_by for o in lay(g, "polar bear").objects if o.entity == "scarf"] == [None]


def test_a_name_is_not_looked_up_as_a_thing():
    # "Shell" (a tortoise's name) with no drawing of its own is no seashell; a plain word still is
    g = graph("castle", [ent("prince", hero=True), Entity(id="Shell", lemma="Shell", mention="Shell"),
                         Entity(id="shell", lemma="shell", mention="a shell")], "Shell found a shell.")
    assert sorted(o.entity for o in lay(g, "prince").objects) == ["prince", "shell"]
