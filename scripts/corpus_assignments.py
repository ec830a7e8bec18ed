"""Plan a corpus expansion: for each theme, N story assignments (hero, color, adjective, plot, place).

Why: writers given a spread to cover produce a balanced corpus (every hero, color, adjective and
plot evenly used) without repeating a (hero, adjective, color) combination that already exists.
The writer still invents the story; this only says which picks it is for.
Usage: python scripts/corpus_assignments.py --per-theme 200 --out /tmp/assign  (one JSONL per theme)
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PLOTS = ("lost and found", "helping a friend", "a contest", "a journey", "a mystery", "a celebration",
         "a misunderstanding", "weather trouble", "building something", "a new friend who is different")
# Extra places per theme, beyond configs/options.yaml, so scenes vary within a theme.
MORE_PLACES = {
    "underwater": ["sandy seabed", "sea grass meadow", "coral garden", "sunken pirate ship", "rocky shore", "bubble vent"],
    "space": ["moon base", "star cluster", "alien market", "crater", "ice moon", "space garden dome"],
    "jungle": ["banana grove", "giant fig tree", "riverbank", "bamboo thicket", "orchid hill", "rainy canopy"],
    "farm": ["chicken coop", "pumpkin field", "stable", "farmhouse kitchen", "apple tree", "haystack field"],
    "castle": ["great hall", "castle stables", "drawbridge", "market square", "library tower", "rose maze"],
    "arctic": ["snow hill", "fishing hole", "frozen waterfall", "pine forest edge", "snowy cliff", "polar station"],
    "forest": ["fern glade", "woodland pond", "fallen log", "pine grove", "foxglove hill", "rocky den"],
    "garden": ["vegetable bed", "compost heap", "strawberry patch", "garden wall", "sunflower row", "watering can"],
}


def plan(per_theme: int, seed: int = 2026) -> dict[str, list[dict]]:
    opts = yaml.safe_load((ROOT / "configs" / "options.yaml").read_text())
    used = set()
    for line in (ROOT / "data" / "corpus" / "stories.jsonl").read_text().splitlines():
        r = json.loads(line)
        used.add((r["hero"], r["adjective"], r["color"]))
    colors, adjs = list(opts["colors"]), list(opts["adjectives"])
    rng = random.Random(seed)
    out = {}
    for theme, t in opts["themes"].items():
        heroes = t["heroes"]
        places = list(t["places"]) + MORE_PLACES[theme]
        rows = []
        cc, ac = Counter(), Counter()
        for i in range(per_theme):
            hero = heroes[i % len(heroes)]
            # least-used color and adjective first, ties at random, never a used combination
            cands = [(cc[c] + ac[a], rng.random(), c, a) for c in colors for a in adjs
                     if (hero, a, c) not in used]
            _, _, color, adj = min(cands)
            used.add((hero, adj, color))
            cc[color] += 1
            ac[adj] += 1
            rows.append({"theme": theme, "hero": hero, "color": color, "adjective": adj,
                         "plot": PLOTS[(i // len(heroes)) % len(PLOTS)],
                         "place": places[(i // len(heroes) * 3 + i * 5) % len(places)]})
        # shuffle plots within each hero so no hero gets a fixed plot sequence
        rng.shuffle(rows)
        out[theme] = rows
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-theme", type=int, default=200)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for theme, rows in plan(a.per_theme).items():
        (a.out / f"{theme}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        print(theme, len(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
