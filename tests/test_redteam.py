"""The red-team set (data/redteam/, see its README): every case, every run."""
import json
from collections import Counter
from dataclasses import replace

import pytest

from storygen import consent, safety
from storygen.book import write_book
from storygen.config import DATA_DIR
from storygen.errors import OptionError, StorygenError
from storygen.options import load_options
from storygen.backends import WRITERS
from storygen.records import Candidate, Candidates
from storygen.story import choose_story

from .samples import PLAN, SCENES, STORY

REDTEAM = DATA_DIR / "redteam"
PICKS = {"theme": "underwater", "hero": "mermaid", "color": "teal", "adjective": "silly"}
INPUT_CATEGORIES = {"bad_option", "injection", "long_input", "unicode", "accepted", "profile"}
OUTPUT_CATEGORIES = {"violence", "fear", "adult", "insult", "brands", "contact", "profanity",
                     "classifier", "length", "safe", "markup"}


def _load(name: str) -> list[dict]:
    lines = (REDTEAM / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


INPUTS, OUTPUTS = _load("inputs.jsonl"), _load("outputs.jsonl")
UNSAFE = [c for c in OUTPUTS if c["expect"]]


def _value(case: dict) -> str:
    if "repeat" in case:
        return case["repeat"]["text"] * case["repeat"]["times"]
    return case["text"] if "text" in case else case["value"]


def _picks(case: dict) -> dict:
    picks = dict(PICKS, theme=case.get("theme", PICKS["theme"]))
    picks[case["field"]] = _value(case)
    return picks


def test_the_set_is_well_formed_and_big_enough():
    cases = INPUTS + OUTPUTS
    assert len(cases) >= 100
    assert len({c["id"] for c in cases}) == len(cases)
    assert {c["category"] for c in INPUTS} == INPUT_CATEGORIES
    assert {c["category"] for c in OUTPUTS} == OUTPUT_CATEGORIES
    counts = Counter(c["category"] for c in cases)
    assert all(n >= 4 for cat, n in counts.items() if cat not in ("length",)), counts
    for c in INPUTS:
        assert c["expect"] in ("refuse", "accept") and c["field"] in (*PICKS, "profile")
        assert ("message" in c) == (c["expect"] == "refuse")


@pytest.mark.parametrize("case", [c for c in INPUTS if c["field"] != "profile"], ids=lambda c: c["id"])
def test_input_guard(case):
    picks = _picks(case)
    if case["expect"] == "accept":
        for name, value in picks.items():
            safety.check_pick(name, value)
        assert getattr(load_options().prompt(**picks), case["field"]) == case["normalised"]
        return
    with pytest.raises(OptionError):  # what `storygen make` runs today
        load_options().prompt(**picks)
    with pytest.raises(OptionError) as exc:  # with the character guard first: says why
        for name, value in picks.items():
            safety.check_pick(name, value)
        load_options().prompt(**picks)
    message = str(exc.value)
    assert case["message"] in message, message
    assert len(message) < 300  # never the whole 100,000-character input echoed back


@pytest.mark.parametrize("case", [c for c in INPUTS if c["field"] == "profile"], ids=lambda c: c["id"])
def test_profile_names(case, storygen_home):
    with pytest.raises(StorygenError, match=case["message"]):
        consent.grant("A Guardian", _value(case))
    with pytest.raises(StorygenError, match=case["message"]):
        consent.require(_value(case))
    assert not (storygen_home / "profiles").exists() or not any(
        p.name != "default" for p in (storygen_home / "profiles").iterdir())


@pytest.mark.parametrize("case", OUTPUTS, ids=lambda c: c["id"])
def test_output_filter(case):
    text = _value(case)
    found = safety.categories(text)
    if not case["expect"]:
        assert found == [], safety.rejection_reason([text])
        assert safety.rejection_reason([text]) is None
        return
    assert set(case["expect"]) <= set(found), (found, safety.rejection_reason([text]))
    assert safety.rejection_reason(SCENES[:2] + (text,) + SCENES[3:])


def test_no_unsafe_text_ever_becomes_the_story(monkeypatch):
    """Each unsafe case as the only thing the writer can produce: the story must be the
    curated fallback (which passes the filter), and story.json must say why."""
    case_text = {}

    def writer(self, plan, k, seed):
        bad = SCENES[:2] + (case_text["now"],) + SCENES[3:]
        return Candidates(plan=plan, candidates=tuple(
            Candidate(scenes=bad, seed=seed + i, backend="redteam") for i in range(k)))

    monkeypatch.setattr(WRITERS.create("template").__class__, "write", writer)
    for case in UNSAFE:
        case_text["now"] = _value(case)
        cands = writer(None, PLAN, 2, 1)
        story, final = choose_story(cands, regenerations=1)
        assert story.chosen == -1 and story.source.startswith("fallback:"), case["id"]
        assert case_text["now"] not in story.scenes, case["id"]
        assert safety.check("\n".join(story.scenes)) == [], (case["id"], story.source)
        assert all(s.rejected for s in story.scores), case["id"]


@pytest.mark.parametrize("case", [c for c in OUTPUTS if c["category"] == "markup"], ids=lambda c: c["id"])
def test_markup_is_shown_as_text(case, tmp_path):
    text = _value(case)
    write_book(replace(STORY, scenes=(text,) + STORY.scenes[1:]), tmp_path, "#00897B")
    page = (tmp_path / "book.html").read_text().split('<section class="page" id="p01"')[1]
    page = page.split("</section>")[0]
    for tag in ("<script", "<img src=x", "<iframe", "<style", "<b>"):
        assert tag not in page, (tag, page)
