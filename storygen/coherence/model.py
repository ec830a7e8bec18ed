"""The trained head of the coherence ranker and its files in models/ranker/.

score(story) = Σ scene-in-place scores + Σ scene-to-scene transition scores
             + Σ sentence-in-context scores + story score (measured features)
Each part is small on purpose: 320 training stories overfit anything wide. The parts are
returned separately so a ranked story records why it won.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config import MODELS_DIR
from ..errors import BackendError, StorygenError
from ..io import check_safetensors, read_json, write_bytes, write_text
from .features import HAND_FEATURES, N_POS, SENTENCE_FEATURES, StoryFeatures

MODEL_DIR = MODELS_DIR / "ranker"
HEAD_FILE = "head.safetensors"
META_FILE = "head.json"
TRAIN_HINT = "storygen train ranker"


@dataclass(frozen=True)
class HeadShape:
    dim: int = 384  # encoder width
    hidden: int = 32
    max_sentences: int = 40
    dropout: float = 0.1


def _torch():
    try:
        import torch
    except ImportError:
        raise BackendError("torch is missing; run `make install`") from None
    return torch


def build_head(shape: HeadShape):
    """The torch module (built lazily so importing this file does not import torch)."""
    torch = _torch()
    nn = torch.nn

    class CoherenceHead(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            h = shape.hidden
            self.register_buffer("hand_mean", torch.zeros(len(HAND_FEATURES)))
            self.register_buffer("hand_std", torch.ones(len(HAND_FEATURES)))
            self.register_buffer("sent_mean", torch.zeros(len(SENTENCE_FEATURES)))
            self.register_buffer("sent_std", torch.ones(len(SENTENCE_FEATURES)))
            self.proj = nn.Linear(shape.dim, h)
            self.drop = nn.Dropout(shape.dropout)
            self.pos = nn.Embedding(N_POS, h)
            self.place = nn.Sequential(nn.GELU(), nn.Linear(h, 1))
            self.trans = nn.Sequential(nn.Linear(4 * h, h), nn.GELU(), nn.Linear(h, 1))
            self.sent = nn.Sequential(nn.Linear(len(SENTENCE_FEATURES), 16), nn.GELU(), nn.Linear(16, 1))
            self.story = nn.Sequential(nn.Linear(len(HAND_FEATURES), h), nn.GELU(), nn.Linear(h, 1))

        def forward(self, hand, scenes, positions, scene_mask, sent_feats, sent_mask):
            """Returns (total (B,), parts: dict of (B,) or (B, n) tensors)."""
            z = self.drop(self.proj(scenes))
            place = self.place(z + self.pos(positions)).squeeze(-1) * scene_mask
            a, b = z[:, :-1], z[:, 1:]
            pair_mask = scene_mask[:, :-1] * scene_mask[:, 1:]
            trans = self.trans(torch.cat([a, b, a * b, (a - b).abs()], -1)).squeeze(-1) * pair_mask
            s = (sent_feats - self.sent_mean) / self.sent_std
            sent = (self.sent(s).squeeze(-1) * sent_mask).sum(1)
            story = self.story((hand - self.hand_mean) / self.hand_std).squeeze(-1)
            total = place.sum(1) + trans.sum(1) + sent + story
            return total, {"place": place, "transition": trans, "sentences": sent, "story": story}

    return CoherenceHead()


def collate(feats: list[StoryFeatures], shape: HeadShape):
    """Pad a list of StoryFeatures into the tensors the head takes."""
    torch = _torch()
    n = max(len(f.scenes) for f in feats)
    m = shape.max_sentences
    B = len(feats)
    scenes = np.zeros((B, n, shape.dim), np.float32)
    positions = np.zeros((B, n), np.int64)
    scene_mask = np.zeros((B, n), np.float32)
    sent = np.zeros((B, m, len(SENTENCE_FEATURES)), np.float32)
    sent_mask = np.zeros((B, m), np.float32)
    for k, f in enumerate(feats):
        scenes[k, :len(f.scenes)] = f.scenes
        positions[k, :len(f.scenes)] = f.positions
        scene_mask[k, :len(f.scenes)] = 1
        j = min(m, len(f.sentence_feats))  # a runaway candidate is cut, not crashed on
        sent[k, :j] = f.sentence_feats[:j]
        sent_mask[k, :j] = 1
    hand = np.stack([f.hand for f in feats])
    return tuple(torch.from_numpy(x) for x in (hand, scenes, positions, scene_mask, sent, sent_mask))


def set_normalisation(head, feats: list[StoryFeatures]) -> None:
    """Standardise the measured features with training-set statistics (kept in the weights)."""
    torch = _torch()
    hand = np.stack([f.hand for f in feats])
    sent = np.concatenate([f.sentence_feats for f in feats])
    for name, x in (("hand", hand), ("sent", sent)):
        getattr(head, f"{name}_mean").copy_(torch.from_numpy(x.mean(0)))
        getattr(head, f"{name}_std").copy_(torch.from_numpy(np.maximum(x.std(0), 1e-3)))


def save_head(head, shape: HeadShape, meta: dict, out_dir: Path | str = MODEL_DIR) -> Path:
    from safetensors.torch import save

    out_dir = Path(out_dir)
    state = {k: v.detach().contiguous() for k, v in head.state_dict().items()}
    write_bytes(out_dir / HEAD_FILE, save(state))
    meta = {**meta, "shape": shape.__dict__, "hand_features": list(HAND_FEATURES),
            "sentence_features": list(SENTENCE_FEATURES)}
    write_text(out_dir / META_FILE, json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return out_dir


def load_head(model_dir: Path | str = MODEL_DIR):
    """(head in eval mode, shape, meta). A missing or stale model says how to make one."""
    model_dir = Path(model_dir)
    if not (model_dir / HEAD_FILE).exists() or not (model_dir / META_FILE).exists():
        raise BackendError(f"No trained coherence ranker in {model_dir}; run `{TRAIN_HINT}` "
                           "(or use --ranker heuristic)")
    try:  # a damaged model file is named with what to do, never a traceback
        meta = read_json(model_dir / META_FILE, hint=f"run `{TRAIN_HINT}` again")
    except StorygenError as exc:
        raise BackendError(str(exc)) from None
    if not isinstance(meta, dict) or meta.get("hand_features") != list(HAND_FEATURES) or \
            meta.get("sentence_features") != list(SENTENCE_FEATURES):
        raise BackendError(f"{model_dir} was trained with other features; run `{TRAIN_HINT}` again")
    check_safetensors(model_dir / HEAD_FILE, f"run `{TRAIN_HINT}` again")
    from safetensors.torch import load

    try:
        shape = HeadShape(**meta["shape"])
    except (KeyError, TypeError):
        raise BackendError(f"{model_dir / META_FILE} has no valid shape; run `{TRAIN_HINT}` again") from None
    head = build_head(shape)
    head.load_state_dict(load((model_dir / HEAD_FILE).read_bytes()))
    return head.eval(), shape, meta
