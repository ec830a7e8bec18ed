"""Writers: a Plan -> K candidate stories.

`template` is the named baseline: grammatical sentences from per-scene patterns that use the
plan's keywords; each candidate picks its patterns with its own seed.
"""
from __future__ import annotations

import random

from ..records import Candidate, Candidates, Plan
from ..registry import Registry
from .baseline import load_baselines

WRITERS: Registry = Registry("writer")


def _fill(pattern: str, slots: dict[str, str]) -> str:
    caps = {k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in slots.items()}
    text = pattern.format(**slots, **caps)
    # "a idea" -> "an idea": patterns are written for consonants, keywords may start with a vowel
    for vowel in "aeiou":
        text = text.replace(f" a {vowel}", f" an {vowel}").replace(f"A {vowel}", f"An {vowel}")
    return text


@WRITERS.register("template")
class TemplateWriter:
    name = "template"

    def write(self, plan: Plan, k: int, seed: int) -> Candidates:
        specs = load_baselines().scenes
        p = plan.prompt
        # Roles come from the plan's keywords, so a hand-edited plan changes the story.
        slots = {"hero": p.hero, "adj": p.adjective, "color": p.color}
        for spec, words in zip(specs, plan.scenes):
            for role, word in zip(spec.roles, words):
                slots.setdefault(role, word)
        slots.setdefault("idea", "idea")
        out = []
        for i in range(k):
            cseed = seed * 1000 + i
            rng = random.Random(f"write:{cseed}")
            scenes = tuple(
                " ".join(_fill(s, slots) for s in rng.choice(spec.patterns)) for spec in specs
            )
            title = _fill(f"The {{Adj}} {{Hero}} and the {rng.choice(['Lost', 'Shiny', 'Big'])} {{Thing}}", slots)
            out.append(Candidate(scenes=scenes, seed=cseed, backend=self.name,
                                 settings={"patterns": "configs/baselines.yaml"}, title=title))
        return Candidates(plan=plan, candidates=tuple(out))


# The fine-tuned generator (models/generator); torch loads only when it writes.
from .lm_backends import LMWriter  # noqa: E402

WRITERS.register("lm")(LMWriter)
