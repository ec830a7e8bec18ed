"""Plan-aware decoding on any engine: five keywords lists from the planner, five scenes from the
generator, each scene checked and, when it misses a plan keyword or the hero, re-decoded.

Writer, scene by scene, all K candidates in one batch:
  prompt = story so far + "i (keywords):"  ->  sample until the newline that closes the scene
  check  = every plan keyword as a word, the hero named, a finished sentence, no 4-gram repeats
  retry  = the failing candidates only, `retry_width` samples each in one batch, at most
           `retries` rounds; the best attempt is kept (so the loop is bounded, never luck).
Later scenes are conditioned on the accepted earlier ones, so a retry never breaks the story.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..corpus.stories import term_pattern
from ..records import Prompt
from ..safety import flagged_words
from .data import (KEYWORD_RANGE, Encoder, parse_plan, planner_prompt_ids, scene_prefix_ids,
                   story_prefix_ids, title_prefix_ids, with_hero_first)
from .engines import Engine, derive_seed
from .recipe import DecodeSettings

_WORD = re.compile(r"[a-z]+")
_NAME = re.compile(r"\b(?:named|called)\s+([A-Z][a-z]+)")
_FINISHED = re.compile(r"[.!?][\"'”’)]*$")
SCENE_WORDS = (12, 110)


# ------------------------------------------------------------------ checks


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def has_word(text: str, keyword: str) -> bool:
    """The keyword as whole words (the ranker's coverage rule: exact words, any case)."""
    return f" {' '.join(words_of(keyword))} " in f" {' '.join(words_of(text))} "


def hero_named(text: str, hero: str, names: Sequence[str] = ()) -> bool:
    return bool(term_pattern(hero).search(text)) or any(re.search(rf"\b{n}\b", text) for n in names)


def hero_names(scene1: str) -> tuple[str, ...]:
    """Names the story gives its hero in scene 1 ("a shy pig named Rosie")."""
    return tuple(dict.fromkeys(_NAME.findall(scene1)))


def grams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    w = words_of(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


@dataclass
class Attempt:
    ids: list[int]
    text: str
    missing: tuple[str, ...]
    hero_ok: bool
    finished: bool
    repeats: int
    unsafe: tuple[str, ...] = ()  # words the output filter would flag (safety.flagged_words)

    @property
    def ok(self) -> bool:
        return self.finished and self.hero_ok and not self.missing and not self.repeats and not self.unsafe

    def body(self, enc: Encoder) -> list[int]:
        """The scene's ids without the newline / end-of-text that closed it."""
        return self.ids[:-1] if self.ids and self.ids[-1] in (enc.nl, enc.eos) else list(self.ids)

    def rank(self) -> tuple:
        # Safe first (a flagged word fails the whole candidate), then finished (a cut-off scene
        # is worst), then the hero, then keywords, then repeats.
        return (not self.unsafe, self.finished, self.hero_ok, -len(self.missing), -self.repeats)


def judge(ids: list[int], enc: Encoder, keywords: Sequence[str], hero: str, names: Sequence[str],
          seen: set, first: bool) -> Attempt:
    closed = bool(ids) and ids[-1] == enc.nl
    text = " ".join(enc.decode(ids[:-1] if closed else ids).split())
    n_words = len(text.split())
    finished = closed and bool(_FINISHED.search(text)) and SCENE_WORDS[0] <= n_words <= SCENE_WORDS[1]
    mine = words_of(text)
    own = [tuple(mine[i:i + 4]) for i in range(len(mine) - 3)]
    repeats = sum(g in seen for g in own) + (len(own) - len(set(own)))
    # Scene 1 must use the hero's noun; later scenes may use the name the story gave it.
    hero_ok = hero_named(text, hero, () if first else names)
    return Attempt(ids=ids, text=text, missing=tuple(k for k in keywords if not has_word(text, k)),
                   hero_ok=hero_ok, finished=finished, repeats=repeats, unsafe=tuple(flagged_words(text)))


# ------------------------------------------------------------------ planner


def normalize_plan(scenes, hero: str, known: tuple[frozenset[str], frozenset[str]] | None = None
                   ) -> tuple[tuple[str, ...], ...] | None:
    """A parsed plan made to fit the contract, or None: 5 scenes of 2-5 keywords, hero first in 1.
    With `known` = (the theme's training keywords, all training keywords): invented words
    ("bucchler") are dropped, and so are off-theme ones unless the scene would be left too short."""
    if scenes is None or len(scenes) != 5:
        return None
    if known is not None:
        scenes = [_known(sc, hero, known) for sc in scenes]
    # A keyword (or its plural) used by an earlier scene is dropped when the scene keeps enough:
    # each scene should bring something new, or five scenes become one ("dolphin, waves" x5).
    used: set[str] = set()
    fresh = []
    for sc in scenes:
        keep = tuple(w for w in sc if w.lower() == hero.lower() or _stem(w) not in used)
        keep = keep if len(keep) >= KEYWORD_RANGE[0] else sc  # a repeat beats a too-short scene
        used.update(_stem(w) for w in keep)
        fresh.append(keep)
    scenes = fresh
    lo, hi = KEYWORD_RANGE
    out = [with_hero_first(scenes[0], hero)[:hi], *(tuple(s[:hi]) for s in scenes[1:])]
    if any(len(s) < lo for s in out):
        return None
    return tuple(out)


def _known(scene, hero: str, known) -> tuple[str, ...]:
    theme, anywhere = known
    for vocab in (theme, anywhere):
        keep = tuple(w for w in scene if w.lower() in vocab or w.lower() == hero.lower())
        if len([w for w in keep if w.lower() != hero.lower()]) >= KEYWORD_RANGE[0] - 1:
            return keep
    return keep


def _stem(word: str) -> str:
    w = word.lower()
    return w[:-2] if w.endswith("es") and len(w) > 4 else w[:-1] if w.endswith("s") and len(w) > 3 else w


def sample_plans(engine: Engine, enc: Encoder, prompt: Prompt, s: DecodeSettings, seed: int,
                 rounds: int = 3, accept=lambda scenes: True, known=None):
    """The first valid plan among `samples` per round (one batch each), and the rounds used;
    (None, rounds) if none of them is valid."""
    ids = planner_prompt_ids(enc, prompt.theme, prompt.hero, prompt.color, prompt.adjective)
    engine.session(derive_seed("plan", seed))
    for r in range(rounds):
        outs = engine.generate([ids] * s.samples, s.max_new_tokens, (enc.eos, enc.nl), s,
                               derive_seed("plan", seed, r))
        for out in outs:
            body = out[:-1] if out and out[-1] in (enc.eos, enc.nl) else out
            scenes = normalize_plan(parse_plan(enc.decode(body)), prompt.hero, known)
            if scenes is not None and accept(scenes):
                return scenes, r + 1
    return None, rounds


# ------------------------------------------------------------------ writer


@dataclass
class Draft:
    start: list[int]  # the story header
    markers: list[list[int]] = field(default_factory=list)  # "i (keywords):" per scene
    bodies: list[list[int]] = field(default_factory=list)  # scene ids, without the closing newline
    scenes: list[str] = field(default_factory=list)
    tries: list[int] = field(default_factory=list)  # decodes spent per scene
    passed: list[bool] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)  # the accepted attempt of each scene
    names: tuple[str, ...] = ()
    title: str = ""

    def prefix(self, enc: Encoder, upto: int, window: int = 0) -> list[int]:
        """The story's ids before scene `upto` (0-based): header + earlier scenes; with a window,
        only scene 1 (it introduces the hero) and the last window-1 scenes before `upto`."""
        ids = list(self.start)
        for j, (m, b) in enumerate(zip(self.markers[:upto], self.bodies[:upto])):
            if not window or j == 0 or j >= upto - (window - 1):
                ids += m + b + [enc.nl]
        return ids

    def accept(self, i: int, a: Attempt, enc: Encoder) -> None:
        self.bodies[i:i + 1] = [a.body(enc)]
        self.scenes[i:i + 1] = [a.text]
        self.passed[i:i + 1] = [a.ok]
        self.attempts[i:i + 1] = [a]
        if i == 0:
            self.names = hero_names(a.text)


def scene_keywords(plan_words: Sequence[str], hero: str) -> tuple[str, ...]:
    """What the scene marker lists: the plan's keywords, the hero first (the model learned that a
    hero in the marker means: name the hero in this scene)."""
    return with_hero_first(plan_words, hero)


def write_drafts(engine: Engine, enc: Encoder, prompt: Prompt, plan: Sequence[Sequence[str]],
                 k: int, s: DecodeSettings, seed: int, guide_engine: Engine | None = None) -> list[Draft]:
    """K drafts decoded together, scene by scene, `scene_samples` samples each (best kept, plus
    `retries` rounds for failing ones). guided="all": every decode is keyword-guided (the engine
    must be hf/hf-int8); guided="repair": afterwards every scene still missing a keyword or the
    hero is re-decoded once with guidance by `guide_engine`, all of them in one batch."""
    engine.session(derive_seed("write", seed))
    steer = engine if engine.guides else guide_engine
    if s.guided == "off" or (steer is not None and not steer.guides):
        steer = None
    start = story_prefix_ids(enc, prompt.theme, prompt.hero, prompt.color, prompt.adjective)
    drafts = [Draft(start=list(start)) for _ in range(k)]
    headers = [scene_keywords(words, prompt.hero) for words in plan]
    for i, (words, header) in enumerate(zip(plan, headers)):
        marker = scene_prefix_ids(enc, i + 1, header)
        judge_ = _judge_for(drafts, enc, words, prompt.hero, i)
        for d in drafts:
            d.tries.append(0)
            d.markers.append(marker)
        guide = header if steer is engine and s.guided == "all" else None
        best = _sample_rounds(engine, enc, drafts, marker, judge_, s, seed, i, guide)
        for d, a in zip(drafts, best):
            d.accept(i, a, enc)
    if steer is not None and s.guided == "repair":
        if steer is not engine:
            steer.session(derive_seed("repair", seed))
        _repair(steer, enc, drafts, plan, headers, prompt.hero, s, seed)
    _titles(engine, enc, drafts, prompt, s, seed)
    return drafts


def _judge_for(drafts: list[Draft], enc: Encoder, words, hero: str, i: int):
    """judge(candidate, ids) for scene i: repeats are 4-grams of the candidate's other scenes."""
    def other_grams(d: Draft) -> set:
        return set().union(*(grams(t) for j, t in enumerate(d.scenes) if j != i)) if d.scenes else set()

    seen = [other_grams(d) for d in drafts]
    return lambda c, ids: judge(ids, enc, words, hero, drafts[c].names, seen[c], i == 0)


def _sample_rounds(engine: Engine, enc: Encoder, drafts: list[Draft], marker: list[int], judge_,
                   s: DecodeSettings, seed: int, i: int, guide) -> list[Attempt]:
    k = len(drafts)
    best: list[Attempt | None] = [None] * k
    todo = list(range(k))
    for r in range(1 + s.retries):
        jobs = [c for c in todo for _ in range(s.scene_samples if r == 0 else s.retry_width)]
        outs = engine.generate([drafts[c].prefix(enc, i, s.context_scenes) + marker for c in jobs], s.max_new_tokens,
                               (enc.nl, enc.eos), s, derive_seed("scene", seed, i, r),
                               guide=[list(guide)] * len(jobs) if guide else None)
        for c, out in zip(jobs, outs):
            drafts[c].tries[i] += 1
            a = judge_(c, out)
            if best[c] is None or a.rank() > best[c].rank():
                best[c] = a
        todo = [c for c in todo if not best[c].ok]
        if not todo:
            break
    return best


def _repair(steer: Engine, enc: Encoder, drafts: list[Draft], plan, headers, hero: str,
            s: DecodeSettings, seed: int) -> None:
    """One guided re-decode of every failing scene of every draft, in one batch; kept if better.
    Each is decoded from its own story prefix (the scenes before it, as first written)."""
    jobs = [(c, i) for c, d in enumerate(drafts) for i in range(len(plan)) if not d.passed[i]]
    if not jobs:
        return
    outs = steer.generate([drafts[c].prefix(enc, i, s.context_scenes) + drafts[c].markers[i] for c, i in jobs],
                          s.max_new_tokens, (enc.nl, enc.eos), s, derive_seed("repair", seed),
                          guide=[list(headers[i]) for _, i in jobs])
    for (c, i), out in zip(jobs, outs):
        drafts[c].tries[i] += 1
        a = _judge_for(drafts, enc, plan[i], hero, i)(c, out)
        if a.rank() > drafts[c].attempts[i].rank():
            drafts[c].accept(i, a, enc)


def _titles(engine: Engine, enc: Encoder, drafts: list[Draft], prompt: Prompt,
            s: DecodeSettings, seed: int) -> None:
    outs = engine.generate([d.prefix(enc, len(d.bodies)) + title_prefix_ids(enc) for d in drafts], s.title_tokens,
                           (enc.eos, enc.nl), s, derive_seed("title", seed))
    fallback = f"The {prompt.adjective.title()} {prompt.hero.title()}"
    for d, out in zip(drafts, outs):
        closed = bool(out) and out[-1] in (enc.eos, enc.nl)
        title = " ".join(enc.decode(out[:-1] if closed else out).split()).strip(" \"'")
        d.title = title if closed and 1 <= len(title.split()) <= 10 else fallback
