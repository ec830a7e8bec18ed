"""The word-level judge: the encoder's top layers fine-tuned to spot a word that does not fit.

Whole-scene and sentence vectors barely move when "found" becomes "lost" or a `not` appears, so
an ELECTRA-style discriminator reads each token in context and says how likely it was changed.
It is trained on antonym and negation edits of the train split (config `kinds`); its per-sentence "surprise"
(-Σ log P(token is original)) becomes a feature of the story head. Only the fine-tuned top
layers and a linear head are stored (fp16).
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..io import write_bytes
from ..records import Record
from .perturb import StoryText, perturb

DISC_FILE = "disc.safetensors"


@dataclass(frozen=True)
class DiscConfig(Record):
    """The `disc:` section of configs/train_ranker.yaml."""

    enabled: bool = True
    kinds: tuple[str, ...] = ("antonym",)  # edits whose changed words it learns to spot
    first_layer: int = 4  # layers from here on are copied and fine-tuned
    edits_per_story: int = 8
    epochs: int = 3
    lr: float = 3e-5
    head_lr: float = 1e-3
    batch_size: int = 32


class Disc:
    """Fine-tuned top layers + token head, applied to the frozen encoder's hidden states."""

    def __init__(self, model, first_layer: int, layers=None, head=None) -> None:
        import torch

        self.first_layer = first_layer
        self.layers = layers if layers is not None else copy.deepcopy(model.encoder.layer[first_layer:])
        self.head = head if head is not None else torch.nn.Linear(model.config.hidden_size, 1)

    def parameters(self):
        return list(self.layers.parameters()) + list(self.head.parameters())

    def train(self, mode: bool = True) -> None:
        self.layers.train(mode)
        self.head.train(mode)

    def logits(self, hidden, mask):
        """Per-token logits (B, T) from hidden states of layer `first_layer` (B, T, dim)."""
        ext = (1.0 - mask.to(hidden.dtype))[:, None, None, :] * -1e4
        h = hidden
        for layer in self.layers:
            out = layer(h, attention_mask=ext)
            h = out[0] if isinstance(out, tuple) else out
        return self.head(h).squeeze(-1)

    def save(self, path: Path | str) -> None:
        from safetensors.torch import save

        state = {f"layers.{k}": v.half().contiguous() for k, v in self.layers.state_dict().items()}
        state.update({f"head.{k}": v.half().contiguous() for k, v in self.head.state_dict().items()})
        write_bytes(path, save(state, metadata={"first_layer": str(self.first_layer)}))

    @classmethod
    def load(cls, model, path: Path | str) -> "Disc":
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as fh:
            first = int(fh.metadata()["first_layer"])
            state = {k: fh.get_tensor(k).float() for k in fh.keys()}
        disc = cls(model, first)
        disc.layers.load_state_dict({k[7:]: v for k, v in state.items() if k.startswith("layers.")})
        disc.head.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("head.")})
        disc.train(False)
        return disc


def edit_examples(stories: list[StoryText], per_story: int, tag: str, kinds=("antonym",),
                  paired: bool = False) -> list[tuple[str, tuple]]:
    """(scene text, changed character spans) for edited scenes and the originals they came from.

    Each original scene appears once, unless `paired`: then every edit is followed by its
    original (for edit-vs-original accuracy)."""
    out: list[tuple[str, tuple]] = []
    originals: dict[str, None] = {}
    for story in stories:
        seen = set()
        for kind, n in ((k, n) for k in kinds for n in range(per_story)):
            p = perturb(story, kind, f"{tag}:{n}", pool=stories)
            if p is None or p.scenes in seen:
                continue
            seen.add(p.scenes)
            (i, a, b), = p.spans
            out.append((p.scenes[i], ((a, b),)))
            if paired:
                out.append((story.scenes[i], ()))
            originals[story.scenes[i]] = None
    return out if paired else out + [(text, ()) for text in originals]


def _hidden(encoder, examples, first_layer: int):
    """Hidden states of `first_layer` and token labels, computed once (the lower layers stay frozen)."""
    import torch

    rows: list = [None] * len(examples)  # in the order given: val rows come in (edit, original) pairs
    order = sorted(range(len(examples)), key=lambda k: len(examples[k][0]))
    for k in range(0, len(order), 32):
        idx = order[k:k + 32]
        hidden, offsets, lengths = encoder.hidden_states([examples[j][0] for j in idx], first_layer)
        for r, j in enumerate(idx):
            n = lengths[r]
            y = np.zeros(n, np.float32)
            for a, b in examples[j][1]:
                y[(offsets[r][:n, 1] > a) & (offsets[r][:n, 0] < b)] = 1
            rows[j] = (hidden[r, :n].clone(), torch.from_numpy(y))
    return rows


def _pad(rows):
    import torch

    n = max(len(h) for h, _ in rows)
    H = torch.zeros(len(rows), n, rows[0][0].shape[-1])
    M = torch.zeros(len(rows), n)
    Y = torch.zeros(len(rows), n)
    for r, (h, y) in enumerate(rows):
        H[r, :len(h)], M[r, :len(h)], Y[r, :len(y)] = h, 1, y
    return H, M, Y


def surprise_accuracy(disc: Disc, rows) -> float:
    """Share of (edited, original) scene pairs where the edited one is more surprising."""
    import torch

    disc.train(False)
    wins = []
    with torch.inference_mode():
        for k in range(0, len(rows), 64):
            H, M, _ = _pad(rows[k:k + 64])
            s = (-torch.nn.functional.logsigmoid(-disc.logits(H, M)) * M).sum(1)
            wins += (s[0::2] > s[1::2]).tolist()
    return float(np.mean(wins)) if wins else 0.0


def train_disc(encoder, train: list[StoryText], val: list[StoryText], cfg: DiscConfig, seed: int,
               log: Callable[[str], None] = print) -> tuple[Disc, dict]:
    import torch

    torch.manual_seed(seed)
    rows = _hidden(encoder, edit_examples(train, cfg.edits_per_story, f"disc:{seed}", cfg.kinds),
                   cfg.first_layer)
    val_rows = _hidden(encoder, edit_examples(val, 2, "val", cfg.kinds, paired=True), cfg.first_layer)
    disc = Disc(encoder.model, cfg.first_layer)
    positive = float(sum(y.sum() for _, y in rows) / sum(len(y) for _, y in rows))
    weight = torch.tensor((1 - positive) / max(positive, 1e-6))
    opt = torch.optim.AdamW([{"params": disc.layers.parameters(), "lr": cfg.lr},
                             {"params": disc.head.parameters(), "lr": cfg.head_lr}], weight_decay=0.01)
    order = sorted(range(len(rows)), key=lambda k: len(rows[k][0]))  # similar lengths batch well
    batches = [order[k:k + cfg.batch_size] for k in range(0, len(order), cfg.batch_size)]
    rng = random.Random(seed)
    history, best, best_state = [], -1.0, None
    for epoch in range(cfg.epochs):
        disc.train(True)
        rng.shuffle(batches)
        total = 0.0
        for b in batches:
            H, M, Y = _pad([rows[k] for k in b])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                disc.logits(H, M), Y, pos_weight=weight, reduction="none")
            loss = (loss * M).sum() / M.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        acc = surprise_accuracy(disc, val_rows)
        history.append({"epoch": epoch + 1, "loss": round(total / len(batches), 5),
                        "val_pairs": round(acc, 4)})
        log(f"word judge epoch {epoch + 1}: loss {total / len(batches):.4f}, val edit-vs-original {acc:.3f}")
        if acc > best:  # the best val epoch is kept (ties: the earlier one)
            best, best_epoch = acc, epoch + 1
            best_state = copy.deepcopy((disc.layers.state_dict(), disc.head.state_dict()))
    disc.layers.load_state_dict(best_state[0])
    disc.head.load_state_dict(best_state[1])
    disc.train(False)
    return disc, {"examples": len(rows), "history": history, "best_epoch": best_epoch}
