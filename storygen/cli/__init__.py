"""The command line: one module per command group (main.py gathers them), one error handler (app.py).

Commands are thin: they parse options, call the library, and print; a StorygenError becomes one
line and exit code 2 in app.py, and nowhere else.
"""
from .main import main

__all__ = ["main"]
