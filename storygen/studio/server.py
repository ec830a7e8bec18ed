"""The studio's HTTP server: routes, refusals and security headers, on the standard library's
ThreadingHTTPServer (no framework, no new dependency; one local user, a handful of requests).

Routes (everything else is 404; a known path with the wrong method is 405):
  GET  /                       the page (static/index.html, studio.css, studio.js under /static/)
  GET  /art/ID.svg             a drawing the pick buttons use (storygen.studio.catalog)
  GET  /api/options            the curated picks with their pictures
  GET  /api/consent            whether the profile has a guardian's consent
  POST /api/consent            {"guardian": NAME, "confirm": true}: grant it (storygen.consent)
  POST /api/make               {"theme", "hero", "color", "adjective"}: start a make job (202)
  GET  /api/jobs/ID            a job's state and stage
  GET  /api/books              the shelf, newest first
  DELETE /api/books/NAME       delete a book
  GET  /api/books/NAME/zip|epub|pdf   downloads
  GET  /books/NAME/PATH        a shelf book's own files (book.html and its media)

Refused requests write nothing: the picks are checked against configs/options.yaml and consent
is required before a job starts; bodies over MAX_BODY are refused unread (413); a Host header
that is not this server's (DNS rebinding) or a cross-site Origin on a POST/DELETE is 403.
"""
from __future__ import annotations

import json
import re
import socket
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import consent
from ..config import settings as load_settings
from ..errors import ConsentError, StorygenError
from ..options import load_options
from .catalog import art_path, catalog
from .files import Refused, byte_range, content_type, copy_part, inside, send_whole, size_of
from .jobs import Busy, JobRunner
from .shelf import Shelf

MAX_BODY = 16 * 1024  # a consent form or four picks: a few hundred bytes
PICKS = ("theme", "hero", "color", "adjective")
STATIC = {"/": "index.html", "/static/studio.css": "studio.css", "/static/studio.js": "studio.js"}
# The page runs only its own files; the book viewer only its own inline script and media.
CSP_PAGE = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")
CSP_BOOK = ("default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
CSP_DATA = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_ROUTES = [  # (pattern, methods, handler name)
    (re.compile(r"/|/static/studio\.(?:css|js)"), ("GET", "HEAD"), "static"),
    (re.compile(r"/art/([a-z0-9_]{1,64})\.svg"), ("GET", "HEAD"), "art"),
    (re.compile(r"/api/options"), ("GET", "HEAD"), "options"),
    (re.compile(r"/api/consent"), ("GET", "HEAD", "POST"), "consent"),
    (re.compile(r"/api/make"), ("POST",), "make"),
    (re.compile(r"/api/jobs/([A-Za-z0-9]{1,16})"), ("GET", "HEAD"), "job"),
    (re.compile(r"/api/books"), ("GET", "HEAD"), "books"),
    (re.compile(r"/api/books/([^/]+)"), ("DELETE",), "delete"),
    (re.compile(r"/api/books/([^/]+)/(zip|epub|pdf)"), ("GET", "HEAD"), "download"),
    (re.compile(r"/books/([^/]+)/(.+)"), ("GET", "HEAD"), "book_file"),
]


class HttpError(Exception):
    def __init__(self, status: int, message: str, **extra) -> None:
        super().__init__(message)
        self.status, self.extra = status, extra


class StudioServer(ThreadingHTTPServer):
    daemon_threads = True  # a viewer left open must not keep the process alive on Ctrl-C

    def __init__(self, host: str, port: int, out_root: Path, profile: str) -> None:
        self.out_root = Path(out_root).resolve()
        self.profile = profile
        self.shelf = Shelf(self.out_root, profile)
        self.jobs = JobRunner(self.out_root)
        self.bound_host = host
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), Handler)

    def handle_error(self, request, client_address) -> None:
        # A browser closing a kept-alive connection (a closed tab, a seek in a track) is normal.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, TimeoutError)):
            super().handle_error(request, client_address)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        host = f"[{self.bound_host}]" if ":" in self.bound_host else self.bound_host
        return f"http://{host}:{self.port}/"

    def host_allowed(self, header: str | None) -> bool:
        """A loopback server answers only to loopback names: a web page that rebinds its own
        domain to 127.0.0.1 cannot reach it. Bound elsewhere (the user chose to share it on a
        network), any name that reaches it is accepted."""
        if self.bound_host not in LOOPBACK and not self.bound_host.startswith("127."):
            return True
        names = {f"{h}:{self.port}" for h in ("127.0.0.1", "localhost", "[::1]", self.bound_host)}
        return (header or "").lower() in names

    def shutdown_jobs(self, wait_s: float = 30.0):
        """Cancel a book being made (see JobRunner.stop); the job, or None if none was."""
        return self.jobs.stop(wait_s)


class Handler(BaseHTTPRequestHandler):
    server: StudioServer
    protocol_version = "HTTP/1.1"
    server_version = "storygen-studio"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version  # no Python version on the wire

    def log_message(self, format, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # a parent does not need an access log in the terminal; errors are printed

    # -------------------------------------------------------------- dispatch

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_OPTIONS(self) -> None:
        self._dispatch("OPTIONS")

    def _dispatch(self, method: str) -> None:
        try:
            self._body = self._check(method)
            path = urlsplit(self.path).path
            for pattern, methods, name in _ROUTES:
                m = pattern.fullmatch(path)
                if m:
                    if method not in methods:
                        raise HttpError(405, f"{method} is not allowed here", allow=", ".join(methods))
                    getattr(self, f"r_{name}")(method, *m.groups())
                    return
            raise HttpError(404, "Not found")
        except HttpError as exc:
            self._json(exc.status, {"error": str(exc)}, allow=exc.extra.get("allow"))
        except Refused as exc:
            self._json(exc.status, {"error": str(exc)})
        except ConsentError as exc:  # e.g. a consent record damaged on disk: no book is made
            self._json(403, {"error": str(exc)})
        except StorygenError as exc:  # something a person can act on, said as the CLI says it
            self._json(400, {"error": str(exc)})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the browser stopped reading (a seek, a closed tab)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            self._json(500, {"error": "Something went wrong in the studio (see the terminal)"})

    def _check(self, method: str) -> bytes:
        """Refusals that come before any route: wrong host, wrong origin, a body too big.

        Until the body is read the connection cannot carry another request, so any refusal
        here closes it."""
        keep_open = not self.close_connection
        self.close_connection = True
        if not self.server.host_allowed(self.headers.get("Host")):
            raise HttpError(403, "This studio answers only to its own address")
        if method in ("POST", "DELETE"):
            origin = self.headers.get("Origin")
            if origin is not None and origin != f"http://{self.headers.get('Host')}":
                raise HttpError(403, "Requests from other sites are refused")
            if self.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
                raise HttpError(403, "Requests from other sites are refused")
        if self.headers.get("Transfer-Encoding"):
            raise HttpError(411, "Send a Content-Length, not a chunked body")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise HttpError(400, "Bad Content-Length") from None
        if length < 0:
            raise HttpError(400, "Bad Content-Length")
        if length > MAX_BODY:  # refused unread
            raise HttpError(413, f"Request body too large (at most {MAX_BODY} bytes)")
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise HttpError(400, "The request body ended early")
        self.close_connection = not keep_open
        return body

    def _json_body(self, fields: tuple[str, ...]) -> dict:
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            raise HttpError(415, "Send JSON (Content-Type: application/json)")
        try:
            data = json.loads(self._body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise HttpError(400, "The request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise HttpError(400, "Send a JSON object")
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise HttpError(400, f"Unknown field(s): {', '.join(unknown)}; send only {', '.join(fields)}")
        return data

    # -------------------------------------------------------------- responses

    def _send(self, status: int, body: bytes, ctype: str, csp: str = CSP_DATA, **headers) -> None:
        self.send_response(status)
        self._headers(ctype, len(body), csp, **headers)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _headers(self, ctype: str, length: int, csp: str, **headers) -> None:
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Content-Security-Policy", csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("X-Frame-Options", "SAMEORIGIN" if csp == CSP_BOOK else "DENY")
        for name, value in headers.items():
            if value is not None:
                self.send_header(name.replace("_", "-").title(), str(value))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _json(self, status: int, data, allow: str | None = None) -> None:
        body = (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8", cache_control="no-store", allow=allow)

    def _file(self, path: Path, csp: str = CSP_DATA, attachment: str | None = None) -> None:
        """A file, whole or the byte range asked for."""
        size = size_of(path)
        try:
            rng = byte_range(self.headers.get("Range"), size)
        except ValueError:
            self._send(416, b"", "text/plain", content_range=f"bytes */{size}")
            return
        first, last = rng if rng else (0, size - 1)
        length = max(0, last - first + 1)
        self.send_response(206 if rng else 200)
        extra = {"accept_ranges": "bytes", "cache_control": "no-cache"}
        if rng:
            extra["content_range"] = f"bytes {first}-{last}/{size}"
        if attachment:
            extra["content_disposition"] = f'attachment; filename="{attachment}"'
        self._headers(content_type(path), length, csp, **extra)
        if self.command == "HEAD":
            return
        with open(path, "rb") as src:
            src.seek(first)
            copy_part(src, self.wfile, length)

    # -------------------------------------------------------------- routes

    def r_static(self, method: str) -> None:
        name = STATIC[urlsplit(self.path).path]
        body = (resources.files("storygen.studio") / "static" / name).read_bytes()
        self._send(200, body, content_type(Path(name)), CSP_PAGE, cache_control="no-cache")

    def r_art(self, method: str, object_id: str) -> None:
        path = art_path(object_id)
        if path is None or not path.is_file():
            raise HttpError(404, "No such picture")
        self._file(path)

    def r_options(self, method: str) -> None:
        self._json(200, catalog())

    def r_consent(self, method: str) -> None:
        if method == "POST":
            data = self._json_body(("guardian", "confirm"))
            if data.get("confirm") is not True:
                raise HttpError(400, "Tick the box to confirm you are the child's parent or guardian")
            if not isinstance(data.get("guardian"), str):
                raise HttpError(400, "Give the guardian's name")
            try:
                consent.grant(data["guardian"], self.server.profile)
            except StorygenError as exc:
                raise HttpError(400, str(exc).replace("storygen consent grant --guardian NAME", "")
                                .rstrip(": ")) from None
        try:
            rec, problem = consent.status(self.server.profile), None
        except StorygenError as exc:  # a damaged record counts for nothing: the page asks again
            rec, problem = None, str(exc)
        self._json(200, {"profile": self.server.profile, "granted": rec is not None,
                         "guardian": rec.guardian if rec else None,
                         "granted_at": rec.granted_at if rec else None, "problem": problem})

    def r_make(self, method: str) -> None:
        data = self._json_body(PICKS)
        missing = [k for k in PICKS if k not in data]
        if missing:
            raise HttpError(400, f"Missing pick(s): {', '.join(missing)}")
        if not all(isinstance(data[k], str) for k in PICKS):
            raise HttpError(400, "Each pick is one of the names in /api/options")
        seed = load_settings().seed
        try:
            prompt = load_options().prompt(data["theme"], data["hero"], data["color"],
                                           data["adjective"], seed, self.server.profile)
        except StorygenError as exc:
            raise HttpError(400, str(exc)) from None
        try:
            granted = consent.status(self.server.profile) is not None
        except StorygenError:  # unreadable or damaged: no consent
            granted = False
        if not granted:
            raise HttpError(403, "A parent or guardian must give consent before a story is made")
        try:
            job = self.server.jobs.start(prompt)
        except Busy as exc:
            raise HttpError(409, str(exc)) from None
        self._json(202, {"job": job.to_dict()})

    def r_job(self, method: str, job_id: str) -> None:
        job = self.server.jobs.get(job_id)
        if job is None:
            raise HttpError(404, "No such job")
        self._json(200, {"job": job.to_dict()})

    def r_books(self, method: str) -> None:
        running = self.server.jobs.running()
        self._json(200, {"books": [b.to_dict() for b in self.server.shelf.books()],
                         "making": running.to_dict() if running else None})

    def r_delete(self, method: str, name: str) -> None:
        book = self.server.shelf.delete(unquote(name))
        self._json(200, {"deleted": book.name})

    def r_download(self, method: str, name: str, kind: str) -> None:
        shelf = self.server.shelf
        name = unquote(name)
        if kind == "zip":
            with shelf.zip_file(name) as tmp:
                size = tmp.seek(0, 2)
                tmp.seek(0)
                self.send_response(200)
                self._headers("application/zip", size, CSP_DATA, cache_control="no-store",
                              content_disposition=f'attachment; filename="{_ascii(name)}.zip"')
                if method != "HEAD":
                    send_whole(tmp, self.wfile)
            return
        try:
            path = shelf.epub(name) if kind == "epub" else shelf.pdf(name)
        except StorygenError as exc:  # e.g. a stage the EPUB needs has not run
            raise HttpError(409, str(exc)) from None
        self._file(path, attachment=f"{_ascii(name)}.{kind}")

    def r_book_file(self, method: str, name: str, rest: str) -> None:
        book = self.server.shelf.find(unquote(name))
        path = inside(book.path, [unquote(p) for p in rest.split("/")])
        self._file(path, CSP_BOOK)


def _ascii(name: str) -> str:
    """A download's file name: book folder names are already plain, this keeps it so."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "book"

