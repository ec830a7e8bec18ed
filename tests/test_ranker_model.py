"""Features, head and scorer of the coherence ranker, on a tiny fake encoder (no model weights)."""
import json

import numpy as np
import pytest

from storygen.coherence.encoder import SceneEncoding, pool_scene, sentence_spans
from storygen.coherence.fake import HashEncoder
from storygen.coherence.features import HAND_FEATURES, SENTENCE_FEATURES, story_features
from storygen.coherence.model import HeadShape, build_head, collate, load_head, save_head
from storygen.coherence.perturb import perturb
from storygen.errors import BackendError

from .test_ranker_perturb import STORY

HEROES = ["mermaid", "octopus", "dolphin", "turtle", "crab"]


def feats(scenes, enc=None):
    enc = enc or HashEncoder()
    return story_features(enc.encode(list(scenes)), "mermaid", HEROES)


def hand(f):
    return dict(zip(HAND_FEATURES, f.hand.tolist()))


def test_sentence_spans_and_pooling():
    text = 'She said "Hi!" Pip whispered. Then it rained.'
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ['She said "Hi!" Pip whispered.', "Then it rained."]
    enc = SceneEncoding("Ab cd. Ef.", np.array([[0, 0], [1, 1], [3, 3], [5, 5], [9, 9]], float),
                        np.array([[0, 0], [0, 2], [3, 5], [7, 9], [0, 0]]),
                        surprise=np.array([0, 0.5, 2.0, 0.1, 0]))
    pooled = pool_scene(enc)
    assert pooled.sentences == ("Ab cd.", "Ef.")
    np.testing.assert_allclose(pooled.sentence_vectors, [[2, 2], [5, 5]])
    np.testing.assert_allclose(pooled.vector, [3.6, 3.6])
    np.testing.assert_allclose(pooled.sentence_surprise, [[2.5, 2.0], [0.1, 0.1]])


def test_features_see_duplicates_repeats_and_a_lost_hero():
    base = hand(feats(STORY.scenes))
    assert base["scene_exact_dup"] == 0 and base["sent_exact_dup"] == 0
    assert base["hero_share"] == pytest.approx(0.8) and base["hero_lost"] == 0  # scene 4: no hero
    assert [base[f"hero_{i}"] for i in range(5)] == [1, 1, 1, 0, 1]
    assert base["surprise_total"] == 0  # no word judge on the fake encoder

    dup = hand(feats(perturb(STORY, "drop_dup", 7).scenes))
    assert dup["scene_exact_dup"] == 1 and dup["scene_sim_max"] == pytest.approx(1.0, abs=1e-5)
    rep = hand(feats(perturb(STORY, "repeat", 5).scenes))
    assert rep["sent_exact_dup"] == 1 and rep["sent_sim_max"] > max(0.99, base["sent_sim_max"])
    swap = perturb(STORY, "hero_swap", 1, characters=["turtle"])
    lost = hand(feats(swap.scenes))
    assert lost["hero_lost"] == 1 and lost["hero_share"] < 1 and lost["other_share"] > 0


def test_feature_shapes():
    f = feats(STORY.scenes)
    assert f.hand.shape == (len(HAND_FEATURES),) and f.hand.dtype == np.float32
    assert f.scenes.shape == (5, 16) and f.positions.tolist() == [0, 1, 2, 3, 4]
    assert f.sentence_feats.shape == (10, len(SENTENCE_FEATURES))
    np.testing.assert_allclose(np.linalg.norm(f.scenes, axis=1), 1.0, rtol=1e-5)
    three = feats(STORY.scenes[:3])
    assert three.positions.tolist() == [0, 2, 4]  # other lengths map onto the five positions


def test_head_scores_padded_batches_like_single_stories(tmp_path):
    import torch

    torch.set_grad_enabled(False)
    shape = HeadShape(dim=16, hidden=8)
    head = build_head(shape).eval()
    a, b = feats(STORY.scenes), feats(STORY.scenes[:4])
    total, parts = head(*collate([a, b], shape))
    assert total.shape == (2,) and parts["transition"].shape == (2, 4)
    assert float(parts["transition"][1, 3]) == 0.0  # no fifth scene, no fourth transition
    alone, _ = head(*collate([b], shape))
    assert float(alone[0]) == pytest.approx(float(total[1]), abs=1e-5)

    save_head(head, shape, {"calibration": {"mean": 0.0, "std": 1.0}}, tmp_path)
    again, shape2, meta = load_head(tmp_path)
    assert shape2 == shape and meta["hand_features"] == list(HAND_FEATURES)
    total2, _ = again(*collate([a, b], shape))
    np.testing.assert_allclose(total2.numpy(), total.numpy(), rtol=1e-6)
    torch.set_grad_enabled(True)


def test_missing_or_stale_model_says_what_to_run(tmp_path):
    with pytest.raises(BackendError, match="storygen train ranker"):
        load_head(tmp_path / "nothing")
    shape = HeadShape(dim=16, hidden=8)
    save_head(build_head(shape), shape, {}, tmp_path)
    meta = json.loads((tmp_path / "head.json").read_text())
    meta["hand_features"] = ["old"]
    (tmp_path / "head.json").write_text(json.dumps(meta))
    with pytest.raises(BackendError, match="other features; run `storygen train ranker` again"):
        load_head(tmp_path)


def test_hash_encoder_caches_by_text():
    enc = HashEncoder()
    enc.encode(["a b.", "c d.", "a b."])
    enc.encode(["a b."])
    assert enc.calls == 2
