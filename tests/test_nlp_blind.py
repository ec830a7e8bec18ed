"""`evaluate nlp --blind`: scoring the blind-written gold format (data/gold/blind/README.md)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from storygen.cli import main
from storygen.errors import RecordError
from storygen.nlp.evaluate_blind import evaluate_blind, load_blind_coref, load_blind_relations

# 4 pronouns: a dummy "it", "It" = the ball, a split "they", and a gold antecedent that is not
# in the text (no resolver can match it) -> exactly 3 of 4.
COREF = (
    '{"id": "t1", "text": "It was raining. The fox found a red ball. It rolled under the bed.", '
    '"pronouns": [{"pronoun": "It", "occurrence": 1, "sentence": 1, "antecedent": null}, '
    '{"pronoun": "It", "occurrence": 2, "sentence": 3, "antecedent": "ball"}]}\n'
    '{"id": "t2", "text": "The cat and the dog ran to the park. They played with a stick until it broke.", '
    '"pronouns": [{"pronoun": "They", "occurrence": 1, "sentence": 2, "antecedent": "cat and dog"}, '
    '{"pronoun": "it", "occurrence": 1, "sentence": 2, "antecedent": "zebra"}]}\n')
# 4 gold triples: under -> below (found), next_to -> near through "her" = Mia (found), held_by
# (found from "Mia held a cup"), and "dog on mat" that the text never says (a miss) -> P 1, R 0.75.
RELATIONS = (
    '{"id": "u1", "text": "The cat sat under the table.", "relations": ['
    '{"subject": "cat", "relation": "under", "object": "table"}, '
    '{"subject": "dog", "relation": "on", "object": "mat"}]}\n'
    '{"id": "u2", "text": "Mia held a cup. A bird sat next to her.", "relations": ['
    '{"subject": "cup", "relation": "held_by", "object": "Mia"}, '
    '{"subject": "bird", "relation": "next_to", "object": "Mia"}]}\n')


def _gold(tmp_path, coref=COREF, relations=RELATIONS, split="dev"):
    (tmp_path / f"coref_{split}.jsonl").write_text(coref)
    (tmp_path / f"relations_{split}.jsonl").write_text(relations)
    return tmp_path


def test_blind_gold_locates_pronouns_and_splits_antecedents(tmp_path):
    _gold(tmp_path)
    (_, t1), (_, t2) = load_blind_coref(tmp_path / "coref_dev.jsonl")
    assert [(g.offset, g.ref) for g in t1] == [(0, ()), (42, ("ball",))]
    assert t2[0].ref == ("cat", "dog")
    (_, u1), (_, u2) = load_blind_relations(tmp_path / "relations_dev.jsonl")
    assert u2 == [("cup", "held_by", "mia"), ("bird", "next_to", "mia")]


def test_blind_scores_a_known_file(tmp_path):
    result = evaluate_blind("spacy", _gold(tmp_path), "dev")
    coref, rel = result["coref"], result["relations"]
    assert (coref["n"], coref["correct"]) == (4, 3)
    assert coref["by_kind"]["no_antecedent"] == {"n": 1, "correct": 1, "accuracy": 1.0}
    assert coref["by_kind"]["split_antecedent"]["correct"] == 1
    assert [e["gold"] for e in coref["errors"]] == ["zebra"]
    assert (rel["tp"], rel["fp"], rel["fn"]) == (3, 0, 1) and rel["f1"] == pytest.approx(6 / 7)
    assert rel["supported_only"]["recall"] == pytest.approx(3 / 4)
    assert rel["by_gold_kind"]["held_by"] == {"n": 1, "found": 1, "recall": 1.0, "supported": True}
    assert rel["by_kind"]["near"]["gold_kinds"] == ["next_to", "near"]
    assert rel["by_kind"]["on"]["fn"] == 1
    out = CliRunner().invoke(main, ["evaluate", "nlp", "--blind", str(tmp_path), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["coref"]["accuracy"] == 0.75
    table = CliRunner().invoke(main, ["evaluate", "nlp", "--blind", str(tmp_path), "--errors"])
    assert "Blind pronoun resolution (spacy, dev): 75.0% of 4" in table.output
    assert "gold zebra" in table.output and "missing ['dog on mat']" in table.output


def test_blind_basic_backend_scores_relations_only(tmp_path):
    result = evaluate_blind("basic", _gold(tmp_path, split="test"), "test")
    assert result["coref"] is None and result["relations"]["fn"] >= 2


@pytest.mark.parametrize("coref, message", [
    ('{"id": "t1", "text": "She ran."\n', "not valid JSON"),
    ('{"id": "t1", "text": "She ran.", "pronouns": [{"pronoun": "She", "sentence": 1, '
     '"antecedent": "fox"}]}\n', "bad pronoun entry"),
    ('{"id": "t1", "text": "She ran.", "pronouns": [{"pronoun": "She", "occurrence": 2, '
     '"sentence": 1, "antecedent": "fox"}]}\n', "occurrence 2 not in the text"),
    ('{"id": "t1", "text": "The fox ran. She hid.", "pronouns": [{"pronoun": "She", '
     '"occurrence": 1, "sentence": 1, "antecedent": "fox"}]}\n', "is in sentence 2, not 1"),
])
def test_malformed_blind_gold_exits_2_with_a_message(tmp_path, coref, message):
    _gold(tmp_path, coref=coref)
    out = CliRunner().invoke(main, ["evaluate", "nlp", "--blind", str(tmp_path)])
    assert out.exit_code == 2
    assert message in out.output and "coref_dev.jsonl" in out.output
    assert "Traceback" not in out.output and isinstance(out.exception, SystemExit)


def test_unknown_relation_kind_and_missing_split_are_errors(tmp_path):
    bad = '{"id": "u1", "text": "A cat.", "relations": [{"subject": "cat", "relation": "atop", "object": "x"}]}\n'
    _gold(tmp_path, relations=bad)
    with pytest.raises(RecordError, match="unknown relation 'atop'"):
        load_blind_relations(tmp_path / "relations_dev.jsonl")
    out = CliRunner().invoke(main, ["evaluate", "nlp", "--blind", str(tmp_path), "--split", "test"])
    assert out.exit_code == 2 and "coref_test.jsonl does not exist" in out.output


def test_a_split_with_pronouns_only_reports_no_relations(tmp_path):
    (tmp_path / "coref_dev2.jsonl").write_text(COREF)
    result = evaluate_blind("spacy", tmp_path, "dev2")
    assert result["relations"] is None and (result["coref"]["n"], result["coref"]["correct"]) == (4, 3)
    out = CliRunner().invoke(main, ["evaluate", "nlp", "--blind", str(tmp_path), "--split", "dev2",
                                    "--errors"])
    assert out.exit_code == 0, out.output
    assert "Blind pronoun resolution (spacy, dev2): 75.0% of 4" in out.output
    assert "gold zebra" in out.output and "Blind relation triples" not in out.output
