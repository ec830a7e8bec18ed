"""Scoring stories with the trained coherence model: encoder + features + head, loaded once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..options import load_options
from .encoder import MiniLMEncoder, normalize_text
from .features import StoryFeatures, story_features
from ..io import check_safetensors
from .disc import DISC_FILE
from .model import MODEL_DIR, TRAIN_HINT, HeadShape, collate, load_head


@dataclass(frozen=True)
class CoherenceScore:
    raw: float  # head output
    coherence: float  # (raw - mean of human val stories) / their std: 0 = a typical human story
    parts: dict[str, float]  # place_N, transition_N, sentences, story
    features: StoryFeatures


def theme_heroes(theme: str) -> list[str]:
    """Every hero of the theme: the stand-ins a hero can wrongly turn into."""
    themes = load_options().themes
    return list(themes[theme].heroes) if theme in themes else []


def featurize(encoder, scenes: tuple[str, ...], hero: str, theme: str) -> StoryFeatures:
    pooled = encoder.encode([normalize_text(s) for s in scenes])
    return story_features(pooled, hero, theme_heroes(theme))


def head_scores(head, shape: HeadShape, feats: list[StoryFeatures], batch: int = 256):
    """(raw totals, per-story part dicts) for many stories at once, without gradients."""
    import torch

    totals, parts = [], []
    with torch.inference_mode():
        for k in range(0, len(feats), batch):
            chunk = feats[k:k + batch]
            total, p = head(*collate(chunk, shape))
            totals += total.tolist()
            for b, f in enumerate(chunk):
                n = len(f.scenes)
                d = {f"place_{i + 1}": float(p["place"][b, i]) for i in range(n)}
                d.update({f"transition_{i + 1}": float(p["transition"][b, i]) for i in range(n - 1)})
                d.update(sentences=float(p["sentences"][b]), story=float(p["story"][b]))
                parts.append(d)
    return np.array(totals), parts


# Measured on the 2-core machine: 4 candidates in 0.16-0.6 s with one thread, busy or not; two
# threads took up to 3.5 s when another process held a core.
RANK_THREADS = 1


def generator_key() -> str:
    """The generator the ranker would score with (its adapter + base), known without loading it."""
    from ..lm.base import base_dir
    from ..lm.adapters import adapter_dir, adapter_key

    return adapter_key(adapter_dir("generator"), base_dir())


class CoherenceScorer:
    """Head score, plus (when the model was trained with it) the story model's likelihood:
    raw = head - weight * excess NLL (likelihood.py), both fixed at training time."""

    def __init__(self, model_dir: Path | str = MODEL_DIR, encoder=None, likelihood=None) -> None:
        self.head, self.shape, self.meta = load_head(model_dir)  # fails first if untrained
        self.lik_cfg = self.meta.get("likelihood")  # {"weight", "per_token"} or None
        self._lik = likelihood  # a LikelihoodScorer; the real one loads on first need
        self._key: str | None = None  # the generator a writer's likelihood must come from
        # Likelihoods computed here, by story digest: one scorer serves every ranker of the
        # process (shared_scorer), and ranking then comparing picks must not score a story twice.
        self._computed: dict = {}
        if encoder is None:
            disc = Path(model_dir) / DISC_FILE if self.meta.get("disc") else None
            if disc is not None:
                check_safetensors(disc, f"run `{TRAIN_HINT}` again")  # missing or damaged
            encoder = MiniLMEncoder(threads=RANK_THREADS, disc_path=disc)
        self.encoder = encoder
        cal = self.meta.get("calibration", {})
        self.mean, self.std = float(cal.get("mean", 0.0)), float(cal.get("std", 1.0)) or 1.0

    def prefetch(self, stories: list[tuple[str, ...]]) -> None:
        """Encode many stories' scenes in one go (cheaper than one story at a time)."""
        self.encoder.encode([normalize_text(s) for scenes in stories for s in scenes])

    def likelihoods(self, stories: list[tuple[str, ...]], given=None) -> list:
        """The story model's likelihood of each story: `given` ones (from the writer) where they
        are for these scenes and this generator, the rest computed now."""
        from .likelihood import shared_likelihood, story_digest

        given = list(given or [None] * len(stories))
        if self._lik is not None:
            model = self._lik.model
        else:  # hashing the adapter once per scorer, not per call
            self._key = self._key or generator_key()
            model = self._key
        digests = [story_digest(s) for s in stories]
        ok = [g is not None and g.model == model and g.digest == d for g, d in zip(given, digests)]
        todo = [s for s, d, good in zip(stories, digests, ok) if not good and d not in self._computed]
        if todo:
            self._lik = self._lik or shared_likelihood()
            self._computed.update((lik.digest, lik) for lik in self._lik.score(todo))
        return [g if good else self._computed[d] for g, d, good in zip(given, digests, ok)]

    def score(self, stories: list[tuple[tuple[str, ...], str, str]], likelihoods=None) -> list[CoherenceScore]:
        """Score (scenes, hero, theme) triples; `likelihoods`: the writer's, where it gave them."""
        from .likelihood import excess_nll

        if not stories:
            return []
        self.prefetch([s for s, _, _ in stories])
        feats = [featurize(self.encoder, *s) for s in stories]
        raw, parts = head_scores(self.head, self.shape, feats)
        if self.lik_cfg and self.lik_cfg["weight"] > 0:
            liks = self.likelihoods([s for s, _, _ in stories], likelihoods)
            surprise = np.array([excess_nll(lik, self.lik_cfg["per_token"]) for lik in liks])
            raw = raw - self.lik_cfg["weight"] * surprise
            for p, x in zip(parts, surprise):
                p["likelihood"] = float(-x)
        return [CoherenceScore(float(r), (float(r) - self.mean) / self.std, p, f)
                for r, p, f in zip(raw, parts, feats)]


@lru_cache(maxsize=2)
def shared_scorer(model_dir: str = str(MODEL_DIR)) -> CoherenceScorer:
    """One scorer per process: the encoder and head load once, however many stories are ranked."""
    return CoherenceScorer(model_dir)
