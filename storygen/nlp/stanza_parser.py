"""The stanza parser: text -> Parse, its UD labels converted to spaCy's ClearNLP scheme.

A real adapter, used when English stanza models exist locally; named "stanza" in
storygen.backends.PARSERS (the scene reader on top is parsed_reader.ParsedNLP). No stanza model
is reachable offline here, so the pipeline is only built when models are found under
STANZA_RESOURCES_DIR (or stanza's default folder); otherwise a BackendError says how to get
them. `document_to_parse` converts a stanza Document (UD labels, case-marked obliques) into a
Parse in spaCy's ClearNLP scheme (preposition heads its noun: prep -> pobj; copula heads the
predicate), so that coref.py and relations.py need one set of rules. Tested on hand-built
Documents (stanza's list-of-sentence-dicts form).
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..errors import BackendError
from .parse import Parse, Span, Token

INSTALL = "pip install torch==2.13.0 stanza==1.15.0  (the CPU torch wheel)"
PROCESSORS = "tokenize,mwt,pos,lemma,depparse,ner"

# UD label -> ClearNLP label (structure changes for case/cop are done separately)
_LABELS = {
    "root": "ROOT", "obj": "dobj", "iobj": "dative", "nsubj:pass": "nsubjpass",
    "aux:pass": "auxpass", "nmod:poss": "poss", "det:poss": "poss", "acl:relcl": "relcl",
    "compound:prt": "prt", "obl:tmod": "npadvmod", "obl:npmod": "npadvmod", "nmod:tmod": "npadvmod",
    "nmod:npmod": "npadvmod", "csubj": "csubj", "flat": "compound", "flat:name": "compound",
    "compound": "compound", "nummod": "nummod", "expl": "expl", "cop": "cop",
}
_NEG_WORDS = {"not", "n't", "never", "no"}
_MOVE_TO_COPULA = {"nsubj", "nsubj:pass", "expl", "aux", "aux:pass", "punct", "mark", "advmod"}


def resources_dir() -> Path:
    env = os.environ.get("STANZA_RESOURCES_DIR")
    if env:
        return Path(env)
    try:
        from stanza.resources.common import DEFAULT_MODEL_DIR
    except ImportError:
        raise BackendError(f"The stanza NLP backend needs stanza; install it with: {INSTALL}") from None
    return Path(DEFAULT_MODEL_DIR)


def _has_english(root: Path) -> bool:
    return (root / "resources.json").is_file() and (root / "en").is_dir()


class StanzaParser:
    name = "stanza"

    def __init__(self, lang: str = "en", model_dir: str | Path | None = None) -> None:
        self.lang = lang
        self.model_dir = Path(model_dir) if model_dir else None
        self._pipeline = None

    def pipeline(self):
        if self._pipeline is None:
            try:
                import stanza
            except ImportError:
                raise BackendError(f"The stanza NLP backend needs stanza; install it with: {INSTALL}"
                                   ) from None
            root = self.model_dir or resources_dir()
            if not _has_english(root):
                raise BackendError(
                    f"No English stanza models under {root}. On a machine with internet run "
                    f"python -c \"import stanza; stanza.download('en', model_dir='{root}')\" and "
                    "copy that folder here, or set STANZA_RESOURCES_DIR to a folder that has them; "
                    "or use the default backend: --nlp spacy")
            try:
                self._pipeline = stanza.Pipeline(self.lang, dir=str(root), processors=PROCESSORS,
                                                 download_method=None, use_gpu=False,
                                                 logging_level="WARN")
            except Exception as exc:  # stanza raises several types for incomplete model folders
                raise BackendError(f"Could not load the stanza models under {root} ({exc}); "
                                   "download them again with stanza.download('en')") from None
        return self._pipeline

    def parse(self, text: str) -> Parse:
        return document_to_parse(self.pipeline()(text), text)


def document_to_parse(doc, text: str | None = None) -> Parse:
    """stanza Document (UD) -> Parse (ClearNLP-style labels and heads)."""
    text = doc.text if text is None else text
    tokens: list[Token] = []
    sentences: list[Span] = []
    for sent in doc.sentences:
        base = len(tokens)
        for w in sent.words:
            start = w.start_char if w.start_char is not None else w.parent.start_char
            head = base + w.head - 1 if w.head else base + w.id - 1
            tokens.append(Token(i=base + w.id - 1, text=w.text, lemma=(w.lemma or w.text).lower()
                                if w.upos != "PROPN" else (w.lemma or w.text), pos=w.upos or "X",
                                tag=w.xpos or "", dep=w.deprel or "dep", head=head, idx=start or 0,
                                morph=w.feats or ""))
        sentences.append(Span(base, len(tokens)))
    tokens = ud_to_clear(tokens)
    entities = []
    for ent in getattr(doc, "ents", []):
        inside = [t.i for t in tokens if ent.start_char <= t.idx < ent.end_char]
        if inside:
            entities.append(Span(inside[0], inside[-1] + 1, ent.type))
    return Parse(text=text, tokens=tuple(tokens), sentences=tuple(sentences),
                 noun_chunks=tuple(noun_chunks(tokens)), entities=tuple(entities), backend="stanza")


def ud_to_clear(tokens: list[Token]) -> list[Token]:
    """Restructure UD into the ClearNLP shape spaCy's English models produce."""
    t = list(tokens)

    def kids(i: int) -> list[int]:
        return [k.i for k in t if k.head == i and k.i != i]

    # 1. copula heads the clause: "The shell was not under the rock" -> was ROOT, shell nsubj
    for cop in [k.i for k in t if k.dep == "cop"]:
        pred = t[cop].head
        p = t[pred]
        is_root = p.head == p.i
        t[cop] = replace(t[cop], head=cop if is_root else p.head, dep=p.dep)
        for k in kids(pred):
            if k != cop and t[k].dep in _MOVE_TO_COPULA:
                t[k] = replace(t[k], head=cop)
        has_case = any(t[k].dep == "case" and t[k].pos == "ADP" for k in kids(pred))
        dep = "obl" if has_case else ("acomp" if p.pos == "ADJ" else "attr")
        t[pred] = replace(p, head=cop, dep=dep)
    # 2. the preposition heads its noun: obl/nmod N <-case- P  becomes  P -prep-> N(pobj);
    #    a fixed multiword case becomes spaCy's chain: in -> front(pobj) -> of(prep) -> N(pobj)
    for n in range(len(t)):
        noun = t[n]
        if noun.dep not in ("obl", "obl:agent", "nmod", "obl:arg", "nmod:arg"):
            continue
        cases = sorted(k for k in kids(n) if t[k].dep == "case" and t[k].pos != "PART")
        if not cases:
            continue
        p = cases[0]
        chain = [p] + sorted(k for k in kids(p) if t[k].dep == "fixed") + cases[1:]
        first = "agent" if noun.dep == "obl:agent" else "prep" if t[p].pos == "ADP" else "advmod"
        t[p] = replace(t[p], head=noun.head, dep=first)
        for a, b in zip(chain, chain[1:]):
            part = t[b].pos == "NOUN" or t[b].text.lower() in ("front", "top", "left", "right")
            t[b] = replace(t[b], head=a, dep="pobj" if part else "prep")
        t[n] = replace(noun, head=chain[-1], dep="pobj")
    # 3. plain relabelling
    for n, tok in enumerate(t):
        dep = _LABELS.get(tok.dep, tok.dep)
        if tok.dep == "advmod" and tok.text.lower() in _NEG_WORDS:
            dep = "neg"
        elif tok.dep in ("obl", "nmod"):
            dep = "npadvmod"  # an oblique without a preposition ("went home")
        if tok.head == tok.i:
            dep = "ROOT"
        t[n] = replace(tok, dep=dep)
    return t


_NOMINAL = {"NOUN", "PROPN", "PRON"}
_CHUNK_MODS = {"det", "amod", "compound", "poss", "nummod"}


def noun_chunks(tokens: list[Token]) -> list[Span]:
    """Base noun phrases: a nominal plus its det/amod/compound/poss/nummod children on the left."""
    out = []
    for tok in tokens:
        if tok.pos not in _NOMINAL or tok.dep == "compound":
            continue
        start = tok.i
        for k in range(tok.i - 1, -1, -1):  # extend left over modifiers that hang inside the chunk
            if tokens[k].dep in _CHUNK_MODS and start <= tokens[k].head <= tok.i:
                start = k
            else:
                break
        out.append(Span(start, tok.i + 1))
    return out
