"""Issue 22 part 3: sizes from the text (size words, comparisons), yardsticks not drawn, and
things bigger in life drawn bigger than the hero."""
from storygen.options import load_options
from storygen.records import Entity, Prompt, Relation, SceneGraph
from storygen.object_library import load_library
from storygen.scenes.layout.solver_backend import compose_layout
from storygen.scenes.layout.sizes import comparisons, hero_scale, shift, size_class, yardsticks

OPTIONS = load_options()
LIB = load_library()


def ent(eid, hero=False, attrs=(), mention=None, obj=None):
    return Entity(id=eid, lemma=eid, mention=mention or eid, object_id=obj or eid,
                  attributes=attrs, hero=hero)


def graph(theme, entities, text, relations=()):
    return SceneGraph(index=1, text=text, resolved_text=text, entities=tuple(entities),
                      relations=tuple(relations), actions=(), cues=(), theme=theme, backend="test")


def boxes(g, hero):
    prompt = Prompt(theme=g.theme, hero=hero, color="teal", adjective="kind")
    layout = compose_layout(g, prompt, OPTIONS.hex("teal"), 1024, 768, seed=2)
    return {o.entity: o.box for o in layout.objects}


MANGO_TEXT = "The monkey was no bigger than a mango. The monkey sat in the grass."


def test_no_bigger_than_a_mango():
    g = graph("jungle", [ent("monkey", hero=True), ent("mango", mention="a mango")], MANGO_TEXT)
    assert comparisons(g, LIB) == {"monkey": LIB.get("mango").size}
    assert yardsticks(g) == {"mango"}
    small = boxes(g, "monkey")
    assert "mango" not in small  # only a yardstick: not in the scene
    plain = boxes(graph("jungle", [ent("monkey", hero=True)], "The monkey sat in the grass."), "monkey")
    assert small["monkey"].h < 0.7 * plain["monkey"].h


def test_a_simile_with_two_adjectives_names_a_yardstick():
    g = graph("arctic", [ent("seal", hero=True), ent("wall", mention="a smooth, tall wall")],
              "The ice stood up from the water like a smooth, tall wall.")
    assert yardsticks(g) == {"wall"}
    g = graph("underwater", [ent("dolphin", hero=True), ent("bottle", mention="a bottle")],
              "It was a low hum, like someone blowing across a bottle.")
    assert yardsticks(g) == {"bottle"}


def test_a_mango_in_the_scene_is_drawn():
    g = graph("jungle", [ent("monkey", hero=True), ent("mango")], "The monkey ate a mango.")
    assert yardsticks(g) == set() and "mango" in boxes(g, "monkey")


def test_comparison_words():
    g = graph("jungle", [ent("monkey", hero=True), ent("elephant")],
              "The monkey was bigger than an elephant.")
    assert comparisons(g, LIB) == {"monkey": "huge"}  # elephant huge, one step up stays huge
    g = graph("farm", [ent("cow", hero=True), ent("mouse")], "The cow was smaller than a mouse.")
    assert comparisons(g, LIB) == {"cow": "tiny"}


def test_size_words_and_size_nouns():
    rock = LIB.get("rock")
    assert size_class(ent("rock", attrs=("huge",)), rock, {}) == ("huge", True)
    assert size_class(ent("rock", attrs=("little",)), rock, {}) == ("small", True)
    assert size_class(ent("rock"), rock, {}) == (rock.size, False)
    assert size_class(Entity(id="pebble", lemma="pebble", mention="pebbles", object_id="rock"),
                      rock, {}) == ("tiny", True)  # pebbles drawn with the rock, but small
    turtle = LIB.get("turtle")
    assert size_class(ent("turtle", attrs=("baby",)), turtle, {}) == (shift(turtle.size, -1), True)
    assert hero_scale(ent("monkey", hero=True, attrs=("tiny",)), {}) < hero_scale(
        ent("monkey", hero=True), {}) == 1.0


def test_elephant_beside_a_bee_is_drawn_bigger():
    g = graph("garden", [ent("bee", hero=True), ent("elephant")], "The bee buzzed near an elephant.",
              relations=[Relation("bee", "near", "elephant")])
    b = boxes(g, "bee")
    assert b["elephant"].h > b["bee"].h


def test_pebbles_are_small_beside_the_hero():
    g = graph("jungle", [ent("monkey", hero=True), Entity(id="pebble", lemma="pebble", mention="pebbles",
                                                          object_id="rock")],
              "The monkey sat by some pebbles.")
    rock = graph("jungle", [ent("monkey", hero=True), ent("rock")], "The monkey sat by a rock.")
    assert boxes(g, "monkey")["pebble"].h < boxes(rock, "monkey")["rock"].h
