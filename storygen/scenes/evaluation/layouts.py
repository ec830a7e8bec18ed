"""`storygen evaluate layout`: lay out the gold graphs (data/gold/layouts.jsonl) and measure
how many of their relations hold, how often the hero is overlapped, how many objects leave the
frame, the picture checks of picture_checks.py (standing things that float, drawings cut off by
the frame, objects drawn over each other with no relation saying so), and how long a layout
takes. "Holds" is layout.geometry.holds: the same geometry the optimiser minimises, judged on
the visible part of each sprite and the final drawing order.

A gold line: {"id", "theme", "hero", "text", "entities": [{"id", "hero"?, "count"?,
"object"?}], "relations": [[subject, predicate, object] or [..., "not"]], "cues"?, "seed"?}.
Entity ids are library object ids unless "object" names one. With copies ("count"), positive
relations are judged on the first copy (the others flock near it), negated ones on every copy.
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from ...config import DATA_DIR
from ...errors import RecordError
from ...options import load_options
from ...records import Entity, Prompt, Relation, SceneGraph, SceneLayout
from ...backends import SCENE_BACKENDS
from ...object_library import Library, load_library
from ..layout.geometry import (PREDICATES, holds, out_of_frame, overlap_allowed, overlap_area, seat,
                             visible)
from ..layout.select import SUPPORTED
from .picture_checks import picture_checks

GOLD = DATA_DIR / "gold" / "layouts.jsonl"
TARGET_SATISFIED, WIDTH, HEIGHT = 0.95, 1024, 768
_KEYS = {"id", "theme", "hero", "text", "entities", "relations", "cues", "seed", "color", "note"}


def load_gold(path: str | Path | None = None) -> list[tuple[str, SceneGraph, Prompt, int]]:
    """(id, graph, prompt, seed) for every gold line; malformed lines are RecordErrors."""
    path = Path(path or GOLD)
    if not path.is_file():
        raise RecordError(f"{path} does not exist; give a layouts.jsonl gold file")
    lib, opts = load_library(), load_options()
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            out.append(_case(line, f"{path}:{n}", lib, opts))
    return out


def _case(line: str, where: str, lib: Library, opts) -> tuple[str, SceneGraph, Prompt, int]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{where}: not JSON ({exc.msg})") from None
    unknown = sorted(set(row) - _KEYS)
    if unknown:
        raise RecordError(f"{where}: unknown key(s) {', '.join(unknown)}")
    theme, hero = row.get("theme"), row.get("hero")
    if theme not in opts.themes or hero not in opts.themes[theme].heroes:
        raise RecordError(f"{where}: theme/hero {theme!r}/{hero!r} is not a curated pick")
    entities = []
    for e in row.get("entities", []):
        oid = e.get("object", e["id"])
        if oid not in lib:
            raise RecordError(f"{where}: entity {e['id']!r} has no library object {oid!r}")
        entities.append(Entity(id=e["id"], lemma=lib.get(oid).names[0], mention=e["id"],
                               object_id=oid, count=int(e.get("count", 1)),
                               hero=bool(e.get("hero", False))))
    ids = {e.id for e in entities}
    relations = []
    for r in row.get("relations", []):
        if len(r) not in (3, 4) or r[1] not in PREDICATES or not {r[0], r[2]} <= ids:
            raise RecordError(f"{where}: bad relation {r!r} (entities: {', '.join(sorted(ids))}; "
                              f"predicates: {', '.join(PREDICATES)})")
        relations.append(Relation(subject=r[0], predicate=r[1], object=r[2],
                                  negated=len(r) == 4 and r[3] == "not"))
    text = row.get("text", "")
    graph = SceneGraph(index=1, text=text, resolved_text=text, entities=tuple(entities),
                       relations=tuple(relations), actions=(), cues=tuple(row.get("cues", [])),
                       theme=theme, backend="gold")
    prompt = Prompt(theme=theme, hero=hero, color=row.get("color", "teal"), adjective="kind")
    return row["id"], graph, prompt, int(row.get("seed", 0))


def layout_report(layout: SceneLayout, graph: SceneGraph, lib: Library | None = None) -> dict:
    """Per-relation verdicts, hero overlaps and out-of-frame objects of one layout."""
    lib = lib or load_library()
    W, H = layout.width, layout.height
    vis = {o.entity: visible((o.box.x, o.box.y, o.box.w, o.box.h), lib.content(o.object_id))
           for o in layout.objects}
    seats = {o.entity: seat(vis[o.entity], lib.get(o.object_id).surface) for o in layout.objects
             if lib.get(o.object_id).surface is not None}
    z = {o.entity: o.z for o in layout.objects}
    worn = {o.entity: o.worn_by for o in layout.objects if o.worn_by}
    placed = {r.subject for r in graph.relations if not r.negated and r.predicate in SUPPORTED}
    grounded = {o.entity for o in layout.objects if lib.get(o.object_id).placement == "ground"
                and o.entity.split("#")[0] not in placed and not o.worn_by}
    verdicts = []
    for r in graph.relations:
        copies = [r.subject] + ([k for k in vis if k.startswith(r.subject + "#")] if r.negated else [])
        results = [holds(Relation(s, _as_drawn(r.predicate, worn.get(s) == r.object), r.object,
                                  r.negated), vis, z, W, H, graph.relations, seats, grounded)
                   for s in copies]
        verdict = None if results[0] is None else all(x is not False for x in results)
        verdicts.append((r, verdict))
    hero = next((e.id for e in graph.entities if e.hero), None)
    overlaps = []
    if hero in vis:
        for key, box in vis.items():
            other = key.split("#")[0]
            if other != hero and not overlap_allowed(hero, other, graph.relations) \
                    and overlap_area(vis[hero], box) > 0:
                overlaps.append(key)
    outside = [o.entity for o in layout.objects
               if out_of_frame((o.box.x, o.box.y, o.box.w, o.box.h), W, H)]
    return {"relations": verdicts, "hero_overlaps": overlaps, "out_of_frame": outside,
            **picture_checks(layout, graph.relations, lib, hero)}


def _as_drawn(predicate: str, worn_by_object: bool) -> str:
    """A thing drawn worn by the relation's object (layout/attire.py) is "on" it when it sits on the
    wearer's outline: a hat on a head rises above the head's top, which the resting-on-a-shelf
    geometry of "on" would call floating; likewise "a ribbon in her mane", "a scarf that
    streamed behind her": worn, at the wearer. Every other relation is judged as it is written."""
    return "worn_by" if worn_by_object and predicate in ("on", "in", "behind", "near") else predicate


def evaluate_layouts(path: str | Path | None = None, backend: str = "solver",
                     width: int = WIDTH, height: int = HEIGHT) -> dict[str, Any]:
    """Lay out every gold graph with `backend` and sum up the checks (see module doc)."""
    lib, opts = load_library(), load_options()
    compose = SCENE_BACKENDS.create(backend)
    by_pred: dict[str, list[int]] = {}
    failures, times = [], []
    total = ok = missing = overlaps = outside = objects = 0
    counts_pc = {"floating": 0, "cut_off": 0, "overlaps": 0}  # picture_checks, summed
    cases = load_gold(path)
    if cases:  # warm the per-process caches (sprite extents, manifests) outside the timing
        compose(cases[0][1], cases[0][2], opts.hex(cases[0][2].color), width, height, cases[0][3])
    for cid, graph, prompt, seed in cases:
        start = time.perf_counter()
        layout = compose(graph, prompt, opts.hex(prompt.color), width, height, seed)
        times.append(time.perf_counter() - start)
        rep = layout_report(layout, graph, lib)
        objects += len(layout.objects)
        for rel, verdict in rep["relations"]:
            name = ("not " if rel.negated else "") + rel.predicate
            counts = by_pred.setdefault(name, [0, 0])
            counts[0] += 1
            total += 1
            missing += verdict is None
            if verdict:
                counts[1] += 1
                ok += 1
            else:
                failures.append({"id": cid, "relation": f"{rel.subject} {name} {rel.object}",
                                 "why": "not drawn" if verdict is None else "does not hold"})
        overlaps += len(rep["hero_overlaps"])
        outside += len(rep["out_of_frame"])
        failures += [{"id": cid, "relation": f"hero overlaps {k}", "why": "overlap"}
                     for k in rep["hero_overlaps"]]
        for check, why in (("floating", "stands on nothing"), ("cut_off", "cut off by the frame")):
            counts_pc[check] += len(rep[check])
            failures += [{"id": cid, "relation": k, "why": why} for k in rep[check]]
        counts_pc["overlaps"] += len(rep["overlaps"])
        failures += [{"id": cid, "relation": f"{a} over {b}", "why": "overlap, no relation says so"}
                     for a, b in rep["overlaps"]]
    pct = ok / total if total else 1.0
    return {
        "backend": backend, "cases": len(cases), "objects": objects, "relations": total,
        "satisfied": ok, "satisfied_pct": round(100 * pct, 2), "not_drawn": missing,
        "hero_overlaps": overlaps, "out_of_frame": outside, **counts_pc,
        "by_predicate": {k: {"total": v[0], "satisfied": v[1]} for k, v in sorted(by_pred.items())},
        "ms_per_layout": {"mean": round(1000 * statistics.fmean(times), 1) if times else 0.0,
                          "max": round(1000 * max(times), 1) if times else 0.0},
        "passed": pct >= TARGET_SATISFIED and overlaps == 0 and outside == 0
        and not any(counts_pc.values()),
        "failures": failures,
    }
