"""Action rules: who does what to whom in a scene's dependency parse, as Action records.

One Action per verb and subject (and direct object, if any): "three fish chased the shark" ->
fish chase shark; a passive verb takes its agent as the subject ("was hidden by the crab").
Entities come from coref's token -> entity links, read through relations.entity_ids (a body
part stands for its owner); holding.py turns hold/carry/ride actions into relations.
"""
from __future__ import annotations

from ..records import Action
from .lexicon import PART_NOUNS
from .parse import Parse, Token, clause_subjects
from .relations import entity_ids, is_passive, with_conj

NO_ACTION = {"be", "have", "do", "can", "could", "will", "would", "shall", "should", "may", "might",
             "must", "let"}


def _whole(p: Parse, t: Token) -> Token:
    """'grabbed the end of the rope': the rope is what is grabbed (a part noun and its "of")."""
    if t.lemma.lower() in PART_NOUNS:
        of = [g for c in p.children(t.i) if c.dep == "prep" and c.lemma == "of"
              for g in p.children(c.i) if g.dep == "pobj"]
        if of:
            return of[0]
    return t


def extract_actions(p: Parse, links: dict[int, tuple[str, ...]]) -> list[Action]:
    out = []
    for v in p.tokens:
        if v.pos != "VERB" or v.dep in ("aux", "auxpass", "amod") or v.lemma in NO_ACTION:
            continue
        kids = p.children(v.i)
        if is_passive(p, v):
            subjects = [g for c in kids if c.dep == "agent" for g in p.children(c.i) if g.dep == "pobj"]
            objects = [c for c in kids if c.dep == "nsubjpass"]
        else:
            subjects = list(dict.fromkeys(x for s in clause_subjects(p, v) for x in with_conj(p, s)))
            if v.dep == "relcl" and v.head != v.i and any(
                    s.lower in ("who", "that", "which") for s in subjects):
                # "a silly astronaut who wore brown boots": the noun the clause describes
                subjects = [p.tokens[v.head]] + [s for s in subjects if s.lower not in ("who", "that", "which")]
            if not subjects and v.tag == "VBG":
                # "children holding kites", "a snowman waving a flag": the noun the participle
                # modifies does it (a past participle, "a kite tied to a post", is done to it);
                # the parser hangs that noun on the participle ("full of children holding ...")
                # as often as the other way round
                before = [c for c in kids if c.dep == "npadvmod" and c.i < v.i and c.pos == "NOUN"]
                subjects = with_conj(p, p.tokens[v.head]) if v.dep == "acl" and v.head != v.i else before
            # "wore a red collar and a blue scarf": both are worn
            objects = [_whole(p, x) for c in kids if c.dep == "dobj" for x in with_conj(p, c)]
        obj_ids = [e for o in objects for e in entity_ids(p, o, links)] or [None]
        for s in subjects:
            for se in entity_ids(p, s, links):
                for oe in obj_ids:
                    if oe != se:
                        out.append(Action(subject=se, verb=v.lemma.lower(), object=oe))
    return out
