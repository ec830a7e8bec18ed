"""Scene NLP: story text -> SceneGraph (entities, relations, cues). Backends register by name.

A backend is a factory returning an object with
`build_graph(text: str, index: int, prompt: Prompt) -> SceneGraph`.
"basic" (storygen/nlp/basic.py) is the dependency-free baseline; parser backends come later.
"""
from __future__ import annotations

from ..backends import NLP_BACKENDS
from ..records import Prompt, SceneGraph


def build_graph(text: str, index: int, prompt: Prompt, backend: str = "basic") -> SceneGraph:
    """Scene graph for one scene's text (index = scene number, 1-based like scenes/NN/)."""
    return NLP_BACKENDS.create(backend).build_graph(text, index, prompt)


def build_graphs(scenes: tuple[str, ...] | list[str], prompt: Prompt, backend: str = "basic"
                 ) -> list[SceneGraph]:
    """Graphs for a whole story; backends with story context (coreference) carry it across scenes."""
    nlp = NLP_BACKENDS.create(backend)
    if hasattr(nlp, "build_graphs"):
        return list(nlp.build_graphs(scenes, prompt))
    return [nlp.build_graph(text, i, prompt) for i, text in enumerate(scenes, 1)]

