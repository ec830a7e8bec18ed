"""`storygen options`, `make`, and the text stages `plan`, `write`, `rank`: picks to story.json.

Thin: parse the options, call the pipeline or the story stage, print with rich. Every command
that makes a story checks consent first; files are written only once the input has been read
and checked, so bad input leaves nothing behind.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import consent as consent_mod
from ..config import settings as load_settings
from ..io import read_record, write_record
from ..options import load_options
from ..records import Candidates, Plan, Prompt
from ..errors import StorygenError
from .app import command, err, out, picks_options, profile_option, seed_option, seed_or_default, voice_option


@command()
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


@command()
@picks_options
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("books"), show_default=True, help="Folder that receives one sub-folder per book.")
@seed_option
@profile_option
@click.option("-k", "--candidates", type=click.IntRange(1, 16), default=None, help="Candidate stories to write and rank.")
@click.option("--force", is_flag=True, help="Remake the book even if it already exists.")
@voice_option
def make(theme, hero, color, adjective, out_dir, seed, profile, candidates, force, voice) -> None:
    """Make a whole storybook from four picks.

    \b
    Example:
      storygen make --theme underwater --hero mermaid --color teal --adj silly --out books/
    """
    from dataclasses import replace

    from ..pipeline import STAGES, make_book

    prompt = load_options().prompt(theme, hero, color, adjective, seed_or_default(seed), profile)
    cfg = load_settings()
    if candidates:
        cfg = replace(cfg, candidates=candidates)
    if voice:
        from ..audio.voices import with_voice

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


@command()
@click.option("--prompt", "prompt_path", type=click.Path(path_type=Path), help="A prompt.json to plan from (instead of the four picks).")
@click.option("--theme")
@click.option("--hero")
@click.option("--color")
@click.option("--adj", "adjective")
@seed_option
@profile_option
@click.option("--planner", default=None, help="Planner backend (default from configs/default.yaml).")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=Path("plan.json"), show_default=True)
def plan(prompt_path, theme, hero, color, adjective, seed, profile, planner, out_path) -> None:
    """Plan five scenes of keywords from four picks (or a prompt.json)."""
    from ..story import make_plan

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
        prompt = load_options().prompt(theme, hero, color, adjective, seed_or_default(seed), profile)
    consent_mod.require(prompt.profile)
    result = make_plan(prompt, planner or load_settings().backends.planner)
    write_record(out_path, result)
    for i, words in enumerate(result.scenes, 1):
        out.print(f"scene {i}: {', '.join(words)}")
    out.print(f"wrote {out_path}")


@command()
@click.argument("plan_path", type=click.Path(path_type=Path))
@click.option("-k", "--candidates", "k", type=click.IntRange(1, 16), default=None, help="How many candidates (default 4).")
@click.option("--writer", default=None, help="Writer backend (default from configs/default.yaml).")
@seed_option
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=Path("candidates.json"), show_default=True)
def write(plan_path, k, writer, seed, out_path) -> None:
    """Write K candidate stories for a plan.json."""
    from ..story import check_plan, write_candidates

    p = check_plan(read_record(plan_path, Plan), where=str(plan_path))
    consent_mod.require(p.prompt.profile)
    cfg = load_settings()
    cands = write_candidates(p, k or cfg.candidates, writer or cfg.backends.writer, seed)
    write_record(out_path, cands)
    out.print(f"wrote {len(cands.candidates)} candidates to {out_path}")


@command()
@click.argument("candidates_path", type=click.Path(path_type=Path))
@click.option("--ranker", default=None, help="Ranker backend: heuristic (baseline) or coherence (the trained model in models/ranker).")
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=Path("story.json"), show_default=True)
def rank(candidates_path, ranker, out_path) -> None:
    """Filter candidates for safety, score them, keep the best as story.json.

    The coherence ranker also weighs the story generator's likelihood of each candidate: the lm
    writer stores it in candidates.json; a candidate without it (another writer, an edited
    file) is scored now, which loads the generator once (a few seconds)."""
    from ..story import check_plan, choose_story

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
