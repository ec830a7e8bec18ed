"""Promise 2 — disk full and read-only. The out folder is a small tmpfs (mounted for the test; we
run as root here) that fills in the middle of a book, at spread amounts of free space so the
fault lands in different stages; a second kind of fault, RLIMIT_FSIZE set in the child
(`ulimit -f`: a write past N bytes fails with EFBIG), needs no mount at all. A read-only out
folder is a tmpfs remounted read-only (chmod 555 where we are not root). Each time: one line of
error, exit 2, nothing half-written, the book already there byte-identical.
"""
from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from storygen import io as sio
from storygen.errors import OutputError

from .support import (assert_clean_error, book_env, check_book, finish, grant, leftovers, record, run,
                      snapshot, spawn, visible_books)

MAKE = ["make", "--theme", "farm", "--hero", "pig", "--color", "pink", "--adj", "shy", "--seed", "2"]


def test_a_full_disk_is_an_output_error_not_a_traceback(tmp_path, monkeypatch):
    """Fast: the write itself failing with ENOSPC (what a full disk does) names the file."""
    def full(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match="Cannot write .*x.wav: No space left on device"):
        sio.write_bytes(tmp_path / "x.wav", b"RIFF")
    assert list(tmp_path.iterdir()) == []  # the temp file went too


@contextmanager
def _tmpfs(path: Path, size: int, read_only: bool = False):
    """A tmpfs of `size` bytes at `path`, or None where mounting is not allowed."""
    path.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        yield None
        return
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30)


def _fill(path: Path) -> None:
    """Write to `path` until the file system is full."""
    with open(path, "wb", buffering=0) as fh:
        for chunk in (b"\0" * 1_048_576, b"\0" * 4096):
            try:
                while True:
                    fh.write(chunk)
            except OSError:
                continue


def _stage_in(message: str) -> str:
    for part, stage in (("/audio/", "audio"), ("/scenes/", "scene"), ("book.html", "book"),
                        ("manifest.json", "manifest")):
        if part in message:
            return stage
    return "text"


@pytest.mark.slow
def test_disk_fills_mid_book(base_book, tmp_path):
    env = book_env(tmp_path / "home")
    grant(env)
    size = sum(p.stat().st_size for p in base_book.rglob("*") if p.is_file())
    probe = run([*MAKE, "--out", str(tmp_path / "probe")], env, timeout=600)  # how big this book is
    assert probe.rc == 0, probe.text[-2000:]
    (made,) = visible_books(tmp_path / "probe")
    pages = sum(-(-p.stat().st_size // 4096) * 4096 for p in made.rglob("*") if p.is_file())  # tmpfs counts pages
    late = pages - 16_384  # room for everything but book.html (24 kB) and the manifest
    shutil.rmtree(tmp_path / "probe")
    faults, stages = 0, []
    for free in (6_000, 1_500_000, 12_000_000, late):
        mnt = tmp_path / f"fs{free}"
        with _tmpfs(mnt, size + 40_000_000) as fs:
            if fs is None:
                pytest.skip("cannot mount a tmpfs here; test_write_limit covers the fault")
            shutil.copytree(base_book, fs / base_book.name)
            st = os.statvfs(fs)
            (fs / "pad").write_bytes(b"\0" * max(0, st.f_bavail * st.f_frsize - free))  # leave `free`
            before = snapshot(fs)
            r = run([*MAKE, "--out", str(fs)], env, timeout=600)
            line = assert_clean_error(r, "No space left on device")
            stages.append(_stage_in(line))
            assert snapshot(fs) == before  # the earlier book is untouched, nothing new is visible
            assert leftovers(fs) == [], leftovers(fs)
            faults += 1
            # The batch: the same fault is that book's failure, named exactly in the summary.
            prompts = tmp_path / "p.jsonl"
            prompts.write_text(json.dumps({"theme": "farm", "hero": "pig", "color": "pink",
                                           "adjective": "shy", "seed": 2}) + "\n")
            b = run(["batch", str(prompts), "--out", str(fs), "--report", str(tmp_path / "r.json")], env,
                    timeout=600)
            assert b.rc == 1 and "Traceback" not in b.text, b.text[-2000:]
            results = json.loads((tmp_path / "r.json").read_text())["results"]
            assert [r["status"] for r in results] == ["failed"] and "No space left" in results[0]["error"]
            assert results[0]["trace"] is None  # a known error, not a crash
            assert snapshot(fs) == before and leftovers(fs) == []
            faults += 1
    # Another writer filling the disk late in the book, when its last sound is written: the
    # fault lands in the book page or the manifest, the last things written.
    mnt = tmp_path / "fs-late"
    with _tmpfs(mnt, size + 80_000_000) as fs:
        shutil.copytree(base_book, fs / base_book.name)
        before = snapshot(fs)
        proc = spawn([*MAKE, "--out", str(fs)], env)
        t0 = time.monotonic()
        while proc.poll() is None and not list(fs.glob(".*.partial-*/audio/05-mix.wav")):
            assert time.monotonic() - t0 < 600
            time.sleep(0.005)
        _fill(fs / "pad")
        r = finish(proc, 600)
        if r.rc == 0:  # the book was finished before the disk filled: whole, and no fault
            check_book(fs / "farm-pig-pink-shy-seed2")
        else:
            stages.append(_stage_in(assert_clean_error(r, "No space left on device")))
            assert snapshot(fs) == before and leftovers(fs) == []
            faults += 1
    assert len(set(stages)) >= 3, stages
    record("disk", faults=faults, tmpfs_fill_stages=stages, books_lost=0)


def _consented_out(base_book: Path, tmp_path: Path):
    """A consented home's env and an out folder holding a copy of the finished base book."""
    env = book_env(tmp_path / "home")
    grant(env)
    out = tmp_path / "out"
    shutil.copytree(base_book, out / base_book.name)
    return env, out


@pytest.mark.slow
def test_write_limit(base_book, tmp_path):
    """RLIMIT_FSIZE in the child: any write past 300 kB fails (EFBIG), no mount needed."""
    env, out = _consented_out(base_book, tmp_path)
    before = snapshot(out)

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    r = run([*MAKE, "--out", str(out)], env, timeout=600, preexec=limit)
    assert_clean_error(r, "File too large")
    assert snapshot(out) == before and leftovers(out) == []
    record("disk", faults=1, rlimit_fsize=1, books_lost=0)


@contextmanager
def _read_only(path: Path):
    """`path` (holding files already) made read-only: a tmpfs remounted ro, else chmod 555."""
    with _tmpfs(path.with_name(path.name + "-ro"), 64_000_000) as fs:
        if fs is not None:
            shutil.copytree(path, fs, dirs_exist_ok=True)
            r = subprocess.run(["mount", "-o", "remount,ro", str(fs)], capture_output=True, timeout=30)
            if r.returncode == 0:
                yield fs, "read-only tmpfs"
                return
        modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")] if p.is_dir()}
        for p in modes:
            p.chmod(0o555)
        try:
            if os.geteuid() == 0:
                pytest.skip("root ignores chmod 555 and no read-only mount was possible")
            yield path, "chmod 555"
        finally:
            for p, mode in modes.items():
                p.chmod(mode)


@pytest.mark.slow
def test_read_only_out_folder(base_book, tmp_path):
    env, src = _consented_out(base_book, tmp_path)
    faults = 0
    with _read_only(src) as (out, how):
        before = snapshot(out)
        r = run([*MAKE, "--out", str(out)], env, timeout=300)
        assert_clean_error(r, "not writable", "choose another --out")
        prompts = tmp_path / "p.jsonl"
        prompts.write_text(json.dumps({"theme": "farm", "hero": "pig", "color": "pink", "adjective": "shy"}) + "\n")
        r = run(["batch", str(prompts), "--out", str(out)], env, timeout=300)
        assert_clean_error(r, "not writable")
        r = run(["book", str(out / base_book.name)], env, timeout=300)  # a stage writing into a book
        assert_clean_error(r, "Read-only file system" if how != "chmod 555" else "Permission denied")
        r = run([*MAKE, "--out", str(out / "new" / "deeper")], env, timeout=300)  # not yet there
        assert_clean_error(r, "not writable")
        assert snapshot(out) == before and leftovers(out) == [] and len(visible_books(out)) == 1
        faults += 4
    record("disk", faults=faults, read_only=how, books_lost=0)
