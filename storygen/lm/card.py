"""MODEL_CARD.md of a trained adapter, rendered from training.json (+ evaluation.json if present)."""
from __future__ import annotations

import json
from pathlib import Path

from ..io import write_text
from .train import ADAPTER_FILE, TRAINING_FILE

EVAL_FILE = "evaluation.json"

_PURPOSE = {
    "planner": "Four picks (theme, hero, color, adjective) -> 2-5 keywords for each of the five "
               "scenes of a story (`storygen plan`, planner backend `lm`).",
    "generator": "Prompt + plan -> five scenes and a title (`storygen write`, writer backend `lm`).",
}
_FORMAT = {
    "planner": "`theme: T | hero: H | color: C | adjective: A\\nplan:` -> "
               "` 1: kw, kw | 2: ... | 5: ...<eos>`; loss on the plan only. Targets are the "
               "keyword corpus' planner examples (data/corpus/keywords/planner-*.jsonl) fitted to "
               "`plan_size` keywords a scene: the most salient kept (the keyword extractor ranks the "
               "hero, then nouns, then verbs and adjectives), borrowed from the scene's full keyword "
               "list when too few, the hero first in scene 1. vocabulary.json holds the training "
               "keywords by theme.",
    "generator": "`theme: ... | adjective: A\\n` then per scene `i (kw, kw): <text>\\n`, then "
                 "`title: <title><eos>`; one sequence per story (~320 tokens), loss on scene texts "
                 "and title only. Scene markers list a fresh seeded subset of 2-5 of the scene's "
                 "keywords every epoch (the hero always kept when the scene names it), so the model "
                 "learns to use whatever plan it gets rather than memorise one.",
}
_WHY = {
    "planner": "Short sequences: 40 steps an epoch take a few minutes, 3 epochs fit the ~10 min "
               "budget on 2 shared cores. 2-4 salient keywords (rather than up to 5 random ones) "
               "give the writer plans it can follow and the illustrator nouns it can draw.",
    "generator": "2 shared CPU cores: a full-depth r=16 LoRA step over 8 stories took 45-60 s here "
                 "(others training too); adapting only the top 12 of 30 layers stops the backward "
                 "pass at layer 18 and roughly halves that, which buys 3 epochs inside ~45 min. "
                 "Logits are computed only at learned positions. The per-scene markers keep the "
                 "plan next to the text it controls, which is what makes decoding one scene at a "
                 "time, and re-decoding it, possible.",
}
_DECODING = {
    "planner": "4 plans sampled in one batch (hf-int8 engine); the first valid one is used: exactly "
               "5 scenes, invented words dropped (only training keywords, off-theme ones only when a "
               "scene would be too short), a keyword already used by an earlier scene dropped when "
               "the scene keeps 2, the hero first in scene 1, then the safety filter. Up to 3 "
               "rounds, then the template plan (backend `lm-fallback-template`).",
    "generator": "Scene by scene, all K candidates in one batch (left padding), after scene 1 and "
                 "the previous scene. Every decode is keyword-guided (storygen/lm/guide.py: the "
                 "first token of each plan keyword not yet written gets a bonus that grows with "
                 "every token, a begun keyword is finished, the scene cannot end while one is "
                 "missing; given up after 3 tries). Each scene is checked: every plan keyword as a "
                 "word, the hero named (scene 1: its noun), a finished sentence, no 4-gram from "
                 "another scene, no word the output filter flags; failing ones get one more round "
                 "of 2 samples; the best attempt is kept. Block-listed words and their inflections "
                 "are banned token sequences (storygen/lm/banned.py), so the filter rarely has "
                 "anything to reject. no_repeat_ngram_size 4, temperature 0.7, top-p 0.92, seeded; "
                 "the Linear layers run as dynamic int8 (3x fp32 speed).",
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
        "from runs/). Inference settings: the `decode:` section of the same file.", "",
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
