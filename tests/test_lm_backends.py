import json
from dataclasses import replace

import pytest

from storygen.coherence.likelihood import story_digest
from storygen.errors import BackendError
from storygen.io import dumps
from storygen.lm.adapters import adapter_dir
from storygen.lm.story_model import LMPlanner, LMWriter
from storygen.backends import PLANNERS
from storygen.lm.train import train
from storygen.backends import WRITERS
from storygen.records import Plan, Prompt
from tests.test_lm_fixtures import tiny_base, tiny_base_dir, tiny_corpus, tiny_decode, tiny_recipe  # noqa: F401

PROMPT = Prompt(theme="farm", hero="pig", color="pink", adjective="shy", seed=2)
PLAN = Plan(prompt=PROMPT, scenes=(("pig", "barn"), ("hat", "hay"), ("goose", "pond"), ("mud", "laughed"),
                                   ("pond", "friends")), backend="lm", seed=2, plot="lost and found",
            beats=("a shy pig", "her hat is lost", "she looks in the hay", "a goose helps", "friends by the pond"),
            title="The Hat")


@pytest.fixture
def tiny_models(tiny_base, tiny_corpus, tmp_path):  # noqa: F811
    """models/generator (the planner shares it) trained for two steps on the tiny Llama."""
    train(tiny_recipe("generator", tiny_corpus, tmp_path), max_steps=2, log=lambda _: None)
    return tmp_path / "models"


def test_lm_backends_are_registered():
    assert "lm" in PLANNERS.names() and "template" in PLANNERS.names()
    assert "lm" in WRITERS.names() and "template" in WRITERS.names()


def test_missing_adapter_names_the_train_command(tmp_path, tiny_base):  # noqa: F811
    with pytest.raises(BackendError, match="storygen train generator"):  # the planner shares it
        LMPlanner(tmp_path).plan(PROMPT, 0)
    with pytest.raises(BackendError, match="storygen train generator"):
        LMWriter(tmp_path).write(PLAN, 2, 0)
    with pytest.raises(BackendError, match="storygen train generator"):
        adapter_dir("generator", tmp_path)


def test_planner_always_returns_a_contract_plan(tiny_models):
    s = tiny_decode(plan_tokens=30)
    plan = LMPlanner(tiny_models, s).plan(PROMPT, 3)
    # an untrained tiny model writes junk: the template plan stands in, and says so (the model's
    # own plan being read is test_planner_reads_a_plan_written_by_the_model)
    assert plan.backend == "lm-fallback-template"
    assert len(plan.scenes) == 5 and plan.scenes[0][0] == "pig" and len(plan.beats) == 5 and plan.title
    assert plan == LMPlanner(tiny_models, s).plan(PROMPT, 3)


def test_planner_reads_a_plan_written_by_the_model(tiny_models, monkeypatch):
    from storygen.lm import story_model
    from storygen.lm.data import plan_lines
    from tests.test_lm_decode import PLAN as TEXT

    class Fixed(story_model.Engine):
        name = "fixed"

        def __init__(self, tok):
            super().__init__()
            self.tok = tok

        def _generate(self, prompts, max_new, stop, s, seed):
            # the plot line is in the prompt: the model writes the beats and the title after it
            ids = self.tok.encode(plan_lines(TEXT).split("\n", 1)[1], add_special_tokens=False)
            return [ids + [self.tok.eos_token_id] for _ in prompts]

        def log_probs(self, seqs):  # every plot but the plan's is unlikely
            return [[0.0] * (len(q) - 2) + [0.0 if TEXT.plot in self.tok.decode(q) else -20.0] for q in seqs]

    from storygen.lm.base import load_tokenizer

    monkeypatch.setattr(story_model, "load_engine", lambda *a: Fixed(load_tokenizer()))
    plan = LMPlanner(tiny_models).plan(PROMPT, 3)
    assert plan.backend == "lm" and plan.plot == "lost and found" and plan.title == "The Muddy Hat"
    assert plan.beats == TEXT.beats and plan.scenes == TEXT.keywords


@pytest.mark.parametrize("engine", ["hf-int8", "hf", "ct2"])
def test_writer_batch_is_seeded_and_records_settings(tiny_models, engine):
    if engine == "ct2":
        pytest.importorskip("ctranslate2", reason="the optional ct2 engine (pip install ctranslate2==4.8.5)")
    s = replace(tiny_decode(), engine=engine, max_new_tokens=16, retries=1, retry_width=2)
    cands = LMWriter(tiny_models, s).write(PLAN, 3, seed=9)
    assert len(cands.candidates) == 3 and cands.plan == PLAN
    for i, c in enumerate(cands.candidates):
        assert c.backend == "lm" and c.seed == 9 and c.title == "The Hat"
        assert c.settings["engine"] == engine and c.settings["index"] == i and c.settings["k"] == 3
        assert c.settings["temperature"] == s.temperature and c.settings["batch_seed"] == 9
        # junk never passes: one story, then one rewrite round of 2 samples; the problems are kept
        assert c.settings["tries"] == 3 and len(c.settings["rewrites"]) == 1 and c.settings["problems"]
        # the generator's likelihood of the finished story, for the coherence ranker
        assert c.likelihood.digest == story_digest(c.scenes) and c.likelihood.tokens > 2
        assert c.likelihood.nll > 0 and c.likelihood.model.startswith("generator-")
    again = LMWriter(tiny_models, s).write(PLAN, 3, seed=9)
    assert dumps(again) == dumps(cands)  # byte-identical JSON for the same seed
    other = LMWriter(tiny_models, s).write(PLAN, 3, seed=10)
    assert dumps(other) != dumps(cands)
    json.loads(dumps(cands))


def test_threads_are_capped_by_omp_num_threads(monkeypatch):
    """A batch worker's share of the cores (OMP_NUM_THREADS) wins over the recipe's 2 threads."""
    import torch

    from storygen.lm.base import set_threads

    before = torch.get_num_threads()
    try:
        monkeypatch.setenv("OMP_NUM_THREADS", "1")
        set_threads(2)
        assert torch.get_num_threads() == 1
        monkeypatch.delenv("OMP_NUM_THREADS")
        set_threads(2)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
