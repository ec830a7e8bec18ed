"""Scores the NLP stage on the blind-written gold in data/gold/blind/ (see its README.md).

coref_{split}.jsonl — {"id", "text", "pronouns": [{"pronoun", "occurrence", "sentence",
"antecedent"}]}. `occurrence` is the n-th case-sensitive whole-word occurrence of `pronoun` in
the whole passage (checked against `sentence`, 1-based); `antecedent` is a head lemma written
singular ("puppy" for "the puppies"), a split antecedent "A and B and C", or null for a
pronoun that names nothing and must not be rewritten ("It was raining"). A pronoun is right
when the entities we resolve it to match the gold heads one to one (by head lemma, given name
or predicate-nominal alias, case-insensitive); null is right only when we resolve it to nothing.
A passage is one scene; the prompt is the default one (the blind passages have no picks).

relations_{split}.jsonl — {"id", "text", "relations": [{"subject", "relation", "object"}]}.
Triples compare as (subject head, predicate, object head), lowercased, after mapping both
vocabularies onto our predicate names:
    gold on -> on; in, inside -> in; under, below -> below; above -> above; behind -> behind;
    in_front_of -> in_front_of; next_to, near -> near; held_by, riding_on -> held_by, riding_on
    (nlp/holding.py); a gold kind mapped to None would be reported as "unsupported" and counted
    as a miss in the overall figures (which are also given over the supported kinds only);
    ours left_of, right_of, between -> near (the gold has no left/right/between kind).
Negated predictions ("was not under the bed") are left out: the gold lists only what holds.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..config import DATA_DIR
from ..errors import RecordError
from ..io import read_jsonl
from .basic import split_sentences
from .evaluate import DEFAULT_PROMPT, _coref_match, _head, _prf

BLIND_DIR = DATA_DIR / "gold" / "blind"
SPLITS = ("dev", "dev2", "dev3", "test")  # dev2, dev3: more blind dev sets, pronouns only
GOLD_KINDS = {  # gold relation kind -> our predicate (None: we have none)
    "on": "on", "in": "in", "inside": "in", "under": "below", "below": "below",
    "above": "above", "behind": "behind", "in_front_of": "in_front_of", "next_to": "near",
    "near": "near", "held_by": "held_by", "riding_on": "riding_on",
}
OUR_PREDICATES = {"left_of": "near", "right_of": "near", "between": "near"}  # others as they are
PRONOUN_WORDS = {"he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
                 "itself", "they", "them", "their", "theirs", "themselves"}
PLURAL = {"they", "them", "their", "theirs", "themselves"}
_SPLIT_ANTECEDENT = re.compile(r"\s*(?:,|\band\b)\s*")


@dataclass(frozen=True)
class BlindPronoun:
    word: str
    occurrence: int
    sentence: int
    offset: int  # char offset in the passage
    ref: tuple[str, ...]  # lowercased gold heads; () = names nothing


def _rows(path: Path, kind: str, hint: str) -> list[tuple[str, dict]]:
    rows = read_jsonl(path, hint)
    for where, row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or \
                not isinstance(row.get("text"), str) or not isinstance(row.get(kind), list):
            raise RecordError(f"{where}: expected an object with \"id\", \"text\" and a "
                              f"\"{kind}\" list; {hint}")
    return rows


def _sentence_of(text: str, offset: int) -> int:
    pos = 0
    for k, s in enumerate(split_sentences(text), 1):
        if pos <= offset < pos + len(s):
            return k
        pos += len(s)
    return 0


def load_blind_coref(path: Path) -> list[tuple[dict, list[BlindPronoun]]]:
    hint = "fix the line (see data/gold/blind/README.md for the format)"
    out = []
    for where, row in _rows(path, "pronouns", hint):
        where = f"{where} ({row['id']})"
        gold = []
        for g in row["pronouns"]:
            word, n = (g.get("pronoun"), g.get("occurrence")) if isinstance(g, dict) else (None, None)
            ante = g.get("antecedent") if isinstance(g, dict) else None
            if not isinstance(word, str) or word.lower() not in PRONOUN_WORDS or \
                    not isinstance(n, int) or n < 1 or not isinstance(g.get("sentence"), int) or \
                    not (ante is None or isinstance(ante, str) and ante.strip()):
                raise RecordError(f"{where}: bad pronoun entry {g!r}: need a third-person "
                                  f"\"pronoun\", \"occurrence\" and \"sentence\" >= 1 and an "
                                  f"\"antecedent\" (a lemma, \"A and B\", or null); {hint}")
            hits = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", row["text"])]
            if n > len(hits):
                raise RecordError(f"{where}: {word!r} occurrence {n} not in the text "
                                  f"(found {len(hits)}); {hint}")
            offset = hits[n - 1]
            if _sentence_of(row["text"], offset) != g["sentence"]:
                raise RecordError(f"{where}: {word!r} occurrence {n} is in sentence "
                                  f"{_sentence_of(row['text'], offset)}, not {g['sentence']}; {hint}")
            ref = () if ante is None else tuple(sorted(
                _head(a) for a in _SPLIT_ANTECEDENT.split(ante.strip()) if a))
            gold.append(BlindPronoun(word, n, g["sentence"], offset, ref))
        out.append((row, gold))
    return out


def load_blind_relations(path: Path) -> list[tuple[dict, list[tuple[str, str, str]]]]:
    hint = "fix the line (see data/gold/blind/README.md for the format)"
    out = []
    for where, row in _rows(path, "relations", hint):
        triples = []
        for t in row["relations"]:
            if not isinstance(t, dict) or not all(isinstance(t.get(k), str) and t[k].strip()
                                                  for k in ("subject", "relation", "object")):
                raise RecordError(f"{where} ({row['id']}): bad relation {t!r}: need \"subject\", "
                                  f"\"relation\" and \"object\" strings; {hint}")
            if t["relation"] not in GOLD_KINDS:
                raise RecordError(f"{where} ({row['id']}): unknown relation {t['relation']!r}; "
                                  f"known: {', '.join(GOLD_KINDS)}")
            triples.append((_head(t["subject"]), t["relation"], _head(t["object"])))
        out.append((row, triples))
    return out


def _prompt():
    from ..records import Prompt

    theme, hero, color, adj = DEFAULT_PROMPT
    return Prompt(theme=theme, hero=hero, color=color, adjective=adj)


def _pronoun_kinds(g: BlindPronoun, tok, text: str) -> set[str]:
    word = g.word.lower()
    if word.endswith(("self", "selves")):
        form = "reflexive"
    elif word in ("his", "its", "their", "hers", "theirs") or \
            word == "her" and tok is not None and tok.tag == "PRP$":
        form = "possessive"
    elif word in ("he", "she", "they") or word == "it" and tok is not None and tok.dep.startswith("nsubj"):
        form = "subject"
    else:
        form = "object"
    kinds = {form, "all"}
    if word in PLURAL:
        kinds.add("plural")
    if word in ("it", "its", "itself"):
        kinds.add("it_its")
    if not g.ref:
        kinds.add("no_antecedent")
        return kinds
    if len(g.ref) > 1:
        kinds.add("split_antecedent")
    before, after = text[:g.offset].lower(), text[g.offset:].lower()
    missing = [r for r in g.ref if not re.search(rf"\b{re.escape(r)}", before)]
    if missing:  # some gold head is not named before the pronoun: after it, or only inflected
        kinds.add("cataphora" if all(re.search(rf"\b{re.escape(r)}", after) for r in missing)
                  else "head_not_in_text")
    return kinds


def evaluate_blind_coref(parser: str, path: Path, protect: bool = True) -> dict:
    from .parse import parse_text
    from .parsed_reader import ParsedNLP

    nlp = ParsedNLP(parser=parser, protect=protect)
    buckets: dict[str, list[int]] = {}
    errors = []
    for row, gold in load_blind_coref(path):
        coref = nlp.new_context(_prompt())
        scene = coref.add_scene(parse_text(row["text"], parser, protect))
        for g in gold:
            tok = next((t for t in scene.parse.tokens if t.idx == g.offset), None)
            key = scene.pronouns.get(tok.i, ()) if tok is not None else ()
            ok = _coref_match(coref, key, g.ref)
            for kind in _pronoun_kinds(g, tok, row["text"]):
                b = buckets.setdefault(kind, [0, 0])
                b[0] += 1
                b[1] += ok
            if not ok:
                errors.append({"id": row["id"], "text": row["text"], "word": g.word,
                               "occurrence": g.occurrence, "sentence": g.sentence,
                               "gold": " and ".join(g.ref) or "-",
                               "predicted": " and ".join(coref.entities[e].lemma for e in key) or "-"})
    n, c = buckets.get("all", [0, 0])
    return {"n": n, "correct": c, "accuracy": c / n if n else 0.0,
            "by_kind": {k: {"n": n_, "correct": c_, "accuracy": c_ / n_}
                        for k, (n_, c_) in sorted(buckets.items())},
            "errors": errors}


def evaluate_blind_relations(backend: str, path: Path, protect: bool = True) -> dict:
    from ..backends import NLP_BACKENDS
    from .parsed_reader import ParsedNLP

    nlp = NLP_BACKENDS.create("basic") if backend == "basic" else \
        ParsedNLP(parser=backend, protect=protect)
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    gold_kind: dict[str, list[int]] = {k: [0, 0] for k in GOLD_KINDS}  # [n, found]
    other_output = 0  # unsupported gold pairs linked by some relation or action of ours
    errors = []
    for row, triples in load_blind_relations(path):
        graph = nlp.build_graph(row["text"], 1, _prompt())
        lemma = {e.id: _head(e.lemma) for e in graph.entities}
        pred = {(lemma.get(r.subject, r.subject.lower()), OUR_PREDICATES.get(r.predicate, r.predicate),
                 lemma.get(r.object, r.object.lower())) for r in graph.relations if not r.negated}
        pairs = {frozenset((s, o)) for s, _, o in pred} | {
            frozenset((lemma.get(a.subject, ""), lemma.get(a.object, ""))) for a in graph.actions
            if a.object is not None}
        gold = {(s, GOLD_KINDS[k], o) for s, k, o in triples if GOLD_KINDS[k]}
        unsupported = [(s, k, o) for s, k, o in triples if not GOLD_KINDS[k]]
        for s, k, o in triples:
            gold_kind[k][0] += 1
            gold_kind[k][1] += bool(GOLD_KINDS[k]) and (s, GOLD_KINDS[k], o) in pred
        other_output += sum(frozenset((s, o)) in pairs for s, _, o in unsupported)
        for t in pred & gold:
            tp[t[1]] = tp.get(t[1], 0) + 1
        for t in pred - gold:
            fp[t[1]] = fp.get(t[1], 0) + 1
        for t in gold - pred:
            fn[t[1]] = fn.get(t[1], 0) + 1
        if pred != gold or unsupported:
            errors.append({"id": row["id"], "text": row["text"],
                           "missing": sorted(" ".join(t) for t in gold - pred),
                           "unsupported": sorted(" ".join(t) for t in unsupported),
                           "extra": sorted(" ".join(t) for t in pred - gold)})
    n_unsup = sum(n for k, (n, _) in gold_kind.items() if not GOLD_KINDS[k])
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    by_kind = {}
    for pred_name in sorted(set(tp) | set(fp) | set(fn) | {v for v in GOLD_KINDS.values() if v}):
        row = _prf(tp.get(pred_name, 0), fp.get(pred_name, 0), fn.get(pred_name, 0), 0)
        row.pop("items")
        row["gold_kinds"] = [k for k, v in GOLD_KINDS.items() if v == pred_name]
        by_kind[pred_name] = row
    by_gold = {k: {"n": n, "found": f, "recall": f / n if n else 0.0,
                   "supported": GOLD_KINDS[k] is not None} for k, (n, f) in gold_kind.items()}
    overall = _prf(T, F, N + n_unsup, len(errors))
    overall.pop("items")
    supported = _prf(T, F, N, 0)
    return {**overall, "supported_only": {k: supported[k] for k in ("precision", "recall", "f1")},
            "unsupported_gold": n_unsup, "unsupported_linked_by_other_output": other_output,
            "by_kind": by_kind, "by_gold_kind": by_gold, "errors": errors}


def evaluate_blind(backend: str = "spacy", blind_dir: Path | str = BLIND_DIR, split: str = "dev",
                   protect: bool = True) -> dict:
    """Pronoun accuracy + relation P/R/F1 on one split of the blind gold, per kind, as one dict."""
    if split not in SPLITS:
        raise RecordError(f"Unknown split {split!r}; choose one of: {', '.join(SPLITS)}")
    blind_dir = Path(blind_dir)
    start = time.perf_counter()
    coref = None if backend == "basic" else \
        evaluate_blind_coref(backend, blind_dir / f"coref_{split}.jsonl", protect)
    rel_path = blind_dir / f"relations_{split}.jsonl"
    # dev2 holds pronouns only; a split without a relations file reports none rather than failing
    relations = evaluate_blind_relations(backend, rel_path, protect) if rel_path.exists() else None
    return {"backend": backend, "gold": str(blind_dir), "split": split, "protect_heroes": protect,
            "coref": coref, "relations": relations,
            "seconds": round(time.perf_counter() - start, 3)}
