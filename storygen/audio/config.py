"""configs/audio.yaml -> AudioConfig (validated: unknown keys and bad values are errors)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..config import CONFIG_DIR, load_config
from ..errors import ConfigError
from ..records import Record


@dataclass(frozen=True)
class MusicSettings(Record):
    padding_s: float = 1.5
    synth: str = "tinysoundfont"
    reverb: float = 0.25


@dataclass(frozen=True)
class MixSettings(Record):
    narration_db: float = 0.0
    music_db: float = -4.0
    duck_db: float = -11.0
    sfx_db: float = -2.0
    attack_s: float = 0.08
    release_s: float = 0.6
    lead_s: float = 0.15
    peak_dbfs: float = -1.0


@dataclass(frozen=True)
class AudioConfig(Record):
    mood_backend: str = "lexicon"
    music: MusicSettings = field(default_factory=MusicSettings)
    mix: MixSettings = field(default_factory=MixSettings)


def check(cfg: AudioConfig, where: str = "audio config") -> AudioConfig:
    if not 0.0 <= cfg.music.padding_s <= 10.0:
        raise ConfigError(f"{where}: music.padding_s must be between 0 and 10 seconds")
    if not 0.0 <= cfg.music.reverb <= 1.0:
        raise ConfigError(f"{where}: music.reverb must be between 0 and 1")
    if cfg.mix.duck_db > 0 or cfg.mix.peak_dbfs > 0:
        raise ConfigError(f"{where}: mix.duck_db and mix.peak_dbfs must be <= 0 dB")
    if cfg.mix.attack_s <= 0 or cfg.mix.release_s <= 0 or cfg.mix.lead_s < 0:
        raise ConfigError(f"{where}: mix.attack_s and mix.release_s must be > 0, lead_s >= 0")
    return cfg


@lru_cache(maxsize=4)
def audio_config(path: str | None = None) -> AudioConfig:
    where = path or str(CONFIG_DIR / "audio.yaml")
    return check(load_config(where, AudioConfig), where)
