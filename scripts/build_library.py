#!/usr/bin/env python3
"""Rebuild library/objects/ (svg/<id>.svg + manifest.yaml + ATTRIBUTION.md) from emoji icon sets.

The icons come from the pinned npm packages in scripts/library_objects.py (SOURCES: Noto Emoji,
Apache-2.0), some changed at build time (DERIVED), plus the project's own drawings in
library/objects/drawn/. A Noto icon that draws only a head or a bust (figure "face"/"bust") is
set on a body drawn for the project (drawn/bodies/, FIGURES): the build writes the composed SVG
and the head's and hand's place in it (measured with resvg-py, the project's own renderer) to
the manifest; likewise where a thing's seat is (OBJECTS' `surface`: the sill of a windowsill,
measured as fractions of the drawn height). npm is used only here, at build time: the runtime
reads the committed SVGs and manifest and never needs npm.

    python scripts/build_library.py                      # npm-installs the pinned packages into a temp dir
    python scripts/build_library.py --node-modules DIR   # use a node_modules that already has them

The curated list (library_objects.OBJECTS) is the source of truth; edit it and rerun, never the
generated files. library/objects/standins.yaml is hand-written and left alone.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library_objects import DERIVED, MAIN, OBJECTS, SOURCES  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "library" / "objects"
DRAWN = OUT / "drawn"  # the project's own SVGs (source "storygen:<file stem>"), kept as written


def install_icons() -> Path:
    """npm-install the pinned packages into a fresh temp dir; return its node_modules."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to rebuild the library: apt-get install npm (or pass --node-modules)")
    tmp = Path(tempfile.mkdtemp(prefix="storygen-icons-"))
    specs = [f"{s['package']}@{s['version']}" for p, s in SOURCES.items() if p != "storygen"]
    subprocess.run([npm, "install", "--prefix", str(tmp), "--no-audit", "--no-fund",
                    "--ignore-scripts", *specs], check=True)
    return tmp / "node_modules"


def load_icon_sets(node_modules: Path) -> dict[str, dict]:
    sets = {}
    for prefix, s in SOURCES.items():
        if prefix == "storygen":
            continue
        pkg = node_modules / s["package"]
        version = json.loads((pkg / "package.json").read_text(encoding="utf-8"))["version"]
        if version != s["version"]:
            raise SystemExit(f"{s['package']} is {version} in {node_modules}, pinned {s['version']}")
        sets[prefix] = json.loads((pkg / "icons.json").read_text(encoding="utf-8"))
    return sets


def icon_of(icons: dict, name: str, where: str) -> dict:
    """The icon's {"body", "width", "height"} (aliases resolved; iconify stores only the inner
    body, and the size where it differs from the set's)."""
    name = icons.get("aliases", {}).get(name, {}).get("parent", name)
    if name not in icons["icons"]:
        raise SystemExit(f"icon {name!r} is not in {where}; fix OBJECTS")
    icon = icons["icons"][name]
    return {"body": icon["body"], "width": icon.get("width", icons.get("width", 16)),
            "height": icon.get("height", icons.get("height", 16))}


def svg_for(icons: dict, name: str, where: str, derive: str | None = None) -> str:
    """Full SVG document for one icon, changed as DERIVED[derive] says."""
    icon = icon_of(icons, name, where)
    w, h = icon["width"], icon["height"]
    body = icon["body"] if derive is None else derived(icon["body"], DERIVED[derive], derive)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'viewBox="0 0 {w} {h}" width="{w}" height="{h}">{body}</svg>\n')


def derived(body: str, how: dict, name: str) -> str:
    for text in how.get("drop", ()):
        body, n = re.subn(r"<path[^>]*" + re.escape(text) + r"[^>]*/>", "", body)
        if n != 1:
            raise SystemExit(f"DERIVED[{name!r}]: {text!r} matched {n} elements, expected 1")
    if "cut_after" in how:
        at = body.find(how["cut_after"])
        if at < 0:
            raise SystemExit(f"DERIVED[{name!r}]: {how['cut_after']!r} is not in the icon")
        body = body[:body.index("/>", at) + 2]
    for text, transform in how.get("transform", {}).items():  # shrink or move one part
        body, n = re.subn(r"(<path[^>]*" + re.escape(text) + r"[^>]*/>)",
                          lambda m: f'<g transform="{transform}">{m.group(1)}</g>', body)
        if n != 1:
            raise SystemExit(f"DERIVED[{name!r}]: {text!r} matched {n} elements, expected 1")
    for old, new in how.get("recolor", {}).items():
        body = re.sub(re.escape(old), new, body, flags=re.IGNORECASE)
    return body + how.get("add", "")


# ------------------------------------------------------------------ figures: a head on a body
# Noto draws many people as a head or a bust and some animals as a face only (figure "face" /
# "bust" in OBJECTS). Such an object gets a body drawn for the project (drawn/bodies/<body>.svg,
# in the template's own colours, recoloured per object as FIGURES says), with the Noto head
# scaled onto it, so it stands on the ground, holds things in a hand and wears a hat on its head.

BODIES = DRAWN / "bodies"
_ROOT = re.compile(r"<svg\b([^>]*)>(.*)</svg>\s*$", re.S)


def body_template(name: str) -> tuple[str, tuple[float, float, float], tuple[float, float]]:
    """(inner SVG, head transform (x, y, scale), hand point) of drawn/bodies/<name>.svg; the
    root's data-head / data-hand attributes say where the head goes and where the hand is."""
    path = BODIES / f"{name}.svg"
    if not path.is_file():
        raise SystemExit(f"{path} does not exist; fix FIGURES or draw it")
    m = _ROOT.match(path.read_text(encoding="utf-8").strip())
    if m is None or 'viewBox="0 0 128 128"' not in m.group(1):
        raise SystemExit(f"{path}: expected one <svg viewBox=\"0 0 128 128\"> element")
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1)))
    try:
        head = tuple(float(v) for v in attrs["data-head"].split())
        hand = tuple(float(v) for v in attrs["data-hand"].split())
    except (KeyError, ValueError):
        raise SystemExit(f"{path}: needs data-head=\"x y scale\" and data-hand=\"x y\"") from None
    if len(head) != 3 or len(hand) != 2:
        raise SystemExit(f"{path}: data-head is \"x y scale\", data-hand is \"x y\"")
    return m.group(2).strip(), head, hand


def _recolored(body: str, colors: dict, where: str) -> str:
    """Every colour of `colors` swapped in one pass (so a -> b, b -> c does not make a c)."""
    if not colors:
        return body
    table = {old.lower(): new for old, new in colors.items()}
    missing = [c for c in table if c not in body.lower()]
    if missing:
        raise SystemExit(f"{where}: colour(s) {', '.join(missing)} not in the drawing")
    pattern = "|".join(re.escape(c) for c in sorted(table, key=len, reverse=True))
    return re.sub(rf"(?:{pattern})(?![0-9a-fA-F])", lambda m: table[m.group(0).lower()], body,
                  flags=re.IGNORECASE)


def compose_figure(icon: dict, obj_id: str, spec: dict) -> tuple[str, str, dict]:
    """(full SVG, the head alone in place, manifest fields) for a head/bust icon on its body:
    the body first, the head drawn over it (a bust's shoulders cover the body's top)."""
    inner, head, hand = body_template(spec["body"])
    where = f"FIGURES[{obj_id!r}]"
    inner = _recolored(inner, spec.get("colors", {}), f"{where} body {spec['body']}")
    x, y, k = spec.get("head", head)
    w, h = icon.get("width", 128), icon.get("height", 128)
    k = k * 128 / max(w, h)  # every Noto icon is 128 units square; scale others alike
    icon_body = _recolored(icon["body"], spec.get("head_colors", {}), f"{where} head")
    group = f'<g transform="translate({x:g} {y:g}) scale({k:g})">{icon_body}</g>'
    doc = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'viewBox="0 0 128 128" width="128" height="128">{}</svg>\n')
    hx, hy = spec.get("hand", hand)
    fields = {"body": spec["body"], "hand": [round(hx / 128, 3), round(hy / 128, 3)]}
    return doc.format(inner + group), doc.format(group), fields


def drawn_box(svg: str) -> list[float]:
    """[x, y, w, h] of the visible pixels of an SVG, as fractions of its 128-unit box (the same
    alpha threshold as storygen.object_library.content_fraction)."""
    import io

    import numpy as np
    import resvg_py  # the project's own renderer (pyproject): build-time measuring only
    from PIL import Image

    size = 256
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size))
    alpha = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[..., 3] > 32
    rows, cols = np.flatnonzero(alpha.any(1)), np.flatnonzero(alpha.any(0))
    x0, x1, y0, y1 = cols[0], cols[-1] + 1, rows[0], rows[-1] + 1
    return [round(float(v) / size, 3) for v in (x0, y0, x1 - x0, y1 - y0)]


def surface_band(svg: str, band: tuple[float, float], obj_id: str) -> list[float]:
    """OBJECTS' `surface` (top, bottom y in 128 units) as fractions of the drawn height from the
    drawing's top: what scenes/layout/geometry.py seat judges "on" against."""
    _, y, _, h = drawn_box(svg)
    top, bottom = ((v / 128 - y) / h for v in band)
    if not 0 <= top < bottom <= 1:
        raise SystemExit(f"{obj_id}: surface {band} lies outside the drawing (y {y:.3f}, h {h:.3f})")
    return [round(top, 3), round(bottom, 3)]


def drawn_svg(name: str) -> str:
    path = DRAWN / f"{name}.svg"
    if not path.is_file():
        raise SystemExit(f"{path} does not exist; fix OBJECTS or draw it")
    return path.read_text(encoding="utf-8")


def write_library(sets: dict[str, dict], out: Path) -> None:
    ids = [o["id"] for o in OBJECTS]
    dup = [i for i, n in Counter(ids).items() if n > 1]
    if dup:
        raise SystemExit(f"duplicate object id(s) in OBJECTS: {', '.join(dup)}")
    svg_dir = out / "svg"
    if svg_dir.exists():
        shutil.rmtree(svg_dir)  # regenerate: a dropped object must not leave a stale SVG behind
    svg_dir.mkdir(parents=True)
    rows = []
    for obj in OBJECTS:
        prefix, icon = obj["source"].split(":", 1)
        where = f"{SOURCES[prefix]['package']}@{SOURCES[prefix]['version']}"
        row = {k: v for k, v in obj.items() if not k.startswith("_")}
        if "_body" in obj:  # a head or bust: composed onto its drawn body
            if prefix == "storygen":
                raise SystemExit(f"{obj['id']}: a drawing of our own is drawn whole, not given a body")
            svg, head_only, fields = compose_figure(icon_of(sets[prefix], icon, where), obj["id"],
                                                    obj["_body"])
            row.update(fields, head=drawn_box(head_only))
        else:
            svg = drawn_svg(icon) if prefix == "storygen" else svg_for(sets[prefix], icon, where,
                                                                        obj.get("_derive"))
        if "_surface" in obj:
            row["surface"] = surface_band(svg, obj["_surface"], obj["id"])
        (svg_dir / f"{obj['id']}.svg").write_text(svg, encoding="utf-8")
        rows.append(row)
    main = SOURCES[MAIN]
    sources = [{"prefix": p, "package": s["package"], "version": s["version"],
                "license": s["license"], "author": s["author"], "url": s["url"]}
               for p, s in SOURCES.items()]
    manifest = {"kind": "object_library", "schema_version": 1, "package": main["package"],
                "version": main["version"], "license": main["license"], "sources": sources,
                "objects": rows}
    header = ("# GENERATED by scripts/build_library.py from the curated list in scripts/library_objects.py;\n"
              "# edit that and rerun the build, not this file. Loaded by storygen/scenes/assets.py.\n")
    (out / "manifest.yaml").write_text(
        header + yaml.safe_dump(manifest, sort_keys=False, width=110, default_flow_style=None),
        encoding="utf-8")
    (out / "ATTRIBUTION.md").write_text(attribution(), encoding="utf-8")


def attribution() -> str:
    per = Counter(o["source"].split(":", 1)[0] for o in OBJECTS)
    parts = [f"# Attribution: library/objects\n\nThe {len(OBJECTS)} SVG files in `svg/` are emoji "
             "artwork taken from iconify's npm packagings of these sets, wrapped in an `<svg>` "
             "element and otherwise unmodified unless listed as changed below, and a few drawings "
             "made for this project:\n"]
    for prefix, s in SOURCES.items():
        ids = sorted(o["id"] for o in OBJECTS if o["source"].startswith(prefix + ":"))
        listed = "" if prefix == MAIN else f" They are: {', '.join(ids)}."
        changed = sorted(f"{o['id']} ({o['modified']})" for o in OBJECTS
                         if o["source"].startswith(prefix + ":") and "modified" in o)
        if changed:
            listed += f" Changed by this project: {'; '.join(changed)}."
        where = (f"hand-written SVG files in `{s['package']}/`, copied unchanged" if prefix == "storygen"
                 else f"from the npm package `{s['package']}` version **{s['version']}**")
        parts.append(f"\n## {s['title']} ({per[prefix]} objects, `source: {prefix}:<icon>`)\n\n"
                     f"By {s['author']} ({s['url']}), {where}. License: {s['license']}.{listed}\n")
    bodies = sorted(o["id"] for o in OBJECTS if "_body" in o)
    if bodies:
        parts.append(f"\n## Bodies drawn for storygen ({len(bodies)} objects)\n\nNoto draws these "
                     f"as a head or a head and shoulders only: {', '.join(bodies)}. Each is set on a "
                     "body drawn for this project (`drawn/bodies/`, by the storygen project, "
                     "Apache-2.0; recoloured per object), its Noto head scaled onto it unchanged "
                     "except where listed above.\n")
    parts.append("\nEach object's source icon and licence are listed in `manifest.yaml` (`source`, "
                 "`license`).\nRegenerate with `python scripts/build_library.py` (needs npm at build "
                 "time only).\nRecolouring of the hero happens at render time; the files here are "
                 "not modified.\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--node-modules", type=Path, help="a node_modules with the pinned packages")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    node_modules = args.node_modules
    tmp = None
    if node_modules is None:
        node_modules = install_icons()
        tmp = node_modules.parent
    try:
        write_library(load_icon_sets(node_modules), args.out)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {len(OBJECTS)} objects to {args.out}")


if __name__ == "__main__":
    main()
