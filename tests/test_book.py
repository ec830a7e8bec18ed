"""The storybook viewer (book.html) and the PDF export, on a hand-made book folder.

`make_book_folder` is shared with tests/test_browser.py: five pages that exercise every picture
mode (layered CSS animation, GIF, PNG, PNG with a layout but no layers, nothing at all) and both
sound modes (three tracks with word timings, one mix).
"""
import math
import re
import struct
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from storygen.book import layer_file, picture, text_html, write_book, write_pdf
from storygen.cli import main
from storygen.io import write_record
from storygen.records import Narration, WordTiming

from .samples import LAYOUT, STORY

ACCENT = "#00897B"


def _image(size, seed: int, mode="RGB") -> Image.Image:
    """A busy picture: a gradient sky, a ground band and a few shapes (never blank)."""
    w, h = size
    img = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255))
    draw = ImageDraw.Draw(img)
    if mode == "RGB":
        for y in range(h):
            draw.line([(0, y), (w, y)], fill=(40 + seed * 30 % 200, 120 + y * 100 // h, 220 - y * 80 // h))
        draw.rectangle([0, int(h * 0.7), w, h], fill=(90, 160, 60))
    for k in range(4):
        x, y, r = (k + 1) * w // 5, h // 2 + (k % 2) * h // 8, max(6, w // 12)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(230, 80 + 40 * k, 60, 255))
    return img


def _wav(path: Path, seconds: float = 0.6, freq: float = 440.0, rate: int = 8000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate)))
                      for i in range(int(seconds * rate)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)


def make_book_folder(root: Path) -> Path:
    book = Path(root) / "book"
    write_record(book / "story.json", STORY)
    s1 = book / "scenes/01"
    write_record(s1 / "layout.json", LAYOUT)
    (s1 / "layers").mkdir(parents=True)
    _image((LAYOUT.width, LAYOUT.height), 1).save(s1 / "layers/background.png")
    for obj in LAYOUT.objects:
        _image((int(obj.box.w), int(obj.box.h)), 2, "RGBA").save(s1 / "layers" / layer_file(obj))
    _image((320, 240), 1).save(s1 / "scene.png")
    frames = [_image((320, 240), k) for k in (1, 2)]
    frames[0].save(s1 / "scene.gif", save_all=True, append_images=frames[1:], duration=200, loop=0)
    s2 = book / "scenes/02"
    s2.mkdir(parents=True)
    frames = [_image((320, 240), k) for k in (3, 4)]
    frames[0].save(s2 / "scene.gif", save_all=True, append_images=frames[1:], duration=200, loop=0)
    frames[0].save(s2 / "scene.png")
    for n in (3, 4):
        (book / f"scenes/0{n}").mkdir(parents=True)
        _image((320, 240), n + 2).save(book / f"scenes/0{n}/scene.png")
    write_record(book / "scenes/04/layout.json", LAYOUT)  # a layout but no layers: the PNG shows
    for part, freq in (("narration", 440.0), ("music", 330.0), ("sfx", 660.0)):
        _wav(book / f"audio/01-{part}.wav", freq=freq)
    words = tuple(WordTiming(word=w.strip(".,"), start=0.1 * i, end=0.1 * i + 0.08)
                  for i, w in enumerate(STORY.scenes[0].split()))
    write_record(book / "audio/01-narration.json", Narration(
        index=1, text=STORY.scenes[0], wav="audio/01-narration.wav", duration_s=0.6,
        sample_rate=8000, words=words, backend="test", voice="none"))
    _wav(book / "audio/02-mix.wav", seconds=0.8)
    write_book(STORY, book, ACCENT)
    return book


@pytest.fixture
def book(tmp_path, consented):  # consented: the book command checks the profile's consent
    return make_book_folder(tmp_path)


def _pages(doc: str) -> list[str]:
    return re.findall(r'<section class="page".*?</section>', doc, re.S)


def test_one_page_per_scene_with_the_right_picture_mode(book):
    doc = (book / "book.html").read_text()
    pages = _pages(doc)
    assert len(pages) == 5
    modes = [re.search(r'data-picture="(\w+)"', p).group(1) for p in pages]
    assert modes == ["layered", "gif", "png", "png", "missing"]
    for page, text in zip(pages, STORY.scenes):
        words = re.sub(r"<[^>]+>", "", re.search(r'<p class="text">(.*?)</p>', page).group(1))
        assert words == text


def test_layered_page_places_and_animates_each_object(book):
    mode, pic = picture(book, 1, loop_s=2.4)
    obj = LAYOUT.objects[0]  # mermaid, box 400,300 256x256 on 1024x768, swim, amplitude 8
    sprite = re.search(r'<img class="sprite sg-swim" src="scenes/01/layers/obj-02-mermaid.png"[^>]*>', pic)
    assert mode == "layered" and sprite, pic
    style = sprite.group(0)
    for golden in ("left:39.062%", "top:39.062%", "width:25.000%", "height:33.333%", "z-index:2",
                   "animation-name:sg-swim", "animation-duration:2.400s", "--a:3.125"):
        assert golden in style, (golden, style)
    assert 'src="scenes/01/layers/background.png"' in pic and 'style="--ar:1024/768"' in pic
    assert obj.animation_params == {"amplitude": 8.0}  # the sample has no phase: no delay shift
    assert "animation-delay:-0.000s" in style or "animation-delay:0.000s" in style


def test_layer_names_match_the_scene_renderer():
    from storygen.scenes.render import layer_name

    for obj in LAYOUT.objects:
        assert layer_file(obj) == layer_name(obj)


def test_missing_sprite_or_broken_layout_falls_back_to_the_gif(book):
    sprite = book / "scenes/01/layers" / layer_file(LAYOUT.objects[0])
    sprite.unlink()
    assert picture(book, 1)[0] == "gif"
    _image((10, 10), 1, "RGBA").save(sprite)
    (book / "scenes/01/layout.json").write_text('{"kind": "scene_layout", "schema_version": 1}')
    assert picture(book, 1)[0] == "gif"
    (book / "scenes/01/scene.gif").unlink()
    assert picture(book, 1)[0] == "png"


def test_reduced_motion_gets_the_still_picture(book):
    _, pic = picture(book, 2)
    assert '<source srcset="scenes/02/scene.png" media="(prefers-reduced-motion: reduce)">' in pic
    assert "prefers-reduced-motion:reduce" in (book / "book.html").read_text()


def test_sound_three_tracks_with_timed_words_or_one_mix(book):
    pages = _pages((book / "book.html").read_text())
    tracks = re.findall(r'<audio[^>]*src="([^"]+)"', pages[0])
    assert tracks == ["audio/01-narration.wav", "audio/01-music.wav", "audio/01-sfx.wav"]
    assert '<audio class="clock" preload="none" data-volume="1.0" src="audio/01-narration.wav">' in pages[0]
    assert re.findall(r'<audio[^>]*src="([^"]+)"', pages[1]) == ["audio/02-mix.wav"]
    assert "<audio" not in pages[2]
    first = re.findall(r'<span class="w" data-s="([\d.]+)" data-e="([\d.]+)">(\w+)', pages[0])[:3]
    assert first == [("0.000", "0.080", "A"), ("0.100", "0.180", "silly"), ("0.200", "0.280", "mermaid")]
    assert "data-s" not in pages[1]  # no narration.json for page 2: no highlighting


def test_text_alignment_skips_words_the_narrator_did_not_say():
    timings = (WordTiming(word="the", start=0.0, end=0.1), WordTiming(word="crab", start=0.2, end=0.3))
    out = text_html("The big crab.", timings)
    assert out == ('<span class="w" data-s="0.000" data-e="0.100">The</span> <span class="w">big</span>'
                   ' <span class="w" data-s="0.200" data-e="0.300">crab.</span>')


def test_self_contained_no_network_every_file_present(book):
    doc = (book / "book.html").read_text()
    refs = re.findall(r'(?:src|srcset|href)="([^"]*)"', doc)
    assert refs and all(not re.match(r"[a-z]+:|//", r) for r in refs), refs
    assert all((book / r).is_file() for r in refs), [r for r in refs if not (book / r).is_file()]
    assert "http" not in doc.replace("http-equiv", "") and "@import" not in doc and "url(" not in doc
    assert "default-src 'none'" in doc  # the CSP forbids anything not in the folder


def test_keyboard_touch_and_accessible_controls_are_wired(book):
    doc = (book / "book.html").read_text()
    for key in ("ArrowRight", "ArrowLeft", "PageDown", "PageUp", "Home", "End", "' '"):
        assert key in doc
    assert "touchstart" in doc and "touchend" in doc
    for label in ('aria-label="Previous page"', 'aria-label="Next page"', 'aria-label="Read to me"',
                  'aria-live="polite"', 'aria-pressed="false"'):
        assert label in doc
    assert re.search(r"\.text\{font-size:clamp\(1\.5rem", doc)  # large type, never below 24px


def test_markup_in_story_text_is_shown_not_run(tmp_path):
    from dataclasses import replace

    story = replace(STORY, title="<b>T</b>", scenes=("<script>alert(1)</script> & \"q\"",) + STORY.scenes[1:])
    write_book(story, tmp_path, "red; } body{display:none")
    doc = (tmp_path / "book.html").read_text()
    assert "<script>alert" not in doc and "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "<b>T</b>" not in doc and "body{display:none" not in doc  # a bad accent is not injected


def test_same_folder_same_bytes(book):
    first = (book / "book.html").read_bytes()
    write_book(STORY, book, ACCENT)
    assert (book / "book.html").read_bytes() == first


def test_pdf_has_title_and_scene_pages_and_is_reproducible(book):
    path = write_pdf(STORY, book, ACCENT)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", data)) == 6  # title + 5 scenes
    assert len(re.findall(rb"/Subtype /Image", data)) == 4  # scenes 1-4 have a scene.png
    assert write_pdf(STORY, book, ACCENT).read_bytes() == data


def test_cli_book_writes_html_and_pdf(book):
    (book / "book.html").unlink()
    result = CliRunner().invoke(main, ["book", str(book), "--pdf"])
    assert result.exit_code == 0, result.output
    assert (book / "book.html").exists() and (book / "book.pdf").read_bytes().startswith(b"%PDF")
    result = CliRunner().invoke(main, ["book", str(book.parent / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output
