"""`storygen evaluate layout` (settings section): read the place, light and weather of every
scene of the hand-written gold books (data/gold/settings.jsonl) with the book's carry-over
(setting.book.read_book) and count how many match what a reader expects to see drawn.

A gold line: {"id", "theme", "note"?, "scenes": [text, ...], "expect": [{"variant", "light",
"weather": [...]}, ...]} with one expectation per scene; weather is compared as a set.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...config import DATA_DIR
from ...errors import RecordError
from ..backgrounds.library import LIGHTS, load_backgrounds
from ..setting.book import read_book
from ..setting.sky import KINDS

GOLD = DATA_DIR / "gold" / "settings.jsonl"
TARGET = 0.90  # each of place, light and weather
_KEYS, _EXPECT = {"id", "theme", "note", "scenes", "expect"}, {"variant", "light", "weather"}


def load_gold(path: str | Path | None = None) -> list[dict[str, Any]]:
    path = Path(path or GOLD)
    if not path.is_file():
        raise RecordError(f"{path} does not exist; give a settings.jsonl gold file")
    lib = load_backgrounds()
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(f"{where}: not JSON ({exc.msg})") from None
        if set(row) - _KEYS or not {"id", "theme", "scenes", "expect"} <= set(row):
            raise RecordError(f"{where}: keys must be {', '.join(sorted(_KEYS))} (note optional)")
        if row["theme"] not in lib.themes or len(row["scenes"]) != len(row["expect"]):
            raise RecordError(f"{where}: unknown theme or not one expectation per scene")
        for e in row["expect"]:
            if set(e) != _EXPECT or e["light"] not in LIGHTS or set(e["weather"]) - set(KINDS):
                raise RecordError(f"{where}: bad expectation {e!r}")
            lib.variant(row["theme"], e["variant"])
        cases.append(row)
    return cases


def evaluate_settings(path: str | Path | None = None) -> dict[str, Any]:
    cases = load_gold(path)
    hits = {"variant": 0, "light": 0, "weather": 0, "all": 0}
    failures, scenes = [], 0
    for row in cases:
        for k, (got, want) in enumerate(zip(read_book(row["theme"], row["scenes"]), row["expect"]), 1):
            scenes += 1
            ok = {"variant": got.variant == want["variant"], "light": got.light == want["light"],
                  "weather": set(got.weather) == set(want["weather"])}
            for key, good in ok.items():
                hits[key] += good
            hits["all"] += all(ok.values())
            if not all(ok.values()):
                failures.append({"id": f"{row['id']}.{k}", "text": row["scenes"][k - 1],
                                 "expected": f"{want['variant']}/{want['light']}/{'+'.join(sorted(want['weather']))}",
                                 "got": f"{got.variant}/{got.light}/{'+'.join(sorted(got.weather))}"})
    pct = {k: round(100 * v / scenes, 1) if scenes else 100.0 for k, v in hits.items()}
    return {"books": len(cases), "scenes": scenes, "correct": hits, "pct": pct,
            "passed": all(pct[k] >= 100 * TARGET for k in ("variant", "light", "weather")),
            "failures": failures}
