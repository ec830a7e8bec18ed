"""MODEL_CARD.md of a trained adapter, rendered from training.json (+ evaluation.json if present)."""
from __future__ import annotations

import json
from pathlib import Path

from ..io import write_text
from .train import ADAPTER_FILE, TRAINING_FILE

EVAL_FILE = "evaluation.json"

_PURPOSE = {
    "planner": "Four picks (theme, hero, color, adjective) -> a plan: plot kind, one beat and 2-5 "
               "keywords for each of the five scenes, a title (`storygen plan`, planner backend `lm`).",
    "generator": "One model, two roles. Planner: four picks -> plot kind, five beats with 2-5 keywords "
                 "each, a title. Writer: picks + plan -> the five scenes, each written after the whole "
                 "plan and the whole story so far (`storygen plan` / `storygen write`, backends `lm`).",
}
_FORMAT = {
    "planner": "The planner decodes with the generator's adapter (configs/train_planner.yaml "
               "`shares: generator`): the generator learns the plan as part of every story.",
    "generator": "One sequence per story: `theme: T | hero: H | color: C | adjective: A`, then "
                 "`plot: <kind>`, `plan i <role>: <beat> | kw, kw` for the five roles (setup, "
                 "problem, attempt, turn, ending), `title: <title><eos>`, then `scene i <role>: "
                 "<text>` for the five scenes and `<eos>`. Loss on the plan and the story (not on "
                 "the picks). Plan keywords are 2-4 of the scene's most salient keywords (nouns "
                 "first), a fresh seeded draw every epoch; beats and plot are the corpus record's.",
}
_WHY = {
    "planner": "Sharing costs nothing: the plan is part of the generator's sequence anyway, and one "
               "model in memory instead of two saves ~0.3 GB and a conversion.",
    "generator": "LoRA on every linear layer of all 30 layers (issue 17: adapting the top 12 for 3 "
                 "epochs left val loss falling). Trained for as many epochs as val loss falls "
                 "(`patience`), the best epoch kept; resumable between sittings. Measured on 2 CPU "
                 "cores: full-depth LoRA 11 s per 4x512 tokens, a full fine-tune 17 s, bf16 autocast "
                 "slower than fp32 (16 s), so fp32 LoRA.",
}
_DECODING = {
    "planner": "The plot kind is drawn from the model's own probabilities over the corpus's plot kinds "
               "(one scoring pass), then `samples` plans are written after it in one batch; the first "
               "that reads back as a plan up to its title line (five "
               "beats in order, 2-5 keywords each with the hero first in scene 1, a title, only real "
               "words, safe) is used; up to 3 rounds, then the template plan.",
    "generator": "Plain sampling, nothing steered: K stories in one batch, each a whole story from the "
                 "plan. Each is checked (five finished scenes of sensible length, the hero named, no "
                 "non-word or garbled pick word, nothing the output filter flags, no looping) and a "
                 "failing one is rewritten from its first failing scene on, keeping the scenes before "
                 "it (`retries` rounds of `retry_width` samples). Block-listed words are banned token "
                 "sequences (storygen/lm/banned.py). CTranslate2 int8.",
}


def _table(rows: list[tuple[str, str]]) -> str:
    return "\n".join(["| | |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)])


def render(folder: Path) -> str:
    t = json.loads((folder / TRAINING_FILE).read_text())
    r = t["recipe"]
    task = t["task"]
    lora = r["lora"]
    size = (folder / ADAPTER_FILE).stat().st_size / 1e6
    hist = "\n".join(f"| {h['epoch']} | {h['step']} | {h['train_loss']:.4f} | {h['val_loss']:.4f} | "
                     f"{h['val_ppl']:.2f} |" for h in t["history"])
    lines = [
        f"# storygen {task} — LoRA adapter on SmolLM2-135M-Instruct", "",
        _PURPOSE[task], "",
        "## Training", "",
        _table([
            ("base", t["base"]),
            ("data", f"{t['train_examples']} train / {t['val_examples']} val examples from "
                     f"`{r['keywords_dir']}` (in-house corpus, split by storygen corpus split); "
                     f"{t['dropped_long']} dropped as longer than {r['max_tokens']} tokens"),
            ("tokens per epoch", str(t["train_tokens_per_epoch"])),
            ("steps", f"{t['steps']} (batch {r['batch_size']}, micro-batch {r['micro_batch']}; "
                      f"{t['epochs']} epochs)"),
            ("seed", str(t["seed"])),
            ("optimiser", f"AdamW lr {r['lr']} (warmup {r['warmup_steps']}, cosine to "
                          f"{r['min_lr_ratio']}x), clip {r['grad_clip']}"),
            ("LoRA", f"r={lora['r']} alpha={lora['alpha']} dropout={lora['dropout']} on "
                     f"{', '.join(lora['target_modules'])}; "
                     + (f"top {lora['top_layers']} layers" if lora["top_layers"] else "all layers")
                     + f"; {t['trainable_params']:,} trainable parameters"),
            ("time", f"{t['seconds'] / 60:.1f} min on {t['threads']} CPU threads"),
            ("final val loss", f"{t['val_loss']:.4f}" if t["val_loss"] is not None else "-"),
            ("adapter", f"{ADAPTER_FILE}, fp16, {size:.1f} MB"),
        ]), "",
        "| epoch | step | train loss | val loss | val ppl |", "|---|---|---|---|---|", hist, "",
        "## Format", "", _FORMAT[task], "",
        "## Why this recipe", "", _WHY[task], "",
        "## Decoding", "", _DECODING[task], "",
        f"Reproduce: `storygen train {task}` (configs/train_{task}.yaml; `--resume` continues "
        f"from runs/). Inference settings: `decode.{task}` in configs/default.yaml.", "",
    ]
    ev = folder / EVAL_FILE
    if ev.exists():
        lines += ["## Evaluation (storygen evaluate, test split)", "", _metrics(json.loads(ev.read_text())), ""]
    return "\n".join(lines)


def _metrics(report: dict) -> str:
    rows = []

    def walk(prefix: str, values: dict) -> None:
        for name, value in values.items():
            if isinstance(value, dict):
                walk(f"{prefix} {name}", value)
            elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
                rows.append((f"{prefix}: {name}", f"{value:.4g}" if isinstance(value, float) else str(value)))

    for section, values in report.items():
        if isinstance(values, dict) and section != "samples":
            walk(section, values)
    text = _table(rows)
    for s in report.get("samples", {}).get("stories", []):
        p = s["prompt"]
        text += (f"\n\n### {s['title']} ({p['theme']}: {p['adjective']} {p['color']} {p['hero']}, "
                 f"unseen combination)\n\nplan: {' | '.join(', '.join(k) for k in s['plan'])}\n\n"
                 + "\n\n".join(s["scenes"]))
    return text


def write_card(folder: Path) -> Path:
    return write_text(Path(folder) / "MODEL_CARD.md", render(Path(folder)))
