"""YAML configs -> frozen dataclasses. Unknown or mistyped keys are errors naming key and file."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml

from .errors import ConfigError, RecordError
from .records import Record

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = Path(os.environ.get("STORYGEN_CONFIG_DIR", ROOT / "configs"))
LIBRARY_DIR = ROOT / "library"
DATA_DIR = ROOT / "data"
MODELS_DIR = ROOT / "models"

C = TypeVar("C", bound=Record)


def load_yaml(path: str | os.PathLike) -> object:
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise ConfigError(f"Config file {path} does not exist") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None


def load_config(path: str | os.PathLike, cls: type[C]) -> C:
    try:
        return cls.from_dict(load_yaml(path), where=str(path))
    except RecordError as exc:
        raise ConfigError(str(exc)) from None


@dataclass(frozen=True)
class Backends(Record):
    planner: str = "template"
    writer: str = "template"
    ranker: str = "heuristic"
    nlp: str = "spacy"
    scene: str = "solver"
    narration: str = "piper"
    music: str = "arranged"
    sfx: str = "basic"
    book: str = "html"


@dataclass(frozen=True)
class ImageSettings(Record):
    width: int = 1024
    height: int = 768
    gif_frames: int = 12
    gif_frame_ms: int = 200


@dataclass(frozen=True)
class Settings(Record):
    """configs/default.yaml: what `storygen make` does when no option says otherwise."""

    seed: int = 0
    candidates: int = 4
    backends: Backends = field(default_factory=Backends)
    image: ImageSettings = field(default_factory=ImageSettings)
    animate: bool = True
    max_regenerations: int = 1


SETTINGS_ENV = "STORYGEN_SETTINGS"  # another settings file, e.g. configs/quick.yaml (baseline backends)


def settings(path: str | None = None) -> Settings:
    """configs/default.yaml, or the file named by $STORYGEN_SETTINGS (read at every call, so a
    test or a batch worker can switch files)."""
    return _settings_file(str(path or os.environ.get(SETTINGS_ENV) or CONFIG_DIR / "default.yaml"))


# The backend names a settings file may give, per stage. Kept here (a leaf module) so a bad name
# is refused when the file is read, before any stage is imported or any file written;
# tests/test_config.py checks it against the registries.
BACKEND_NAMES = {
    "planner": ("lm", "template"), "writer": ("lm", "template"), "ranker": ("coherence", "heuristic"),
    "nlp": ("basic", "spacy", "stanza"), "scene": ("basic", "solver"), "narration": ("espeak", "piper"),
    "music": ("arranged", "basic"), "sfx": ("basic",), "book": ("html",),
}
_AT_LEAST = {"candidates": 1, "max_regenerations": 0, "image.width": 64, "image.height": 64,
             "image.gif_frames": 1, "image.gif_frame_ms": 20}


@lru_cache(maxsize=None)
def _settings_file(path: str) -> Settings:
    s = load_config(path, Settings)
    problems = [f"backends.{stage}: {name!r} is not a {stage} backend; choose one of: {', '.join(BACKEND_NAMES[stage])}"
                for stage, name in s.backends.to_dict().items() if name not in BACKEND_NAMES[stage]]
    for key, low in _AT_LEAST.items():
        value = s
        for part in key.split("."):
            value = getattr(value, part)
        if value < low:
            problems.append(f"{key}: must be at least {low}, got {value}")
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return s


def config_schemas() -> dict[str, type[Record]]:
    """Every shipped file in configs/ and the dataclass that validates it (tested together)."""
    from .audio.config import AudioConfig
    from .coherence.train import TrainRankerConfig
    from .corpus.stories import CorpusConfig
    from .fluency import WordsConfig
    from .lm.baseline import BaselinesFile
    from .lm.recipe import TrainRecipe
    from .options import Options
    from .safety import BlockList, SafetyConfig

    return {"default.yaml": Settings, "quick.yaml": Settings, "options.yaml": Options, "baselines.yaml": BaselinesFile,
            "blocklist.yaml": BlockList, "safety.yaml": SafetyConfig, "corpus.yaml": CorpusConfig,
            "train_ranker.yaml": TrainRankerConfig, "audio.yaml": AudioConfig,
            "train_planner.yaml": TrainRecipe, "train_generator.yaml": TrainRecipe,
            "words.yaml": WordsConfig}
