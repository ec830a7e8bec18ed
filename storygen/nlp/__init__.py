"""Scene NLP: story text -> one SceneGraph per scene (entities, relations, actions, cues).

The stage's public entry is `build_graphs` (and `build_graph` for one scene); the scene reader
is chosen by name in storygen.backends.NLP_BACKENDS: "basic" (basic.py, the dependency-free
baseline) or "spacy"/"stanza" (parsed_reader.py). The layers, bottom up: parse.py (the Parse
record and parse_text; parsers found by name in storygen.backends.PARSERS), the parsers
(spacy_parser.py, stanza_parser.py), the rules that read a parse (mentions.py, coref.py,
relations.py, actions.py, holding.py, rewrite.py; word lists in lexicon.py and people.py), the
scene readers (parsed_reader.py, basic.py), and on top the gold-set scores (evaluate.py,
evaluate_blind.py; the command is storygen/cli/evaluate_scenes.py). Nothing here is imported
for a side effect.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..backends import NLP_BACKENDS
from ..records import Prompt, SceneGraph


def build_graph(text: str, index: int, prompt: Prompt, backend: str = "basic") -> SceneGraph:
    """Scene graph for one scene's text (index = scene number, 1-based like scenes/NN/)."""
    return NLP_BACKENDS.create(backend).build_graph(text, index, prompt)


def build_graphs(scenes: Sequence[str], prompt: Prompt, backend: str = "basic"
                 ) -> list[SceneGraph]:
    """Graphs for a whole story's scenes (numbered from 1), read by the named nlp backend;
    backends with story context (coreference) carry it across scenes."""
    nlp = NLP_BACKENDS.create(backend)
    if hasattr(nlp, "build_graphs"):
        return list(nlp.build_graphs(scenes, prompt))
    return [nlp.build_graph(text, i, prompt) for i, text in enumerate(scenes, 1)]
