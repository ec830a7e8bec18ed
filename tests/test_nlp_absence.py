"""Issue 22: what a scene says is missing ("the kite was gone") is named, not drawn."""
import pytest

from storygen.nlp.absence import absent_mentions, gone_entities
from storygen.nlp.parse import parse_text
from storygen.nlp.parsed_reader import ParsedNLP
from storygen.object_library import load_library
from storygen.options import load_options
from storygen.records import Prompt
from storygen.scenes.layout.attire import book_outfits
from storygen.scenes.layout.solver_backend import compose_layout

OPTIONS = load_options()
LIB = load_library()


@pytest.fixture(scope="module")
def nlp():
    return ParsedNLP()


@pytest.mark.parametrize("text, absent", [
    ("The telescope was gone.", ["telescope"]),
    ("Her ball was nowhere to be found.", ["ball"]),
    ("The key was not there.", ["key"]),
    ("She could not find her hat anywhere.", ["hat"]),
    ("There was no cake anywhere.", ["cake"]),
    ("Nobody saw the key.", ["key"]),
    ("Her puppy was missing.", ["puppy"]),
    ("The moon disappeared behind a cloud.", ["moon"]),
    ("Mia lost her teddy in the park.", ["teddy"]),
    ("She looked for the kite in the tree.", ["kite"]),  # looked for: not drawn in the tree
    ('"Did you see my ball?" he asked a squirrel.', ["ball"]),
    ('"Where is my hat?" she cried.', ["hat"]),
    ("She saw the ball.", []),
    ("Off he went, home to bed before supper.", ["bed"]),  # a doing, not a bed
    ("He jumped onto the bed.", []),
    ("The snow fell. In a few minutes it had covered the path and every footprint.",
     ["path", "footprint"]),
    ("Then the snow began to fall. In a few minutes it had covered the path and every footprint "
     "he had made.", ["path", "footprint"]),  # (the second object hung on the verb)
    ("The fox covered the eggs with straw.", []),
    ('"Gus, will you build us a swing?" they begged.', ["swing"]),  # still to be made
    ("She wanted to bake a cake.", ["cake"]),
    ("She baked a cake.", []),
    # not absent: an adjective in front, a thing found, a dropped thing, a thing not gone
    ("She found a lost spoon.", []),
    ("She found the key under the mat.", []),
    ("The fox dropped the cheese.", []),
    ("The kite was not gone.", []),
])
def test_absent_mentions(text, absent):
    p = parse_text(text)
    assert [p.tokens[i].text for i in sorted(absent_mentions(p))] == absent


def test_a_lost_character_is_still_in_sight_and_a_thing_found_again_is_drawn():
    p = parse_text("The seal was lost. The kite was gone.")
    links = {1: ("seal",), 6: ("kite",)}
    assert gone_entities(p, links, frozenset({"seal"})) == {"kite"}
    assert gone_entities(p, links) == {"seal", "kite"}
    p = parse_text("Did you see the owl? It is on the roof.")  # asked after, then there
    assert gone_entities(p, {4: ("owl",), 6: ("owl",)}) == set()
    assert gone_entities(p, {4: ("owl",)}) == {"owl"}
    p = parse_text('"Did you see my ball?" he asked a squirrel, who said it rolled away.')
    ball, it = (next(t.i for t in p.tokens if t.lower == w) for w in ("ball", "it"))
    assert gone_entities(p, {ball: ("ball",), it: ("ball",)}) == {"ball"}  # told of, not seen
    p = parse_text('"Will you build us a swing?" they begged. He knew it was the only way.')
    swing, it, way = (next(t.i for t in p.tokens if t.lower == w) for w in ("swing", "it", "way"))
    assert gone_entities(p, {swing: ("swing",), it: ("swing",), way: ("swing",)}) == {"swing"}
    p = parse_text("She looked for the kite. It was the kite!")
    assert gone_entities(p, {4: ("kite",), 6: ("kite",), 9: ("kite",)}) == set()


def read(nlp, hero, *scenes):
    prompt = Prompt(theme="garden", hero=hero, color="red", adjective="brave")
    return prompt, nlp.build_graphs(list(scenes), prompt)


def test_the_lost_kite_is_marked_gone_and_left_out_of_the_picture(nlp):
    prompt, graphs = read(nlp, "girl", "Mia loved her red kite.",
                          "One windy day the kite was gone. Mia looked for it under the bench.",
                          "Then she saw a flash of red in a tree. It was the kite!")
    kites = [next((e for e in g.entities if e.lemma == "kite"), None) for g in graphs]
    assert [k is not None and k.gone for k in kites] == [False, True, False]
    # "It was the kite!": the pronoun is the kite found, not the tree just seen
    assert kites[2] is not None and not any(r.subject == "kite" or r.object == "kite"
                                             for r in graphs[1].relations)
    drawn = [{o.object_id for o in compose_layout(g, prompt, OPTIONS.hex("red"), 1024, 768,
                                                  seed=3, library=LIB).objects} for g in graphs]
    assert ["kite" in d for d in drawn] == [True, False, True]
    assert "bench" in drawn[1]


def test_a_lost_hat_is_not_carried_on_the_hero(nlp):
    _, graphs = read(nlp, "rabbit", "The rabbit put on her blue hat.",
                     "The wind blew hard. The rabbit could not find her hat anywhere.",
                     "The rabbit hopped home.")
    worn = [{a.item for a in o.worn} for o in book_outfits(graphs, LIB)]
    assert worn == [set(), {"hat"}, set()]
