"""The `storygen` command: the top group and the command groups it gathers, one module each.

story.py (options, make, plan, write, rank), consent.py, stages.py (scene, narrate, music, sfx,
mix, book), corpus.py (corpus, keywords), train.py, evaluate.py (+ evaluate_scenes.py),
library.py, batch.py, studio.py; app.py holds the one error handler and the shared options.
Heavy libraries (torch, spaCy) load only inside the command that needs them.
"""
from __future__ import annotations

import click

from .app import group
from .batch import batch
from .consent import consent
from .corpus import corpus, keywords
from .evaluate import evaluate
from .library import library
from .stages import book, mix, music, narrate, scene, sfx
from .story import make, options, plan, rank, write
from .studio import studio
from .train import train


@group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storygen")
def main() -> None:
    """Make illustrated, narrated storybooks for children, offline.

    A child picks a theme, a hero, a color and an adjective (see `storygen options`);
    `storygen make` turns them into a five-scene book with pictures, narration, music and
    sound effects. Every stage is also its own command reading and writing files:

    \b
      plan -> write -> rank -> scene -> narrate -> music -> sfx -> book

    A parent or guardian grants consent once first: `storygen consent grant --guardian NAME`.
    Measurements are under `storygen evaluate`, training under `storygen train`.
    """


for _command in (options, consent, make, plan, write, rank, scene, narrate, music, sfx, mix, book,
                 corpus, keywords, train, evaluate, library, batch, studio):
    main.add_command(_command)
