"""Promise 5 — safety at volume. Stories from the shipped defaults (configs/default.yaml) over
seeded random picks, each checked by storygen's output filter and by a second, independent word
list (unsafe_words.txt, its own matcher): 0 unsafe words. And the red-team inputs
(data/redteam/inputs.jsonl: picks and profiles; files.jsonl: injection text in the fields of
every JSON a command reads), each refused cleanly by a real `storygen` process: exit 2, the
reason in one line, nothing written.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen import consent, safety
from storygen.config import DATA_DIR, settings as load_settings
from storygen.io import write_record
from storygen.options import load_options

from ..samples import GRAPH, LAYOUT, NARRATION
from .support import DEFAULTS, assert_clean_error, book_env, grant, record, run, visible_books

HERE = Path(__file__).parent
REDTEAM = DATA_DIR / "redteam"


# ------------------------------------------------------------------ the independent word list


@lru_cache(maxsize=None)
def _own_list() -> tuple[frozenset[str], tuple[str, ...]]:
    entries = [ln.split("#")[0].strip().lower() for ln in (HERE / "unsafe_words.txt").read_text().splitlines()]
    entries = [e for e in entries if e]
    return frozenset(e for e in entries if " " not in e), tuple(e for e in entries if " " in e)


_CONTACT = re.compile(r"https?://|www\.|\b[\w.+-]+@[\w-]+\.[a-z]{2,}\b|\b\d{3}[-. ]?\d{3}[-. ]?\d{4}\b")


def _forms(token: str) -> set[str]:
    """The token and what it may be an ending away from: killed -> kill, stabbed -> stab,
    dies -> die, exploded -> explode, terrified -> terrify."""
    out = {token}
    for end in ("ing", "ers", "er", "ed", "es", "ly", "s"):
        stem = token[: -len(end)]
        if token.endswith(end) and len(stem) >= 2:
            out |= {stem, stem + "e"} if end in ("ing", "ed", "er", "ers", "es") else {stem}
            if len(stem) >= 3 and stem[-1] == stem[-2]:
                out.add(stem[:-1])
    if token.endswith("ied"):
        out.add(token[:-3] + "y")
    return out


def own_check(text: str) -> list[str]:
    """Unsafe words found by this suite's own list and matcher (not storygen's)."""
    words, phrases = _own_list()
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    tokens = re.findall(r"[a-z]+", text)
    found = sorted({t for t in tokens if _forms(t) & words})
    joined = f" {' '.join(tokens)} "
    found += [p for p in phrases if f" {p} " in joined]
    found += _CONTACT.findall(text)
    return found


def test_the_independent_list_finds_what_it_should():
    assert own_check("The pirate stabbed the fish.") == ["stabbed"]
    assert own_check("Visit www.example.com or call 555-123-4567") == ["www.", "555-123-4567"]
    assert own_check("They said SHUT UP and the zombie terrified everyone") == ["terrified", "zombie", "shut up"]
    assert own_check("A kind mermaid swam under a warm, shining moon and sang.") == []


# ------------------------------------------------------------------ stories at volume


def _stories(n: int, seed: int = 21):
    """(prompt, story) for n seeded random picks, made by the shipped defaults' text stages."""
    from storygen.story import choose_story, make_plan, write_candidates

    cfg = load_settings(str(DEFAULTS))
    b = cfg.backends
    opts = load_options()
    rng = random.Random(seed)
    for _ in range(n):
        theme = rng.choice(list(opts.themes))
        prompt = opts.prompt(theme, rng.choice(opts.themes[theme].heroes), rng.choice(list(opts.colors)),
                             rng.choice(opts.adjectives), rng.randrange(100_000))
        cands = write_candidates(make_plan(prompt, b.planner), cfg.candidates, b.writer)
        story, _ = choose_story(cands, b.ranker, b.writer, cfg.max_regenerations)
        yield prompt, story


def _check_stories(n: int) -> dict:
    unsafe, fallbacks = [], 0
    for prompt, story in _stories(n):
        text = "\n".join((story.title, *story.scenes))
        flags = safety.check("\n".join(story.scenes)) + safety.check(story.title, classifier=False)
        own = own_check(text)
        if flags or own:
            unsafe.append((prompt, [f.term for f in flags], own))
        fallbacks += story.source.startswith("fallback")
    assert unsafe == [], unsafe[:5]
    return {"stories_checked": n, "unsafe": len(unsafe), "fallbacks": fallbacks}


def test_stories_from_the_shipped_defaults_are_clean_quick():
    _check_stories(25)


@pytest.mark.slow
def test_500_stories_from_the_shipped_defaults_are_clean():
    counts = _check_stories(500)
    record("safety", **counts)


# ------------------------------------------------------------------ red-team inputs


def _load(name: str) -> list[dict]:
    return [json.loads(ln) for ln in (REDTEAM / name).read_text(encoding="utf-8").splitlines() if ln.strip()]


INPUTS, FILES = _load("inputs.jsonl"), _load("files.jsonl")
PICKS = {"theme": "underwater", "hero": "mermaid", "color": "teal", "adjective": "silly"}


def _value(case: dict):
    return case["repeat"]["text"] * case["repeat"]["times"] if "repeat" in case else case["value"]


def test_the_red_team_set_is_big_enough():
    assert len(INPUTS) + len(FILES) >= 300 and len(INPUTS) >= 300
    assert len({c["id"] for c in INPUTS + FILES}) == len(INPUTS) + len(FILES)
    assert {c["file"] for c in FILES} == {"prompt.json", "plan.json", "candidates.json", "story.json",
                                          "scenes/01/graph.json", "scenes/01/layout.json",
                                          "audio/01-narration.json", "consent.json", "prompts.jsonl"}


def _argv_ok(value: str) -> bool:
    """A value an argv string can carry: no NUL, under the kernel's 128 kB per argument."""
    return "\x00" not in value and len(value.encode("utf-8", "surrogatepass")) < 100_000


def _cli_input_case(case: dict, env: dict, tmp: Path) -> tuple[dict, object]:
    if not _argv_ok(_value(case)):  # through a prompts.jsonl line instead: the same guard
        line = dict(PICKS, theme=case.get("theme", PICKS["theme"]))
        line[case["field"]] = _value(case)
        path, report = tmp / f"{case['id']}.jsonl", tmp / f"{case['id']}.report.json"
        path.write_text(json.dumps(line) + "\n")
        return case, [run(["batch", str(path), "--out", str(tmp / "out"), "--report", str(report)],
                          env, timeout=120), report]
    if case["field"] == "profile":
        return case, [run(["consent", "grant", "--guardian", "A B", "--profile", _value(case)], env, timeout=120),
                      run(["make", *_picks_args(PICKS), "--profile", _value(case), "--out", str(tmp / "out")],
                          env, timeout=120)]
    picks = dict(PICKS, theme=case.get("theme", PICKS["theme"]))
    picks[case["field"]] = _value(case)
    if case["expect"] == "accept":  # `plan` shows the pick was accepted, without making a book
        out = tmp / f"{case['id']}.json"
        return case, [run(["plan", *_picks_args(picks), "-o", str(out)], env, timeout=120), out]
    return case, [run(["make", *_picks_args(picks), "--out", str(tmp / "out")], env, timeout=120)]


def _picks_args(picks: dict) -> list[str]:
    return ["--theme", picks["theme"], "--hero", picks["hero"], "--color", picks["color"], "--adj", picks["adjective"]]


@pytest.mark.slow
def test_every_red_team_pick_is_refused_by_a_real_process(tmp_path):
    env = book_env(tmp_path / "home")
    grant(env)
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda c: _cli_input_case(c, env, tmp_path), INPUTS))
    refused = accepted = by_batch = 0
    for case, results in done:
        try:
            if not _argv_ok(_value(case)):
                r, report = results
                assert r.rc == 1 and "Traceback" not in r.text, r.text[-1000:]
                (result,) = json.loads(report.read_text())["results"]
                assert result["status"] == "failed" and case["message"] in result["error"], result
                assert len(result["error"]) < 400
                refused, by_batch = refused + 1, by_batch + 1
            elif case["field"] == "profile":
                for r in results:
                    assert_clean_error(r, "is not allowed")
                refused += 1
            elif case["expect"] == "accept":
                r, out = results
                assert r.rc == 0, r.text[-1000:]
                assert json.loads(out.read_text())["prompt"][case["field"]] == case["normalised"]
                accepted += 1
            else:
                line = assert_clean_error(results[0], case["message"])
                assert len(line) < 400  # never the 100,000-character input echoed back
                refused += 1
        except AssertionError as exc:
            raise AssertionError(f"{case['id']}: {exc}") from None
    profiles = sorted(p.name for p in (tmp_path / "home/profiles").iterdir())
    assert profiles == ["default"], profiles  # no refused profile left a folder
    assert visible_books(tmp_path / "out") == []
    record("safety", bad_inputs_refused=refused, good_inputs_accepted=accepted, through_batch_lines=by_batch)


# ------------------------------------------------------------------ injection in files


def _set(data, dotted: str, value):
    keys = dotted.split(".")
    for key in keys[:-1]:
        data = data[int(key)] if isinstance(data, list) else data[key]
    last = keys[-1]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def _file_case(case: dict, book: Path, home: Path, tmp: Path) -> tuple[list[str], Path]:
    """Edit the case's file as the case says; return the command that reads it."""
    out = tmp / "x.json"
    if case["file"] == "prompts.jsonl":
        line = dict(PICKS)
        _set(line, case["field"], case["value"])
        (tmp / "p.jsonl").write_text(json.dumps(line) + "\n")
        return ["batch", str(tmp / "p.jsonl"), "--out", str(tmp / "out"), "--report", str(tmp / "r.json")], out
    path = home / "profiles/default/consent.json" if case["file"] == "consent.json" else book / case["file"]
    data = json.loads(path.read_text(encoding="utf-8"))
    _set(data, case["field"], case["value"])
    path.unlink()  # a hard-linked copy: never write through to the original
    path.write_text(json.dumps(data))
    command = {
        "plan": ["plan", "--prompt", str(book / "prompt.json"), "-o", str(out)],
        "write": ["write", str(book / "plan.json"), "-o", str(out)],
        "rank": ["rank", str(book / "candidates.json"), "-o", str(out)],
        "book": ["book", str(book)],
        "scene-layout": ["scene", str(book), "--only", "layout"],
        "scene-render": ["scene", str(book), "--only", "render"],
        "music": ["music", str(book)],
        "make": ["make", *_picks_args(PICKS), "--out", str(tmp / "out")],
    }[case["command"]]
    return command, out


def _tree(book: Path) -> dict:
    return {str(p.relative_to(book)): p.stat().st_ino for p in book.rglob("*") if p.is_file()}


def _judge(case: dict, rc: int, text: str, error_lines: list[str], tmp: Path, out: Path,
           changed: bool) -> None:
    if case["expect"] == "filter":  # the candidate is refused by the filter: never the story
        assert rc == 0 and "Traceback" not in text, text[-1000:]
        story = json.loads(out.read_text())
        assert case["value"] not in "\n".join([story["title"], *story["scenes"]])
        return
    if case["file"] == "prompts.jsonl":
        assert rc == 1 and "Traceback" not in text, text[-1000:]
        (result,) = json.loads((tmp / "r.json").read_text())["results"]
        assert result["status"] == "failed" and case["message"] in result["error"], result
        return
    assert "Traceback" not in text and rc == 2, (rc, text[-1500:])
    assert len(error_lines) == 1 and case["message"] in error_lines[0], error_lines
    assert not out.exists() and not changed, "a refused command wrote something"


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    """A book folder for the in-process check: the text files made by the template stages
    (quick, no model), a scene graph, layout and narration from tests/samples.py fitted to it."""
    from dataclasses import replace

    from storygen.story import choose_story, make_plan, write_candidates

    book = tmp_path_factory.mktemp("sample") / "book"
    prompt = load_options().prompt("underwater", "mermaid", "teal", "silly", 1)
    plan = make_plan(prompt, "template")
    cands = write_candidates(plan, 2, "template")
    story, _ = choose_story(cands, "heuristic", "template", 1)
    layout = replace(LAYOUT, background=replace(LAYOUT.background, variant="reef-day"))
    for name, rec in (("prompt.json", prompt), ("plan.json", plan), ("candidates.json", cands),
                      ("story.json", story), ("scenes/01/graph.json", replace(GRAPH, text=story.scenes[0])),
                      ("scenes/01/layout.json", layout),
                      ("audio/01-narration.json", replace(NARRATION, text=story.scenes[0]))):
        write_record(book / name, rec)
    return book


@pytest.mark.parametrize("case", FILES, ids=lambda c: c["id"])
def test_file_field_injection_in_process(case, sample_book, tmp_path, storygen_home):
    """Fast: every files.jsonl case through the command in-process (CliRunner), on sample records."""
    consent.grant("Test Parent")
    book = tmp_path / "book"
    shutil.copytree(sample_book, book, copy_function=os.link)
    command, out = _file_case(case, book, storygen_home, tmp_path)
    before = _tree(book)
    result = CliRunner().invoke(_main(), command)
    text = result.output + (repr(result.exception) if result.exception and not isinstance(result.exception, SystemExit) else "")
    lines = [ln for ln in result.output.splitlines() if ln.strip()] if result.exit_code == 2 else []
    _judge(case, result.exit_code, text, lines, tmp_path, out, _tree(book) != before)


def _main():
    from storygen.cli import main

    return main


@pytest.mark.slow
def test_file_field_injection_by_real_processes(base_book, tmp_path):
    home = tmp_path / "home"
    env = book_env(home)
    grant(env)
    good_consent = (home / "profiles/default/consent.json").read_text()

    def one(case):
        tmp = tmp_path / case["id"]
        book = tmp / "book"
        shutil.copytree(base_book, book, copy_function=os.link)
        case_home = tmp / "home"
        shutil.copytree(home, case_home)
        command, out = _file_case(case, book, case_home, tmp)
        before = _tree(book)
        r = run(command, {**env, "STORYGEN_HOME": str(case_home)}, timeout=300)
        return case, r, tmp, out, _tree(book) != before

    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(one, FILES))
    kinds = {}
    for case, r, tmp, out, changed in done:
        try:
            _judge(case, r.rc, r.text, r.error_lines(), tmp, out, changed)
        except AssertionError as exc:
            raise AssertionError(f"{case['id']}: {exc}") from None
        kinds[case["expect"]] = kinds.get(case["expect"], 0) + 1
        shutil.rmtree(tmp)
    assert good_consent
    record("safety", bad_inputs_refused=kinds.get("refuse", 0), unsafe_candidates_filtered=kinds.get("filter", 0))
