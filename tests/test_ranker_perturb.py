"""Perturbations that make the ranker's negatives: each kind on a hand-made story."""
from collections import Counter

import pytest

from storygen.coherence.perturb import (
    ANTONYMS, KINDS, StoryText, _antonym_edits, find_name, hero_terms, perturb,
)
from storygen.text import split_sentences

STORY = StoryText(scenes=(
    "On a bright reef lived a silly mermaid named Marina. She was happy every day.",
    "One morning her red comb was missing. The mermaid looked under a big rock.",
    "Marina asked a crab for help. The crab could not see the comb.",
    "Then a small fish found the comb in the sand. It was shiny and new.",
    "The mermaid smiled and thanked the fish. Now they play together every day.",
), hero="mermaid", theme="underwater", id="t-1")
OTHER = StoryText(scenes=(
    "A sleepy owl lived in an old barn.", "The owl could not sleep at night.",
    "A cat sang loud songs under the moon.", "The owl asked the cat to sing softly.",
    "At last the owl slept until the sun came up."), hero="owl", theme="farm", id="t-2")

SAME = StoryText(scenes=(
    "In a dark cave lived a shy octopus called Inky. He liked to hide in his shell.",
    "One day a storm shook the cave. Inky lost his favourite pebble.",
    "The octopus searched every crack of the cave. He found only sand.",
    "A turtle swam by with the pebble on her back. She had picked it up for him.",
    "Inky hugged the turtle with all eight arms. Now they swim to the cave together."),
    hero="octopus", theme="underwater", id="t-3")


def sentences(scenes):
    return [s for sc in scenes for s in split_sentences(sc)]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_seeded_and_changes_the_story(kind):
    a = perturb(STORY, kind, 1, pool=[STORY, OTHER, SAME], characters=["octopus", "mermaid"])
    b = perturb(STORY, kind, 1, pool=[STORY, OTHER, SAME], characters=["octopus", "mermaid"])
    assert a == b and a.kind == kind
    assert a.scenes != STORY.scenes
    assert len(a.scenes) == len(STORY.scenes)
    results = {perturb(STORY, kind, s, pool=[STORY, OTHER, SAME], characters=["octopus", "crab"]).scenes
               for s in range(12)}
    assert len(results) > 1, "the seed must matter"


def test_splice_takes_a_later_part_of_another_story_of_the_theme_with_our_hero():
    for seed in range(10):
        p = perturb(STORY, "splice", seed, pool=[STORY, OTHER, SAME])
        k = int(p.detail.rsplit("_", 1)[1]) - 1
        assert 2 <= k <= 4 and p.scenes[:k] == STORY.scenes[:k]
        assert all("Inky" not in sc and "octopus" not in sc for sc in p.scenes)  # renamed to Marina / mermaid
        assert "Marina" in " ".join(p.scenes[k:]) or "mermaid" in " ".join(p.scenes[k:])
        assert [sp[0] for sp in p.spans] == list(range(k, 5))
    assert perturb(STORY, "splice", 0, pool=[STORY, OTHER]) is None  # no other story of the theme


def test_shuffle_keeps_the_scenes():
    p = perturb(STORY, "shuffle", 3)
    assert sorted(p.scenes) == sorted(STORY.scenes) and p.scenes != STORY.scenes


def test_repeat_copies_one_sentence_and_marks_it():
    p = perturb(STORY, "repeat", 5)
    before, after = Counter(sentences(STORY.scenes)), Counter(sentences(p.scenes))
    assert sum(after.values()) == sum(before.values()) + 1
    (dup, n), = [(s, c) for s, c in after.items() if c == 2]
    (i, a, b), = p.spans
    assert p.scenes[i][a:b] == dup


def test_swap_in_takes_a_sentence_from_another_story_only():
    p = perturb(STORY, "swap_in", 2, pool=[STORY, OTHER])
    new = set(sentences(p.scenes)) - set(sentences(STORY.scenes))
    assert len(new) == 1 and new <= set(sentences(OTHER.scenes))
    assert len(sentences(p.scenes)) == len(sentences(STORY.scenes))
    assert perturb(STORY, "swap_in", 2, pool=[STORY]) is None


def test_hero_swap_renames_noun_and_name_from_a_later_scene_on():
    p = perturb(STORY, "hero_swap", 0, characters=["mermaid", "octopus"])
    k = int(p.detail.rsplit("_", 1)[1]) - 1
    assert k >= 1 and p.scenes[:k] == STORY.scenes[:k]
    for scene in p.scenes[k:]:
        assert "mermaid" not in scene and "Marina" not in scene
    if k <= 2:
        assert p.scenes[2].startswith("The octopus asked a crab")
    assert "The octopus smiled and thanked the fish." in p.scenes[4]
    assert all(p.scenes[i][a:b].lower().endswith("octopus") for i, a, b in p.spans)


def test_hero_swap_fixes_the_article():
    s = StoryText(("A crab lived here.", "Then a crab met a fish.", "x.", "y.", "z."), "crab", id="a")
    p = perturb(s, "hero_swap", 0, characters=["octopus"])
    assert "an octopus met a fish" in " ".join(p.scenes)
    assert perturb(s, "hero_swap", 0, characters=["crab"]) is None  # nobody to swap in


def test_antonym_changes_one_word_or_one_negation():
    p = perturb(STORY, "antonym", 4)
    old, new = " ".join(STORY.scenes).split(), " ".join(p.scenes).split()
    if p.detail == "antonym":
        diff = [(a, b) for a, b in zip(old, new) if a != b]
        assert len(old) == len(new) and len(diff) == 1
        assert ANTONYMS[diff[0][0].lower().strip(".,")] == diff[0][1].lower().strip(".,")
    else:
        assert abs(len(old) - len(new)) == 1


def test_antonym_edit_candidates_golden():
    edits = _antonym_edits("The crab could not see the big comb.")
    assert edits["antonym"] == [(27, 30, "small")]
    assert edits["unnegate"] == [(9, 18, "could")]
    assert edits["negate"] == []  # "could not" is already negated
    assert _antonym_edits("She was sad.")["negate"] == [(4, 7, "was not")]
    assert _antonym_edits("It wasn't far.")["unnegate"] == [(3, 9, "was")]


def test_negation_only_where_both_directions_exist():
    # STORY has "could not" (unnegate) and "was" (negate): both directions appear across seeds.
    details = Counter(perturb(STORY, "antonym", s).detail for s in range(60))
    assert details["negate"] and details["unnegate"] and details["antonym"]
    no_not = StoryText(("It was big.", "It was red.", "x.", "y.", "z."), "crab", id="n")
    assert {perturb(no_not, "antonym", s).detail for s in range(20)} == {"antonym"}


def test_drop_dup_loses_one_scene_and_repeats_another():
    p = perturb(STORY, "drop_dup", 7)
    counts = Counter(p.scenes)
    assert len(counts) == 4 and max(counts.values()) == 2
    assert len(set(STORY.scenes) - set(p.scenes)) == 1


def test_unknown_kind_and_names():
    with pytest.raises(ValueError, match="unknown perturbation 'jumble'"):
        perturb(STORY, "jumble", 0)
    assert find_name(STORY.scenes, "mermaid") == "Marina"
    assert find_name(("Nib was a tiny squirrel.",), "squirrel") == "Nib"
    assert find_name(("The owl slept.",), "owl") is None
    assert hero_terms(STORY.scenes, "mermaid") == ["mermaid", "Marina"]
