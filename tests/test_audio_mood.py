"""Mood: the `lexicon` backend, the gold set and its evaluation (Spearman >= 0.6 for both)."""
import json

import pytest
from click.testing import CliRunner

from storygen.audio import evaluate, mood
from storygen.cli.evaluate import evaluate_mood as evaluate_mood_cmd
from storygen.errors import ConfigError, RecordError
from storygen.records import Mood

HAPPY = "The bunny was so happy! She laughed and played with all her best friends at the party."
SAD = "The little bear felt sad and lonely. He cried under the old tree because he lost his toy."
CALM = "The turtle floated slowly and quietly in the warm water, and soon fell asleep under the moon."
EXCITING = "Suddenly the dragon zoomed past! The fox jumped, ran and raced across the bridge!"


def lex(text: str) -> Mood:
    return mood.estimate_mood(text, "lexicon")


def test_lexicon_directions_and_range():
    happy, sad, calm, exciting = lex(HAPPY), lex(SAD), lex(CALM), lex(EXCITING)
    assert happy.valence > 0.5 and sad.valence < -0.5
    assert calm.arousal < -0.5 and exciting.arousal > 0.5
    assert mood.quadrant(happy) == "happy/exciting" and mood.quadrant(sad) == "sad/calm"
    for m in (happy, sad, calm, exciting):
        assert -1 <= m.valence <= 1 and -1 <= m.arousal <= 1
    assert lex("") == Mood(0.0, 0.0) and lex("...") == Mood(0.0, 0.0)


def test_story_words_weigh_more_than_in_vader():
    # VADER alone finds these only mildly sad / happy; the story lexicon knows alone, snuggle, giggle
    assert mood.valence("The tiny bird was alone in the nest.") == pytest.approx(-0.25)
    assert lex("The tiny bird was alone in the nest.").valence < -0.6
    assert mood.valence("The bunny snuggled up and giggled.") == pytest.approx(0.3612)
    assert lex("The bunny snuggled up and giggled.").valence > 0.8


def test_negation_intensifier_and_ending():
    assert lex("The fox was not sad.").valence > lex("The fox was sad.").valence
    # a scene that ends well feels better than one that ends badly (same sentences)
    assert lex("The fox was sad. Then he was happy.").valence > lex("The fox was happy. Then he was sad.").valence
    # arousal is a density per word: a long, otherwise plain scene shows the features
    plain = ("The little bunny sat with her grandmother in the garden on a sunny afternoon, and the"
             " bees worked among the flowers")
    assert lex(plain + " and the drum was very loud.").arousal > lex(plain + " and the drum was loud.").arousal
    assert lex(plain + "!").arousal > lex(plain + ".").arousal


def test_lexicon_file_errors(tmp_path):
    bad = tmp_path / "lex.yaml"
    bad.write_text("valence: {happy: 3}\narousal: {}\nnegators: []\nintensifiers: []\n")
    with pytest.raises(ConfigError, match=r"valence.happy must be a number in \[-2, 2\]"):
        mood.load_lexicon(str(bad))
    bad.write_text("valence: {}\narousal: {}\n")
    with pytest.raises(ConfigError, match="needs exactly the keys"):
        mood.load_lexicon(str(bad))
    with pytest.raises(ConfigError, match="Cannot read the mood lexicon"):
        mood.load_lexicon(str(tmp_path / "missing.yaml"))


def test_spearman_with_ties():
    assert evaluate.spearman([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    assert evaluate.spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert evaluate.spearman([1, 2, 2, 3, 5], [2, 1, 3, 3, 4]) == pytest.approx(0.7631578947)  # scipy
    assert evaluate.spearman([1, 1, 1], [1, 2, 3]) == 0.0
    assert list(evaluate.ranks([5, 1, 5, 2])) == [3.5, 1.0, 3.5, 2.0]
    with pytest.raises(ValueError):
        evaluate.spearman([1], [1])


def test_gold_set_is_well_formed():
    rows = evaluate.load_gold()
    assert len(rows) >= 100 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["valence"] == r["valence_5"] / 2 and r["arousal"] == r["arousal_5"] / 2
    corpus = [r for r in rows if r["id"].startswith("corpus-")]
    assert len(corpus) >= 40 and all(r["source"].startswith("data/corpus/stories.jsonl:") for r in corpus)
    # every quadrant is represented, and both extremes of each axis
    quads = {(r["valence"] > 0, r["arousal"] > 0) for r in rows if r["valence"] and r["arousal"]}
    assert len(quads) == 4
    assert {-1.0, 1.0} <= {r["valence"] for r in rows} and {-1.0, 1.0} <= {r["arousal"] for r in rows}


def test_lexicon_meets_the_gold_target():
    report = evaluate.evaluate_mood()
    assert report["n"] == 115 and report["passed"]
    # the figures reported for issue 9 (first evaluation, nothing fitted to gold items)
    assert (report["valence_spearman"], report["arousal_spearman"]) == (0.7154, 0.9076)
    assert report["by_source"]["corpus"]["n"] == 45 and report["by_source"]["hand"]["n"] == 70
    base = evaluate.evaluate_mood(backend="basic")
    assert base["valence_spearman"] < 0.6 < report["valence_spearman"]  # the baseline misses it
    assert len(report["worst_valence"]) == 5 and report["quadrant_accuracy"]["valence_sign"] > 0.8


@pytest.mark.parametrize("line, message", [
    ("not json", "line 1|:1: not valid JSON"),
    (json.dumps({"id": "x", "valence": 0, "arousal": 0}), "needs a non-empty `text`"),
    (json.dumps({"id": "x", "text": "Hi.", "valence": 0.3, "arousal": 0}), "`valence` must be one of"),
])
def test_gold_errors(tmp_path, line, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(RecordError, match=message):
        evaluate.load_gold(path)
    with pytest.raises(RecordError, match="does not exist"):
        evaluate.load_gold(tmp_path / "nope.jsonl")


def test_evaluate_mood_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(evaluate_mood_cmd, ["--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["passed"] is True
    assert "PASSED" in runner.invoke(evaluate_mood_cmd, []).output
    # a gold set the estimator gets backwards fails with exit code 1
    rows = [{"id": f"x{i}", "text": t, "valence": v, "arousal": a} for i, (t, v, a) in
            enumerate([(HAPPY, -1.0, -1.0), (SAD, 1.0, 1.0), (CALM, 0.0, 1.0), (EXCITING, 0.5, -1.0)])]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert runner.invoke(evaluate_mood_cmd, ["--gold", str(gold)]).exit_code == 1
