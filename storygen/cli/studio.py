"""`storygen studio`: start the local web page and serve until Ctrl-C.

Thin like every command: check the options, start storygen.studio.server, print its address.
Bad input (a profile name, an --out that is a file, a port in use) is a StorygenError, which
the command's error handler (cli/app.py) turns into one line and exit code 2.
"""
from __future__ import annotations

import signal
from pathlib import Path

import click

from .. import consent
from ..errors import StorygenError
from ..io import ensure_writable_dir
from .app import command, out

@command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this machine can reach 127.0.0.1; another address "
                   "lets other devices on the network in.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("books"),
              show_default=True, help="Folder of the books: new books go here, the shelf shows them.")
@click.option("--profile", default="default", show_default=True,
              help="Consent profile whose books the studio makes and shows.")
def studio(host: str, port: int, out_dir: Path, profile: str) -> None:
    """A web page to make a story with a child: big picture buttons for the four picks, the
    book being made stage by stage, then the book itself, and a shelf of earlier books.

    \b
    Example:
      storygen studio            # then open http://127.0.0.1:8765/ in a browser
    """
    from ..studio.server import StudioServer

    consent.books_of(profile)  # refuses a bad profile name before anything starts
    try:
        granted = consent.status(profile) is not None
    except StorygenError:
        granted = False  # a damaged record: the page asks a guardian again, as for none
    ensure_writable_dir(out_dir)
    try:
        server = StudioServer(host, port, out_dir, profile)
    except OSError as exc:
        raise StorygenError(f"Cannot listen on {host}:{port}: {exc.strerror or exc};"
                            " choose another --port or --host") from None
    # SIGTERM (a service manager, `kill`) stops as cleanly as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        out.print(f"storygen studio: open [bold]{server.url}[/] in a browser (Ctrl-C stops it)",
                  highlight=False)
        if host not in ("127.0.0.1", "localhost", "::1"):
            out.print(f"[yellow]Listening on {host}: other devices on the network can open it.[/]")
        if not granted:
            out.print(f"No consent yet for profile {profile!r}: the page asks a parent or guardian first.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        out.print("Stopping…")
        try:
            job = server.shutdown_jobs(wait_s=30.0)
            if job is not None and job.state != "done":
                out.print("The book being made was dropped.")
        except KeyboardInterrupt:  # a second Ctrl-C: stop now, the half-made book stays hidden
            pass
    finally:
        server.server_close()
        signal.signal(signal.SIGTERM, previous)
    out.print("Studio stopped.")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
