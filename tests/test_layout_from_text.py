"""evaluate layout --blind / --generated: from text to picture (scenes/evaluation/from_text.py)."""
import json

from click.testing import CliRunner

from storygen.cli import main
from storygen.scenes.evaluation.from_text import evaluate_text_pictures

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
    # drawn in a theme with ponds (the passage names one), the pond is painted
    assert rep["to_places_shown"] == 1 and rep["to_places_pct"] == 100.0


def test_generated_scenes_and_the_command(tmp_path):
    rep = evaluate_text_pictures(None, generated=5)["generated"]
    assert rep["scenes"] == 5 and rep["named"] >= 5
    (tmp_path / "relations_dev.jsonl").write_text(RELATIONS)
    out = CliRunner().invoke(main, ["evaluate", "layout", "--blind", str(tmp_path), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["from_text"]["blind"]["relations_hold"] == 2


def test_people_named_by_a_kin_word_or_a_name_are_drawn():
    from storygen.nlp.parsed_reader import ParsedNLP
    from storygen.records import Prompt

    g = ParsedNLP().build_graphs(["Grandpa sat on the bench. Mia held a red balloon next to him."],
                                 Prompt(theme="garden", hero="bee", color="red", adjective="kind"))[0]
    drawn = {e.lemma: e.object_id for e in g.entities}
    assert drawn["Grandpa"] == "old_man" and drawn["Mia"] == "girl" and drawn["balloon"] == "balloon"
    # kin take the kind of whose kin they are: the lamb's mother is a sheep, Lily's brother a boy
    g = ParsedNLP().build_graphs(["The lamb lost its mother. Lily and her brother came to help."],
                                 Prompt(theme="farm", hero="sheep", color="red", adjective="kind"))[0]
    drawn = {e.lemma: e.object_id for e in g.entities}
    assert drawn["mother"] == "sheep" and drawn["brother"] == "boy" and drawn["Lily"] == "girl"
