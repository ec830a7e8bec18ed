"""The `storygen` command: thin wrappers that parse options, call the library and print with rich.

Every StorygenError is turned into one line on stderr and exit code 2, here and nowhere else.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from .console import make_console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import consent as consent_mod
from .config import VOICE_NAMES
from .config import settings as load_settings
from .errors import StorygenError
from .io import read_record, write_record
from .options import load_options
from .records import Candidates, Plan, Prompt, Story

out = make_console()
err = make_console(stderr=True)


class StorygenGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StorygenError as exc:
            err.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
            ctx.exit(2)


@click.group(cls=StorygenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storygen")
def main() -> None:
    """Make illustrated, narrated storybooks for children, offline.

    A child picks a theme, a hero, a color and an adjective (see `storygen options`);
    `storygen make` turns them into a five-scene book with pictures, narration, music and
    sound effects. Every stage is also its own command reading and writing files:

    \b
      plan -> write -> rank -> scene -> narrate -> music -> sfx -> book

    A parent or guardian grants consent once first: `storygen consent grant --guardian NAME`.
    """


def _picks(f):
    for opt in reversed([
        click.option("--theme", required=True, help="A theme, e.g. underwater (storygen options)."),
        click.option("--hero", required=True, help="A hero of that theme, e.g. mermaid."),
        click.option("--color", required=True, help="A color, e.g. teal."),
        click.option("--adj", "adjective", required=True, help="An adjective, e.g. silly."),
    ]):
        f = opt(f)
    return f


_seed = click.option("--seed", type=int, default=None, help="Random seed (default from configs/default.yaml). Same seed, same book.")
_profile = click.option("--profile", default="default", show_default=True, help="Consent profile the book belongs to.")
_voice = click.option("--voice", type=click.Choice(list(VOICE_NAMES)), default=None,
                      help="Narrator: storyteller (hibari, slow, female) or joe (piper, male);"
                           " default from configs/default.yaml.")


def _seed_or_default(seed: int | None) -> int:
    return load_settings().seed if seed is None else seed


# ------------------------------------------------------------------ options and consent


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def options(as_json: bool) -> None:
    """Show the curated choices: themes with their heroes, colors, adjectives."""
    opts = load_options()
    if as_json:
        click.echo(json.dumps(opts.to_dict(), indent=2))
        return
    table = Table(title="Themes and heroes")
    table.add_column("theme")
    table.add_column("label")
    table.add_column("heroes")
    for name, theme in opts.themes.items():
        table.add_row(name, theme.label, ", ".join(theme.heroes))
    out.print(table)
    colors = " ".join(f"[on {hexcode}]  [/] {name}" for name, hexcode in opts.colors.items())
    out.print(f"[bold]Colors:[/] {colors}")
    out.print(f"[bold]Adjectives:[/] {', '.join(opts.adjectives)}")


@main.group()
def consent() -> None:
    """Parent/guardian consent: required before any story is made."""


@consent.command("grant")
@click.option("--guardian", required=True, help="Name of the parent or guardian granting consent.")
@_profile
def consent_grant(guardian: str, profile: str) -> None:
    """Record consent (stores the guardian's name and the time, nothing about the child)."""
    rec = consent_mod.grant(guardian, profile)
    out.print(f"Consent recorded for profile [bold]{rec.profile}[/] by {rec.guardian} at {rec.granted_at}.")


@consent.command("status")
@_profile
def consent_status(profile: str) -> None:
    """Show whether consent is on record for a profile (exit 1 if not)."""
    rec = consent_mod.status(profile)
    if rec is None:
        out.print(f"No consent on record for profile [bold]{profile}[/].")
        raise SystemExit(1)
    books = consent_mod.books_of(profile)
    out.print(f"Consent for [bold]{profile}[/] granted by {rec.guardian} at {rec.granted_at}; {len(books)} book(s) stored.")


@consent.command("revoke")
@_profile
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def consent_revoke(profile: str, yes: bool) -> None:
    """Withdraw consent and delete every stored book of the profile."""
    books = consent_mod.books_of(profile)
    if not yes:
        click.confirm(f"Revoke consent for {profile!r} and delete {len(books)} book(s)?", abort=True)
    deleted = consent_mod.revoke(profile)
    out.print(f"Consent revoked for [bold]{profile}[/]; deleted {len(deleted)} book(s).")


# ------------------------------------------------------------------ make


@main.command()
@_picks
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("books"), show_default=True, help="Folder that receives one sub-folder per book.")
@_seed
@_profile
@click.option("-k", "--candidates", type=click.IntRange(1, 16), default=None, help="Candidate stories to write and rank.")
@click.option("--force", is_flag=True, help="Remake the book even if it already exists.")
@_voice
def make(theme, hero, color, adjective, out_dir, seed, profile, candidates, force, voice) -> None:
    """Make a whole storybook from four picks.

    \b
    Example:
      storygen make --theme underwater --hero mermaid --color teal --adj silly --out books/
    """
    from dataclasses import replace

    from .pipeline import STAGES, make_book

    prompt = load_options().prompt(theme, hero, color, adjective, _seed_or_default(seed), profile)
    cfg = load_settings()
    if candidates:
        cfg = replace(cfg, candidates=candidates)
    if voice:
        from .audio.voices import with_voice

        cfg = with_voice(cfg, voice)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("starting", total=len(STAGES))

        def on_stage(name: str) -> None:
            done = STAGES.index(name)
            progress.update(task, completed=done, description=f"[cyan]{name}[/]")

        book, made = make_book(prompt, out_dir, cfg, force=force, on_stage=on_stage)
        progress.update(task, completed=len(STAGES))
    if made:
        out.print(f"Made [bold]{book}[/] — open {book / 'book.html'}")
    else:
        out.print(f"[yellow]{book} already exists[/]; use --force to make it again.")


# ------------------------------------------------------------------ text stages


@main.command()
@click.option("--prompt", "prompt_path", type=click.Path(path_type=Path), help="A prompt.json to plan from (instead of the four picks).")
@click.option("--theme")
@click.option("--hero")
@click.option("--color")
@click.option("--adj", "adjective")
@_seed
@_profile
@click.option("--planner", default=None, help="Planner backend (default from configs/default.yaml).")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=Path("plan.json"), show_default=True)
def plan(prompt_path, theme, hero, color, adjective, seed, profile, planner, out_path) -> None:
    """Plan five scenes of keywords from four picks (or a prompt.json)."""
    from .story import make_plan

    if prompt_path:
        prompt = read_record(prompt_path, Prompt)
        try:
            load_options().check(prompt)
        except StorygenError as exc:  # say which file holds the refused pick
            raise type(exc)(f"{prompt_path}: {exc}") from None
    else:
        missing = [n for n, v in (("--theme", theme), ("--hero", hero), ("--color", color), ("--adj", adjective)) if not v]
        if missing:
            raise click.UsageError(f"give --prompt FILE or all four picks (missing {', '.join(missing)})")
        prompt = load_options().prompt(theme, hero, color, adjective, _seed_or_default(seed), profile)
    consent_mod.require(prompt.profile)
    result = make_plan(prompt, planner or load_settings().backends.planner)
    write_record(out_path, result)
    for i, words in enumerate(result.scenes, 1):
        out.print(f"scene {i}: {', '.join(words)}")
    out.print(f"wrote {out_path}")


@main.command()
@click.argument("plan_path", type=click.Path(path_type=Path))
@click.option("-k", "--candidates", "k", type=click.IntRange(1, 16), default=None, help="How many candidates (default 4).")
@click.option("--writer", default=None, help="Writer backend (default from configs/default.yaml).")
@_seed
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=Path("candidates.json"), show_default=True)
def write(plan_path, k, writer, seed, out_path) -> None:
    """Write K candidate stories for a plan.json."""
    from .story import check_plan, write_candidates

    p = check_plan(read_record(plan_path, Plan), where=str(plan_path))
    consent_mod.require(p.prompt.profile)
    cfg = load_settings()
    cands = write_candidates(p, k or cfg.candidates, writer or cfg.backends.writer, seed)
    write_record(out_path, cands)
    out.print(f"wrote {len(cands.candidates)} candidates to {out_path}")


@main.command()
@click.argument("candidates_path", type=click.Path(path_type=Path))
@click.option("--ranker", default=None, help="Ranker backend: heuristic (baseline) or coherence (the trained model in models/ranker).")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=Path("story.json"), show_default=True)
def rank(candidates_path, ranker, out_path) -> None:
    """Filter candidates for safety, score them, keep the best as story.json.

    The coherence ranker also weighs the story generator's likelihood of each candidate: the lm
    writer stores it in candidates.json; a candidate without it (another writer, an edited
    file) is scored now, which loads the generator once (a few seconds)."""
    from .story import check_plan, choose_story

    cfg = load_settings()
    cands = read_record(candidates_path, Candidates)
    check_plan(cands.plan, where=str(candidates_path))  # candidate texts meet the filter in ranking
    consent_mod.require(cands.plan.prompt.profile)  # ranking may write new candidates: a story is made
    story, final = choose_story(cands, ranker or cfg.backends.ranker, cfg.backends.writer, cfg.max_regenerations)
    if final is not cands:  # every candidate was refused and new ones were written: keep them
        regenerated = out_path.with_name(f"{out_path.stem}.candidates.json")
        write_record(regenerated, final)
        out.print(f"no candidate passed; wrote the regenerated candidates to {regenerated}")
    write_record(out_path, story)
    table = Table(title=f"{story.title} (ranker: {story.ranker})")
    for col in ("#", "score", "status"):
        table.add_column(col)
    for s in story.scores:
        mark = "chosen" if s.index == story.chosen else (s.rejected or "")
        table.add_row(str(s.index), f"{s.score:.3f}", mark)
    out.print(table)
    out.print(f"wrote {out_path}")


# ------------------------------------------------------------------ media stages


def _book_story(book_dir: Path) -> Story:
    from .pipeline import read_book_story  # picks, consent and the output filter, like `make`

    return read_book_story(book_dir)


_book_arg = click.argument("book_dir", type=click.Path(path_type=Path, file_okay=False))


@main.command()
@_book_arg
@click.option("--only", type=click.Choice(["graph", "layout", "render"]), help="Run one step: graph.json, layout.json, or the PNG/GIF.")
def scene(book_dir, only) -> None:
    """Compose each scene: graph.json -> layout.json -> scene.png (+ scene.gif)."""
    from .scenes.stage import run_scenes

    paths = run_scenes(_book_story(book_dir), Path(book_dir), load_settings(), only=only)
    out.print(f"wrote {len(paths)} files under {Path(book_dir) / 'scenes'}")


@main.command()
@_book_arg
@_voice
@click.option("--backend", default=None, help="A narration backend with its own voice: hibari, piper or espeak.")
def narrate(book_dir, voice, backend) -> None:
    """Read each scene aloud: audio/NN-narration.wav + word timings."""
    from .audio.narrate import overall_wpm
    from .audio.stage import run_narrate
    from .audio.voices import narration_choice

    chosen = narration_choice(load_settings(), voice, backend)  # a bad pair fails before any file
    res = run_narrate(_book_story(book_dir), Path(book_dir), *chosen)
    out.print(f"narrated {len(res)} scenes, {res[0].backend} {res[0].voice}, {overall_wpm(res):.0f} words"
              f" per minute, {sum(n.duration_s for n in res):.1f} s in all", highlight=False)


@main.command()
@_book_arg
@click.option("--backend", default=None, help="Music backend: arranged (default: leitmotif + composed library) or basic (baseline).")
def music(book_dir, backend) -> None:
    """Score each scene: audio/NN-music.mid and .wav, sized to the narration."""
    from .audio.stage import run_music

    res = run_music(_book_story(book_dir), Path(book_dir), backend or load_settings().backends.music)
    out.print(f"scored {len(res)} scenes")


@main.command()
@_book_arg
@click.option("--backend", default=None, help="Sound-effect backend: basic (baseline).")
def sfx(book_dir, backend) -> None:
    """Add sound effects for what happens in each scene: audio/NN-sfx.json and .wav."""
    from .audio.stage import run_sfx

    res = run_sfx(_book_story(book_dir), Path(book_dir), backend or load_settings().backends.sfx)
    out.print(f"placed {sum(len(c.cues) for c in res)} sound effects")


@main.command()
@_book_arg
@click.option("--backend", default=None, help="Book backend: html.")
@click.option("--pdf", is_flag=True, help="Also export book.pdf (title page + one page per scene).")
@click.option("--epub", is_flag=True, help="Also export book.epub (EPUB 3, read aloud with highlighted words).")
def book(book_dir, backend, pdf, epub) -> None:
    """Write book.html, the self-contained viewer, from a book folder (and book.pdf with --pdf,
    book.epub with --epub).

    Open book.html straight from disk in any browser: arrows or swipes turn the pages, the
    play button (or space) reads the page aloud with music and sound effects.
    """
    from .book import write_book, write_pdf

    story = _book_story(book_dir)
    accent = load_options().hex(story.prompt.color)
    if epub:
        from .epub import require_stages

        require_stages(story, Path(book_dir))  # fail before anything is written
    path = write_book(story, Path(book_dir), accent, backend or load_settings().backends.book)
    out.print(f"wrote {path}")
    if pdf:
        out.print(f"wrote {write_pdf(story, Path(book_dir), accent)}")
    if epub:
        from .epub import write_epub

        out.print(f"wrote {write_epub(story, Path(book_dir), accent)}")


# ------------------------------------------------------------------ commands from other modules
# Each stage keeps its own commands beside its code; heavy libraries (torch, spaCy) load only
# when one of these commands runs.
from .audio.cli import evaluate_mood_cmd, mix  # noqa: E402
from .batch_cli import batch  # noqa: E402
from .cli_corpus import corpus, keywords  # noqa: E402
from .lm.cli import evaluate, train  # noqa: E402
from .nlp.cli import evaluate_nlp  # noqa: E402
from .ranker_cli import evaluate_stories, train_ranker  # noqa: E402
from .scenes.cli import evaluate_layout, evaluate_pictures, evaluate_pictures_score, library  # noqa: E402
from .studio.cli import studio  # noqa: E402

train.add_command(train_ranker)
for _command in (corpus, keywords, train, evaluate, evaluate_nlp, evaluate_layout, evaluate_pictures,
                 evaluate_pictures_score, evaluate_mood_cmd, evaluate_stories, library, mix, batch, studio):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
