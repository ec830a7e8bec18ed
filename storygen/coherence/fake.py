"""A tiny deterministic stand-in for the sentence encoder, for tests and dry runs of the head,
features and training loop without torch/transformers weights."""
from __future__ import annotations

import hashlib
import re

import numpy as np

from .encoder import PooledScene, SceneEncoding, pool_scene

_TOKEN = re.compile(r"[A-Za-z']+|[^\sA-Za-z']")


class HashEncoder:
    """Each word gets a fixed pseudo-random vector (from a hash of the lowercased word), mixed
    with the mean of its scene so tokens are "contextual"."""

    def __init__(self, dim: int = 16) -> None:
        self.dim = dim
        self.calls = 0  # scenes actually encoded (the cache is tested through this)
        self._cache: dict[str, PooledScene] = {}

    def _vec(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.lower().encode()).digest()[:4], "little")
        return np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)

    def encode_tokens(self, texts: list[str]) -> list[SceneEncoding]:
        out = []
        for text in texts:
            spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
            vecs = np.stack([self._vec(text[a:b]) for a, b in spans]) if spans else np.zeros((0, self.dim))
            ctx = vecs.mean(axis=0) if len(vecs) else np.zeros(self.dim)
            tokens = np.vstack([ctx, vecs + 0.3 * ctx, ctx]).astype(np.float32)  # [CLS] ... [SEP]
            offsets = np.array([(0, 0), *spans, (0, 0)], dtype=int)
            out.append(SceneEncoding(text, tokens, offsets))
        return out

    def encode(self, texts: list[str], batch_size: int = 16) -> list[PooledScene]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        self.calls += len(missing)
        for enc in self.encode_tokens(missing):
            self._cache[enc.text] = pool_scene(enc)
        return [self._cache[t] for t in texts]

    def clear(self) -> None:
        self._cache.clear()
