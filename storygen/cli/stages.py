"""The media stages, each rerunnable alone on a book folder: `scene`, `narrate`, `music`, `sfx`, `book`.

Each reads the book's story.json as `make` does (picks, consent, the output filter) and writes
only its own files; heavy libraries load only when the command runs.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..config import settings as load_settings
from ..options import load_options
from .app import book_arg, book_story, command, out, voice_option


@command()
@book_arg
@click.option("--only", type=click.Choice(["graph", "layout", "render"]), help="Run one step: graph.json, layout.json, or the PNG/GIF.")
def scene(book_dir, only) -> None:
    """Compose each scene: graph.json -> layout.json -> scene.png (+ scene.gif)."""
    from ..scenes.stage import run_scenes

    paths = run_scenes(book_story(book_dir), Path(book_dir), load_settings(), only=only)
    out.print(f"wrote {len(paths)} files under {Path(book_dir) / 'scenes'}")


@command()
@book_arg
@voice_option
@click.option("--backend", default=None, help="A narration backend with its own voice: hibari, piper or espeak.")
def narrate(book_dir, voice, backend) -> None:
    """Read each scene aloud: audio/NN-narration.wav + word timings."""
    from ..audio.narrate import overall_wpm
    from ..audio.stage import run_narrate
    from ..audio.voices import narration_choice

    chosen = narration_choice(load_settings(), voice, backend)  # a bad pair fails before any file
    res = run_narrate(book_story(book_dir), Path(book_dir), *chosen)
    out.print(f"narrated {len(res)} scenes, {res[0].backend} {res[0].voice}, {overall_wpm(res):.0f} words"
              f" per minute, {sum(n.duration_s for n in res):.1f} s in all", highlight=False)


@command()
@book_arg
@click.option("--backend", default=None, help="Music backend: arranged (default: leitmotif + composed library) or basic (baseline).")
def music(book_dir, backend) -> None:
    """Score each scene: audio/NN-music.mid and .wav, sized to the narration."""
    from ..audio.stage import run_music

    res = run_music(book_story(book_dir), Path(book_dir), backend or load_settings().backends.music)
    out.print(f"scored {len(res)} scenes")


@command()
@book_arg
@click.option("--backend", default=None, help="Sound-effect backend: basic (baseline).")
def sfx(book_dir, backend) -> None:
    """Add sound effects for what happens in each scene: audio/NN-sfx.json and .wav."""
    from ..audio.stage import run_sfx

    res = run_sfx(book_story(book_dir), Path(book_dir), backend or load_settings().backends.sfx)
    out.print(f"placed {sum(len(c.cues) for c in res)} sound effects")


@command()
@book_arg
@click.option("--backend", default=None, help="Book backend: html.")
@click.option("--pdf", is_flag=True, help="Also export book.pdf (title page + one page per scene).")
@click.option("--epub", is_flag=True, help="Also export book.epub (EPUB 3, read aloud with highlighted words).")
def book(book_dir, backend, pdf, epub) -> None:
    """Write book.html, the self-contained viewer, from a book folder (and book.pdf with --pdf,
    book.epub with --epub).

    Open book.html straight from disk in any browser: arrows or swipes turn the pages, the
    play button (or space) reads the page aloud with music and sound effects.
    """
    from ..book import write_book, write_pdf

    story = book_story(book_dir)
    accent = load_options().hex(story.prompt.color)
    if epub:
        from ..epub import require_stages

        require_stages(story, Path(book_dir))  # fail before anything is written
    path = write_book(story, Path(book_dir), accent, backend or load_settings().backends.book)
    out.print(f"wrote {path}")
    if pdf:
        out.print(f"wrote {write_pdf(story, Path(book_dir), accent)}")
    if epub:
        from ..epub import write_epub

        out.print(f"wrote {write_epub(story, Path(book_dir), accent)}")


@command("mix")
@book_arg
def mix(book_dir) -> None:
    """Mix each scene: audio/NN-mix.wav = narration + ducked music + sound effects."""
    from ..audio.stage import run_mix

    paths = run_mix(book_story(book_dir), Path(book_dir))
    out.print(f"mixed {len(paths)} scenes")
