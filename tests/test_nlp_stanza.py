"""The stanza adapter, on stanza Documents built by hand (no stanza model is reachable offline)."""
import pytest

from storygen.errors import BackendError
from storygen.nlp.parsed_reader import ParsedNLP
from storygen.nlp.relations import extract_relations
from storygen.nlp.stanza_parser import StanzaParser, document_to_parse, noun_chunks
from storygen.records import Prompt, Relation

stanza_doc = pytest.importorskip("stanza.models.common.doc")


def _doc(text, rows):
    """rows: (text, lemma, upos, xpos, head, deprel) in UD, one sentence; offsets computed."""
    words, pos = [], 0
    for n, (w, lemma, upos, xpos, head, rel) in enumerate(rows, 1):
        start = text.index(w, pos)
        pos = start + len(w)
        words.append({"id": n, "text": w, "lemma": lemma, "upos": upos, "xpos": xpos,
                      "head": head, "deprel": rel, "start_char": start, "end_char": pos})
    return stanza_doc.Document([words], text=text)


NEGATED = ("The shell was not under the rock.", [
    ("The", "the", "DET", "DT", 2, "det"), ("shell", "shell", "NOUN", "NN", 7, "nsubj"),
    ("was", "be", "AUX", "VBD", 7, "cop"), ("not", "not", "PART", "RB", 7, "advmod"),
    ("under", "under", "ADP", "IN", 7, "case"), ("the", "the", "DET", "DT", 7, "det"),
    ("rock", "rock", "NOUN", "NN", 0, "root"), (".", ".", "PUNCT", ".", 7, "punct")])
FRONT = ("The mermaid hid in front of the ship.", [
    ("The", "the", "DET", "DT", 2, "det"), ("mermaid", "mermaid", "NOUN", "NN", 3, "nsubj"),
    ("hid", "hide", "VERB", "VBD", 0, "root"), ("in", "in", "ADP", "IN", 8, "case"),
    ("front", "front", "NOUN", "NN", 4, "fixed"), ("of", "of", "ADP", "IN", 4, "fixed"),
    ("the", "the", "DET", "DT", 8, "det"), ("ship", "ship", "NOUN", "NN", 3, "obl"),
    (".", ".", "PUNCT", ".", 3, "punct")])
NEXT_TO = ("The fox put the cake next to the igloo.", [
    ("The", "the", "DET", "DT", 2, "det"), ("fox", "fox", "NOUN", "NN", 3, "nsubj"),
    ("put", "put", "VERB", "VBD", 0, "root"), ("the", "the", "DET", "DT", 5, "det"),
    ("cake", "cake", "NOUN", "NN", 3, "obj"), ("next", "next", "ADV", "RB", 9, "case"),
    ("to", "to", "ADP", "IN", 6, "fixed"), ("the", "the", "DET", "DT", 9, "det"),
    ("igloo", "igloo", "NOUN", "NN", 3, "obl"), (".", ".", "PUNCT", ".", 3, "punct")])


def _deps(parse):
    return [(t.text, t.dep, parse.tokens[t.head].text) for t in parse.tokens]


def test_copula_and_case_become_clearnlp_shape():
    p = document_to_parse(_doc(*NEGATED))
    assert p.backend == "stanza" and p.text == NEGATED[0]
    assert _deps(p) == [("The", "det", "shell"), ("shell", "nsubj", "was"), ("was", "ROOT", "was"),
                        ("not", "neg", "was"), ("under", "prep", "was"), ("the", "det", "rock"),
                        ("rock", "pobj", "under"), (".", "punct", "was")]
    assert [t.idx for t in p.tokens] == [0, 4, 10, 14, 18, 24, 28, 32]


def test_fixed_multiword_prepositions_become_chains():
    p = document_to_parse(_doc(*FRONT))
    assert _deps(p)[3:8] == [("in", "prep", "hid"), ("front", "pobj", "in"), ("of", "prep", "front"),
                             ("the", "det", "ship"), ("ship", "pobj", "of")]
    q = document_to_parse(_doc(*NEXT_TO))
    assert ("next", "advmod", "put") in _deps(q) and ("igloo", "pobj", "to") in _deps(q)
    assert ("cake", "dobj", "put") in _deps(q)


def test_relations_from_stanza_parses():
    p = document_to_parse(_doc(*NEGATED))
    assert extract_relations(p, {1: ("shell",), 6: ("rock",)}) == [
        Relation(subject="shell", predicate="below", object="rock", negated=True)]
    q = document_to_parse(_doc(*NEXT_TO))
    assert extract_relations(q, {1: ("fox",), 4: ("cake",), 8: ("igloo",)}) == [
        Relation(subject="cake", predicate="near", object="igloo")]


def test_full_graph_from_a_stanza_parse():
    nlp = ParsedNLP(parser="stanza")
    prompt = Prompt(theme="underwater", hero="mermaid", color="teal", adjective="silly")
    coref = nlp.new_context(prompt)
    graph = nlp.graph(coref.add_scene(document_to_parse(_doc(*FRONT))), coref, 2, prompt)
    assert [(e.id, e.hero, e.object_id) for e in graph.entities] == [
        ("mermaid", True, "mermaid"), ("ship", False, "boat")]
    assert graph.relations == (Relation(subject="mermaid", predicate="in_front_of", object="ship"),)
    assert graph.backend == "stanza" and graph.index == 2


def test_noun_chunks_cover_left_modifiers():
    p = document_to_parse(_doc(*FRONT))
    assert [(c.start, c.end) for c in p.noun_chunks] == [(0, 2), (4, 5), (6, 8)]
    assert noun_chunks(list(p.tokens)) == list(p.noun_chunks)


def test_missing_models_say_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path))
    with pytest.raises(BackendError, match="No English stanza models under .*stanza.download"):
        StanzaParser().parse("The mermaid hid.")
