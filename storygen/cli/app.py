"""What every storygen command shares: the one error handler, the consoles, the common options.

The handler is the only place that decides an exit code: a StorygenError (bad input, a missing
model, no consent) is one line on stderr and exit 2; anything else is a short message and exit 1
(STORYGEN_DEBUG=1 shows the traceback). Every group and command of the package is made with
these classes, so a command run on its own (a test's CliRunner, `python -m`) behaves the same.
Messages are soft-wrapped and output that is not a terminal has one fixed width (console.py), so
nothing a command prints depends on the terminal it ran in.
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..config import VOICE_NAMES
from ..config import settings as load_settings
from ..console import make_console
from ..errors import StorygenError

out = make_console()
err = make_console(stderr=True)
DEBUG_ENV = "STORYGEN_DEBUG"


def _invoke_with_clean_errors(invoke, ctx: click.Context):
    try:
        return invoke(ctx)
    except StorygenError as exc:
        err.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
        ctx.exit(2)
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except Exception as exc:  # a bug, not bad input: say so briefly, never a wall of traceback
        if os.environ.get(DEBUG_ENV):
            raise
        err.print(f"[bold red]Error:[/] unexpected {type(exc).__name__}: {exc} (this is a bug in storygen;"
                  f" run again with {DEBUG_ENV}=1 to see where)", highlight=False, soft_wrap=True)
        ctx.exit(1)


class StorygenCommand(click.Command):
    def invoke(self, ctx: click.Context):
        return _invoke_with_clean_errors(super().invoke, ctx)


class StorygenGroup(click.Group):
    command_class = StorygenCommand
    group_class = type  # subgroups are StorygenGroups too

    def invoke(self, ctx: click.Context):
        return _invoke_with_clean_errors(super().invoke, ctx)


def command(*args, **kwargs):
    """click.command with the storygen error handler."""
    return click.command(*args, cls=StorygenCommand, **kwargs)


def group(*args, **kwargs):
    """click.group with the storygen error handler."""
    return click.group(*args, cls=StorygenGroup, **kwargs)


def picks_options(f):
    for opt in reversed([
        click.option("--theme", required=True, help="A theme, e.g. underwater (storygen options)."),
        click.option("--hero", required=True, help="A hero of that theme, e.g. mermaid."),
        click.option("--color", required=True, help="A color, e.g. teal."),
        click.option("--adj", "adjective", required=True, help="An adjective, e.g. silly."),
    ]):
        f = opt(f)
    return f


seed_option = click.option("--seed", type=int, default=None,
                           help="Random seed (default from configs/default.yaml). Same seed, same book.")
profile_option = click.option("--profile", default="default", show_default=True,
                              help="Consent profile the book belongs to.")
voice_option = click.option("--voice", type=click.Choice(list(VOICE_NAMES)), default=None,
                            help="Narrator: storyteller (hibari, slow, female) or joe (piper, male);"
                                 " default from configs/default.yaml.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
book_arg = click.argument("book_dir", type=click.Path(path_type=Path, file_okay=False))


def seed_or_default(seed: int | None) -> int:
    return load_settings().seed if seed is None else seed


def book_story(book_dir: Path):
    """The book's story.json, checked like `make` checks it: picks, consent, the output filter."""
    from ..pipeline import read_book_story

    return read_book_story(book_dir)
