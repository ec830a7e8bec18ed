"""A blind reading sheet: the learned writer's, the template's and a human story for the same picks,
shuffled under anonymous ids, for a person (or a helper) to judge; the key in a separate file.

Why: no automatic measure decides whether a story is fit to read to a five-year-old (DESIGN.md,
"How story quality is judged"); a reader who does not know which story is which does.
"""
from __future__ import annotations

import json
import random
from typing import Sequence

QUESTIONS = (
    "beginning, problem and ending (y/n)",
    "anything contradicts itself or makes no sense (y/n; say what)",
    "every word a real word (y/n)",
    "fit to read to a five-year-old tonight, as it is (y/n)",
)


def build_sheet(groups: Sequence[dict], seed: int = 0) -> tuple[str, dict]:
    """groups: [{"picks": (theme, hero, color, adjective), "stories": {system: (title, scenes)}}].
    Returns (markdown sheet, key) where key maps each anonymous id to its system and picks."""
    rng = random.Random(f"sheet:{seed}")
    lines = ["# Blind reading sheet", "",
             "Each group holds stories written for the same four picks (theme, hero, color, adjective),",
             "in an order that says nothing. Read every story in full. For each story answer:", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(QUESTIONS, 1)]
    lines += ["", "For each group, also say which story you would rather read to the child, and which least.", ""]
    key: dict = {"seed": seed, "stories": {}}
    for g_i, group in enumerate(groups, 1):
        theme, hero, color, adj = group["picks"]
        systems = sorted(group["stories"])
        rng.shuffle(systems)
        lines += ["---", "", f"## Group {g_i}: {theme} · {hero} · {color} · {adj}", ""]
        for letter, system in zip("ABCDEFG", systems):
            sid = f"{g_i}{letter}"
            title, scenes = group["stories"][system]
            key["stories"][sid] = {"system": system, "picks": list(group["picks"])}
            lines += [f"### Story {sid}: {title}", ""]
            lines += [f"{n}. {text}" for n, text in enumerate(scenes, 1)]
            lines += ["", "Answers: 1. __  2. __  3. __  4. __", ""]
        lines += [f"Group {g_i}: rather read __ ; least __", ""]
    return "\n".join(lines), key


def score_answers(key: dict, answers: dict) -> dict:
    """Tally a reader's answers ({id: {"arc": bool, "contradiction": bool, "words": bool, "fit": bool},
    "prefer": {group: [best id, worst id]}}) by system."""
    out: dict = {}
    for sid, meta in key["stories"].items():
        a = answers.get(sid)
        if not a:
            continue
        s = out.setdefault(meta["system"], {"read": 0, "arc": 0, "no_contradiction": 0, "real_words": 0, "fit": 0})
        s["read"] += 1
        s["arc"] += bool(a.get("arc"))
        s["no_contradiction"] += not a.get("contradiction")
        s["real_words"] += bool(a.get("words"))
        s["fit"] += bool(a.get("fit"))
    # "prefer": {group: [best id, worst id]}: lm beats template unless template is best or lm worst
    wins = total = 0
    for group, ids in answers.get("prefer", {}).items():
        systems = [key["stories"][i]["system"] for i in ids if i in key["stories"]]
        if len(systems) != 2 or not {"lm", "template"} <= set(key_systems(key, group)):
            continue
        total += 1
        best, worst = systems
        wins += best == "lm" or (best != "template" and worst == "template")
    out["lm_preferred_to_template"] = {"groups": total, "lm": wins}
    return out


def key_systems(key: dict, group: str) -> list[str]:
    return [m["system"] for sid, m in key["stories"].items() if sid.rstrip("ABCDEFG") == str(group)]


def dumps_key(key: dict) -> str:
    return json.dumps(key, indent=1) + "\n"
