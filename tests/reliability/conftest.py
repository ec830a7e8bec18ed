import shutil

import pytest

from .support import PICKS, book_env, check_book, grant, run


@pytest.fixture(scope="session")
def base_book(tmp_path_factory):
    """One finished book (configs/quick.yaml), made once per session by a real `storygen make`;
    tests copy it rather than make their own."""
    root = tmp_path_factory.mktemp("base")
    env = book_env(root / "home")
    grant(env)
    r = run(["make", *PICKS, "--seed", "1", "--out", str(root / "out")], env, timeout=600)
    assert r.rc == 0, r.text[-3000:]
    (book,) = (root / "out").iterdir()
    check_book(book)
    return book


@pytest.fixture
def book_copy(base_book, tmp_path):
    """A private copy of the base book, with its own consented home."""
    book = tmp_path / "out" / base_book.name
    shutil.copytree(base_book, book)
    env = book_env(tmp_path / "home")
    grant(env)
    return book, env
