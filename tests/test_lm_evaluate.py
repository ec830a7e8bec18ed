import pytest

from storygen.lm.evaluate import (SECTIONS, EvalContext, distinct, hero_scenes, run_sections,
                                  story_stats, unseen_prompts)
from storygen.lm.train import train
from tests.test_lm_fixtures import tiny_base, tiny_base_dir, tiny_corpus, tiny_recipe  # noqa: F401


def test_story_metrics_on_hand_made_stories():
    scenes = ("A shy pig named Rosie lived in a barn.", "Rosie found a hat.", "The hat was red.",
              "The pig laughed.", "Rosie went home.")
    assert hero_scenes(scenes, "pig") == (True, 4)
    # no "named X" in scene 1: the name is unknown, only the noun counts
    assert hero_scenes(("Rosie slept.",) + scenes[1:], "pig") == (False, 1)
    assert distinct(["a b a b"], 1) == 0.5 and distinct(["a b a b"], 2) == 2 / 3
    plan = (("pig", "barn"), ("hat", "cow"), ("red",), ("laughed",), ("home",))
    st = story_stats([scenes], [plan], ["pig"])
    assert st["keyword_coverage"] == round(6 / 7, 4) and st["five_scenes_rate"] == 1.0
    assert st["hero_4of5_rate"] == 1.0 and st["repeated_4gram_rate"] == 0.0


def test_unseen_prompts_are_new_combinations_one_theme_each():
    from storygen.corpus.stories import load_stories

    used = {(s.hero, s.adjective, s.color) for s in load_stories()}
    got = unseen_prompts(EvalContext(seed=0))
    assert len(got) == 5 and len({p.theme for p in got}) == 5
    assert all((p.hero, p.adjective, p.color) not in used for p in got)
    assert got == unseen_prompts(EvalContext(seed=0)) != unseen_prompts(EvalContext(seed=1))


def test_every_lm_section_runs_on_tiny_models(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    for task in ("planner", "generator"):
        train(tiny_recipe(task, tiny_corpus, tmp_path), max_steps=1, log=lambda _: None)
    ctx = EvalContext(limit=1, k=2, models_dir=tmp_path / "models", keywords_dir=tiny_corpus, engine="hf",
                      decode={"max_new_tokens": 12, "title_tokens": 4, "retries": 0, "samples": 1},
                      log=lambda _: None, ranker="heuristic")
    names = [n for n, s in SECTIONS.items() if s.group == "lm"]
    report, rows = run_sections(names, ctx)
    assert set(names) <= set(report)
    w = report["writer"]
    assert w["prompts"] == 1 and w["stories"] == 2 and w["five_scenes_rate"] == 1.0
    assert w["tokens_per_s"] > 0 and w["peak_rss_mb"] > 0 and w["corpus"]["stories"] == 1
    assert len(report["samples"]["stories"]) == 5
    p = report["perplexity"]
    assert p["finetuned"] > 1 and p["base"] > 1 and p["base_plain"] > 1 and p["tokens"] > 0
    assert report["speed"]["engines"]["hf"]["tokens_per_s"] > 0
    assert report["speed"]["engines"]["hf-int8"]["tokens_per_s"] > 0
    assert report["ranking"]["stories"] == 2 and report["ranking"]["ranker"] == "heuristic"
    assert any(r[0] == "writer: keyword coverage" for r in rows)
    assert all(len(r) == 4 for r in rows)


def test_sections_register_by_group():
    assert {"planner", "writer", "samples", "speed", "perplexity"} <= set(SECTIONS)
    with pytest.raises(KeyError):
        run_sections(["nope"], EvalContext())


def test_gold_plans_come_from_the_split_and_fit_the_contract(tiny_corpus):  # noqa: F811
    from storygen.lm.evaluate import gold_plans

    plans = gold_plans(EvalContext(keywords_dir=tiny_corpus))
    assert len(plans) == 1 and plans[0].backend == "gold"
    p = plans[0]
    assert (p.prompt.theme, p.prompt.hero) == ("space", "kitten")
    assert p.scenes[0][0] == "kitten" and all(2 <= len(s) <= 5 for s in p.scenes)


def test_ranking_counts_flagged_stories_and_compares_the_pick_with_chance():
    from storygen.lm.evaluate import eval_ranking
    from storygen.records import Candidate, Candidates, Plan, Prompt

    prompt = Prompt(theme="farm", hero="pig", color="pink", adjective="shy")
    plan = Plan(prompt=prompt, scenes=(("pig", "barn"), ("hat", "cow"), ("mud",), ("hay",), ("home",)), backend="gold", seed=0)
    good = ("A shy pig lived in a barn.", "The pig found a hat near a cow.", "The pig rolled in the mud.",
            "The pig ate some hay.", "The pig went home.")
    weak = ("A shy pig lived here.", "The pig found a cap.", "The pig sat.", "The pig sat.", "The pig sat.")
    bad = good[:4] + ("The pig said a damn word and went home.",)
    cands = Candidates(plan=plan, candidates=tuple(Candidate(scenes=s, seed=i, backend="test")
                                                   for i, s in enumerate((weak, good, bad))))
    ctx = EvalContext(ranker="heuristic", log=lambda _: None)
    ctx.cache["candidates"] = [cands]
    r = eval_ranking(ctx)
    assert r["stories"] == 3 and r["flagged_stories"] == 1 and r["flagged_words"] == ["damn"]
    # the flagged one is never picked; the pick (good) beats the mean of the two safe ones
    assert r["pick"]["coverage"] == 1.0 > r["random"]["coverage"]
    assert r["pick"]["repetition"] < r["random"]["repetition"]
