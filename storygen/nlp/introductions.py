"""Names a story gives in speech: '"My name is Ivy," the girl said' names the girl Ivy, so the
picture shows one girl, not a girl and an Ivy (coref.py asks this for every proper noun)."""
from __future__ import annotations

from .coref_state import EntityState, MentionRec
from .parse import Parse, Token


def introduced(p: Parse, t: Token, names: dict[str, str], mentions: list[MentionRec],
               entities: dict[str, EntityState]) -> EntityState | None:
    """The one who says "My name is Ivy": the last unnamed someone the story mentioned (not the
    hero, who has a name or is the one listening), when the name is new."""
    head = p.tokens[t.head]
    if t.pos != "PROPN" or t.dep != "attr" or head.lemma != "be" or t.text in names or not any(
            c.dep == "nsubj" and c.lemma == "name" and any(g.lower == "my" for g in p.children(c.i))
            for c in p.children(head.i)):
        return None
    for m in reversed(mentions):
        e = entities[m.key[0]] if len(m.key) == 1 else None
        if e is not None and e.animate and not e.hero and not e.names:
            return e
    return None
