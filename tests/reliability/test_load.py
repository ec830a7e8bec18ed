"""Promise 7 — load. A batch of books on 2 workers (the count: $STORYGEN_SOAK_BOOKS, default 20 in
the suite; 200 is the documented target, `make soak SOAK_BOOKS=200`, about 35 min on 2 cores)
holds memory flat: each worker's resident memory is sampled all through the run, and its level
over the last books is compared with its level over the first. Bad prompt lines are mixed in at
seeded places: the failure summary names exactly those lines, and every good book is made.
"""
from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from pathlib import Path

import pytest

from .support import book_env, check_book, finish, grant, leftovers, record, spawn, visible_books

pytestmark = pytest.mark.slow
MiB = 1024 * 1024
BAD_LINES = [  # (line text, a fragment of the error the summary must give for it)
    ("{not json", "not valid JSON"),
    ('{"theme": "underwater", "hero": "dragon", "color": "teal", "adjective": "silly"}', "Unknown hero 'dragon'"),
    ('{"theme": "underwater", "hero": "mermaid", "color": "plaid", "adjective": "silly"}', "Unknown color"),
    ('{"theme": "farm", "hero": "pig", "color": "pink", "adjective": "shy", "seed": -1}', "seed must be"),
    ('{"theme": "farm", "hero": "pig", "colour": "pink", "adjective": "shy"}', "unknown key(s) colour"),
    ('{"theme": "farm", "hero": "p\u0456g", "color": "pink", "adjective": "shy"}', "U+0456"),
    ('{"theme": "farm", "hero": "pig", "color": "pink", "adjective": "shy", "profile": "../x"}', "not allowed"),
    ('["farm", "pig"]', "expected a JSON object"),
]


def _status_kb(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _workers(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in cmd and b"resource_tracker" not in cmd:
                out.append(int(entry.name))
    return out


class Sampler(threading.Thread):
    """Every 0.5 s: each worker's RSS, its peak (VmHWM), and how many books are finished."""

    def __init__(self, pid: int, out: Path):
        super().__init__(daemon=True)
        self.pid, self.out, self.stop = pid, out, threading.Event()
        self.samples: list[tuple[int, int, int]] = []  # (books finished, worker pid, rss kB)
        self.peak: dict[int, int] = {}

    def run(self) -> None:
        while not self.stop.wait(0.5):
            done = len(visible_books(self.out))
            for w in _workers(self.pid):
                rss, hwm = _status_kb(w, "VmRSS"), _status_kb(w, "VmHWM")
                if rss:
                    self.samples.append((done, w, rss))
                if hwm:
                    self.peak[w] = max(self.peak.get(w, 0), hwm)


def _prompts(path: Path, n: int, seed: int = 21) -> dict[int, str]:
    """n good lines and the bad ones at seeded places; returns {line number: expected fragment}."""
    rng = random.Random(seed)
    good = []
    themes = [("farm", ["pig", "cow", "sheep", "hen", "horse"]), ("space", ["robot", "alien", "kitten"]),
              ("underwater", ["crab", "turtle", "dolphin"]), ("forest", ["bear", "rabbit", "deer"])]
    for i in range(n):
        theme, heroes = themes[i % len(themes)]
        good.append(json.dumps({"theme": theme, "hero": rng.choice(heroes), "color": rng.choice(["red", "blue", "pink", "gold"]),
                                "adjective": rng.choice(["brave", "shy", "kind", "silly"]), "seed": i}))
    lines = list(good)
    for text, _ in BAD_LINES:
        lines.insert(rng.randrange(len(lines) + 1), text)
    lines.insert(rng.randrange(len(lines) + 1), good[0])  # a repeated prompt is refused too
    path.write_text("\n".join(lines) + "\n")
    expected = {}
    for number, text in enumerate(lines, 1):
        frag = next((f for t, f in BAD_LINES if t == text), None)
        if frag:
            expected[number] = frag
        elif text == good[0] and number != lines.index(good[0]) + 1:
            expected[number] = "same picks and seed as line"
    return expected


def test_a_big_batch_holds_memory_flat_and_summarises_failures_exactly(tmp_path):
    n = int(os.environ.get("STORYGEN_SOAK_BOOKS", "20"))
    out, report = tmp_path / "out", tmp_path / "report.json"
    env = book_env(tmp_path / "home")
    grant(env)
    expected = _prompts(tmp_path / "p.jsonl", n)
    t0 = time.monotonic()
    proc = spawn(["batch", str(tmp_path / "p.jsonl"), "--out", str(out), "--workers", "2",
                  "--report", str(report)], env)
    sampler = Sampler(proc.pid, out)
    sampler.start()
    result = finish(proc, 60 * (10 + 3 * n))
    sampler.stop.set()
    sampler.join(5)
    wall = time.monotonic() - t0
    assert result.rc == 1 and "Traceback" not in result.text, result.text[-3000:]  # 1: some lines failed
    data = json.loads(report.read_text())
    failed = {r["line"]: r["error"] for r in data["results"] if r["status"] == "failed"}
    assert sorted(failed) == sorted(expected), (sorted(failed), sorted(expected))
    for line, fragment in expected.items():
        assert fragment in failed[line], (line, fragment, failed[line])
    table = result.out.split("Failures", 1)[1]  # the printed summary: one row per failed line
    rows = [int(m) for m in re.findall(r"^│ (\d+) +│", table, flags=re.M)]
    assert rows == sorted(expected), (rows, sorted(expected))
    assert data["summary"]["made"] == n and data["summary"]["failed"] == len(expected)
    assert data["summary"]["books"] == n + len(expected)
    books = visible_books(out)
    assert len(books) == n and leftovers(out) == []
    for book in books:
        check_book(book)
    # Memory: each worker's RSS over the first fifth of the books vs the last fifth.
    workers = sorted({w for _, w, _ in sampler.samples})
    assert len(workers) == 2, workers
    cut = max(1, n // 5)
    levels = {}
    for w in workers:
        first = [rss for done, pid, rss in sampler.samples if pid == w and cut <= done < 2 * cut] or \
            [rss for done, pid, rss in sampler.samples if pid == w and done < 2 * cut]
        last = [rss for done, pid, rss in sampler.samples if pid == w and done >= n - cut]
        levels[w] = (sorted(first)[len(first) // 2] / 1024, sorted(last)[len(last) // 2] / 1024)
    for w, (first, last) in levels.items():
        assert last <= first * 1.15 + 64, f"worker {w}: median RSS {first:.0f} MiB early, {last:.0f} MiB late"
    per_book = [r["seconds"] for r in data["results"] if r["status"] == "made"]
    record("load", books=n, workers=2, wall_s=round(wall), books_per_hour=data["summary"]["books_per_hour"],
           median_book_s=sorted(per_book)[len(per_book) // 2],
           peak_rss_mib=[round(sampler.peak[w] / 1024) for w in workers],
           rss_first_last_mib=[[round(a), round(b)] for a, b in levels.values()],
           bad_lines=len(expected), bad_lines_summarised=len(failed), books_lost=0)
