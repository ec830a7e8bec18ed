"""Planners: a Prompt -> a Plan (keywords for each of the five scenes).

`template` is the named baseline: keywords drawn, seeded, from per-theme word banks, and one
fixed lost-and-found outline (beats and title) around them.
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
        hero, adj = prompt.hero, prompt.adjective
        beats = (f"the {adj} {hero} at the {pick['place']}", f"the {thing} is lost",
                 f"looking for it with the {friend}", f"the {friend} has an idea",
                 f"back to the {pick['home']} with the {thing}")
        title = f"The {adj.title()} {hero.title()} and the {thing.title()}"
        return Plan(prompt=prompt, scenes=scenes, backend=self.name, seed=seed, plot="lost and found",
                    beats=beats, title=title)


# The fine-tuned planner (models/planner); torch loads only when it plans.
from .lm_backends import LMPlanner  # noqa: E402

PLANNERS.register("lm")(LMPlanner)
