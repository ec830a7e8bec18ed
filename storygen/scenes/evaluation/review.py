"""`storygen evaluate pictures`: a picture review sheet, and the figures of a filled one.

A sheet is N scenes, each one's text beside the picture the scene stage (stage.run_scenes, what
`storygen scene` runs) composes for it, for a reviewer (a person, or a helper that can view
images) to score: characters shown, important things shown, relations right (each n of m),
setting fits, something contradicts the text, composition 1-5.

Why: the layout checks (layouts.py) judge the layout against its own scene graph; only a
reader of the text can say whether the graph, and so the picture, got the scene right.

Scenes are drawn, seeded, from the corpus's held-out test split (or from given book folders):
one scene from each of as many different stories as possible, listed in story order. The sheet
is written into a temp folder beside the out folder and renamed into place only when complete.
"""
from __future__ import annotations

import dataclasses
import html
import json
import random
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, ClassVar, Optional, Sequence

from ...config import Settings
from ...errors import OutputError, RecordError, StorygenError
from ...io import read_json, read_record, write_record, write_text
from ...records import Plan, Prompt, Record, Story
from ...book_paths import BookPaths
from ..stage import run_scenes

DEFAULT_SEED = 22
SHEET_FILES = ("sheet.html", "sheet.md", "scores-template.json")
COUNTS = (("characters_shown", "characters_total", "characters shown"),
          ("things_shown", "things_total", "important things shown"),
          ("relations_right", "relations_total", "relations right"))
GUIDE = {
    "characters_shown / characters_total": "of the characters the scene text puts in this scene, how many the picture shows",
    "things_shown / things_total": "of the important things (objects, places) the text names for this scene, how many are drawn",
    "relations_right / relations_total": "of the relations the text states (on, under, beside, holding, inside...), how many the picture gets right",
    "setting_fits": "true when the background fits where and when the scene happens",
    "contradicts / contradiction": "true (and say what) when something in the picture contradicts the text",
    "composition": "1 (a muddle) to 5 (clear, balanced, the hero easy to find)",
    "notes": "anything else (optional)",
}


@dataclass(frozen=True)
class PictureScore(Record):
    """One scene of a sheet; the fields after `image` are the reviewer's (null until filled)."""

    id: str
    story_id: str
    scene: int  # 1-based, as in scenes/NN
    text: str
    image: str
    characters_shown: Optional[int] = None
    characters_total: Optional[int] = None
    things_shown: Optional[int] = None
    things_total: Optional[int] = None
    relations_right: Optional[int] = None
    relations_total: Optional[int] = None
    setting_fits: Optional[bool] = None
    contradicts: Optional[bool] = None
    contradiction: Optional[str] = None
    composition: Optional[int] = None
    notes: Optional[str] = None


SCORE_FIELDS = tuple(f.name for f in dataclasses.fields(PictureScore))[5:]
REQUIRED = tuple(n for n in SCORE_FIELDS if n not in ("contradiction", "notes"))


@dataclass(frozen=True)
class PictureScores(Record):
    """scores-template.json (all scores null) and the filled scores.json."""

    kind: ClassVar[str] = "picture_scores"
    seed: int
    source: str  # "corpus test split" or "books: <folder>, ..."
    scenes: tuple[PictureScore, ...]
    guide: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PictureFigures(Record):
    kind: ClassVar[str] = "picture_figures"
    n: int  # scored scenes
    unscored: int
    characters_shown_pct: Optional[float]
    things_shown_pct: Optional[float]
    relations_right_pct: Optional[float]
    setting_fits_pct: float
    contradicting: int
    mean_composition: float
    source: str = ""


@dataclass(frozen=True)
class SceneItem:
    """A scene to review: its story (what the scene stage composes from) and 1-based number."""

    story_id: str
    story: Story
    number: int


# ------------------------------------------------------------------ which scenes


def corpus_stories(split: str = "test", stories_path=None, splits_path=None) -> list[tuple[str, Story]]:
    """(id, Story) for every corpus story of `split`, by id."""
    from ...corpus.split import SPLITS_PATH, load_splits
    from ...corpus.stories import CORPUS_PATH, load_stories

    corpus = load_stories(stories_path or CORPUS_PATH)
    ids = set(getattr(load_splits(corpus, splits_path or SPLITS_PATH), split))
    return [(s.id, _story(s)) for s in sorted(corpus, key=lambda s: s.id) if s.id in ids]


def _story(s) -> Story:
    # The prompt's seed is 0, so a corpus scene's layout does not depend on the sheet's seed.
    prompt = Prompt(theme=s.theme, hero=s.hero, color=s.color, adjective=s.adjective)
    plan = Plan(prompt=prompt, scenes=tuple(() for _ in s.scenes), backend="corpus", seed=0,
                plot=s.plot or "", beats=s.beats, title=s.title)
    return Story(prompt=prompt, plan=plan, title=s.title, scenes=s.scenes, chosen=-1, scores=(),
                 ranker="none", source=f"corpus:{s.id}")


def book_stories(folders: Sequence[Path]) -> list[tuple[str, Story]]:
    """(folder name, Story) of each book folder; a folder without a readable story.json is refused."""
    out, seen = [], set()
    for folder in folders:
        folder = Path(folder)
        if not BookPaths(folder).story.is_file():
            what = "does not exist" if not folder.exists() else "has no story.json"
            raise StorygenError(f"--from {folder}: {what}; give a book folder made by `storygen make`")
        try:
            story = read_record(BookPaths(folder).story, Story)
        except RecordError as exc:
            raise StorygenError(f"--from {folder}: {exc}") from None
        if folder.resolve() in seen:
            continue
        seen.add(folder.resolve())
        name = folder.resolve().name
        out.append((name if name not in {n for n, _ in out} else f"{name}-{len(out) + 1}", story))
    return out


def draw(stories: Sequence[tuple[str, Story]], n: int, seed: int) -> list[SceneItem]:
    """n scenes, seeded: one from each of as many stories as possible, listed in story order."""
    total = sum(len(s.scenes) for _, s in stories)
    if n > total:
        raise StorygenError(f"Asked for {n} scenes but the source has only {total}; ask for fewer")
    rng = random.Random(f"pictures:{seed}")
    order = list(range(len(stories)))
    rng.shuffle(order)
    queues = {i: rng.sample(range(1, len(stories[i][1].scenes) + 1), len(stories[i][1].scenes))
              for i in order}
    picked: list[tuple[int, int]] = []
    while len(picked) < n:  # round robin over the shuffled stories
        for i in order:
            if queues[i] and len(picked) < n:
                picked.append((i, queues[i].pop()))
    return [SceneItem(stories[i][0], stories[i][1], number) for i, number in sorted(picked)]


# ------------------------------------------------------------------ the sheet


def check_out_dir(out: Path, force: bool) -> None:
    """Refuse an out folder that holds anything, unless --force and it holds an earlier sheet."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder; choose another -o")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise OutputError(f"{out} exists and is not empty; choose another -o or give --force")
        if not (out / "scores-template.json").is_file():
            raise OutputError(f"{out} is not a picture sheet (no scores-template.json); --force only "
                              "replaces an earlier sheet, so choose another -o")


def write_sheet(items: Sequence[SceneItem], out: Path, settings: Settings, seed: int, source: str,
                force: bool = False, on_scene: Callable[[int, SceneItem], None] | None = None) -> Path:
    """Compose every scene and write the sheet into `out` (see the module doc)."""
    check_out_dir(out, force)
    out = Path(out).resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"Cannot write to {out.parent}: {exc.strerror}; choose another -o") from None
    try:
        settings = replace(settings, animate=False)  # the still is what is reviewed
        entries = []
        for k, item in enumerate(items, 1):
            if on_scene:
                on_scene(k, item)
            work = tmp / ".work" / f"{k:02d}"
            run_scenes(item.story, work, settings, indices=[item.number])
            image = f"scene-{k:02d}.png"
            shutil.copyfile(BookPaths(work).picture(item.number), tmp / image)
            entries.append(PictureScore(id=f"scene-{k:02d}", story_id=item.story_id, scene=item.number,
                                        text=item.story.scenes[item.number - 1], image=image))
        shutil.rmtree(tmp / ".work")
        template = PictureScores(seed=seed, source=source, scenes=tuple(entries), guide=GUIDE)
        write_record(tmp / "scores-template.json", template)
        write_text(tmp / "sheet.md", sheet_markdown(template, items))
        write_text(tmp / "sheet.html", sheet_html(template, items))
        tmp.chmod(0o755)  # mkdtemp makes the folder private; a sheet is an ordinary folder
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _context(item: SceneItem) -> tuple[str, str, str]:
    """(heading, hero line, previous scene's text) for a reviewer who does not know the story."""
    s, p = item.story, item.story.prompt
    heading = f"{s.title} ({item.story_id}, scene {item.number} of {len(s.scenes)})"
    # the colour is the book's, not necessarily the hero's body: the text says what wears it
    # ("a bear who found pink mittens" is a brown bear with pink mittens)
    hero = f"the {p.adjective} {p.hero}; theme: {p.theme}; the book's colour: {p.color} (the text says what is {p.color})"
    before = s.scenes[item.number - 2] if item.number > 1 else ""
    return heading, hero, before


_INTRO = ("Each scene's text stands beside the picture storygen composed for it. Judge the picture "
          "against the text only (the scene before is there to say who \"she\" or \"it\" is).")


def sheet_markdown(sheet: PictureScores, items: Sequence[SceneItem]) -> str:
    lines = ["# Picture review sheet", "", f"{len(sheet.scenes)} scenes from the {sheet.source}, "
             f"seed {sheet.seed}. {_INTRO}", "",
             "Copy scores-template.json to scores.json and fill in, for each scene:", ""]
    lines += [f"- `{k}`: {v}" for k, v in GUIDE.items()]
    lines += ["", "then run `storygen evaluate pictures-score scores.json` for the figures. "
              "sheet.html holds the same scenes with a form that downloads scores.json.", ""]
    for entry, item in zip(sheet.scenes, items):
        heading, hero, before = _context(item)
        lines += ["---", "", f"## {entry.id}: {heading}", "", f"Hero: {hero}", ""]
        if before:
            lines += [f"*Scene before:* {before}", ""]
        lines += [f"> {entry.text}", "", f"![{entry.id}]({entry.image})", "",
                  "- characters shown: __ of __", "- important things shown: __ of __",
                  "- relations right: __ of __", "- setting fits: y / n",
                  "- something contradicts the text: y / n — what: __", "- composition (1-5): __", ""]
    return "\n".join(lines)


_CSS = """body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:1400px;color:#222}
.row{display:flex;gap:1.5rem;border-top:1px solid #ccc;padding:1rem 0}
.row img{width:560px;max-width:50vw;height:auto;border:1px solid #999}
.text{flex:1}.text blockquote{font-size:1.15rem;margin:.5rem 0 1rem;padding-left:.8rem;border-left:4px solid #888}
.before{color:#666;font-size:.9rem}fieldset{border:1px solid #ddd;margin:.3rem 0}
label{margin-right:.8rem}input[type=number]{width:3.5rem}input.what{width:22rem}
#bar{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:2px solid #444}"""

_JS = """function val(row,name){const els=row.querySelectorAll('[name^="'+name+'"]');
 if(!els.length)return null;const el=els[0];
 if(el.type==='radio'){const c=[...els].find(e=>e.checked);return c?c.value==='y':null}
 if(el.type==='number'||el.tagName==='SELECT'){return el.value===''?null:parseInt(el.value,10)}
 return el.value.trim()===''?null:el.value.trim()}
function collect(){const sheet=JSON.parse(document.getElementById('template').textContent);
 for(const entry of sheet.scenes){const row=document.getElementById(entry.id);
  for(const f of FIELDS){entry[f]=val(row,f)}}
 return sheet}
function download(){const sheet=collect();const blob=new Blob([JSON.stringify(sheet,null,2)+'\\n'],
 {type:'application/json'});const a=document.createElement('a');a.href=URL.createObjectURL(blob);
 a.download='scores.json';document.body.appendChild(a);a.click();a.remove();
 const done=sheet.scenes.filter(e=>e.composition!==null).length;
 document.getElementById('status').textContent='downloaded scores.json ('+done+' of '+sheet.scenes.length+' scored)'}"""


def _form(entry: PictureScore) -> str:
    i = entry.id
    counts = "".join(
        f'<label>{html.escape(label)}: <input type="number" min="0" name="{a}"> of '
        f'<input type="number" min="0" name="{b}"></label>' for a, b, label in COUNTS)

    def yn(name: str, label: str) -> str:
        return (f'<label>{label}: <input type="radio" name="{name}-{i}" value="y">y '
                f'<input type="radio" name="{name}-{i}" value="n">n</label>')

    options = "".join(f'<option value="{v}">{v}</option>' for v in range(1, 6))
    return (f"<fieldset>{counts}</fieldset><fieldset>{yn('setting_fits', 'setting fits')}"
            f"{yn('contradicts', 'something contradicts the text')}"
            f'<label>what: <input class="what" name="contradiction"></label></fieldset>'
            f'<fieldset><label>composition: <select name="composition"><option value="">–</option>'
            f'{options}</select></label><label>notes: <input class="what" name="notes"></label></fieldset>')


def sheet_html(sheet: PictureScores, items: Sequence[SceneItem]) -> str:
    rows = []
    for entry, item in zip(sheet.scenes, items):
        heading, hero, before = (html.escape(x) for x in _context(item))
        prior = f'<p class="before"><i>Scene before:</i> {before}</p>' if before else ""
        rows.append(f'<div class="row" id="{entry.id}"><img src="{entry.image}" alt="{entry.id}">'
                    f'<div class="text"><h2>{entry.id}: {heading}</h2><p>Hero: {hero}</p>{prior}'
                    f"<blockquote>{html.escape(entry.text)}</blockquote>{_form(entry)}</div></div>")
    data = json.dumps(sheet.to_dict(), ensure_ascii=False).replace("</", "<\\/")
    guide = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>" for k, v in GUIDE.items())
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Picture review sheet'
            f"</title><style>{_CSS}</style></head><body><h1>Picture review sheet</h1>"
            f"<p>{len(sheet.scenes)} scenes from the {html.escape(sheet.source)}, seed {sheet.seed}. "
            f"{html.escape(_INTRO)}</p><details><summary>What each field means</summary><ul>{guide}</ul>"
            f'</details><div id="bar"><button onclick="download()">Download scores.json</button> '
            f'<span id="status"></span> then run <code>storygen evaluate pictures-score scores.json</code>'
            f'</div>{"".join(rows)}<script type="application/json" id="template">{data}</script>'
            f"<script>const FIELDS={json.dumps(list(SCORE_FIELDS))};\n{_JS}</script></body></html>\n")


# ------------------------------------------------------------------ the figures


def read_scores(path: Path) -> PictureScores:
    """A filled scores file, checked entry by entry; errors name the entry and the field."""
    path = Path(path)
    data = read_json(path)
    if not isinstance(data, dict) or data.get("kind") != PictureScores.kind:
        raise RecordError(f"{path}: not a picture scores file (fill in the sheet's scores-template.json)")
    entries = data.get("scenes")
    if not isinstance(entries, list):
        raise RecordError(f"{path}: expected an object with a \"scenes\" list (scores-template.json filled in)")
    seen: set[str] = set()
    for k, raw in enumerate(entries, 1):
        name = raw.get("id") if isinstance(raw, dict) else None
        where = f"{path}: entry {k}" + (f" ({name})" if isinstance(name, str) else "")
        entry = PictureScore.from_dict(raw, where)
        if entry.id in seen:
            raise RecordError(f"{where}: id {entry.id!r} occurs twice")
        seen.add(entry.id)
        _check(entry, where)
    return PictureScores.from_dict(data, str(path))


def _check(e: PictureScore, where: str) -> None:
    if all(getattr(e, f) is None for f in SCORE_FIELDS):
        return  # not scored yet: counted apart
    for f in REQUIRED:
        if getattr(e, f) is None:
            raise RecordError(f"{where}: field {f!r} is empty; fill it, or clear every score of the entry")
    for shown, total, _ in COUNTS:
        a, b = getattr(e, shown), getattr(e, total)
        if a < 0 or b < 0 or a > b:
            raise RecordError(f"{where}: field {shown!r} is {a} of {total!r} {b}; give 0 <= {shown} <= {total}")
    if not 1 <= e.composition <= 5:
        raise RecordError(f"{where}: field 'composition' is {e.composition}; give 1 to 5")
    if e.contradicts and not (e.contradiction or "").strip():
        raise RecordError(f"{where}: field 'contradiction' is empty but 'contradicts' is true; say what")


def figures(scores: PictureScores) -> PictureFigures:
    done = [e for e in scores.scenes if e.composition is not None]
    if not done:
        raise RecordError("No scene of the scores file is scored yet; fill in at least one entry")

    def pct(shown: str, total: str) -> Optional[float]:
        b = sum(getattr(e, total) for e in done)
        return round(100 * sum(getattr(e, shown) for e in done) / b, 1) if b else None

    return PictureFigures(
        n=len(done), unscored=len(scores.scenes) - len(done),
        characters_shown_pct=pct("characters_shown", "characters_total"),
        things_shown_pct=pct("things_shown", "things_total"),
        relations_right_pct=pct("relations_right", "relations_total"),
        setting_fits_pct=round(100 * sum(e.setting_fits for e in done) / len(done), 1),
        contradicting=sum(e.contradicts for e in done),
        mean_composition=round(sum(e.composition for e in done) / len(done), 2),
        source=scores.source)
