import json
from dataclasses import replace

import pytest

from storygen.errors import ConfigError, StorygenError
from storygen.lm.card import write_card
from storygen.lm.recipe import check_recipe, load_recipe
from storygen.lm.train import ADAPTER_FILE, CONFIG_FILE, lr_at, train
from tests.test_lm_fixtures import tiny_base, tiny_base_dir, tiny_corpus, tiny_recipe  # noqa: F401


def _weights(folder):
    from safetensors.torch import load_file

    return load_file(str(folder / ADAPTER_FILE))


def test_train_writes_fp16_adapter_summary_and_card(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    recipe = tiny_recipe("planner", tiny_corpus, tmp_path)
    logs = []
    summary = train(recipe, log=logs.append)
    out = tmp_path / "models" / "planner"
    weights = _weights(out)
    assert weights and all(str(v.dtype) == "torch.float16" for v in weights.values())
    assert all("lora_" in k and ".layers.1." in k for k in weights)  # top_layers=1 of 2
    config = json.loads((out / CONFIG_FILE).read_text())
    assert config["r"] == 4 and "SmolLM2" in config["base_model_name_or_path"]
    assert summary["steps"] == 4 and summary["epochs"] == 2.0  # 3 examples, batch 2, 2 epochs
    assert [h["epoch"] for h in summary["history"]] == [1, 2]
    best = min(h["val_loss"] for h in summary["history"])
    assert summary["val_loss"] == best > 0 and summary["best_epoch"] in (1, 2)
    assert json.loads((out / "training.json").read_text())["steps"] == 4
    assert any("val loss" in line for line in logs)
    card = write_card(out).read_text()
    assert "| steps | 4 (batch 2" in card and "| seed | 0 |" in card and "fp16" in card


def test_training_lowers_the_loss(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    recipe = tiny_recipe("generator", tiny_corpus, tmp_path, epochs=6, lr=0.05, save_every=100)
    losses = train(recipe, log=lambda _: None)["losses"]
    assert len(losses) == 12
    assert sum(losses[-3:]) / 3 < 0.9 * sum(losses[:3]) / 3


def test_resume_continues_exactly(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    full = tiny_recipe("generator", tiny_corpus, tmp_path / "a")
    train(full, log=lambda _: None)
    parts = tiny_recipe("generator", tiny_corpus, tmp_path / "b")
    first = train(parts, max_steps=3, log=lambda _: None)
    assert first["steps"] == 3
    second = train(parts, resume=True, log=lambda _: None)
    assert second["steps"] == 4
    a, b = _weights(tmp_path / "a" / "models" / "generator"), _weights(tmp_path / "b" / "models" / "generator")
    assert a.keys() == b.keys()
    assert all((a[k] == b[k]).all() for k in a)


def test_resume_errors(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    recipe = tiny_recipe("planner", tiny_corpus, tmp_path)
    with pytest.raises(StorygenError, match="No checkpoint"):
        train(recipe, resume=True, log=lambda _: None)
    train(recipe, max_steps=1, log=lambda _: None)
    with pytest.raises(StorygenError, match="another recipe"):
        train(replace(recipe, lr=0.5), resume=True, log=lambda _: None)


def test_too_long_examples_are_dropped_not_truncated(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    with pytest.raises(StorygenError, match="No generator examples"):
        train(tiny_recipe("generator", tiny_corpus, tmp_path, max_tokens=20), log=lambda _: None)


def test_early_stopping_and_the_best_epoch():
    from storygen.lm.train import best_epoch, should_stop

    h = [{"epoch": i + 1, "val_loss": v} for i, v in enumerate([3.0, 2.5, 2.6, 2.55, 2.4])]
    assert not should_stop(h[:3], patience=2)
    assert should_stop(h[:4], patience=2)  # 2.6, 2.55: neither beats 2.5
    assert not should_stop(h, patience=2) and not should_stop(h[:4], patience=0)
    assert best_epoch(h[:4])["epoch"] == 2 and best_epoch([]) is None


def test_patience_stops_training_and_keeps_the_best_adapter(tiny_base, tiny_corpus, tmp_path, monkeypatch):  # noqa: F811
    from storygen.lm import train as train_mod

    losses = iter([2.0, 1.5, 1.7, 1.8, 1.0])  # best at epoch 2, then two worse: stop after epoch 4
    monkeypatch.setattr(train_mod, "evaluate_loss", lambda *a: next(losses))
    saved = []
    real_save = train_mod.save_adapter
    monkeypatch.setattr(train_mod, "save_adapter", lambda m, out: saved.append(len(saved)) or real_save(m, out))
    logs = []
    summary = train(tiny_recipe("generator", tiny_corpus, tmp_path, epochs=5, patience=2), log=logs.append)
    assert [h["epoch"] for h in summary["history"]] == [1, 2, 3, 4] and summary["steps"] == 8
    assert summary["best_epoch"] == 2 and summary["val_loss"] == 1.5
    assert len(saved) == 2  # after epochs 1 and 2 only: the folder holds epoch 2's adapter
    assert any("stopping" in line for line in logs)


def test_a_shared_planner_does_not_train(tmp_path):
    from click.testing import CliRunner

    from storygen.cli import main

    (tmp_path / "p.yaml").write_text("task: planner\nshares: generator\n")
    result = CliRunner().invoke(main, ["train", "planner", "--config", str(tmp_path / "p.yaml")])
    assert result.exit_code == 0 and "storygen train generator" in result.output
    assert not (tmp_path / "models").exists()


def test_lr_schedule_warms_up_then_decays():
    recipe = tiny_recipe("planner", "x", __import__("pathlib").Path("/tmp"), lr=1.0, warmup_steps=2, min_lr_ratio=0.1)
    got = [round(lr_at(s, 10, recipe), 3) for s in range(10)]
    assert got[:3] == [0.5, 1.0, 1.0]
    assert got == sorted(got[:2]) + sorted(got[2:], reverse=True) and got[-1] > 0.1


def test_shipped_recipes_load_and_bad_recipes_are_refused(tmp_path):
    from storygen.config import CONFIG_DIR

    for task in ("planner", "generator"):
        r = load_recipe(CONFIG_DIR / f"train_{task}.yaml")
        assert r.task == task and r.out == f"models/{task}"
    bad = tiny_recipe("planner", "x", tmp_path, batch_size=3, micro_batch=2)
    with pytest.raises(ConfigError, match="multiple of micro_batch"):
        check_recipe(bad, "x.yaml")
    with pytest.raises(ConfigError, match="task must be"):
        check_recipe(replace(bad, task="ranker", batch_size=4), "x.yaml")
    with pytest.raises(ConfigError, match="only a planner may share"):
        check_recipe(replace(bad, task="generator", batch_size=4, shares="generator"), "x.yaml")
    (tmp_path / "r.yaml").write_text("task: planner\nepochz: 3\n")
    with pytest.raises(ConfigError, match="epochz"):
        load_recipe(tmp_path / "r.yaml")
