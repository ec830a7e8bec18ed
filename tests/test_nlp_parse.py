"""Parse records, hero-phrase protection and the spaCy adapter."""
import pytest

from storygen.errors import BackendError
from storygen.nlp.parse import (Edit, Parse, Span, Token, get_parser, normalize, option_vocab,
                                parse_text, protect, restore)

PITFALL = "The silly teal mermaid hid under the old boat."


def _tok(i, text, lemma, pos, tag, dep, head, idx, morph=""):
    return Token(i=i, text=text, lemma=lemma, pos=pos, tag=tag, dep=dep, head=head, idx=idx,
                 morph=morph)


def test_protect_drops_option_modifiers_before_a_hero():
    simple, edits = protect(PITFALL, option_vocab())
    assert simple == "The mermaid hid under the old boat."
    assert edits == (Edit(4, 15, "", (("silly", 4), ("teal", 10))),)


def test_protect_keeps_other_adjectives_and_non_heroes():
    text = "The old teal boat sat near a brave and kind polar bear."
    simple, edits = protect(text, option_vocab())
    assert simple == "The old teal boat sat near a polar bear."  # boat is no hero; "old" no option
    assert [w for e in edits for w, _ in e.words] == ["brave", "kind"]


def test_protect_swaps_mistagged_verbs_but_not_the_bird():
    simple, edits = protect("A white dove sat on the roof. The whale dove and swam.", option_vocab())
    assert simple == "A white dove sat on the roof. The whale dived and moved."
    assert [(e.replacement, e.lemma) for e in edits] == [("dived", "dive"), ("moved", "swim")]


def test_restore_maps_a_hand_made_parse_back():
    # parse of "The mermaid swims." as a backend would give it for the protected text
    simple = Parse(text="The mermaid moved.", tokens=(
        _tok(0, "The", "the", "DET", "DT", "det", 1, 0),
        _tok(1, "mermaid", "mermaid", "NOUN", "NN", "nsubj", 2, 4),
        _tok(2, "moved", "move", "VERB", "VBD", "ROOT", 2, 12),
        _tok(3, ".", ".", "PUNCT", ".", "punct", 2, 17)),
        sentences=(Span(0, 4),), noun_chunks=(Span(0, 2),), entities=(), backend="hand")
    text = "The silly teal mermaid swam."
    _, edits = protect(text, option_vocab())
    back = restore(simple, text, edits)
    assert [t.text for t in back.tokens] == ["The", "silly", "teal", "mermaid", "swam", "."]
    assert [text[t.idx:t.idx + len(t.text)] for t in back.tokens] == [t.text for t in back.tokens]
    assert [(t.dep, t.head) for t in back.tokens] == [
        ("det", 3), ("amod", 3), ("amod", 3), ("nsubj", 4), ("ROOT", 4), ("punct", 4)]
    assert back.tokens[4].lemma == "swim" and back.tokens[4].pos == "VERB"
    assert back.sentences == (Span(0, 6),) and back.noun_chunks == (Span(0, 4),)


def test_normalize_undoes_context_free_slips():
    p = Parse(text="the ladybug hedgehog geese treetops", tokens=(
        _tok(0, "the", "the", "DET", "DT", "det", 1, 0),
        _tok(1, "ladybug", "ladybug", "PROPN", "NNP", "nsubj", 1, 4),
        _tok(2, "hedgehog", "hedgehog", "NOUN", "NNS", "conj", 1, 12, "Number=Plur"),
        _tok(3, "geese", "geese", "NOUN", "NNS", "conj", 1, 21),
        _tok(4, "treetops", "treetops", "NOUN", "NNS", "conj", 1, 27)),
        sentences=(Span(0, 5),), noun_chunks=(), entities=(), backend="hand")
    t = normalize(p).tokens
    assert (t[1].pos, t[1].tag) == ("NOUN", "NN")
    assert t[2].tag == "NN" and "Number=Plur" not in t[2].morph
    assert t[3].lemma == "goose" and t[4].lemma == "treetop"


def test_parse_record_round_trips():
    p = Parse(text="Hi", tokens=(_tok(0, "Hi", "hi", "INTJ", "UH", "ROOT", 0, 0),),
              sentences=(Span(0, 1),), noun_chunks=(), entities=(Span(0, 1, "X"),), backend="hand")
    assert Parse.from_dict(p.to_dict()) == p


def test_unknown_parser_is_a_backend_error():
    with pytest.raises(BackendError, match="choose one of: spacy, stanza"):
        get_parser("nope")


@pytest.fixture(scope="module")
def spacy_parse():
    return lambda text, **kw: parse_text(text, "spacy", **kw)


def test_spacy_pitfall_and_its_fix(spacy_parse):
    raw = spacy_parse(PITFALL, protect_heroes=False)
    root = next(t for t in raw.tokens if t.dep == "ROOT")
    assert root.text == "mermaid"  # the measured small-model mis-parse the protection exists for
    fixed = spacy_parse(PITFALL)
    by = {t.text: t for t in fixed.tokens}
    assert by["hid"].dep == "ROOT" and by["mermaid"].dep == "nsubj"
    assert by["teal"].dep == "amod" and by["teal"].head == by["mermaid"].i
    assert by["under"].head == by["hid"].i and by["boat"].dep == "pobj"
    assert fixed.text == PITFALL and [s.start for s in fixed.sentences] == [0]


def test_spacy_parse_fields(spacy_parse):
    p = spacy_parse("Coral swam to the cave. She slept.")
    assert [t.text for t in p.tokens][:3] == ["Coral", "swam", "to"]
    assert p.tokens[1].lemma == "swim" and p.tokens[1].tag == "VBD"
    assert len(p.sentences) == 2 and p.sentences[1].start == 6
    assert Span(3, 5) in p.noun_chunks
    assert all(p.text[t.idx:t.idx + len(t.text)] == t.text for t in p.tokens)
