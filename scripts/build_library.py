#!/usr/bin/env python3
"""Rebuild library/objects/ (svg/<id>.svg + manifest.yaml + ATTRIBUTION.md) from Noto Emoji icons.

The icons come from the npm package @iconify-json/noto (Apache-2.0), pinned below. npm is used only
here, at build time: the runtime reads the committed SVGs and manifest and never needs npm.

    python scripts/build_library.py                    # npm-installs the pinned package into a temp dir
    python scripts/build_library.py --icons-json PATH  # use an icons.json you already have

The curated list (OBJECTS) is the source of truth; edit it and rerun, never the generated files.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

PACKAGE = "@iconify-json/noto"
VERSION = "1.2.9"  # pinned: the SVG bodies (and so every rendered PNG) depend on it
LICENSE = "Apache-2.0"
OUT = Path(__file__).resolve().parent.parent / "library" / "objects"

UW, SP, JU, FA, CA, AR, FO, GA = ("underwater", "space", "jungle", "farm", "castle", "arctic",
                                  "forest", "garden")
LAND = (JU, FA, CA, AR, FO, GA)
ALL = (UW, SP) + LAND


def O(id, icon, names, category, size, facing, placement, themes, animation, recolorable=True,
      recolor_hues=None, recolor_greys=False):
    """One curated object. `names` is a comma-separated list of lowercase singular synonyms."""
    row = {
        "id": id, "names": [n.strip() for n in names.split(",")], "category": category,
        "size": size, "facing": facing, "placement": placement,
        "themes": list(themes if isinstance(themes, tuple) else (themes,)),
        "animation": animation, "recolorable": recolorable, "source": f"noto:{icon}",
    }
    if recolor_hues is not None:  # people: shift only clothes/hair/tail, never the skin
        row["recolor_hues"] = list(recolor_hues)
    if recolor_greys:  # tint the grey/white parts (a space suit) instead of a hue band
        row["recolor_greys"] = True
    return row


# Facing = where the drawn creature looks (checked on a contact sheet of the renders).
OBJECTS = [
    # ---- heroes (configs/options.yaml), one per hero name
    O("mermaid", "mermaid", "mermaid, merman", "character", "large", "none", "water", UW, "swim",
      recolor_hues=(150, 210)),
    O("octopus", "octopus", "octopus", "animal", "medium", "none", "water", UW, "swim"),
    O("dolphin", "dolphin", "dolphin", "animal", "large", "left", "water", UW, "swim"),
    O("turtle", "turtle", "turtle, sea turtle, tortoise", "animal", "medium", "right", "water", (UW, GA), "swim"),
    O("crab", "crab", "crab", "animal", "small", "none", "ground", UW, "swim"),
    O("astronaut", "astronaut", "astronaut, spaceman, spacewoman", "character", "large", "none", "any", SP, "bob",
      recolor_greys=True),
    O("alien", "alien", "alien, martian", "character", "medium", "none", "ground", SP, "bob"),
    O("robot", "robot", "robot", "character", "medium", "none", "ground", SP, "bob"),
    O("puppy", "dog", "puppy, dog, pup, doggy", "animal", "medium", "left", "ground", (SP, FA), "hop"),
    O("kitten", "cat", "kitten, cat, kitty", "animal", "medium", "left", "ground", (SP, FA), "hop"),
    O("monkey", "monkey", "monkey", "animal", "medium", "none", "ground", JU, "bob"),
    O("tiger", "tiger", "tiger", "animal", "large", "left", "ground", JU, "bob"),
    O("parrot", "parrot", "parrot", "animal", "small", "left", "sky", JU, "flap"),
    O("elephant", "elephant", "elephant", "animal", "huge", "left", "ground", JU, "bob"),
    O("sloth", "sloth", "sloth", "animal", "medium", "none", "sky", JU, "sway"),
    O("pig", "pig", "pig, piglet, piggy, hog", "animal", "medium", "left", "ground", FA, "hop"),
    O("cow", "cow", "cow, calf", "animal", "large", "left", "ground", FA, "bob"),
    O("sheep", "ewe", "sheep, lamb, ewe", "animal", "medium", "left", "ground", FA, "hop"),
    O("hen", "chicken", "hen, chicken", "animal", "small", "left", "ground", FA, "hop"),
    O("horse", "horse", "horse, pony, foal", "animal", "large", "left", "ground", (FA, CA), "hop"),
    O("princess", "princess", "princess, queen", "character", "medium", "none", "ground", CA, "bob",
      recolor_hues=(0, 30)),
    O("prince", "prince", "prince, king", "character", "medium", "none", "ground", CA, "bob",
      recolor_hues=(0, 30)),
    O("dragon", "dragon", "dragon", "animal", "huge", "left", "sky", CA, "flap"),
    O("unicorn", "unicorn", "unicorn", "animal", "large", "left", "ground", CA, "hop"),
    O("wizard", "mage", "wizard, witch, mage, sorcerer", "character", "large", "none", "ground", CA, "bob",
      recolor_hues=(190, 300)),
    O("penguin", "penguin", "penguin", "animal", "medium", "none", "ground", AR, "hop"),
    O("polar_bear", "polar-bear", "polar bear", "animal", "large", "none", "ground", AR, "bob"),
    O("seal", "seal", "seal, sea lion", "animal", "medium", "left", "ground", (AR, UW), "bob"),
    O("fox", "fox", "fox, arctic fox", "animal", "medium", "none", "ground", (AR, FO), "hop"),
    O("owl", "owl", "owl, owlet", "animal", "small", "none", "sky", (AR, FO), "flap"),
    O("bear", "bear", "bear, bear cub", "animal", "large", "none", "ground", FO, "bob"),
    O("rabbit", "rabbit", "rabbit, bunny, hare", "animal", "small", "left", "ground", (FO, GA, FA), "hop"),
    O("hedgehog", "hedgehog", "hedgehog", "animal", "small", "left", "ground", (FO, GA), "bob"),
    O("deer", "deer", "deer, fawn, stag, reindeer", "animal", "large", "none", "ground", (FO, AR), "bob"),
    O("squirrel", "chipmunk", "squirrel, chipmunk", "animal", "small", "left", "ground", FO, "hop"),
    O("ladybug", "lady-beetle", "ladybug, ladybird", "animal", "tiny", "none", "ground", GA, "bob"),
    O("bee", "honeybee", "bee, honeybee, bumblebee", "animal", "tiny", "left", "sky", (GA, FA), "flap"),
    O("butterfly", "butterfly", "butterfly", "animal", "small", "none", "sky", (GA, JU, FO), "flap"),
    O("snail", "snail", "snail", "animal", "small", "left", "ground", GA, "bob"),
    O("caterpillar", "bug", "caterpillar", "animal", "small", "right", "ground", GA, "bob"),
    # ---- underwater
    O("fish", "fish", "fish, fishy", "animal", "small", "left", "water", (UW, AR), "swim"),
    O("tropical_fish", "tropical-fish", "tropical fish, angelfish, clownfish", "animal", "small", "left", "water", UW, "swim"),
    O("pufferfish", "blowfish", "pufferfish, puffer fish, blowfish, puffer", "animal", "small", "left", "water", UW, "swim"),
    O("whale", "spouting-whale", "whale", "animal", "huge", "left", "water", (UW, AR), "swim"),
    O("shark", "shark", "shark", "animal", "large", "left", "water", UW, "swim"),
    O("jellyfish", "jellyfish", "jellyfish", "animal", "medium", "none", "water", UW, "bob"),
    O("squid", "squid", "squid", "animal", "medium", "none", "water", UW, "bob"),
    O("shrimp", "shrimp", "shrimp, prawn", "animal", "tiny", "left", "water", UW, "swim"),
    O("lobster", "lobster", "lobster", "animal", "small", "none", "ground", UW, "bob"),
    O("shell", "spiral-shell", "shell, seashell, conch", "prop", "tiny", "none", "ground", UW, "none", False),
    O("coral", "coral", "coral", "plant", "medium", "none", "ground", UW, "sway", False),
    O("boat", "sailboat", "boat, sailboat, ship", "vehicle", "large", "none", "surface", (UW, FA), "bob", False),
    O("anchor", "anchor", "anchor", "prop", "small", "none", "ground", UW, "none", False),
    O("treasure_chest", "treasure-chest", "treasure chest, treasure, chest", "prop", "medium", "none", "ground", (UW, CA), "none", False),
    O("bubbles", "bubbles", "bubble", "prop", "small", "none", "water", UW, "bob", False),
    O("wave", "water-wave", "wave", "weather", "medium", "none", "surface", UW, "bob", False),
    O("rock", "rock", "rock, stone, boulder, pebble", "prop", "medium", "none", "ground", ALL, "none", False),
    O("gem", "gem-stone", "gem, jewel, diamond, crystal, pearl", "prop", "tiny", "none", "ground", (UW, CA), "twinkle", False),
    # ---- space
    O("rocket", "rocket", "rocket, spaceship, rocket ship", "vehicle", "large", "right", "sky", SP, "bob", False),
    O("flying_saucer", "flying-saucer", "flying saucer, ufo, saucer", "vehicle", "medium", "none", "sky", SP, "bob", False),
    O("satellite", "satellite", "satellite, space station", "vehicle", "medium", "none", "sky", SP, "swim", False),
    O("comet", "comet", "comet, shooting star", "sky", "medium", "left", "sky", SP, "swim", False),
    O("moon", "crescent-moon", "moon, crescent", "sky", "medium", "none", "sky", ALL, "none", False),
    O("star", "star", "star", "sky", "tiny", "none", "sky", ALL, "twinkle", False),
    O("planet", "ringed-planet", "planet, saturn, ring planet, red planet", "sky", "large", "none", "sky", SP, "bob", False),
    O("earth", "globe-showing-europe-africa", "earth, globe", "sky", "large", "none", "sky", SP, "none", False),
    O("telescope", "telescope", "telescope", "prop", "medium", "right", "ground", (SP, CA), "none", False),
    O("sparkles", "sparkles", "sparkle, magic, glitter", "prop", "small", "none", "sky", (SP, CA), "twinkle", False),
    # ---- jungle
    O("palm_tree", "palm-tree", "palm tree, palm", "plant", "huge", "none", "ground", JU, "sway", False),
    O("banana", "banana", "banana", "food", "tiny", "none", "ground", JU, "none", False),
    O("snake", "snake", "snake, serpent", "animal", "medium", "left", "ground", JU, "sway"),
    O("crocodile", "crocodile", "crocodile, alligator, croc", "animal", "large", "none", "ground", JU, "swim"),
    O("giraffe", "giraffe", "giraffe", "animal", "huge", "left", "ground", JU, "bob"),
    O("zebra", "zebra", "zebra", "animal", "large", "left", "ground", JU, "bob"),
    O("lion", "lion", "lion, lioness", "animal", "large", "none", "ground", JU, "bob"),
    O("leopard", "leopard", "leopard, jaguar, cheetah", "animal", "large", "left", "ground", JU, "bob"),
    O("gorilla", "gorilla", "gorilla, ape", "animal", "large", "left", "ground", JU, "bob"),
    O("flamingo", "flamingo", "flamingo", "animal", "large", "right", "ground", JU, "bob"),
    O("frog", "frog", "frog, toad", "animal", "small", "none", "ground", (JU, GA, FO), "hop"),
    O("hibiscus", "hibiscus", "hibiscus, jungle flower", "plant", "small", "none", "ground", (JU, GA), "sway", False),
    # ---- farm
    O("tractor", "tractor", "tractor", "vehicle", "large", "left", "ground", FA, "bob", False),
    O("rooster", "rooster", "rooster, cockerel", "animal", "medium", "left", "ground", FA, "hop"),
    O("chick", "baby-chick", "chick, baby chick, chicky", "animal", "tiny", "left", "ground", FA, "hop"),
    O("duck", "duck", "duck, duckling", "animal", "small", "left", "surface", (FA, GA), "swim"),
    O("goat", "goat", "goat, kid goat", "animal", "medium", "left", "ground", FA, "hop"),
    O("mouse", "mouse", "mouse", "animal", "tiny", "left", "ground", (FA, CA), "hop"),
    O("egg", "egg", "egg", "food", "tiny", "none", "ground", FA, "none", False),
    O("corn", "ear-of-corn", "corn, corncob", "plant", "small", "none", "ground", FA, "sway", False),
    O("carrot", "carrot", "carrot", "food", "tiny", "none", "ground", (FA, GA), "none", False),
    O("apple", "red-apple", "apple", "food", "tiny", "none", "ground", (FA, FO, GA), "none", False),
    O("wheat", "sheaf-of-rice", "wheat, hay, haystack, straw", "plant", "medium", "none", "ground", FA, "sway", False),
    O("basket", "basket", "basket", "prop", "small", "none", "ground", (FA, FO, GA), "none", False),
    O("house", "house", "house, farmhouse, cottage, barn", "building", "huge", "none", "ground", (FA, FO, GA), "none", False),
    # ---- castle
    O("castle", "castle", "castle, palace", "building", "huge", "none", "ground", CA, "none", False),
    O("crown", "crown", "crown, tiara", "prop", "small", "none", "any", CA, "twinkle", False),
    O("sword", "crossed-swords", "sword", "prop", "small", "none", "wall", CA, "none", False),
    O("shield", "shield", "shield", "prop", "small", "none", "wall", CA, "none", False),
    O("wand", "magic-wand", "wand, magic wand", "prop", "small", "none", "any", CA, "twinkle", False),
    O("crystal_ball", "crystal-ball", "crystal ball", "prop", "small", "none", "ground", CA, "twinkle", False),
    O("door", "door", "door, gate", "building", "large", "none", "ground", (CA, FA), "none", False),
    O("key", "old-key", "key, golden key", "prop", "tiny", "none", "any", CA, "twinkle", False),
    O("candle", "candle", "candle, candlelight", "prop", "tiny", "none", "ground", CA, "twinkle", False),
    O("cake", "birthday-cake", "cake, birthday cake", "food", "small", "none", "ground", ALL, "none", False),
    O("bell", "bell", "bell", "prop", "small", "none", "wall", (CA, FA), "sway", False),
    O("lantern", "red-paper-lantern", "lantern, lamp", "prop", "small", "none", "wall", (CA, FO), "sway", False),
    O("flag", "triangular-flag", "flag, banner", "prop", "small", "none", "ground", (CA, SP), "sway", False),
    # ---- arctic
    O("snowman", "snowman", "snowman", "character", "large", "none", "ground", AR, "bob", False),
    O("snowflake", "snowflake", "snowflake", "weather", "tiny", "none", "sky", AR, "twinkle", False),
    O("ice", "ice", "ice, ice cube, iceberg, ice block", "prop", "medium", "none", "ground", AR, "none", False),
    O("sled", "sled", "sled, sledge, sleigh, toboggan", "vehicle", "medium", "left", "ground", AR, "none", False),
    O("mountain", "snow-capped-mountain", "mountain, glacier, peak", "prop", "huge", "none", "ground", (AR, JU, FO), "none", False),
    O("wolf", "wolf", "wolf", "animal", "large", "none", "ground", (AR, FO), "bob"),
    # ---- forest
    O("tree", "deciduous-tree", "tree, oak, oak tree, old oak", "plant", "huge", "none", "ground", (FO, FA, GA, CA), "sway", False),
    O("pine_tree", "evergreen-tree", "pine tree, pine, fir, fir tree, evergreen", "plant", "huge", "none", "ground", (FO, AR), "sway", False),
    O("mushroom", "mushroom", "mushroom, toadstool", "plant", "small", "none", "ground", (FO, GA), "none", False),
    O("leaf", "fallen-leaf", "leaf, autumn leaf", "plant", "tiny", "none", "any", (FO, GA), "sway", False),
    O("acorn", "chestnut", "acorn, nut, chestnut", "food", "tiny", "none", "ground", FO, "none", False),
    O("log", "wood", "log, stump, tree stump", "prop", "medium", "none", "ground", FO, "none", False),
    O("raccoon", "raccoon", "raccoon", "animal", "medium", "left", "ground", FO, "hop"),
    O("beaver", "beaver", "beaver", "animal", "medium", "none", "ground", FO, "bob"),
    O("nest", "nest-with-eggs", "nest, bird nest", "prop", "small", "none", "any", (FO, GA), "none", False),
    O("strawberry", "strawberry", "strawberry, berry", "food", "tiny", "none", "ground", (FO, GA), "none", False),
    O("honey", "honey-pot", "honey, honey pot, honeypot", "food", "small", "none", "ground", (FO, GA), "none", False),
    # ---- garden
    O("sunflower", "sunflower", "sunflower", "plant", "large", "none", "ground", (GA, FA), "sway", False),
    O("tulip", "tulip", "tulip", "plant", "medium", "none", "ground", GA, "sway", False),
    O("rose", "rose", "rose, rosebush, rose bush", "plant", "medium", "none", "ground", (GA, CA), "sway", False),
    O("flower", "blossom", "flower, blossom, daisy", "plant", "small", "none", "ground", (GA, FO, FA), "sway", False),
    O("seedling", "seedling", "seedling, sprout", "plant", "tiny", "none", "ground", GA, "sway", False),
    O("plant", "potted-plant", "plant, potted plant, fern", "plant", "medium", "none", "ground", GA, "sway", False),
    O("ant", "ant", "ant", "animal", "tiny", "left", "ground", GA, "hop"),
    O("spider", "spider", "spider", "animal", "small", "none", "any", (GA, FO), "bob"),
    O("worm", "worm", "worm, earthworm", "animal", "tiny", "left", "ground", GA, "swim"),
    O("bird", "bird", "bird, robin, bluebird", "animal", "small", "right", "sky", (GA, FO, FA), "flap"),
    O("fountain", "fountain", "fountain, bird bath, birdbath", "building", "large", "none", "ground", (GA, CA), "none", False),
    # ---- weather and sky
    O("sun", "sun", "sun, sunshine", "sky", "medium", "none", "sky", LAND, "twinkle", False),
    O("cloud", "cloud", "cloud", "weather", "medium", "none", "sky", LAND, "swim", False),
    O("rain_cloud", "cloud-with-rain", "rain cloud, raincloud, rain, raindrop", "weather", "medium", "none", "sky", LAND, "swim", False),
    O("snow_cloud", "cloud-with-snow", "snow cloud, snowfall", "weather", "medium", "none", "sky", (AR, FO), "swim", False),
    O("storm_cloud", "cloud-with-lightning", "storm cloud, thundercloud, lightning, thunder", "weather", "medium", "none", "sky", LAND, "swim", False),
    O("rainbow", "rainbow", "rainbow", "weather", "large", "none", "sky", LAND, "none", False),
    O("umbrella", "umbrella", "umbrella", "prop", "medium", "none", "ground", LAND, "sway", False),
    O("fire", "fire", "fire, campfire, flame", "prop", "small", "none", "ground", (CA, FO, AR, JU), "twinkle", False),
    O("kite", "kite", "kite", "prop", "medium", "none", "sky", (FA, GA), "sway", False),
    O("balloon", "balloon", "balloon", "prop", "small", "none", "sky", ALL, "bob", False),
    O("gift", "wrapped-gift", "gift, parcel", "prop", "small", "none", "ground", ALL, "none", False),
    O("map", "world-map", "map, treasure map", "prop", "small", "none", "any", (UW, CA, JU), "none", False),
    O("ladder", "ladder", "ladder", "prop", "large", "none", "ground", (FA, CA, GA), "none", False),
    O("tent", "tent", "tent", "building", "large", "none", "ground", (FO, JU, AR), "none", False),
    O("lighthouse", "lighthouse", "lighthouse", "building", "huge", "none", "ground", UW, "none", False),
    O("cookie", "cookie", "cookie, biscuit", "food", "tiny", "none", "ground", ALL, "none", False),
    O("cheese", "cheese-wedge", "cheese", "food", "tiny", "none", "ground", (FA, SP), "none", False),
    O("pie", "pie", "pie, tart", "food", "tiny", "none", "ground", (FA, CA), "none", False),
]


def install_icons() -> tuple[Path, Path]:
    """npm-install the pinned package into a fresh temp dir; return (icons.json, temp dir)."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to rebuild the library: apt-get install npm (or pass --icons-json)")
    tmp = Path(tempfile.mkdtemp(prefix="storygen-noto-"))
    subprocess.run([npm, "install", "--prefix", str(tmp), "--no-audit", "--no-fund",
                    "--ignore-scripts", f"{PACKAGE}@{VERSION}"], check=True)
    return tmp / "node_modules" / PACKAGE / "icons.json", tmp


def svg_for(icons: dict, name: str) -> str:
    """Full SVG document for one icon (aliases resolved; iconify stores only the inner body)."""
    name = icons.get("aliases", {}).get(name, {}).get("parent", name)
    if name not in icons["icons"]:
        raise SystemExit(f"icon {name!r} is not in {PACKAGE}@{VERSION}; fix OBJECTS")
    icon = icons["icons"][name]
    w = icon.get("width", icons.get("width", 16))
    h = icon.get("height", icons.get("height", 16))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'viewBox="0 0 {w} {h}" width="{w}" height="{h}">{icon["body"]}</svg>\n')


def write_library(icons: dict, out: Path) -> None:
    ids = [o["id"] for o in OBJECTS]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate object id in OBJECTS")
    svg_dir = out / "svg"
    if svg_dir.exists():
        shutil.rmtree(svg_dir)  # regenerate: a dropped object must not leave a stale SVG behind
    svg_dir.mkdir(parents=True)
    for obj in OBJECTS:
        (svg_dir / f"{obj['id']}.svg").write_text(svg_for(icons, obj["source"].split(":", 1)[1]),
                                                  encoding="utf-8")
    manifest = {"kind": "object_library", "schema_version": 1, "package": PACKAGE,
                "version": VERSION, "license": LICENSE, "objects": OBJECTS}
    header = ("# GENERATED by scripts/build_library.py from the curated list in that script;\n"
              "# edit the script and rerun it, not this file. Loaded by storygen/scenes/assets.py.\n")
    (out / "manifest.yaml").write_text(
        header + yaml.safe_dump(manifest, sort_keys=False, width=110, default_flow_style=None),
        encoding="utf-8")
    (out / "ATTRIBUTION.md").write_text(ATTRIBUTION.format(package=PACKAGE, version=VERSION,
                                                           count=len(OBJECTS)), encoding="utf-8")


ATTRIBUTION = """# Attribution: library/objects

The {count} SVG files in `svg/` are Noto Emoji artwork by Google Inc
(https://github.com/googlefonts/noto-emoji), taken unmodified (only wrapped in an `<svg>` element)
from the npm package `{package}` version **{version}** (iconify's packaging of Noto Emoji).

License: Apache License 2.0 — https://www.apache.org/licenses/LICENSE-2.0
(upstream: https://github.com/googlefonts/noto-emoji/blob/main/svg/LICENSE).

Each object's source icon name is listed in `manifest.yaml` (`source: noto:<icon>`).
Regenerate with `python scripts/build_library.py` (needs npm at build time only).
Recolouring of the hero happens at render time; the files here are not modified.
"""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--icons-json", type=Path, help="an existing icons.json of the pinned package")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    tmp = None
    path = args.icons_json
    if path is None:
        path, tmp = install_icons()
    try:
        icons = json.loads(path.read_text(encoding="utf-8"))
        write_library(icons, args.out)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {len(OBJECTS)} objects to {args.out}")


if __name__ == "__main__":
    main()
