"""Issue 22 part 5: the picture review sheet (`storygen evaluate pictures`) and its figures
(`storygen evaluate pictures-score`): the files of a sheet, same seed -> same bytes, every refusal
(exit 2, one line, nothing written), and the exact figures of a hand-made scores file."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen.cli import main
from storygen.corpus.stories import load_stories
from storygen.io import write_record
from storygen.scenes.evaluation import review


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result, *words):
    """Exit 2 with one error line on stderr (after any progress lines; no traceback) that holds
    every word."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr and [line for line in lines if "Error" in line] == lines[-1:]
    assert lines[-1].startswith("Error:"), result.stderr
    for word in words:
        assert word in lines[-1], lines[-1]
    return lines[-1]


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    base = tmp_path_factory.mktemp("sheets")
    results = [run("evaluate", "pictures", 3, "-o", base / name, "--seed", 5) for name in ("a", "b")]
    for r in results:
        assert r.exit_code == 0, r.output
    return base / "a", base / "b", results[0]


def test_sheet_files(sheets):
    a, _, result = sheets
    pngs = sorted(p.name for p in a.glob("*.png"))
    assert pngs == ["scene-01.png", "scene-02.png", "scene-03.png"]
    assert sorted(p.name for p in a.iterdir()) == pngs + ["scores-template.json", "sheet.html", "sheet.md"]
    html, md = (a / "sheet.html").read_text(), (a / "sheet.md").read_text()
    template = json.loads((a / "scores-template.json").read_text())
    assert template["kind"] == "picture_scores" and template["seed"] == 5
    assert len(template["scenes"]) == 3
    test_ids = set(json.loads(Path("data/corpus/splits.json").read_text())["test"])
    texts = {s.id: s.scenes for s in load_stories()}
    for k, entry in enumerate(template["scenes"], 1):
        assert entry["id"] == f"scene-{k:02d}" and entry["image"] == f"scene-{k:02d}.png"
        assert entry["story_id"] in test_ids  # held-out stories only
        assert entry["text"] == texts[entry["story_id"]][entry["scene"] - 1]
        assert all(entry[f] is None for f in review.SCORE_FIELDS)
        assert f'src="scene-{k:02d}.png"' in html and f"](scene-{k:02d}.png)" in md
        assert entry["text"][:40] in md
    assert html.count('name="composition"') == 3 and "Download scores.json" in html
    assert "scene 3/3" in result.stderr  # progress per scene


def test_sheet_png_is_the_scene_stage_picture(sheets, tmp_path):
    """The picture is what `storygen scene` draws for the same story."""
    from storygen.config import settings
    from storygen.scenes.stage import run_scenes

    a = sheets[0]
    entry = json.loads((a / "scores-template.json").read_text())["scenes"][0]
    story = dict(review.corpus_stories())[entry["story_id"]]
    run_scenes(story, tmp_path, settings(), indices=[entry["scene"]])
    assert (tmp_path / "scenes" / f"{entry['scene']:02d}" / "scene.png").read_bytes() == (a / "scene-01.png").read_bytes()


def test_same_seed_same_sheet(sheets):
    a, b, _ = sheets
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_draw_is_seeded_and_spreads_over_stories():
    stories = review.corpus_stories()
    first = [(i.story_id, i.number) for i in review.draw(stories, 6, 1)]
    assert first == [(i.story_id, i.number) for i in review.draw(stories, 6, 1)]
    assert first != [(i.story_id, i.number) for i in review.draw(stories, 6, 2)]
    assert len({s for s, _ in first}) == 6 and first == sorted(first)
    two = review.draw(stories[:2], 7, 3)  # more scenes than stories: several per story
    assert len(two) == 7 and len({(i.story_id, i.number) for i in two}) == 7


def test_refuses_n_below_one(tmp_path):
    refused(run("evaluate", "pictures", 0, "-o", tmp_path / "s"), "at least 1")
    assert not (tmp_path / "s").exists()


def test_refuses_a_full_out_folder(tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    refused(run("evaluate", "pictures", 1, "-o", full), "not empty", "--force")
    refused(run("evaluate", "pictures", 1, "-o", full, "--force"), "not a picture sheet")
    assert [p.name for p in full.iterdir()] == ["keep.txt"]


def test_force_replaces_an_earlier_sheet(tmp_path):
    out = tmp_path / "sheet"
    assert run("evaluate", "pictures", 1, "-o", out).exit_code == 0
    (out / "scores.json").write_text("{}")
    result = run("evaluate", "pictures", 2, "-o", out, "--force", "--seed", 9)
    assert result.exit_code == 0, result.output
    assert not (out / "scores.json").exists() and len(list(out.glob("*.png"))) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["sheet"]  # no temp folder left


def test_empty_out_folder_is_used(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert run("evaluate", "pictures", 1, "-o", out).exit_code == 0
    assert (out / "scene-01.png").is_file()


def test_nothing_half_written_when_a_scene_fails(tmp_path, monkeypatch):
    calls = []

    def fail_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise review.StorygenError("scene stage broke")
        return real(*args, **kwargs)

    real = review.run_scenes
    monkeypatch.setattr(review, "run_scenes", fail_second)
    refused(run("evaluate", "pictures", 3, "-o", tmp_path / "s"), "scene stage broke")
    assert list(tmp_path.iterdir()) == []


def _book(folder: Path, story_id: str = "underwater-001") -> Path:
    story = dict(review.corpus_stories("train"))[story_id]
    write_record(folder / "story.json", story)
    return folder


def test_from_books(tmp_path):
    book = _book(tmp_path / "my-book")
    result = run("evaluate", "pictures", 2, "-o", tmp_path / "s", "--from", book)
    assert result.exit_code == 0, result.output
    template = json.loads((tmp_path / "s" / "scores-template.json").read_text())
    assert template["source"] == "books: my-book"
    assert [e["story_id"] for e in template["scenes"]] == ["my-book", "my-book"]
    refused(run("evaluate", "pictures", 6, "-o", tmp_path / "t", "--from", book), "only 5")
    assert not (tmp_path / "t").exists()


def test_refuses_a_bad_from_folder(tmp_path):
    refused(run("evaluate", "pictures", 1, "-o", tmp_path / "s", "--from", tmp_path / "nowhere"),
            "--from", "does not exist")
    (tmp_path / "empty").mkdir()
    refused(run("evaluate", "pictures", 1, "-o", tmp_path / "s", "--from", tmp_path / "empty"), "no story.json")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "story.json").write_text("{not json")
    refused(run("evaluate", "pictures", 1, "-o", tmp_path / "s", "--from", tmp_path / "broken"), "not valid JSON")
    assert not (tmp_path / "s").exists()


# ------------------------------------------------------------------ scoring


def entry(k, **scores):
    return {"id": f"scene-{k:02d}", "story_id": f"farm-{k:03d}", "scene": k, "text": "The pig sat.",
            "image": f"scene-{k:02d}.png", **scores}


def scored(chars, things, rels, setting, contradicts, composition, what=None):
    return dict(characters_shown=chars[0], characters_total=chars[1], things_shown=things[0],
                things_total=things[1], relations_right=rels[0], relations_total=rels[1],
                setting_fits=setting, contradicts=contradicts, contradiction=what, composition=composition)


def scores_file(folder: Path, entries) -> Path:
    path = folder / "scores.json"
    path.write_text(json.dumps({"kind": "picture_scores", "schema_version": 1, "seed": 22,
                                "source": "corpus test split", "scenes": entries}))
    return path


HAND_MADE = [entry(1, **scored((1, 2), (2, 3), (1, 1), True, False, 4)),
             entry(2, **scored((2, 2), (0, 2), (0, 1), False, True, 2, "the pig is blue")),
             entry(3, **scored((1, 1), (1, 1), (0, 0), True, False, 3)),
             entry(4)]  # not scored yet


def test_score_figures_exact(tmp_path):
    path = scores_file(tmp_path, HAND_MADE)
    result = run("evaluate", "pictures-score", path, "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures == {"kind": "picture_figures", "schema_version": 1, "n": 3, "unscored": 1,
                       "characters_shown_pct": 80.0, "things_shown_pct": 50.0,
                       "relations_right_pct": 50.0, "setting_fits_pct": 66.7, "contradicting": 1,
                       "mean_composition": 3.0, "source": "corpus test split"}
    assert json.loads((tmp_path / "figures.json").read_text()) == figures
    table = run("evaluate", "pictures-score", path, "-o", tmp_path / "f2.json")
    assert table.exit_code == 0, table.output
    for text in ("80.0%", "50.0%", "66.7%", "1 of 3", "3.00", "3 scenes scored, 1 unscored"):
        assert text in table.stdout, text
    assert (tmp_path / "f2.json").is_file()


def test_score_without_relations_says_so(tmp_path):
    path = scores_file(tmp_path, [entry(1, **scored((1, 1), (1, 1), (0, 0), True, False, 5))])
    result = run("evaluate", "pictures-score", path)
    assert result.exit_code == 0 and "n/a" in result.stdout


@pytest.mark.parametrize("bad, words", [
    ({"composition": 7}, ("scene-02", "'composition'", "1 to 5")),
    ({"composition": "4"}, ("scene-02", "composition", "expected int")),
    ({"things_shown": 3}, ("scene-02", "'things_shown'", "things_total")),
    ({"setting_fits": None}, ("scene-02", "'setting_fits'", "is empty")),
    ({"contradiction": None}, ("scene-02", "'contradiction'", "say what")),
    ({"colour": 1}, ("scene-02", "unknown key", "colour")),
    ({"id": "scene-01"}, ("scene-01", "twice")),
])
def test_refuses_a_malformed_scores_file(tmp_path, bad, words):
    entries = [dict(e) for e in HAND_MADE]
    entries[1].update(bad)
    refused(run("evaluate", "pictures-score", scores_file(tmp_path, entries)), *words)
    assert not (tmp_path / "figures.json").exists()


def test_refuses_unreadable_or_empty_scores(tmp_path):
    (tmp_path / "broken.json").write_text("{")
    refused(run("evaluate", "pictures-score", tmp_path / "broken.json"), "not valid JSON")
    (tmp_path / "other.json").write_text(json.dumps({"kind": "story", "scenes": []}))
    refused(run("evaluate", "pictures-score", tmp_path / "other.json"), "not a picture scores file")
    refused(run("evaluate", "pictures-score", scores_file(tmp_path, [entry(1)])), "No scene", "scored")
    refused(run("evaluate", "pictures-score", tmp_path / "missing.json"), "does not exist")


def test_sheet_form_downloads_scores_in_chromium(sheets, tmp_path):
    """Fill the first row of sheet.html, press the button: the download is a scores file that
    evaluate pictures-score reads (the other rows stay unscored)."""
    from .test_browser import ARGS, CHROMIUM, _require_browser

    _require_browser()
    from playwright.sync_api import sync_playwright

    errors = []
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            accept_downloads=True)
        try:
            page = ctx.new_page()
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.goto((sheets[0] / "sheet.html").as_uri())
            for img in page.locator("img").all():  # every picture loads
                assert img.evaluate("el => el.complete && el.naturalWidth") > 0
            row = page.locator("#scene-01")
            for name, value in (("characters_shown", "1"), ("characters_total", "2"), ("things_shown", "0"),
                                ("things_total", "1"), ("relations_right", "0"), ("relations_total", "0")):
                row.locator(f'input[name="{name}"]').fill(value)
            row.locator('input[name="setting_fits-scene-01"][value="y"]').check()
            row.locator('input[name="contradicts-scene-01"][value="y"]').check()
            row.locator('input[name="contradiction"]').fill("the seal is on the ice, not in the cave")
            row.locator('select[name="composition"]').select_option("4")
            with page.expect_download() as info:
                page.get_by_role("button", name="Download scores.json").click()
            info.value.save_as(tmp_path / "scores.json")
        finally:
            ctx.close()
    assert errors == []
    data = json.loads((tmp_path / "scores.json").read_text())
    first = data["scenes"][0]
    assert (first["characters_shown"], first["characters_total"], first["setting_fits"],
            first["contradicts"], first["composition"], first["notes"]) == (1, 2, True, True, 4, None)
    result = run("evaluate", "pictures-score", tmp_path / "scores.json", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert (figures["n"], figures["unscored"], figures["characters_shown_pct"], figures["relations_right_pct"],
            figures["contradicting"]) == (1, 2, 50.0, None, 1)
