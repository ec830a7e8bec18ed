"""Decoding engines: batched sampling from token-id prompts, the same interface for both.

- `hf`: transformers `generate` on the fp32 merged model (the reference; left padding).
- `hf-int8`: the same with its Linear layers dynamically quantised to int8 (3x faster on CPU).
- `ct2`: CTranslate2 int8, the default (the fastest on 2 cores; nothing steers decoding, so
  nothing needs a logits hook). Its sampler draws from a random
  generator that lives in the worker thread and is seeded once, when the thread starts; so each
  decoding session (one plan, one set of candidates) builds a fresh Generator after seeding,
  which keeps "same seed, same output" true whatever ran before in the process. Its repetition
  controls see only the tokens generated in that call (not the prompt), unlike `hf`.
The converted int8 model is a derived artifact, built once into the cache folder, never committed.
"""
from __future__ import annotations

import hashlib
import importlib.util
import shutil
import time
from pathlib import Path
from typing import Callable, Sequence

from ..errors import BackendError
from .banned import banned_sequences
from .base import cache_dir, set_threads
from .recipe import DecodeSettings

CT2_INSTALL = ".venv/bin/pip install ctranslate2==4.8.5"


def derive_seed(*parts) -> int:
    """A 31-bit seed from any parts (stable across runs and platforms, unlike hash())."""
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16) & 0x7FFFFFFF


def trim(ids: Sequence[int], stop: Sequence[int]) -> list[int]:
    """Generated ids up to and including the first stop token."""
    out = []
    for t in ids:
        out.append(int(t))
        if t in stop:
            break
    return out


class Engine:
    name = "engine"

    def __init__(self) -> None:
        self.generated = 0  # tokens produced, for tokens/s figures
        self.seconds = 0.0

    def session(self, seed: int) -> None:
        """Start a decoding session: from here on, output depends only on `seed` and the calls."""

    def generate(self, prompts: list[list[int]], max_new: int, stop: Sequence[int],
                 s: DecodeSettings, seed: int) -> list[list[int]]:
        """New ids for each prompt; a stop token, if reached, is the last id."""
        t0 = time.perf_counter()
        outs = [trim(o, stop) for o in self._generate(prompts, max_new, list(stop), s, seed)]
        self.seconds += time.perf_counter() - t0
        self.generated += sum(len(o) for o in outs)
        return outs

    def _generate(self, prompts, max_new, stop, s, seed):  # pragma: no cover - abstract
        raise NotImplementedError

    def log_probs(self, seqs: list[list[int]]) -> list[list[float]]:
        """For each sequence, the model's log-probability of each of its tokens after the first."""
        raise NotImplementedError  # pragma: no cover - abstract


class GeneratedNoRepeat:
    """A logits processor: no n-gram of the text generated so far is generated again. Unlike
    transformers' no_repeat_ngram_size it ignores the prompt (issue 17: over the prompt it kept
    the model from writing the plan's own words), as CTranslate2's does."""

    def __init__(self, n: int, width: int) -> None:
        self.n, self.width = n, width

    def __call__(self, input_ids, scores):
        import torch

        n = self.n
        for row, ids in enumerate(input_ids[:, self.width:].tolist()):
            if len(ids) < n:
                continue
            tail = tuple(ids[len(ids) - n + 1:])
            banned = {ids[i + n - 1] for i in range(len(ids) - n + 1) if tuple(ids[i:i + n - 1]) == tail}
            if banned:
                scores[row, list(banned)] = -torch.inf
        return scores


class HFEngine(Engine):
    name = "hf"

    def __init__(self, model, tokenizer, threads: int = 2, name: str = "hf") -> None:
        super().__init__()
        self.model, self.tok, self.threads, self.name = model, tokenizer, threads, name

    def _generate(self, prompts, max_new, stop, s, seed):
        import torch
        from transformers import GenerationConfig, LogitsProcessorList

        set_threads(self.threads)
        pad = self.tok.pad_token_id
        width = max(len(p) for p in prompts)
        ids = torch.full((len(prompts), width), pad, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for i, p in enumerate(prompts):  # left padding: every row ends where generation starts
            ids[i, width - len(p):] = torch.tensor(p)
            mask[i, width - len(p):] = 1
        cfg = GenerationConfig(
            do_sample=True, temperature=s.temperature, top_p=s.top_p, top_k=s.top_k or 0,
            repetition_penalty=s.repetition_penalty,
            max_new_tokens=max_new, eos_token_id=stop or None, pad_token_id=pad,
            bad_words_ids=banned_sequences(self.tok) if s.ban_unsafe else None)
        steer = LogitsProcessorList([GeneratedNoRepeat(s.no_repeat_ngram_size, width)]
                                    if s.no_repeat_ngram_size > 0 else [])
        torch.manual_seed(seed)
        with torch.no_grad():
            out = self.model.generate(input_ids=ids, attention_mask=mask, generation_config=cfg,
                                      logits_processor=steer)
        return [row[width:].tolist() for row in out]

    def log_probs(self, seqs):
        import torch

        set_threads(self.threads)
        out = []
        with torch.no_grad():
            for seq in seqs:  # a handful of short sequences: no padding to get wrong
                ids = torch.tensor([seq])
                logits = self.model(input_ids=ids).logits[0, :-1].float()
                lp = torch.log_softmax(logits, -1).gather(1, ids[0, 1:, None])[:, 0]
                out.append(lp.tolist())
        return out


class CT2Engine(Engine):
    name = "ct2"

    def __init__(self, model_dir: Path, tokenizer, threads: int = 2) -> None:
        super().__init__()
        self.model_dir, self.tok, self.threads = Path(model_dir), tokenizer, threads
        self.generator = None

    def session(self, seed: int) -> None:
        import ctranslate2

        self.generator = None  # the old worker thread (and its random stream) goes away
        ctranslate2.set_random_seed(derive_seed("ct2", seed))
        self.generator = ctranslate2.Generator(str(self.model_dir), device="cpu", compute_type="int8",
                                               inter_threads=1, intra_threads=self.threads)

    def _generate(self, prompts, max_new, stop, s, seed):
        if self.generator is None:
            self.session(seed)
        tokens = [self.tok.convert_ids_to_tokens(p) for p in prompts]
        results = self.generator.generate_batch(
            tokens, max_length=max_new, sampling_topk=s.top_k or 0, sampling_topp=s.top_p,
            sampling_temperature=s.temperature, repetition_penalty=s.repetition_penalty,
            no_repeat_ngram_size=s.no_repeat_ngram_size, end_token=list(stop) or None, return_end_token=True,
            include_prompt_in_result=False,
            suppress_sequences=[self.tok.convert_ids_to_tokens(q) for q in banned_sequences(self.tok)]
            if s.ban_unsafe else None)
        return [r.sequences_ids[0] for r in results]

    def log_probs(self, seqs):
        if self.generator is None:
            self.session(0)
        results = self.generator.score_batch([self.tok.convert_ids_to_tokens(q) for q in seqs])
        return [list(r.log_probs) for r in results]


def quantize_int8(model):
    """Linear layers (the LM head included) as dynamic int8 with per-channel weight scales: ~3x
    faster decoding on 2 cores (measured 145 vs 48 tokens/s, batch 4), in place. Embeddings and
    norms stay fp32."""
    import gc
    import warnings

    import torch

    with warnings.catch_warnings():  # torch.ao eager quantization: deprecated, still the simplest
        warnings.simplefilter("ignore")
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        # per output channel: per-tensor scales made the planner repeat itself ("turtle, rock" x5)
        quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=True)
    # The fp32 leftovers (embeddings, norms) are views of the memory-mapped safetensors file: while
    # one lives, every page read while quantising stays resident. Own copies free ~0.4 GB a model
    # (once the collector has dropped the old module cycles).
    with torch.no_grad():
        for t in list(model.parameters()) + list(model.buffers()):
            t.data = t.data.clone()
    gc.collect()
    return model


def ct2_available() -> bool:
    return importlib.util.find_spec("ctranslate2") is not None


def ct2_model(tokenizer, key: str, build: Callable[[], object]) -> Path:
    """The int8 CTranslate2 copy of a merged HF model (made by `build`, only when needed),
    converted once into the cache folder under `key`."""
    out = cache_dir() / "ct2" / f"{key}-int8"
    if (out / "model.bin").exists():
        return out
    if not ct2_available():
        raise BackendError(f"The ct2 decoding engine needs CTranslate2; run: {CT2_INSTALL}")
    import ctranslate2

    work = out.with_name(out.name + ".work")
    shutil.rmtree(work, ignore_errors=True)
    build().save_pretrained(work / "hf")
    tokenizer.save_pretrained(work / "hf")
    ctranslate2.converters.TransformersConverter(str(work / "hf")).convert(
        str(work / "ct2"), quantization="int8", force=True)
    shutil.rmtree(out, ignore_errors=True)
    (work / "ct2").rename(out)
    shutil.rmtree(work, ignore_errors=True)
    return out


def pick_engine(name: str) -> str:
    if name == "auto":
        return "ct2" if ct2_available() else "hf-int8"
    if name == "ct2" and not ct2_available():
        raise BackendError(f"The ct2 decoding engine needs CTranslate2; run: {CT2_INSTALL}")
    return name
