"""Parental consent: what a record holds, `make` refusing without one, and `revoke` deleting the
profile's books (asking first unless --yes)."""
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from storygen import consent
from storygen.cli import main
from storygen.errors import ConsentError, StorygenError
from storygen.io import write_record

from .samples import MANIFEST, PROMPT


def _stored_book(folder, profile="default"):
    write_record(folder / "manifest.json", replace(MANIFEST, prompt=replace(MANIFEST.prompt, profile=profile)))
    (folder / "book.html").write_text("<!doctype html>")
    return folder


def test_record_holds_guardian_and_time_only(storygen_home):
    rec = consent.grant("  Ann   Lee ", "kids")
    data = json.loads((storygen_home / "profiles/kids/consent.json").read_text())
    assert data == {"kind": "consent", "schema_version": 1, "profile": "kids",
                    "guardian": "Ann Lee", "granted_at": rec.granted_at}
    assert rec.granted_at.endswith("+00:00")


@pytest.mark.parametrize("name", ["", "   ", "A" * 101, "Ann\x00Lee", "Ann\u200bLee"])
def test_guardian_name_must_be_a_plain_name(name, storygen_home):
    with pytest.raises(StorygenError, match="guardian"):
        consent.grant(name)
    assert not (storygen_home / "profiles").exists()


def test_make_refuses_without_consent(tmp_path):
    from storygen.config import settings
    from storygen.pipeline import make_book

    with pytest.raises(ConsentError, match="storygen consent grant --guardian NAME --profile default"):
        make_book(PROMPT, tmp_path / "books", settings())
    assert not (tmp_path / "books").exists()


def test_revoke_deletes_only_the_profiles_books(tmp_path, storygen_home):
    consent.grant("Ann Lee", "kids")
    consent.grant("Bo", "other")
    mine = _stored_book((tmp_path / "my books" / "b1").resolve(), "kids")  # a space in the path
    theirs = _stored_book(_mkdir(tmp_path / "b2"), "other")
    fake = _mkdir(tmp_path / "not-a-book")
    (fake / "manifest.json").write_text(json.dumps({"kind": "story"}))
    for book in (mine, fake):
        consent.register_book(book, "kids")
    consent.register_book(theirs, "other")
    assert consent.books_of("kids") == [str(mine), str(fake)]
    deleted = consent.revoke("kids")
    assert deleted == [str(mine)] and not mine.exists()
    assert fake.exists() and theirs.exists()  # never a folder that is not a book, nor another profile's
    assert consent.status("kids") is None and consent.status("other") is not None


def _mkdir(path):
    path.mkdir(parents=True)
    return path


def test_cli_revoke_asks_first(tmp_path, storygen_home):
    consent.grant("Ann Lee")
    book = _stored_book(_mkdir(tmp_path / "b"))
    consent.register_book(book)
    result = CliRunner().invoke(main, ["consent", "revoke"], input="n\n")
    assert result.exit_code == 1 and "delete 1 book(s)?" in result.output
    assert book.exists() and consent.status() is not None
    result = CliRunner().invoke(main, ["consent", "revoke"], input="y\n")
    assert result.exit_code == 0 and "deleted 1 book(s)" in result.output
    assert not book.exists() and consent.status() is None
