"""book.epub: EPUB 3 with read-aloud (Media Overlays), on the hand-made book of test_book.py
completed with a picture and narration for every scene.

EPUBCheck is Debian's `epubcheck` (a Java jar), installed by `make test`; the test fails when it
is missing unless STORYGEN_SKIP_EPUBCHECK=1.
"""
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen.book import align_words
from storygen.cli import main
from storygen.epub import build_epub, clips_for
from storygen.io import write_record
from storygen.mp3 import mp3_duration_s, mp3_frames, mp3_info
from storygen.records import Narration, WordTiming

from .samples import STORY
from .test_book import ACCENT, _image, _wav, make_book_folder

EPUBCHECK_JAR = Path(os.environ.get("STORYGEN_EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar"))
NS = {"opf": "http://www.idpf.org/2007/opf", "smil": "http://www.w3.org/ns/SMIL",
      "x": "http://www.w3.org/1999/xhtml", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_NS = "{http://www.idpf.org/2007/ops}"


def _timings(text: str, gap: float = 0.3) -> tuple[WordTiming, ...]:
    """0.25 s lead-in, 0.1 s per word, a pause after each sentence (as the narrator leaves)."""
    out, t = [], 0.25
    for word in text.split():
        out.append(WordTiming(word=word.strip(".,!?"), start=round(t, 3), end=round(t + 0.1, 3)))
        t += 0.1 + (gap if word.endswith((".", "!", "?")) else 0.0)
    return tuple(out)


def make_epub_book(root: Path) -> Path:
    book = make_book_folder(root)
    (book / "scenes/05").mkdir(parents=True, exist_ok=True)
    _image((320, 240), 9).save(book / "scenes/05/scene.png")
    for n, text in enumerate(STORY.scenes, 1):
        words = _timings(text)
        seconds = words[-1].end + 0.2
        _wav(book / f"audio/{n:02d}-narration.wav", seconds=seconds, rate=22050)
        write_record(book / f"audio/{n:02d}-narration.json", Narration(
            index=n, text=text, wav=f"audio/{n:02d}-narration.wav", duration_s=round(seconds, 3),
            sample_rate=22050, words=words, backend="test", voice="tone"))
    return book


@pytest.fixture
def book(tmp_path, consented):  # consented: the book command checks the profile's consent
    return make_epub_book(tmp_path)


def _epub(book: Path) -> zipfile.ZipFile:
    result = CliRunner().invoke(main, ["book", str(book), "--epub"])
    assert result.exit_code == 0, result.output
    assert f"wrote {book / 'book.epub'}" in result.output.replace("\n", "")
    return zipfile.ZipFile(book / "book.epub")


def test_cli_writes_an_ocf_zip_with_mimetype_first_and_stored(book):
    z = _epub(book)
    first = z.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b"" and z.read("mimetype") == b"application/epub+zip"
    raw = (book / "book.epub").read_bytes()
    assert raw[30:38] == b"mimetype" and raw[38:58] == b"application/epub+zip"  # readable by magic
    names = set(z.namelist())
    for n in range(1, 6):
        assert {f"EPUB/p{n:02d}.xhtml", f"EPUB/p{n:02d}.smil", f"EPUB/images/{n:02d}.png",
                f"EPUB/audio/{n:02d}.mp3"} <= names
    assert {"META-INF/container.xml", "EPUB/package.opf", "EPUB/nav.xhtml", "EPUB/cover.xhtml",
            "EPUB/images/cover.png"} <= names
    assert z.read("EPUB/images/03.png") == (book / "scenes/03/scene.png").read_bytes()
    assert not any(name.endswith(".wav") for name in names)  # WAV is not an EPUB core media type


def test_package_has_overlays_cover_language_and_accessibility(book):
    opf = ET.fromstring(_epub(book).read("EPUB/package.opf"))
    items = {i.get("id"): i for i in opf.iterfind(".//opf:item", NS)}
    for n in range(1, 6):
        page, smil = items[f"page-{n:02d}"], items[f"smil-{n:02d}"]
        assert page.get("media-overlay") == f"smil-{n:02d}"
        assert smil.get("media-type") == "application/smil+xml"
        assert items[f"audio-{n:02d}"].get("media-type") == "audio/mpeg"
    assert items["cover-image"].get("properties") == "cover-image"
    assert items["nav"].get("properties") == "nav"
    assert opf.findtext(".//dc:title", namespaces=NS) == STORY.title
    assert opf.findtext(".//dc:language", namespaces=NS) == "en"
    meta: dict[str, list[str]] = {}
    for m in opf.iterfind(".//opf:meta[@property]", NS):
        key = m.get("property") + (f"@{m.get('refines')}" if m.get("refines") else "")
        meta.setdefault(key, []).append(m.text)
    assert {"textual", "visual", "auditory"} <= set(meta["schema:accessMode"])
    assert {"synchronizedAudioText", "alternativeText"} <= set(meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] and meta["schema:accessibilitySummary"][0]
    assert meta["media:active-class"] == ["sg-active"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["dcterms:modified"][0])
    each = [meta[f"media:duration@#smil-{n:02d}"][0] for n in range(1, 6)]
    seconds = [int(h) * 3600 + int(m) * 60 + float(s) for h, m, s in (d.split(":") for d in each)]
    total = meta["media:duration"][0].split(":")
    assert abs(sum(seconds) - (int(total[0]) * 3600 + int(total[1]) * 60 + float(total[2]))) < 0.002
    spine = [r.get("idref") for r in opf.iterfind(".//opf:itemref", NS)]
    assert spine == ["cover"] + [f"page-{n:02d}" for n in range(1, 6)]


def test_smil_clips_match_the_word_timings(book):
    z = _epub(book)
    for n, text in enumerate(STORY.scenes, 1):
        timings = json.loads((book / f"audio/{n:02d}-narration.json").read_text())["words"]
        page = ET.fromstring(z.read(f"EPUB/p{n:02d}.xhtml"))
        spans = {s.get("id"): s.text for s in page.iterfind(".//x:span[@id]", NS)}
        smil = ET.fromstring(z.read(f"EPUB/p{n:02d}.smil"))
        seq = smil.find(".//smil:seq", NS)
        assert seq.get(f"{EPUB_NS}textref") == f"p{n:02d}.xhtml#page-{n:02d}"
        pars = smil.findall(".//smil:par", NS)
        assert len(pars) == len(timings) == len(text.split())  # every word is read and lit
        for k, (par, t) in enumerate(zip(pars, timings)):
            ref = par.find("smil:text", NS).get("src")
            audio = par.find("smil:audio", NS)
            assert audio.get("src") == f"audio/{n:02d}.mp3"
            wid = ref.split("#")[1]
            assert ref.startswith(f"p{n:02d}.xhtml#") and spans[wid].strip(".,!?") == t["word"]
            begin, end = (float(audio.get(a).rstrip("s")) for a in ("clipBegin", "clipEnd"))
            assert begin == pytest.approx(t["start"], abs=5e-4)
            # a clip ends at its word's end, or runs on through the pause to the next word
            nxt = timings[k + 1]["start"] if k + 1 < len(timings) else t["end"]
            assert end == pytest.approx(max(t["end"], nxt), abs=5e-4)
        words = re.sub(r"<[^>]+>", "", re.search(r'<p class="text">(.*?)</p>',
                                                  z.read(f"EPUB/p{n:02d}.xhtml").decode()).group(1))
        assert words == text


def test_mp3_lasts_as_long_as_the_wav(book):
    z = _epub(book)
    for n in range(1, 6):
        data = z.read(f"EPUB/audio/{n:02d}.mp3")
        rate, _ = mp3_info(data)
        wav_s = json.loads((book / f"audio/{n:02d}-narration.json").read_text())["duration_s"]
        assert rate == 22050 and mp3_frames(data)
        # LAME pads the end to whole frames plus its look-ahead: under two frames (52 ms)
        assert 0 <= mp3_duration_s(data) - wav_s < 2 * 576 / 22050


def test_unread_words_get_no_clip_and_pauses_join_the_previous_word():
    timings = (WordTiming(word="The", start=0.2, end=0.3), WordTiming(word="crab", start=0.3, end=0.5),
               WordTiming(word="Yes", start=1.0, end=1.2))
    words, clips = clips_for(align_words("The big crab. Yes!", timings), "01")
    assert [w for w, wid in words if wid is None] == ["big"]
    assert [(c.begin, c.end) for c in clips] == [(0.2, 0.3), (0.3, 1.0), (1.0, 1.2)]


def test_same_folder_same_bytes(book, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_epub(STORY, book, ACCENT)
    assert build_epub(STORY, book, ACCENT) == first
    assert b"2023-11-14T22:13:20Z" in zipfile.ZipFile(__import__("io").BytesIO(first)).read("EPUB/package.opf")


def test_story_text_is_escaped_not_markup(book):
    from dataclasses import replace

    story = replace(STORY, title="<b>T</b> & co", scenes=("<i>A</i> & <b>b</b>",) + STORY.scenes[1:])
    data = build_epub(story, book, ACCENT)
    z = zipfile.ZipFile(__import__("io").BytesIO(data))
    page = z.read("EPUB/p01.xhtml").decode()
    ET.fromstring(page)  # still well-formed XML
    assert "<i>A</i>" not in page and "&lt;i&gt;A&lt;/i&gt;" in page
    assert "<b>T</b>" not in z.read("EPUB/package.opf").decode()


def test_missing_narration_or_pictures_names_the_stage_and_writes_nothing(book):
    (book / "audio/03-narration.wav").unlink()
    (book / "scenes/05/scene.png").unlink()
    html_before = (book / "book.html").read_bytes()
    result = CliRunner().invoke(main, ["book", str(book), "--epub"])
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "no narration for scene 3" in message and f"storygen narrate {book}" in message
    assert "no picture for scene 5" in message and f"storygen scene {book}" in message
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not (book / "book.epub").exists()
    assert not [p.name for p in book.iterdir() if p.name.startswith(".book.")]  # no temp file left
    assert (book / "book.html").read_bytes() == html_before


def test_an_existing_epub_survives_a_failed_rebuild(book):
    _epub(book)
    before = (book / "book.epub").read_bytes()
    (book / "audio/02-narration.json").unlink()
    result = CliRunner().invoke(main, ["book", str(book), "--epub"])
    assert result.exit_code == 2 and "storygen narrate" in result.output
    assert (book / "book.epub").read_bytes() == before


# ------------------------------------------------------------------ EPUBCheck


def _require_epubcheck() -> list[str]:
    if os.environ.get("STORYGEN_SKIP_EPUBCHECK") == "1":
        pytest.skip("STORYGEN_SKIP_EPUBCHECK=1")
    java = shutil.which("java")
    if not EPUBCHECK_JAR.is_file() or not java:
        pytest.fail("EPUBCheck is missing: run `make test` (it installs it) or "
                    "`apt-get install -y epubcheck` (needs Java); STORYGEN_SKIP_EPUBCHECK=1 skips this test")
    return [java, "-jar", str(EPUBCHECK_JAR)]


def epubcheck(path: Path, tmp_path: Path) -> list[dict]:
    """EPUBCheck's messages for `path` (its JSON report), after checking it ran."""
    report = tmp_path / "epubcheck.json"
    proc = subprocess.run([*_require_epubcheck(), str(path), "--json", str(report)],
                          capture_output=True, text=True, timeout=300)
    assert report.exists(), proc.stdout + proc.stderr
    messages = json.loads(report.read_text())["messages"]
    errors = [m for m in messages if m["severity"] in ("ERROR", "FATAL")]
    assert proc.returncode == 0 and not errors, json.dumps(errors, indent=1)[:4000]
    return messages


def test_epubcheck_reports_no_errors_or_warnings(book, tmp_path):
    _epub(book)
    messages = epubcheck(book / "book.epub", tmp_path)
    assert not [m for m in messages if m["severity"] == "WARNING"], messages


@pytest.mark.slow
def test_a_made_book_passes_epubcheck(tmp_path, consented):
    out = tmp_path / "books"
    runner = CliRunner()
    result = runner.invoke(main, ["make", "--theme", "space", "--hero", "robot", "--color", "blue",
                                  "--adj", "brave", "--seed", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (made,) = [p for p in out.iterdir() if p.is_dir()]
    assert runner.invoke(main, ["book", str(made), "--epub"]).exit_code == 0
    assert not [m for m in epubcheck(made / "book.epub", tmp_path) if m["severity"] == "WARNING"]
