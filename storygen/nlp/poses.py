"""Poses: what a character's body is doing in a scene, when a drawing can show it (records.POSES).

Reviewers' first complaint about the pictures (issue 22) was characters standing still where
the text has them asleep, lying down, rolling, climbing, diving, jumping, falling, dancing or
hugging. This reads that from the parse, one pose per entity: the scene's last one ("woke up and
jumped out of bed" jumps, "yawned, lay down and fell asleep" sleeps), and a hug poses both who
hugs and who is hugged. The layout keeps it (scenes/layout/solver_backend.py) and the renderer
turns it into a tilt, a lift, a flattening or a motion (scenes/posing.py).

Only what happens: "did not want to jump", "was too scared to climb", "could dive", "if she
fell" and "Let's dance!" leave the character standing. "He rolled the ball" rolls the ball,
not him: a verb that moves what it acts on (MOVES_OTHERS) poses nobody through its object,
unless the object is the path ("rolled down the hill") or a reflexive.
"""
from __future__ import annotations

from .coref_state import REFLEXIVE as THIRD_PERSON_REFLEXIVE
from .parse import Parse, Token, clause_subjects, to_infinitive
from .relations import entity_ids, with_conj

HUGS = {"hug", "cuddle", "embrace", "snuggle"}  # both lean in: who hugs and who is hugged
STAND = ""  # "woke up", "got up", "stood up": the earlier pose is over

VERB_POSES = {
    **dict.fromkeys("sleep nap doze snooze slumber snore".split(), "sleep"),
    **dict.fromkeys("lie sprawl flop".split(), "lie"),
    **dict.fromkeys("roll tumble somersault cartwheel".split(), "roll"),
    **dict.fromkeys("dive plunge".split(), "dive"),
    **dict.fromkeys("climb clamber".split(), "climb"),
    **dict.fromkeys("jump leap bounce pounce hop vault".split(), "jump"),
    **dict.fromkeys("fall slip trip topple stumble".split(), "fall"),
    **dict.fromkeys("dance twirl spin wiggle wobble jiggle prance".split(), "dance"),
    **dict.fromkeys("wake awaken stand sit".split(), STAND),  # "then sat down beside him"
}
STATES = {"asleep": "sleep", "awake": STAND}  # "was fast asleep", "fell asleep", "lay awake"
THINGS_TOO = {"roll", "fall"}  # "the ball rolled", "an acorn fell": things take these too
# a verb under one of these is wished, feared or planned, not done in this picture
UNREAL = set("want wish hope plan decide like love dream need refuse forget fear dare promise "
             "mean expect ask tell beg".split())
# with an object these move the object: "rolled the ball", "spun the wheel", "tripped the fox"
MOVES_OTHERS = set("roll tumble spin wiggle wobble jiggle slip trip topple bounce flop".split())
MODALS = {"will", "would", "could", "can", "might", "should", "shall", "may", "must", "'ll", "ca", "wo"}
NAPS = {"nap", "snooze", "doze", "rest", "sleep"}
PERCEIVED = {"watch", "see", "hear", "feel", "make", "help", "notice"}
PATHS = {"down", "along", "across", "through", "over", "around", "off", "into", "out"}
REFLEXIVE = THIRD_PERSON_REFLEXIVE | {"myself", "yourself"}  # "rolled herself into a ball"
NOT_FALLING = {"silent", "quiet", "still", "ill", "sick", "love"}  # "fell silent", "fell in love"


def entity_poses(p: Parse, links: dict[int, tuple[str, ...]], animate: frozenset[str]) -> dict[str, str]:
    """{entity id: pose} for the entities of one scene (no key: standing as drawn)."""
    out: dict[str, str] = {}
    for v in p.tokens:
        if v.pos not in ("VERB", "AUX"):
            continue
        pose = _pose(p, v)
        if pose is None or not _happens(p, v):
            continue
        hugged = [c for c in p.children(v.i) if c.dep == "dobj"] if pose == "hug" else []
        for s in _subjects(p, v) + [x for c in hugged for x in with_conj(p, c)]:
            for eid in entity_ids(p, s, links):
                if pose == STAND or eid in animate or pose in THINGS_TOO:
                    out[eid] = pose
    return {eid: pose for eid, pose in out.items() if pose != STAND}


def _subjects(p: Parse, v: Token) -> list[Token]:
    """The verb's subjects; "She yawned, lay down and fell asleep": the parser hangs "She
    yawned" on "lay" as a parataxis and leaves "lay" (and so "fell") without one."""
    head = p.tokens[v.head]
    if v.dep in ("xcomp", "ccomp") and head.lemma.lower() in PERCEIVED:
        # "watched the lights dance", "saw him fall": the one watched does it
        seen = [c for c in p.children(head.i) if c.dep in ("dobj", "nsubj") and c.i > head.i]
        seen += [c for c in p.children(v.i) if c.dep == "nsubj"]
        return seen
    subjects = clause_subjects(p, v)
    cur = v
    while not subjects and cur.dep == "conj" and cur.head != cur.i:
        cur = p.tokens[cur.head]
    if not subjects:
        before = [c for c in p.children(cur.i) if c.dep == "parataxis" and c.i < cur.i]
        subjects = [s for c in before for s in clause_subjects(p, c)]
    return subjects


def _pose(p: Parse, v: Token) -> str | None:
    kids = p.children(v.i)
    for c in kids:  # "fell asleep", "was fast asleep", "lay awake"
        if c.dep in ("acomp", "oprd", "advmod") and c.lower in STATES:
            return STATES[c.lower]
    lemma = v.lemma.lower()
    if lemma in HUGS:
        return "hug"
    if lemma in ("take", "have") and any(c.dep == "dobj" and c.lemma.lower() in NAPS for c in kids):
        return "sleep"  # "took her nap in the middle of the leaf"
    if lemma == "go" and any(c.dep == "prep" and c.lower == "to" and any(
            g.lower == "sleep" for g in p.children(c.i)) for c in kids):
        return "sleep"  # "went to sleep"
    if lemma == "lay" and not any(c.dep == "dobj" for c in kids):
        lemma = "lie"  # "lay in the sun" (spaCy sometimes keeps "lay" as the lemma)
    pose = VERB_POSES.get(lemma)
    if pose is None:
        return None
    if pose == STAND and lemma == "stand" and not any(c.lower == "up" for c in kids):
        return None  # "stood by the pond" is no change; "stood up" ends lying down
    path = any(c.dep == "prt" and c.lower in PATHS for c in kids)  # "rolled down the hill"
    if lemma in MOVES_OTHERS and not path and any(
            c.dep == "dobj" and c.lemma.lower() not in REFLEXIVE for c in kids):
        return None  # "rolled the ball" rolls the ball (the ball's own "rolled" poses it)
    if pose == "fall" and any(c.lower in NOT_FALLING or c.lemma == "in" and any(
            g.lower == "love" for g in p.children(c.i)) for c in kids):
        return None
    return pose


def _happens(p: Parse, v: Token) -> bool:
    """Not negated, not a modal's, not wished or feared, not an "if" or a "Let's"."""
    cur = v
    for _ in range(6):
        kids = p.children(cur.i)
        if any(c.dep == "neg" or c.dep == "aux" and c.lower in MODALS or
               c.dep == "mark" and c.lower in ("if", "unless") for c in kids):
            return False
        if cur.head == cur.i or cur.dep not in ("xcomp", "conj", "ccomp", "advcl", "prep", "pcomp"):
            return True
        head = p.tokens[cur.head]
        if head.lemma.lower() == "let":
            return False  # "Let's dance"
        if cur.dep in ("xcomp", "ccomp") and (head.lemma.lower() in UNREAL or
                                              head.pos == "ADJ" and to_infinitive(p, cur)):
            return False  # "wanted to jump", "too scared to climb" ("so tired that he lay down" did)
        cur = head
    return True
