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


def test_cli_errors(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    runner = CliRunner()
    res = runner.invoke(main, ["train", "generator", "--config", str(_recipe_file(tmp_path, "planner", tiny_corpus))])
    assert res.exit_code == 2 and "is a planner recipe" in res.output
    res = runner.invoke(main, ["evaluate", "--section", "nope"])
    assert res.exit_code == 2 and "unknown section 'nope'" in res.output
    res = runner.invoke(main, ["train", "planner", "--config", str(_recipe_file(tmp_path, "planner", tiny_corpus)),
                               "--resume"])
    assert res.exit_code == 2 and "No checkpoint" in res.output
