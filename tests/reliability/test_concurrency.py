"""Promise 4 — concurrency. Two `storygen make` of the same book at once, and two batches sharing
an out folder (overlapping prompts): every book complete and valid, each made once and counted
once (the other run finds it finished), listed once for revoking, nothing left behind."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from .support import (book_env, check_book, finish, grant, leftovers, record, spawn, visible_books)

pytestmark = pytest.mark.slow
MAKE = ["make", "--theme", "garden", "--hero", "bee", "--color", "yellow", "--adj", "brave", "--seed", "4"]


def _listed(home: Path, profile: str = "default") -> list[str]:
    path = home / "profiles" / profile / "books.txt"
    return [ln for ln in path.read_text().splitlines() if ln.strip()] if path.exists() else []


def test_two_makes_of_the_same_book_at_once(tmp_path):
    home, out = tmp_path / "home", tmp_path / "out"
    env = book_env(home)
    grant(env)
    procs = [spawn([*MAKE, "--out", str(out)], env) for _ in range(2)]
    results = [finish(p, 900) for p in procs]
    assert [r.rc for r in results] == [0, 0], [r.text[-1500:] for r in results]
    said = sorted("Made" if "Made" in r.out else "exists" if "already exists" in r.out else r.out for r in results)
    assert said == ["Made", "exists"], said  # made once; the other found it finished
    (book,) = visible_books(out)
    check_book(book)
    assert leftovers(out) == [] and _listed(home) == [str(book.resolve())]
    # Two --force remakes at once: one after the other, the book whole after each.
    procs = [spawn([*MAKE, "--out", str(out), "--force"], env) for _ in range(2)]
    results = [finish(p, 900) for p in procs]
    assert [r.rc for r in results] == [0, 0] and all("Made" in r.out for r in results)
    check_book(book)
    assert leftovers(out) == [] and _listed(home) == [str(book.resolve())]
    record("concurrency", concurrent_makes=4, books_made=1, counted_twice=0)


def _prompts(path: Path, picks: list[tuple]) -> Path:
    path.write_text("".join(json.dumps(dict(zip(("theme", "hero", "color", "adjective", "seed"), p))) + "\n"
                            for p in picks))
    return path


def test_two_batches_sharing_an_out_folder(tmp_path):
    home, out = tmp_path / "home", tmp_path / "out"
    env = book_env(home)
    grant(env)
    picks = [("farm", "pig", "pink", "shy", i) for i in range(4)] + [("space", "robot", "blue", "brave", i)
                                                                     for i in range(4)]
    first = _prompts(tmp_path / "a.jsonl", picks[:6])  # books 0-5
    second = _prompts(tmp_path / "b.jsonl", picks[2:])  # books 2-7: four in common
    procs = [spawn(["batch", str(p), "--out", str(out), "--report", str(tmp_path / f"{p.stem}.json")], env)
             for p in (first, second)]
    results = [finish(p, 1800) for p in procs]
    reports = [json.loads((tmp_path / f"{s}.json").read_text())["results"] for s in ("a", "b")]
    assert [r.rc for r in results] == [0, 0], [(r["name"], r["error"], r["trace"]) for rep in reports
                                              for r in rep if r["status"] == "failed"]
    made = Counter(r["name"] for rep in reports for r in rep if r["status"] == "made")
    seen = Counter(r["name"] for rep in reports for r in rep)
    books = visible_books(out)
    assert len(books) == 8 and set(made) == {b.name for b in books}
    assert all(n == 1 for n in made.values()), made  # none made (counted) twice
    assert all(r["status"] in ("made", "skipped") for rep in reports for r in rep)
    for b in books:
        check_book(b)
    assert leftovers(out) == []
    listed = _listed(home)
    assert sorted(listed) == sorted(str(b.resolve()) for b in books) and len(set(listed)) == len(listed)
    shared = sum(1 for n in seen.values() if n == 2)
    record("concurrency", concurrent_batches=2, books_made=len(made), shared_prompts=shared, counted_twice=0)
