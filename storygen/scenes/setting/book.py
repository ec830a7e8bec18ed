"""The setting of every scene of a book, read in order with carry-over (issue 22): its place
(places.py), its light and its weather (sky.py), and the layout's Background for it.

A scene that names no place stays where the last one was; leaving a room with no new place
named goes back to the last outdoor place, else the theme's default. The layout records a
scene's SceneSetting in its Background (variant, light, weather), so layout.json alone says how
to draw the picture.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ...errors import StorygenError
from ...records import Background, Record
from ..backgrounds.library import LIGHTS, BackgroundLibrary, load_backgrounds
from .places import PlaceReader, SceneText
from .sky import KINDS, Sky, SkyReader, load_sky
from .words import unquoted, words_of

_LIGHT_RANK = {name: k for k, name in enumerate(LIGHTS)}  # day < dusk < night


@dataclass(frozen=True)
class SceneSetting(Record):
    variant: str
    light: str  # day | dusk | night, as drawn
    # what holds in the scene, indoors too (a storm rattling the greenhouse glass); the picture
    # draws only what the place can show (backgrounds.choose.drawn_weather)
    weather: tuple[str, ...]
    cue: str = ""  # the place phrase that moved the book here ("" = carried or the default)


def read_book(theme: str, scenes: Sequence[SceneText | str], lib: BackgroundLibrary | None = None,
              sky: SkyReader | None = None) -> list[SceneSetting]:
    """The setting of every scene of a book, in order (deterministic)."""
    lib = lib or load_backgrounds()
    sky = sky or load_sky()
    places = PlaceReader(theme, lib)
    here, outdoors, held = places.tb.default, places.tb.default, Sky()
    out = []
    for scene in scenes:
        scene = SceneText(scene) if isinstance(scene, str) else scene
        # what characters say ("She went to play in the kelp forest") does not move the scene
        said = words_of(unquoted(scene.text))
        name, cue, leaves = places.read(scene, sky.masked(said), here, said)
        if name is None and leaves and places.variants[here].setting == "inside":
            name = outdoors
        here = name or here
        v = places.variants[here]
        if v.setting == "outside":
            outdoors = here
        held, light, weather = sky.read(words_of(unquoted(scene.text)), held)
        out.append(SceneSetting(variant=here, light=_darker(light or v.light, v.light),
                                weather=tuple(weather), cue=cue))
    return out


def _darker(a: str, b: str) -> str:
    """A place dark by nature (a deep trench, the northern lights) stays dark at noon."""
    return a if _LIGHT_RANK[a] >= _LIGHT_RANK[b] else b


def background_for(theme: str, setting: SceneSetting, cues: tuple[str, ...] = (),
                   lib: BackgroundLibrary | None = None) -> Background:
    """The layout's Background for a scene setting; `cues` (the graph's) are kept as a record."""
    v = (lib or load_backgrounds()).variant(theme, setting.variant)
    bad = [w for w in setting.weather if w not in KINDS]
    if setting.light not in LIGHTS or bad:
        raise StorygenError(f"Bad scene setting {setting}: light must be one of {', '.join(LIGHTS)}"
                            f", weather of {', '.join(KINDS)}")
    suffix = f"-{setting.light}" if setting.light != v.light else ""
    return Background(id=f"{theme}-{v.name}{suffix}", theme=theme, variant=v.name,
                      cues=tuple(cues), light=setting.light, weather=setting.weather)
