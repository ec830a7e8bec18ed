"""Promise 1 — kill at any point: `storygen make` and `storygen batch` killed with SIGKILL (the
whole process group, workers included) at seeded moments in every stage. After every kill no
half-written book is visible, no finished book has changed by one byte, and the same command run
again completes and removes what the killed run left behind; a batch re-run makes only what is
missing. Kill moments: the arrival of each stage's first file in the hidden build folder (so
every stage is hit), and seeded delays spread over a measured run.
"""
from __future__ import annotations

import json
import os
import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from .support import (STAGE_MARKS, book_env, check_book, grant, kill_group, leftovers, record, run,
                      snapshot, spawn, stage_of, visible_books)

SEED = 21
pytestmark = pytest.mark.slow


def _make(seed: int, out: Path, *extra: str) -> list[str]:
    return ["make", "--theme", "farm", "--hero", "pig", "--color", "pink", "--adj", "shy",
            "--seed", str(seed), "--out", str(out), *extra]


def _name(seed: int) -> str:
    return f"farm-pig-pink-shy-seed{seed}"


def _kill_when(proc, ready, limit: float = 300) -> None:
    """SIGKILL the process group as soon as `ready()` (polled every 10 ms) or the run ends."""
    t0 = time.monotonic()
    while proc.poll() is None and not ready() and time.monotonic() - t0 < limit:
        time.sleep(0.01)
    kill_group(proc)
    proc.communicate()


def _after_kill(out: Path, before: dict[str, dict[str, str]], changed_ok: str = "") -> None:
    """Every visible book is whole, and every book finished before the kill is byte-identical
    (a --force remake of `changed_ok` may only have a new manifest: its stage_seconds)."""
    now = snapshot(out)
    for name, digests in before.items():
        if name == changed_ok and name not in now:
            continue  # killed between setting the old one aside and renaming the new one in
        assert name in now, f"finished book {name} disappeared"
        if name == changed_ok:
            now[name].pop("manifest.json"), digests.pop("manifest.json", None)
        assert now[name] == digests, f"finished book {name} changed"


def test_make_survives_sigkill_in_every_stage(tmp_path):
    rng = random.Random(SEED)
    out = tmp_path / "out"
    env = book_env(tmp_path / "home")
    grant(env)
    r = run(_make(100, out), env, timeout=600)  # a finished book that every kill must leave alone
    assert r.rc == 0, r.text[-2000:]
    full_s = r.seconds
    points = [("mark", mark) for _, mark in STAGE_MARKS] + [("delay", rng.uniform(0.1, 0.95) * full_s)
                                                              for _ in range(2)]
    rng.shuffle(points)
    stages, removed = Counter(), 0
    for i, (mode, when) in enumerate(points):
        seed = 200 + i
        before = snapshot(out)
        proc = spawn(_make(seed, out), env)
        t0 = time.monotonic()
        if mode == "mark":
            _kill_when(proc, lambda: any((p / when).exists() for p in out.glob(f".{_name(seed)}.partial-*")))
        else:
            _kill_when(proc, lambda: time.monotonic() - t0 >= when)
        stage = stage_of(out, _name(seed))
        stages[stage] += 1
        _after_kill(out, before)
        left = [x for x in leftovers(out) if _name(seed) in x]
        again = run(_make(seed, out), env, timeout=600)  # the same command, run again
        assert again.rc == 0, again.text[-2000:]
        check_book(out / _name(seed))
        assert leftovers(out) == [], (mode, when, leftovers(out))
        removed += bool(left)
    # --force remakes killed at spread moments: the old book is whole or the new one is.
    force_stages = Counter()
    for j in range(3):
        before = snapshot(out)
        proc = spawn(_make(100, out, "--force"), env)
        t0, delay = time.monotonic(), (j + rng.random()) / 3 * full_s
        _kill_when(proc, lambda: time.monotonic() - t0 >= delay)
        force_stages[stage_of(out, _name(100))] += 1
        _after_kill(out, before, changed_ok=_name(100))
        again = run(_make(100, out, "--force"), env, timeout=600)
        assert again.rc == 0, again.text[-2000:]
        _after_kill(out, before, changed_ok=_name(100))
        assert leftovers(out) == []
    kills = len(points) + 3
    # Text stages take milliseconds with the template writer, so a kill aimed at one may land in
    # the next; the media stages, where the time goes, are each hit.
    assert kills >= 15 and len(set(stages) - {"finished", "not started"}) >= 6, stages
    record("kill", kills=kills, make_kills=len(points), force_kills=3, stages=dict(stages + force_stages),
           leftovers_removed=removed, books_lost=0)


def _prompts(path: Path, n: int) -> Path:
    rng = random.Random(SEED)
    heroes = [("farm", "pig"), ("space", "robot"), ("underwater", "crab"), ("forest", "bear"),
              ("garden", "bee"), ("jungle", "tiger"), ("arctic", "seal"), ("castle", "wizard")]
    lines = []
    for i in range(n):
        theme, hero = heroes[i % len(heroes)]
        lines.append(json.dumps({"theme": theme, "hero": hero, "color": rng.choice(["red", "blue", "teal"]),
                                 "adjective": rng.choice(["brave", "silly", "shy"]), "seed": i}))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_batch_survives_sigkill_and_reruns_only_what_is_missing(tmp_path):
    rng = random.Random(SEED + 1)
    out, report = tmp_path / "out", tmp_path / "report.json"
    env = book_env(tmp_path / "home")
    grant(env)
    prompts = _prompts(tmp_path / "p.jsonl", 12)
    args = ["batch", str(prompts), "--out", str(out), "--workers", "2"]
    kills, seen = 0, {}
    stages = Counter()
    while kills < 8 and len(visible_books(out)) < 6:  # leave books for the rerun to make
        before = snapshot(out)
        proc = spawn(args, env)
        t0 = time.monotonic()
        if kills % 2:  # as soon as one more book is finished
            count = len(before)
            _kill_when(proc, lambda: len(visible_books(out)) > count)
        else:
            delay = rng.uniform(2.0, 12.0)
            _kill_when(proc, lambda: time.monotonic() - t0 >= delay)
        kills += 1
        stages.update(stage_of(out, p.name.split(".partial-")[0][1:]) for p in out.glob(".*.partial-*"))
        _after_kill(out, before)
        seen.update(snapshot(out))
    present = {b.name for b in visible_books(out)}
    final = run([*args, "--report", str(report)], env, timeout=1800)
    assert final.rc == 0, final.text[-3000:]
    data = json.loads(report.read_text())
    by_status = Counter(r["status"] for r in data["results"])
    assert kills >= 5 and by_status["made"] >= 3, (kills, by_status)
    assert by_status == Counter({"made": 12 - len(present), "skipped": len(present)}) - Counter(), by_status
    assert all(r["status"] == "skipped" for r in data["results"] if r["name"] in present)
    assert len(visible_books(out)) == 12 and leftovers(out) == []
    now = snapshot(out)
    assert all(now[name] == digests for name, digests in seen.items())  # none touched again
    record("kill", kills=kills, batch_kills=kills, stages=dict(stages), batch_made_on_rerun=by_status["made"],
           batch_skipped_on_rerun=by_status["skipped"], books_lost=0)


def _workers(pid: int) -> list[int]:
    """The pool's worker processes of batch process `pid` (not multiprocessing's tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"spawn_main" in cmd and b"resource_tracker" not in cmd:
            found.append(int(entry.name))
    return found


def test_a_killed_worker_costs_no_book(tmp_path):
    out, report = tmp_path / "out", tmp_path / "report.json"
    env = book_env(tmp_path / "home")
    grant(env)
    prompts = _prompts(tmp_path / "p.jsonl", 4)
    proc = spawn(["batch", str(prompts), "--out", str(out), "--workers", "2", "--report", str(report)], env)
    try:
        t0 = time.monotonic()
        while not (list(out.glob(".*.partial-*/story.json")) and _workers(proc.pid)):
            assert proc.poll() is None and time.monotonic() - t0 < 300, proc.stderr.read()[-2000:]
            time.sleep(0.05)
        victim = _workers(proc.pid)[0]
        os.kill(victim, signal.SIGKILL)
        out_text, err = proc.communicate(timeout=1200)
    finally:
        kill_group(proc)
    assert proc.returncode == 0, err[-3000:]
    data = json.loads(report.read_text())
    assert [r["status"] for r in data["results"]] == ["made"] * 4, data["results"]
    for book in visible_books(out):
        check_book(book)
    assert len(visible_books(out)) == 4 and leftovers(out) == []
    record("kill", kills=1, worker_kills=1, books_lost=0)
