"""The curated choices. Only a Prompt built here, from configs/options.yaml, ever reaches a model."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .config import CONFIG_DIR, load_config
from .errors import OptionError
from .records import Prompt, Record


@dataclass(frozen=True)
class ThemeOptions(Record):
    label: str
    heroes: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True)
class Options(Record):
    themes: dict[str, ThemeOptions]
    colors: dict[str, str]  # name -> "#RRGGBB"
    adjectives: tuple[str, ...]

    def prompt(self, theme: str, hero: str, color: str, adjective: str, seed: int = 0,
               profile: str = "default") -> Prompt:
        """Validate four picks; every refusal names the valid choices."""
        from .safety import check_pick  # names look-alike letters and over-long input first

        theme, hero, color, adjective = (
            _norm(check_pick(n, v)) for n, v in
            (("theme", theme), ("hero", hero), ("color", color), ("adjective", adjective)))
        if theme not in self.themes:
            raise OptionError(f"Unknown theme {theme!r}; choose one of: {', '.join(self.themes)}")
        heroes = self.themes[theme].heroes
        if hero not in heroes:
            raise OptionError(
                f"Unknown hero {hero!r} for theme {theme!r}; choose one of: {', '.join(heroes)}"
            )
        if color not in self.colors:
            raise OptionError(f"Unknown color {color!r}; choose one of: {', '.join(self.colors)}")
        if adjective not in self.adjectives:
            raise OptionError(
                f"Unknown adjective {adjective!r}; choose one of: {', '.join(self.adjectives)}"
            )
        return Prompt(theme=theme, hero=hero, color=color, adjective=adjective, seed=seed,
                      profile=profile)

    def check(self, prompt: Prompt) -> Prompt:
        """Re-validate a prompt read from disk: a hand-edited prompt.json gets no free text in."""
        return self.prompt(prompt.theme, prompt.hero, prompt.color, prompt.adjective,
                           prompt.seed, prompt.profile)

    def hex(self, color: str) -> str:
        return self.colors[color]


def _norm(value: str) -> str:
    # Case and surrounding space are forgiven; anything else that is not an exact choice is refused.
    return " ".join(str(value).strip().lower().split())


@lru_cache(maxsize=None)
def load_options(path: str | None = None) -> Options:
    opts = load_config(path or CONFIG_DIR / "options.yaml", Options)
    for name, hexcode in opts.colors.items():
        if not (len(hexcode) == 7 and hexcode.startswith("#")):
            from .errors import ConfigError

            raise ConfigError(f"options.yaml: color {name!r} needs a #RRGGBB hex, got {hexcode!r}")
    return opts
