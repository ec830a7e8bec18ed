"""The output filter and the pick guard (storygen/safety.py) on hand-made inputs, the configs it
reads, and the curated corpus as the yardstick for false alarms."""
import shutil

import pytest
import yaml

from storygen import safety
from storygen.config import CONFIG_DIR
from storygen.errors import ConfigError, OptionError

CACHES = (safety._blocklist, safety._settings, safety._index, safety._profanity)


@pytest.fixture
def configs(tmp_path, monkeypatch):
    """A copy of the shipped safety configs that a test may edit; caches reset around it."""
    for name in ("blocklist.yaml", "safety.yaml"):
        shutil.copy(CONFIG_DIR / name, tmp_path / name)
    monkeypatch.setattr(safety, "CONFIG_DIR", tmp_path)
    for cache in CACHES:
        cache.cache_clear()
    yield tmp_path
    for cache in CACHES:
        cache.cache_clear()


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


# ------------------------------------------------------------------ folding


@pytest.mark.parametrize("raw,folded", [
    ("KILL", "kill"),
    ("k\u200bi\u200dl\u2060l\u00adl", "killl"),  # zero-width, word joiner, soft hyphen
    ("\uff4b\uff49\uff4c\uff4c", "kill"),  # fullwidth
    ("\U0001d424\U0001d422\U0001d425\U0001d425", "kill"),  # mathematical bold
    ("\u043a\u0456ll", "kill"),  # Cyrillic ka, Byelorussian-Ukrainian i
    ("k\u00efll\u0301", "kill"),  # accents stripped
    ("\u202ekill\u202c", "kill"),  # bidi override
    ("it\u2019s  a\tcrab", "it's a crab"),
    ("Stra\u00dfe", "strasse"),  # casefold
])
def test_fold(raw, folded):
    assert safety.fold(raw) == folded


def test_readings_and_stems():
    assert {"kill", "klll"} <= safety._readings("k1ll")
    assert "stupid" in safety._readings("$tupid!")
    assert "kill" in safety._readings("kiiiiill")
    assert safety._readings("5") == {"5"}  # a number stays a number
    assert "kill" in safety._stems("killed") and "stab" in safety._stems("stabbed")
    assert "hate" in safety._stems("hated") and "hate" not in safety._stems("hats")
    assert "wine" not in safety._stems("wind")


# ------------------------------------------------------------------ the checks


def test_flagged_words_keeps_its_api_and_baseline_behaviour():
    assert safety.flagged_words("The happy crab found a shell.") == []
    assert safety.flagged_words("Shut up, said the DEAD fish.") == ["dead", "shut up"]
    assert safety.flagged_words("What the fuck") == ["fuck"]
    assert safety.rejection_reason(("The crab had a gun.",)) == "flagged words: gun"
    assert safety.rejection_reason(("The crab smiled.",)) is None


@pytest.mark.parametrize("text,category,term", [
    ("The fox k1lled the hen.", "violence", "kill"),
    ("Sh\u200but up!", "insult", "shut up"),
    ("S H U T U P", None, None),  # spelled-out letters become one word, not a phrase
    ("A g h o s t came.", "fear", "ghost"),
    ("They played Minecraft.", "brands", "minecraft"),
    ("Ask at www.example.com.", "url", "www.example.com"),
    ("mail me at bob@example.org", "email", "bob@example"),
    ("Call 555 123 4567", "phone", "555 123 4567"),
    ("What the f*ck", "profanity", "fuck"),
])
def test_check_names_category_and_term(text, category, term):
    flags = safety.check(text)
    if category is None:
        assert all(f.category != "insult" for f in flags), flags
        return
    assert any(f.category == category and f.term == term for f in flags), flags


def test_rejection_reason_says_what_and_why():
    reason = safety.rejection_reason(("The crab had a gun.", "Visit www.crab.com now.",
                                      "Shut your mouth."))
    assert reason.startswith("flagged words: gun; url: www.crab.com; classifier: ")
    assert "classifier: 0.99" in reason and "'shut your mouth.'" in reason
    long = safety.rejection_reason(("The crab swam. " * 2000,))
    assert long == "too long: 30000 characters (at most 20000)"


def test_allowed_profanity_words_still_meet_the_classifier():
    assert safety.flagged_words("Fat raindrops fell in the pot.") == []
    assert safety.categories("You fat pig.") == ["classifier"]


# ------------------------------------------------------------------ the pick guard


def test_check_pick_messages():
    assert safety.check_pick("hero", " Polar\u00a0Bear ") == " Polar\u00a0Bear "
    with pytest.raises(OptionError, match=r"^The hero is 100000 characters long; .*at most 40 characters"):
        safety.check_pick("hero", "a" * 100000)
    with pytest.raises(OptionError, match="U\\+0430 CYRILLIC SMALL LETTER A, which only looks like 'a'"):
        safety.check_pick("hero", "merm\u0430id")
    with pytest.raises(OptionError, match="U\\+200B ZERO WIDTH SPACE; type one of"):
        safety.check_pick("hero", "mer\u200bmaid")
    with pytest.raises(OptionError, match="U\\+0000"):
        safety.check_pick("color", "teal\x00")


def test_options_prompt_explains_long_and_look_alike_picks():
    from storygen.options import load_options

    with pytest.raises(OptionError, match="characters long"):
        load_options().prompt("underwater", "a" * 5000, "teal", "silly")
    with pytest.raises(OptionError, match="CYRILLIC"):
        load_options().prompt("underwater", "merm\u0430id", "teal", "silly")


# ------------------------------------------------------------------ configs


def test_config_errors_name_the_problem(configs):
    _edit(configs / "blocklist.yaml", lambda d: d["categories"]["fear"].append("gun"))
    with pytest.raises(ConfigError, match="blocklist.yaml: 'gun' is listed in both"):
        safety.check("x")
    shutil.copy(CONFIG_DIR / "blocklist.yaml", configs / "blocklist.yaml")
    for cache in CACHES:
        cache.cache_clear()
    _edit(configs / "blocklist.yaml", lambda d: d["allow"].append("teapot"))
    with pytest.raises(ConfigError, match="allow entries not on better-profanity's list: teapot"):
        safety.check("x")


@pytest.mark.parametrize("change,message", [
    (lambda d: d["patterns"].update(url="([a-z"), "pattern 'url' does not compile"),
    (lambda d: d["homoglyphs"].update({"x": "y"}), "must map one non-ASCII"),
    (lambda d: d["leet"].update({"9": ["gg"]}), "leet '9'"),
    (lambda d: d.update(classifier_threshold=1.5), "classifier_threshold"),
    (lambda d: d.update(classifer_threshold=0.9), "unknown key"),
])
def test_safety_yaml_is_validated(configs, change, message):
    _edit(configs / "safety.yaml", change)
    with pytest.raises(ConfigError, match=message):
        safety.check("x")


def test_blocklist_terms_are_lowercase(configs):
    _edit(configs / "blocklist.yaml", lambda d: d["categories"]["brands"].append("Lego Duplo"))
    with pytest.raises(ConfigError, match="must be lowercase"):
        safety.check("x")


# ------------------------------------------------------------------ the yardstick


def _corpus_flags(step: int):
    from storygen.corpus.stories import load_stories

    stories = load_stories()[::step]
    return len(stories), {s.id: safety.rejection_reason(s.scenes) for s in stories
                          if safety.rejection_reason(s.scenes)}


def test_curated_corpus_passes_the_filter_sample():
    count, flagged = _corpus_flags(step=10)
    assert count >= 20 and flagged == {}


@pytest.mark.slow
def test_curated_corpus_passes_the_filter_whole():
    count, flagged = _corpus_flags(step=1)
    assert count >= 200 and flagged == {}


@pytest.mark.slow
def test_200_generated_stories_have_no_flagged_words():
    """The figure the issue asks for, on the default planner and writer of configs/default.yaml
    (the story models): every one of the K=4 candidates of 50 random prompts, before the filter."""
    import random

    from storygen.config import settings
    from storygen.options import load_options
    from storygen.story import make_plan, write_candidates

    opts, rng, cfg = load_options(), random.Random(10), settings()
    flagged, classifier, stories = {}, {}, 0
    for i in range(50):
        theme = rng.choice(sorted(opts.themes))
        prompt = opts.prompt(theme, rng.choice(opts.themes[theme].heroes),
                             rng.choice(sorted(opts.colors)), rng.choice(opts.adjectives), seed=i)
        cands = write_candidates(make_plan(prompt, cfg.backends.planner), cfg.candidates,
                                 cfg.backends.writer)
        for j, c in enumerate(cands.candidates):
            stories += 1
            words = safety.flagged_words("\n".join((c.title, *c.scenes)))
            if words:
                flagged[(i, j)] = words
            elif reason := safety.rejection_reason(c.scenes):
                classifier[(i, j)] = reason
    assert cfg.backends.writer == "lm" and stories == 200 and flagged == {}
    # The classifier has no word list to ban in decoding; what it flags (measured 2 of 200, both
    # about pigs: "a cow with a scarf was a silly pig") the output filter removes before ranking.
    assert len(classifier) <= 4, classifier
