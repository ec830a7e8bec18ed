"""Promise 6 — consent. No book (nor plan, story, picture, narration, music, effect, mix or
book page) is made for a profile without consent, by any command or the batch; revoking deletes
exactly that profile's books, wherever they are; a damaged or hand-edited consent file is refused.
All through real `storygen` processes."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from .support import (assert_clean_error, book_env, check_book, grant, record, run, visible_books)

pytestmark = pytest.mark.slow
NO_CONSENT = "No parent/guardian consent for profile"


def _as_profile(src: Path, dest: Path, profile: str) -> Path:
    """A copy of a book whose every record says it belongs to `profile` (a valid file, not a
    damaged one: only consent stands in the way)."""
    shutil.copytree(src, dest, copy_function=os.link)
    for path in dest.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        if '"profile": "default"' in text:
            path.unlink()
            path.write_text(text.replace('"profile": "default"', f'"profile": "{profile}"'))
    return dest


def _tree(book: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(book)): (p.stat().st_size, p.stat().st_ino) for p in book.rglob("*") if p.is_file()}


def _commands(book: Path, tmp: Path, profile: str) -> list[list[str]]:
    return [
        ["make", "--theme", "farm", "--hero", "pig", "--color", "pink", "--adj", "shy", "--profile", profile,
         "--out", str(tmp / "out")],
        ["plan", "--theme", "farm", "--hero", "pig", "--color", "pink", "--adj", "shy", "--profile", profile,
         "-o", str(tmp / "x.json")],
        ["plan", "--prompt", str(book / "prompt.json"), "-o", str(tmp / "x.json")],
        ["write", str(book / "plan.json"), "-o", str(tmp / "x.json")],
        ["rank", str(book / "candidates.json"), "-o", str(tmp / "x.json")],
        ["scene", str(book)], ["narrate", str(book)], ["music", str(book)], ["sfx", str(book)],
        ["mix", str(book)], ["book", str(book)], ["book", str(book), "--epub", "--pdf"],
    ]


def _batch(tmp: Path, profile: str) -> list[str]:
    prompts = tmp / f"{profile}.jsonl"
    prompts.write_text(json.dumps({"theme": "farm", "hero": "pig", "color": "pink", "adjective": "shy",
                                   "profile": profile}) + "\n")
    return ["batch", str(prompts), "--out", str(tmp / "out")]


def _all_refused(env, book, tmp, profile, *fragments) -> int:
    before = _tree(book)
    n = 0
    for args in [*_commands(book, tmp, profile), _batch(tmp, profile)]:
        assert_clean_error(run(args, env, timeout=300), *fragments)
        assert not (tmp / "x.json").exists() and visible_books(tmp / "out") == [], args
        n += 1
    assert _tree(book) == before  # not one file of the book was written
    assert not (tmp / "out").exists() or not any((tmp / "out").iterdir())
    return n


def test_nothing_is_made_without_consent_by_any_command(base_book, tmp_path):
    env = book_env(tmp_path / "home")
    grant(env)  # the default profile has consent; "zoe" has none
    book = _as_profile(base_book, tmp_path / "zoe-book", "zoe")
    refused = _all_refused(env, book, tmp_path, "zoe", NO_CONSENT, "--profile zoe")
    grant(env, "zoe")
    run(["consent", "revoke", "--profile", "zoe", "--yes"], env, timeout=60)  # granted, then withdrawn
    refused += _all_refused(env, book, tmp_path, "zoe", NO_CONSENT)
    record("consent", commands_refused_without_consent=refused, books_made_without_consent=0)


TAMPERED = {
    "truncated": lambda t: t[: len(t) // 2],
    "empty": lambda t: "",
    "another profile": lambda t: json.dumps({**json.loads(t), "profile": "zoe"}),
    "no guardian": lambda t: json.dumps({**json.loads(t), "guardian": " "}),
    "a hidden character": lambda t: json.dumps({**json.loads(t), "guardian": "Ann\u202e Lee"}),
    "no time": lambda t: json.dumps({**json.loads(t), "granted_at": "soon"}),
    "a future time": lambda t: json.dumps({**json.loads(t), "granted_at": "2999-01-01T00:00:00+00:00"}),
    "an extra key": lambda t: json.dumps({**json.loads(t), "child_name": "Ann"}),
    "schema 2": lambda t: json.dumps({**json.loads(t), "schema_version": 2}),
}


def test_a_tampered_consent_file_is_refused(base_book, tmp_path):
    home = tmp_path / "home"
    env = book_env(home)
    grant(env)
    path = home / "profiles/default/consent.json"
    good = path.read_text()
    n = 0
    for how, edit in TAMPERED.items():
        path.write_text(edit(good))
        for args in (["make", "--theme", "farm", "--hero", "pig", "--color", "pink", "--adj", "shy",
                      "--out", str(tmp_path / "out")], _batch(tmp_path, "default"), ["consent", "status"],
                     ["book", str(_fresh(base_book, tmp_path))]):
            line = assert_clean_error(run(args, env, timeout=300), "consent.json")
            assert "storygen consent grant --guardian NAME --profile default" in line, (how, line)
            n += 1
        assert visible_books(tmp_path / "out") == []
    path.write_text(good)
    assert run(["consent", "status"], env, timeout=60).rc == 0
    record("consent", tampered_consent_refused=n)


def _fresh(base_book: Path, tmp: Path) -> Path:
    dest = tmp / "copy" / base_book.name
    if not dest.exists():
        shutil.copytree(base_book, dest, copy_function=os.link)
    return dest


def test_revoking_deletes_exactly_that_profiles_books(tmp_path):
    env = book_env(tmp_path / "home")
    for p in ("ann", "bob"):
        grant(env, p)
    shared, elsewhere = tmp_path / "books", tmp_path / "other place"
    lines = [{"theme": "farm", "hero": h, "color": "pink", "adjective": "shy", "seed": i, "profile": p}
             for i, (h, p) in enumerate([("pig", "ann"), ("cow", "ann"), ("hen", "bob"), ("sheep", "ann"),
                                         ("horse", "bob")])]
    prompts = tmp_path / "p.jsonl"
    prompts.write_text("".join(json.dumps(x) + "\n" for x in lines))
    r = run(["batch", str(prompts), "--out", str(shared), "--workers", "2"], env, timeout=1800)
    assert r.rc == 0, r.text[-2000:]
    r = run(["make", "--theme", "space", "--hero", "robot", "--color", "blue", "--adj", "brave",
             "--profile", "ann", "--out", str(elsewhere)], env, timeout=600)
    assert r.rc == 0, r.text[-2000:]
    ann = {b.name for b in visible_books(shared) if json.loads((b / "prompt.json").read_text())["profile"] == "ann"}
    bob = {b.name for b in visible_books(shared)} - ann
    assert len(ann) == 3 and len(bob) == 2
    status = run(["consent", "status", "--profile", "ann"], env, timeout=60)
    assert "4 book(s) stored" in status.out, status.out  # every book listed: none missed by a race
    damaged = shared / sorted(ann)[0] / "manifest.json"
    damaged.write_text(damaged.read_text()[:100])  # a damaged book is still the profile's
    r = run(["consent", "revoke", "--profile", "ann", "--yes"], env, timeout=120)
    assert r.rc == 0 and "deleted 4 book(s)" in r.out, r.text
    assert {b.name for b in visible_books(shared)} == bob and visible_books(elsewhere) == []
    for b in visible_books(shared):
        check_book(b)
    assert run(["consent", "status", "--profile", "bob"], env, timeout=60).rc == 0
    assert run(["consent", "status", "--profile", "ann"], env, timeout=60).rc == 1
    record("consent", books_deleted_on_revoke=4, other_profiles_books_kept=2)
