import random

import pytest

from storygen.errors import RecordError
from storygen.lm import data
from storygen.lm.data import (IGNORE, Encoder, build_dataset, clean_keywords, generator_example,
                              parse_plan, plan_text, planner_target, sample_keywords,
                              scene_prefix_ids, story_prefix_ids)
from tests.test_lm_fixtures import build_tokenizer, tiny_corpus  # noqa: F401


@pytest.fixture(scope="module")
def enc():
    return Encoder(build_tokenizer())


def test_plan_text_round_trips():
    scenes = (("pig", "barn"), ("hat", "hay", "cart"), ("goose", "pond"), ("mud", "thank you"), ("pond", "hat"))
    text = plan_text(scenes)
    assert text == "1: pig, barn | 2: hat, hay, cart | 3: goose, pond | 4: mud, thank you | 5: pond, hat"
    assert parse_plan(" " + text + " ") == scenes


@pytest.mark.parametrize("bad", [
    "1: pig | 2: hat | 3: goose | 4: mud",                  # four scenes
    "1: pig | 2: hat | 3: goose | 4: mud | 5: pond | 6: x",  # six
    "1: pig | 3: hat | 2: goose | 4: mud | 5: pond",         # out of order
    "pig | hat | goose | mud | pond",                        # no numbers
])
def test_parse_plan_refuses_malformed_output(bad):
    assert parse_plan(bad) is None


def test_clean_keywords_drops_junk_and_duplicates_and_caps():
    assert clean_keywords(["Pig", "pig", " big  barn ", "2023", "a-b_c", "x y z w", "hat", "mud", "hay", "sun"]) == \
        ("Pig", "big barn", "hat", "mud", "hay")


def test_sample_keywords_range_order_and_hero():
    pool = ["goose", "pig", "hat", "pond", "mud", "hay", "cart"]
    for seed in range(30):
        got = sample_keywords(pool, "pig", random.Random(seed))
        assert 2 <= len(got) <= 5
        assert "pig" in got
        assert list(got) == sorted(got, key=pool.index)  # story order kept
    assert sample_keywords(["pig"], "pig", random.Random(0)) == ("pig",)
    # seeded: same rng seed, same subset
    assert sample_keywords(pool, "pig", random.Random(4)) == sample_keywords(pool, "pig", random.Random(4))


def test_planner_target_fits_the_plan_contract():
    scenes = [["barn", "mud", "pond", "hat", "hay", "cart"], ["hat"], ["goose", "pond"], [], ["a", "b", "c"]]
    pools = [["pig", "barn"], ["hat", "hay", "cart"], ["goose"], ["mud", "laughed"], ["c"]]
    got = planner_target(scenes, pools, "pig", random.Random(1))
    assert got[0][0] == "pig" and len(got[0]) == 5 and set(got[0][1:]) <= set(scenes[0])
    assert got[1][0] == "hat" and len(got[1]) == 2 and got[1][1] in {"hay", "cart"}
    assert got[2] == ("goose", "pond")
    assert sorted(got[3]) == ["laughed", "mud"]
    assert got[4] == ("a", "b", "c")


def test_generator_example_masks_everything_but_text_and_title(enc):
    ex = generator_example(enc, ("farm", "pig", "pink", "shy"), [("pig", "barn")] * 5,
                           ["The pig sat."] * 5, "The Day")
    assert len(ex.ids) == len(ex.labels)
    learned = enc.decode([t for t, lab in zip(ex.ids, ex.labels) if lab != IGNORE])
    assert learned == " The pig sat.\n" * 5 + " The Day"
    assert ex.ids[-1] == enc.eos and ex.labels[-1] == enc.eos
    full = enc.decode(ex.ids)
    assert full.startswith("theme: farm | hero: pig | color: pink | adjective: shy\n1 (pig, barn): The pig sat.\n2 (")
    assert full.endswith("5 (pig, barn): The pig sat.\ntitle: The Day")
    # the decoder builds its prompts from the same pieces
    prefix = story_prefix_ids(enc, "farm", "pig", "pink", "shy") + scene_prefix_ids(enc, 1, ("pig", "barn"))
    assert ex.ids[:len(prefix)] == prefix


def test_planner_dataset_from_files(enc, tiny_corpus):  # noqa: F811
    train = build_dataset("planner", enc, tiny_corpus, "train", seed=0)
    assert len(train) == 3
    text = enc.decode(train[0].ids)
    assert text.startswith("theme: farm | hero: pig | color: pink | adjective: shy\nplan: 1: pig,")
    plan = parse_plan(text.split("plan:")[1])
    assert plan is not None and all(2 <= len(s) <= 5 for s in plan)


def test_generator_dataset_resamples_keywords_each_epoch(enc, tiny_corpus):  # noqa: F811
    e0 = build_dataset("generator", enc, tiny_corpus, "train", seed=0, epoch=0)
    e0b = build_dataset("generator", enc, tiny_corpus, "train", seed=0, epoch=0)
    e1 = build_dataset("generator", enc, tiny_corpus, "train", seed=0, epoch=1)
    assert [e.ids for e in e0] == [e.ids for e in e0b]
    assert [e.ids for e in e0] != [e.ids for e in e1]
    # the story text (learned tokens) is the same every epoch, only the markers change
    assert [[t for t in e.labels if t != IGNORE] for e in e0] == [[t for t in e.labels if t != IGNORE] for e in e1]


def test_dataset_errors(enc, tmp_path, tiny_corpus):  # noqa: F811
    with pytest.raises(RecordError, match="storygen keywords"):
        build_dataset("planner", enc, tmp_path / "nowhere", "train", seed=0)
    with pytest.raises(RecordError, match="unknown task"):
        build_dataset("ranker", enc, tiny_corpus, "train", seed=0)


def test_encoder_requires_single_newline_token():
    class Odd:
        eos_token_id = 0

        def encode(self, text, add_special_tokens=False):
            return [1, 2]

    with pytest.raises(RecordError, match="newline"):
        data.Encoder(Odd())


def test_planner_target_keeps_the_most_salient_keywords():
    scenes = [["pig", "barn", "liked", "mud", "hat", "sang"], ["hay", "cart", "looked", "goose", "pond"]]
    ranks = [{"pig": 0, "barn": 1, "liked": 4, "mud": 1, "hat": 2, "sang": 3},
             {"hay": 1, "cart": 2, "looked": 3, "goose": 0, "pond": 1}]
    got = planner_target(scenes, [[], []], "pig", random.Random(0), size=(2, 4), ranks=ranks)
    assert got == (("pig", "barn", "mud", "hat"), ("hay", "cart", "goose", "pond"))
