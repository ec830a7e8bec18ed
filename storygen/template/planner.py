"""Planners: a Prompt -> a Plan (plot kind, and per scene a beat and keywords).

`template` is the named baseline: one of the corpus's plot kinds drawn by seed from
configs/baselines.yaml, its cast and things drawn from the theme's word banks, and the plot's
beats and title filled with them.
"""
from __future__ import annotations

from ..records import Plan, Prompt
from .grammar import draw, fill, load_baselines, title_case

class TemplatePlanner:
    name = "template"

    def plan(self, prompt: Prompt, seed: int) -> Plan:
        b = load_baselines()
        plot_name, slots = draw(prompt, seed)
        plot = b.plots[plot_name]
        scenes = tuple(tuple(dict.fromkeys(slots[r] for r in spec.roles))
                       for spec in (b.setup, *plot.scenes))
        beats = tuple(fill(beat, slots) for beat in plot.beats)
        title = title_case(fill(plot.titles[seed % len(plot.titles)], slots))
        return Plan(prompt=prompt, scenes=scenes, backend=self.name, seed=seed, plot=plot_name,
                    beats=beats, title=title)

