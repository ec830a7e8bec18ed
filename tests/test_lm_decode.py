import re
from dataclasses import replace

import pytest

from storygen.lm.data import BEAT_ROLES, Encoder, PlanText, plan_lines
from storygen.lm.decode import (check_plan, judge_story, plan_from_output, plot_weights, sample_plans,
                                write_stories)
from storygen.lm.engines import Engine, GeneratedNoRepeat, HFEngine, derive_seed, trim
from storygen.lm.recipe import DecodeSettings
from storygen.records import Prompt
from tests.test_lm_fixtures import build_tokenizer, tiny_base, tiny_base_dir  # noqa: F401

PROMPT = Prompt(theme="farm", hero="pig", color="pink", adjective="shy")
PLAN = PlanText(plot="lost and found",
                beats=("a shy pig and her hat", "the wind takes the hat", "she looks in the hay",
                       "a goose finds it in the pond", "they laugh in the mud"),
                keywords=(("pig", "barn"), ("hat", "wind"), ("hay", "cart"), ("goose", "pond"), ("mud", "hat")),
                title="The Muddy Hat")
SETTINGS = DecodeSettings(engine="hf", retries=2, retry_width=2, max_new_tokens=400, plan_tokens=100)
PLOTS = ("lost and found", "a journey")
GOOD = [
    "A shy pig lived in a red barn on a hill. She liked quiet days best of all.",
    "One morning the wind took the pig's pink hat away. It flew over the fence and was gone.",
    "She looked for it in the hay and under the old cart. She found only a sleepy mouse.",
    "A goose by the pond honked and pointed with her wing. The hat was floating on the water.",
    "The pig and the goose laughed in the mud together. Now the pig wears her hat every sunny day.",
]


@pytest.fixture(scope="module")
def enc():
    return Encoder(build_tokenizer())


def story_text(scenes, start=0):
    """What a writer writes from scene start + 1 on (its marker is already in the prompt)."""
    rows = [f"scene {i} {BEAT_ROLES[i - 1]}: {t}" for i, t in enumerate(scenes, 1)][start:]
    return "\n".join(rows)[len(f"scene {start + 1} {BEAT_ROLES[start]}:"):]


class ScriptEngine(Engine):
    """Answers each prompt with `reply(kind, start, call, row)`: kind "plan" or "story", start =
    the scene the writer goes on from (0 = scene 1)."""

    name = "script"

    def __init__(self, enc, reply):
        super().__init__()
        self.enc, self.reply, self.calls, self.sessions, self.prompts = enc, reply, [], [], []

    def session(self, seed):
        self.sessions.append(seed)

    def _generate(self, prompts, max_new, stop, s, seed):
        self.calls.append(len(prompts))
        out = []
        for row, p in enumerate(prompts):
            text = self.enc.tok.decode(p)
            self.prompts.append(text)
            markers = re.findall(r"scene (\d) [a-z]+:", text)
            kind, start = ("story", int(markers[-1]) - 1) if markers else ("plan", 0)
            out.append(self.enc(self.reply(kind, start, len(self.calls), row)) + [self.enc.eos])
        return out

    def log_probs(self, seqs):
        """Flat, except that `favour` (a plot kind) is far likelier."""
        fav = getattr(self, "favour", None)
        return [[0.0] * (len(q) - 2) + [0.0 if fav and fav in self.enc.tok.decode(q) else -9.0] for q in seqs]


# ------------------------------------------------------------------ checks


def test_a_good_story_passes_every_check():
    v = judge_story(GOOD, True, True, PROMPT)
    assert v.ok and v.problems == () and v.first_bad == 5


@pytest.mark.parametrize("change, problem, first", [
    (lambda s: s[:2] + ["She looked for the pinklet hat in the hay. She found only a sleepy mouse."] + s[3:],
     "scene 3: garbled pick words: pinklet", 2),
    (lambda s: s[:3] + ["A goose by the pond honked at a glorbish. The hat was floating on the water."] + s[4:],
     "scene 4: not English words: glorbish", 3),
    (lambda s: s[:4] + ["The pig and the goose laughed in the"], "scene 5 is cut off", 4),
    (lambda s: ["A shy girl lived in a red barn on a hill. She liked quiet days best of all."] + s[1:],
     "scene 1 does not name the hero", 0),
])
def test_checks_find_the_first_failing_scene(change, problem, first):
    v = judge_story(change(list(GOOD)), True, True, PROMPT)
    assert not v.ok and any(p.startswith(problem) for p in v.problems) and v.first_bad == first


def test_short_unclosed_looping_and_unsafe_stories_fail():
    v = judge_story(GOOD[:3], False, True, PROMPT)
    assert "3 of 5 scenes written" in v.problems and v.first_bad == 3
    loop = GOOD[:1] + ["The pig looked and looked and looked. The pig looked and looked and looked."] * 4
    assert any("repeated 4-grams" in p for p in judge_story(loop, True, True, PROMPT).problems)
    unsafe = judge_story(GOOD[:4] + ["The pig took a sword to the pond. She laughed all day long."], True, True, PROMPT)
    assert unsafe.unsafe and unsafe.rank < judge_story(GOOD[:3], False, True, PROMPT).rank


def test_check_plan_contract():
    assert check_plan(PLAN, PROMPT, PLOTS) == PLAN
    assert check_plan(replace(PLAN, plot="a heist"), PROMPT, PLOTS) is None
    hero_later = replace(PLAN, keywords=(("barn", "pig", "mud"),) + PLAN.keywords[1:])
    assert check_plan(hero_later, PROMPT, PLOTS).keywords[0] == ("pig", "barn", "mud")
    assert check_plan(replace(PLAN, keywords=PLAN.keywords[:4] + (("mud",),)), PROMPT, PLOTS) is None
    assert check_plan(replace(PLAN, title="The Mermid Hat"), PROMPT, PLOTS) is None


# ------------------------------------------------------------------ planner and writer


def after_plot(plan):
    """What the planner writes once its plot line is in the prompt."""
    return plan_lines(plan).split("\n", 1)[1]


def test_planner_takes_the_first_valid_sample_and_reports_rounds(enc):
    bad = after_plot(replace(PLAN, title="The Mermid Hat"))

    def reply(kind, start, call, row):
        assert kind == "plan"
        return bad if call == 1 or row == 0 else after_plot(PLAN)

    engine = ScriptEngine(enc, reply)
    engine.favour = "lost and found"
    s = replace(SETTINGS, samples=2)
    plan, rounds = sample_plans(engine, enc, PROMPT, s, seed=1, rounds=3, plots=PLOTS)
    assert plan == PLAN and rounds == 2 and engine.calls == [2, 2]
    assert engine.prompts[0] == "theme: farm | hero: pig | color: pink | adjective: shy\nplot: lost and found\n"
    none, rounds = sample_plans(ScriptEngine(enc, lambda *a: bad), enc, PROMPT, s, 1, rounds=2, plots=PLOTS)
    assert none is None and rounds == 2


def test_the_plot_is_drawn_from_the_models_probabilities(enc):
    engine = ScriptEngine(enc, lambda *a: after_plot(replace(PLAN, plot="a journey")))
    engine.favour = "a journey"
    assert plot_weights(engine, enc, enc("theme: farm\n"), PLOTS)[1] > 0.99
    plan, _ = sample_plans(engine, enc, PROMPT, replace(SETTINGS, samples=3), seed=4, plots=PLOTS)
    assert plan.plot == "a journey" and all("plot: a journey" in p for p in engine.prompts)


def test_a_plan_is_read_up_to_its_title_line():
    text = plan_lines(PLAN)
    assert plan_from_output(text + "\nscene 1 setup: A shy pig", closed=False) == PLAN
    assert plan_from_output(text, closed=True) == PLAN
    assert plan_from_output(text, closed=False) is None  # the title may have been cut off
    assert plan_from_output(text.rsplit("\n", 1)[0], closed=True) is None  # no title


def test_writer_writes_whole_stories_in_one_batch(enc):
    engine = ScriptEngine(enc, lambda kind, start, call, row: story_text(GOOD, start))
    drafts = write_stories(engine, enc, PROMPT, PLAN, 3, SETTINGS, seed=5)
    assert engine.calls == [3] and all(d.ok and d.scenes == GOOD and d.tries == 1 for d in drafts)
    prompt = engine.prompts[0]
    assert prompt.endswith("title: The Muddy Hat<|im_end|>scene 1 setup:")
    assert "plan 5 ending: they laugh in the mud | mud, hat" in prompt


def test_a_failing_story_is_rewritten_from_its_first_bad_scene_keeping_the_rest(enc):
    broken = GOOD[:2] + ["She looked for the pinklet hat in the hay. She found only a sleepy mouse."] + GOOD[3:]

    def reply(kind, start, call, row):
        if call == 1:
            return story_text(broken if row == 1 else GOOD, start)
        return story_text(GOOD, start)

    engine = ScriptEngine(enc, reply)
    drafts = write_stories(engine, enc, PROMPT, PLAN, 2, SETTINGS, seed=5)
    assert engine.calls == [2, 2]  # one rewrite round, retry_width 2, for the broken one only
    assert all(d.ok and d.scenes == GOOD for d in drafts)
    assert drafts[1].rewrites == [3] and drafts[1].tries == 3 and drafts[0].tries == 1
    rewrite_prompt = engine.prompts[2]
    assert rewrite_prompt.endswith(f"scene 2 problem: {GOOD[1]}\nscene 3 attempt:")


def test_rewrites_are_bounded_and_the_best_attempt_is_kept(enc):
    broken = GOOD[:4] + ["The pig and the glorbish goose laughed. Now the pig wears her hat every sunny day."]
    engine = ScriptEngine(enc, lambda kind, start, call, row: story_text(broken, start))
    drafts = write_stories(engine, enc, PROMPT, PLAN, 1, SETTINGS, seed=5)
    assert engine.calls == [1, 2, 2]  # retries=2 rounds, then it stops
    assert not drafts[0].ok and drafts[0].rewrites == [5, 5] and "glorbish" in drafts[0].verdict.problems[0]


def test_generated_no_repeat_ignores_the_prompt():
    import torch

    proc = GeneratedNoRepeat(2, width=3)
    ids = torch.tensor([[7, 8, 7, 8, 9, 8]])  # prompt 7 8 7, generated 8 9 8
    scores = proc(ids, torch.zeros(1, 12))
    assert scores[0, 9] == -torch.inf  # "8 9" was generated: after 8, 9 is banned
    assert scores[0, 7] == 0  # "8 7" is only in the prompt: allowed


def test_hf_engine_never_decodes_a_banned_sequence(tiny_base_dir, monkeypatch):  # noqa: F811
    from storygen.lm import engines

    engine, enc = _hf(tiny_base_dir)
    p = [enc("theme: farm | hero: pig"), enc("scene 1 setup:")]
    s = DecodeSettings(temperature=1.0, top_p=1.0, ban_unsafe=False)
    free = engine.generate(p, 12, (), s, seed=3)
    token = free[0][2]  # a token this seed does write, now banned
    monkeypatch.setattr(engines, "banned_sequences", lambda tok: [[token]])
    banned = engine.generate(p, 12, (), replace(s, ban_unsafe=True), seed=3)
    assert all(token not in row for row in banned) and banned != free


def test_banned_sequences_cover_inflections_and_capitals(enc):
    from storygen.lm.banned import banned_sequences, word_forms

    assert {"fight", "fights", "fighting", "fighter"} <= set(word_forms("fight"))
    assert {"scare", "scared", "scaring"} <= set(word_forms("scare")) and word_forms("beer pong") == ["beer pong"]
    seqs = {tuple(x) for x in banned_sequences(enc.tok)}
    for word in (" sword", " Sword", " swords", " vampire", " fighting", " facebook"):
        assert tuple(enc(word)) in seqs, word
    assert tuple(enc(" warm")) not in seqs and tuple(enc(" war")) in seqs  # words, not prefixes


def test_trim_and_derive_seed():
    assert trim([5, 6, 1, 7], stop=[1, 2]) == [5, 6, 1]
    assert trim([5, 6], stop=[1]) == [5, 6]
    assert derive_seed("a", 1) == derive_seed("a", 1) != derive_seed("a", 2)
    assert 0 <= derive_seed("x") < 2**31


def _hf(tiny_base_dir):  # noqa: F811
    from storygen.lm.base import load_base

    model, tok = load_base(tiny_base_dir)
    return HFEngine(model, tok, threads=1), Encoder(tok)


def test_hf_engine_is_seeded_and_stops(tiny_base_dir):  # noqa: F811
    engine, enc = _hf(tiny_base_dir)
    p = [enc("theme: farm | hero: pig"), enc("scene 1 setup:")]
    s = DecodeSettings(temperature=1.0, top_p=1.0)
    a = engine.generate(p, 12, (enc.nl,), s, seed=3)
    assert a == engine.generate(p, 12, (enc.nl,), s, seed=3)
    assert a != engine.generate(p, 12, (enc.nl,), s, seed=4)
    assert all(len(o) <= 12 and (enc.nl not in o[:-1]) for o in a)
    assert engine.generated >= sum(len(o) for o in a) and engine.seconds > 0


def test_hf_engine_left_padding_matches_unbatched(tiny_base_dir):  # noqa: F811
    engine, enc = _hf(tiny_base_dir)
    short, long = enc("scene 1 setup:"), enc("theme: farm | hero: pig | color: pink\nscene 1 setup:")
    s = DecodeSettings(temperature=1e-4, top_p=1.0)  # effectively greedy
    batched = engine.generate([long, short], 10, (), s, seed=0)
    assert batched[1] == engine.generate([short], 10, (), s, seed=0)[0]
    assert batched[0] == engine.generate([long], 10, (), s, seed=0)[0]


def test_ct2_engine_converts_once_and_is_deterministic(tiny_base):  # noqa: F811
    pytest.importorskip("ctranslate2", reason="the optional ct2 engine (pip install ctranslate2==4.8.5)")
    from storygen.lm.base import load_base
    from storygen.lm.engines import CT2Engine, ct2_model

    model, tok = load_base(tiny_base)
    built = []
    path = ct2_model(tok, "tiny", build=lambda: built.append(1) or model)
    assert (path / "model.bin").exists() and ct2_model(tok, "tiny", build=lambda: 1 / 0) == path
    assert built == [1]
    enc = Encoder(tok)
    engine = CT2Engine(path, tok, threads=1)
    p = [enc("theme: farm | hero: pig"), enc("scene 1 setup:")]
    s = DecodeSettings(temperature=1.0, top_p=1.0)

    def run(seed):
        engine.session(seed)
        return [engine.generate(p, 12, (enc.nl,), s, seed=0) for _ in range(2)]

    first = run(7)
    assert run(7) == first  # whatever ran before, a session with the same seed repeats itself
    assert run(8) != first
    assert first[0] != first[1]  # the random stream moves on within a session
    lps = engine.log_probs([p[0], p[1]])
    assert [len(lp) for lp in lps] == [len(p[0]) - 1, len(p[1]) - 1] and all(x <= 0 for lp in lps for x in lp)


def test_hf_log_probs_are_the_models_token_likelihoods(tiny_base_dir):  # noqa: F811
    import torch

    engine, enc = _hf(tiny_base_dir)
    seqs = [enc("theme: farm | hero: pig"), enc("plot: lost and found")]
    lps = engine.log_probs(seqs)
    assert [len(lp) for lp in lps] == [len(q) - 1 for q in seqs]
    with torch.no_grad():
        loss = engine.model(input_ids=torch.tensor([seqs[0]]), labels=torch.tensor([seqs[0]])).loss
    assert sum(lps[0]) == pytest.approx(-float(loss) * (len(seqs[0]) - 1), rel=1e-4)
