"""`storygen train ranker` end to end on a small corpus slice and a fake encoder, plus the
`coherence` backend through ranker.rank."""
from dataclasses import replace

import pytest

from storygen.coherence import scorer as scorer_mod
from storygen.coherence.backend import CoherenceRanker
from storygen.coherence.fake import HashEncoder
from storygen.coherence.picks import compare_picks
from storygen.coherence.scorer import CoherenceScorer
from storygen.coherence.train import TrainRankerConfig, load_train_config, make_pairs, to_text, train_ranker
from storygen.corpus.split import CorpusSplits
from storygen.corpus.stories import load_stories
from storygen.errors import BackendError, ConfigError
from storygen.ranker import rank
from storygen.backends import RANKERS
from storygen.records import Candidate, Candidates

from .samples import CANDIDATES, PLAN, SCENES

SMALL = TrainRankerConfig(negatives={"shuffle": 2, "repeat": 1, "swap_in": 1, "hero_swap": 1,
                                     "antonym": 1, "drop_dup": 1},
                          eval_negatives=1, epochs=3, hidden=8, picks_k=2)


@pytest.fixture(scope="module")
def corpus():
    stories = load_stories()
    sub = [s for theme in ("underwater", "farm") for s in [x for x in stories if x.theme == theme][:7]]
    ids = [s.id for s in sub]
    splits = CorpusSplits(seed=1, val_rate=0.2, test_rate=0.2, heldout_pairs=(),
                          train=tuple(ids[:5] + ids[7:12]), val=(ids[5], ids[12]), test=(ids[6], ids[13]))
    return sub, splits


@pytest.fixture(scope="module", autouse=True)
def fast_filter():
    # The pick check filters template candidates, which are always safe; the real filter
    # (tested in the safety tests) costs seconds per story here.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("storygen.coherence.picks.rejection_reason", lambda scenes: None)
        yield


@pytest.fixture(scope="module")
def trained(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("ranker")
    stories, splits = corpus
    metrics = train_ranker(SMALL, out, encoder=HashEncoder(), stories=stories, splits=splits,
                           log=lambda m: None)
    return out, metrics


def test_training_writes_head_metrics_and_card(trained):
    out, metrics = trained
    assert {p.name for p in out.iterdir()} == {"head.safetensors", "head.json", "metrics.json", "README.md"}
    kinds = {k for k in metrics["test"] if "/" not in k}
    assert kinds == {"overall", "shuffle", "repeat", "swap_in", "hero_swap", "antonym", "drop_dup"}
    assert 0 <= metrics["test"]["overall"]["accuracy"] <= 1
    assert len(metrics["history"]) == 3
    card = (out / "README.md").read_text()
    assert "Test-split pairwise accuracy" in card and "| drop_dup |" in card and "Pick vs random" in card
    assert metrics["picks"]["sets"] == 2


def test_training_is_reproducible(trained, corpus, tmp_path):
    out, _ = trained
    stories, splits = corpus
    train_ranker(SMALL, tmp_path, encoder=HashEncoder(), stories=stories, splits=splits, log=lambda m: None)
    for name in ("head.safetensors", "head.json", "metrics.json", "README.md"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_pairs_stay_inside_their_split(corpus):
    stories, splits = corpus
    test = [to_text(s) for s in stories if s.id in splits.test]
    train_sents = {s for st in stories if st.id in splits.train for s in st.scenes}
    pairs = make_pairs(test, {"swap_in": 3}, "t")
    assert pairs and all(not (set(p.negative) & train_sents) for p in pairs)


def test_backend_scores_and_ranks(trained, monkeypatch):
    out, _ = trained
    scorer = CoherenceScorer(out, encoder=HashEncoder())
    ranker = CoherenceRanker(scorer=scorer)
    value, details = ranker.score(CANDIDATES.candidates[0], CANDIDATES)
    assert set(details) == {"coherence", "coverage", "repetition", "transition_min", "sentences", "story"}
    expected = details["coherence"] + details["coverage"] - 20.0 * details["repetition"]
    assert value == pytest.approx(expected, abs=1e-3)
    twice = replace(CANDIDATES.candidates[0], scenes=SCENES[:4] + (SCENES[3],))
    value2, d2 = ranker.score(twice, Candidates(plan=PLAN, candidates=(twice,)))
    assert d2["repetition"] > 0  # a scene told twice costs repetition_weight * rate
    assert value2 == pytest.approx(d2["coherence"] + d2["coverage"] - 20.0 * d2["repetition"], abs=1e-3)

    monkeypatch.setattr(scorer_mod, "shared_scorer", lambda model_dir: scorer)
    dup = Candidate(scenes=SCENES[:4] + (SCENES[3],), seed=1, backend="t")
    bad = Candidate(scenes=(SCENES[0].replace("fish", "damn fish"),) + SCENES[1:], seed=2, backend="t")
    cands = Candidates(plan=PLAN, candidates=(bad, dup, CANDIDATES.candidates[0]))
    story = rank(cands, "coherence")
    assert story.ranker == "coherence" and story.chosen in (1, 2)
    assert story.scores[0].rejected.startswith("flagged words") and story.scores[0].details == {}
    assert all(s.details for s in story.scores[1:])


def test_untrained_model_names_the_command(tmp_path):
    with pytest.raises(BackendError, match="storygen train ranker"):
        RANKERS.create("coherence", model_dir=str(tmp_path / "none"))


def test_pick_vs_random_counts_only_sets_with_a_choice(trained):
    out, _ = trained
    ranker = CoherenceRanker(scorer=CoherenceScorer(out, encoder=HashEncoder()))
    one = Candidates(plan=PLAN, candidates=CANDIDATES.candidates)
    assert compare_picks([one], scorer=ranker) == {"sets": 0}
    first = CANDIDATES.candidates[0]
    two = Candidates(plan=PLAN, candidates=(first, replace(first, scenes=SCENES[:4] + (SCENES[0],))))
    result = compare_picks([two], scorer=ranker)
    assert result["sets"] == 1 and result["random"]["coverage"] <= 1


def test_config_errors(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("negatives: {jumble: 2}\n")
    with pytest.raises(ConfigError, match="unknown kind.*jumble"):
        load_train_config(bad)
    bad.write_text("disc: {first_layer: 9}\n")
    with pytest.raises(ConfigError, match="first_layer"):
        load_train_config(bad)
    bad.write_text("epoch: 3\n")
    with pytest.raises(ConfigError, match="epoch"):
        load_train_config(bad)
    for weights in ("[0.5, -1]", "[]"):
        bad.write_text(f"likelihood: {{enabled: true, weights: {weights}}}\n")
        with pytest.raises(ConfigError, match="likelihood.weights"):
            load_train_config(bad)


def test_writer_samples_become_negatives(corpus):
    from storygen.coherence.train import writer_pairs

    stories, splits = corpus
    texts = [to_text(s) for s in stories if s.id in splits.test]
    pairs = writer_pairs(texts, {s.id: s for s in stories}, {"template": 2}, "template", 0)
    assert len(pairs) == 4 and {p.kind for p in pairs} == {"writer_template"}
    assert pairs[0].story == texts[0] and len(pairs[0].negative) == 5 and pairs[0].negative != pairs[1].negative
