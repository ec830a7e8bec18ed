import json

import pytest

from storygen.errors import RecordError
from storygen.io import dumps, read_record, write_record
from storygen.records import ALL_RECORDS, Plan, Prompt, Story

from .samples import ALL, PLAN, PROMPT, STORY


def test_every_record_kind_has_a_sample():
    assert {type(r) for r in ALL} == set(ALL_RECORDS)


@pytest.mark.parametrize("record", ALL, ids=lambda r: type(r).__name__)
def test_round_trip_through_json(record, tmp_path):
    path = write_record(tmp_path / "r.json", record)
    again = read_record(path, type(record))
    assert again == record
    assert dumps(again) == path.read_text()  # stable bytes, not just equal values


def test_top_level_records_carry_kind_and_schema_version():
    data = STORY.to_dict()
    assert data["kind"] == "story" and data["schema_version"] == 1
    assert "kind" not in data["scores"][0]  # nested records stay plain


def test_wrong_kind_is_refused():
    with pytest.raises(RecordError, match="not a plan file"):
        Plan.from_dict(PROMPT.to_dict())


def test_future_schema_version_is_refused():
    data = PROMPT.to_dict() | {"schema_version": 99}
    with pytest.raises(RecordError, match="schema_version 99"):
        Prompt.from_dict(data)


def test_type_errors_name_the_field():
    data = PLAN.to_dict()
    data["scenes"][1] = "shell"
    with pytest.raises(RecordError, match=r"Plan.scenes\[1\]: expected a list"):
        Plan.from_dict(data)
    data = PROMPT.to_dict() | {"seed": "three"}
    with pytest.raises(RecordError, match=r"seed: expected int"):
        Prompt.from_dict(data)


def test_unknown_and_missing_keys():
    with pytest.raises(RecordError, match="unknown key.*colour"):
        Prompt.from_dict(PROMPT.to_dict() | {"colour": "teal"})
    data = PROMPT.to_dict()
    del data["hero"]
    with pytest.raises(RecordError, match="missing field 'hero'"):
        Prompt.from_dict(data)


def test_corrupted_file_message(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"kind": "plan", "scenes": [')
    with pytest.raises(RecordError, match="not valid JSON.*regenerate"):
        read_record(path, Plan)
    with pytest.raises(RecordError, match="does not exist"):
        read_record(tmp_path / "nope.json", Plan)


def test_records_are_frozen():
    with pytest.raises(Exception):
        PROMPT.hero = "octopus"  # type: ignore[misc]


def test_json_is_plain_and_ordered():
    text = dumps(PROMPT)
    assert json.loads(text) == {"kind": "prompt", "schema_version": 1, "theme": "underwater",
                                "hero": "mermaid", "color": "teal", "adjective": "silly",
                                "seed": 3, "profile": "default"}
    assert text.endswith("}\n")
