"""storygen studio: the local web page (storygen/studio/).

HTTP tests talk to a StudioServer on port 0 in a thread, with its own STORYGEN_HOME; one real
make job (configs/quick.yaml, forced by conftest.py) is shared by the module. Browser tests drive
Debian's headless Chromium with playwright like tests/test_browser.py (never a downloaded
browser; same skip/fail rules) against a second server whose profile starts without consent:
consent, the four picks, progress, the book playing, the shelf; keyboard only; 768 px wide.
Screenshots go to $STORYGEN_SCREENSHOT_DIR, or to pytest's temp folder (studio-shots/).
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen import consent
from storygen.cli import main
from storygen.options import load_options
from storygen.story import make_plan
from storygen.pipeline import STAGES
from storygen.studio.server import CSP_BOOK, MAX_BODY, StudioServer

from .test_browser import ARGS, CHROMIUM, _require_browser, non_blank

PICKS = {"theme": "farm", "hero": "pig", "color": "pink", "adjective": "shy"}


# ------------------------------------------------------------------ helpers


@contextmanager
def running(books: Path, profile: str):
    server = StudioServer("127.0.0.1", 0, books, profile)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.shutdown_jobs(wait_s=60)
        server.server_close()


def call(server, method, path, body=None, headers=None, raw=None):
    """(status, headers, body bytes) of one request; `path` is sent exactly as given."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    hdrs = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    try:
        conn.request(method, path, body=data, headers=hdrs)
        res = conn.getresponse()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read()
    finally:
        conn.close()


def get_json(server, method, path, body=None, **kw):
    status, _, data = call(server, method, path, body, **kw)
    return status, json.loads(data)


def snapshot(root: Path) -> list:
    """Every file and folder under root with its size and change time: 'nothing written'."""
    if not root.exists():
        return []
    return sorted((str(p.relative_to(root)), p.is_dir(), p.lstat().st_size, p.lstat().st_mtime_ns)
                  for p in root.rglob("*"))


def wait_job(server, job_id: str, timeout: float = 180.0) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status, data = get_json(server, "GET", f"/api/jobs/{job_id}")
        assert status == 200, data
        if data["job"]["state"] not in ("queued", "running"):
            return data["job"]
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still running after {timeout} s")


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    root = tmp_path_factory.mktemp("studio-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("STORYGEN_HOME", str(root))  # for the module fixtures, set up before any test
    yield root
    mp.undo()


@pytest.fixture(autouse=True)
def _studio_home(home, storygen_home, monkeypatch):
    # conftest gives every test its own home; the module's servers and book live in this one.
    monkeypatch.setenv("STORYGEN_HOME", str(home))


@pytest.fixture(scope="module")
def books(home):
    return home / "books"


@pytest.fixture(scope="module")
def studio(books):
    with running(books, "default") as server:
        yield server


@pytest.fixture(scope="module")
def made(studio, home):
    """One real book, made through the API: consent, then a make job followed to the end."""
    status, data = get_json(studio, "POST", "/api/consent", {"guardian": "Sam Guardian", "confirm": True})
    assert status == 200 and data["granted"], data
    status, data = get_json(studio, "POST", "/api/make", PICKS)
    assert status == 202, data
    job = wait_job(studio, data["job"]["id"])
    assert job["state"] == "done", job["error"]
    return job


# ------------------------------------------------------------------ HTTP


def test_page_is_self_contained_with_a_strict_csp(studio):
    status, headers, body = call(studio, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    csp = headers["content-security-policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script.strip() == "script-src 'self'", csp  # no inline or remote script
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    for path in ("/", "/static/studio.js", "/static/studio.css"):
        status, _, text = call(studio, "GET", path)
        assert status == 200, path
        assert not re.search(rb"https?://", text), path  # nothing from the network
        assert b"<script>" not in text  # the page's script is a file, as the CSP requires
    assert call(studio, "HEAD", "/")[2] == b""


def test_options_are_the_curated_picks_with_pictures(studio):
    status, data = get_json(studio, "GET", "/api/options")
    assert status == 200
    opts = load_options()
    assert [t["name"] for t in data["themes"]] == list(opts.themes)
    for theme in data["themes"]:
        assert [h["name"] for h in theme["heroes"]] == list(opts.themes[theme["name"]].heroes)
        assert theme["art"] and all(h["art"] for h in theme["heroes"]), theme
    assert [c["name"] for c in data["colors"]] == list(opts.colors)
    assert [a["name"] for a in data["adjectives"]] == list(opts.adjectives)
    assert all(a["art"] for a in data["adjectives"])
    status, headers, svg = call(studio, "GET", data["themes"][0]["heroes"][0]["art"])
    assert status == 200 and headers["content-type"] == "image/svg+xml" and b"<svg" in svg
    assert call(studio, "GET", "/art/skull.svg")[0] == 404  # in the library, not in the catalog


def test_consent_flow(books):
    with running(books, "consent-test") as server:
        assert get_json(server, "GET", "/api/consent")[1]["granted"] is False
        before = snapshot(books.parent)
        status, data = get_json(server, "POST", "/api/make", PICKS)
        assert status == 403 and "consent" in data["error"]  # no book without consent
        for body in ({"guardian": "Pat"}, {"guardian": "Pat", "confirm": "yes"},
                     {"guardian": "   ", "confirm": True}, {"guardian": "x" * 101, "confirm": True},
                     {"guardian": 7, "confirm": True}, {"guardian": "Pat", "confirm": True, "child": "Al"}):
            status, data = get_json(server, "POST", "/api/consent", body)
            assert status == 400 and data["error"], (body, data)
        assert snapshot(books.parent) == before  # every refusal wrote nothing
        assert consent.status("consent-test") is None
        status, data = get_json(server, "POST", "/api/consent", {"guardian": " Pat  Parent ", "confirm": True})
        assert status == 200 and data["granted"] and data["guardian"] == "Pat Parent", data
        rec = consent.status("consent-test")
        assert rec is not None and rec.guardian == "Pat Parent"  # the CLI's own record and rules
        record = books.parent / "profiles" / "consent-test" / "consent.json"
        record.write_text("{damaged")  # counts as no consent, and the page can grant it again
        status, data = get_json(server, "GET", "/api/consent")
        assert status == 200 and data["granted"] is False and data["problem"], data
        assert get_json(server, "POST", "/api/make", PICKS)[0] == 403
        status, data = get_json(server, "POST", "/api/consent", {"guardian": "Pat Parent", "confirm": True})
        assert status == 200 and data["granted"] and data["problem"] is None, data


def test_bad_picks_are_refused_and_nothing_is_written(studio, books):
    consent.grant("Sam Guardian", "default")
    before = snapshot(books.parent)
    for body, needle in [
        ({**PICKS, "hero": "dragon"}, "Unknown hero 'dragon' for theme 'farm'"),
        ({**PICKS, "theme": "volcano"}, "Unknown theme"),
        ({**PICKS, "color": "plaid"}, "Unknown color"),
        ({**PICKS, "adjective": "evil"}, "Unknown adjective"),
        ({**PICKS, "hero": "pig; rm -rf /"}, "hero"),
        ({**PICKS, "hero": ["pig"]}, "names in /api/options"),
        ({**PICKS, "prompt": "tell a scary story"}, "Unknown field"),
        ({k: v for k, v in PICKS.items() if k != "color"}, "Missing pick"),
    ]:
        status, data = get_json(studio, "POST", "/api/make", body)
        assert status == 400 and needle in data["error"], (body, data)
    status, data = get_json(studio, "POST", "/api/make", raw=b"{not json", headers={"Content-Type": "application/json"})
    assert status == 400 and "JSON" in data["error"]
    status, _ = get_json(studio, "POST", "/api/make", raw=json.dumps(PICKS).encode(),
                         headers={"Content-Type": "text/plain"})
    assert status == 415  # a plain form post from another page cannot start a job
    assert snapshot(books.parent) == before
    assert studio.jobs.running() is None


def test_refusals_before_any_route(studio, books):
    before = snapshot(books.parent)
    status, headers, _ = call(studio, "POST", "/api/consent", raw=b"x" * (MAX_BODY + 1),
                              headers={"Content-Type": "application/json"})
    assert status == 413
    status, headers, _ = call(studio, "PUT", "/api/make", PICKS)
    assert status == 405 and headers["allow"] == "POST"
    assert call(studio, "GET", "/api/make")[0] == 405
    assert call(studio, "DELETE", "/api/consent")[0] == 405
    assert call(studio, "PATCH", "/api/books")[0] == 405
    assert call(studio, "GET", "/api/nothing-here")[0] == 404
    status, _, _ = call(studio, "POST", "/api/make", PICKS, headers={"Host": "evil.example:80"})
    assert status == 403  # DNS rebinding: another name for this address
    status, _, _ = call(studio, "POST", "/api/make", PICKS, headers={"Origin": "http://evil.example"})
    assert status == 403
    status, _, _ = call(studio, "POST", "/api/make", raw=b"4\r\n{}\r\n0\r\n\r\n",
                        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"})
    assert status == 411
    assert snapshot(books.parent) == before


def test_make_job_reaches_done_and_the_book_is_on_the_shelf(studio, made, books):
    assert made["stages"] == list(STAGES) and made["stage_index"] == len(STAGES)
    assert made["picks"] == PICKS
    status, data = get_json(studio, "GET", "/api/books")
    shelf = {b["name"]: b for b in data["books"]}
    assert made["book"] in shelf and data["making"] is None
    book = shelf[made["book"]]
    assert (books / made["book"] / "manifest.json").is_file()
    status, headers, html = call(studio, "GET", book["url"])
    assert status == 200 and b"<title>" in html and headers["content-security-policy"] == CSP_BOOK
    status, headers, png = call(studio, "GET", book["cover"])
    assert status == 200 and headers["content-type"] == "image/png" and png[:4] == b"\x89PNG"
    wav = books / made["book"] / "audio" / "01-mix.wav"
    status, headers, part = call(studio, "GET", f"/books/{made['book']}/audio/01-mix.wav",
                                 headers={"Range": "bytes=4-11"})
    assert status == 206 and headers["content-range"] == f"bytes 4-11/{wav.stat().st_size}"
    assert part == wav.read_bytes()[4:12]


def test_same_picks_make_a_new_story_one_at_a_time_and_stopping_drops_it(made, books):
    before = sorted(p.name for p in books.iterdir())
    assert made["book"] in before
    with running(books, "default") as server:
        status, data = get_json(server, "POST", "/api/make", PICKS)
        assert status == 202, data
        job = data["job"]
        assert job["seed"] > made["seed"]  # a new story; the shelf keeps the old one
        old_plot = json.loads((books / made["book"] / "story.json").read_text())["plan"]["plot"]
        assert make_plan(_prompt_of(job)).plot != old_plot  # and a new kind of story
        status, busy = get_json(server, "POST", "/api/make", {**PICKS, "hero": "cow"})
        assert status == 409 and "already" in busy["error"]  # one book at a time
        stopped = server.shutdown_jobs(wait_s=60)  # what Ctrl-C does: cancel at the next stage
        assert stopped.id == job["id"] and stopped.state == "cancelled", stopped
        assert get_json(server, "POST", "/api/make", PICKS)[0] == 409  # stopping: no new job
    assert sorted(p.name for p in books.iterdir()) == before  # no half-made book left


def test_paths_outside_the_books_folder_are_refused(studio, made, books, tmp_path):
    name = made["book"]
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0 secret")
    (books / name / "escape.txt").symlink_to(outside)
    try:
        for path in ["/books/../etc/passwd", f"/books/{name}/../../../../etc/passwd",
                     f"/books/{name}/%2e%2e/%2e%2e/etc/passwd", f"/books/{name}//etc/passwd",
                     f"/books/{name}/..%2F..%2Fmanifest.json", "/books/%2Fetc/passwd",
                     f"/books/{name}/.hidden", f"/books/{name}/scenes/01\\..\\..\\story.json",
                     f"/books/{name}/escape.txt", f"/books/{name}/no-such-file.png",
                     f"/books/{name}/scenes", "/books/" + str(outside).replace("/", "%2F") + "/x"]:
            status, _, body = call(studio, "GET", path)
            assert status in (403, 404), (path, status)
            assert b"secret" not in body and b"root:" not in body, path
        assert call(studio, "GET", f"/books/{name}/escape.txt")[0] == 403  # a symlink out
        assert call(studio, "GET", f"/books/{name}/story.json")[0] == 200  # while inside works
    finally:
        (books / name / "escape.txt").unlink()


def test_downloads(studio, made, books):
    name = made["book"]
    status, headers, data = call(studio, "GET", f"/api/books/{name}/zip")
    assert status == 200 and headers["content-disposition"] == f'attachment; filename="{name}.zip"'
    zpath = books.parent / "download.zip"
    zpath.write_bytes(data)
    with zipfile.ZipFile(zpath) as z:
        names = z.namelist()
        assert f"{name}/manifest.json" in names and f"{name}/scenes/01/scene.png" in names
        assert all(n.startswith(f"{name}/") for n in names)
        assert z.read(f"{name}/story.json") == (books / name / "story.json").read_bytes()
    zpath.unlink()
    status, headers, epub = call(studio, "GET", f"/api/books/{name}/epub")
    assert status == 200 and headers["content-type"] == "application/epub+zip"
    assert epub[:2] == b"PK" and epub[30:38] == b"mimetype"
    status, headers, pdf = call(studio, "GET", f"/api/books/{name}/pdf")
    assert status == 200 and pdf[:5] == b"%PDF-" and headers["content-type"] == "application/pdf"
    assert call(studio, "GET", "/api/books/no-such-book/zip")[0] == 404


def test_delete_removes_exactly_that_book(studio, made, books, home):
    twin = books / (made["book"] + "-copy")
    shutil.copytree(books / made["book"], twin)
    consent.register_book(twin, "default")
    other = books / "other-profile-book"
    shutil.copytree(books / made["book"], other)
    consent.grant("Someone", "other")
    consent.register_book(other, "other")
    try:
        names = {b["name"] for b in get_json(studio, "GET", "/api/books")[1]["books"]}
        assert twin.name in names and other.name not in names  # another profile's book is not shown
        assert call(studio, "GET", f"/books/{other.name}/book.html")[0] == 404
        assert call(studio, "DELETE", f"/api/books/{other.name}")[0] == 404
        assert call(studio, "DELETE", "/api/books/..")[0] == 404
        assert call(studio, "GET", f"/api/books/{twin.name}")[0] == 405
        status, data = get_json(studio, "DELETE", f"/api/books/{twin.name}")
        assert status == 200 and data == {"deleted": twin.name}
        assert not twin.exists() and (books / made["book"]).is_dir() and other.is_dir()
        assert str(twin.resolve()) not in consent.books_of("default")
        assert str((books / made["book"]).resolve()) in consent.books_of("default")
        names = {b["name"] for b in get_json(studio, "GET", "/api/books")[1]["books"]}
        assert names == {made["book"]}
        assert call(studio, "DELETE", f"/api/books/{twin.name}")[0] == 404
    finally:
        shutil.rmtree(twin, ignore_errors=True)
        shutil.rmtree(other, ignore_errors=True)


# ------------------------------------------------------------------ the command


def test_command_prints_its_url_and_stops_cleanly_on_ctrl_c(tmp_path, home):
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "STORYGEN_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "storygen.cli", "studio", "--port", "0",
                             "--out", str(tmp_path / "books")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line
        conn = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=30)
        conn.request("GET", "/api/options")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Studio stopped" in out, (out, err)


def test_command_bad_input_is_one_line_and_exit_2(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["studio", "--profile", "Bad Name"])
    assert res.exit_code == 2 and "Profile name 'Bad Name' is not allowed" in res.output
    (tmp_path / "file").write_text("x")
    res = runner.invoke(main, ["studio", "--out", str(tmp_path / "file")])
    assert res.exit_code == 2 and "is a file, not a folder" in res.output
    res = runner.invoke(main, ["studio", "--port", "70000"])
    assert res.exit_code == 2 and "--port" in res.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        res = runner.invoke(main, ["studio", "--port", str(taken.getsockname()[1]), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "Cannot listen on 127.0.0.1" in res.output, res.output
    assert "Traceback" not in res.output


# ------------------------------------------------------------------ in the browser


@pytest.fixture(scope="module")
def browser_studio(books):
    with running(books, "browser") as server:
        yield server


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    _require_browser()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    ctx = pw.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("studio-chromium")), executable_path=CHROMIUM, headless=True,
        args=ARGS, viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()
    pw.stop()


@contextmanager
def watched(ctx, server, width=1280, height=900):
    """A page whose console errors, failed requests and off-site requests are collected."""
    page = ctx.new_page()
    page.set_viewport_size({"width": width, "height": height})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"requestfailed: {r.url} {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)  # media cut off by a page turn
    page.on("request", lambda r: requests.append(r.url))
    try:
        yield page
    finally:
        page.close()
    assert errors == [], errors
    assert requests and all(u.startswith(server.url) for u in requests), requests


def _open(page, server):
    page.goto(server.url)
    page.wait_for_selector("body[data-ready]")


def _images_loaded(page):
    page.wait_for_function("() => [...document.querySelectorAll('#choices img, #shelf-list img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")


def _pick(page, value, shot=None):
    button = page.locator(f"#choices button[data-value='{value}']")
    assert button.is_visible(), value
    _images_loaded(page)
    if shot:
        page.screenshot(path=str(shot), full_page=True)
    button.click()


def test_browser_consent_picks_progress_book_and_shelf(chromium, browser_studio, shots):
    server = browser_studio
    with watched(chromium, server) as page:
        _open(page, server)
        assert page.is_visible("#consent") and not page.is_visible("#picks")
        page.screenshot(path=str(shots / "1280-consent.png"), full_page=True)
        page.click("#consent-ok")  # nothing filled in: refused in the page
        assert page.text_content("#consent-error") and consent.status("browser") is None
        page.fill("#guardian", "Robin Guardian")
        page.check("#confirm")
        page.click("#consent-ok")
        page.wait_for_selector("#picks:not([hidden])")
        assert consent.status("browser").guardian == "Robin Guardian"
        _pick(page, "garden", shots / "1280-1-theme.png")
        heroes = page.locator("#choices button").evaluate_all("bs => bs.map(b => b.dataset.value)")
        assert heroes == list(load_options().themes["garden"].heroes)
        assert page.locator("#choices button[data-value=bee]").inner_text().strip() == "Bee"
        _pick(page, "bee", shots / "1280-2-hero.png")
        _pick(page, "yellow", shots / "1280-3-color.png")
        _pick(page, "curious", shots / "1280-4-adjective.png")
        assert "curious yellow bee" in page.text_content("#summary")
        page.screenshot(path=str(shots / "1280-5-ready.png"), full_page=True)
        page.click("#make")
        now = page.wait_for_selector("#stages li.now", timeout=30000)
        assert now.get_attribute("data-stage") in STAGES
        assert page.locator("#stages li").evaluate_all("ls => ls.map(l => l.dataset.stage)") == list(STAGES)
        # Live progress: the bar moves on as stages finish, each finished one ticked.
        page.wait_for_function("() => document.getElementById('bar').value >= 3", timeout=60000)
        assert page.locator("#stages li.done").count() >= 3
        page.screenshot(path=str(shots / "1280-6-progress.png"), full_page=True)
        page.wait_for_selector("#viewer:not([hidden])", timeout=150000)
        frame = page.locator("#book").element_handle().content_frame()
        frame.wait_for_selector("#play")
        frame.wait_for_function("() => [...document.querySelectorAll('section.page.on img')]"
                                ".every(i => i.complete && i.naturalWidth > 0)")
        assert frame.text_content("#count") == "Page 1 of 5"
        titles = {json.loads(f.read_text())["title"] for f in Path(server.out_root).glob("*/story.json")}
        assert page.text_content("#viewer-title") in titles  # the book just made, by its title
        page.screenshot(path=str(shots / "1280-7-book.png"))
        frame.locator("section.page.on .stage").screenshot(path=str(shots / "1280-7-picture.png"))
        assert non_blank(shots / "1280-7-picture.png")[0]
        frame_box = page.locator("#book").bounding_box()
        assert frame_box["y"] + frame_box["height"] <= 900 + 1, frame_box  # the viewer fits the window
        assert frame_box["height"] >= 780, frame_box  # and gives the book most of it
        frame.click("#play")
        assert frame.get_attribute("#play", "aria-pressed") == "true"
        frame.wait_for_function("() => [...document.querySelectorAll('#p01 audio')]"
                                ".every(a => !a.paused && a.currentTime > 0)", timeout=10000)
        book_name = frame.evaluate("() => location.pathname.split('/')[2]")
        page.click("#viewer-shelf")
        item = page.locator(f"#shelf-list li[data-book='{book_name}']")
        item.wait_for()
        _images_loaded(page)
        made_title = json.loads((server.out_root / book_name / "story.json").read_text())["title"]
        assert item.locator("h3").inner_text() == made_title
        assert item.locator("img").evaluate("i => i.naturalWidth") > 0  # cover = scene 1
        page.screenshot(path=str(shots / "1280-8-shelf.png"), full_page=True)
        item.locator("button", has_text="Delete").click()
        assert page.is_visible("#confirm-delete")
        page.screenshot(path=str(shots / "1280-9-confirm-delete.png"))
        page.click("#delete-no")  # the confirm step: "Keep it" keeps it
        assert (server.out_root / book_name).is_dir()
        item.locator("button", has_text="Open").click()
        page.wait_for_selector("#viewer:not([hidden])")
        assert page.locator("#book").get_attribute("src").endswith(f"/books/{book_name}/book.html")


def _tab_to(page, selector: str, limit: int = 40) -> int:
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return n
    raise AssertionError(f"{selector} is not reachable with Tab")


def _focus_ring(page) -> float:
    return page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }")


def test_browser_keyboard_only(chromium, browser_studio, shots):
    if consent.status("browser") is None:
        consent.grant("Robin Guardian", "browser")
    with watched(chromium, browser_studio) as page:
        _open(page, browser_studio)
        assert page.is_visible("#picks")
        assert _tab_to(page, "#choices button[data-value=space]") <= 12
        assert _focus_ring(page) >= 3  # focus is visible
        page.keyboard.press("Enter")
        assert page.text_content("#step-title") == "Who is the hero?"
        assert page.evaluate("document.activeElement.id") == "step-title"  # focus follows the step
        _tab_to(page, "#choices button[data-value=robot]")
        page.keyboard.press(" ")  # Space works like Enter on a real <button>
        _tab_to(page, "#choices button[data-value=blue]")
        page.keyboard.press("Enter")
        _tab_to(page, "#choices button[data-value=brave]")
        _images_loaded(page)
        page.screenshot(path=str(shots / "keyboard-focus.png"))
        page.keyboard.press("Enter")
        assert page.text_content("#summary") == "A brave blue robot \u2014 Outer Space"
        assert _tab_to(page, "#make") <= 3
        assert _focus_ring(page) >= 3
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") != "make"  # Tab order goes both ways


def _fits(page, width: int, selector: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    boxes = page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.right, r.width, r.height]; })")
    assert boxes, selector
    for left, right, w, h in boxes:
        assert left >= 0 and right <= width and w >= 44 and h >= 44, (selector, left, right, w, h)


def test_browser_768_wide(chromium, browser_studio, shots):
    if consent.status("browser") is None:
        consent.grant("Robin Guardian", "browser")
    with watched(chromium, browser_studio, width=768, height=1024) as page:
        _open(page, browser_studio)
        for value, name in (("arctic", "theme"), ("polar bear", "hero"), ("teal", "color"), ("silly", "adjective")):
            _fits(page, 768, "#choices button")
            _pick(page, value, shots / f"768-{name}.png")
        _fits(page, 768, "#make, #steps button:not([disabled])")
        page.screenshot(path=str(shots / "768-ready.png"), full_page=True)
        page.click("#go-shelf")
        page.wait_for_selector("#shelf:not([hidden])")
        if page.locator("#shelf-list li").count():
            _images_loaded(page)
            _fits(page, 768, "#shelf-list button, #shelf-list a")
            page.screenshot(path=str(shots / "768-shelf.png"), full_page=True)
            page.locator("#shelf-list li button", has_text="Open").first.click()
            frame = page.locator("#book").element_handle().content_frame()
            frame.wait_for_selector("#play")
            frame.wait_for_function("() => [...document.querySelectorAll('section.page.on img')]"
                                    ".every(i => i.complete && i.naturalWidth > 0)")
            _fits(page, 768, "#viewer button, #book")
            page.screenshot(path=str(shots / "768-book.png"))
        else:
            page.screenshot(path=str(shots / "768-shelf.png"), full_page=True)


def _prompt_of(job):
    from storygen.records import Prompt

    return Prompt(**job["picks"], seed=job["seed"])


def test_a_new_book_is_not_the_same_kind_of_story_as_the_last_five(tmp_path):
    """fresh_seed skips seeds whose plot kind the shelf's newest five books told."""
    from storygen.records import Prompt
    from storygen.studio.jobs import fresh_seed

    prompt = Prompt(theme="farm", hero="pig", color="pink", adjective="silly", seed=0)
    told = []
    for n in range(5):
        book = tmp_path / f"book{n}"
        book.mkdir()
        plot = make_plan(Prompt(theme="farm", hero="pig", color="pink", adjective="silly", seed=n)).plot
        (book / "story.json").write_text(json.dumps({"plan": {"plot": plot}}))
        told.append(plot)
    fresh = fresh_seed(prompt, tmp_path)
    assert make_plan(fresh).plot not in told
    assert fresh_seed(prompt, tmp_path / "empty") == prompt  # an empty shelf: the seed as given
