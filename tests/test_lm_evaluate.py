import json

from click.testing import CliRunner

from storygen.lm.evaluate import SECTIONS, EvalContext, distinct, measure, run_sections
from storygen.lm.sheet import build_sheet, score_answers
from storygen.lm.train import train
from storygen.records import Prompt
from tests.test_lm_fixtures import tiny_base, tiny_base_dir, tiny_corpus, tiny_recipe  # noqa: F401

PROMPT = Prompt(theme="farm", hero="pig", color="pink", adjective="shy")
GOOD = ("A shy pink pig lived in a barn.", "The pig lost her hat.", "A goose found the hat.",
        "The pig said thank you.", "They played in the mud.")


def test_measures_count_non_words_and_garbled_picks_per_story():
    broken = ("A shy pinklet pig lived in a barn.", "The pig lost her glorbish hat.") + GOOD[2:]
    m = measure([(GOOD, PROMPT, (("pig", "barn"),) * 5), (broken, PROMPT, None)], coherence=False)
    assert m["stories"] == 2 and m["stories_with_non_words"] == 1 and m["stories_with_garbled_picks"] == 1
    words = sum(len(s.split()) for s in GOOD + broken)
    assert m["non_word_rate"] == round(2 / words, 5)  # pinklet and glorbish
    assert m["plan_coverage"] == 0.4  # "pig" is in 3 of its 5 scenes, "barn" in 1 of 5
    assert m["base_perplexity"] is None or m["base_perplexity"] > 1
    assert distinct(["a b a b"], 1) == 0.5 and distinct(["a b a b"], 2) == round(2 / 3, 4)


def test_sheet_is_blind_and_the_key_tallies_answers():
    groups = [{"picks": ("farm", "pig", "pink", "shy"),
               "stories": {"lm": ("L", GOOD), "template": ("T", GOOD), "human": ("H", GOOD)}}] * 2
    text, key = build_sheet(groups, seed=3)
    assert "template" not in text and "human" not in text  # nothing says which is which
    assert set(key["stories"]) == {"1A", "1B", "1C", "2A", "2B", "2C"}
    assert sorted(m["system"] for m in key["stories"].values()) == ["human"] * 2 + ["lm"] * 2 + ["template"] * 2
    assert build_sheet(groups, seed=3) == (text, key)
    orders = {tuple(build_sheet(groups, seed=n)[1]["stories"][f"1{c}"]["system"] for c in "ABC") for n in range(8)}
    assert len(orders) > 1  # the order is seeded, not fixed
    lm1 = next(s for s, m in key["stories"].items() if m["system"] == "lm" and s.startswith("1"))
    tpl1 = next(s for s, m in key["stories"].items() if m["system"] == "template" and s.startswith("1"))
    answers = {lm1: {"arc": True, "contradiction": False, "words": True, "fit": True},
               tpl1: {"arc": False, "contradiction": True, "words": True, "fit": False},
               "prefer": {"1": [lm1, tpl1]}}
    tally = score_answers(key, answers)
    assert tally["lm"] == {"read": 1, "arc": 1, "no_contradiction": 1, "real_words": 1, "fit": 1}
    assert tally["template"]["fit"] == 0 and tally["lm_preferred_to_template"] == {"groups": 1, "lm": 1}


def test_every_lm_section_and_the_sheet_run_on_tiny_models(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    train(tiny_recipe("generator", tiny_corpus, tmp_path), max_steps=1, log=lambda _: None)
    ctx = EvalContext(limit=1, k=2, models_dir=tmp_path / "models", keywords_dir=tiny_corpus, engine="hf",
                      decode={"max_new_tokens": 12, "plan_tokens": 12, "retries": 0, "samples": 1},
                      log=lambda _: None, ranker="heuristic")
    names = [n for n, s in SECTIONS.items() if s.group == "lm"]
    report, rows = run_sections(names, ctx)
    c = report["compare"]
    assert c["prompts"] == 1 and all(c[s]["stories"] == 1 for s in ("lm", "template", "human"))
    assert c["human"]["stories_with_non_words"] == 0 and c["lm"]["seconds_median"] > 0
    p = report["perplexity"]
    assert p["finetuned"] > 1 and p["base"] > 1
    assert report["speed"]["engines"]["hf"]["tokens_per_s"] > 0
    assert any(r[0] == "compare: lm: stories with garbled pick words" for r in rows)


def test_cli_sheet_writes_sheet_and_key_apart(tiny_base, tiny_corpus, tmp_path, consented):  # noqa: F811
    from storygen.cli import main

    train(tiny_recipe("generator", tiny_corpus, tmp_path), max_steps=1, log=lambda _: None)
    sheet = tmp_path / "sheet.md"
    result = CliRunner().invoke(main, ["evaluate", "lm", "--sheet", "1", "-o", str(sheet), "--models", str(tmp_path / "models"),
                                       "--keywords", str(tiny_corpus), "--engine", "hf", "-k", "1", "--ranker",
                                       "heuristic", "--decode", "max_new_tokens=8", "--decode", "plan_tokens=8",
                                       "--decode", "retries=0", "--decode", "samples=1"])
    assert result.exit_code == 0, result.output
    key = json.loads((tmp_path / "sheet.key.json").read_text())
    assert len(key["stories"]) == 3 and "## Group 1: space · kitten · gold · brave" in sheet.read_text()
