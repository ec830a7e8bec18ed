"""Scene graphs from the parsed pipeline: entities, relations, actions, cues, story context."""
import json

import pytest
from click.testing import CliRunner

from storygen.errors import BackendError
from storygen.backends import NLP_BACKENDS
from storygen.cli.evaluate_scenes import evaluate_nlp
from storygen.nlp.evaluate import evaluate_nlp as evaluate
from storygen.nlp import build_graphs
from storygen.nlp.parsed_reader import ParsedNLP
from storygen.records import Action, Prompt, Relation, SceneGraph
from tests.samples import STORY

PROMPT = Prompt(theme="underwater", hero="mermaid", color="teal", adjective="silly")


@pytest.fixture(scope="module")
def nlp():
    return ParsedNLP()


def rels(graph):
    lemma = {e.id: e.lemma for e in graph.entities}
    return [(lemma[r.subject], ("not " if r.negated else "") + r.predicate, lemma[r.object])
            for r in graph.relations]


def test_hero_phrase_entity_and_relation(nlp):
    g = nlp.build_graph("The silly teal mermaid hid under the old boat.", 1, PROMPT)
    hero, boat = g.entities
    assert (hero.id, hero.hero, hero.object_id, hero.mention) == (
        "mermaid", True, "mermaid", "The silly teal mermaid")
    assert hero.attributes == ("silly", "teal") and boat.attributes == ()
    assert (boat.lemma, boat.object_id, boat.count) == ("boat", "boat", 1)
    assert g.relations == (Relation(subject="mermaid", predicate="below", object="boat"),)
    assert g.actions == (Action(subject="mermaid", verb="hide"),)
    assert g.backend == "spacy" and g.theme == "underwater"


@pytest.mark.parametrize("text, expected", [
    ("The shell was not under the rock.", [("shell", "not below", "rock")]),
    ("The kitten hid behind the chair, not under the table.",
     [("kitten", "behind", "chair"), ("kitten", "not below", "table")]),
    ("She put the comb on the shelf above the bed.", [("comb", "on", "shelf"), ("shelf", "above", "bed")]),
    ("The pearl was hidden under a stone by the crab.", [("pearl", "below", "stone")]),
    ("The dolphin balanced a ball on her nose.", [("ball", "on", "dolphin")]),
    ("The crab sat between the rock and the boat.", [("crab", "between", "rock"), ("crab", "between", "boat")]),
    ("The turtle waited in front of the ship, to the left of the anchor.",
     [("turtle", "in_front_of", "ship"), ("turtle", "left_of", "anchor")]),
    ("The octopus looked under the rock and swam to the cave.", []),
    # held and ridden things (nlp/holding.py): a verb, not a preposition, says where they are
    ("Mia held a red balloon.", [("balloon", "held_by", "Mia")]),
    ("Grandpa sat on the bench, holding a newspaper.",
     [("Grandpa", "on", "bench"), ("newspaper", "held_by", "Grandpa")]),
    ("The knight rode a white horse.", [("knight", "riding_on", "horse")]),
    ("The prince rode on a donkey.", [("prince", "riding_on", "donkey")]),
    ("The elephant carried the monkey on her back.", [("monkey", "on", "elephant")]),
    ("A starfish lay on the rock.", [("starfish", "on", "rock")]),
    # what covers or fills a thing is on or in it, not the thing in what covers it
    ("The rock was covered in shells.", [("shell", "on", "rock")]),
    # done "from" a place without leaving it: there; a motion "from" a place: gone from it
    ("A crab waved at him from a rock.", [("crab", "on", "rock")]),
    ("The crab was peeking out from under a shell.", [("crab", "below", "shell")]),
    ("The crab ran away from the rock.", []),
    # "in" a wearable is worn, unless it is a place to be in
    ("The crab and the fish raced in matching red ribbons.", [("ribbon", "worn_by", "crab")]),
    ("The crab hid in the hat.", [("crab", "in", "hat")]),
    ("The anchor lay on the sand near the shipwreck.", [("anchor", "on", "sand"), ("anchor", "near", "shipwreck")]),
])
def test_relation_patterns(nlp, text, expected):
    assert rels(nlp.build_graph(text, 1, PROMPT)) == expected


def test_counts_actions_and_cues(nlp):
    g = nlp.build_graph("At night three small fish chased the shark into the cave.", 1, PROMPT)
    fish = next(e for e in g.entities if e.lemma == "fish")
    assert (fish.count, fish.attributes) == (3, ("small",))
    assert Action(subject="fish", verb="chase", object="shark") in g.actions
    assert g.cues == ("night", "cave")
    # a stated number is the count drawn ("two crabs": two, not a bare plural's three)
    g = nlp.build_graph("Two crabs and some shells lay on the sand.", 1, PROMPT)
    assert {e.lemma: e.count for e in g.entities if e.lemma in ("crab", "shell")} == {"crab": 2, "shell": 3}
    # "the lamp was on the desk, and the books were under it": one lamp (the "were" is the books')
    g = nlp.build_graph("The lamp was on the rock, and the shells were under the rock.", 1, PROMPT)
    assert {e.lemma: e.count for e in g.entities if e.lemma in ("lamp", "shell")} == {"lamp": 1, "shell": 3}
    # the babies of "the baby turtles" are drawn small in the next scene too
    graphs = build_graphs(("Everyone came to see the baby turtles.", "The babies were frightened."),
                          Prompt(theme="jungle", hero="tiger", color="orange", adjective="gentle"), "spacy")
    assert [[(e.lemma, e.attributes) for e in g.entities if e.lemma == "turtle"] for g in graphs] == \
        [[("turtle", ("baby",))], [("turtle", ("baby",))]]
    # "stood up to bow": a bow is done, no ribbon drawn ("a pink bow in her hair" is one)
    g = nlp.build_graph("The mermaid stood up to bow. She had a pink bow in her hair.", 1, PROMPT)
    assert [e.lemma for e in g.entities if e.lemma == "bow"] == ["bow"]
    assert nlp.build_graph("The mermaid stood up to bow.", 1, PROMPT).entities[-1].lemma == "mermaid"
    # "The best present was a red balloon": a balloon is drawn, in a later scene too
    graphs = build_graphs(("The best present was a red balloon.", "The mouse tied the present to his chair."),
                          PROMPT, "spacy")
    assert [[e.object_id for e in g.entities if e.id == "present"] for g in graphs] == [["balloon"], ["balloon"]]
    # sunshine is the light the background paints, not a sun set down on the rocks
    g = nlp.build_graph("The mermaid burst out into the sunshine.", 1, PROMPT)
    assert [e.object_id for e in g.entities if e.lemma == "sunshine"] in ([], [None])
    # what the words only compare, shape or sound is not drawn: a mirror's smoothness, a ball
    # one curls into, a whistle one gives, a doctor one plays; a new name is the speaker's
    for text, absent in [("The seal slid onto a lake that was as smooth and shiny as a mirror.", "mirror"),
                         ("The hedgehog curled into a prickly ball.", "ball"),
                         ("The hares gave a whistle, and the walruses pulled the sled.", "whistle"),
                         ("Amara played doctor with her teddy bear.", "doctor")]:
        assert absent not in {e.lemma for e in nlp.build_graph(text, 1, PROMPT).entities}, text
    assert "whistle" in {e.lemma for e in nlp.build_graph("Grandpa gave her a whistle.", 1, PROMPT).entities}
    g = nlp.build_graph('The mermaid met a girl with a stick. "My name is Ivy," she said.', 1, PROMPT)
    assert sorted(e.lemma for e in g.entities) == ["girl", "mermaid", "stick"]
    # "Shell, an old tortoise": the name is the tortoise's, drawn as one (not as a seashell)
    graphs = build_graphs(("His friend was Shell, an old tortoise.", "Shell looked up at the tower."), PROMPT, "spacy")
    assert [e.object_id for e in graphs[1].entities if e.object_id] == ["turtle"]
    # "wore a red hat and a blue scarf": both are worn
    g = nlp.build_graph("The crab wore a red hat and a blue scarf.", 1, PROMPT)
    assert {a.object for a in g.actions if a.verb == "wear"} == {"hat", "scarf"}
    # "grabbed the end of the rope": the rope is grabbed
    g = nlp.build_graph("The crab grabbed the end of the rope.", 1, PROMPT)
    assert Action(subject="crab", verb="grab", object="rope") in g.actions
    # a part of another's drawing is drawn with it: the kite's string, the lantern's candle
    g = nlp.build_graph("The kite's string snapped, and the lantern lost its candle.", 1, PROMPT)
    assert {e.lemma for e in g.entities} == {"kite", "lantern"}
    # an animal in a role is drawn as the animal: "the owl judge"
    g = nlp.build_graph("The owl judge sat in her window.", 1, PROMPT)
    assert [e.object_id for e in g.entities if e.lemma == "judge"] == ["owl"]
    # a deer the story calls "she" is a doe (the library's deer has antlers); a fawn is one too
    prompt = Prompt(theme="forest", hero="deer", color="red", adjective="gentle")
    graphs = build_graphs(("A gentle deer lived in the wood. She had a little fawn.",), prompt, "spacy")
    assert {e.lemma: e.object_id for e in graphs[0].entities if e.object_id} == {"deer": "doe", "fawn": "doe"}
    graphs = build_graphs(("A proud deer lived in the wood. He had a little fawn.",), prompt, "spacy")
    assert {e.lemma: e.object_id for e in graphs[0].entities if e.object_id} == {"deer": "deer", "fawn": "doe"}
    # a relative clause's "who" is the noun it describes
    g = nlp.build_graph("Coral was a silly mermaid who wore a crown.", 1, PROMPT)
    assert Action(subject="mermaid", verb="wear", object="crown") in g.actions


def test_story_graphs_carry_coreference(nlp):
    graphs = build_graphs(STORY.scenes, STORY.prompt, "spacy")
    assert [g.index for g in graphs] == [1, 2, 3, 4, 5]
    assert graphs[1].resolved_text.startswith("One day the mermaid's shell was gone.")
    assert "The mermaid and the crab had a party." in graphs[4].resolved_text
    assert rels(graphs[1]) == [("shell", "not below", "rock")]
    assert {e.id for e in graphs[3].entities} == {"crab", "mermaid", "reef"}
    again = build_graphs(STORY.scenes, STORY.prompt, "spacy")
    assert [json.dumps(g.to_dict(), sort_keys=True) for g in graphs] == \
           [json.dumps(g.to_dict(), sort_keys=True) for g in again]
    assert SceneGraph.from_dict(graphs[0].to_dict()) == graphs[0]


def test_registered_as_nlp_backends():
    assert {"basic", "spacy", "stanza"} <= set(NLP_BACKENDS.names())
    backend = NLP_BACKENDS.create("spacy")
    g = backend.build_graph("The crab sat on the rock.", 3, PROMPT)
    assert rels(g) == [("crab", "on", "rock")] and g.index == 3


def test_build_graphs_with_other_backends(tmp_path, monkeypatch):
    basic = build_graphs(STORY.scenes, STORY.prompt, backend="basic")
    assert [g.backend for g in basic] == ["basic"] * 5
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path))
    # stanza is optional: without it the error names the install line, with it the missing models
    import importlib.util
    expected = ("No English stanza models" if importlib.util.find_spec("stanza")
                else "needs stanza; install it with: pip install")
    with pytest.raises(BackendError, match=expected):
        build_graphs(STORY.scenes, STORY.prompt, backend="stanza")


GOLD_COREF = ('{"id": "x1", "prompt": ["forest", "fox", "red", "shy"], "phenomena": ["hero"], '
              '"scenes": ["A shy red fox lived in a den. She[fox] slept there.", '
              '"It[-] was raining. Her[fox] den was dry."]}\n')
GOLD_REL = ('{"id": "y1", "text": "The fox sat under the tree.", "triples": [["fox", "below", "tree"]], '
            '"phenomena": ["verb_pp"]}\n'
            '{"id": "y2", "split": "test", "text": "The owl was not on the log.", '
            '"triples": [["owl", "on", "log"]], "phenomena": ["negation"]}\n')


def test_evaluate_on_a_tiny_gold_set(tmp_path):
    (tmp_path / "coref.jsonl").write_text(GOLD_COREF)
    (tmp_path / "relations.jsonl").write_text(GOLD_REL)
    result = evaluate("spacy", tmp_path)
    assert result["coref"]["n"] == 3 and result["coref"]["accuracy"] == 1.0
    assert set(result["coref"]["by_phenomenon"]) == {
        "all", "hero", "pleonastic_it", "possessive", "split=dev", "cross_scene"}
    rel = result["relations"]
    assert (rel["tp"], rel["fp"], rel["fn"]) == (1, 1, 1)  # y2 gold lacks the negation
    assert rel["precision"] == 0.5 and rel["by_phenomenon"]["split=test"]["f1"] == 0.0
    assert rel["errors"] == [{"id": "y2", "text": "The owl was not on the log.",
                              "missing": ["owl on log"], "extra": ["owl not on log"]}]
    out = CliRunner().invoke(evaluate_nlp, ["--gold", str(tmp_path), "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["relations"]["tp"] == 1
    table = CliRunner().invoke(evaluate_nlp, ["--gold", str(tmp_path), "--errors"])
    assert "Pronoun resolution (spacy): 100.0% of 3" in table.output
    assert "y2 The owl was not on the log." in table.output


def test_evaluate_reports_a_missing_gold_file(tmp_path):
    from storygen.errors import RecordError

    with pytest.raises(RecordError, match="coref.jsonl does not exist"):
        evaluate("spacy", tmp_path)


@pytest.mark.slow
def test_gold_sets_meet_the_targets():
    result = evaluate("spacy")
    assert result["coref"]["n"] >= 150 and result["coref"]["accuracy"] >= 0.90
    assert result["relations"]["items"] >= 150 and result["relations"]["f1"] >= 0.90


@pytest.mark.parametrize("hero, color, text, kept", [
    ("fox", "silver", "A cheerful fox with a thick silver coat skipped across the tundra.", None),
    ("turtle", "blue", "The turtle swam to the rock and patted his blue shell with his flippers.", None),
    ("hen", "purple", "A gentle hen with purple-tipped feathers lived in the orchard.", None),
    # (the parser hangs this "with" on "lived", not on the turtle)
    ("turtle", "yellow", "In the bay there lived a curious turtle with a yellow shell.", None),
    ("princess", "teal", "The princess put on her teal coat and went out into the snow.", "coat"),
    ("crab", "red", "The crab found an empty shell on the sand and carried it home.", "shell"),
])
def test_an_animals_own_coat_or_shell_colours_the_animal(hero, color, text, kept):
    """'a fox with a silver coat' is a silver fox, not a fox beside a coat; a person's coat and a
    shell nobody wears stay things of their own."""
    theme = {"fox": "arctic", "turtle": "underwater", "hen": "farm", "princess": "castle", "crab": "underwater"}[hero]
    prompt = Prompt(theme=theme, hero=hero, color=color, adjective="shy", seed=1)
    graph = NLP_BACKENDS.create("spacy").build_graph(text, 1, prompt)
    ids = {e.id for e in graph.entities}
    if kept is None:
        assert not ids & {"coat", "shell", "feather"}, ids
    else:
        assert kept in ids
    assert color in next(e for e in graph.entities if e.hero).attributes


def test_a_companions_coat_gives_the_companion_its_colour():
    prompt = Prompt(theme="arctic", hero="fox", color="teal", adjective="shy", seed=1)
    graph = NLP_BACKENDS.create("spacy").build_graph("A seal with a grey coat lay on the ice.", 1, prompt)
    seal = next(e for e in graph.entities if e.id == "seal")
    assert "grey" in seal.attributes and "coat" not in {e.id for e in graph.entities}


@pytest.mark.parametrize("text, want, unwanted", [
    # a thing "with" a creature's intransitive verb is in its hands; a creature with it, beside it
    ("The owl waited by the gate with a lantern.", ("lantern", "held_by", "owl"), None),
    ("The goat trotted home with his kitten.", ("kitten", "near", "goat"), None),
    # not what something is done with, not a body part
    ("The pig filled the bucket with water.", None, "held_by"),
    ("The seal nudged the ball with her nose.", None, "held_by"),
    # a participle's doer is the noun it modifies
    ("The yard was full of children holding balloons.", ("balloon", "held_by", "child"), None),
    # together without a landmark noun
    ("The hen and the duck sat side by side.", ("duck", "near", "hen"), None),
    ("The cat and the dog slept next to each other.", ("dog", "near", "cat"), None),
    ("The bear cuddled the little rabbit.", ("rabbit", "near", "bear"), None),
    ("The goose and the frog waited outside the barn.", ("goose", "near", "barn"), None),
])
def test_relations_without_a_place_preposition(nlp, text, want, unwanted):
    got = rels(nlp.build_graph(text, 1, Prompt(theme="farm", hero="pig", color="red", adjective="kind")))
    if want:
        assert want in got, got
    if unwanted:
        assert not any(r[1] == unwanted for r in got), got


def test_together_is_the_clause_that_says_so(nlp):
    """'together' in a second clause joins that clause's subjects, not the first one's."""
    g = nlp.build_graph("The fox sat down alone, and the owl and the hen played together.", 1,
                        Prompt(theme="forest", hero="fox", color="red", adjective="kind"))
    got = rels(g)
    assert ("hen", "near", "owl") in got and not any("fox" in (r[0], r[2]) for r in got), got


def test_an_apposition_names_each_friend_once(nlp):
    """'Her friends the rabbit and the mole' are one rabbit and one mole, not three rabbits."""
    prompt = Prompt(theme="forest", hero="hedgehog", color="red", adjective="kind")
    named = {e.id: e.count for e in nlp.build_graph(
        "Her friends the rabbit and the mole stood by the door.", 1, prompt).entities}
    plain = {e.id: e.count for e in nlp.build_graph("Her friends stood by the door.", 1, prompt).entities}
    assert named["friend"] == named["mole"] == 1 and plain["friend"] > 1


def test_every_and_each_draw_several(nlp):
    prompt = Prompt(theme="underwater", hero="turtle", color="blue", adjective="shy")
    counts = {t: {e.id: e.count for e in nlp.build_graph(t, 1, prompt).entities}["fish"]
              for t in ("Every fish in the reef came to listen.", "The fish swam by.")}
    assert counts["Every fish in the reef came to listen."] > 1 and counts["The fish swam by."] == 1
