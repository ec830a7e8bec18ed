"""Output does not depend on the terminal's width: nothing is wrapped when stdout is not a terminal."""
import io
import sys

from storygen.console import PIPE_WIDTH, make_console


def test_long_message_is_not_wrapped_in_a_narrow_pipe(monkeypatch):
    monkeypatch.setenv("COLUMNS", "20")
    buf = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buf)
    path = "/tmp/" + "x" * 90 + "/underwater-mermaid-teal-silly-seed7"
    make_console().print(f"{path} already exists; use --force to make it again.")
    assert buf.getvalue() == f"{path} already exists; use --force to make it again.\n"


def test_tables_get_a_fixed_width_when_not_a_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "20")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert make_console().width == PIPE_WIDTH
