"""book.epub: the storybook as EPUB 3 with read-aloud, for e-readers and tablets.

One XHTML page per scene (scene.png + the text, one <span> per word), the narration as MP3
(audio/mpeg is an EPUB core media type, WAV is not) and a Media Overlay (SMIL) per page that
pairs each word span with its slice of the audio, so a reading system lights up each word as it
is read. A cover (scene 1 with the title), a nav document, title, language and accessibility
metadata. Templates are f-strings with escaped values, like book.html (storygen.book).

The zip is written with the stdlib: `mimetype` first and stored, every entry dated 1980-01-01,
so the same book folder gives the same bytes.
"""
from __future__ import annotations

import io
import os
import re
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .book import align_words
from .errors import RecordError
from .io import read_record, write_bytes
from .mp3 import mp3_duration_s, read_wav, wav_to_mp3
from .records import Narration, SceneLayout, Story
from .book_paths import BookPaths, scene_folder_name
from . import epub_templates as tpl

LANGUAGE = "en"  # stories, voices and the text tools are English only
ACTIVE_CLASS = "sg-active"  # media:active-class: the word being read
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Clip:
    word_id: str
    begin: float
    end: float


@dataclass(frozen=True)
class Page:
    number: int
    text: str
    words: tuple[tuple[str, str | None], ...]  # (word as written, span id if it is read aloud)
    clips: tuple[Clip, ...]
    png: bytes
    alt: str
    mp3: bytes
    duration_s: float
    narrator: str

    @property
    def nn(self) -> str:
        return f"{self.number:02d}"


def missing_stages(story: Story, book_dir: Path) -> list[str]:
    """What the book folder lacks for an EPUB, each with the command that makes it."""
    paths = BookPaths(book_dir)
    pictures = [n for n in range(1, len(story.scenes) + 1) if not paths.picture(n).is_file()]
    voices = [n for n in range(1, len(story.scenes) + 1)
              if not paths.audio(n, "narration.json").is_file() or not paths.audio(n, "narration.wav").is_file()]
    out = []
    if pictures:
        out.append(f"no picture for scene {_list(pictures)} (scenes/NN/scene.png):"
                   f" run `storygen scene {book_dir}` first")
    if voices:
        out.append(f"no narration for scene {_list(voices)} (audio/NN-narration.wav + .json):"
                   f" run `storygen narrate {book_dir}` first")
    return out


def require_stages(story: Story, book_dir: str | os.PathLike) -> None:
    problems = missing_stages(story, Path(book_dir))
    if problems:
        raise RecordError(f"Cannot make {BookPaths(book_dir).epub}: " + "; ".join(problems))
    paths = BookPaths(book_dir)
    for n in range(1, len(story.scenes) + 1):  # a damaged file fails here too, before book.html is rewritten
        read_record(paths.audio(n, "narration.json"), Narration)
        read_wav(paths.audio(n, "narration.wav"))
        _check_picture(paths.picture(n), book_dir)


def _check_picture(path: Path, book_dir) -> None:
    from PIL import Image

    try:
        with Image.open(path) as img:
            img.load()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # what Pillow raises for a broken file
        raise RecordError(f"{path} is not a readable picture ({exc}); run `storygen scene {book_dir}`"
                          " again") from None


def _list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def clips_for(aligned: list[tuple[str, object]], nn: str) -> tuple[tuple[tuple[str, str | None], ...], tuple[Clip, ...]]:
    """Span ids and audio clips for the read words of a page.

    Each clip begins at its word's start; it ends at the word's end, or at the next read word's
    start when there is a pause between them (a comma, a full stop), so the pause is played too
    and the word stays lit through it, as in a read-along picture book."""
    words, timed = [], []
    for k, (word, timing) in enumerate(aligned, 1):
        ok = timing is not None and timing.end > timing.start
        wid = f"p{nn}w{k:03d}" if ok else None
        words.append((word, wid))
        if ok:
            timed.append((wid, timing))
    clips = []
    for i, (wid, t) in enumerate(timed):
        nxt = timed[i + 1][1].start if i + 1 < len(timed) else t.end
        clips.append(Clip(wid, t.start, max(t.end, nxt)))
    return tuple(words), tuple(clips)


def _alt(book_dir: Path, number: int) -> str:
    """Alt text from what the scene shows (layout.json), else a plain label."""
    path = BookPaths(book_dir).layout(number)
    names: list[str] = []
    try:
        lay = read_record(path, SceneLayout) if path.exists() else None
    except RecordError:
        lay = None
    for obj in sorted(lay.objects, key=lambda o: o.z) if lay else ():
        name = re.sub(r"[-_]+", " ", obj.object_id).strip()
        if name and name not in names:
            names.append(name)
    return f"Picture for page {number}" + (f": {', '.join(names)}." if names else ".")


def load_pages(story: Story, book_dir: Path) -> list[Page]:
    pages, paths = [], BookPaths(book_dir)
    for i, text in enumerate(story.scenes, 1):
        nn = scene_folder_name(i)
        nar = read_record(paths.audio(i, "narration.json"), Narration)
        mp3, _ = wav_to_mp3(paths.audio(i, "narration.wav"))
        words, clips = clips_for(align_words(text, nar.words), nn)
        narrator = " ".join(x for x in (nar.backend, nar.voice) if x and x != "none")
        pages.append(Page(i, text, words, clips, paths.picture(i).read_bytes(),
                          _alt(book_dir, i), mp3, mp3_duration_s(mp3), narrator))
    return pages


def cover_png(scene_png: bytes, title: str, accent_hex: str) -> bytes:
    """Scene 1's picture above the title, on a band of the book's color."""
    from PIL import Image, ImageDraw, ImageFont

    pic = Image.open(io.BytesIO(scene_png)).convert("RGB")
    w, band = pic.width, int(pic.height * 0.28)
    img = Image.new("RGB", (w, pic.height + band), accent_hex)  # the band goes below the picture
    img.paste(pic, (0, 0))
    h = img.height
    draw = ImageDraw.Draw(img)
    size = max(12, band // 3)
    while True:  # the largest type that fits on two lines
        font = ImageFont.load_default(size=size)
        lines = _wrap(title, font, draw, w * 0.9)
        if len(lines) <= 2 or size <= 12:
            break
        size -= 2
    y = h - band / 2 - len(lines) * size * 0.6
    for line in lines:
        draw.text((w / 2, y), line, font=font, fill="#FFFFFF", anchor="mt", stroke_width=max(1, size // 20),
                  stroke_fill="#00000088")
        y += size * 1.2
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _wrap(text: str, font, draw, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines or [""]


def _modified(book_dir: Path) -> str:
    """dcterms:modified: SOURCE_DATE_EPOCH, else when story.json was written (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else int((book_dir / "story.json").stat().st_mtime)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


def book_id(story: Story) -> str:
    p = story.prompt
    key = "|".join([p.theme, p.hero, p.color, p.adjective, str(p.seed), story.title, *story.scenes])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'storygen:' + key)}"


def build_epub(story: Story, book_dir: str | os.PathLike, accent_hex: str) -> bytes:
    """The EPUB as bytes; raises RecordError naming the stage to run if something is missing."""
    book_dir = Path(book_dir)
    require_stages(story, book_dir)
    accent = accent_hex if re.fullmatch(r"#[0-9A-Fa-f]{6}", accent_hex) else "#555555"
    pages = load_pages(story, book_dir)
    title = story.title
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", tpl.CONTAINER.encode()),
        ("EPUB/package.opf", tpl.package(title, LANGUAGE, book_id(story), _modified(book_dir),
                                         pages, ACTIVE_CLASS).encode()),
        ("EPUB/nav.xhtml", tpl.nav(title, LANGUAGE, pages).encode()),
        ("EPUB/cover.xhtml", tpl.cover(title, LANGUAGE).encode()),
        ("EPUB/style.css", tpl.css(accent, ACTIVE_CLASS).encode()),
        ("EPUB/images/cover.png", cover_png(pages[0].png, title, accent)),
    ]
    for page in pages:
        files += [(f"EPUB/p{page.nn}.xhtml", tpl.page(title, LANGUAGE, page, len(pages)).encode()),
                  (f"EPUB/p{page.nn}.smil", tpl.smil(page).encode()),
                  (f"EPUB/images/{page.nn}.png", page.png),
                  (f"EPUB/audio/{page.nn}.mp3", page.mp3)]
    return zip_epub(files)


def zip_epub(files: list[tuple[str, bytes]]) -> bytes:
    """OCF zip: `mimetype` first, stored, no extra field; media stored, text deflated."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in [("mimetype", b"application/epub+zip"), *files]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            packed = name == "mimetype" or name.endswith((".png", ".mp3"))
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def write_epub(story: Story, book_dir: str | os.PathLike, accent_hex: str) -> Path:
    """book.epub in the book folder, written to a temp file and renamed (never half-written)."""
    data = build_epub(story, book_dir, accent_hex)
    return write_bytes(BookPaths(book_dir).epub, data)

