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
    res = runner.invoke(main, ["train", "generator", "--config", str(_recipe_file(tmp_path, "generator", tiny_corpus)),
                               "--max-steps", "1", "--out", str(models / "generator")])
    assert res.exit_code == 0, res.output
    assert "trained generator: 1 steps" in res.output
    assert (models / "generator" / "MODEL_CARD.md").exists()
    report = tmp_path / "report.json"
    res = runner.invoke(main, ["evaluate", "lm", "--section", "compare", "--limit", "1", "-k", "2", "--models", str(models),
                               "--keywords", str(tiny_corpus), "--engine", "hf", "--out", str(report),
                               "--ranker", "heuristic", "--decode", "max_new_tokens=8", "--decode", "plan_tokens=8",
                               "--decode", "retries=0", "--cards"])
    assert res.exit_code == 0, res.output
    data = json.loads(report.read_text())
    assert data["decode_overrides"] == {"max_new_tokens": 8, "plan_tokens": 8, "retries": 0}
    assert data["compare"]["prompts"] == 1 and "compare: lm: stories with garbled pick words" in res.output
    stories = json.loads((tmp_path / "report-stories.json").read_text())
    assert set(stories) == {"lm", "template", "human"} and len(stories["human"][0]["scenes"]) == 5
    card = (models / "generator" / "MODEL_CARD.md").read_text()
    assert "## Evaluation" in card and "compare lm: non_word_rate" in card


def test_cli_errors(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    runner = CliRunner()
    res = runner.invoke(main, ["train", "generator", "--config", str(_recipe_file(tmp_path, "planner", tiny_corpus))])
    assert res.exit_code == 2 and "is a planner recipe" in res.output
    res = runner.invoke(main, ["evaluate", "lm", "--section", "nope"])
    assert res.exit_code == 2 and "unknown section 'nope'" in res.output
    res = runner.invoke(main, ["evaluate", "lm", "--decode", "nope=1"])
    assert res.exit_code == 2 and "KEY one of engine" in res.output
    res = runner.invoke(main, ["evaluate", "lm", "--decode", "retries=many"])
    assert res.exit_code == 2 and "retries takes a whole number" in res.output
    res = runner.invoke(main, ["train", "generator", "--config", str(_recipe_file(tmp_path, "generator", tiny_corpus)),
                               "--resume"])
    assert res.exit_code == 2 and "No checkpoint" in res.output
