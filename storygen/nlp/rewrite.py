"""Resolved text: a scene's text with each pronoun that names a drawn entity replaced by its noun
phrase ("her tail" -> "the mermaid's tail"), read from coref's decisions (SceneGraph.resolved_text).
"""
from __future__ import annotations

from .coref import POSSESSIVE, REFLEXIVE, SceneCoref, StoryCoref


def noun_phrase(coref: StoryCoref, key: tuple[str, ...], possessive: bool = False) -> str:
    """'the mermaid', 'the robots', 'the mermaid and the crab' (+ 's / ' when possessive)."""
    parts = []
    for eid in key:
        e = coref.entities[eid]
        word = e.lemma if e.hero or not e.surface else e.surface
        parts.append(word if word[:1].isupper() else f"the {word}")
    np = " and ".join(parts)
    if possessive:
        np += "'" if np.endswith("s") and len(key) == 1 and coref.entities[key[0]].plural else "'s"
    return np


def rewrite(scene: SceneCoref, coref: StoryCoref, drawable: set[str]) -> str:
    """Scene text with each pronoun that names a drawable entity replaced by its noun phrase
    ("her tail" -> "the mermaid's tail"); pleonastic and unresolved pronouns stay."""
    p = scene.parse
    out, pos = [], 0
    for i in sorted(scene.pronouns):
        key = scene.pronouns[i]
        t = p.tokens[i]
        word = t.text.lower()
        if not key or not any(e in drawable for e in key) or word in REFLEXIVE:
            continue  # "took it up the peak herself": the referent is already in the clause
        possessive = word in POSSESSIVE or t.tag == "PRP$"
        np = noun_phrase(coref, key, possessive)
        if t.text[:1].isupper():
            np = np[0].upper() + np[1:]
        out.append(p.text[pos:t.idx])
        out.append(np)
        pos = t.idx + len(t.text)
    out.append(p.text[pos:])
    return "".join(out)
