"""The one way storygen makes a rich Console (a leaf: imports no stage).

Why: rich wraps text and squeezes tables to the terminal's width, or to COLUMNS / 80 columns when
output is not a terminal, so a long path would be broken mid-word and a captured log would depend
on whoever ran it. Messages are never wrapped (soft_wrap), and output that is not a terminal
(a pipe, a file, CI, click's CliRunner) gets one fixed width.
"""
from __future__ import annotations

import sys

from rich.console import Console

PIPE_WIDTH = 120


def make_console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None if _is_terminal(stream) else PIPE_WIDTH
    return Console(stderr=stderr, soft_wrap=True, width=width)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
