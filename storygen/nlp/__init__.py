"""Scene NLP: story text -> SceneGraph (entities, relations, cues). Backends register by name.

A backend is a factory returning an object with
`build_graph(text: str, index: int, prompt: Prompt) -> SceneGraph`.
"basic" (storygen/nlp/basic.py) is the dependency-free baseline; parser backends come later.
"""
from __future__ import annotations

from ..records import Prompt, SceneGraph
from ..registry import Registry

NLP_BACKENDS: Registry = Registry("nlp")


def build_graph(text: str, index: int, prompt: Prompt, backend: str = "basic") -> SceneGraph:
    """Scene graph for one scene's text (index = scene number, 1-based like scenes/NN/)."""
    return NLP_BACKENDS.create(backend).build_graph(text, index, prompt)


from . import basic  # noqa: E402,F401  (registers "basic"; must follow NLP_BACKENDS)
