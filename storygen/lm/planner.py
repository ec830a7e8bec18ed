"""Planners: a Prompt -> a Plan (keywords for each of the five scenes).

`template` is the named baseline: keywords drawn, seeded, from per-theme word banks.
"""
from __future__ import annotations

import random

from ..options import load_options
from ..records import Plan, Prompt
from ..registry import Registry
from .baseline import load_baselines

PLANNERS: Registry = Registry("planner")


@PLANNERS.register("template")
class TemplatePlanner:
    name = "template"

    def plan(self, prompt: Prompt, seed: int) -> Plan:
        bank = load_baselines().themes[prompt.theme]
        places = load_options().themes[prompt.theme].places
        rng = random.Random(f"plan:{seed}")
        friends = [f for f in bank.friends if f != prompt.hero]
        friend = rng.choice(friends)
        thing = rng.choice(bank.things)
        pick = {
            "hero": prompt.hero,
            "place": rng.choice(places),
            "thing": thing,
            "friend": friend,
            "idea": "idea",
            "home": bank.home,
        }
        scenes = tuple(
            tuple(dict.fromkeys(pick[r] for r in spec.roles)) for spec in load_baselines().scenes
        )
        return Plan(prompt=prompt, scenes=scenes, backend=self.name, seed=seed)


# The fine-tuned planner (models/planner); torch loads only when it plans.
from .lm_backends import LMPlanner  # noqa: E402

PLANNERS.register("lm")(LMPlanner)
