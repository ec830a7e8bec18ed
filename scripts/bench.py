"""`make bench`: how fast is a book? Writes bench/results.json and prints a table.

N books with fixed picks and seeds are made with whatever backends configs/default.yaml selects,
into a throw-away folder with a throw-away consent store. Reported: per-stage and whole-book
median / p90 seconds, the first (cold: imports + model loads) book, generated tokens/s, peak RSS,
books/hour. The last results.json is kept as previous.json beside the new one and compared, so a
regression shows. DESIGN.md "Budgets" sets the targets checked here.

    python scripts/bench.py [--books 5] [--workers 1] [--engine local|ray] [--out bench]
                            [--backend KIND=NAME ...] [--against FILE] [--fail-on-regression]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional

KIND = "bench_results"
SCHEMA_VERSION = 1
BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"
# DESIGN.md "Budgets": (metric, limit, True if higher is better)
TARGETS = {"book_median_s": (60.0, False), "story_median_s": (15.0, False),
           "tokens_per_s": (75.0, True), "peak_rss_gib": (3.0, False),
           "scene_s_per_scene": (1.0, False), "music_sfx_s_per_scene": (1.0, False)}
SCENES = 5  # every book has five scenes (DESIGN.md); the per-scene budgets divide by it
STORY_STAGES = ("plan", "write", "rank")  # "story generation" in the budgets
# Candidate.settings keys a writer may use for the number of tokens it generated.
TOKEN_KEYS = ("tokens", "new_tokens", "generated_tokens", "n_tokens", "num_tokens", "output_tokens")
THRESHOLD = 0.20  # a metric 20 % worse than before is flagged ...
MIN_DELTA_S = 0.05  # ... unless it moved less than this many seconds (timer noise on tiny stages)


# ------------------------------------------------------------------ statistics


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), q in [0, 100]."""
    if not values:
        raise ValueError("percentile of no values")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def spread(values: list[float]) -> dict[str, float]:
    return {"median": round(percentile(values, 50), 3), "p90": round(percentile(values, 90), 3),
            "min": round(min(values), 3), "max": round(max(values), 3)}


# ------------------------------------------------------------------ what to measure


def bench_prompts(n: int) -> list:
    """n fixed, valid prompts walking through themes, heroes, colors and adjectives; seed i+1."""
    from storygen.options import load_options

    opts = load_options()
    themes, colors = list(opts.themes), list(opts.colors)
    out = []
    for i in range(n):
        theme = themes[i % len(themes)]
        heroes = opts.themes[theme].heroes
        out.append(opts.prompt(theme, heroes[i % len(heroes)], colors[i % len(colors)],
                               opts.adjectives[i % len(opts.adjectives)], seed=i + 1))
    return out


def generation_tokens(book: Path, writer: str) -> tuple[Optional[int], str]:
    """Tokens the writer generated for the book's candidates, and where the number came from."""
    try:
        cands = json.loads((Path(book) / "candidates.json").read_text(encoding="utf-8"))["candidates"]
    except (OSError, ValueError, KeyError):
        return None, "no candidates.json"
    reported = [next((c["settings"][k] for k in TOKEN_KEYS if k in c.get("settings", {})), None)
                for c in cands]
    if reported and all(isinstance(r, int) for r in reported):
        return sum(reported), "writer"
    if writer == "template":
        return None, "template writer (generates no tokens)"
    tok = _tokenizer()
    if tok is None:
        return None, "writer reports no tokens and no tokenizer is cached"
    texts = [" ".join([c.get("title", ""), *c["scenes"]]) for c in cands]
    return sum(len(tok.encode(t).ids) for t in texts), "tokenizer"


def _tokenizer():
    # Count with the base LM's tokenizer if it is already converted; never convert just for this.
    try:
        from tokenizers import Tokenizer

        from storygen.lm.base import cache_dir

        path = cache_dir() / "smollm2-135m-instruct" / "tokenizer.json"
        return Tokenizer.from_file(str(path)) if path.exists() else None
    except Exception:  # noqa: BLE001 - no tokenizer means "tokens unknown", not a failed bench
        return None


def peak_rss_mib() -> dict[str, float]:
    """ru_maxrss (KiB on Linux) of this process and of its largest finished child (pool workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "children": round(kids, 1), "max": round(max(own, kids), 1)}


# ------------------------------------------------------------------ running


def run_books(prompts: list, out_root: Path, settings, workers: int, maker: Callable | None = None,
              engine: str = "local"):
    """Make the books; returns [(name, wall seconds, stage seconds, book path or None, error)]."""
    from storygen.pipeline import book_name, make_book

    maker = maker or make_book
    if workers <= 1 and engine == "local":  # in this process: stage timings undisturbed, RUSAGE_SELF is the peak
        rows = []
        for p in prompts:
            t0 = time.perf_counter()
            try:
                book, _ = maker(p, out_root, settings, force=True)
                rows.append((book.name, time.perf_counter() - t0, _stages(book), book, None))
            except Exception as exc:  # noqa: BLE001 - a failed book is reported, the bench goes on
                rows.append((book_name(p), time.perf_counter() - t0, {}, None, f"{type(exc).__name__}: {exc}"))
        return rows
    from storygen.batch import BookTask, run_batch
    from storygen.batch_ray import run_batch_ray  # imports Ray itself only when called

    tasks = [BookTask(line=i + 1, prompt=p) for i, p in enumerate(prompts)]
    engine_run = run_batch_ray if engine == "ray" else run_batch
    results = engine_run(tasks, out_root, settings, workers=workers, force=True, maker=maker)
    return [(r.name, r.seconds, r.stage_seconds, Path(r.book) if r.book else None, r.error) for r in results]


def _stages(book: Path) -> dict[str, float]:
    return json.loads((Path(book) / "manifest.json").read_text(encoding="utf-8"))["stage_seconds"]


def measure(n_books: int = 5, workers: int = 1, maker: Callable | None = None,
            settings=None, engine: str = "local") -> dict:
    """Run the bench in a private consent store and book folder; return the results dict."""
    from storygen import consent
    from storygen.config import settings as load_settings

    settings = settings or load_settings()
    prompts = bench_prompts(n_books)
    with tempfile.TemporaryDirectory(prefix="storygen-bench-") as tmp:
        old_home = os.environ.get("STORYGEN_HOME")
        os.environ["STORYGEN_HOME"] = str(Path(tmp) / "home")  # never touches the user's books
        try:
            consent.grant("storygen bench")
            load, cpu0, t0 = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
            rows = run_books(prompts, Path(tmp) / "books", settings, workers, maker, engine)
            wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
            tokens = [generation_tokens(book, settings.backends.writer) for _, _, _, book, _ in rows if book]
        finally:
            if old_home is None:
                os.environ.pop("STORYGEN_HOME", None)
            else:
                os.environ["STORYGEN_HOME"] = old_home
    res = summarize(rows, tokens, wall, settings, workers, engine)
    # How busy the machine was: on a shared box the same code measures twice as slow when
    # someone else holds a core. cores_used ~ workers means the run had the cores it wanted.
    res["machine"].update(load_avg_at_start=round(load, 2), cpu_s=round(cpu, 2),
                          cores_used=round(cpu / wall, 2) if wall > 0 else None)
    return res


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (pool workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def summarize(rows, tokens, wall: float, settings, workers: int, engine: str = "local") -> dict:
    ok = [r for r in rows if r[4] is None]
    stage_names = list(dict.fromkeys(k for r in ok for k in r[2]))
    stages = {s: spread([r[2][s] for r in ok if s in r[2]]) for s in stage_names}
    write_s = sum(r[2].get("write", 0.0) for r in ok)
    counted = [t for t, _ in tokens if t is not None]
    total_tokens = sum(counted) if counted and len(counted) == len(tokens) else None
    rss = peak_rss_mib()
    result = {
        "kind": KIND, "schema_version": SCHEMA_VERSION,
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "config": {"books": len(rows), "workers": workers, "engine": engine, "candidates": settings.candidates,
                   "backends": settings.backends.to_dict()},
        "books": [{"name": r[0], "seconds": round(r[1], 3), "error": r[4]} for r in rows],
        "failed": len(rows) - len(ok),
        "book_s": {**spread([r[1] for r in ok]), "first": round(ok[0][1], 3)} if ok else None,
        "story_s": spread([sum(r[2].get(s, 0.0) for s in STORY_STAGES) for r in ok]) if ok else None,
        "stages": stages,
        "tokens": {"total": total_tokens, "source": tokens[0][1] if tokens else "no book made",
                   "per_s": round(total_tokens / write_s, 1) if total_tokens and write_s > 0 else None},
        "peak_rss_mib": rss,
        "wall_s": round(wall, 3),
        "books_per_hour": round(3600.0 * len(ok) / wall, 1) if wall > 0 else 0.0,
    }
    result["targets"] = check_targets(result)
    return result


# ------------------------------------------------------------------ comparing and saving


def metrics(res: dict) -> dict[str, tuple[Optional[float], bool, str, bool]]:
    """Flat view for comparison: name -> (value, higher is better, unit, can be flagged).

    Only medians and whole-run figures are flagged: a p90 of a few books, or the one cold book,
    moves by a third on a busy shared machine without anything having changed.
    """
    out: dict[str, tuple[Optional[float], bool, str, bool]] = {}
    book = res.get("book_s") or {}
    out["full book median"] = (book.get("median"), False, "s", True)
    out["full book p90"] = (book.get("p90"), False, "s", False)
    out["full book first (cold)"] = (book.get("first"), False, "s", False)
    out["story (plan+write+rank) median"] = ((res.get("story_s") or {}).get("median"), False, "s", True)
    for name, s in res.get("stages", {}).items():
        out[f"{name} median"] = (s.get("median"), False, "s", True)
        out[f"{name} p90"] = (s.get("p90"), False, "s", False)
    out["tokens/s"] = ((res.get("tokens") or {}).get("per_s"), True, "tok/s", True)
    out["peak RSS"] = ((res.get("peak_rss_mib") or {}).get("max"), False, "MiB", True)
    out["books/hour"] = (res.get("books_per_hour"), True, "", True)
    return out


def compare(now: dict, before: Optional[dict], threshold: float = THRESHOLD) -> list[dict]:
    """One row per metric: value now, before, how much worse (+) or better (-), regression flag."""
    old = metrics(before) if before else {}
    rows = []
    for name, (value, higher_better, unit, flaggable) in metrics(now).items():
        prev = old[name][0] if name in old else None
        change, regressed = None, False
        if value is not None and prev not in (None, 0):
            change = (prev - value) / prev if higher_better else (value - prev) / prev
            small = unit == "s" and abs(value - prev) < MIN_DELTA_S
            regressed = flaggable and change > threshold and not small
        rows.append({"metric": name, "now": value, "before": prev, "unit": unit,
                     "worse_by": None if change is None else round(change, 3), "regression": regressed})
    return rows


def check_targets(res: dict) -> dict[str, dict]:
    stages = res.get("stages", {})

    def per_scene(*names):
        if not all(n in stages for n in names):
            return None
        return round(sum(stages[n]["median"] for n in names) / SCENES, 3)

    values = {"book_median_s": (res.get("book_s") or {}).get("median"),
              "story_median_s": (res.get("story_s") or {}).get("median"),
              "tokens_per_s": (res.get("tokens") or {}).get("per_s"),
              "peak_rss_gib": round(res["peak_rss_mib"]["max"] / 1024, 3),
              "scene_s_per_scene": per_scene("scene"),
              "music_sfx_s_per_scene": per_scene("music", "sfx")}
    out = {}
    for name, (limit, higher_better) in TARGETS.items():
        v = values[name]
        ok = None if v is None else (v >= limit if higher_better else v <= limit)
        out[name] = {"value": v, "target": limit, "ok": ok}
    return out


def load_results(path: Path) -> Optional[dict]:
    """A previous results file, or None (with a note) if it is missing or not ours."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        print(f"note: ignoring {path}: {exc}", file=sys.stderr)
        return None
    if not isinstance(data, dict) or data.get("kind") != KIND or data.get("schema_version") != SCHEMA_VERSION:
        print(f"note: ignoring {path}: not a {KIND} v{SCHEMA_VERSION} file", file=sys.stderr)
        return None
    return data


def save(res: dict, out_dir: Path = BENCH_DIR) -> Optional[dict]:
    """results.json -> previous.json, then write the new results.json; returns the previous."""
    from storygen.io import write_text

    out_dir.mkdir(parents=True, exist_ok=True)
    current, previous = out_dir / "results.json", out_dir / "previous.json"
    before = load_results(current)
    if before is not None:
        os.replace(current, previous)
    write_text(current, json.dumps(res, indent=2) + "\n")
    return before if before is not None else load_results(previous)


def config_changes(now: dict, before: Optional[dict]) -> list[str]:
    if not before:
        return []
    a, b = before.get("config", {}), now.get("config", {})
    notes = [f"{k}: {a.get(k)} -> {b.get(k)}" for k in ("books", "workers", "engine", "candidates")
             if a.get(k) != b.get(k)]
    ba, bb = a.get("backends", {}), b.get("backends", {})
    notes += [f"{k} backend: {ba.get(k)} -> {bb.get(k)}" for k in sorted(set(ba) | set(bb)) if ba.get(k) != bb.get(k)]
    if before.get("machine", {}).get("cpus") != now.get("machine", {}).get("cpus"):
        notes.append(f"cpus: {before.get('machine', {}).get('cpus')} -> {now['machine']['cpus']}")
    return notes


def render(res: dict, rows: list[dict], before: Optional[dict], against: str) -> None:
    from storygen.console import make_console
    from rich.table import Table

    console = make_console()
    title = (f"storygen bench: {res['config']['books']} books, {res['config']['workers']} worker(s)"
             f" ({res['config'].get('engine', 'local')}),"
             f" {res['machine']['cpus']} cpus, writer={res['config']['backends'].get('writer')}")
    table = Table(title=title)
    for col in ("metric", "now", against, "change"):
        table.add_column(col, justify="right" if col != "metric" else "left")

    def fmt(v, unit):
        return "-" if v is None else f"{v:.3f} {unit}".strip() if unit == "s" else f"{v:g} {unit}".strip()

    for r in rows:
        # the relative change of the value itself; whether that is worse depends on the metric
        change = "" if r["worse_by"] is None else f"{(r['now'] - r['before']) / r['before']:+.0%}"
        if r["regression"]:
            change = f"[bold red]{change} REGRESSION[/]"
        table.add_row(r["metric"], fmt(r["now"], r["unit"]), fmt(r["before"], r["unit"]), change)
    console.print(table)
    for name, t in res["targets"].items():
        mark = {True: "[green]ok[/]", False: "[bold red]MISSED[/]", None: "[yellow]n/a[/]"}[t["ok"]]
        console.print(f"target {name}: {t['value']} (target {t['target']}) {mark}")
    if res["tokens"]["total"] is None:
        console.print(f"tokens/s: n/a ({res['tokens']['source']})")
    m = res["machine"]
    if m.get("load_avg_at_start", 0) > max(0, m["cpus"] - res["config"]["workers"]) + 0.5:
        console.print(f"[yellow]busy machine:[/] load average {m['load_avg_at_start']} at start on"
                      f" {m['cpus']} cpus; the run used {m.get('cores_used')} cores on average,"
                      " so timings are inflated")
    for note in config_changes(res, before):
        console.print(f"[yellow]changed since {against}:[/] {note} (compare with care)")
    for b in res["books"]:
        if b["error"]:
            console.print(f"[red]failed[/] {b['name']}: {b['error']}", highlight=False)


def _settings(ap: argparse.ArgumentParser, overrides: list[str]):
    from dataclasses import fields

    from storygen.config import Backends
    from storygen.config import settings as load_settings
    from storygen.pipeline import with_backends

    kinds = [f.name for f in fields(Backends)]
    chosen = {}
    for item in overrides:
        kind, _, name = item.partition("=")
        if kind not in kinds or not name:
            ap.error(f"--backend {item!r}: use KIND=NAME with KIND one of {', '.join(kinds)}")
        chosen[kind] = name
    return with_backends(load_settings(), **chosen)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--books", type=int, default=5, help="books to make (fixed picks, seeds 1..N)")
    ap.add_argument("--workers", type=int, default=1, help="1: in this process; N: the batch pool")
    ap.add_argument("--engine", choices=("local", "ray"), default="local", help="batch engine (ray: peak RSS covers this process only)")
    ap.add_argument("--out", type=Path, default=BENCH_DIR, help="folder for results.json / previous.json")
    ap.add_argument("--backend", action="append", default=[], metavar="KIND=NAME",
                    help="override configs/default.yaml, e.g. --backend writer=lm (repeatable)")
    ap.add_argument("--against", type=Path, default=None, help="compare with this results file instead of the previous run")
    ap.add_argument("--threshold", type=float, default=THRESHOLD, help="flag metrics worse by more than this fraction")
    ap.add_argument("--fail-on-regression", action="store_true", help="exit 1 if a metric regressed or a book failed")
    args = ap.parse_args(argv)
    if args.books < 1 or args.workers < 1:
        ap.error("--books and --workers must be at least 1")
    res = measure(args.books, args.workers, engine=args.engine, settings=_settings(ap, args.backend))
    if res["failed"] == len(res["books"]):
        # Nothing to compare: keep results.json as it was rather than replace it with a failure.
        for b in res["books"]:
            print(f"failed {b['name']}: {b['error']}", file=sys.stderr)
        print(f"every book failed; {args.out / 'results.json'} left unchanged", file=sys.stderr)
        return 1
    before = save(res, args.out)
    label = "previous"
    if args.against:
        before, label = load_results(args.against), args.against.name
    rows = compare(res, before, args.threshold)
    render(res, rows, before, label)
    print(f"wrote {args.out / 'results.json'}")
    bad = res["failed"] or any(r["regression"] for r in rows)
    return 1 if args.fail_on_regression and bad else 0


if __name__ == "__main__":
    sys.exit(main())
