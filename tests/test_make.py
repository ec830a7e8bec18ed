"""`storygen make` end to end on the default backends: the book folder contract, determinism,
and no partial book on failure."""
import json

import pytest
from click.testing import CliRunner

from storygen.cli import main
from storygen.errors import StorygenError

PICKS = ["--theme", "underwater", "--hero", "mermaid", "--color", "teal", "--adj", "silly"]
NAME = "underwater-mermaid-teal-silly-seed7"
EXPECTED = ["prompt.json", "plan.json", "candidates.json", "story.json", "book.html", "manifest.json"] + [
    f"scenes/{i:02d}/{f}" for i in range(1, 6) for f in ("graph.json", "layout.json", "scene.png")
] + [f"audio/{i:02d}-{f}" for i in range(1, 6) for f in ("narration.wav", "music.mid", "music.wav", "sfx.wav", "mix.wav")]


@pytest.fixture(scope="module")
def two_books(tmp_path_factory):
    """The same picks and seed made twice, into two folders (one module-wide run: ~30 s)."""
    home = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("STORYGEN_HOME", str(home))
    runner = CliRunner()
    assert runner.invoke(main, ["consent", "grant", "--guardian", "Tester"]).exit_code == 0
    books = []
    for n in (1, 2):
        out = tmp_path_factory.mktemp(f"books{n}")
        result = runner.invoke(main, ["make", *PICKS, "--seed", "7", "--out", str(out)])
        assert result.exit_code == 0, result.output
        books.append(out / NAME)
    yield books
    mp.undo()


def test_book_folder_contract(two_books):
    book = two_books[0]
    for rel in EXPECTED:
        assert (book / rel).is_file() and (book / rel).stat().st_size > 0, rel
    manifest = json.loads((book / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["prompt"]["hero"] == "mermaid"
    assert set(manifest["stage_seconds"]) == {"plan", "write", "rank", "scene", "narrate", "music", "sfx", "mix", "book"}
    assert set(EXPECTED) <= set(manifest["files"])
    assert manifest["versions"]["storygen"] and manifest["backends"]["writer"]
    assert not [p for p in book.parent.iterdir() if p.name.startswith(".")]  # no temp folders left


def test_same_seed_gives_byte_identical_outputs(two_books):
    a, b = two_books
    compared = 0
    for path in sorted(a.rglob("*")):
        rel = path.relative_to(a)
        if path.suffix not in (".json", ".mid", ".png") or rel.name == "manifest.json":
            continue
        assert path.read_bytes() == (b / rel).read_bytes(), rel
        compared += 1
    assert compared >= 4 + 15 + 10
    ma, mb = (json.loads((x / "manifest.json").read_text()) for x in (a, b))
    for m in (ma, mb):
        m.pop("stage_seconds")  # wall-clock timings are the one thing allowed to differ
    assert ma == mb


def test_story_is_the_ranked_candidate(two_books):
    book = two_books[0]
    story = json.loads((book / "story.json").read_text())
    cands = json.loads((book / "candidates.json").read_text())
    assert len(cands["candidates"]) == 4 and len(story["scores"]) == 4
    assert story["scenes"] == cands["candidates"][story["chosen"]]["scenes"]
    html = (book / "book.html").read_text()
    assert html.count('class="page"') == 5 and "scenes/01/" in html


def test_existing_book_is_reused_unless_forced(two_books, consented):
    book = two_books[0]
    before = (book / "story.json").stat().st_mtime_ns
    result = CliRunner().invoke(main, ["make", *PICKS, "--seed", "7", "--out", str(book.parent)])
    assert result.exit_code == 0 and "already exists" in result.output
    assert (book / "story.json").stat().st_mtime_ns == before


def test_failing_stage_leaves_no_partial_book(consented, tmp_path, monkeypatch):
    import storygen.audio.stage as audio_stage

    def boom(*args, **kwargs):
        raise StorygenError("the synthesiser broke; reinstall it")

    monkeypatch.setattr(audio_stage, "run_music", boom)
    out = tmp_path / "books"
    result = CliRunner().invoke(main, ["make", *PICKS, "--seed", "1", "--out", str(out)])
    assert result.exit_code == 2 and "synthesiser broke" in result.output
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_default_make_runs_the_story_models(tmp_path, consented):
    """The shipped defaults: LM planner and writer, coherence ranker; same seed, same story."""
    runner = CliRunner()
    stories = []
    for n in (1, 2):
        out = tmp_path / f"books{n}"
        result = runner.invoke(main, ["make", *PICKS, "--seed", "3", "--out", str(out)])
        assert result.exit_code == 0, result.output
        book = out / "underwater-mermaid-teal-silly-seed3"
        stories.append(json.loads((book / "story.json").read_text()))
        cands = json.loads((book / "candidates.json").read_text())
        assert len(cands["candidates"]) == 4 and {c["backend"] for c in cands["candidates"]} == {"lm"}
    story = stories[0]
    assert story["plan"]["backend"] == "lm" and story["ranker"] == "coherence"
    assert len(story["scenes"]) == 5 and "mermaid" in story["scenes"][0].lower()
    assert stories[0] == stories[1]
