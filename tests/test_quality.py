"""Story-quality report: reading level, coverage, repetition, safety flags, file loading, CLI."""
import json

import pytest
from click.testing import CliRunner

from storygen.errors import RecordError
from storygen.io import write_record
from storygen.quality import StoryItem, fk_grade, load_items, story_quality, syllables
from storygen.ranker import keyword_coverage
from storygen.cli.evaluate import evaluate_stories

from .samples import CANDIDATES, PLAN, SCENES, STORY


@pytest.mark.parametrize("word,count", [("cat", 1), ("happy", 2), ("banana", 3), ("made", 1),
                                        ("little", 2), ("tree", 1), ("the", 1), ("crocodile", 3)])
def test_syllables(word, count):
    assert syllables(word) == count


def test_fk_grade_golden():
    # 2 sentences, 7 words, 9 syllables ("very" and "happy" have two each)
    expected = 0.39 * 7 / 2 + 11.8 * 9 / 7 - 15.59
    assert fk_grade(("The cat sat.", "It was very happy.")) == pytest.approx(expected)
    assert fk_grade(("The cat sat. It was happy.",)) == pytest.approx(0.39 * 3 + 11.8 * 7 / 6 - 15.59)
    assert fk_grade(("",)) == 0.0
    assert fk_grade(("A crocodile investigated extraordinary possibilities.",)) > 12


def test_report_without_coherence():
    items = [StoryItem("a", SCENES, "mermaid", "underwater", PLAN.scenes),
             StoryItem("b", SCENES[:4] + (SCENES[3] + " Damn it.",), "mermaid", "underwater")]
    report = story_quality(items, coherence=False)
    a, b = report["stories"]
    assert report["n"] == 2 and "coherence" not in a
    assert a["coverage"] == round(keyword_coverage(SCENES, PLAN.scenes), 4) > 0.5
    assert b["coverage"] is None
    assert a["flagged"] == [] and b["flagged"] == ["damn"]
    assert b["repetition"] > a["repetition"] == 0.0
    s = report["summary"]
    assert s["flagged_stories"] == 1 and s["coverage"]["mean"] == a["coverage"] and "coherence" not in s
    assert s["repetition"]["max"] == b["repetition"]


def test_report_with_a_scorer_and_without_a_model(tmp_path):
    class Fixed:
        def score(self, stories):
            return [type("R", (), {"coherence": float(i)})() for i, _ in enumerate(stories)]

    items = [StoryItem("a", SCENES), StoryItem("b", SCENES)]
    report = story_quality(items, scorer=Fixed())
    assert [r["coherence"] for r in report["stories"]] == [0.0, 1.0]
    assert report["summary"]["coherence"]["mean"] == 0.5


def test_load_items_from_every_kind_of_file(tmp_path):
    write_record(tmp_path / "book" / "story.json", STORY)
    write_record(tmp_path / "candidates.json", CANDIDATES)
    (tmp_path / "c.jsonl").write_text(json.dumps({
        "id": "x-1", "theme": "farm", "hero": "pig", "color": "pink", "adjective": "silly",
        "title": "T", "scenes": list(SCENES)}) + "\n")
    book = load_items(tmp_path / "book")
    assert book[0].scenes == SCENES and book[0].plan == PLAN.scenes and book[0].hero == "mermaid"
    assert [i.name.endswith("#0") for i in load_items(tmp_path / "candidates.json")] == [True]
    corpus = load_items(tmp_path / "c.jsonl")
    assert corpus[0].name == "x-1" and corpus[0].plan is None
    write_record(tmp_path / "plan.json", PLAN)
    with pytest.raises(RecordError, match="expected a story or candidates file, got kind='plan'"):
        load_items(tmp_path / "plan.json")
    with pytest.raises(RecordError, match="does not exist"):
        load_items(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(RecordError, match="not valid JSON"):
        load_items(tmp_path / "bad.json")


def test_cli_prints_and_writes_the_report(tmp_path):
    write_record(tmp_path / "story.json", STORY)
    res = CliRunner().invoke(evaluate_stories, [str(tmp_path / "story.json"), "--no-coherence",
                                                "-o", str(tmp_path / "q.json")])
    assert res.exit_code == 0, res.output
    assert "Story quality (1 stories)" in res.output and "fk_grade" in res.output
    report = json.loads((tmp_path / "q.json").read_text())
    assert report["stories"][0]["coverage"] == round(keyword_coverage(SCENES, PLAN.scenes), 4)
    res = CliRunner().invoke(evaluate_stories, [str(tmp_path / "story.json"), "--no-coherence", "--json"])
    assert json.loads(res.output)["n"] == 1
