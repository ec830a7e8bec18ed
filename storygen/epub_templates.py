"""The text files inside book.epub (storygen.epub): package document, nav, cover, pages, SMIL.

f-string templates; every value from the story goes through `_x` (XML escaping), so story text
is shown, never parsed as markup. A `page` is a storygen.epub.Page.
"""
from __future__ import annotations

import html

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

_XHTML_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="{lang}" lang="{lang}">
<head>
<meta charset="UTF-8"/>
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
"""

SUMMARY = ("A picture book for young children. Every page has a picture with a short text"
           " description and the story text, and a narrator reads it aloud: the words are"
           " highlighted in step with the voice (EPUB Media Overlays). Pictures are still, with"
           " no flashing and no motion; the text can be resized and restyled.")


def _x(text: str) -> str:
    # Numeric &#34; rather than &quot;: EPUBCheck advises against named entities in XHTML.
    return html.escape(str(text), quote=False).replace('"', "&#34;")


def clock(seconds: float) -> str:
    """SMIL clock value for clipBegin/clipEnd (timecount in seconds)."""
    return f"{seconds:.3f}s"


def duration(seconds: float) -> str:
    """media:duration, a full clock value."""
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def head(title: str, lang: str) -> str:
    return _XHTML_HEAD.format(lang=_x(lang), title=_x(title))


def package(title: str, lang: str, ident: str, modified: str, pages, active_class: str) -> str:
    durations = [round(p.duration_s, 3) for p in pages]
    narrators = sorted({p.narrator for p in pages if p.narrator})
    a11y = "".join(f'    <meta property="schema:{prop}">{value}</meta>\n' for prop, value in (
        ("accessMode", "textual"), ("accessMode", "visual"), ("accessMode", "auditory"),
        ("accessModeSufficient", "textual"), ("accessModeSufficient", "textual,visual"),
        ("accessModeSufficient", "auditory,visual"),
        ("accessibilityFeature", "alternativeText"), ("accessibilityFeature", "synchronizedAudioText"),
        ("accessibilityFeature", "tableOfContents"), ("accessibilityFeature", "readingOrder"),
        ("accessibilityFeature", "displayTransformability"),
        ("accessibilityHazard", "noFlashingHazard"), ("accessibilityHazard", "noMotionSimulationHazard"),
        ("accessibilityHazard", "noSoundHazard"),
        ("accessibilitySummary", _x(SUMMARY))))
    media = "".join(f'    <meta property="media:duration" refines="#smil-{p.nn}">{duration(d)}</meta>\n'
                    for p, d in zip(pages, durations))
    media += f'    <meta property="media:duration">{duration(sum(durations))}</meta>\n'
    media += "".join(f'    <meta property="media:narrator">{_x(n)}</meta>\n' for n in narrators)
    media += f'    <meta property="media:active-class">{_x(active_class)}</meta>\n'
    items = "".join(
        f'    <item id="page-{p.nn}" href="p{p.nn}.xhtml" media-type="application/xhtml+xml" media-overlay="smil-{p.nn}"/>\n'
        f'    <item id="smil-{p.nn}" href="p{p.nn}.smil" media-type="application/smil+xml"/>\n'
        f'    <item id="img-{p.nn}" href="images/{p.nn}.png" media-type="image/png"/>\n'
        f'    <item id="audio-{p.nn}" href="audio/{p.nn}.mp3" media-type="audio/mpeg"/>\n'
        for p in pages)
    spine = "".join(f'    <itemref idref="page-{p.nn}"/>\n' for p in pages)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="{_x(lang)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">{_x(ident)}</dc:identifier>
    <dc:title>{_x(title)}</dc:title>
    <dc:language>{_x(lang)}</dc:language>
    <dc:creator>storygen</dc:creator>
    <dc:publisher>storygen</dc:publisher>
    <meta property="dcterms:modified">{_x(modified)}</meta>
{a11y}{media}    <meta name="cover" content="cover-image"/>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
    <item id="cover-image" href="images/cover.png" media-type="image/png" properties="cover-image"/>
    <item id="css" href="style.css" media-type="text/css"/>
{items}  </manifest>
  <spine>
    <itemref idref="cover"/>
{spine}  </spine>
</package>
"""


def nav(title: str, lang: str, pages) -> str:
    toc = "".join(f'      <li><a href="p{p.nn}.xhtml">Page {p.number}</a></li>\n' for p in pages)
    return head(title, lang) + f"""<body>
  <nav epub:type="toc" id="toc" role="doc-toc" aria-label="Contents">
    <h1>{_x(title)}</h1>
    <ol>
      <li><a href="cover.xhtml">Cover</a></li>
{toc}    </ol>
  </nav>
  <nav epub:type="landmarks" id="landmarks" hidden="hidden" aria-label="Landmarks">
    <ol>
      <li><a epub:type="cover" href="cover.xhtml">Cover</a></li>
      <li><a epub:type="bodymatter" href="p01.xhtml">Start of the story</a></li>
    </ol>
  </nav>
</body>
</html>
"""


def cover(title: str, lang: str) -> str:
    return head(title, lang) + f"""<body epub:type="cover">
  <section class="cover" aria-label="Cover">
    <img src="images/cover.png" alt="{_x(title)}"/>
    <h1>{_x(title)}</h1>
  </section>
</body>
</html>
"""


def page(title: str, lang: str, page, count: int) -> str:
    words = " ".join(f'<span id="{wid}">{_x(w)}</span>' if wid else _x(w) for w, wid in page.words)
    return head(f"{title}: page {page.number} of {count}", lang) + f"""<body>
  <section class="page" id="page-{page.nn}" epub:type="chapter" aria-label="Page {page.number}">
    <figure class="picture"><img src="images/{page.nn}.png" alt="{_x(page.alt)}"/></figure>
    <p class="text">{words}</p>
  </section>
</body>
</html>
"""


def smil(page) -> str:
    pars = "".join(
        f'    <par id="par-{c.word_id}"><text src="p{page.nn}.xhtml#{c.word_id}"/>'
        f'<audio src="audio/{page.nn}.mp3" clipBegin="{clock(c.begin)}" clipEnd="{clock(c.end)}"/></par>\n'
        for c in page.clips)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
  <body>
  <seq id="seq-{page.nn}" epub:textref="p{page.nn}.xhtml#page-{page.nn}" epub:type="chapter">
{pars}  </seq>
  </body>
</smil>
"""


def css(accent: str, active_class: str) -> str:
    return f"""body {{ margin: 0.5em; font-family: sans-serif; }}
.cover, .page {{ text-align: center; }}
.cover img, .picture img {{ max-width: 100%; max-height: 60vh; border-radius: 0.6em; }}
.picture {{ margin: 0 0 0.6em 0; }}
h1 {{ color: {accent}; }}
.text {{ font-size: 1.6em; line-height: 1.5; text-align: left; }}
.{active_class} {{ background-color: {accent}; color: #ffffff; border-radius: 0.2em; }}
"""
