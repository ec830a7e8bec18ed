"""What coreference keeps about a story (coref.py): each entity's state, each mention, each
scene's links, and the English pronouns by number and gender."""
from __future__ import annotations

from dataclasses import dataclass, field

from .parse import Parse

PRONOUNS = {  # word -> (plural, gender); gender None = any
    "he": (False, "m"), "him": (False, "m"), "his": (False, "m"), "himself": (False, "m"),
    "she": (False, "f"), "her": (False, "f"), "hers": (False, "f"), "herself": (False, "f"),
    "it": (False, "n"), "its": (False, "n"), "itself": (False, "n"),
    "they": (True, None), "them": (True, None), "their": (True, None), "theirs": (True, None),
    "themselves": (True, None),
}
REFLEXIVE = {"himself", "herself", "itself", "themselves"}
POSSESSIVE = {"his", "its", "their", "hers", "theirs"}

@dataclass
class EntityState:
    id: str
    lemma: str
    hero: bool = False
    gender: str | None = None  # "m", "f", "n" (told by an it) or None
    animate: bool = False
    plural: bool | None = False  # None: "the sheep" could be either
    names: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    abstract: bool = False  # "idea": a possible antecedent, never a drawn entity
    kin_of: str = ""  # "its mother", "Lily's brother": whose (entity id), to draw the same kind
    surface: str = ""  # head word as written, for rewriting ("robots")
    mention: str = ""  # the fullest noun phrase seen ("the silly teal mermaid")
    told: bool = False  # the story has called it "he" or "she" (not only the word: "the hen")
    called_it: bool = False  # the story has called it "it" ("Sophie's cat ... It"): a worse "she"


@dataclass(frozen=True)
class MentionRec:
    sent: int  # story-wide sentence number
    token: int
    role: str
    key: tuple[str, ...]  # entity ids (several for a group)
    pronoun: str = ""  # the pronoun that made the mention, if one did
    verb: str = ""  # the lemma of the verb it is subject or object of ("hid a nut" -> hide)


@dataclass
class SceneCoref:
    parse: Parse
    links: dict[int, tuple[str, ...]]  # token -> entity ids (nominal heads and pronouns)
    pronouns: dict[int, tuple[str, ...]]  # pronoun token -> entity ids; () = none (pleonastic)
