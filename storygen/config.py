"""YAML configs -> frozen dataclasses. Unknown or mistyped keys are errors naming key and file."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml

from .backends import STAGES
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
    except yaml.YAMLError as exc:  # one line: where it broke, not PyYAML's multi-line picture
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path} is not valid YAML ({getattr(exc, 'problem', None) or exc}{at});"
                          " fix it or restore the shipped file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}; fix it or restore the shipped file") from None


def load_config(path: str | os.PathLike, cls: type[C]) -> C:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is empty or not a mapping of settings; fix it or restore the"
                          " shipped file")
    try:
        return cls.from_dict(data, where=str(path))
    except RecordError as exc:
        raise ConfigError(f"{exc}; fix it or restore the shipped file") from None


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


ENGINES = ("ct2", "hf-int8", "hf", "auto")


@dataclass(frozen=True)
class DecodeSettings(Record):
    """How a story model decodes (storygen write / make with the lm backends); tuned without retraining."""

    engine: str = "ct2"  # ct2 (CTranslate2 int8, the fastest), hf-int8, hf (fp32 reference), auto
    temperature: float = 0.8
    top_p: float = 0.92
    top_k: int = 0  # 0 = no top-k cut
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0  # over the text being generated only, never the prompt
    max_new_tokens: int = 520  # writer: a whole story (corpus stories are ~250-420 tokens)
    plan_tokens: int = 220  # planner: a whole plan (~110-170 tokens)
    retries: int = 1  # rounds of rewriting stories that fail a check
    retry_width: int = 2  # samples per failing story in such a round
    samples: int = 4  # planner: plans sampled in one batch, the first valid one wins
    threads: int = 2
    ban_unsafe: bool = True  # block-listed words can never be decoded (storygen/lm/banned.py)


@dataclass(frozen=True)
class Decoding(Record):
    """The decode settings per story model; the defaults are the shipped configs/default.yaml."""

    planner: DecodeSettings = field(default_factory=DecodeSettings)
    generator: DecodeSettings = field(default_factory=lambda: DecodeSettings(temperature=0.75, max_new_tokens=560))


def decode_problems(s: DecodeSettings, key: str) -> list[str]:
    """What is wrong with one DecodeSettings, each with its key (read from a settings file)."""
    bad = []
    if s.engine not in ENGINES:
        bad.append(f"{key}.engine: {s.engine!r} is not an engine; choose one of: {', '.join(ENGINES)}")
    if not 0 < s.top_p <= 1:
        bad.append(f"{key}.top_p: must be in (0, 1], got {s.top_p}")
    if s.temperature <= 0:
        bad.append(f"{key}.temperature: must be above 0, got {s.temperature}")
    for name, low in (("retries", 0), ("retry_width", 1), ("samples", 1), ("threads", 1),
                      ("max_new_tokens", 1), ("plan_tokens", 1), ("top_k", 0), ("no_repeat_ngram_size", 0)):
        if getattr(s, name) < low:
            bad.append(f"{key}.{name}: must be at least {low}, got {getattr(s, name)}")
    return bad


@dataclass(frozen=True)
class Settings(Record):
    """configs/default.yaml: what `storygen make` does when no option says otherwise."""

    seed: int = 0
    candidates: int = 4
    backends: Backends = field(default_factory=Backends)
    image: ImageSettings = field(default_factory=ImageSettings)
    animate: bool = True
    max_regenerations: int = 1
    # a voice by its friendly name (storygen/audio/voices.py); it sets backends.narration.
    # "" = the narration backend's own voice
    voice: str = ""
    decode: Decoding = field(default_factory=Decoding)


SETTINGS_ENV = "STORYGEN_SETTINGS"  # another settings file, e.g. configs/quick.yaml (baseline backends)


def settings(path: str | None = None) -> Settings:
    """configs/default.yaml, or the file named by $STORYGEN_SETTINGS (read at every call, so a
    test or a batch worker can switch files)."""
    return _settings_file(str(path or os.environ.get(SETTINGS_ENV) or CONFIG_DIR / "default.yaml"))


# The backend names a settings file may give, per stage, read from the registries' tables
# (backends.py imports no stage), so a bad name is refused when the file is read, before any
# stage is imported or any file written.
BACKEND_NAMES = {stage: tuple(registry.names()) for stage, registry in STAGES.items()}
# voice name -> the narration backend that speaks it (the full table: storygen/audio/voices.py)
VOICE_NAMES = {"storyteller": "hibari", "joe": "piper"}
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
    problems += decode_problems(s.decode.planner, "decode.planner") + decode_problems(s.decode.generator, "decode.generator")
    if s.voice:
        spoken_by = VOICE_NAMES.get(s.voice)
        raw = load_yaml(path)
        gives = isinstance(raw.get("backends"), dict) and "narration" in raw["backends"]
        if spoken_by is None:
            problems.append(f"voice: {s.voice!r} is not a voice; choose one of: {', '.join(VOICE_NAMES)}")
        elif gives and s.backends.narration != spoken_by:
            problems.append(f"voice: {s.voice!r} is spoken by the {spoken_by} narration backend but"
                            f" backends.narration is {s.backends.narration!r}; make them agree or drop one")
        else:
            s = replace(s, backends=replace(s.backends, narration=spoken_by))
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return s
