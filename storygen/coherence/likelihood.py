"""The story model's own judgement of a story: its negative log-likelihood under the fine-tuned
generator, the scenes read in order in the writer's format (scene markers, no plan: so a human
story, a candidate and a perturbation are all scored the same way).

Why: the MiniLM features barely move when "found" becomes "lost"; a language model that reads
the whole story is surprised by the word and by the later scenes that no longer fit (measured on
val antonym pairs: the human story has the lower NLL in 95%, the MiniLM head alone 77%).

Scored with CTranslate2 in float32 from the generator's int8 conversion (weights int8, maths
fp32): dynamic int8 activations add batch-dependent noise of tens of nats per story and drop the
antonym signal to 60-86%. Four stories take ~1 s on 2 cores, so the LM writer scores its own
candidates while it still has them (Candidate.likelihood) and the ranker only reads the numbers;
a candidate without them (another writer, a hand-edited file) is scored when ranked.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..records import StoryLikelihood


def story_digest(scenes: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(scenes).encode()).hexdigest()[:16]


REF_TOKENS = 300  # a typical story's length: keeps the surprise in nats of a whole story


def excess_nll(lik: StoryLikelihood, per_token: float) -> float:
    """Length-normalised surprise: mean NLL per token beyond a typical human story's, in nats of
    a REF_TOKENS story (issue 17: a long fluent story must not lose to a short one for its length)."""
    return (lik.nll / max(lik.tokens, 1) - per_token) * REF_TOKENS


class LikelihoodScorer:
    """The fine-tuned generator as a story scorer (loaded once; CTranslate2, float32 compute)."""

    def __init__(self, models_dir: Path | str | None = None, threads: int = 2) -> None:
        import ctranslate2

        from ..lm.base import base_dir, load_tokenizer, thread_cap
        from ..lm.data import Encoder
        from ..lm.engines import ct2_model
        from ..lm.adapters import adapter_dir, adapter_key, merged_model

        folder, base = adapter_dir("generator", models_dir), base_dir()
        self.model = adapter_key(folder, base)
        self.tok = load_tokenizer(base)
        self.enc = Encoder(self.tok)
        path = ct2_model(self.tok, self.model, build=lambda: merged_model(str(folder), str(base))[0])
        self.generator = ctranslate2.Generator(str(path), device="cpu", compute_type="float32",
                                               inter_threads=1, intra_threads=thread_cap(threads))

    def tokens(self, scenes: Sequence[str]) -> list[str]:
        from ..lm.data import story_ids

        # After the plan's <eos> is where a story starts in training.
        ids = [self.enc.eos] + [t for piece, _ in story_ids(self.enc, scenes) for t in piece]
        return self.tok.convert_ids_to_tokens(ids)

    def score(self, stories: Sequence[Sequence[str]], batch: int = 8) -> list[StoryLikelihood]:
        order = sorted(range(len(stories)), key=lambda i: sum(map(len, stories[i])))
        out: list[StoryLikelihood | None] = [None] * len(stories)
        for k in range(0, len(order), batch):
            idx = order[k:k + batch]
            results = self.generator.score_batch([self.tokens(stories[i]) for i in idx])
            for i, r in zip(idx, results):
                out[i] = StoryLikelihood(nll=round(-float(sum(r.log_probs)), 4), tokens=len(r.log_probs),
                                         digest=story_digest(stories[i]), model=self.model)
        return out  # type: ignore[return-value]


@lru_cache(maxsize=2)
def shared_likelihood(models_dir: str | None = None) -> LikelihoodScorer:
    return LikelihoodScorer(models_dir)
