"""The storybook viewer: one self-contained book.html that works opened straight from disk.

`html` backend: one page per scene with the illustration (animated GIF, PNG fallback), the text,
and a play button that starts narration, music and effects together. Media are referenced by
relative path inside the book folder, so no network and no server are needed.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from .io import write_text
from .records import Story
from .registry import Registry

BOOKS: Registry = Registry("book")

_CSS = """
body{margin:0;font-family:"Comic Sans MS","Trebuchet MS",sans-serif;background:#fdf6e3;color:#222}
header{padding:.5em 1em;background:var(--accent);color:#fff;font-size:1.6em}
.page{display:none;max-width:1100px;margin:0 auto;padding:1em;text-align:center}
.page.on{display:block}
.page img{width:100%;max-width:1024px;border-radius:16px;border:6px solid var(--accent)}
.text{font-size:1.8em;line-height:1.5;margin:.6em 0}
nav{display:flex;justify-content:center;gap:1em;padding:1em}
button{font-size:1.4em;padding:.4em 1.2em;border-radius:12px;border:0;background:var(--accent);
color:#fff;cursor:pointer}
.count{font-size:1.2em;align-self:center}
"""

_JS = """
const pages=[...document.querySelectorAll('.page')];let cur=0;
function stop(){document.querySelectorAll('audio').forEach(a=>{a.pause();a.currentTime=0;});}
function show(i){stop();cur=(i+pages.length)%pages.length;
 pages.forEach((p,j)=>p.classList.toggle('on',j===cur));
 document.getElementById('count').textContent=(cur+1)+' / '+pages.length;}
function play(){stop();pages[cur].querySelectorAll('audio').forEach(a=>{
 a.volume=parseFloat(a.dataset.volume||'1');a.play().catch(()=>{});});}
document.getElementById('prev').onclick=()=>show(cur-1);
document.getElementById('next').onclick=()=>show(cur+1);
document.getElementById('play').onclick=play;
document.addEventListener('keydown',e=>{if(e.key==='ArrowRight')show(cur+1);
 if(e.key==='ArrowLeft')show(cur-1);if(e.key===' '){e.preventDefault();play();}});
let x0=null;document.addEventListener('touchstart',e=>{x0=e.touches[0].clientX;});
document.addEventListener('touchend',e=>{if(x0===null)return;const dx=e.changedTouches[0].clientX-x0;
 if(Math.abs(dx)>40)show(cur+(dx<0?1:-1));x0=null;});
show(0);
"""


def _page(book_dir: Path, i: int, text: str) -> str:
    nn = f"{i + 1:02d}"
    img = f"scenes/{nn}/scene.gif"
    if not (book_dir / img).exists():
        img = f"scenes/{nn}/scene.png"
    audio = []
    for part, volume in (("narration", 1.0), ("music", 0.35), ("sfx", 0.8)):
        rel = f"audio/{nn}-{part}.wav"
        if (book_dir / rel).exists():
            audio.append(f'<audio preload="none" data-volume="{volume}" src="{rel}"></audio>')
    return (
        f'<section class="page" id="p{nn}"><img src="{img}" alt="Scene {i + 1}">'
        f'<p class="text">{html.escape(text)}</p>{"".join(audio)}</section>'
    )


@BOOKS.register("html")
class HtmlBook:
    name = "html"

    def render(self, story: Story, book_dir: Path, accent_hex: str) -> str:
        pages = "\n".join(_page(book_dir, i, t) for i, t in enumerate(story.scenes))
        title = html.escape(story.title)
        meta = html.escape(json.dumps({"theme": story.prompt.theme, "hero": story.prompt.hero,
                                       "seed": story.prompt.seed}))
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="storygen" content="{meta}">
<title>{title}</title><style>:root{{--accent:{accent_hex}}}{_CSS}</style></head>
<body><header>{title}</header>
{pages}
<nav><button id="prev" aria-label="Previous page">&#9664;</button>
<button id="play" aria-label="Read to me">&#9654; Play</button>
<span class="count" id="count"></span>
<button id="next" aria-label="Next page">&#9654;&#9654;</button></nav>
<script>{_JS}</script></body></html>
"""


def write_book(story: Story, book_dir: Path, accent_hex: str, backend: str = "html") -> Path:
    return write_text(book_dir / "book.html", BOOKS.create(backend).render(story, book_dir, accent_hex))
