"""Non-words and garbled pick words: the failures readers found in the learned writer's stories."""
import pytest

from storygen.fluency import check_story, garbled_words, is_word, non_words


def test_non_words_are_found_and_real_words_pass():
    text = "The mermaid swam past an eggsack and two unicornes. Whoosh! The teal-blue walrus's hat fell."
    assert non_words(text) == ["eggsack", "unicornes"]


def test_names_the_story_introduces_are_not_non_words():
    text = "A shy alien named Zorp waved. Zorp laughed, and a robot called Bleep Bloop beeped."
    assert non_words(text) == []
    assert non_words("Zorp waved.") == ["Zorp"]
    assert non_words("Zorp waved.", names=["Zorp"]) == []


@pytest.mark.parametrize("text, picks, want", [
    ("A mermaid lived on a tealight shell.", ["mermaid", "teal"], ["tealight"]),
    ("Mermid swam home.", ["mermaid"], ["Mermid"]),
    ("The polar beer slept.", ["polar bear"], []),  # "beer" is a real word: not garbled, if odd
    ("The polr bear slept.", ["polar bear"], ["polr"]),
])
def test_garbled_pick_words(text, picks, want):
    assert garbled_words(text, picks) == want


@pytest.mark.parametrize("word", ["shyly", "sillier", "reddish", "goldfinch", "golden", "mermaids",
                                  "octopuses", "puppies", "bluebird", "pinkish"])
def test_derived_and_related_real_words_are_not_garbled(word):
    assert garbled_words(f"The {word} waved.", ["shy", "silly", "red", "gold", "mermaid", "octopus",
                                                "puppy", "blue", "pink"]) == []


def test_project_word_list_covers_words_wordfreq_lacks():
    assert not is_word("batcap") and is_word("cawed") and is_word("lanternfish")
    assert garbled_words("The beetle's shell shone.", ["bee"]) == []


def test_check_story_reason_names_each_problem():
    f = check_story(["A silly Mermid found an eggsack."], ["mermaid", "teal", "silly"])
    assert not f.ok
    assert f.reason() == "garbled pick words: Mermid; not English words: eggsack"
    assert check_story(["A silly mermaid found a teal shell."], ["mermaid", "teal", "silly"]).reason() is None
