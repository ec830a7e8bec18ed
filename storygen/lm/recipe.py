"""Training recipes (configs/train_planner.yaml, configs/train_generator.yaml).

A recipe is everything that decides a trained adapter: data, LoRA shape, optimiser, steps, seed.
How the trained model decodes is a setting of its use, not of its training: configs/default.yaml
`decode:` (storygen/config.py DecodeSettings, re-exported here for the story-model code).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..config import CONFIG_DIR, ROOT, DecodeSettings, load_config, settings
from ..errors import ConfigError
from ..records import Record

TASKS = ("planner", "generator")
ALL_LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class LoraSpec(Record):
    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: tuple[str, ...] = ALL_LINEAR
    top_layers: int = 0  # adapt only the last N decoder layers (0 = all): backward stops there


@dataclass(frozen=True)
class TrainRecipe(Record):
    task: str  # planner | generator
    seed: int = 0
    epochs: int = 3
    max_steps: int = 0  # 0 = as many as the epochs take
    batch_size: int = 8  # sequences per optimiser step
    micro_batch: int = 4  # sequences per forward pass (gradient accumulation in between)
    lr: float = 2e-4
    min_lr_ratio: float = 0.1  # cosine decay ends at lr * this
    warmup_steps: int = 6
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    max_tokens: int = 448  # longer examples are dropped (and counted), never truncated
    threads: int = 2
    save_every: int = 10  # steps between checkpoints (and at every epoch end)
    log_every: int = 5
    keywords_dir: str = "data/corpus/keywords"
    plan_size: tuple[int, int] = (2, 4)  # keywords per scene in training plans, most salient kept
    learn_plan: bool = True  # generator: the plan is a target too (one model plans and writes)
    patience: int = 0  # stop after this many epochs without a better val loss (0 = run every epoch)
    shares: str = ""  # planner: "generator" = use the generator's adapter (trained with the plan)
    out: str = "models/generator"
    runs: str = "runs/generator"
    lora: LoraSpec = field(default_factory=LoraSpec)

    def path(self, value: str) -> Path:
        """Recipe paths are relative to the repository root, not to the working directory."""
        p = Path(value)
        return p if p.is_absolute() else ROOT / p


def check_recipe(recipe: TrainRecipe, where: str) -> TrainRecipe:
    bad = []
    if recipe.task not in TASKS:
        bad.append(f"task must be one of {', '.join(TASKS)}, got {recipe.task!r}")
    if recipe.micro_batch < 1 or recipe.batch_size < 1 or recipe.batch_size % recipe.micro_batch:
        bad.append("batch_size must be a positive multiple of micro_batch")
    if recipe.epochs < 1 or recipe.max_steps < 0 or recipe.lr <= 0:
        bad.append("epochs >= 1, max_steps >= 0 and lr > 0 are required")
    if not (1 <= recipe.plan_size[0] <= recipe.plan_size[1]):
        bad.append("plan_size is [min, max] with 1 <= min <= max")
    if recipe.lora.r < 1 or recipe.lora.top_layers < 0:
        bad.append("lora: r >= 1 and top_layers >= 0 are required")
    if recipe.shares not in ("", "generator") or (recipe.shares and recipe.task != "planner"):
        bad.append("shares: only a planner may share, and only the generator's adapter")
    if recipe.patience < 0:
        bad.append("patience >= 0 is required")
    if bad:
        raise ConfigError(f"{where}: " + "; ".join(bad))
    return recipe


def load_recipe(path: str | Path) -> TrainRecipe:
    return check_recipe(load_config(path, TrainRecipe), str(path))


@lru_cache(maxsize=None)
def default_recipe(task: str) -> TrainRecipe:
    """The shipped recipe of a task."""
    if task not in TASKS:
        raise ConfigError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    return load_recipe(CONFIG_DIR / f"train_{task}.yaml")


def decode_settings(task: str) -> DecodeSettings:
    """How the task's model decodes: the settings file's `decode.planner` / `decode.generator`."""
    if task not in TASKS:
        raise ConfigError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    return getattr(settings().decode, task)
