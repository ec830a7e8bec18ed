"""The trained LoRA adapters in models/: finding and checking one, naming it, folding it into the base.

Shared by the fine-tuned planner/writer (story_model.py) and the ranker's likelihood feature
(coherence/likelihood.py), which scores stories with the generator's adapter; kept apart from
both so neither has to import the other.
"""
from __future__ import annotations

import hashlib
import warnings
from functools import lru_cache
from pathlib import Path

from ..config import MODELS_DIR
from ..errors import BackendError
from ..io import check_safetensors, read_json
from .train import ADAPTER_FILE, CONFIG_FILE


def adapter_dir(task: str, models_dir: Path | str | None = None) -> Path:
    folder = Path(models_dir or MODELS_DIR) / task
    if not (folder / ADAPTER_FILE).exists() or not (folder / CONFIG_FILE).exists():
        raise BackendError(f"No trained {task} adapter in {folder}; run: storygen train {task}")
    # A damaged file is named here, not met as a traceback inside peft or safetensors.
    hint = f"run: storygen train {task}"
    if not isinstance(read_json(folder / CONFIG_FILE, hint=hint), dict):
        raise BackendError(f"{folder / CONFIG_FILE} is not an adapter config; {hint}")
    check_safetensors(folder / ADAPTER_FILE, hint)
    return folder


def adapter_key(folder: Path, base: Path) -> str:
    """Names the merged model: adapter bytes + base folder, so a retrained adapter is reconverted."""
    h = hashlib.sha256()
    for name in (ADAPTER_FILE, CONFIG_FILE):
        h.update((folder / name).read_bytes())
    h.update(str(base.resolve()).encode())
    return f"{folder.name}-{h.hexdigest()[:12]}"


@lru_cache(maxsize=4)
def merged_model(folder: str, base: str):
    """(fp32 model with the LoRA folded in, tokenizer)."""
    from peft import PeftModel

    from .base import fresh_base

    model, tok = fresh_base(base)
    with warnings.catch_warnings():  # peft calls a transformers API deprecated for v6
        warnings.simplefilter("ignore", FutureWarning)
        model = PeftModel.from_pretrained(model, folder).merge_and_unload()
    model.eval()
    return model, tok
