"""Promise 3 — damaged inputs. Every JSON a command reads (prompt, plan, candidates, story, scene
graph, layout, narration timings, manifest, batch prompts), every model file in models/, the
configs (options.yaml with an unknown hero, the settings file): truncated, emptied, the wrong kind
of JSON, the wrong schema version, not UTF-8, missing. Each time a real `storygen` process says in
one line which file and what to do, exits 2, shows no traceback and writes nothing. (Consent
files: tests/reliability/test_consent.py.)

Two reads are optional by design and tested as such: book.html without a readable layout falls
back to the scene's GIF, and without readable narration timings it has no word highlighting
(tests/test_book.py); `storygen music`/`sfx` without narration.json estimate its length.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storygen.config import CONFIG_DIR, MODELS_DIR, ROOT

from .support import (PICKS, Result, assert_clean_error, book_env, check_book, grant, record, run,
                      visible_books)

HINTS = ("regenerate", "run ", "run:", "make ", "grant", "storygen ", "--force", "fix ", "restore",
         "choose", "again")


def _damage(path: Path, how: str) -> None:
    raw = path.read_bytes() if path.exists() else b""
    text = raw.decode("utf-8", errors="replace")
    path.unlink(missing_ok=True)  # never write through a hard link into the shared base book
    if how == "missing":
        return
    data = {
        "truncated": lambda: raw[: len(raw) // 2],
        "empty": lambda: b"",
        "a list": lambda: b"[]",
        "another kind": lambda: json.dumps({**json.loads(text), "kind": "prompt"
                                            if json.loads(text)["kind"] != "prompt" else "plan"}).encode(),
        "schema 99": lambda: json.dumps({**json.loads(text), "schema_version": 99}).encode(),
        "not utf-8": lambda: b"\xff\xfe{\x00",
    }[how]()
    path.write_bytes(data)


ALL = ("truncated", "empty", "a list", "another kind", "schema 99", "not utf-8", "missing")
SOME = ("truncated", "another kind", "missing")

# (file in the book, command, damages it must refuse, damages it must survive by design)
CASES = [
    ("prompt.json", ["plan", "--prompt", "{book}/prompt.json", "-o", "{tmp}/x.json"], ALL, ()),
    ("plan.json", ["write", "{book}/plan.json", "-o", "{tmp}/x.json"], ALL, ()),
    ("candidates.json", ["rank", "{book}/candidates.json", "-o", "{tmp}/x.json"], ALL, ()),
    ("story.json", ["scene", "{book}"], ALL, ()),
    ("story.json", ["book", "{book}"], ALL, ()),
    ("story.json", ["narrate", "{book}"], SOME, ()),
    ("story.json", ["music", "{book}"], SOME, ()),
    ("story.json", ["sfx", "{book}"], SOME, ()),
    ("story.json", ["mix", "{book}"], SOME, ()),
    ("scenes/01/graph.json", ["scene", "{book}", "--only", "layout"], ALL, ()),
    ("scenes/01/layout.json", ["scene", "{book}", "--only", "render"], ALL, ()),
    ("scenes/01/layout.json", ["book", "{book}"], (), ALL),
    ("audio/01-narration.json", ["music", "{book}"], ALL[:-1], ("missing",)),
    ("audio/01-narration.json", ["sfx", "{book}"], SOME[:-1], ("missing",)),
    ("audio/01-narration.json", ["book", "{book}", "--epub"], ALL, ()),
    ("audio/01-narration.json", ["book", "{book}"], (), ALL),
]
MEDIA_CASES = [  # media files a command reads: not JSON, same promise
    ("audio/01-narration.wav", ["mix", "{book}"]),
    ("audio/01-music.wav", ["mix", "{book}"]),
    ("scenes/01/scene.png", ["book", "{book}", "--epub"]),
]


def _tree(book: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(book)): (p.stat().st_size, p.stat().st_ino)
            for p in book.rglob("*") if p.is_file()}


def _one(base_book: Path, root: Path, env: dict, rel: str, args: list[str], how: str) -> tuple:
    tag = "_".join(a for a in args[1:] if a.startswith("-"))
    tmp = root / f"{rel.replace('/', '_')}-{args[0]}{tag}-{how.replace(' ', '_')}"
    book = tmp / "book"
    shutil.copytree(base_book, book, copy_function=os.link)  # cheap; every write replaces a link
    _damage(book / rel, how)
    before = _tree(book)
    r = run([a.format(book=book, tmp=tmp) for a in args], env, timeout=300)
    after = _tree(book)
    shutil.rmtree(tmp)
    return r, before, after


def _run_cases(base_book, tmp_path, cases) -> list[tuple]:
    env = book_env(tmp_path / "home")
    grant(env)
    with ThreadPoolExecutor(2) as pool:  # two cores
        futures = [(case, pool.submit(_one, base_book, tmp_path, env, case[0], case[1], case[2]))
                   for case in cases]
        return [(case, f.result()) for case, f in futures]


def _expand(cases):
    for rel, args, refuse, survive in cases:
        yield from ((rel, args, how, True) for how in refuse)
        yield from ((rel, args, how, False) for how in survive)


def _check_refusal(r: Result, rel: str, before: dict, after: dict) -> None:
    line = assert_clean_error(r, Path(rel).name)
    assert any(h in line for h in HINTS), f"no advice in: {line}"
    assert after == before, "a refused command wrote into the book"


@pytest.mark.slow
def test_every_damaged_json_a_stage_reads(base_book, tmp_path):
    cases = list(_expand(CASES))
    refused = survived = 0
    for (rel, args, how, refuse), (r, before, after) in _run_cases(base_book, tmp_path, cases):
        where = f"{rel} {how} -> storygen {args[0]}"
        if refuse:
            try:
                _check_refusal(r, rel, before, after)
            except AssertionError as exc:
                raise AssertionError(f"{where}: {exc}") from None
            refused += 1
        else:
            assert r.rc == 0 and "Traceback" not in r.text, (where, r.text[-2000:])
            survived += 1
    record("damaged", bad_inputs_refused=refused, designed_fallbacks=survived)


@pytest.mark.slow
def test_damaged_media_files(base_book, tmp_path):
    cases = [(rel, args, how) for rel, args in MEDIA_CASES for how in ("truncated", "empty", "missing")]
    done = _run_cases(base_book, tmp_path, cases)
    for (rel, args, how), (r, before, after) in done:
        try:
            _check_refusal(r, rel, before, after)
        except AssertionError as exc:
            raise AssertionError(f"{rel} {how} -> storygen {args[0]}: {exc}") from None
    record("damaged", bad_inputs_refused=len(done))


@pytest.mark.slow
def test_damaged_manifest(base_book, tmp_path):
    """A finished book's manifest damaged: `make` of that book says so (exit 2) instead of
    trusting or silently overwriting it; `--force` makes it whole again; a batch names it."""
    env = book_env(tmp_path / "home")
    grant(env)
    out = tmp_path / "out"
    book = out / base_book.name
    make = ["make", *PICKS, "--seed", "1", "--out", str(out)]
    n = 0
    for how in ALL[:-1]:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(base_book, book, copy_function=os.link)
        _damage(book / "manifest.json", how)
        before = _tree(book)
        line = assert_clean_error(run(make, env, timeout=300), "manifest.json", "--force")
        assert _tree(book) == before, line
        n += 1
    prompts = tmp_path / "p.jsonl"
    prompts.write_text(json.dumps({"theme": "underwater", "hero": "mermaid", "color": "teal",
                                   "adjective": "silly", "seed": 1}) + "\n")
    r = run(["batch", str(prompts), "--out", str(out), "--report", str(tmp_path / "r.json")], env, timeout=300)
    assert r.rc == 1 and "Traceback" not in r.text, r.text[-2000:]
    (result,) = json.loads((tmp_path / "r.json").read_text())["results"]
    assert result["status"] == "failed" and "manifest.json" in result["error"] and "--force" in result["error"]
    r = run([*make, "--force"], env, timeout=600)
    assert r.rc == 0, r.text[-2000:]
    check_book(book)
    record("damaged", bad_inputs_refused=n + 1)


def _models_copy(root: Path) -> Path:
    dest = root / "models"
    shutil.copytree(MODELS_DIR, dest, copy_function=os.link)
    return dest


MODEL_FILES = [
    ("ranker/head.json", ["rank", "{book}/candidates.json", "--ranker", "coherence", "-o", "{tmp}/x.json"]),
    ("ranker/head.safetensors", ["rank", "{book}/candidates.json", "--ranker", "coherence", "-o", "{tmp}/x.json"]),
    ("ranker/disc.safetensors", ["rank", "{book}/candidates.json", "--ranker", "coherence", "-o", "{tmp}/x.json"]),
    ("generator/adapter_config.json", ["write", "{book}/plan.json", "--writer", "lm", "-k", "1", "-o", "{tmp}/x.json"]),
    ("generator/adapter_model.safetensors", ["write", "{book}/plan.json", "--writer", "lm", "-k", "1", "-o", "{tmp}/x.json"]),
]


@pytest.mark.slow
def test_damaged_model_files(base_book, tmp_path):
    env = book_env(tmp_path / "home")
    grant(env)
    n = 0
    for rel, args in MODEL_FILES:
        for how in ("missing", "truncated", "empty"):
            tmp = tmp_path / f"{rel.replace('/', '_')}-{how}"
            models = _models_copy(tmp)
            path = models / rel
            data = path.read_bytes()
            path.unlink()
            if how != "missing":
                path.write_bytes(data[: len(data) // 2] if how == "truncated" else b"")
            r = run([a.format(book=base_book, tmp=tmp) for a in args],
                    {**env, "RELIABILITY_MODELS_DIR": str(models)}, timeout=600,
                    exe=[sys.executable, "-m", "tests.reliability.with_models"])
            line = assert_clean_error(r, "storygen train")
            assert Path(rel).name in line or (how == "missing" and Path(rel).parent.name in line), line
            assert not (tmp / "x.json").exists()
            shutil.rmtree(tmp)
            n += 1
    record("damaged", bad_inputs_refused=n, model_files_damaged=n)


def _config_copy(root: Path) -> Path:
    dest = root / "configs"
    shutil.copytree(CONFIG_DIR, dest)
    return dest


@pytest.mark.slow
def test_damaged_configs(tmp_path):
    """A copied config folder (STORYGEN_CONFIG_DIR), never the shipped files."""
    n = 0
    options_edits = {
        "unknown key": lambda t: t.replace("colors:", "colours:"),
        "not YAML": lambda t: "themes: [underwater\n  - : :\n",
        "empty": lambda t: "",
        "not utf-8": lambda t: None,
    }
    for how, edit in options_edits.items():
        cfg = _config_copy(tmp_path / f"o-{how.replace(' ', '_')}")
        text = edit((cfg / "options.yaml").read_text())
        if text is None:
            (cfg / "options.yaml").write_bytes(b"\xff\xfe themes")
        else:
            (cfg / "options.yaml").write_text(text)
        env = book_env(tmp_path / "home", settings=cfg / "quick.yaml", STORYGEN_CONFIG_DIR=str(cfg))
        r = run(["make", *PICKS, "--out", str(tmp_path / "out")], env, timeout=300)
        line = assert_clean_error(r, "options.yaml")
        assert any(h in line for h in HINTS), line
        n += 1
    for how, text in {"not YAML": "seed: [0\n", "unknown backend": "backends:\n  writer: gpt9\n",
                      "unknown key": "sede: 3\n", "empty": ""}.items():
        settings = tmp_path / f"settings-{how.replace(' ', '_')}.yaml"
        settings.write_text(text)
        env = book_env(tmp_path / "home", settings=settings)
        r = run(["make", *PICKS, "--out", str(tmp_path / "out")], env, timeout=300)
        assert_clean_error(r, settings.name)
        n += 1
    assert visible_books(tmp_path / "out") == []
    record("damaged", bad_inputs_refused=n, configs_damaged=n)


@pytest.mark.slow
def test_options_with_an_unknown_hero(tmp_path):
    """options.yaml (a copy) offers 'kraken', which nothing else knows: refused in one line
    naming the hero, exit 2, no book."""
    cfg = _config_copy(tmp_path)
    text = (cfg / "options.yaml").read_text()
    (cfg / "options.yaml").write_text(text.replace("heroes: [mermaid, octopus", "heroes: [mermaid, kraken, octopus"))
    env = book_env(tmp_path / "home", settings=cfg / "quick.yaml", STORYGEN_CONFIG_DIR=str(cfg))
    grant(env)
    picks = [p if p != "mermaid" else "kraken" for p in PICKS]
    r = run(["make", *picks, "--out", str(tmp_path / "out")], env, timeout=300)
    line = assert_clean_error(r, "kraken")
    assert visible_books(tmp_path / "out") == []
    record("damaged", bad_inputs_refused=1)
    assert "baselines.yaml" in line or "options.yaml" in line, line  # the file is named


def test_batch_prompts_damaged(tmp_path):
    """Fast (in-process): an empty, binary or missing prompts file exits 2 before anything; a
    broken line is that line's failure, named in the summary."""
    from click.testing import CliRunner

    from storygen import consent
    from storygen.cli import main

    consent.grant("Test Parent")
    runner = CliRunner()
    out = tmp_path / "out"
    for name, data, fragment in (("empty.jsonl", b"\n \n", "has no prompts"),
                                 ("binary.jsonl", b"\xff\xfe\x00{", "Cannot read"),
                                 ("dir.jsonl", None, "is a directory")):
        path = tmp_path / name
        path.mkdir() if data is None else path.write_bytes(data)
        r = runner.invoke(main, ["batch", str(path), "--out", str(out)])
        assert r.exit_code == 2 and fragment in r.output and "Traceback" not in r.output, r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"theme": "underwater", "hero": "mermaid", "color": "teal", "adjective": "si\n[]\n')
    r = runner.invoke(main, ["batch", str(bad), "--out", str(out), "--report", str(tmp_path / "r.json")])
    assert r.exit_code == 1 and "line 1" in r.output and "line 2" in r.output, r.output
    results = json.loads((tmp_path / "r.json").read_text())["results"]
    assert [x["status"] for x in results] == ["failed", "failed"]
    assert "not valid JSON" in results[0]["error"] and "expected a JSON object" in results[1]["error"]
    assert not out.exists() or visible_books(out) == []
    record("damaged", bad_inputs_refused=5)
