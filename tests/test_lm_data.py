import random

import pytest

from storygen.corpus.keywords import KeywordSentence
from storygen.errors import RecordError
from storygen.lm.data import (IGNORE, Encoder, PlanText, build_dataset, clean_keywords, marker_ids,
                              parse_plan_text, parse_scenes, plan_keywords, plan_lines, planner_example,
                              planner_prompt_ids, scene_text_ids, story_example, writer_prompt_ids)
from tests.test_lm_fixtures import build_tokenizer, tiny_corpus  # noqa: F401

PLAN = PlanText(plot="lost and found",
                beats=("a shy pig and her hat", "the wind takes the hat", "she looks in the hay",
                       "a goose finds it in the pond", "they laugh in the mud"),
                keywords=(("pig", "barn"), ("hat", "wind"), ("hay", "cart"), ("goose", "pond"), ("mud", "hat")),
                title="The Muddy Hat")
PICKS = ("farm", "pig", "pink", "shy")
SCENES = ["A shy pink pig lived in a red barn.", "The wind took her hat.", "She looked in the hay.",
          "A goose found it in the pond.", "They laughed in the mud."]


@pytest.fixture(scope="module")
def enc():
    return Encoder(build_tokenizer())


def test_plan_text_round_trips():
    text = plan_lines(PLAN)
    assert text.splitlines()[:2] == ["plot: lost and found", "plan 1 setup: a shy pig and her hat | pig, barn"]
    assert text.splitlines()[-1] == "title: The Muddy Hat"
    assert parse_plan_text("\n" + text + "\n") == PLAN


@pytest.mark.parametrize("bad", [
    lambda t: t.replace("plan 2 problem", "plan 3 problem"),   # out of order
    lambda t: t.replace("plan 2 problem", "plan 2 ending"),    # wrong role
    lambda t: "\n".join(t.splitlines()[:-1]),                  # no title
    lambda t: t.replace("plot: lost and found\n", ""),         # no plot
    lambda t: t.replace("the wind takes the hat", ""),         # empty beat
])
def test_parse_plan_refuses_malformed_output(bad):
    assert parse_plan_text(bad(plan_lines(PLAN))) is None


def test_parse_scenes_in_order_and_from_a_later_scene():
    text = "\n".join(f"scene {i} {r}: {s}" for i, (r, s) in
                     enumerate(zip(("setup", "problem", "attempt", "turn", "ending"), SCENES), 1))
    assert parse_scenes(text) == (SCENES, True)
    assert parse_scenes("\n".join(text.splitlines()[:3])) == (SCENES[:3], False)
    assert parse_scenes("\n".join(text.splitlines()[2:]), start=2) == (SCENES[2:], True)
    swapped = text.replace("scene 2 problem", "scene 4 problem")
    assert parse_scenes(swapped) == (SCENES[:1], False)


def test_clean_keywords_drops_junk_and_duplicates_and_caps():
    assert clean_keywords(["Pig", "pig", " big  barn ", "2023", "a-b_c", "x y z w", "hat", "mud", "hay", "sun"]) == \
        ("Pig", "big barn", "hat", "mud", "hay")


def test_plan_keywords_are_the_most_salient_in_story_order_hero_first():
    scene = [KeywordSentence("A shy pig lived in a barn by the pond.", ("pig", "barn", "pond", "lived")),
             KeywordSentence("She liked mud.", ("mud", "liked"))]
    for seed in range(20):
        got = plan_keywords(scene, "pig", random.Random(seed), first=True)
        assert got[0] == "pig" and 2 <= len(got) <= 4 and "lived" not in got and "pond" not in got
    later = plan_keywords(scene, "pig", random.Random(0), first=False, size=(2, 2))
    assert later == ("pig", "mud")  # the two rank-0 keywords, in story order


def test_story_example_learns_plan_and_story_not_the_picks(enc):
    ex = story_example(enc, PICKS, PLAN, SCENES)
    head = planner_prompt_ids(enc, *PICKS)
    assert ex.ids[:len(head)] == head and all(x == IGNORE for x in ex.labels[:len(head)])
    text = enc.tok.decode(ex.ids)
    assert "title: The Muddy Hat<|im_end|>scene 1 setup: A shy pink pig" in text
    assert text.endswith("scene 5 ending: They laughed in the mud.<|im_end|>")
    learned = enc.tok.decode([t for t, lab in zip(ex.ids, ex.labels) if lab != IGNORE])
    assert learned.startswith("plot: lost and found") and "scene 1 setup:" not in learned
    assert "scene 2 problem:" in learned  # the writer moves on to the next scene itself
    no_plan = story_example(enc, PICKS, PLAN, SCENES, learn_plan=False)
    assert not enc.tok.decode([t for t, lab in zip(no_plan.ids, no_plan.labels) if lab != IGNORE]).startswith("plot")


def test_writer_prompt_is_the_training_sequence_prefix(enc):
    """Decoding sees exactly the token boundaries training saw."""
    ex = story_example(enc, PICKS, PLAN, SCENES)
    prompt = writer_prompt_ids(enc, PICKS, PLAN)
    assert ex.ids[:len(prompt)] == prompt
    cont = prompt + scene_text_ids(enc, SCENES[0]) + marker_ids(enc, 2)
    assert ex.ids[:len(cont)] == cont
    assert planner_example(enc, PICKS, PLAN).ids == prompt[:len(planner_example(enc, PICKS, PLAN).ids)]


def test_datasets_from_the_keyword_corpus(enc, tiny_corpus):  # noqa: F811
    gen = build_dataset("generator", enc, tiny_corpus, "train", seed=0)
    plan = build_dataset("planner", enc, tiny_corpus, "train", seed=0)
    assert len(gen) == len(plan) == 3
    assert all(len(p) < len(g) for p, g in zip(plan, gen))
    # keywords are redrawn each training epoch, never for validation
    e0 = build_dataset("generator", enc, tiny_corpus, "train", seed=0, epoch=0)
    assert any(a.ids != b.ids for a, b in zip(e0, build_dataset("generator", enc, tiny_corpus, "train", 0, epoch=3)))
    v0 = build_dataset("generator", enc, tiny_corpus, "val", seed=0, epoch=0)
    assert [e.ids for e in v0] == [e.ids for e in build_dataset("generator", enc, tiny_corpus, "val", 0, epoch=5)]
    with pytest.raises(RecordError, match="unknown task"):
        build_dataset("ranker", enc, tiny_corpus, "train", 0)


def test_a_story_without_beats_cannot_train(enc, tmp_path):
    import json

    from tests.test_lm_fixtures import write_keyword_corpus

    folder = write_keyword_corpus(tmp_path / "k")
    rows = [json.loads(line) for line in (folder / "train.jsonl").read_text().splitlines()]
    rows[0]["beats"] = []
    (folder / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(RecordError, match="farm-001: a story needs its plot and one beat per scene"):
        build_dataset("generator", enc, folder, "train", 0)
