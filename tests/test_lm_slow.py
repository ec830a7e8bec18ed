"""A few real training steps on the real base model (make test-slow): minutes, not seconds."""
import math
from dataclasses import replace

import pytest

from storygen.config import CONFIG_DIR


@pytest.mark.slow
@pytest.mark.parametrize("task", ["planner", "generator"])
def test_real_base_model_trains_a_few_steps(task, tmp_path):
    from storygen.lm.recipe import load_recipe
    from storygen.lm.train import ADAPTER_FILE, train

    recipe = replace(load_recipe(CONFIG_DIR / f"train_{task}.yaml"), batch_size=2, micro_batch=2,
                     out=str(tmp_path / "out"), runs=str(tmp_path / "runs"), save_every=100)
    summary = train(recipe, max_steps=2, log=lambda _: None)
    assert summary["steps"] == 2 and len(summary["losses"]) == 2
    assert all(math.isfinite(x) and 0 < x < 6 for x in summary["losses"])  # a pretrained LM, not chance (ln V = 10.8)
    assert 0 < summary["val_loss"] < 6
    assert (tmp_path / "out" / ADAPTER_FILE).stat().st_size < 20e6
