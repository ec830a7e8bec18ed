"""`storygen corpus validate|stats|split` and `storygen keywords`: the in-house corpus tools.

Thin: parse options, call storygen.corpus, print with rich.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import click
from rich.table import Table

from ..corpus.stories import CORPUS_PATH, corpus_config, load_stories
from .app import command, err, group, json_option, out


_corpus_opt = click.option(
    "--corpus", "corpus_path", type=click.Path(path_type=Path), default=CORPUS_PATH,
    show_default=True, help="The corpus JSONL (one story per line).",
)


@group()
def corpus() -> None:
    """The in-house story corpus (data/corpus/stories.jsonl): validate, stats, split.

    Then `storygen keywords` turns it into the training data of the planner and the generator.
    Limits, split seed and rates live in configs/corpus.yaml.
    """


# ------------------------------------------------------------------ validate


@corpus.command("validate")
@_corpus_opt
@json_option
@click.option("--show-repeats", is_flag=True, help="Also list sentences shared between stories when under the limit.")
@click.option("--no-safety", is_flag=True,
              help="Skip the child-safety check (the slow part, ~0.3 s a story) while editing; never for the final check.")
def validate_cmd(corpus_path: Path, as_json: bool, show_repeats: bool, no_safety: bool) -> None:
    """Check every story and the corpus as a whole; list each problem.

    \b
    Per story: schema, exactly 5 scenes of 2-4 sentences and 25-70 words, theme/hero/color/
    adjective from configs/options.yaml, hero + color + adjective in the text, the given name
    used, no word from the child-safety lists (storygen.safety).
    Across stories: unique ids and (hero, adjective, color); no near-duplicates (word 3-gram
    Jaccard < 0.5); sentences repeated across stories once option words and names are blanked
    stay under 2% of all sentences. (Limits: configs/corpus.yaml, validate.)

    \b
    Exit status: 0 no problems; 1 problems found (each listed: story, check, where, what);
    2 the corpus or a config cannot be read at all.
    """
    from ..corpus.validate import repeated_warnings, validate_file

    with err.status(f"validating {corpus_path}"):
        report = validate_file(corpus_path, flagged=(lambda text: []) if no_safety else None)
    if no_safety:
        err.print("[yellow]child-safety check skipped (--no-safety)[/]")
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        if report.problems:
            table = Table(title=f"{len(report.problems)} problem(s) in {corpus_path}")
            for col in ("story", "check", "where", "problem"):
                table.add_column(col, overflow="fold")
            for p in report.problems:
                table.add_row(p.story, p.check, p.where, p.message)
            out.print(table)
        if show_repeats:
            for sentence, places in repeated_warnings(list(report.stories)).items():
                out.print(f"repeated: {sentence!r} in {'; '.join(places)}", highlight=False)
        pair = f" ({' / '.join(report.max_jaccard_pair)})" if report.max_jaccard_pair else ""
        status = "[green]OK[/]" if report.ok else f"[red]{len(report.problems)} problem(s)[/]"
        out.print(f"{len(report.stories)} stories: {status}; repeated sentences {report.repeated_rate:.2%};"
                  f" highest 3-gram Jaccard {report.max_jaccard:.3f}{pair}", highlight=False)
    if not report.ok:
        raise SystemExit(1)


# ------------------------------------------------------------------ stats


def _counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column(title.split()[-1])
    table.add_column("stories", justify="right")
    for key, n in counts.items():
        table.add_row(key, str(n))
    return table


@corpus.command("stats")
@_corpus_opt
@json_option
def stats_cmd(corpus_path: Path, as_json: bool) -> None:
    """Counts per theme/hero/color/adjective, length distributions, vocabulary, characters."""
    from rich.columns import Columns

    from ..corpus.stats import corpus_stats

    data = corpus_stats(load_stories(corpus_path))
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    out.print(f"[bold]{data['stories']}[/] stories, {data['scenes']} scenes, {data['sentences']} sentences,"
              f" {data['words']} words, vocabulary {data['vocabulary']} (lowercased word types),"
              f" {data['named_heroes']} heroes with a given name")
    themes = Table(title="Per theme")
    for col in ("theme", "stories", "secondary characters", "most frequent (stories)"):
        themes.add_column(col, justify="right" if col == "stories" else "left", overflow="fold")
    for theme, n in data["per_theme"].items():
        chars = data["secondary_characters"].get(theme, {"distinct": 0, "top": []})
        themes.add_row(theme, str(n), str(chars["distinct"]), ", ".join(chars["top"]))
    out.print(themes)
    lengths = Table(title="Lengths")
    for col in ("", "min", "p10", "median", "mean", "p90", "max"):
        lengths.add_column(col, justify="right")
    for key in ("words_per_scene", "sentences_per_scene", "words_per_story"):
        d = data[key]
        lengths.add_row(key.replace("_", " "), *(str(d[k]) for k in ("min", "p10", "median", "mean", "p90", "max")))
    out.print(lengths)
    out.print("sentences per scene: " + ", ".join(f"{k}: {v}" for k, v in data["sentences_per_scene_counts"].items()))
    out.print(Columns([_counts_table("Per hero", data["per_hero"]), _counts_table("Per color", data["per_color"]),
                       _counts_table("Per adjective", data["per_adjective"])]))
    missing = {k: v for k, v in data["missing_picks"].items() if v}
    for kind, names in missing.items():
        out.print(f"[yellow]no story yet for {kind}:[/] {', '.join(names)}")


# ------------------------------------------------------------------ split


@corpus.command("split")
@_corpus_opt
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path), default=None,
              help="Where to write the split (default data/corpus/splits.json).")
@click.option("--seed", type=int, default=None, help="Override the seed in configs/corpus.yaml.")
def split_cmd(corpus_path: Path, out_path: Path | None, seed: int | None) -> None:
    """Split the stories into train/val/test (deterministic: same corpus + seed, same bytes).

    Test holds >= test_rate (configs/corpus.yaml: 12%) of every theme, including every story of a few
    held-out (hero, adjective) pairs, and no (hero, adjective, color) that train has.
    """
    from dataclasses import replace

    from ..corpus.split import SPLITS_PATH, split_stories, write_splits

    cfg = corpus_config().split
    if seed is not None:
        cfg = replace(cfg, seed=seed)
    stories = load_stories(corpus_path)
    splits = split_stories(stories, cfg)
    path = write_splits(splits, out_path or SPLITS_PATH)
    table = Table(title=f"Split (seed {cfg.seed})")
    for col in ("theme", "train", "val", "test"):
        table.add_column(col, justify="right")
    theme_of = {s.id: s.theme for s in stories}
    for theme in sorted({s.theme for s in stories}):
        counts = (sum(1 for i in getattr(splits, n) if theme_of[i] == theme) for n in ("train", "val", "test"))
        table.add_row(theme, *(str(n) for n in counts))
    table.add_row("all", str(len(splits.train)), str(len(splits.val)), str(len(splits.test)))
    out.print(table)
    out.print("held-out (hero, adjective) pairs: " + ", ".join(f"{h}+{a}" for h, a in splits.heldout_pairs))
    out.print(f"wrote {path}")


# ------------------------------------------------------------------ keywords


@command("keywords")
@_corpus_opt
@click.option("--splits", "splits_path", type=click.Path(path_type=Path), default=None,
              help="The split to follow (default data/corpus/splits.json, from `storygen corpus split`).")
@click.option("-o", "--out-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder for the JSONL files (default data/corpus/keywords).")
def keywords(corpus_path: Path, splits_path: Path | None, out_dir: Path | None) -> None:
    """Extract 1-5 keywords per sentence with spaCy: the generator's and the planner's training data.

    \b
    Writes, per split:
      {train,val,test}.jsonl          story -> scenes -> sentences -> keywords
      planner-{train,val,test}.jsonl  the four picks -> each scene's keywords, randomly
                                      downsampled (rate and seed in configs/corpus.yaml)
    """
    from ..corpus.keywords import KEYWORDS_DIR, keyword_stories, load_nlp, write_keyword_corpus
    from ..corpus.split import SPLITS_PATH, load_splits

    cfg = corpus_config().keywords
    stories = load_stories(corpus_path)
    splits = load_splits(stories, splits_path or SPLITS_PATH)
    start = time.perf_counter()
    nlp = load_nlp()
    loaded = time.perf_counter()
    kstories = keyword_stories(stories, splits, cfg, nlp)
    paths = write_keyword_corpus(kstories, cfg, out_dir or KEYWORDS_DIR)
    done = time.perf_counter()
    n_sent = sum(len(sc) for k in kstories for sc in k.scenes)
    out.print(f"{len(kstories)} stories, {n_sent} sentences: spaCy load {loaded - start:.1f} s,"
              f" extraction {done - loaded:.1f} s")
    for path in paths:
        out.print(f"wrote {path}")
