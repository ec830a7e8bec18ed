import json

from click.testing import CliRunner

from storygen.cli import main
from tests.test_lm_fixtures import tiny_base, tiny_base_dir, tiny_corpus, tiny_recipe  # noqa: F401


def _recipe_file(tmp_path, task, corpus):
    import yaml

    recipe = tiny_recipe(task, corpus, tmp_path)
    path = tmp_path / f"{task}.yaml"
    path.write_text(yaml.safe_dump(recipe.to_dict()))
    return path


def test_train_and_evaluate_commands(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    runner = CliRunner()
    models = tmp_path / "models"
    for task in ("planner", "generator"):
        res = runner.invoke(main, ["train", task, "--config", str(_recipe_file(tmp_path, task, tiny_corpus)),
                                   "--max-steps", "1", "--out", str(models / task)])
        assert res.exit_code == 0, res.output
        assert f"trained {task}: 1 steps" in res.output
        assert (models / task / "MODEL_CARD.md").exists()
    report = tmp_path / "report.json"
    res = runner.invoke(main, ["evaluate", "--section", "planner", "--limit", "1", "--models", str(models),
                               "--keywords", str(tiny_corpus), "--engine", "hf", "--out", str(report), "--cards"])
    assert res.exit_code == 0, res.output
    data = json.loads(report.read_text())
    assert data["planner"]["prompts"] == 1 and "valid_rate" in data["planner"]
    assert "planner: valid plans" in res.output
    card = (models / "planner" / "MODEL_CARD.md").read_text()
    assert "## Evaluation" in card and "planner: valid_rate" in card
    res = runner.invoke(main, ["evaluate", "--section", "writer", "--limit", "1", "-k", "2", "--models", str(models),
                               "--keywords", str(tiny_corpus), "--engine", "hf", "--out", str(report),
                               "--decode", "max_new_tokens=8", "--decode", "retries=0", "--decode", "guided=off",
                               "--cards"])
    assert res.exit_code == 0, res.output
    data = json.loads(report.read_text())
    assert data["decode_overrides"] == {"max_new_tokens": 8, "retries": 0, "guided": "off"}
    written = sorted((tmp_path / "report-candidates").glob("*.json"))
    assert len(written) == 1 and len(json.loads(written[0].read_text())["candidates"]) == 2
    assert {c["settings"]["guided"] for c in json.loads(written[0].read_text())["candidates"]} == {"off"}
    # the stored candidates ranked again, without writing; the card keeps the writer's figures
    res = runner.invoke(main, ["evaluate", "--section", "ranking", "--ranker", "heuristic", "-k", "2",
                               "--from-candidates", str(tmp_path / "report-candidates"), "--models", str(models),
                               "--out", str(tmp_path / "rerank.json"), "--cards"])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "rerank.json").read_text())["ranking"]["stories"] == 2
    assert {"writer", "ranking"} <= set(json.loads((models / "generator" / "evaluation.json").read_text()))
    (tmp_path / "empty").mkdir()
    res = runner.invoke(main, ["evaluate", "--section", "ranking", "--from-candidates", str(tmp_path / "empty"),
                               "--out", str(tmp_path / "none.json")])
    assert res.exit_code == 2 and "no candidates" in res.output


def test_cli_errors(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    runner = CliRunner()
    res = runner.invoke(main, ["train", "generator", "--config", str(_recipe_file(tmp_path, "planner", tiny_corpus))])
    assert res.exit_code == 2 and "is a planner recipe" in res.output
    res = runner.invoke(main, ["evaluate", "--section", "nope"])
    assert res.exit_code == 2 and "unknown section 'nope'" in res.output
    res = runner.invoke(main, ["evaluate", "--decode", "nope=1"])
    assert res.exit_code == 2 and "KEY one of engine" in res.output
    res = runner.invoke(main, ["evaluate", "--decode", "retries=many"])
    assert res.exit_code == 2 and "retries takes a whole number" in res.output
    res = runner.invoke(main, ["train", "planner", "--config", str(_recipe_file(tmp_path, "planner", tiny_corpus)),
                               "--resume"])
    assert res.exit_code == 2 and "No checkpoint" in res.output
