"""Time of day and weather of a scene, read from its words with the book's carry-over
(library/backgrounds/sky.yaml says the phrases and, in its header, the rules).

read_sky(words, before) -> (after, light, weather): `before` is what held when the scene began
(the previous scene's `after`), `light` is the time the scene shows (None: nothing said yet,
the place's own light applies) and `weather` the weather that holds in it. The place does not
filter it: a storm that rages outside while the hero shelters in a cave still holds in the
scene (the layout records it; backgrounds.choose.drawn_weather draws only what the variant
can show).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Optional

from ...config import LIBRARY_DIR, load_config
from ...errors import ConfigError
from ...records import Record
from .words import END, Phrases, sentence_of

SKY = LIBRARY_DIR / "backgrounds" / "sky.yaml"
TIMES = {"night": "night", "evening": "dusk", "morning": "day", "day": "day"}  # -> light
KINDS = ("rain", "storm", "snow", "fog", "drought")
WET = ("rain", "storm", "snow")  # these end a drought
NAMES = {"rain": "rain", "storm": "storm", "snow": "snow", "fog": "fog", "mist": "fog"}
NEGATION_SPAN, ENDING_SPAN, UNREAL_SPAN = 3, 4, 5  # words looked at before / after a weather word


@dataclass(frozen=True)
class SkyCues(Record):
    kind: ClassVar[str] = "sky_cues"
    time: dict[str, tuple[str, ...]]
    new_day: tuple[str, ...]
    weather: dict[str, tuple[str, ...]]
    ending: tuple[str, ...]
    ended_by: tuple[str, ...]
    clear: tuple[str, ...]
    negators: tuple[str, ...]
    negation_fillers: tuple[str, ...]
    drought_time: tuple[str, ...]
    unreal: tuple[str, ...] = ()
    things: tuple[str, ...] = ()
    made_of: tuple[str, ...] = ()
    movers: tuple[str, ...] = ()
    lights: tuple[str, ...] = ()
    past_before: tuple[str, ...] = ()  # "last night": a time gone by, not the scene's
    past_after: tuple[str, ...] = ()  # "the night before"
    habits: tuple[str, ...] = ()  # opening a sentence right before a weather word: "When it rained, ..."


@dataclass(frozen=True)
class Sky:
    """What holds when a scene ends: the last stated light (None: none yet) and the weather."""

    light: Optional[str] = None
    weather: frozenset = frozenset()


def load_sky(path: str | Path | None = None) -> "SkyReader":
    return _load(str(Path(path or SKY).resolve()))


@lru_cache(maxsize=4)
def _load(path: str) -> "SkyReader":
    cues = load_config(path, SkyCues)
    _validate(cues, path)
    return SkyReader(cues)


def _validate(c: SkyCues, where: str) -> None:
    bad_time = sorted(set(c.time) - set(TIMES))
    if bad_time:
        raise ConfigError(f"{where}: unknown time {', '.join(bad_time)}; use {', '.join(TIMES)}")
    bad = sorted(set(c.weather) - set(KINDS))
    if bad:
        raise ConfigError(f"{where}: unknown weather {', '.join(bad)}; use {', '.join(KINDS)}")
    lists = [*c.time.values(), *c.weather.values(), c.new_day, c.ending, c.ended_by, c.clear,
             c.negators, c.negation_fillers, c.drought_time, c.unreal, c.things, c.made_of,
             c.movers, c.lights]
    for phrase in (p for ps in lists for p in ps):
        if not phrase or phrase != phrase.lower().strip() or END in phrase:
            raise ConfigError(f"{where}: phrase {phrase!r} must be lowercase words")


class SkyReader:
    def __init__(self, c: SkyCues) -> None:
        self.cues = c
        self.time = Phrases((p, t) for t, ps in c.time.items() for p in ps)
        kinds: dict[str, list[str]] = {}  # "blizzard" is snow and storm
        for k, ps in c.weather.items():
            for p in ps:
                kinds.setdefault(p, []).append(k)
        self.weather = Phrases((p, "+".join(ks)) for p, ks in kinds.items())
        self.clear = Phrases((p, "clear") for p in c.clear)
        self.new_day = Phrases((p, "new_day") for p in c.new_day)
        self.ending = Phrases((p, "end") for p in c.ending)
        self.ended_by = Phrases((p, "end") for p in c.ended_by)
        self.drought_time = Phrases((p, "long") for p in c.drought_time)
        self.unreal = Phrases((p, "unreal") for p in c.unreal)
        self.habits = Phrases((p, "habit") for p in c.habits)
        self._sky_words = Phrases([(p, "x") for ps in (*c.time.values(), *c.weather.values())
                                   for p in ps] + [(p, "x") for p in (*c.clear, *c.new_day)])

    def masked(self, words: list[str], keep: frozenset = frozenset()) -> list[str]:
        """The words with time and weather phrases blanked out, for the place reader: the
        "cracked mud" of a drought is no mud pool. Phrases in `keep` (place cues such as
        "northern lights") stay."""
        out = list(words)
        for start, end, _ in self._sky_words.find(words):
            if " ".join(words[start:end]) not in keep:
                out[start:end] = ["_"] * (end - start)
        return out

    def subjects(self, words: list[str]) -> dict[int, str]:
        """Word index -> "weather" | "light" for the words of weather phrases and `movers`
        ("dark clouds", "the wind") and of time phrases with a `lights` word ("the sun shone"):
        what may be the subject of "... rolled over the jungle" (places.py)."""
        out: dict[int, str] = {}
        for start, end, _ in self.weather.find(words):
            out.update((i, "weather") for i in range(start, end))
        for start, end, _ in self.time.find(words):
            if any(w in self.cues.lights for w in words[start:end]):
                out.update((i, "light") for i in range(start, end))
        out.update((i, "weather") for i, w in enumerate(words) if w in self.cues.movers)
        return out

    def light(self, words: list[str]) -> Optional[str]:
        """The light of the last time phrase, or None when the scene names no time; a time only
        wished for ("she had always wanted to see the northern lights") is not the scene's, nor
        one gone by ("last night's wind had knocked his tree down", "the night before")."""
        hits = [h for h in self.time.find(words) if not self._unreal(words, h[0], things=False)
                and not self._past(words, h[0], h[1])]
        return TIMES[hits[-1][2]] if hits else None

    def _past(self, words: list[str], start: int, end: int) -> bool:
        return (start > 0 and words[start - 1] in self.cues.past_before) or \
            (end < len(words) and words[end] in self.cues.past_after)

    def _negated(self, words: list[str], start: int) -> bool:
        """A negator right before, or with only fillers between ("not a drop of rain"); "did not
        mind the rain" is not negated rain."""
        for j in range(start - 1, max(-1, start - 2 - NEGATION_SPAN), -1):
            if words[j] in self.cues.negators:
                return True
            if words[j] not in self.cues.negation_fillers:
                return False
        return False

    def _unreal(self, words: list[str], start: int, things: bool = True) -> bool:
        """A wish, a fear, a habit ("every rainy afternoon") or a thing ("rain boots", "paper
        snowflakes"), not weather that holds."""
        lo = start
        while lo > 0 and start - lo < UNREAL_SPAN and words[lo - 1] != END:
            lo -= 1
        if things and start > 0 and words[start - 1] in self.cues.made_of:
            return True
        if things and "like" in words[max(lo, start - 3):start]:
            return True  # a simile: "the leaves drifted down like golden rain"
        follows = things and start + 1 < len(words) and words[start + 1] in self.cues.things
        # "When it rained, the animals got soaked": what happened each time, not this scene's sky
        opens = lo == 0 or words[lo - 1] == END
        habit = things and opens and any(s == 0 and e == start - lo for s, e, _ in self.habits.find(words[lo:start]))
        return follows or habit or bool(self.unreal.find(words[lo:start]))

    def read(self, words: list[str], before: Sky) -> tuple[Sky, Optional[str], tuple[str, ...]]:
        events = [(s, e, k) for s, e, k in self.weather.find(words)]
        taken = {i for s, e, _ in events for i in range(s, e)}
        events += [(i, i + 1, "end:" + NAMES[w]) for i, w in enumerate(words)
                   if w in NAMES and i not in taken]  # "the snow stopped": only ends it
        events += self.clear.find(words) + self.new_day.find(words)
        state, shown = set(before.weather), set()
        for start, end, what in sorted(events):
            if what == "clear":  # (and the picture shows it cleared: "all night the storm
                state &= {"drought"}  # roared ... in the morning the sun shone")
                shown &= {"drought"}
                continue
            if what == "new_day":  # the picture shows the new day, not last night's storm
                state &= {"drought"} | shown
                continue
            if what.startswith("end:"):
                if self.ending.starts_within(words, end, ENDING_SPAN):
                    state.discard(what[4:])
                continue
            if self._unreal(words, start):
                continue
            kinds = what.split("+")
            if self._negated(words, start):
                if "rain" in kinds and "rain" in state:
                    state.discard("rain")  # "it was not raining any more"
                elif "rain" in kinds and self.drought_time.find(sentence_of(words, start)):
                    state.add("drought")
                    shown.add("drought")
                continue
            if (self.ended_by.ends_at(words, start)
                    or self.ending.starts_within(words, end, ENDING_SPAN)):
                state.difference_update(kinds)
                continue
            state.update(kinds)
            shown.update(kinds)
            if any(k in WET for k in kinds):
                state.discard("drought")
                shown.discard("drought")
        light = self.light(words)
        after = Sky(light=light or before.light, weather=frozenset(state))
        held = state | shown
        return after, light or before.light, tuple(k for k in KINDS if k in held)
