"""Mood evaluation on the hand-labelled gold set data/gold/mood.jsonl (see MOOD_README.md there):
Spearman rank correlation between the estimated and the gold valence and arousal, overall and by
source (random corpus scenes vs scenes written for the set). Target: rho >= 0.6 for both."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..config import DATA_DIR
from ..errors import RecordError
from ..io import read_jsonl
from .mood import estimate_mood

GOLD = DATA_DIR / "gold" / "mood.jsonl"
TARGET = 0.6
_LEVELS = {-1.0, -0.5, 0.0, 0.5, 1.0}


def ranks(x) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank."""
    x = np.asarray(x, dtype=np.float64)
    order = np.argsort(x, kind="mergesort")
    out = np.empty(len(x))
    sorted_x = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        out[order[i:j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return out


def spearman(a, b) -> float:
    """Spearman's rho (Pearson correlation of the ranks); 0.0 when either side is constant."""
    if len(a) != len(b) or len(a) < 2:
        raise ValueError("spearman needs two sequences of the same length >= 2")
    ra, rb = ranks(a), ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denom = float(np.sqrt((ra**2).sum() * (rb**2).sum()))
    return float((ra * rb).sum() / denom) if denom else 0.0


def load_gold(path: str | Path | None = None) -> list[dict]:
    path = Path(path) if path else GOLD
    rows = []
    for where, row in read_jsonl(path):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            raise RecordError(f"{where}: needs a non-empty `text`")
        for key in ("valence", "arousal"):
            if row.get(key) not in _LEVELS:
                raise RecordError(f"{where}: `{key}` must be one of -1, -0.5, 0, 0.5, 1 (the 5-point scale / 2)")
        rows.append(row)
    if len(rows) < 3:
        raise RecordError(f"{path}: needs at least 3 labelled scenes, found {len(rows)}")
    return rows


def _scores(rows: list[dict], preds: list) -> dict:
    return {"n": len(rows),
            "valence_spearman": round(spearman([r["valence"] for r in rows], [p.valence for p in preds]), 4),
            "arousal_spearman": round(spearman([r["arousal"] for r in rows], [p.arousal for p in preds]), 4)}


def evaluate_mood(path: str | Path | None = None, backend: str = "lexicon", worst: int = 5) -> dict:
    """-> {backend, n, valence_spearman, arousal_spearman, target, passed, by_source,
    quadrant_accuracy, mean_abs_error, worst_valence, worst_arousal}."""
    rows = load_gold(path)
    preds = [estimate_mood(r["text"], backend) for r in rows]
    report = {"backend": backend, **_scores(rows, preds), "target": TARGET}
    report["passed"] = report["valence_spearman"] >= TARGET and report["arousal_spearman"] >= TARGET
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(str(r.get("id", "")).split("-")[0] or "other", []).append(i)
    report["by_source"] = {g: _scores([rows[i] for i in idx], [preds[i] for i in idx])
                           for g, idx in sorted(groups.items()) if len(idx) >= 3}
    # quadrant agreement where the gold label is not neutral on that axis
    hits = [(r["valence"] > 0) == (p.valence >= 0) for r, p in zip(rows, preds) if r["valence"] != 0]
    hits_a = [(r["arousal"] > 0) == (p.arousal > 0) for r, p in zip(rows, preds) if r["arousal"] != 0]
    report["quadrant_accuracy"] = {"valence_sign": round(sum(hits) / max(1, len(hits)), 4),
                                   "arousal_sign": round(sum(hits_a) / max(1, len(hits_a)), 4)}
    report["mean_abs_error"] = {
        k: round(float(np.mean([abs(r[k] - getattr(p, k)) for r, p in zip(rows, preds)])), 4)
        for k in ("valence", "arousal")}
    for k in ("valence", "arousal"):
        order = sorted(range(len(rows)), key=lambda i: -abs(rows[i][k] - getattr(preds[i], k)))[:worst]
        report[f"worst_{k}"] = [{"id": rows[i].get("id", str(i)), "gold": rows[i][k],
                                 "predicted": getattr(preds[i], k), "text": rows[i]["text"][:90]}
                                for i in order]
    return report
