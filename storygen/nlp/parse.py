"""Parse records and parse_text, the bottom layer of the nlp package: text -> one Parse record.

Holds the Parse record every parser backend fills (tokens with text, lemma, POS, tag, head,
dependency label and char offset; sentences, noun chunks, named entities), the tree-navigation
helpers that mentions.py, coref.py and relations.py share, and `parse_text`: it loads a parser
by name through storygen.backends.PARSERS (spacy_parser.py, stanza_parser.py, imported on first
use, so they import this module and never the reverse), protects hero phrases and undoes
small-model slips (`normalize`). Labels follow spaCy's English scheme (ClearNLP: nsubj, dobj,
prep, pobj, poss, neg, agent, ...); other parsers convert to it (stanza_parser maps UD), so
the rules are written once.

Hero-phrase protection (DESIGN.md pitfall, measured): the small spaCy model parses
"The silly teal mermaid hid under the old boat." with ROOT=mermaid, nsubj=teal. We know the
option words, so we parse "The mermaid hid under the old boat." and put the removed modifiers
back as `amod` children of the hero noun (`parse_text(..., protect_heroes=True)`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import ClassVar, Protocol

from ..options import load_options
from ..records import Record
from ..object_library import IRREGULAR_PLURALS
from ..backends import PARSERS


@dataclass(frozen=True)
class Token(Record):
    i: int
    text: str
    lemma: str
    pos: str  # universal POS: NOUN, PROPN, PRON, VERB, ADP, ...
    tag: str  # Penn tag: NN, NNS, PRP, PRP$, VBD, ...
    dep: str  # ClearNLP label; "ROOT" for a sentence root
    head: int  # index of the head token (itself for a root)
    idx: int  # char offset in Parse.text
    morph: str = ""  # "Number=Plur|Person=3", when the backend gives it

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Span(Record):
    start: int  # token index
    end: int  # exclusive
    label: str = ""


@dataclass(frozen=True)
class Parse(Record):
    kind: ClassVar[str] = "parse"
    text: str
    tokens: tuple[Token, ...]
    sentences: tuple[Span, ...]
    noun_chunks: tuple[Span, ...]
    entities: tuple[Span, ...]
    backend: str

    def children(self, i: int) -> list[Token]:
        return [t for t in self.tokens if t.head == i and t.i != i]

    def sentence_of(self, i: int) -> int:
        return next(n for n, s in enumerate(self.sentences) if s.start <= i < s.end)


# ---------------------------------------------------------------- tree navigation (ClearNLP labels)

SUBJ = {"nsubj", "nsubjpass", "csubj", "csubjpass"}
OBJ = {"dobj", "oprd", "dative"}


def governing_verb(p: Parse, t: Token) -> Token | None:
    cur, seen = t, 0
    while cur.head != cur.i and seen < 20:
        cur, seen = p.tokens[cur.head], seen + 1
        if cur.pos in ("VERB", "AUX"):
            return cur
    return cur if cur.pos in ("VERB", "AUX") else None


def arguments(p: Parse, verb: Token) -> list[Token]:
    """Subject(s), objects and prepositional objects of a verb (its co-arguments)."""
    out = []
    for c in p.children(verb.i):
        if c.dep in SUBJ | OBJ:
            out.append(c)
        elif c.dep == "prep":
            out += [g for g in p.children(c.i) if g.dep == "pobj"]
    subj = clause_subject(p, verb)
    if subj is not None and subj not in out:
        out.append(subj)
    return out


# "He used his tusks to pull himself up": the object is what he pulls with, not who pulls
INSTRUMENTAL = {"use", "need"}


def to_infinitive(p: Parse, verb: Token) -> bool:
    """'to jump', 'to learn': the verb has its own "to"."""
    return any(c.dep == "aux" and c.lower == "to" for c in p.children(verb.i))


def clause_subject(p: Parse, t: Token) -> Token | None:
    """Subject of the clause of t. A verb without one takes its controller's: the first
    conjunct's, the matrix subject for "to"-infinitives ("flew off to look for him"), the
    modified noun for a participle ("a turtle swimming by")."""
    verb = t if t.pos in ("VERB", "AUX") else governing_verb(p, t)
    for _ in range(10):
        if verb is None:
            return None
        subj = [c for c in p.children(verb.i) if c.dep in SUBJ]
        if subj:
            return subj[0]
        if verb.head == verb.i:
            return None
        head = p.tokens[verb.head]
        if verb.dep in ("acl", "relcl") and head.pos in ("NOUN", "PROPN", "PRON"):
            return head
        infinitive = to_infinitive(p, verb)
        if verb.dep in ("xcomp", "ccomp") and infinitive and head.lemma.lower() not in INSTRUMENTAL:
            objects = [c for c in p.children(head.i) if c.dep in ("dobj", "dative")]
            if objects:  # object control: "asked Bolt to help", "told her to go away"
                return objects[0]
        participle = verb.tag == "VBG" and not any(c.dep == "mark" for c in p.children(verb.i))
        if verb.dep in ("conj", "xcomp") or verb.dep == "advcl" and (infinitive or participle):
            verb = head  # "sat on the bench, holding a newspaper": Grandpa holds it
        else:
            return None
    return None


def clause_subjects(p: Parse, t: Token) -> list[Token]:
    """All subjects of t's clause ("The cow and the horse stood": both, even when the parser
    makes the second a second nsubj instead of a conj)."""
    first = clause_subject(p, t)
    if first is None:
        return []
    out = [c for c in p.children(first.head) if c.dep in SUBJ]
    for s in list(out):
        out += [c for c in p.children(s.i) if c.dep == "conj"]
    return sorted(set(out), key=lambda c: c.i)


def right_edge(p: Parse, i: int) -> int:
    """Index of the last token in i's subtree."""
    kids = p.children(i)
    return max([i] + [right_edge(p, c.i) for c in kids if c.i > i])


def mention_phrase(p: Parse, t: Token) -> str:
    """The noun phrase of a head: its left det/amod/compound/nummod children through the head."""
    start = t.i
    for k in range(t.i - 1, -1, -1):
        if p.tokens[k].dep in ("det", "amod", "compound", "nummod") and start <= p.tokens[k].head <= t.i:
            start = k
        else:
            break
    end = t.i + 1
    first, last = p.tokens[start], p.tokens[end - 1]
    return p.text[first.idx:last.idx + len(last.text)]


SAME_PLURAL = {"fish", "sheep", "deer", "moose", "reindeer", "salmon", "trout", "squid", "shrimp"}


def noun_number(p: Parse, t: Token) -> bool | None:
    kids = p.children(t.i)
    if any(c.lemma in ("a", "an", "one", "each", "every", "this", "that", "another") for c in kids):
        return False
    if any(c.dep == "nummod" and c.lemma not in ("one", "1") for c in kids) or \
            any(c.lemma in ("these", "those", "many", "several", "few", "both", "all") for c in kids):
        return True
    if t.dep in SUBJ and not any(c.dep == "conj" for c in kids):
        # agreement: "the sheep were" / "the fish was" (not "the fox and the crow were")
        # (the head and its auxiliaries, not a conjoined clause's verb: "the lamp was on the
        # desk, and the books were under it")
        forms = {c.text.lower() for c in [p.tokens[t.head]] + p.children(t.head)
                 if c.i == t.head or c.dep in ("aux", "auxpass")}
        if forms & {"were", "are"}:
            return True
        if forms & {"was", "is"}:
            return False
    if t.lemma.lower() in SAME_PLURAL:
        return None
    return t.tag in ("NNS", "NNPS") or "Number=Plur" in t.morph


class ParseBackend(Protocol):
    name: str

    def parse(self, text: str) -> Parse: ...


@lru_cache(maxsize=None)
def get_parser(name: str = "spacy") -> ParseBackend:
    """One instance per name and process, so a model loads once. The parsers are named in
    storygen.backends.PARSERS and imported on first use (they import this module; it imports
    none of them)."""
    return PARSERS.create(name)


# ---------------------------------------------------------------- hero-phrase protection


@dataclass(frozen=True)
class Vocab:
    """Option words: any hero of any theme, the colors and the adjectives."""

    heroes: tuple[str, ...]
    modifiers: tuple[str, ...]  # colors + adjectives


@lru_cache(maxsize=1)
def option_vocab() -> Vocab:
    opts = load_options()
    heroes = sorted({h for t in opts.themes.values() for h in t.heroes}, key=lambda h: -len(h))
    return Vocab(heroes=tuple(heroes), modifiers=tuple(sorted(set(opts.colors) | set(opts.adjectives))))


@lru_cache(maxsize=4)
def _phrase_re(vocab: Vocab) -> re.Pattern:
    mods = "|".join(map(re.escape, vocab.modifiers))
    heroes = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in vocab.heroes)
    # one or more option modifiers (optionally comma/"and"-joined) right before a hero noun
    return re.compile(rf"\b((?:(?:{mods})(?:\s*,\s*|\s+and\s+|\s+))+)(?=(?:{heroes})s?\b)",
                      re.IGNORECASE)


# Past tenses the small model tags as nouns (measured: "The mermaid swam under the old boat."
# gives swam/NN for 7 of 8 subjects; likewise dove, leapt, shone). Parsed as a verb it tags
# right, then the original word and lemma are put back.
VERB_STANDINS = {"swam": ("moved", "swim"), "leapt": ("jumped", "leap"), "shone": ("glowed", "shine"),
                 "dove": ("dived", "dive"), "lay": ("rested", "lie")}
_VERB_RE = re.compile(r"\b(swam|leapt|shone|dove|lay)\b", re.IGNORECASE)
_NOT_AFTER = {"lay": set("to will would can could must should shall did not never".split())}  # "to lay eggs"
_NOT_BEFORE_VERB = set("a an the this that one white grey gray little my his her its our their".split())


@dataclass(frozen=True)
class Edit:
    start: int  # char span in the original text
    end: int
    replacement: str  # "" for removed hero modifiers
    words: tuple[tuple[str, int], ...] = ()  # removed (word, original offset)
    lemma: str = ""  # for a stand-in verb: the original lemma


def protect(text: str, vocab: Vocab) -> tuple[str, tuple[Edit, ...]]:
    """Drop option modifiers in front of hero nouns ("The silly teal mermaid" -> "The mermaid")
    and swap mis-tagged verbs for stand-ins ("swam" -> "moved")."""
    edits = []
    for m in _phrase_re(vocab).finditer(text):
        words = tuple((w.group(0), m.start(1) + w.start())
                      for w in re.finditer(r"[A-Za-z]+", m.group(1)) if w.group(0).lower() != "and")
        edits.append(Edit(m.start(1), m.end(1), "", words))
    for m in _VERB_RE.finditer(text):
        before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 12):m.start()])
        if before and (before[-1].lower() in _NOT_BEFORE_VERB
                       or before[-1].lower() in _NOT_AFTER.get(m.group(1).lower(), ())):
            continue  # "a white dove": the bird, not the verb
        standin, lemma = VERB_STANDINS[m.group(1).lower()]
        if m.group(1)[0].isupper():
            standin = standin.capitalize()
        edits.append(Edit(m.start(1), m.end(1), standin, lemma=lemma))
    edits.sort(key=lambda e: e.start)
    out, pos = [], 0
    for e in edits:
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), tuple(edits)


def restore(parse: Parse, text: str, edits: tuple[Edit, ...]) -> Parse:
    """Map a parse of the protected text back onto the original: removed words become `amod`
    children of the hero noun that followed them, stand-ins get their word and lemma back;
    indices, offsets and spans shift to match."""
    if not edits:
        return replace(parse, text=text)

    def orig_offset(simple: int) -> tuple[int, Edit | None]:  # protected -> original offset
        shift = 0
        for e in edits:
            at = e.start - shift  # where the edit sits in the protected text
            if e.replacement and at <= simple < at + len(e.replacement):
                return e.start, e
            if simple >= at + len(e.replacement):
                shift += (e.end - e.start) - len(e.replacement)
        return simple + shift, None

    old = []
    for t in parse.tokens:
        off, edit = orig_offset(t.idx)
        if edit is not None:
            t = replace(t, text=text[edit.start:edit.end], lemma=edit.lemma, pos="VERB")
        old.append((off, 0, t))
    new_words = [(off, 1, (w, e)) for e in edits for w, off in e.words]
    merged = sorted(old + new_words, key=lambda x: (x[0], x[1]))
    new_index = {item.i: n for n, (_, kind, item) in enumerate(merged) if kind == 0}
    head_of = {}
    for e in edits:  # the hero noun is the first kept token after the removed span
        if e.words:
            head_of[e.start] = next(n for n, (off, kind, _) in enumerate(merged)
                                    if kind == 0 and off >= e.end)
    tokens = []
    for n, (off, kind, item) in enumerate(merged):
        if kind == 0:
            tokens.append(replace(item, i=n, head=new_index[item.head], idx=off))
        else:
            word, e = item
            tokens.append(Token(i=n, text=word, lemma=word.lower(), pos="ADJ", tag="JJ",
                                dep="amod", head=head_of[e.start], idx=off))

    def span(s: Span) -> Span:
        return Span(new_index[s.start], new_index[s.end - 1] + 1, s.label)

    sentences = list(map(span, parse.sentences))
    if sentences:  # sentences must tile the tokens: stretch each to the next one's start
        sentences = [Span(0 if k == 0 else sentences[k].start,
                          sentences[k + 1].start if k + 1 < len(sentences) else len(tokens))
                     for k in range(len(sentences))]
    return Parse(text=text, tokens=tuple(tokens), sentences=tuple(sentences),
                 noun_chunks=tuple(map(span, parse.noun_chunks)),
                 entities=tuple(map(span, parse.entities)), backend=parse.backend)


IRREGULAR = set(IRREGULAR_PLURALS) | set("men women people fish sheep deer moose reindeer salmon "
                                          "trout squid shrimp cattle police snowmen".split())
LEMMA_FIXES = {"cooky": "cookie"}
_NOMINAL_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj", "dative"}


def normalize(parse: Parse) -> Parse:
    """Small-model slips that need no context to undo: a lowercase PROPN is a common noun
    ("the ladybug/NNP"), an 'adjective' with a determiner in a noun slot is a noun ("an
    acorn/JJ"), and a plural left unlemmatised ("treetops") loses its -s."""
    out = []
    for t in parse.tokens:
        if t.pos == "PROPN" and (t.text[:1].islower() or t.tag == "NNPS"):
            # a lowercase or plural "proper noun" is a common noun ("Crumbs lay under the table")
            t = replace(t, pos="NOUN", tag="NNS" if t.tag == "NNPS" else "NN", lemma=t.lemma.lower())
        if t.lemma.lower() in LEMMA_FIXES:  # the lemmatiser's "cookies" -> "cooky"
            t = replace(t, lemma=LEMMA_FIXES[t.lemma.lower()])
        elif t.pos == "ADJ" and t.dep in _NOMINAL_DEPS and any(
                c.dep == "det" and c.head == t.i for c in parse.tokens[max(0, t.i - 3):t.i]):
            t = replace(t, pos="NOUN", tag="NN")
        if t.tag == "NNS" and not t.text.lower().endswith("s") and t.text.lower() not in IRREGULAR:
            t = replace(t, tag="NN", morph=t.morph.replace("Number=Plur", "Number=Sing"))
            # "hedgehog/NNS": a plural without -s must be an irregular one
        if t.lemma.lower() in IRREGULAR_PLURALS:  # "geese" -> goose, when the lemmatiser missed it
            t = replace(t, lemma=IRREGULAR_PLURALS[t.lemma.lower()])
        if t.tag == "NNS" and t.lemma.lower() == t.text.lower() and t.lemma.endswith("s") \
                and not t.lemma.endswith("ss"):
            t = replace(t, lemma=_singular(t.lemma.lower()))
        out.append(t)
    return replace(parse, tokens=tuple(out))


def _singular(word: str) -> str:
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1]


def parse_text(text: str, backend: str = "spacy", protect_heroes: bool = True,
               vocab: Vocab | None = None) -> Parse:
    """Parse with a registered backend; hero phrases protected unless told otherwise."""
    parser = get_parser(backend)
    if not protect_heroes:
        return normalize(parser.parse(text))
    simple, edits = protect(text, vocab or option_vocab())
    return normalize(restore(parser.parse(simple), text, edits))
