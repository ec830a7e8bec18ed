"""Writers: a Plan -> K candidate stories.

`template` is the named baseline: the plan's plot told from configs/baselines.yaml and
configs/plots/ with the plan's keywords; each candidate tells one of the plot's tracks with one
of the setups and one of the adjective's turns, chosen by its own seed, so the K candidates
differ while each one holds together.
"""
from __future__ import annotations

import random

from ..records import Candidate, Candidates, Plan
from .grammar import draw, fill, fix_articles, load_baselines, tell, title_case, tracks, with_places

class TemplateWriter:
    name = "template"

    def write(self, plan: Plan, k: int, seed: int) -> Candidates:
        b = load_baselines()
        drawn_plot, slots = draw(plan.prompt, plan.seed)
        plot_name = plan.plot if plan.plot in b.plots else drawn_plot
        plot = b.plots[plot_name]
        specs = (b.setup, *plot.scenes)
        if plan.backend.endswith("template") and plot_name == plan.plot:
            # The keywords stand in their roles' order, so a hand-edited plan changes the story.
            for spec, words in zip(specs, plan.scenes):
                roles = [r for r in dict.fromkeys(spec.roles)]
                slots.update({r: w for r, w in zip(roles, words) if r not in ("hero",)})
            slots = with_places(slots, b.themes[plan.prompt.theme])
        out = []
        for i in range(k):
            cseed = seed * 1000 + i
            rng = random.Random(f"write:{cseed}")
            track, setup = rng.randrange(64), rng.choice(b.setup.variants)
            turn = rng.randrange(64)
            scenes = [" ".join(fill(s, slots) for s in setup)]
            scenes += [" ".join(fill(s, slots) for s in patterns)
                       for patterns in tell(plot, plan.prompt.adjective, track, turn)]
            title = plan.title or title_case(fill(plot.titles[track % len(plot.titles)], slots))
            out.append(Candidate(scenes=tuple(fix_articles(s) for s in scenes), seed=cseed,
                                 backend=self.name, title=title,
                                 settings={"patterns": "configs/baselines.yaml", "plot": plot_name,
                                           "track": track % tracks(plot), "turn": turn}))
        return Candidates(plan=plan, candidates=tuple(out))
