"""Commands through click's CliRunner: outputs on disk, and every error path ends in exit 2."""
import json

import pytest
from click.testing import CliRunner

from storygen.cli import main
from storygen.io import read_record
from storygen.records import Candidates, Plan, Story

PICKS = ["--theme", "underwater", "--hero", "mermaid", "--color", "teal", "--adj", "silly"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_clean_error(result, *fragments):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_options_table_and_json():
    result = run("options")
    assert result.exit_code == 0 and "mermaid" in result.output and "teal" in result.output
    data = json.loads(run("options", "--json").output)
    assert data["themes"]["underwater"]["heroes"][0] == "mermaid"
    assert data["colors"]["teal"].startswith("#")


def test_consent_grant_status_revoke(storygen_home):
    assert run("consent", "status").exit_code == 1
    assert run("consent", "grant", "--guardian", "Ann Lee").exit_code == 0
    stored = json.loads((storygen_home / "profiles/default/consent.json").read_text())
    assert stored["guardian"] == "Ann Lee" and set(stored) == {"kind", "schema_version", "profile", "guardian", "granted_at"}
    assert "Ann Lee" in run("consent", "status").output
    assert run("consent", "revoke", "--yes").exit_code == 0
    assert run("consent", "status").exit_code == 1


def test_consent_bad_profile_name():
    assert_clean_error(run("consent", "grant", "--guardian", "X", "--profile", "../etc"), "not allowed")


def test_plan_write_rank_chain(consented, tmp_path):
    plan_path, cand_path, story_path = tmp_path / "plan.json", tmp_path / "c.json", tmp_path / "s.json"
    assert run("plan", *PICKS, "--seed", 5, "-o", plan_path).exit_code == 0
    assert read_record(plan_path, Plan).prompt.seed == 5
    assert run("write", plan_path, "-k", 3, "-o", cand_path).exit_code == 0
    assert len(read_record(cand_path, Candidates).candidates) == 3
    result = run("rank", cand_path, "-o", story_path)
    assert result.exit_code == 0, result.output
    story = read_record(story_path, Story)
    assert story.ranker == "heuristic" and len(story.scores) == 3 and 0 <= story.chosen < 3


def test_rank_keeps_regenerated_candidates_and_needs_consent(consented, storygen_home, tmp_path):
    from dataclasses import replace

    from storygen.io import write_record
    plan_path, cand_path, story_path = tmp_path / "plan.json", tmp_path / "c.json", tmp_path / "s.json"
    assert run("plan", *PICKS, "--seed", 5, "-o", plan_path).exit_code == 0
    assert run("write", plan_path, "-k", 2, "-o", cand_path).exit_code == 0
    cands = read_record(cand_path, Candidates)
    unsafe = tuple(replace(c, scenes=(c.scenes[0] + " Go to www.example.com now.",) + c.scenes[1:])
                   for c in cands.candidates)
    write_record(cand_path, replace(cands, candidates=unsafe))
    result = run("rank", cand_path, "-o", story_path)
    assert result.exit_code == 0, result.output
    regenerated = read_record(tmp_path / "s.candidates.json", Candidates)
    assert regenerated.candidates != unsafe and len(regenerated.candidates) == 2
    assert read_record(story_path, Story).scenes in [c.scenes for c in regenerated.candidates]
    assert run("consent", "revoke", "--yes").exit_code == 0
    assert_clean_error(run("rank", cand_path, "-o", tmp_path / "t.json"), "No parent/guardian consent")
    assert not (tmp_path / "t.json").exists()


def test_plan_from_prompt_file_is_revalidated(consented, tmp_path):
    from storygen.io import write_record

    from .samples import PROMPT
    write_record(tmp_path / "prompt.json", PROMPT)
    assert run("plan", "--prompt", tmp_path / "prompt.json", "-o", tmp_path / "p.json").exit_code == 0
    raw = json.loads((tmp_path / "prompt.json").read_text())
    raw["hero"] = "a mermaid who is mean"
    (tmp_path / "prompt.json").write_text(json.dumps(raw))
    assert_clean_error(run("plan", "--prompt", tmp_path / "prompt.json", "-o", tmp_path / "q.json"), "Unknown hero")
    assert not (tmp_path / "q.json").exists()


@pytest.mark.parametrize("picks,message", [
    (["--theme", "volcano", "--hero", "mermaid", "--color", "teal", "--adj", "silly"], "Unknown theme 'volcano'"),
    (["--theme", "underwater", "--hero", "dragon", "--color", "teal", "--adj", "silly"], "choose one of: mermaid"),
    (["--theme", "underwater", "--hero", "mermaid", "--color", "teal", "--adj", "scary"], "Unknown adjective 'scary'"),
    (["--theme", "underwater", "--hero", "Tell me a story about sharks", "--color", "teal", "--adj", "silly"], "Unknown hero"),
])
def test_make_refuses_bad_picks_without_writing(consented, tmp_path, picks, message):
    out = tmp_path / "books"
    assert_clean_error(run("make", *picks, "--out", out), message)
    assert not out.exists()


def test_make_without_consent(tmp_path):
    out = tmp_path / "books"
    assert_clean_error(run("make", *PICKS, "--out", out), "storygen consent grant --guardian")
    assert not out.exists()


def test_plan_without_consent(tmp_path):
    assert_clean_error(run("plan", *PICKS, "-o", tmp_path / "p.json"), "consent")
    assert not (tmp_path / "p.json").exists()


def test_make_unwritable_out(consented, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert_clean_error(run("make", *PICKS, "--out", blocker / "books"), "choose another --out")
    assert blocker.read_text() == "x"


def test_write_refuses_corrupted_plan(consented, tmp_path):
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    bad = tmp_path / "plan.json"
    bad.write_text('{"kind": "plan", "schema_version": 1, "prompt": ')
    out = tmp_path / "c.json"
    assert_clean_error(run("write", bad, "-o", out), "not valid JSON", "regenerate")
    assert not out.exists()
    bad.write_text(json.dumps({"kind": "story", "schema_version": 1}))
    assert_clean_error(run("write", bad, "-o", out), "not a plan file")
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]  # no temp files left either


def test_one_error_handler_for_every_command(tmp_path, monkeypatch):
    """Bad input is exit 2 with one line; a bug is exit 1 with one short line, not a traceback
    (STORYGEN_DEBUG=1 lets it through); the same for a command run outside the top group."""
    import storygen.options as options_mod
    from storygen.cli.story import options as options_cmd

    def broken(*_, **__):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("storygen.cli.story.load_options", broken)
    monkeypatch.delenv("STORYGEN_DEBUG", raising=False)
    for cmd, args in ((main, ["options"]), (options_cmd, [])):
        result = CliRunner().invoke(cmd, args)
        assert result.exit_code == 1, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines == ["Error: unexpected ZeroDivisionError: division by zero (this is a bug in storygen;"
                         " run again with STORYGEN_DEBUG=1 to see where)"]
    monkeypatch.setenv("STORYGEN_DEBUG", "1")
    result = CliRunner().invoke(main, ["options"])
    assert isinstance(result.exception, ZeroDivisionError)

    def refused(*_, **__):
        raise options_mod.OptionError("Unknown theme 'volcano'; choose one of: farm")

    monkeypatch.setattr("storygen.cli.story.load_options", refused)
    result = CliRunner().invoke(options_cmd, [])
    assert result.exit_code == 2 and result.stderr.strip() == "Error: Unknown theme 'volcano'; choose one of: farm"
