"""The `coherence` ranker backend: learned coherence + plan keyword coverage - repetition.

Registered in ranker.RANKERS; the encoder and head load once per process on first use. This
module imports nothing heavy: storygen.ranker imports it at load time.
"""
from __future__ import annotations

from ..ranker import keyword_coverage, repeated_ngram_rate
from ..backends import RANKERS
from ..records import Candidate, Candidates


class CoherenceRanker:
    name = "coherence"

    def __init__(self, model_dir: str | None = None, scorer=None) -> None:
        if scorer is None:  # imported here: ranker.py imports this module while it loads
            from .model import MODEL_DIR
            from .scorer import shared_scorer

            scorer = shared_scorer(str(model_dir or MODEL_DIR))  # BackendError if untrained
        self.scorer = scorer
        self.coverage_weight = float(self.scorer.meta.get("coverage_weight", 1.0))
        self.repetition_weight = float(self.scorer.meta.get("repetition_weight", 0.0))
        self._scores: dict = {}

    def _score_all(self, cands: Candidates) -> None:
        # One encoder batch for the whole set is cheaper than one call per candidate.
        p = cands.plan.prompt
        todo = {c.scenes: c.likelihood for c in cands.candidates if c.scenes and c.scenes not in self._scores}
        results = self.scorer.score([(s, p.hero, p.theme) for s in todo], likelihoods=list(todo.values()))
        for scenes, result in zip(todo, results):
            self._scores[scenes] = result

    def score(self, cand: Candidate, cands: Candidates) -> tuple[float, dict[str, float]]:
        if cand.scenes not in self._scores:
            self._score_all(cands)
        result = self._scores[cand.scenes]
        coverage = keyword_coverage(cand.scenes, cands.plan.scenes)
        repetition = repeated_ngram_rate(cand.scenes)
        trans = [v for k, v in result.parts.items() if k.startswith("transition_")]
        details = {
            "coherence": round(result.coherence, 4),
            "coverage": round(coverage, 4),
            "repetition": round(repetition, 4),
            "transition_min": round(min(trans), 4) if trans else 0.0,
            "sentences": round(result.parts["sentences"], 4),
            "story": round(result.parts["story"], 4),
        }
        if "likelihood" in result.parts:  # minus the story model's surprise beyond a typical story
            details["likelihood"] = round(result.parts["likelihood"], 4)
        value = result.coherence + self.coverage_weight * coverage - self.repetition_weight * repetition
        return round(value, 6), details
