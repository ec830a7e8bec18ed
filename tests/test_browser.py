"""book.html in a real browser: Debian's headless Chromium, driven over the DevTools protocol by
playwright (its own browser downloads are never used: executable_path=/usr/bin/chromium).

Opens the hand-made book of tests/test_book.py from file://, screenshots every page, checks that
each picture is not blank, that keys, swipes and the play button work, that objects of the
layered page really move, and that the console logged no error and nothing left the folder.
Screenshots go to $STORYGEN_SCREENSHOT_DIR, or to pytest's temp folder (browser-shots/).
Chromium is installed by `make test` (apt-get install -y chromium) when it is missing.
"""
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from .test_book import make_book_folder

CHROMIUM = os.environ.get("STORYGEN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required", "--mute-audio"]


def _require_browser():
    if os.environ.get("STORYGEN_SKIP_BROWSER") == "1":
        pytest.skip("STORYGEN_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is missing: run `make test` (it installs it) or "
                    "`apt-get install -y chromium`; STORYGEN_SKIP_BROWSER=1 skips this test")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("playwright is missing: pip install playwright==1.65.2 (no browser download needed)")


def non_blank(png: Path) -> tuple[bool, str]:
    """A picture is not blank when it has many colours and real contrast."""
    img = Image.open(png).convert("RGB")
    colours = len(img.getcolors(maxcolors=1 << 20) or ())
    spread = max(ImageStat.Stat(img).stddev)
    return colours >= 16 and spread >= 8.0, f"{png.name}: {colours} colours, stddev {spread:.1f}"


def test_non_blank_check_can_fail(tmp_path):
    Image.new("RGB", (200, 150), (253, 246, 227)).save(tmp_path / "blank.png")
    assert not non_blank(tmp_path / "blank.png")[0]


def test_book_in_headless_chromium(tmp_path, shots):
    _require_browser()
    from playwright.sync_api import sync_playwright

    book = make_book_folder(tmp_path)
    errors, requests = [], []
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1100, "height": 1000}, has_touch=True)
        try:
            page = ctx.new_page()
            page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on("requestfailed", lambda r: errors.append(f"requestfailed: {r.url}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto((book / "book.html").as_uri())
            page.wait_for_load_state("load")
            written = _every_page(page, shots)
            _navigation(page)
            _play_button(page)
            _layered_objects_move(page)
        finally:
            ctx.close()
    assert errors == [], errors
    assert requests and all(u.startswith("file://") for u in requests), requests
    assert [p.name for p in written] == [f"page-{n:02d}.png" for n in range(1, 6)]


def _every_page(page, shots: Path) -> list[Path]:
    written = []
    for n in range(1, 6):
        assert page.text_content("#count") == f"Page {n} of 5"
        current = page.locator("section.page.on")
        assert current.get_attribute("id") == f"p{n:02d}"
        picture = current.locator(".stage")
        picture.wait_for(state="visible")
        page.wait_for_function("() => [...document.querySelectorAll('section.page.on img')]"
                               ".every(i => i.complete && i.naturalWidth > 0)")
        box = picture.bounding_box()
        assert box["width"] > 600 and box["height"] > 400, box  # a big picture ...
        nav = page.locator("nav").bounding_box()
        assert nav["y"] + nav["height"] <= 1000, nav  # ... and the buttons still on screen
        size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector("
                             "'section.page.on .text')).fontSize)")
        assert size >= 24, size  # large readable type
        path = shots / f"page-{n:02d}.png"
        page.screenshot(path=str(path), full_page=True)
        picture.screenshot(path=str(shots / f"picture-{n:02d}.png"))
        ok, why = non_blank(shots / f"picture-{n:02d}.png")
        assert ok, why
        assert non_blank(path)[0]
        written.append(path)
        page.keyboard.press("ArrowRight")
    assert page.text_content("#count") == "Page 5 of 5"  # the last page stays the last
    return written


def _swipe(page, dx: int) -> None:
    page.evaluate("""dx => {
        const t = (x) => new Touch({identifier: 1, target: document.body, clientX: x, clientY: 300});
        document.dispatchEvent(new TouchEvent('touchstart', {touches: [t(500)], changedTouches: [t(500)]}));
        document.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [t(500 + dx)]}));
    }""", dx)


def _navigation(page) -> None:
    page.keyboard.press("Home")
    assert page.text_content("#count") == "Page 1 of 5"
    assert page.is_disabled("#prev") and not page.is_disabled("#next")
    _swipe(page, -200)  # swipe left: next page
    assert page.text_content("#count") == "Page 2 of 5"
    _swipe(page, 200)
    assert page.text_content("#count") == "Page 1 of 5"
    _swipe(page, 10)  # a tap is not a swipe
    assert page.text_content("#count") == "Page 1 of 5"
    page.keyboard.press("End")
    assert page.text_content("#count") == "Page 5 of 5" and page.is_disabled("#next")
    page.click("#prev")
    assert page.text_content("#count") == "Page 4 of 5"
    url = page.url.split("#")[0]
    page.goto(url + "#p03")  # pages can be linked to ...
    assert page.text_content("#count") == "Page 3 of 5"
    page.goto("about:blank")
    page.goto(url + "#p02")  # ... and opened at
    page.wait_for_load_state("load")
    assert page.text_content("#count") == "Page 2 of 5"


def _play_button(page) -> None:
    page.keyboard.press("Home")
    page.click("#play")
    assert page.get_attribute("#play", "aria-pressed") == "true"
    page.wait_for_function("() => [...document.querySelectorAll('#p01 audio')]"
                           ".every(a => !a.paused && a.currentTime > 0)", timeout=5000)
    page.wait_for_function("() => document.querySelectorAll('#p01 .w.lit').length > 0", timeout=5000)
    page.wait_for_function("() => document.getElementById('play').getAttribute('aria-pressed')"
                           " === 'false'", timeout=5000)  # stops by itself when the narration ends
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")  # space plays too; page 2 has one mixed track
    page.wait_for_function("() => !document.querySelector('#p02 audio').paused", timeout=5000)
    page.keyboard.press("ArrowRight")  # turning the page stops the sound
    assert page.evaluate("() => [...document.querySelectorAll('audio')].every(a => a.paused)")


def _layered_objects_move(page) -> None:
    page.keyboard.press("Home")
    sprite = "#p01 img.sprite"
    assert page.evaluate(f"() => document.querySelector('{sprite}').getAnimations().length") == 1
    first = page.evaluate(f"() => getComputedStyle(document.querySelector('{sprite}')).transform")
    page.wait_for_timeout(400)
    later = page.evaluate(f"() => getComputedStyle(document.querySelector('{sprite}')).transform")
    assert first != later, (first, later)
