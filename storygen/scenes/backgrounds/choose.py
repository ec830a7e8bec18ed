"""The choice of a background variant for a scene, and the light and weather it is drawn in.

Without a book's setting (setting/), the variant is chosen from the theme and the scene graph's
cues: graph cues first, then words of the text, ties to the theme's default. Time of day and
weather are read from the book's text with carry-over (setting/) and recorded in the layout's
Background (light, weather), so a layout.json alone (background.variant + light + weather) says
exactly how to draw it; a layout written before that (no light) is drawn from background.cues.
"""
from __future__ import annotations


from ...errors import StorygenError
from ...records import Background
from ...text import letter_runs
from .library import WEATHER, BackgroundLibrary, BackgroundVariant, load_backgrounds

NIGHT_CUES = ("night", "dark")
DUSK_CUES = ("evening",)
# A graph cue naming a place ("shipwreck") counts most, a time-of-day cue ("night") less (any
# outside variant can be relit), a loose word of the text least.
PLACE_WEIGHT, LIGHT_WEIGHT, WORD_WEIGHT = 3, 2, 1
LIGHT_WORDS = NIGHT_CUES + DUSK_CUES + ("midnight", "morning")


def scene_light(variant: BackgroundVariant, cues: tuple[str, ...] | list[str]) -> str:
    """Night/evening cues relight an outside variant; inside variants keep their own light."""
    if variant.setting == "inside":
        return variant.light
    if any(c in NIGHT_CUES for c in cues):
        return "night"
    if any(c in DUSK_CUES for c in cues):
        return "dusk"
    return variant.light


def scene_weather(variant: BackgroundVariant, cues: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The weather overlays to draw: cued and allowed by the variant (no rain in a cave)."""
    return tuple(w for w in WEATHER if w in cues and w in variant.weather)


def drawn_light(variant: BackgroundVariant, background: Background) -> str:
    """The light a layout's background is drawn in (older layouts: from its cues)."""
    return background.light or scene_light(variant, background.cues)


def drawn_weather(variant: BackgroundVariant, background: Background) -> tuple[str, ...]:
    """The weather drawn: recorded and allowed by the variant (older layouts: from its cues)."""
    if not background.light:
        return scene_weather(variant, background.cues)
    return tuple(w for w in WEATHER if w in background.weather and w in variant.weather)


def _phrases(text: str, longest: int = 3) -> set[str]:
    words = letter_runs(text)
    return {" ".join(words[i:i + n]) for n in range(1, longest + 1) for i in range(len(words))}


def variant_score(v: BackgroundVariant, cues: tuple[str, ...], words: set[str],
                  drawn: frozenset[str] = frozenset()) -> int:
    """Graph cues count PLACE_WEIGHT (LIGHT_WEIGHT for time of day), other words of the text
    WORD_WEIGHT. A cue naming
    something drawn in the scene ("the sheep stood by the barn") does not take us inside it."""
    def counts(c: str) -> bool:
        return not (v.setting == "inside" and c in drawn)
    graph = sum(LIGHT_WEIGHT if c in LIGHT_WORDS else PLACE_WEIGHT
                for c in v.cues if c in cues and counts(c))
    word_hits = sum(1 for c in v.cues if c in words and c not in cues and counts(c))
    return graph + WORD_WEIGHT * word_hits


def choose_background(theme: str, cues: tuple[str, ...], text: str = "",
                      lib: BackgroundLibrary | None = None,
                      drawn: tuple[str, ...] = ()) -> Background:
    """The best-matching variant of the theme (graph cues first, then words of the text);
    ties go to the theme's default, then to manifest order. `drawn`: names of the entities
    drawn in the scene (see variant_score). Deterministic."""
    lib = lib or load_backgrounds()
    tb = lib.themes.get(theme)
    if tb is None:
        raise StorygenError(f"Unknown theme {theme!r}; choose one of: {', '.join(lib.themes)}")
    words = _phrases(text)
    ranked = sorted(enumerate(tb.variants),
                    key=lambda iv: (-variant_score(iv[1], cues, words, frozenset(drawn)),
                                    iv[1].name != tb.default,
                                    iv[0]))
    v = ranked[0][1]
    light = scene_light(v, cues)
    suffix = f"-{light}" if light != v.light else ""
    return Background(id=f"{theme}-{v.name}{suffix}", theme=theme, variant=v.name, cues=tuple(cues))


def variant_of(background: Background, lib: BackgroundLibrary | None = None) -> BackgroundVariant:
    return (lib or load_backgrounds()).variant(background.theme, background.variant)
