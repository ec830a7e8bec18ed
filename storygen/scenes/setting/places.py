"""Where each scene of a book happens: the place (a background variant of the theme) a scene's
words name, if any.

A scene that names no place stays where the last one was (book.py carries it); "into the barn"
goes in, "out of the barn", "outside" or "by the barn" is outdoors again. Place words are the
variants' cues in manifest.yaml; how a cue is used decides how much it counts: after
"in/at/on/to/near ..." it is where the scene is, alone ("the meadow was full of flowers") a
little less, and for an indoor place "near" or "from" means outside.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...errors import StorygenError
from ..backgrounds.library import BackgroundLibrary, BackgroundVariant
from .words import END, Phrases

LOOK_BACK = 6  # words between a preposition and its place ("in the middle of the big pond")
IN = {"in", "inside", "into", "within", "entered", "enter", "enters", "entering"}
NEAR = {"by", "near", "beside", "behind", "past", "outside", "next", "around"}
FROM = {"from", "left", "leave", "leaves", "leaving", "out", "away"}
AT = {"at", "on", "to", "toward", "towards", "across", "through", "over", "along", "onto",
      "upon", "reached", "reach", "up", "down", "under", "below", "beneath", "above", "among",
      "visited", "explored", "lived", "returned", "back"}
# "the barn door", "the kitchen window": the word names a part or a dweller, not the place
NOT_PLACE_AFTER = {"door", "doors", "window", "windows", "roof", "wall", "walls", "cat", "cats",
                   "owl", "owls", "boy", "boys", "girl", "girls", "gate", "gates", "mouse",
                   "dog", "keeper", "fence", "bell", "key", "keys",
                   "rose", "rises", "shone", "glowed", "came"}  # "the moon rose" is in the sky
# "a map of the moon", "a story about the sea": the place is talked about, not where we are
ABOUT = {"map", "maps", "picture", "pictures", "painting", "drawing", "photo", "story",
         "stories", "model", "book", "song", "dream", "about"}
# "drank from the bird bath", "hung from the branch": at it, not leaving it
AT_FROM = {"drank", "drink", "drinks", "drinking", "sipped", "ate", "eat", "picked", "hung",
           "hanging", "hangs", "dangled", "swung", "fished", "read"}
# things inside a room: "by the stove" is in the kitchen, not outside it
FURNITURE = {"stove", "oven", "fireplace", "hearth", "throne", "bookshelves", "shelves", "pantry"}
EXITS = {"outside", "outdoors"}
# the outside of a building: "on the porch of the farmhouse" is not in its kitchen
OUTSIDE_OF = {"porch", "porches", "roof", "roofs", "rooftop", "doorstep", "steps", "chimney"}
# How much a cue counts, by how it is used and whether the place is indoors.
SCORES = {("outside", "in"): 3, ("outside", "at"): 3, ("outside", "near"): 3,
          ("outside", "bare"): 2, ("inside", "in"): 3, ("inside", "at"): 2, ("inside", "bare"): 1}
_NOT_PLACES = {"night", "dark", "midnight", "evening", "morning", "indoors"}  # times, not places
# The theme itself ("a storm rolled over the jungle", "the sun shone on the castle"): said of
# the whole world of the book, so it never moves a scene away from where it is. Another theme's
# word is generic too unless a place of this theme is called so: under the sea, "the garden" is
# the coral garden, in the garden theme it is the whole book.
GENERIC = {"jungle", "farm", "castle", "arctic", "forest", "woods", "wood", "garden", "sea", "ocean",
           "space", "outer space"}
THEME_WORDS = {"underwater": {"sea", "ocean"}, "forest": {"forest", "woods", "wood"},
               "space": {"space", "outer space"}}
# "thunder rumbled over the towers": weather passing over a place is not a visit to it
WEATHER_WORDS = {"storm", "thunder", "rain", "wind", "clouds", "cloud", "fog", "mist", "snow",
                 "lightning", "hail", "snowstorm", "blizzard", "sandstorm"}
PASSING = {"over", "across"}
# "saw little lights far away in the deep sea": a place seen from here, not where we are
SEEING = {"saw", "see", "sees", "seen", "spotted", "watched", "gazed", "pointed", "shone", "shining"}
AFAR = {"far", "distance", "faraway"}


@dataclass(frozen=True)
class SceneText:
    text: str
    drawn: tuple[str, ...] = ()  # names of things drawn as objects (a drawn barn is not a place)


class PlaceReader:
    def __init__(self, theme: str, lib: BackgroundLibrary) -> None:
        if theme not in lib.themes:
            raise StorygenError(f"Unknown theme {theme!r}; choose one of: {', '.join(lib.themes)}")
        self.tb = lib.themes[theme]
        self.variants = {v.name: v for v in self.tb.variants}
        self.phrases = Phrases(((c, v.name) for v in self.tb.variants for c in v.cues
                                if c not in _NOT_PLACES), plural=True)
        # a cue two variants share ("bank": the stream's and the pond's) labels only the first
        # in `phrases`; at the other, it names where we already are
        self.own = {v.name: set(v.cues) | set(v.shows) for v in self.tb.variants}
        cues = {c for v in self.tb.variants for c in v.cues}
        self.generic = THEME_WORDS.get(theme, {theme}) | (GENERIC - cues)

    def _use(self, words: list[str], start: int, here: str) -> str:
        """in | at | near | from | bare: the nearest place preposition before the cue; "seen"
        or "passing" for a place looked at from afar or that weather passes over."""
        sentence, before = _sentence(words, start)
        if before & AFAR or set(words[max(0, start - LOOK_BACK):start]) & SEEING and END not in \
                words[max(0, start - LOOK_BACK):start]:
            return "seen"
        for j in range(start - 1, max(-1, start - 1 - LOOK_BACK), -1):
            w = words[j]
            if w == END:
                break
            if w in PASSING and "_" in sentence and self.variants[here].setting == "inside":
                return "passing"  # in the kitchen, "thunder rumbled over the towers" (masked)
            if w in ABOUT or (w == "of" and j > 0 and words[j - 1] in ABOUT):
                return "about"
            if w == "of" and j > 0 and words[j - 1] in ("out", "away"):
                return "from"
            if w == "of" and j > 0 and words[j - 1] in OUTSIDE_OF:
                return "near"  # "on the porch of the farmhouse": outside it
            if w == "from" and j > 0 and words[j - 1] in AT_FROM:
                return "at"
            for kind, ws in (("in", IN), ("near", NEAR), ("from", FROM), ("at", AT)):
                if w in ws:
                    return kind
        return "bare"

    def read(self, text: SceneText, words: list[str], here: str, raw: list[str] | None = None
             ) -> tuple[Optional[str], str, bool]:
        """(variant or None, the cue, leaves_inside): the place the scene names, if any.
        `words` have their sky phrases masked; `raw` (the same words unmasked) tell weather."""
        raw = raw or words
        best: tuple[int, int, str, str] | None = None
        leaves = any(w in EXITS and (k + 1 == len(words) or words[k + 1] not in ("the", "of"))
                     and not _weather_seen_from_inside(raw, k) for k, w in enumerate(words))
        for start, end, name in self.phrases.find(words):
            if end < len(words) and words[end] in NOT_PLACE_AFTER:
                continue
            cue = " ".join(words[start:end])
            if cue in self.generic:
                continue
            if _denied(words, start):
                continue  # "she did not sleep in the henhouse like the other hens"
            if name != here and _plural_of(cue, self.own[here]):
                name = here  # "sat on the bank" at the forest pond: the pond's bank
            v: BackgroundVariant = self.variants[name]
            use = self._use(words, start, here)
            if v.setting == "inside" and use == "bare" and cue in text.drawn:
                use = "drawn"  # "the red barn" is drawn as a barn: we stay outside
            if use == "near" and cue in FURNITURE:
                use = "in"
            if use == "at" and v.setting == "inside" and _before(words, start) in UNDER_OVER \
                    and words[end - 1] not in ROOFS:
                use = "near"  # "stood under the hollow tree", "flew over the barn": outside it
            score = SCORES.get((v.setting, use), 0)
            if use in ("from", "near") and name == here or (v.setting == "inside" and use == "near"):
                leaves = True
            # a tie: a new place beats the one we are at ("beyond the bamboo stood the
            # ruins"), else the first named wins
            if score and (best is None or (score, name != here) > (best[0], best[2] != here)):
                best = (score, start, name, cue)
        if best is None:
            return None, "", leaves
        return best[2], best[3], False


def _denied(words: list[str], start: int) -> bool:
    """A place the sentence says one is not at: "not"/"never" a few words before the cue."""
    before = words[max(0, start - LOOK_BACK):start]
    if END in before:
        before = before[len(before) - before[::-1].index(END):]
    return bool({"not", "never", "nowhere"} & set(before))


UNDER_OVER = {"under", "below", "beneath", "above", "over", "underneath"}
ROOFS = {"dome", "domes", "roof", "tent", "canopy"}  # "sat under the dome": inside it


def _before(words: list[str], start: int) -> str:
    """The word just before a cue, past its article ("under the hollow tree": under)."""
    k = start - 1
    while k >= 0 and words[k] in ("the", "a", "an", "his", "her", "its", "their", "old", "big"):
        k -= 1
    return words[k] if k >= 0 else ""


def _weather_seen_from_inside(words: list[str], k: int) -> bool:
    """"Outside, rain lashed at the windows", "the storm was still roaring outside": weather
    outside, watched from in here ("Outside, snow began to fall" alone may go out, and does)."""
    sentence = _sentence(words, k)[0]
    if not sentence & WEATHER_WORDS:
        return False
    return bool(sentence & {"window", "windows", "glass", "roof", "walls"}) or \
        k + 1 == len(words) or words[k + 1] == END


def _plural_of(cue: str, names: set[str]) -> bool:
    """The matched cue words ("banks") are one of `names` ("bank"), as Phrases matches them."""
    return cue in names or any(cue.endswith(s) and cue[:-len(s)] in names for s in ("s", "es"))


def _sentence(words: list[str], k: int) -> tuple[set[str], set[str]]:
    """The words of the sentence holding words[k], and those of it before words[k]."""
    a = max((j for j in range(k) if words[j] == END), default=-1) + 1
    b = next((j for j in range(k, len(words)) if words[j] == END), len(words))
    return set(words[a:b]), set(words[a:k])
