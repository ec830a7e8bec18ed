"""The story grammar of the `template` baselines (configs/baselines.yaml) and how it is filled.

A template story is one of the corpus's plot kinds told in five scenes: a shared setup, then the
plot's problem, attempt, turn and ending, each plot in its own file under configs/plots/. A plot
scene has hand-written variants ("tracks") or, for the turn, variants per adjective: the hero's
adjective is what solves the problem ("the curious hedgehog peeked under every leaf until ..."),
so the turn is written for each adjective, and every track's ending follows from every turn. A
candidate tells one track from start to end, so its scenes always follow one another.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..config import CONFIG_DIR, load_config
from ..errors import ConfigError
from ..options import load_options
from ..records import Record

ROLE_SLOTS = ("hero", "place", "place2", "friend", "friend2", "stranger", "thing", "build", "contest",
              "party", "treat", "home")
# "an" before these vowel letters is wrong: they start with a "yoo" sound
_YOO = ("uni", "use", "usu", "eu", "one")
_SLOT = re.compile(r"\{(\w+)\}")
_SMALL = {"a", "an", "the", "and", "or", "of", "on", "in", "at", "to", "for", "by", "with",
          "under", "near", "among", "beside", "down", "up", "from", "into"}


@dataclass(frozen=True)
class Adjective(Record):
    habit: str       # what the hero is like, after "The hero ..."
    worry: str       # how the hero meets the problem (a sentence)
    trait_turn: str  # how the trait helps at the turn (a sentence)
    trait_end: str   # how the ending shows it (a sentence)


@dataclass(frozen=True)
class ThemeBank(Record):
    friends: tuple[str, ...]
    little: tuple[str, ...]  # small friends: a nest's finder, a lost thing's borrower
    strangers: tuple[str, ...]  # visitors from other places, for "a new friend who is different"
    things: tuple[str, ...]
    hides: tuple[str, ...]
    builds: tuple[str, ...]
    contests: tuple[str, ...]
    parties: tuple[str, ...]
    treats: tuple[str, ...]
    storms: tuple[str, ...]
    calms: tuple[str, ...]
    clues: tuple[str, ...]  # a trail someone made (footprints): the mystery's creature, a journey's friend
    trails: tuple[str, ...]  # a trail a lost thing leaves by itself as it rolls or slides away
    stuck: tuple[str, ...]
    home: str
    at: dict[str, str]  # place -> how to say "at" it ("on the moon", "by the pond")


@dataclass(frozen=True)
class SceneSpec(Record):
    roles: tuple[str, ...]  # the plan's keywords for this scene, in this order
    variants: tuple[tuple[str, ...], ...] = ()  # one per track, each a list of sentence patterns
    # adjective -> its own variants (any of which may follow any track); used instead of
    # `variants` when the hero's adjective is here
    by_adjective: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class PlotSpec(Record):
    name: str
    titles: tuple[str, ...]
    beats: tuple[str, ...]
    scenes: tuple[SceneSpec, ...]  # problem, attempt, turn, ending


@dataclass(frozen=True)
class _Grammar(Record):
    pronouns: dict[str, str]
    looks: dict[str, str]
    adjectives: dict[str, Adjective]
    themes: dict[str, ThemeBank]
    setup: SceneSpec


@dataclass(frozen=True)
class BaselinesFile(_Grammar):
    """configs/baselines.yaml: everything but the plots, which it names in order."""
    plots: tuple[str, ...]


@dataclass(frozen=True)
class Baselines(_Grammar):
    """The whole grammar: baselines.yaml with its plots read from configs/plots/."""
    plots: dict[str, PlotSpec]


PRONOUNS = {"she": ("she", "her", "her"), "he": ("he", "him", "his")}


def _check(b: Baselines, where: str) -> Baselines:
    """Every curated pick has its words, and every variant says every keyword of its scene:
    a gap here would otherwise show up as a KeyError in the middle of someone's book."""
    opts = load_options()
    problems = []
    for theme, spec in opts.themes.items():
        bank = b.themes.get(theme)
        if bank is None:
            problems.append(f"theme {theme!r} has no word bank")
            continue
        if set(bank.at) != set(spec.places):
            problems.append(f"themes.{theme}.at must name exactly the places {sorted(spec.places)}")
        problems += [f"themes.{theme}.at.{p}: {at!r} must name the place" for p, at in bank.at.items()
                     if p not in at]
        problems += [f"looks: no look for hero {h!r}" for h in spec.heroes if h not in b.looks]
    problems += [f"adjectives: no entry for {a!r}" for a in opts.adjectives if a not in b.adjectives]
    problems += [f"pronouns.{h}: use she or he" for h, p in b.pronouns.items() if p not in PRONOUNS]
    specs = [("setup", b.setup)] if len(b.setup.variants) else []
    for name, plot in b.plots.items():
        if len(plot.scenes) != 4 or len(plot.beats) != 5 or not plot.titles:
            problems.append(f"plots.{name}: needs 4 scenes, 5 beats and a title")
        specs += [(f"plots.{name}.scenes[{i}]", s) for i, s in enumerate(plot.scenes)]
    for name, plot in b.plots.items():
        counts = {len(s.variants) for s in plot.scenes if s.variants}
        if len(counts) > 1:
            problems.append(f"plots.{name}: every scene with variants needs the same number (one per"
                            f" track), not {sorted(counts)}")
    for label, scene in specs:
        bad = [r for r in scene.roles if r not in ROLE_SLOTS]
        if bad:
            problems.append(f"{label}: roles {bad} are not keyword slots {list(ROLE_SLOTS)}")
        if not scene.variants and not scene.by_adjective:
            problems.append(f"{label}: needs variants or by_adjective")
        if scene.by_adjective:
            gaps = [a for a in opts.adjectives if not scene.by_adjective.get(a)]
            problems += [f"{label}.by_adjective: no variant for {gaps}"] if gaps else []
            problems += [f"{label}.by_adjective.{a}: not a curated adjective" for a in scene.by_adjective
                         if a not in opts.adjectives]
        patterned = [(f"variants[{j}]", v) for j, v in enumerate(scene.variants)]
        patterned += [(f"by_adjective.{a}[{j}]", v) for a, vs in scene.by_adjective.items()
                      for j, v in enumerate(vs)]
        for at, variant in patterned:
            used = {m.removeprefix("at_") for s in variant for m in _SLOT.findall(s.lower())}
            missing = [r for r in scene.roles if r not in used]
            if missing:
                problems.append(f"{label}.{at} never says {missing}")
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))
    return b


def plot_path(name: str):
    return CONFIG_DIR / "plots" / f"{name.replace(' ', '-')}.yaml"


@lru_cache(maxsize=None)
def load_baselines() -> Baselines:
    path = CONFIG_DIR / "baselines.yaml"
    head = load_config(path, BaselinesFile)
    plots = {}
    for name in head.plots:
        if not plot_path(name).exists():
            raise ConfigError(f"{path}: plot {name!r} has no file {plot_path(name)}")
        plot = load_config(plot_path(name), PlotSpec)
        if plot.name != name:
            raise ConfigError(f"{plot_path(name)}: name is {plot.name!r}, expected {name!r}")
        plots[name] = plot
    b = Baselines(pronouns=head.pronouns, looks=head.looks, adjectives=head.adjectives,
                  themes=head.themes, setup=head.setup, plots=plots)
    return _check(b, f"{path} (+ {CONFIG_DIR / 'plots'})")


def tracks(plot: PlotSpec) -> int:
    """How many tracks a plot has (every scene with variants has one per track)."""
    return max((len(s.variants) for s in plot.scenes), default=1) or 1


def tell(plot: PlotSpec, adjective: str, track: int, turn: int) -> list[tuple[str, ...]]:
    """The sentence patterns of a plot's four scenes: the track's, or the adjective's own."""
    out = []
    for spec in plot.scenes:
        own = spec.by_adjective.get(adjective)
        out.append(own[turn % len(own)] if own else spec.variants[track % len(spec.variants)])
    return out


def pick(rng: random.Random, words: tuple[str, ...], avoid: tuple[str, ...] = ()) -> str:
    return rng.choice([w for w in words if w not in avoid] or list(words))


def fix_articles(text: str) -> str:
    """"a owl" -> "an owl", "an unicorn" -> "a unicorn": patterns are written with "a" and the
    words that fill them may start with any letter."""
    def one(m: re.Match) -> str:
        article, word = m.group(1), m.group(2)
        low = word.lower()
        vowel = low[0] in "aeiou" and not low.startswith(_YOO)
        fixed = ("an" if vowel else "a")
        return (fixed.capitalize() if article[0].isupper() else fixed) + " " + word
    return re.sub(r"\b([Aa]n?) ([A-Za-z][\w-]*)", one, text)


def title_case(text: str) -> str:
    """"the silly mermaid and the teal watering can" -> "The Silly Mermaid and the Teal Watering
    Can": every word capitalised but the small ones, which stay small unless they come first."""
    words = fix_articles(text).split()  # "a igloo" -> "an igloo" before the capitals
    return " ".join(w.lower() if i and w.lower() in _SMALL else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def fill(pattern: str, slots: dict[str, str]) -> str:
    """Fill {slot} and {Slot} (capitalised) from slots; values may hold slots themselves."""
    def one(m: re.Match) -> str:
        key = m.group(1)
        value = slots.get(key) if key in slots else slots[key[0].lower() + key[1:]]
        if "{" in value:
            value = fill(value, slots)
        return value if key in slots else value[:1].upper() + value[1:]
    return _SLOT.sub(one, pattern)


def draw(prompt, seed: int) -> tuple[str, dict[str, str]]:
    """The plot kind and every slot value of a template story for these picks and this seed.
    The planner and the writer both draw them, so a plan's beats and the text agree."""
    b = load_baselines()
    bank = b.themes[prompt.theme]
    rng = random.Random(f"plan:{seed}")
    plot = rng.choice(tuple(b.plots))
    places = tuple(bank.at)
    place = rng.choice(places)
    friend = pick(rng, bank.friends, (prompt.hero,))
    hero_p = PRONOUNS[b.pronouns.get(prompt.hero) or rng.choice(("she", "he"))]
    friend_p = PRONOUNS[b.pronouns.get(friend) or rng.choice(("she", "he"))]
    adj = b.adjectives[prompt.adjective]
    slots = {
        "hero": prompt.hero, "adj": prompt.adjective, "color": prompt.color,
        "place": place, "place2": pick(rng, places, (place,)),
        "friend": friend, "friend2": pick(rng, bank.little, (prompt.hero, friend)),
        "stranger": pick(rng, bank.strangers, (prompt.hero,)),
        "thing": rng.choice(bank.things), "build": rng.choice(bank.builds),
        "contest": rng.choice(bank.contests), "party": rng.choice(bank.parties),
        "treat": rng.choice(bank.treats), "storm": rng.choice(bank.storms),
        "calm": rng.choice(bank.calms), "clue": rng.choice(bank.clues),
        "stuck": rng.choice(bank.stuck), "hide": rng.choice(bank.hides), "home": bank.home,
        "look": b.looks[prompt.hero],
        "pron": hero_p[0], "obj": hero_p[1], "poss": hero_p[2],
        "fpron": friend_p[0], "fobj": friend_p[1], "fposs": friend_p[2],
        "habit": adj.habit, "worry": adj.worry, "trait_turn": adj.trait_turn, "trait_end": adj.trait_end,
    }
    # drawn last, so that adding it kept every earlier draw (and book) of a seed as it was
    stranger_p = PRONOUNS[b.pronouns.get(slots["stranger"]) or rng.choice(("she", "he"))]
    slots.update(spron=stranger_p[0], sobj=stranger_p[1], sposs=stranger_p[2])
    slots["trail"] = rng.choice(bank.trails)  # drawn after the stranger for the same reason
    return plot, with_places(slots, bank)


def with_places(slots: dict[str, str], bank: ThemeBank) -> dict[str, str]:
    """Add the "at" phrases of the place slots (a hand-edited place keeps a plain "at the")."""
    return {**slots, "at_place": bank.at.get(slots["place"], f"at the {slots['place']}"),
            "at_place2": bank.at.get(slots["place2"], f"at the {slots['place2']}")}
