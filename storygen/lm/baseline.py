"""Word banks and patterns of the `template` baselines (configs/baselines.yaml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..config import CONFIG_DIR, load_config
from ..records import Record


@dataclass(frozen=True)
class ThemeBank(Record):
    friends: tuple[str, ...]
    things: tuple[str, ...]
    home: str


@dataclass(frozen=True)
class ScenePatterns(Record):
    roles: tuple[str, ...]
    patterns: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Baselines(Record):
    themes: dict[str, ThemeBank]
    scenes: tuple[ScenePatterns, ...]


@lru_cache(maxsize=None)
def load_baselines() -> Baselines:
    return load_config(CONFIG_DIR / "baselines.yaml", Baselines)
