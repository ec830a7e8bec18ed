"""The text stages on their baselines: template planner and writer, heuristic ranker, safety."""
from dataclasses import replace

import pytest

from storygen import safety
from storygen.backends import PLANNERS, WRITERS
from storygen.errors import BackendError, OptionError
from storygen.ranker import keyword_coverage, rank, repeated_ngram_rate
from storygen.records import Candidate, Candidates
from storygen.story import choose_story, make_plan, write_candidates

from .samples import PLAN, PROMPT, SCENES


def test_template_plan_shape_and_determinism():
    plan = make_plan(PROMPT)
    assert len(plan.scenes) == 5 and all(1 <= len(s) <= 5 for s in plan.scenes)
    assert plan.scenes[0][0] == "mermaid"  # the hero opens the story
    assert plan.scenes[0][1] in ("reef", "shipwreck", "kelp forest", "cave", "tide pool", "deep trench", "lagoon")
    assert make_plan(PROMPT) == plan
    assert any(make_plan(replace(PROMPT, seed=s)) != plan for s in range(1, 6))


def test_plan_refuses_a_hand_edited_prompt():
    with pytest.raises(OptionError, match="Unknown hero"):
        make_plan(replace(PROMPT, hero="shark with teeth"))


def test_unknown_backend_lists_the_registered_ones():
    with pytest.raises(BackendError, match=r"Unknown planner backend .gpt.; choose one of: (.*, )?template"):
        PLANNERS.create("gpt")


def test_template_writer_uses_every_plan_keyword_in_its_scene():
    plan = make_plan(PROMPT)
    cands = write_candidates(plan, k=4)
    assert len(cands.candidates) == 4
    assert len({c.seed for c in cands.candidates}) == 4
    for cand in cands.candidates:
        assert len(cand.scenes) == 5
        assert keyword_coverage(cand.scenes, plan.scenes) == 1.0
        assert "teal" in cand.scenes[0] and "silly" in cand.scenes[0]
        assert " a i" not in " ".join(cand.scenes)  # article agreement: "an idea"
    assert write_candidates(plan, k=4) == cands


def test_coverage_and_repetition_measures():
    plan_scenes = (("crab", "kelp forest"),)
    assert keyword_coverage(("The crab swam into the kelp forest.",), plan_scenes) == 1.0
    assert keyword_coverage(("The crabby fish hid in the forest.",), plan_scenes) == 0.0
    assert repeated_ngram_rate(("a b c d a b c d",)) == pytest.approx(1 - 4 / 5)
    assert repeated_ngram_rate(("one two three four five",)) == 0.0


def test_ranker_prefers_coverage_and_rejects_unsafe():
    good = Candidate(scenes=SCENES, seed=1, backend="t")
    dull = Candidate(scenes=tuple("The fish swam and swam and swam and swam." for _ in range(5)), seed=2, backend="t")
    bad = Candidate(scenes=SCENES[:4] + ("The crab had a gun.",), seed=3, backend="t")
    story = rank(Candidates(plan=PLAN, candidates=(dull, bad, good)))
    assert story.chosen == 2 and story.scenes == SCENES
    assert story.scores[1].rejected == "flagged words: gun"
    assert story.scores[0].score < story.scores[2].score


def test_ranker_rejects_non_words_and_garbled_pick_words():
    hero, color = PLAN.prompt.hero, PLAN.prompt.color
    garbled = Candidate(scenes=(SCENES[0].replace(color, color + "ight", 1),) + SCENES[1:], seed=1, backend="t")
    junk = Candidate(scenes=SCENES[:4] + (SCENES[4] + " The glorbish sea was calm.",), seed=2, backend="t")
    good = Candidate(scenes=SCENES, seed=3, backend="t")
    story = rank(Candidates(plan=PLAN, candidates=(garbled, junk, good)))
    assert story.chosen == 2
    assert story.scores[0].rejected.startswith("garbled pick words: " + color + "ight")
    assert story.scores[1].rejected == "not English words: glorbish"
    assert hero in SCENES[0]


def test_safety_filter_word_lists():
    assert safety.flagged_words("The happy crab found a shell.") == []
    assert safety.flagged_words("Shut up, said the DEAD fish.") == ["dead", "shut up"]
    assert safety.flagged_words("What the fuck") != []  # better-profanity's list is in force


def test_all_rejected_falls_back_to_a_curated_corpus_story(monkeypatch):
    from storygen import story as story_mod
    from storygen.corpus.stories import CorpusStory

    curated = CorpusStory(id="underwater-999", theme="underwater", hero="mermaid", color="teal",
                          adjective="silly", title="Curated", scenes=SCENES)
    monkeypatch.setattr(story_mod, "load_stories", lambda: [curated])
    story_mod._safe_stories.cache_clear()
    monkeypatch.setattr(WRITERS.create("template").__class__, "write",
                        lambda self, plan, k, seed: Candidates(plan=plan, candidates=tuple(
                            Candidate(scenes=("They hate it.",) * 5, seed=seed, backend="t") for _ in range(k))))
    cands = write_candidates(PLAN, k=2)
    story, final = choose_story(cands, regenerations=1)
    assert story.source == "fallback:underwater-999" and story.chosen == -1
    assert story.scenes == SCENES
    assert final.candidates[0].seed != cands.candidates[0].seed  # it did try again first
    assert len(story.scores) == 4  # both attempts' rejections are on record, with their seeds
    assert story.scores[0].rejected.startswith("attempt 0, seed ") and "hate" in story.scores[0].rejected
    assert story.scores[2].rejected.startswith("attempt 1, seed ")
    story_mod._safe_stories.cache_clear()
