"""`storygen evaluate layout --blind DIR --generated N`: does the picture show the text?

The layout gold (layouts.py) starts from hand-made graphs; this starts from text, as a book
does: each scene is read by the NLP stage (coref, relations) and laid out by the scene backend,
then two things are counted (issue 19, part 4):
- named: every entity of the graph that maps to a library object is drawn (or a copy of it);
- relations: for the blind-written passages (data/gold/blind/relations_SPLIT.jsonl), every gold
  triple between two library things holds in the boxes (layout.geometry.holds, as layouts.py
  judges it; one of them not drawn is a miss); a triple with a place or a thing no library
  object stands for ("in the farmyard", "on the windowsill") is the background's: counted
  apart, shown when the background paints that place (its variant's cues), else a miss. For
  generated scenes, with no gold, the graph's own relations are judged.
A blind passage, which has no picks, is drawn in the theme whose places it names most.
Generated scenes are template stories for seeded random curated picks (the shipped writer),
so N scenes are N // 5 books, read with story context like a real book.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from ...options import load_options
from ...backends import SCENE_BACKENDS
from ...records import Prompt, Relation, SceneGraph
from ...object_library import load_library
from ..backgrounds.library import load_backgrounds
from ..layout.select import BUILDING_PARTS, SUNLIGHT
from ..setting.book import read_book
from ..setting.places import PlaceReader
from ..setting.words import words_of
from .layouts import layout_report

WIDTH, HEIGHT = 1024, 768
ALWAYS_PAINTED = {"sky", "air", "ground", "floor", "grass", "sand", "water", "sea", "snow", "ice"}


def _head(word: str) -> str:
    return word.lower().split()[-1] if word.strip() else ""


def _gold_relations(graph: SceneGraph, triples: list[tuple[str, str, str]]
                    ) -> tuple[list[Relation], int]:
    """Gold (subject head, kind, object head) triples as relations between the graph's
    entities (matched by head lemma or given name), and how many name a thing the graph lacks."""
    from ...nlp.evaluate_blind import GOLD_KINDS

    by_head: dict[str, str] = {}
    for e in graph.entities:
        by_head.setdefault(_head(e.lemma), e.id)
        by_head.setdefault(_head(e.mention), e.id)
    out, unmatched = [], 0
    for s, kind, o in triples:
        pred = GOLD_KINDS.get(kind)
        se, oe = by_head.get(_head(s)), by_head.get(_head(o))
        if pred is None or se is None or oe is None:
            unmatched += 1
            continue
        out.append(Relation(subject=se, predicate=pred, object=oe))
    return out, unmatched


def _score(graph: SceneGraph, relations: list[Relation], prompt: Prompt, seed: int, compose,
           lib, opts, sums: dict[str, int], failures: list[dict], where: str,
           setting=None) -> None:
    setting = read_book(prompt.theme, [graph.text])[0] if setting is None else setting
    layout = compose(graph, prompt, opts.hex(prompt.color), WIDTH, HEIGHT, seed, setting=setting)
    drawn = {o.entity.split("#")[0] for o in layout.objects}
    variant = load_backgrounds().variant(layout.background.theme, layout.background.variant)
    cues = variant.cues + variant.shows  # what the background paints (a room's walls too)
    sky = SUNLIGHT if "celestial" in variant.layers else frozenset()  # the painted sun
    scenery = {e.id for e in graph.entities if e.id not in drawn and (any(
        _head(e.lemma) in c.split() for c in cues) or _head(e.lemma) in ALWAYS_PAINTED | sky | BUILDING_PARTS)}
    # "the temple ruins" painted as the place; sky and ground are in every picture
    named = [e.id for e in graph.entities if e.object_id and not e.gone]
    sums["named"] += len(named)
    sums["named_shown"] += sum(e in drawn or e in scenery for e in named)
    failures += [{"id": where, "what": f"{e} is named but not drawn"} for e in named
                 if e not in drawn and e not in scenery]
    objects = {e.id for e in graph.entities if e.object_id}
    lemma = {e.id: _head(e.lemma) for e in graph.entities}
    # a relation to a place ("in the farmyard", "on the windowsill") is the background's to
    # show, not the boxes': it holds when the background paints that place, and is a miss
    # when neither an object nor the background draws it (a reader sees no windowsill)
    for r in relations:
        if {r.subject, r.object} <= objects - scenery:
            continue
        sums["to_places"] += 1
        painted = all(x in drawn or x in scenery for x in (r.subject, r.object))
        sums["to_places_shown"] += painted
        if not painted:
            missing = [lemma.get(x, x) for x in (r.subject, r.object) if x not in drawn and x not in scenery]
            failures.append({"id": where, "what": f"{r.subject} {r.predicate} {r.object}: "
                                                  f"{' and '.join(missing)} not drawn"})
    relations = [r for r in relations if {r.subject, r.object} <= objects - scenery]
    judged = SceneGraph(**{**graph.__dict__, "relations": tuple(relations)})
    for rel, verdict in layout_report(layout, judged, lib)["relations"]:
        sums["relations"] += 1
        sums["relations_hold"] += bool(verdict)
        if not verdict:
            failures.append({"id": where, "what": f"{rel.subject} {rel.predicate} {rel.object}: "
                                                  + ("not drawn" if verdict is None else "does not hold")})


# a passage "in the forest" or "under the sea" names the world of a theme, not one of its places
THEME_WORDS = {"underwater": {"sea", "ocean", "underwater"}, "space": {"space"},
               "jungle": {"jungle"}, "farm": {"farm"}, "castle": {"castle"},
               "arctic": {"arctic"}, "forest": {"forest", "woods"}, "garden": {"garden"}}


def _themed(prompt: Prompt, text: str, opts) -> Prompt:
    """A blind passage has no picks: it is drawn in the theme whose places its text names most
    ("the frog sat in the pond" is a farm or garden pond, not the sea), naming its world ("the
    bear was in the forest") breaking a tie, then the order of the themes; else the default."""
    words, lib, best = words_of(text), load_backgrounds(), None
    for k, theme in enumerate(opts.themes):
        places = {" ".join(words[a:b]) for a, b, _ in PlaceReader(theme, lib).phrases.find(words)}
        score = (len(places), bool(THEME_WORDS.get(theme, set()) & set(words)), -k)
        if (score[0] or score[1]) and (best is None or score > best[0]):
            best = (score, theme)
    if best is None:
        return prompt
    theme = best[1]
    return Prompt(theme=theme, hero=opts.themes[theme].heroes[0], color=prompt.color,
                  adjective=prompt.adjective)


def _pct(a: int, b: int) -> float:
    return round(100 * a / b, 1) if b else 100.0


def evaluate_text_pictures(blind_dir: Path | str | None = None, split: str = "dev",
                           generated: int = 0, backend: str = "solver", seed: int = 0) -> dict[str, Any]:
    """Counts and percentages for the blind passages and for `generated` template scenes."""
    from ...nlp.evaluate_blind import BLIND_DIR, _prompt, load_blind_relations
    from ...nlp.parsed_reader import ParsedNLP
    from ...story import make_plan, write_candidates

    lib, opts, nlp = load_library(), load_options(), ParsedNLP()
    compose = SCENE_BACKENDS.create(backend)
    report: dict[str, Any] = {}
    if blind_dir is not None:
        sums = dict.fromkeys(("named", "named_shown", "relations", "relations_hold", "to_places",
                              "to_places_shown"), 0)
        failures: list[dict] = []
        unmatched = 0
        path = Path(blind_dir or BLIND_DIR) / f"relations_{split}.jsonl"
        rows = load_blind_relations(path)
        for row, triples in rows:
            prompt = _themed(_prompt(), row["text"], opts)
            graph = nlp.build_graphs([row["text"]], prompt)[0]
            rels, missing = _gold_relations(graph, triples)
            unmatched += missing
            _score(graph, rels, prompt, 0, compose, lib, opts, sums, failures, row["id"])
        report["blind"] = {"split": split, "passages": len(rows), **sums,
                           "gold_not_in_graph": unmatched,
                           "named_pct": _pct(sums["named_shown"], sums["named"]),
                           "relations_pct": _pct(sums["relations_hold"], sums["relations"]),
                           "to_places_pct": _pct(sums["to_places_shown"], sums["to_places"]),
                           "failures": failures}
    if generated:
        sums = dict.fromkeys(("named", "named_shown", "relations", "relations_hold", "to_places",
                              "to_places_shown"), 0)
        failures = []
        rng = random.Random(f"evaluate-text:{seed}")
        books = 0
        while books * 5 < generated:
            theme = rng.choice(list(opts.themes))
            prompt = Prompt(theme=theme, hero=rng.choice(opts.themes[theme].heroes),
                            color=rng.choice(list(opts.colors)),
                            adjective=rng.choice(list(opts.adjectives)), seed=rng.randrange(10**6))
            story = write_candidates(make_plan(prompt), k=1).candidates[0]
            settings = read_book(theme, story.scenes)
            for k, graph in enumerate(nlp.build_graphs(story.scenes, prompt)[:generated - books * 5]):
                _score(graph, list(graph.relations), prompt, prompt.seed, compose, lib, opts, sums,
                       failures, f"{theme}-{prompt.hero}-{prompt.seed}.{k + 1}", settings[k])
            books += 1
        report["generated"] = {"scenes": min(generated, books * 5), **sums,
                               "named_pct": _pct(sums["named_shown"], sums["named"]),
                               "relations_pct": _pct(sums["relations_hold"], sums["relations"]),
                               "to_places_pct": _pct(sums["to_places_shown"], sums["to_places"]),
                               "failures": failures}
    return report
