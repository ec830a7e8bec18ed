#!/usr/bin/env python3
"""Rebuild library/objects/ (svg/<id>.svg + manifest.yaml + ATTRIBUTION.md) from emoji icon sets.

The icons come from the pinned npm packages in scripts/library_objects.py (SOURCES: Noto Emoji,
Apache-2.0), some changed at build time (DERIVED), plus the project's own drawings in
library/objects/drawn/. npm is used only here, at build time: the runtime reads the committed
SVGs and manifest and never needs npm.

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


def svg_for(icons: dict, name: str, where: str, derive: str | None = None) -> str:
    """Full SVG document for one icon (aliases resolved; iconify stores only the inner body),
    changed as DERIVED[derive] says."""
    name = icons.get("aliases", {}).get(name, {}).get("parent", name)
    if name not in icons["icons"]:
        raise SystemExit(f"icon {name!r} is not in {where}; fix OBJECTS")
    icon = icons["icons"][name]
    w = icon.get("width", icons.get("width", 16))
    h = icon.get("height", icons.get("height", 16))
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
    for old, new in how.get("recolor", {}).items():
        body = re.sub(re.escape(old), new, body, flags=re.IGNORECASE)
    return body + how.get("add", "")


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
    for obj in OBJECTS:
        prefix, icon = obj["source"].split(":", 1)
        where = f"{SOURCES[prefix]['package']}@{SOURCES[prefix]['version']}"
        svg = drawn_svg(icon) if prefix == "storygen" else svg_for(sets[prefix], icon, where,
                                                                    obj.get("_derive"))
        (svg_dir / f"{obj['id']}.svg").write_text(svg, encoding="utf-8")
    main = SOURCES[MAIN]
    sources = [{"prefix": p, "package": s["package"], "version": s["version"],
                "license": s["license"], "author": s["author"], "url": s["url"]}
               for p, s in SOURCES.items()]
    manifest = {"kind": "object_library", "schema_version": 1, "package": main["package"],
                "version": main["version"], "license": main["license"], "sources": sources,
                "objects": [{k: v for k, v in o.items() if not k.startswith("_")} for o in OBJECTS]}
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
