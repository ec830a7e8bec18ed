"""Rankers: filter candidates through the safety check and the fluency check (every word a real
word), score the rest, keep the best.

`heuristic` is the named baseline: plan-keyword coverage minus repetition. Issue 6 adds the
learned coherence ranker.
"""
from __future__ import annotations

from .backends import RANKERS
from .records import Candidate, Candidates, CandidateScore, Story
from .safety import flagged_words, rejection_reason
from .text import letter_runs



def keyword_coverage(scenes: tuple[str, ...], plan_scenes: tuple[tuple[str, ...], ...]) -> float:
    """Share of plan keywords that appear (as words) in their own scene."""
    total = hits = 0
    for text, words in zip(scenes, plan_scenes):
        lowered = f" {' '.join(letter_runs(text))} "
        for word in words:
            total += 1
            hits += f" {' '.join(letter_runs(word))} " in lowered
    return hits / total if total else 0.0


def repeated_ngram_rate(scenes: tuple[str, ...], n: int = 4) -> float:
    """Share of word n-grams that already occurred earlier in the story."""
    words = letter_runs(" ".join(scenes))
    grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


class HeuristicRanker:
    name = "heuristic"

    def score(self, cand: Candidate, cands: Candidates) -> tuple[float, dict[str, float]]:
        coverage = keyword_coverage(cand.scenes, cands.plan.scenes)
        repetition = repeated_ngram_rate(cand.scenes)
        shape = 1.0 if len(cand.scenes) == 5 else 0.0
        details = {"coverage": round(coverage, 4), "repetition": round(repetition, 4)}
        return round(coverage - repetition + shape, 6), details


def fluency_reason(cand: Candidate, cands: Candidates) -> str | None:
    """A non-word or a garbled pick word ("Mermid", "tealight") refuses a candidate: a child hears
    every word (storygen/fluency.py)."""
    from .fluency import check_story

    p = cands.plan.prompt
    return check_story(cand.scenes, (p.hero, p.color, p.adjective)).reason()


def rank(cands: Candidates, ranker: str = "heuristic") -> Story | None:
    """The best safe, fluent candidate as a Story, or None if every candidate was rejected."""
    scorer = RANKERS.create(ranker)
    scores = []
    for i, cand in enumerate(cands.candidates):
        reason = rejection_reason(cand.scenes)
        if reason is None and (words := flagged_words(cand.title)):  # the title is shown too
            reason = f"flagged words in the title: {', '.join(words)}"
        if reason is None and len(cand.scenes) != 5:
            reason = f"has {len(cand.scenes)} scenes, not 5"
        if reason is None:
            reason = fluency_reason(cand, cands)
        if reason:
            scores.append(CandidateScore(index=i, score=0.0, rejected=reason))
            continue
        value, details = scorer.score(cand, cands)
        scores.append(CandidateScore(index=i, score=value, details=details))
    passed = [s for s in scores if s.rejected is None]
    if not passed:
        return None
    # Ties go to the lower index, so the choice is deterministic.
    best = max(passed, key=lambda s: (s.score, -s.index))
    cand = cands.candidates[best.index]
    return Story(prompt=cands.plan.prompt, plan=cands.plan, title=cand.title, scenes=cand.scenes,
                 chosen=best.index, scores=tuple(scores), ranker=ranker)
