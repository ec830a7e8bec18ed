"""Corpus tools on hand-written mini corpora: validate (every check), stats, split, keywords, CLI."""
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from storygen.cli import main
from storygen.corpus.keywords import (
    KeywordSentence, KeywordStory, PlannerExample, keyword_stories, planner_example, protect_hero,
    read_jsonl, sentence_keywords,
)
from storygen.corpus.split import CorpusSplits, check_splits, load_splits, split_stories, write_splits
from storygen.corpus.stats import corpus_stats, secondary_characters
from storygen.corpus.stories import (
    CorpusStory, KeywordConfig, SplitConfig, ValidateConfig, corpus_config, load_stories,
)
from storygen.corpus.validate import CHECKS, validate_file, validate_stories
from storygen.errors import RecordError, StorygenError
from storygen.text import letter_runs, split_sentences, words
from storygen.options import load_options

MERMAID = {
    "id": "underwater-001", "theme": "underwater", "hero": "mermaid", "color": "teal",
    "adjective": "silly", "name": "Coral", "title": "The Juggling Pearl", "plot": "lost and found",
    "beats": ["a silly mermaid sings to the sleepy clams", "a wave carries her pearl away",
              "a crab saw it roll into the shipwreck", "a shy octopus is juggling the pearl",
              "a juggling show together every afternoon"],
    "scenes": [
        "In a warm lagoon lived a silly mermaid named Coral with a shiny teal tail. Every morning she"
        " sang songs to the sleepy clams. The clams always yawned and clapped their shells.",
        "One day a big wave carried her favorite pearl far away. Coral searched under every rock and"
        " inside every sponge. The pearl was nowhere to be found.",
        "A helpful crab waved his claws from the sand. \"I saw something round roll into the old"
        " shipwreck,\" he said. Coral thanked him and swam toward the dark wreck.",
        "Inside the shipwreck, a shy octopus was juggling the pearl with seven other shells. Coral"
        " laughed so hard that bubbles came out of her nose. The octopus blushed pink and dropped everything.",
        "The silly mermaid taught the octopus a new juggling trick with her teal tail. From then on"
        " they practiced together each afternoon. The pearl became the star of their show.",
    ],
}
HEDGEHOG = {
    "id": "forest-001", "theme": "forest", "hero": "hedgehog", "color": "purple",
    "adjective": "brave", "name": None, "title": "The Runaway Scarf", "plot": "weather trouble",
    "beats": ["a brave hedgehog and his purple scarf", "the wind blows the scarf into the stream",
              "he rolls along the bank after it", "he climbs the beaver's branch and grabs it",
              "a leaf blanket, acorn soup and a new friend"],
    "scenes": [
        "At the edge of the forest, a brave hedgehog kept a purple scarf wrapped around his neck. He"
        " liked to explore the tall grass near the stream. His friends called him the little explorer.",
        "One windy evening the scarf flew off and landed in the water. It floated down the stream"
        " toward the roaring falls. The hedgehog did not wait a single moment.",
        "He rolled into a tight ball and tumbled along the muddy bank. A beaver saw him racing past and"
        " dropped a long branch across the stream. The scarf caught on the twigs.",
        "The hedgehog climbed onto the branch, step by careful step. His paws were wet and cold, but he"
        " finally reached out and grabbed the purple scarf.",
        "Back on dry land, the beaver wrapped him in a warm leaf blanket. The brave hedgehog shared his"
        " acorn soup to say thank you. They became best friends that very night.",
    ],
}
STRICT = ValidateConfig()


def no_safety(text):
    return []  # the safety filter costs ~0.3 s a story; only the tests about it run it


def story(base=MERMAID, **changes) -> CorpusStory:
    data = {**base, **changes}
    return CorpusStory.from_dict(data)


def checks(stories, cfg=STRICT) -> list[tuple[str, str, str]]:
    return [(p.story, p.check, p.where) for p in validate_stories(stories, cfg, flagged=no_safety).problems]


def write_jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# ------------------------------------------------------------------ sentences and words


def test_sentence_splitter_keeps_dialogue_tags_and_abbreviations():
    assert split_sentences('"Look!" Pip whispered. Mr. Fox came. "Wait!" Then he ran.') == [
        '"Look!" Pip whispered.', "Mr. Fox came.", '"Wait!"', "Then he ran."]
    assert split_sentences('"You ate my berries!" the bear grumbled. The fox blinked.') == [
        '"You ate my berries!" the bear grumbled.', "The fox blinked."]
    assert words("The bear's two-tone hat, 3 times!") == ["The", "bear's", "two-tone", "hat", "3", "times"]
    assert letter_runs("Don't STOP, two-tone 3!") == ["don", "t", "stop", "two", "tone"]


# ------------------------------------------------------------------ validate: one test per check


def test_the_hand_written_stories_are_clean():
    report = validate_stories([story(), story(HEDGEHOG)], STRICT)
    assert report.problems == ()
    assert report.repeated_rate == 0.0 and 0 < report.max_jaccard < 0.05
    assert [len(split_sentences(s)) for s in MERMAID["scenes"]] == [3, 3, 3, 3, 3]
    assert [len(split_sentences(s)) for s in HEDGEHOG["scenes"]] == [3, 3, 3, 2, 3]
    assert [len(words(s)) for s in HEDGEHOG["scenes"]] == [34, 29, 32, 26, 31]  # counted by hand


def test_json_and_schema_problems_name_the_line(tmp_path):
    bad_schema = {**MERMAID, "id": "underwater-002", "colour": "teal"}
    no_title = {k: v for k, v in HEDGEHOG.items() if k != "title"}
    path = write_jsonl(tmp_path / "s.jsonl", [MERMAID, "{not json", bad_schema, no_title])
    report = validate_file(path, STRICT)
    got = [(p.story, p.check, p.where) for p in report.problems]
    assert got == [("line 2", "json", "column 2"), ("underwater-002", "schema", "line 3"),
                   ("forest-001", "schema", "line 4")]
    assert "colour" in report.problems[1].message and "title" in report.problems[2].message
    assert [s.id for s in report.stories] == ["underwater-001"]


def test_plot_and_beats_are_checked():
    got = checks([story(plot="a heist", beats=MERMAID["beats"][:4])])
    assert got == [("underwater-001", "plan", "plot"), ("underwater-001", "plan", "beats")]
    long_beat = ["the mermaid " + "sings and " * 8 + "smiles"] + MERMAID["beats"][1:]
    assert checks([story(beats=long_beat)]) == [("underwater-001", "plan", "beat 1")]
    assert checks([story(beats=["sings"] + MERMAID["beats"][1:])]) == [("underwater-001", "plan", "beat 1")]


def test_non_words_and_garbled_picks_are_refused_names_aside():
    scenes = list(MERMAID["scenes"])
    scenes[1] = scenes[1].replace("big wave", "big glorbish wave")
    scenes[4] = scenes[4].replace("teal tail", "tealight tail")
    report = validate_stories([story(scenes=scenes)], STRICT, flagged=no_safety)
    got = [(p.check, p.where, p.message.split(";")[0]) for p in report.problems]
    assert got == [("non_word", "scene 2", "not English words: glorbish"),
                   ("non_word", "scene 5", "garbled pick words: tealight")]
    # the hero's given name (record and text) is not a non-word, nor a name the text introduces
    named = [s.replace("Coral", "Zorpa") for s in MERMAID["scenes"]]
    named[2] = named[2].replace("A helpful crab", "A helpful crab called Blimpo")
    assert checks([story(name="Zorpa", scenes=named)]) == []


def test_options_and_id_problems():
    bad = story(id="mermaid-1", hero="dragon", color="tealish", adjective="evil")
    assert {(c, w) for _, c, w in checks([bad])} >= {("id", "id"), ("option", "hero"), ("option", "color"),
                                                      ("option", "adjective")}
    msg = [p.message for p in validate_stories([bad], STRICT, flagged=no_safety).problems if p.where == "hero"][0]
    assert "'dragon' is not one of: mermaid, octopus" in msg
    assert ("underwater-001", "option", "theme") in checks([story(theme="volcano", id="underwater-001")])


def test_scene_count_sentences_and_words():
    scenes = list(MERMAID["scenes"])
    one_long_sentence = ("Coral the silly mermaid swam all the way around the lagoon and back again while the"
                         " clams clapped and the teal fish sang along with her happy song")
    five_sentences = "Coral swam. She sang. The clams clapped. The fish danced. Everyone smiled all day long."
    too_long = " ".join([scenes[0]] * 3)
    assert checks([story(scenes=scenes[:4])]) == [("underwater-001", "scenes", "scenes")]
    got = checks([story(scenes=[one_long_sentence, five_sentences, too_long] + scenes[3:])])
    assert got == [("underwater-001", "sentences", "scene 1"), ("underwater-001", "sentences", "scene 2"),
                   ("underwater-001", "words", "scene 2"), ("underwater-001", "sentences", "scene 3"),
                   ("underwater-001", "words", "scene 3")]


def test_hero_color_adjective_and_name_must_appear():
    no_color = [s.replace("teal ", "") for s in MERMAID["scenes"]]
    assert checks([story(scenes=no_color)]) == [("underwater-001", "missing_word", "scenes")]
    no_adj = [s.replace("silly ", "") for s in MERMAID["scenes"]]
    assert "adjective 'silly'" in validate_stories([story(scenes=no_adj)], STRICT, flagged=no_safety).problems[0].message
    assert checks([story(name="Pip")]) == [("underwater-001", "name", "scenes")]
    # Plurals count: "two teal mermaids" has the hero word.
    plural = [s.replace("silly mermaid", "silly mermaids") for s in MERMAID["scenes"]]
    assert checks([story(scenes=plural)]) == []


def test_child_safety_words_are_found_per_scene():
    scenes = list(MERMAID["scenes"])
    scenes[2] = scenes[2].replace("swam toward the dark wreck", "swam toward the wreck with a sword")
    problems = validate_stories([story(scenes=scenes, title="The Damn Pearl")], STRICT).problems  # real filter
    assert [(p.check, p.where, p.message.split(": ")[1]) for p in problems] == [
        ("safety", "title", "damn"), ("safety", "scene 3", "sword")]


def test_duplicate_ids_and_combinations():
    twin = story(HEDGEHOG, id="underwater-001")
    assert ("underwater-001", "duplicate_id", "id") in checks([story(), twin])
    same_combo = story(HEDGEHOG, id="forest-002", hero="hedgehog", color="purple", adjective="brave")
    other = story(HEDGEHOG, id="forest-003")
    found = [p for p in validate_stories([other, same_combo], STRICT, flagged=no_safety).problems
             if p.check == "duplicate_combo"]
    assert [(p.story, p.where) for p in found] == [("forest-002", "hero/adjective/color")]
    assert "(hedgehog, brave, purple) is already used by forest-003" in found[0].message


def test_near_duplicates_by_word_trigram_jaccard():
    # Every scene edited at its start: many 3-grams survive, so Jaccard stays above 0.5.
    copy = story(HEDGEHOG, id="forest-002", color="red",
                 scenes=[s.replace("purple", "red").replace("At the", "Near the") for s in HEDGEHOG["scenes"]])
    report = validate_stories([story(HEDGEHOG), copy], replace(STRICT, max_repeated_sentence_rate=1.0),
                              flagged=no_safety)
    near = [p for p in report.problems if p.check == "near_duplicate"]
    assert [(p.story, p.where) for p in near] == [("forest-002", "forest-001")]
    assert report.max_jaccard_pair == ("forest-001", "forest-002") and 0.5 <= report.max_jaccard < 1


def test_repeated_sentences_are_found_after_blanking_option_words_and_names():
    # The same sentence with another hero, color, adjective and name is still the same sentence.
    hedgehog = dict(HEDGEHOG, name="Spike")
    hedgehog["scenes"] = list(HEDGEHOG["scenes"])
    hedgehog["scenes"][4] = ("Back on dry land, the beaver wrapped him in a warm leaf blanket. The brave hedgehog"
                             " shared his acorn soup to say thank you. Spike smiled at the purple scarf.")
    mermaid = dict(MERMAID)
    mermaid["scenes"] = MERMAID["scenes"][:4] + [
        "The silly mermaid taught the octopus a new juggling trick with her teal tail. From then on"
        " they practiced together each afternoon. Coral smiled at the teal scarf."]
    stories = [story(mermaid), story(hedgehog)]
    report = validate_stories(stories, STRICT, flagged=no_safety)
    assert report.repeated_rate == pytest.approx(2 / 29)  # 2 of 15 + 14 sentences
    rows = [(p.story, p.check, p.where) for p in report.problems]
    assert rows == [("corpus", "repeated_sentences", ""),
                    ("forest-001", "repeated_sentences",
                     "underwater-001 scene 5 sentence 3; forest-001 scene 5 sentence 3")]
    assert report.problems[1].message == "repeated sentence: '_ smiled at the _ scarf'"
    assert validate_stories(stories, replace(STRICT, max_repeated_sentence_rate=0.1), flagged=no_safety).ok


def test_every_check_is_exercised_above():
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    assert all(f'"{c}"' in source for c in CHECKS)


# ------------------------------------------------------------------ stats


def test_stats_on_the_mini_corpus():
    data = corpus_stats([story(), story(HEDGEHOG)], characters=["crab", "beaver", "clam"])
    assert data["stories"] == 2 and data["scenes"] == 10 and data["sentences"] == 29
    assert data["per_theme"]["underwater"] == 1 and data["per_theme"]["space"] == 0
    assert data["words_per_story"]["max"] == sum(len(words(s)) for s in HEDGEHOG["scenes"]) == 152
    assert data["words_per_story"]["min"] == sum(len(words(s)) for s in MERMAID["scenes"]) == 150
    assert data["sentences_per_scene_counts"] == {"2": 1, "3": 9}
    assert data["secondary_characters"]["underwater"] == {"distinct": 3, "top": ["clam (1)", "crab (1)", "octopus (1)"]}
    assert data["secondary_characters"]["forest"]["distinct"] == 1
    assert "astronaut" in data["missing_picks"]["heroes"] and "mermaid" not in data["missing_picks"]["heroes"]
    assert data["vocabulary"] == len({w.lower() for s in MERMAID["scenes"] + HEDGEHOG["scenes"] for w in words(s)})


def test_secondary_characters_skip_the_hero_and_match_plurals():
    s = story(HEDGEHOG, hero="hedgehog", scenes=["Two polar bears met three mice and a hedgehog."] * 5)
    assert secondary_characters(s, {"polar bear", "bear", "mouse", "hedgehog"}) == {"polar bear", "mouse"}


# ------------------------------------------------------------------ split


def synthetic(n_per_theme=25) -> list[CorpusStory]:
    themes = {"underwater": ["mermaid", "octopus", "crab"], "forest": ["bear", "deer"], "farm": ["pig", "cow"]}
    opts = load_options()
    adjectives, colors = opts.adjectives, list(opts.colors)
    out = []
    for theme, heroes in themes.items():
        for i in range(n_per_theme):
            out.append(story(id=f"{theme}-{i + 1:03d}", theme=theme, hero=heroes[i % len(heroes)],
                             adjective=adjectives[i // len(heroes) % 12], color=colors[(i + i // 12) % 12]))
    return out


def test_split_is_deterministic_and_holds_out_combinations(tmp_path):
    stories = synthetic()
    cfg = SplitConfig(seed=3, val_rate=0.1, test_rate=0.12, heldout_pairs_per_theme=2)
    a = split_stories(stories, cfg)
    assert a == split_stories(list(reversed(stories)), cfg)  # by id, not by file order
    write_splits(a, tmp_path / "a.json")
    write_splits(split_stories(stories, cfg), tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert split_stories(stories, replace(cfg, seed=4)) != a
    assert check_splits(a, stories) == []
    by_id = {s.id: s for s in stories}
    for theme in ("underwater", "forest", "farm"):
        n_test = sum(1 for i in a.test if by_id[i].theme == theme)
        assert n_test == 3 and n_test >= 0.1 * 25  # ceil(0.12 * 25)
    train = [by_id[i] for i in a.train]
    test_combos = {(by_id[i].hero, by_id[i].adjective, by_id[i].color) for i in a.test}
    assert not test_combos & {(s.hero, s.adjective, s.color) for s in train}
    assert len(a.heldout_pairs) == 6
    for hero, adj in a.heldout_pairs:
        holders = {i for i, s in by_id.items() if (s.hero, s.adjective) == (hero, adj)}
        assert holders and holders <= set(a.test)
    assert not set(a.heldout_pairs) & {(s.hero, s.adjective) for s in train}


def test_duplicate_combinations_stay_in_one_split():
    stories = synthetic(10)
    stories.append(replace(stories[0], id="underwater-099"))  # same combo as underwater-001
    a = split_stories(stories, SplitConfig(seed=1))
    assert a.of("underwater-001") == a.of("underwater-099")
    with pytest.raises(StorygenError, match="'underwater-001' occurs twice"):
        split_stories(stories + [stories[0]], SplitConfig())


def test_check_splits_and_load_splits_refuse_a_wrong_split(tmp_path):
    stories = synthetic(10)
    ids = sorted(s.id for s in stories)
    leak = CorpusSplits(seed=0, val_rate=0.1, test_rate=0.1, heldout_pairs=(("mermaid", "silly"),),
                        train=tuple(ids[:-1]), val=(), test=(ids[0], ids[-1]))
    problems = check_splits(leak, stories)
    assert any("more than one split" in p for p in problems)
    assert any("also in train" in p for p in problems)
    assert any("held-out" in p for p in problems)
    write_splits(split_stories(stories, SplitConfig()), tmp_path / "splits.json")
    with pytest.raises(RecordError, match="run `storygen corpus split` again"):
        load_splits(stories[:-1], tmp_path / "splits.json")
    with pytest.raises(RecordError, match="run `storygen corpus split` first"):
        load_splits(stories, tmp_path / "none.json")


# ------------------------------------------------------------------ keywords (spaCy)


def test_protect_hero_replaces_mentions_with_a_plain_noun():
    text, spans = protect_hero("Two polar bears met a Polar Bear.", "polar bear")
    assert text == "Two cats met a cat." and [text[a:b] for a, b in spans] == ["cats", "cat"]


@pytest.mark.parametrize("hero,sentence,expected", [
    ("mermaid", "The silly teal mermaid hid under the old boat.", ("mermaid", "boat", "hid", "silly", "teal")),
    ("dolphin", "The dolphin swam close and stroked his back until he was calm.", ("dolphin", "back", "swam", "stroked", "calm")),
    ("polar bear", "A polar bear named Frost slid down the snowy hill on a red sled.",
     ("polar bear", "Frost", "hill", "sled", "snowy")),
    ("mermaid", "Two mermaids waved at the space station.", ("mermaid", "space station", "waved")),
    ("bear", "Under the biggest bush, on a flat rock, sat a round berry pie still warm from the sun.",
     ("bush", "rock", "berry pie", "sun", "sat")),
    ("mermaid", "One morning her red comb was missing from its spot on top of the big brain coral.",
     ("comb", "spot", "brain coral", "missing", "red")),  # "morning", "top": framing nouns rank last
    ("polar bear", "That night the polar bears slept under the northern lights.",
     ("polar bear", "lights", "slept", "northern", "night")),
    ("crab", "Splash!", ("Splash",)),
    ("seal", "Oh no!", ("oh",)),
    ("crab", "Here it is!", ("here", "is")),
])
def test_sentence_keywords_golden(hero, sentence, expected):
    assert sentence_keywords([sentence], hero)[0] == expected


def test_given_name_is_a_keyword_and_every_sentence_gets_one_to_five():
    got = sentence_keywords(["Moss said sorry, and his ears went pink.", "Bramble gave a small, crooked smile."],
                            "bear", name="Bramble")
    assert got[0][0] == "Moss" and got[1][0] == "Bramble" and "said" == got[0][-1]
    stories = [story(), story(HEDGEHOG)]
    splits = split_stories(stories, SplitConfig(test_rate=0.5, val_rate=0.0, heldout_pairs_per_theme=0))
    kst = keyword_stories(stories, splits, KeywordConfig())
    sentences = [s for k in kst for sc in k.scenes for s in sc]
    assert len(sentences) == 29 and all(1 <= len(s.keywords) <= 5 for s in sentences)
    stop = {"he", "his", "she", "her", "the", "a", "they", "him", "it", "their"}
    assert not any(k.lower() in stop for s in sentences for k in s.keywords)
    with_hero = [s for k in kst for sc in k.scenes for s in sc if k.hero in s.text.lower()]
    assert with_hero and all(s.keywords[0] in ("mermaid", "hedgehog") for s in with_hero)
    assert [k.split for k in kst] == [splits.of("underwater-001"), splits.of("forest-001")] == ["test", "test"]
    assert KeywordStory.from_dict(json.loads(json.dumps(kst[0].to_dict()))) == kst[0]


def _kstory(n_keywords=8) -> KeywordStory:
    words_ = tuple(f"w{i}" for i in range(n_keywords))
    scene = (KeywordSentence("a.", words_[:4]), KeywordSentence("b.", words_[2:]))
    return KeywordStory(id="x-001", split="train", theme="underwater", hero="mermaid", color="teal",
                        adjective="silly", title="T", scenes=(scene,) * 5)


def test_planner_downsampling_is_seeded_bounded_and_ordered():
    ks = _kstory()
    full = planner_example(ks, 1.0, seed=1, max_per_scene=100)
    assert full.scenes[0] == tuple(f"w{i}" for i in range(8))  # deduplicated, sentence order
    assert planner_example(ks, 0.5, seed=1) == planner_example(ks, 0.5, seed=1)
    assert planner_example(ks, 0.5, seed=1) != planner_example(ks, 0.5, seed=2)
    tiny = planner_example(ks, 1e-9, seed=1)
    assert all(len(s) == 1 for s in tiny.scenes)
    capped = planner_example(ks, 1.0, seed=1, max_per_scene=3)
    for scene in capped.scenes:
        assert len(scene) == 3 and list(scene) == sorted(scene, key=lambda w: int(w[1:]))
    assert PlannerExample.from_dict(json.loads(json.dumps(capped.to_dict()))) == capped


# ------------------------------------------------------------------ commands


def test_cli_validate_exit_codes(tmp_path):
    good = write_jsonl(tmp_path / "good.jsonl", [MERMAID, HEDGEHOG])
    result = run("corpus", "validate", "--corpus", good)
    assert result.exit_code == 0 and "2 stories: OK" in result.output
    bad = write_jsonl(tmp_path / "bad.jsonl", [MERMAID, {**HEDGEHOG, "color": "tealish"}])
    result = run("corpus", "validate", "--corpus", bad, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False and data["problems"][0] == {
        "story": "forest-001", "check": "option", "where": "color",
        "message": data["problems"][0]["message"]}
    unsafe = write_jsonl(tmp_path / "unsafe.jsonl", [{**MERMAID, "title": "The Damn Pearl"}])
    assert run("corpus", "validate", "--corpus", unsafe).exit_code == 1
    result = run("corpus", "validate", "--corpus", unsafe, "--no-safety")
    assert result.exit_code == 0 and "child-safety check skipped" in result.output
    result = run("corpus", "validate", "--corpus", tmp_path / "missing.jsonl")
    assert result.exit_code == 2 and "merge_corpus" in result.output and "Traceback" not in result.output
    assert "Exit status: 0 no problems; 1 problems found" in run("corpus", "validate", "--help").output


def test_cli_stats_split_keywords(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [MERMAID, HEDGEHOG])
    data = json.loads(run("corpus", "stats", "--corpus", corpus, "--json").output)
    assert data["stories"] == 2 and data["per_hero"] == {"hedgehog": 1, "mermaid": 1}
    table = run("corpus", "stats", "--corpus", corpus)
    assert table.exit_code == 0 and "words per scene" in table.output
    splits = tmp_path / "splits.json"
    out_dir = tmp_path / "kw"
    assert run("keywords", "--corpus", corpus, "--splits", splits, "-o", out_dir).exit_code == 2
    result = run("corpus", "split", "--corpus", corpus, "-o", splits)
    assert result.exit_code == 0, result.output
    first = splits.read_bytes()
    assert run("corpus", "split", "--corpus", corpus, "-o", splits).exit_code == 0 and splits.read_bytes() == first
    # Two stories, one per theme: each theme's single story goes to test (ceil of 12%).
    assert json.loads(first)["test"] == ["forest-001", "underwater-001"]
    result = run("keywords", "--corpus", corpus, "--splits", splits, "-o", out_dir)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["planner-test.jsonl", "planner-train.jsonl", "planner-val.jsonl",
                     "test.jsonl", "train.jsonl", "val.jsonl"]
    test_rows = read_jsonl(out_dir / "test.jsonl", KeywordStory)
    assert [k.id for k in test_rows] == ["underwater-001", "forest-001"]
    plans = read_jsonl(out_dir / "planner-test.jsonl", PlannerExample)
    assert plans[0].hero == "mermaid" and len(plans[0].scenes) == 5
    assert (out_dir / "train.jsonl").read_text() == ""
    again = tmp_path / "kw2"
    run("keywords", "--corpus", corpus, "--splits", splits, "-o", again)
    assert all((out_dir / n).read_bytes() == (again / n).read_bytes() for n in names)


def test_shipped_corpus_config_and_loader():
    cfg = corpus_config()
    assert cfg.validate.words == (25, 70) and cfg.validate.max_jaccard == 0.5
    assert cfg.split.test_rate >= 0.05 and cfg.split.heldout_pairs_per_theme >= 1
    assert "lost and found" in cfg.plots and len(cfg.plots) == 10
    assert "beaver" in cfg.characters


def test_loader_sees_an_edited_file(tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", [MERMAID])
    assert [s.id for s in load_stories(path)] == ["underwater-001"]
    import os
    import time

    write_jsonl(path, [MERMAID, HEDGEHOG])
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert [s.id for s in load_stories(path)] == ["underwater-001", "forest-001"]
