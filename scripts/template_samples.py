"""Print template stories to read: `python scripts/template_samples.py [--plot NAME] [-n 5] [--seed 0]
[--adj ADJ]`. Random curated picks per seed; each story as the reader gets it (title + 5 scenes).
For the people who write configs/plots/*.yaml: read what you wrote, filled with every kind of hero."""
from __future__ import annotations

import random

import click

from storygen.template.grammar import load_baselines
from storygen.options import load_options
from storygen.records import Prompt
from storygen.story import make_plan, write_candidates


@click.command()
@click.option("--plot", default=None, help="Only this plot (e.g. 'lost and found').")
@click.option("--adj", default=None, help="Only this adjective.")
@click.option("-n", default=5, show_default=True, help="How many stories.")
@click.option("--seed", default=0, show_default=True)
def main(plot, adj, n, seed):
    opts, b = load_options(), load_baselines()
    if plot and plot not in b.plots:
        raise click.BadParameter(f"choose one of {list(b.plots)}", param_hint="--plot")
    rng = random.Random(seed)
    shown, tries = 0, 0
    while shown < n and tries < 5000:
        tries += 1
        theme = rng.choice(list(opts.themes))
        prompt = Prompt(theme=theme, hero=rng.choice(opts.themes[theme].heroes), color=rng.choice(list(opts.colors)),
                        adjective=adj or rng.choice(list(opts.adjectives)), seed=rng.randrange(10**6))
        p = make_plan(prompt)
        if plot and p.plot != plot:
            continue
        cand = write_candidates(p, k=1).candidates[0]
        shown += 1
        click.echo(f"=== {prompt.theme} / {prompt.hero} / {prompt.color} / {prompt.adjective}  "
                   f"[{p.plot}, track {cand.settings['track']}, seed {prompt.seed}]")
        click.echo(cand.title)
        for i, sc in enumerate(cand.scenes, 1):
            click.echo(f"  {i}. {sc}")
        click.echo()


if __name__ == "__main__":
    main()
