"""The story-likelihood term of the coherence ranker, with a fake likelihood scorer (no LM):
the weight is chosen on val, stored with the head, applied by the scorer, and a likelihood the
writer stored is read, not recomputed, unless it belongs to other scenes or another generator."""
import json
from dataclasses import replace

import pytest

from storygen.coherence.backend import CoherenceRanker
from storygen.coherence.fake import HashEncoder
from storygen.coherence.likelihood import REF_TOKENS, excess_nll, story_digest
from storygen.coherence.scorer import CoherenceScorer
from storygen.coherence.train import LikelihoodConfig, train_ranker
from storygen.records import Candidate, Candidates, StoryLikelihood

from .samples import PLAN, SCENES
from .test_ranker_train import SMALL, corpus, fast_filter  # noqa: F401


class FakeLikelihood:
    """2 nats a word, plus 25 for every scene that is not one of the human stories' scenes: a
    stand-in that, like the real story model, is surprised by edited text."""

    model = "fake-generator"

    def __init__(self, human_scenes=()) -> None:
        self.human = set(human_scenes)
        self.scored = 0

    def score(self, stories):
        self.scored += len(stories)
        out = []
        for scenes in stories:
            words = sum(len(s.split()) for s in scenes)
            odd = sum(s not in self.human for s in scenes)
            out.append(StoryLikelihood(nll=2.0 * words + 25.0 * odd, tokens=words,
                                       digest=story_digest(scenes), model=self.model))
        return out


def test_excess_is_length_normalised_surprise_beyond_a_typical_story():
    from storygen.coherence.likelihood import REF_TOKENS

    lik = StoryLikelihood(nll=310.0, tokens=100, digest="d", model="m")
    assert excess_nll(lik, 3.0) == pytest.approx(0.1 * REF_TOKENS)  # 0.1 nats a token above typical
    assert excess_nll(StoryLikelihood(nll=600.0, tokens=200, digest="d", model="m"), 3.0) == 0
    # the same surprise per token, twice as long: the same score (length neither helps nor hurts)
    assert excess_nll(StoryLikelihood(nll=620.0, tokens=200, digest="d", model="m"), 3.0) == \
        pytest.approx(excess_nll(lik, 3.0))
    assert story_digest(SCENES) == story_digest(list(SCENES)) != story_digest(SCENES[::-1])


def test_candidate_keeps_its_likelihood_through_json():
    lik = StoryLikelihood(nll=812.5, tokens=301, digest=story_digest(SCENES), model="gen-abc")
    c = Candidate(scenes=SCENES, seed=1, backend="lm", likelihood=lik)
    assert Candidate.from_dict(json.loads(json.dumps(c.to_dict()))) == c
    assert Candidate.from_dict({"scenes": list(SCENES), "seed": 1, "backend": "t"}).likelihood is None


@pytest.fixture(scope="module")
def with_likelihood(corpus, tmp_path_factory):  # noqa: F811
    stories, splits = corpus
    cache = tmp_path_factory.mktemp("cache")
    fake = FakeLikelihood(s for st in stories for s in st.scenes)
    cfg = replace(SMALL, likelihood=LikelihoodConfig(enabled=True, weights=(0.0, 0.5, 3.0)))
    out = tmp_path_factory.mktemp("ranker-lik")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STORYGEN_CACHE", str(cache))
        metrics = train_ranker(cfg, out, encoder=HashEncoder(), stories=stories, splits=splits,
                               log=lambda m: None, likelihood=fake)
    return out, metrics, fake, cache


def test_weight_is_the_best_on_val_and_is_stored(with_likelihood):
    out, metrics, fake, cache = with_likelihood
    lik = metrics["likelihood"]
    tried = lik["weights_tried_on_val"]
    assert set(tried) == {"0.0", "0.5", "3.0"}
    best = max(tried.values())
    assert tried[str(lik["weight"])] == best
    assert all(float(w) >= lik["weight"] for w, a in tried.items() if a == best)  # ties: the smaller
    # The fake is surprised by every edited scene, so it must help: the val figure with it is no worse.
    assert best >= tried["0.0"] and metrics["val"]["overall"]["accuracy"] == best
    assert lik["per_token"] == pytest.approx(2.0)  # human stories: 2 nats a word, nothing odd
    meta = json.loads((out / "head.json").read_text())
    assert meta["likelihood"] == {"weight": lik["weight"], "per_token": lik["per_token"]}
    assert "test_head_only" in metrics and "Story likelihood weight" in (out / "README.md").read_text()
    assert list((cache / "ranker").glob("likelihood-fake-generator.json"))  # cached for a rerun


def test_rerun_reads_cached_likelihoods(with_likelihood, corpus, tmp_path, monkeypatch):  # noqa: F811
    out, _, _, cache = with_likelihood
    stories, splits = corpus
    monkeypatch.setenv("STORYGEN_CACHE", str(cache))
    again = FakeLikelihood(s for st in stories for s in st.scenes)
    cfg = replace(SMALL, likelihood=LikelihoodConfig(enabled=True, weights=(0.0, 0.5, 3.0)))
    train_ranker(cfg, tmp_path, encoder=HashEncoder(), stories=stories, splits=splits, log=lambda m: None,
                 likelihood=again)
    assert (tmp_path / "head.json").read_bytes() == (out / "head.json").read_bytes()
    # only the pick check's template candidates are new to it; val and test stories came from the cache
    assert again.scored == 2 * SMALL.picks_k


def test_scorer_reads_the_writers_likelihood_and_rescores_a_stale_one(with_likelihood):
    out, metrics, _, _ = with_likelihood
    weight, per_token = metrics["likelihood"]["weight"], metrics["likelihood"]["per_token"]
    fake = FakeLikelihood()
    scorer = CoherenceScorer(out, encoder=HashEncoder(), likelihood=fake)
    story = (SCENES, "mermaid", "underwater")
    words = sum(len(s.split()) for s in SCENES)
    good = StoryLikelihood(nll=2.0 * words, tokens=words, digest=story_digest(SCENES), model=fake.model)
    worse = StoryLikelihood(nll=2.0 * words + 40.0, tokens=words, digest=story_digest(SCENES), model=fake.model)
    a, b = scorer.score([story, story], likelihoods=[good, worse])
    assert fake.scored == 0  # the given numbers were used
    assert a.parts["likelihood"] == pytest.approx(-excess_nll(good, per_token))
    assert a.raw - b.raw == pytest.approx(weight * 40.0 / words * REF_TOKENS, abs=1e-4)
    stale = StoryLikelihood(nll=0.0, tokens=words, digest="0" * 16, model=fake.model)
    other = StoryLikelihood(nll=0.0, tokens=words, digest=story_digest(SCENES), model="another-generator")
    c, d = scorer.score([story, story], likelihoods=[stale, other])
    assert fake.scored == 2 and c.raw == pytest.approx(d.raw)  # both computed afresh
    again, = scorer.score([story], likelihoods=[stale])
    assert fake.scored == 2 and again.raw == pytest.approx(c.raw)  # and remembered, not scored again

    ranker = CoherenceRanker(scorer=scorer)
    cand = Candidate(scenes=SCENES, seed=1, backend="lm", likelihood=good)
    value, details = ranker.score(cand, Candidates(plan=PLAN, candidates=(cand,)))
    assert details["likelihood"] == pytest.approx(a.parts["likelihood"], abs=1e-3)


def test_weight_zero_never_loads_the_story_model(with_likelihood):
    out, _, _, _ = with_likelihood
    fake = FakeLikelihood()
    scorer = CoherenceScorer(out, encoder=HashEncoder(), likelihood=fake)
    scorer.lik_cfg = {"weight": 0.0, "per_token": 2.0}  # what training stores when 0.0 wins on val
    result, = scorer.score([(SCENES, "mermaid", "underwater")])
    assert fake.scored == 0 and "likelihood" not in result.parts
