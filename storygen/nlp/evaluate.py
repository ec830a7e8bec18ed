"""Scores the NLP stage on the hand-written gold sets in data/gold/.

coref.jsonl — one short story per line: {"id", "prompt": [theme, hero, color, adjective],
"phenomena": [...], "scenes": [...]}. Every third-person pronoun in a scene is annotated inline
as `word[ref]` or `word[ref|tag,tag]`: ref is the antecedent's lemma ("mermaid"), a group
("mermaid+crab"), or "-" for a pronoun that names nothing (pleonastic "it"). A pronoun is right
when the predicted entity's lemma, a name or a predicate-nominal alias equals ref (groups: the
same set of lemmas; "-": nothing predicted). Each pronoun counts under its item's phenomena,
its inline tags and automatic ones: possessive, plural_they, reflexive, object_it,
cross_scene (antecedent not named earlier in the same scene).

relations.jsonl — one text per line: {"id", "text", "triples": [[subj, predicate, obj] or
[subj, predicate, obj, "not"]], "phenomena": [...], optional "prompt"}. Triples compare by head
lemma (last word of the entity lemma); P/R/F1 are micro-averaged over all triples, per
phenomenon over the items carrying that tag.

Items without a "split" key are the development split (written before any code, then used
while building the rules); items with "split": "test" were written after the rules were done
and are reported separately as held-out.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..config import DATA_DIR
from ..errors import RecordError
from ..io import read_jsonl
from ..records import Prompt

GOLD_DIR = DATA_DIR / "gold"
_ANNOT = re.compile(r"\b([A-Za-z]+)\[([^\]|]*)(?:\|([^\]]*))?\]")
THIRD_PERSON = {"he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
                "itself", "they", "them", "their", "theirs", "themselves"}
DEFAULT_PROMPT = ("underwater", "mermaid", "teal", "silly")


@dataclass(frozen=True)
class GoldPronoun:
    scene: int
    offset: int  # char offset in the clean scene text
    word: str
    ref: tuple[str, ...]  # () = refers to nothing
    tags: tuple[str, ...]


def strip_annotations(scene: str, where: str) -> tuple[str, list[tuple[int, str, str, str]]]:
    """'She[mermaid] swam' -> ('She swam', [(0, 'She', 'mermaid', '')])."""
    out, found, pos = [], [], 0
    clean_len = 0
    for m in _ANNOT.finditer(scene):
        out.append(scene[pos:m.start()])
        clean_len += m.start() - pos
        found.append((clean_len, m.group(1), m.group(2), m.group(3) or ""))
        out.append(m.group(1))
        clean_len += len(m.group(1))
        pos = m.end()
    out.append(scene[pos:])
    clean = "".join(out)
    if "[" in clean or "]" in clean:
        raise RecordError(f"{where}: malformed annotation in {scene!r}")
    annotated = {off for off, *_ in found}
    for w in re.finditer(r"[A-Za-z]+", clean):
        if w.group(0).lower() in THIRD_PERSON and w.start() not in annotated:
            raise RecordError(f"{where}: pronoun {w.group(0)!r} at {w.start()} is not annotated")
    return clean, found


def load_jsonl(path: Path) -> list[dict]:
    return [row for _, row in read_jsonl(path)]


def load_coref_gold(path: Path = GOLD_DIR / "coref.jsonl"):
    """[(item, clean scenes, [GoldPronoun])] with every pronoun checked to be annotated."""
    out = []
    for item in load_jsonl(path):
        scenes, pronouns = [], []
        for k, scene in enumerate(item["scenes"]):
            clean, found = strip_annotations(scene, f"{path}:{item['id']}")
            scenes.append(clean)
            for off, word, ref, tags in found:
                refs = () if ref.strip() == "-" else tuple(sorted(r.strip() for r in ref.split("+")))
                pronouns.append(GoldPronoun(k, off, word, refs,
                                            tuple(t for t in tags.split(",") if t)))
        out.append((item, scenes, pronouns))
    return out


def _prompt(item: dict) -> Prompt:
    theme, hero, color, adj = item.get("prompt") or DEFAULT_PROMPT
    return Prompt(theme=theme, hero=hero, color=color, adjective=adj)


def _split(item: dict) -> str:
    """'split=dev': written first and used while building; 'split=test': written afterwards,
    scored once, never tuned on."""
    return f"split={item.get('split', 'dev')}"


def _head(lemma: str) -> str:
    return lemma.lower().split()[-1]


def _auto_tags(g: GoldPronoun, scenes: list[str]) -> list[str]:
    word = g.word.lower()
    tags = []
    if word in ("his", "its", "their", "hers", "theirs"):
        tags.append("possessive")
    if word in ("they", "them", "their", "theirs", "themselves"):
        tags.append("plural_they")
    if word.endswith("self") or word.endswith("selves"):
        tags.append("reflexive")
    if word in ("it", "its") and g.ref:
        tags.append("object_it")
    if not g.ref:
        tags.append("pleonastic_it")
    before = scenes[g.scene][:g.offset].lower()
    if g.ref and not all(re.search(rf"\b{re.escape(_head(r))}", before) for r in g.ref):
        tags.append("cross_scene")
    return tags


def evaluate_coref(parser: str = "spacy", path: Path = GOLD_DIR / "coref.jsonl",
                   protect: bool = True) -> dict:
    from .parse import parse_text
    from .parsed_reader import ParsedNLP

    nlp = ParsedNLP(parser=parser, protect=protect)
    total = correct = 0
    buckets: dict[str, list[int]] = {}
    errors = []
    for item, scenes, gold in load_coref_gold(path):
        coref = nlp.new_context(_prompt(item))
        predicted = []
        for text in scenes:
            predicted.append(coref.add_scene(parse_text(text, parser, protect)))
        for g in gold:
            scene = predicted[g.scene]
            tok = next((t for t in scene.parse.tokens if t.idx == g.offset), None)
            key = scene.pronouns.get(tok.i, ()) if tok is not None else ()
            ok = _coref_match(coref, key, g.ref)
            total += 1
            correct += ok
            tags = set(item.get("phenomena", ())) | set(g.tags) | set(_auto_tags(g, scenes)) | \
                {_split(item)}
            if g.word.lower() == "her" and tok is not None and tok.tag == "PRP$":
                tags.add("possessive")
            for tag in tags | {"all"}:
                b = buckets.setdefault(tag, [0, 0])
                b[0] += 1
                b[1] += ok
            if not ok:
                errors.append({"id": item["id"], "scene": g.scene + 1, "word": g.word,
                               "offset": g.offset, "gold": "+".join(g.ref) or "-",
                               "predicted": "+".join(coref.entities[e].lemma for e in key) or "-"})
    return {"n": total, "accuracy": correct / total if total else 0.0,
            "by_phenomenon": {k: {"n": n, "correct": c, "accuracy": c / n}
                              for k, (n, c) in sorted(buckets.items())},
            "errors": errors}


def _coref_match(coref, key: tuple[str, ...], ref: tuple[str, ...]) -> bool:
    if not ref:
        return not key
    if len(ref) != len(key):
        return False
    left = list(ref)
    for eid in key:  # each predicted entity must take a different gold lemma
        e = coref.entities[eid]
        names = {_head(e.lemma), e.lemma.lower()} | {_head(a) for a in e.aliases} | \
                {n.lower() for n in e.names}
        hit = next((r for r in left if r.lower() in names or _head(r) in names), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


OWN_GOLD_KINDS = {"riding_on": "on"}


def evaluate_relations(backend: str = "spacy", path: Path = GOLD_DIR / "relations.jsonl",
                       protect: bool = True) -> dict:
    """backend: a parser name ("spacy", "stanza") or "basic" for the regex baseline."""
    from ..backends import NLP_BACKENDS
    from .parsed_reader import ParsedNLP

    nlp = NLP_BACKENDS.create("basic") if backend == "basic" else \
        ParsedNLP(parser=backend, protect=protect)
    sums: dict[str, list[int]] = {}
    errors = []
    for item in load_jsonl(path):
        graph = nlp.build_graph(item["text"], 1, _prompt(item))
        lemma = {e.id: _head(e.lemma) for e in graph.entities}
        # this gold predates held_by / riding_on: a rider is "on" its mount there, and what a
        # creature holds is not annotated (the blind gold scores both: evaluate_blind.py)
        pred = {(lemma.get(r.subject, r.subject), OWN_GOLD_KINDS.get(r.predicate, r.predicate),
                 lemma.get(r.object, r.object), r.negated) for r in graph.relations
                if r.predicate != "held_by"}
        gold = {(_head(t[0]), t[1], _head(t[2]), len(t) > 3 and t[3] == "not")
                for t in item["triples"]}
        tp, fp, fn = len(pred & gold), len(pred - gold), len(gold - pred)
        for tag in set(item.get("phenomena", ())) | {"all", _split(item)}:
            s = sums.setdefault(tag, [0, 0, 0, 0])
            s[0] += tp
            s[1] += fp
            s[2] += fn
            s[3] += 1
        if fp or fn:
            errors.append({"id": item["id"], "text": item["text"],
                           "missing": sorted(map(_triple_str, gold - pred)),
                           "extra": sorted(map(_triple_str, pred - gold))})
    by = {k: _prf(*v) for k, v in sorted(sums.items())}
    return {**by["all"], "by_phenomenon": by, "errors": errors}


def _triple_str(t) -> str:
    return f"{t[0]} {'not ' if t[3] else ''}{t[1]} {t[2]}"


def _prf(tp: int, fp: int, fn: int, items: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"items": items, "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def evaluate_nlp(backend: str = "spacy", gold_dir: Path | str = GOLD_DIR, protect: bool = True
                 ) -> dict:
    """Pronoun accuracy + relation P/R/F1 with per-phenomenon breakdowns, as one dict."""
    gold_dir = Path(gold_dir)
    start = time.perf_counter()
    coref = None if backend == "basic" else evaluate_coref(backend, gold_dir / "coref.jsonl", protect)
    relations = evaluate_relations(backend, gold_dir / "relations.jsonl", protect)
    return {"backend": backend, "protect_heroes": protect, "coref": coref, "relations": relations,
            "seconds": round(time.perf_counter() - start, 3)}
