"""The storybook: book.html, a self-contained viewer that works opened straight from disk, and
book.pdf, a printable copy.

`html` backend: one page per scene. The picture is, by what the scene stage left in the folder:
layered (scenes/NN/layers/background.png + one obj-ZZ-<object>.png per object of layout.json,
animated here with CSS keyframes from each object's animation kind and params), else the GIF,
else the PNG. Below it the text in large type, words lit up as the narrator reads them (from
audio/NN-narration.json), and a play button for narration + music + effects (audio/NN-mix.wav,
or the three tracks together). Keyboard (arrows, Page Up/Down, Home/End, space) and swipe
navigation. Media are referenced by relative path inside the book folder and nothing else is
loaded: no network, no server, and a Content-Security-Policy that forbids both.
"""
from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from pathlib import Path

from .config import settings as load_settings
from .errors import RecordError
from .io import read_record, write_bytes, write_text
from .records import Narration, PlacedObject, SceneLayout, Story
from .backends import BOOKS
from .book_paths import BookPaths, audio_name, scene_folder_name, scene_rel
from .object_library import load_library
from .scenes.posing import owner_turns

_TRACKS = (("narration", 1.0), ("music", 0.35), ("sfx", 0.8))
_CSP = ("default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline';"
        " script-src 'unsafe-inline'")

_CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:"Andika","Comic Neue","Trebuchet MS","Verdana",sans-serif;
background:#fdf6e3;color:#1d1d1d}
header{padding:.4em 1em;background:var(--accent);color:#fff;font-size:clamp(1.4rem,3vw,2.2rem);
text-shadow:0 1px 2px #0008}
main{max-width:1100px;margin:0 auto;padding:.8em}
.page{display:none;text-align:center}
.page.on{display:block}
.stage{position:relative;width:min(100%,1024px,calc(56vh * var(--ar,1.3333)));aspect-ratio:var(--ar,4/3);
margin:0 auto;overflow:hidden;border-radius:16px;border:6px solid var(--accent);background:var(--accent)}
.stage img{display:block;width:100%;height:100%;object-fit:contain}
.stage .bg{position:absolute;inset:0}
.sprite{position:absolute;animation-iteration-count:infinite;will-change:transform}
.missing{display:flex;align-items:center;justify-content:center;color:#fff;font-size:3rem}
.text{font-size:clamp(1.5rem,min(3.2vw,3.6vh),2.4rem);line-height:1.55;margin:.6em auto;text-align:left;
width:min(100%,1024px,calc(56vh * 1.3333))}
.text .w.lit{background:var(--accent);color:#fff;border-radius:.2em}
nav{display:flex;justify-content:center;align-items:center;gap:1em;padding:.6em 1em 1.2em}
button{font:inherit;font-size:clamp(1.3rem,2.6vw,1.8rem);min-width:3em;min-height:2.4em;
padding:.2em 1em;border-radius:14px;border:3px solid transparent;background:var(--accent);
color:#fff;cursor:pointer;text-shadow:0 1px 2px #0008}
button:focus-visible{outline:4px solid #1d1d1d;outline-offset:3px}
button:disabled{opacity:.35;cursor:default}
.count{font-size:clamp(1.2rem,2.4vw,1.6rem);min-width:7em}
@keyframes sg-bob{0%,100%{transform:translateY(0)}25%{transform:translateY(calc(-1% * var(--a)))}
75%{transform:translateY(calc(1% * var(--a)))}}
@keyframes sg-hop{0%,100%{transform:translateY(0) scale(calc(1 + var(--sq) / 2),calc(1 - var(--sq)))}
15%,85%{transform:translateY(calc(-.45% * var(--a))) scale(1,1)}
50%{transform:translateY(calc(-1% * var(--a))) scale(1,1)}}
@keyframes sg-swim{0%,50%,100%{transform:translate(0,0)}12.5%{transform:translate(calc(.71% * var(--a)),calc(.3% * var(--ay)))}
25%{transform:translate(calc(1% * var(--a)),0)}37.5%{transform:translate(calc(.71% * var(--a)),calc(-.3% * var(--ay)))}
62.5%{transform:translate(calc(-.71% * var(--a)),calc(.3% * var(--ay)))}75%{transform:translate(calc(-1% * var(--a)),0)}
87.5%{transform:translate(calc(-.71% * var(--a)),calc(-.3% * var(--ay)))}}
@keyframes sg-sway{0%,50%,100%{transform:rotate(0)}25%{transform:rotate(calc(1deg * var(--a)))}
75%{transform:rotate(calc(-1deg * var(--a)))}}
@keyframes sg-flap{0%,100%{transform:translateY(0) scaleY(1)}
50%{transform:translateY(calc(-1% * var(--lift))) scaleY(calc(1 - var(--a)))}}
@keyframes sg-twinkle{0%,50%,100%{transform:scale(1)}25%{transform:scale(calc(1 + var(--a)))}
75%{transform:scale(calc(1 - var(--a)))}}
.sg-bob,.sg-sway,.sg-twinkle{animation-timing-function:ease-in-out}
.sg-swim{animation-timing-function:linear}.sg-hop{transform-origin:50% 100%;animation-timing-function:ease-in-out}
.sg-sway{transform-origin:50% 100%}.sg-flap{animation-timing-function:ease-in-out}
@media (prefers-reduced-motion:reduce){.sprite{animation:none!important}}
"""

_JS = """
const pages=[...document.querySelectorAll('.page')];let cur=0,playing=null;
const playBtn=document.getElementById('play'),count=document.getElementById('count');
function tracks(p){return [...p.querySelectorAll('audio')];}
function unlight(){document.querySelectorAll('.w.lit').forEach(w=>w.classList.remove('lit'));}
function stop(){document.querySelectorAll('audio').forEach(a=>{a.pause();a.currentTime=0;});
 playing=null;unlight();playBtn.setAttribute('aria-pressed','false');playBtn.textContent='\\u25B6 Play';}
function show(i){stop();cur=Math.max(0,Math.min(pages.length-1,i));
 pages.forEach((p,j)=>{p.classList.toggle('on',j===cur);p.setAttribute('aria-hidden',j===cur?'false':'true');});
 count.textContent='Page '+(cur+1)+' of '+pages.length;
 document.getElementById('prev').disabled=cur===0;document.getElementById('next').disabled=cur===pages.length-1;
 try{history.replaceState(null,'','#'+pages[cur].id);}catch(e){}}
function light(page,t){page.querySelectorAll('.w[data-s]').forEach(w=>w.classList.toggle('lit',
 t>=parseFloat(w.dataset.s)&&t<parseFloat(w.dataset.e)));}
function play(){if(playing){stop();return;}const page=pages[cur],ts=tracks(page);if(!ts.length)return;
 playing=page;playBtn.setAttribute('aria-pressed','true');playBtn.textContent='\\u275A\\u275A Stop';
 const clock=page.querySelector('audio.clock')||ts[0];
 clock.ontimeupdate=()=>{if(playing===page)light(page,clock.currentTime);};
 clock.onended=()=>{if(playing===page)stop();};
 ts.forEach(a=>{a.volume=parseFloat(a.dataset.volume||'1');const r=a.play();if(r)r.catch(()=>{});});}
document.getElementById('prev').onclick=()=>show(cur-1);
document.getElementById('next').onclick=()=>show(cur+1);
playBtn.onclick=play;
document.addEventListener('keydown',e=>{const k=e.key;
 if(k==='ArrowRight'||k==='PageDown'){e.preventDefault();show(cur+1);}
 else if(k==='ArrowLeft'||k==='PageUp'){e.preventDefault();show(cur-1);}
 else if(k==='Home'){e.preventDefault();show(0);}else if(k==='End'){e.preventDefault();show(pages.length-1);}
 else if((k===' '||k==='Enter')&&e.target.tagName!=='BUTTON'){e.preventDefault();play();}});
let x0=null,y0=null;
document.addEventListener('touchstart',e=>{x0=e.touches[0].clientX;y0=e.touches[0].clientY;},{passive:true});
document.addEventListener('touchend',e=>{if(x0===null)return;const dx=e.changedTouches[0].clientX-x0,
 dy=e.changedTouches[0].clientY-y0;if(Math.abs(dx)>40&&Math.abs(dx)>Math.abs(dy))show(cur+(dx<0?1:-1));x0=null;},{passive:true});
function fromHash(){const i=pages.findIndex(p=>'#'+p.id===location.hash);if(i>=0&&i!==cur)show(i);}
const first=pages.findIndex(p=>'#'+p.id===location.hash);
window.addEventListener('hashchange',fromHash);show(first<0?0:first);
"""


# ------------------------------------------------------------------ the picture


def layer_file(obj: PlacedObject) -> str:
    """File name of an object's sprite in scenes/NN/layers/ (storygen.scenes.render.layer_name)."""
    return f"obj-{obj.z:02d}-{obj.object_id}.png"


def _layout(book_dir: Path, nn: str) -> SceneLayout | None:
    path = BookPaths(book_dir).layout(int(nn))
    try:
        return read_record(path, SceneLayout) if path.exists() else None
    except RecordError:
        return None  # a broken layout only costs the animation: the GIF or PNG still shows


def _pct(value: float, whole: float) -> str:
    return f"{100 * value / whole:.3f}%"


def _sprite(obj: PlacedObject, src: str, lay: SceneLayout, loop_s: float, turn=None) -> str:
    """One object as a positioned <img>, animated like storygen.scenes.animate.pose; `turn`
    (scenes/posing.py) is its pose, still: turned about its owner's pivot, set down, flattened."""
    b, p = obj.box, obj.animation_params
    style = [f"left:{_pct(b.x, lay.width)}", f"top:{_pct(b.y, lay.height)}",
             f"width:{_pct(b.w, lay.width)}", f"height:{_pct(b.h, lay.height)}", f"z-index:{obj.z}"]
    if turn is not None:  # CSS turns clockwise, PIL counter-clockwise; % are of the own box
        style += [f"transform-origin:{_pct(turn.pivot[0] - b.x, b.w)} {_pct(turn.pivot[1] - b.y, b.h)}",
                  f"rotate:{-turn.angle:.4g}deg", f"translate:0 {_pct(turn.dy, b.h)}",
                  f"scale:1 {turn.squash:.4g}"]
    kind = obj.animation if obj.animation in ("bob", "hop", "swim", "sway", "flap", "twinkle") else ""
    cls = "sprite"
    if kind and p.get("amplitude"):
        amp = float(p["amplitude"])
        cycles = max(0.25, float(p.get("cycles", 2.0 if kind == "flap" else 1.0)))
        # Pixel amplitudes become % of the sprite's own box, so the motion scales with the page.
        a = 100 * amp / b.h if kind in ("bob", "hop") else 100 * amp / b.w if kind == "swim" else amp
        period = loop_s / cycles / (2 if kind == "flap" else 1)
        style += [f"--a:{a:.4g}", f"--ay:{100 * amp / b.h:.4g}", f"--sq:{float(p.get('squash', 0)):.4g}",
                  f"--lift:{100 * float(p.get('lift', 0)):.4g}", f"animation-name:sg-{kind}",
                  f"animation-duration:{period:.3f}s",
                  f"animation-delay:{-float(p.get('phase', 0)) * loop_s:.3f}s"]
        cls += f" sg-{kind}"
    return (f'<img class="{cls}" src="{html.escape(src)}" alt="" style="{";".join(style)}"'
            f' data-object="{html.escape(obj.object_id)}">')


def picture(book_dir: Path, number: int, loop_s: float = 2.4) -> tuple[str, str]:
    """(mode, HTML) of scene `number`'s picture: layered, gif, png or missing."""
    nn = scene_folder_name(number)
    folder = scene_rel(number)
    lay = _layout(book_dir, nn)
    layers = book_dir / folder / "layers"
    alt = f"Picture for page {number}"
    if lay is not None and (layers / "background.png").exists() and all(
            (layers / layer_file(o)).exists() for o in lay.objects):
        turns = owner_turns(lay, load_library())
        sprites = "".join(_sprite(o, f"{folder}/layers/{layer_file(o)}", lay, loop_s, turns.get(o.entity))
                          for o in sorted(lay.objects, key=lambda o: o.z))
        return "layered", (f'<div class="stage" role="img" aria-label="{alt}" style="--ar:'
                           f'{lay.width}/{lay.height}"><img class="bg" src="{folder}/layers/'
                           f'background.png" alt="">{sprites}</div>')
    gif, png = f"{folder}/scene.gif", f"{folder}/scene.png"
    if (book_dir / gif).exists():
        still = (f'<source srcset="{png}" media="(prefers-reduced-motion: reduce)">'
                 if (book_dir / png).exists() else "")
        return "gif", (f'<div class="stage"{_ratio(book_dir / gif)}><picture>{still}'
                       f'<img src="{gif}" alt="{alt}"></picture></div>')
    if (book_dir / png).exists():
        return "png", f'<div class="stage"{_ratio(book_dir / png)}><img src="{png}" alt="{alt}"></div>'
    return "missing", f'<div class="stage missing" role="img" aria-label="{alt}">{number}</div>'


def _ratio(path: Path) -> str:
    """The picture's aspect ratio for the stage box (the header only is read)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            return f' style="--ar:{img.width}/{img.height}"'
    except (OSError, UnidentifiedImageError):
        return ""


# ------------------------------------------------------------------ the text and the sound


def _norm_word(word: str) -> str:
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKD", word).lower())


def align_words(text: str, timings: tuple = ()) -> list[tuple[str, object]]:
    """(word as written, its WordTiming or None) for each whitespace-separated word of `text`.

    Greedy alignment: the next timing (within 3) whose letters match the word; narrators may
    normalise punctuation, so only letters and digits are compared."""
    out, t = [], 0
    for word in text.split():
        hit = None
        key = _norm_word(word)
        for j in range(t, min(t + 3, len(timings))):
            if key and _norm_word(timings[j].word) == key:
                hit, t = timings[j], j + 1
                break
        out.append((word, hit))
    return out


def text_html(text: str, timings: tuple = ()) -> str:
    """The scene text as word spans; a word the narrator reads gets its start and end times."""
    spans = []
    for word, hit in align_words(text, timings):
        attrs = f' data-s="{hit.start:.3f}" data-e="{hit.end:.3f}"' if hit else ""
        spans.append(f'<span class="w"{attrs}>{html.escape(word)}</span>')
    return " ".join(spans)


def _timings(book_dir: Path, nn: str) -> tuple:
    path = BookPaths(book_dir).audio(int(nn), "narration.json")
    try:
        return read_record(path, Narration).words if path.exists() else ()
    except RecordError:
        return ()


def audio_html(book_dir: Path, nn: str) -> str:
    """The page's sound: the scene mix when the audio stage made one, else the three tracks."""
    mix = audio_name(int(nn), "mix.wav")
    if (book_dir / mix).exists():
        return f'<audio class="clock" preload="none" data-volume="1" src="{mix}"></audio>'
    out = []
    for part, volume in _TRACKS:
        rel = audio_name(int(nn), f"{part}.wav")
        if (book_dir / rel).exists():
            clock = ' class="clock"' if part == "narration" else ""
            out.append(f'<audio{clock} preload="none" data-volume="{volume}" src="{rel}"></audio>')
    return "".join(out)


def _page(book_dir: Path, i: int, text: str, loop_s: float) -> str:
    nn = scene_folder_name(i + 1)
    mode, pic = picture(book_dir, i + 1, loop_s)
    return (f'<section class="page" id="p{nn}" data-picture="{mode}" aria-label="Page {i + 1}">'
            f'{pic}<p class="text">{text_html(text, _timings(book_dir, nn))}</p>'
            f'{audio_html(book_dir, nn)}</section>')


class HtmlBook:
    name = "html"

    def render(self, story: Story, book_dir: Path, accent_hex: str) -> str:
        image = load_settings().image
        loop_s = image.gif_frames * image.gif_frame_ms / 1000
        book_dir = Path(book_dir)
        pages = "\n".join(_page(book_dir, i, t, loop_s) for i, t in enumerate(story.scenes))
        title = html.escape(story.title)
        meta = html.escape(json.dumps({"theme": story.prompt.theme, "hero": story.prompt.hero,
                                       "seed": story.prompt.seed}))
        accent = accent_hex if re.fullmatch(r"#[0-9A-Fa-f]{6}", accent_hex) else "#555555"
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="storygen" content="{meta}">
<title>{title}</title><style>:root{{--accent:{accent}}}{_CSS}</style></head>
<body><header><h1 style="font-size:inherit;margin:0">{title}</h1></header>
<main>
{pages}
</main>
<nav aria-label="Pages"><button id="prev" aria-label="Previous page">&#9664;</button>
<button id="play" aria-pressed="false" aria-label="Read to me">&#9654; Play</button>
<span class="count" id="count" aria-live="polite"></span>
<button id="next" aria-label="Next page">&#9654;</button></nav>
<script>{_JS}</script></body></html>
"""


def write_book(story: Story, book_dir: Path, accent_hex: str, backend: str = "html") -> Path:
    return write_text(BookPaths(book_dir).html,
                      BOOKS.create(backend).render(story, Path(book_dir), accent_hex))


# ------------------------------------------------------------------ PDF


def write_pdf(story: Story, book_dir: Path, accent_hex: str) -> Path:
    """book.pdf: a title page, then one landscape A4 page per scene (still picture + text).

    reportlab draws real text (selectable, sharp in print) in the Bitstream Vera font it ships,
    so the output is the same on every machine; `invariant` makes the bytes reproducible."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    font = _pdf_font()
    W, H = landscape(A4)
    margin = 36
    buf = io.BytesIO()
    pdf = Canvas(buf, pagesize=(W, H), invariant=1)
    pdf.setTitle(_pdf_text(story.title))
    pdf.setCreator("storygen")
    accent = HexColor(accent_hex if re.fullmatch(r"#[0-9A-Fa-f]{6}", accent_hex) else "#555555")
    pdf.setFillColor(accent)
    pdf.rect(0, 0, W, H, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#FFFFFF"))
    lines = simpleSplit(_pdf_text(story.title), font, 44, W - 2 * margin)
    for k, line in enumerate(lines):
        pdf.setFont(font, 44)
        pdf.drawCentredString(W / 2, H / 2 + 30 * (len(lines) - 1) - 56 * k, line)
    pdf.showPage()
    for i, text in enumerate(story.scenes, start=1):
        img = BookPaths(book_dir).picture(i)
        text_h = H * 0.30
        if img.exists():
            pdf.drawImage(str(img), margin, text_h + margin / 2, W - 2 * margin,
                          H - text_h - 1.5 * margin, preserveAspectRatio=True, anchor="c")
        size = 22
        while size > 12:  # large type; smaller only if a long scene would not fit
            lines = simpleSplit(_pdf_text(text), font, size, W - 2 * margin)
            if len(lines) * size * 1.35 <= text_h - margin / 2:
                break
            size -= 1
        pdf.setFillColor(HexColor("#1D1D1D"))
        pdf.setFont(font, size)
        for k, line in enumerate(lines):
            pdf.drawString(margin, text_h - margin / 2 - size - k * size * 1.35, line)
        pdf.setFont(font, 11)
        pdf.drawRightString(W - margin, margin / 2, f"{i} / {len(story.scenes)}")
        pdf.showPage()
    pdf.save()
    return write_bytes(BookPaths(book_dir).pdf, buf.getvalue())


def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "StorygenVera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("StorygenVera", "Vera.ttf"))
    return "StorygenVera"


def _pdf_text(text: str) -> str:
    # Vera covers Latin-1 and typographic punctuation; anything else (emoji) is left out
    # rather than printed as an empty box.
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ord(ch) < 0x250 or ch in "‘’“”–—…")
