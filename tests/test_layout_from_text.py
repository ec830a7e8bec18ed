"""evaluate-layout --blind / --generated: from text to picture (scenes/evaluate_text.py)."""
import json

from click.testing import CliRunner

from storygen.cli import main
from storygen.scenes.evaluate_text import evaluate_text_pictures

RELATIONS = (
    '{"id": "u1", "text": "The cat sat under the table.", "relations": ['
    '{"subject": "cat", "relation": "under", "object": "table"}]}\n'
    '{"id": "u2", "text": "A frog sat in the pond. A bee buzzed above the frog.", "relations": ['
    '{"subject": "frog", "relation": "in", "object": "pond"}, '
    '{"subject": "bee", "relation": "above", "object": "frog"}]}\n')


def test_named_things_are_drawn_and_gold_relations_hold(tmp_path):
    (tmp_path / "relations_dev.jsonl").write_text(RELATIONS)
    rep = evaluate_text_pictures(tmp_path, "dev")["blind"]
    assert rep["passages"] == 2 and rep["named"] >= 4 and rep["named_pct"] == 100.0
    # cat below table and bee above frog are boxes' to keep; the pond is the frog's place
    assert (rep["relations"], rep["to_places"]) == (2, 1)
    assert rep["relations_hold"] == 2, rep["failures"]


def test_generated_scenes_and_the_command(tmp_path):
    rep = evaluate_text_pictures(None, generated=5)["generated"]
    assert rep["scenes"] == 5 and rep["named"] >= 5
    (tmp_path / "relations_dev.jsonl").write_text(RELATIONS)
    out = CliRunner().invoke(main, ["evaluate-layout", "--blind", str(tmp_path), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["from_text"]["blind"]["relations_hold"] == 2
