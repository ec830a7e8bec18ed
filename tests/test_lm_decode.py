import re
from dataclasses import replace

import pytest

from storygen.lm.data import Encoder, scene_prefix_ids, story_prefix_ids
from storygen.lm.decode import (hero_names, judge, normalize_plan, sample_plans, scene_keywords,
                                write_drafts)
from storygen.lm.engines import Engine, HFEngine, derive_seed, trim
from storygen.lm.recipe import DecodeSettings
from storygen.records import Prompt
from tests.test_lm_fixtures import build_tokenizer, tiny_base, tiny_base_dir  # noqa: F401

PROMPT = Prompt(theme="farm", hero="pig", color="pink", adjective="shy")
PLAN = (("pig", "barn"), ("hat", "hay"), ("goose", "pond"), ("mud", "laughed"), ("pond", "friends"))
SETTINGS = DecodeSettings(engine="hf", scene_samples=1, retries=2, retry_width=2, max_new_tokens=40)


@pytest.fixture(scope="module")
def enc():
    return Encoder(build_tokenizer())


class ScriptEngine(Engine):
    """Answers each prompt with text chosen by `reply(scene, call, row)`; scene 0 = title/plan."""

    name = "script"

    def __init__(self, enc, reply):
        super().__init__()
        self.enc, self.reply, self.calls, self.sessions, self.seen_guides = enc, reply, [], [], []

    def session(self, seed):
        self.sessions.append(seed)

    def _generate(self, prompts, max_new, stop, s, seed, guide):
        self.calls.append(len(prompts))
        self.seen_guides.append(guide)
        out = []
        for row, p in enumerate(prompts):
            text = self.enc.decode(p)
            markers = re.findall(r"^(\d) \([^)]*\):", text, re.M)
            scene = int(markers[-1]) if markers and not text.endswith("title:") else 0
            out.append(self.enc(" " + self.reply(scene, len(self.calls), row)) + [self.enc.nl])
        return out


GOOD = [
    "A shy pig lived in a red barn on a hill. She liked quiet days best of all.",
    "One morning the pig lost her hat somewhere in the hay. She looked everywhere for it.",
    "A goose by the pond saw something floating near the pig. It was the hat, wet and muddy.",
    "They dragged it through the mud and laughed until their sides hurt. The pig felt brave.",
    "Now the pig and her friends meet at the pond each evening. Nobody is shy there anymore.",
]


def good(scene: int) -> str:
    return GOOD[scene - 1]


def test_judge_checks_keywords_hero_finish_and_repeats(enc):
    ids = enc(" Rosie the pig found a hat in the hay. She was glad.") + [enc.nl]
    a = judge(ids, enc, ["hat", "hay", "goose"], "pig", (), set(), first=True)
    assert a.missing == ("goose",) and a.hero_ok and a.finished and a.repeats == 0 and not a.ok
    # later scenes may name the hero by the name scene 1 gave it
    ids = enc(" Rosie found a goose in the hay. She was glad and smiled.") + [enc.nl]
    assert judge(ids, enc, ["goose"], "pig", ("Rosie",), set(), first=False).ok
    assert not judge(ids, enc, ["goose"], "pig", ("Rosie",), set(), first=True).hero_ok
    # cut off (no newline, no full stop) is never finished
    cut = enc(" The pig found a goose in the hay and then she")
    assert not judge(cut, enc, ["goose"], "pig", (), set(), first=False).finished
    # 4-grams seen in earlier scenes count as repeats
    seen = {("found", "a", "goose", "in")}
    assert judge(ids, enc, ["goose"], "pig", ("Rosie",), seen, first=False).repeats == 1


def test_judge_marks_flagged_words_unsafe_and_ranks_them_last(enc):
    unsafe = judge(enc(" The pig found a sword in the hay. She was glad.") + [enc.nl], enc, ["hay"], "pig",
                   (), set(), first=True)
    assert unsafe.unsafe == ("sword",) and not unsafe.missing and not unsafe.ok
    # a safe scene that misses a keyword still beats one the filter would reject
    missing = judge(enc(" The pig sat in the barn. She was glad.") + [enc.nl], enc, ["hay"], "pig",
                    (), set(), first=True)
    assert missing.rank() > unsafe.rank()


def test_hf_engine_never_decodes_a_banned_sequence(tiny_base_dir, monkeypatch):  # noqa: F811
    from storygen.lm import engines

    engine, enc = _hf(tiny_base_dir)
    p = [enc("theme: farm | hero: pig"), enc("1 (pig):")]
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


def test_hero_names_and_scene_keywords():
    assert hero_names("A shy pig named Rosie lived here. Her friend called Tom came.") == ("Rosie", "Tom")
    assert scene_keywords(("hat", "pig", "hay"), "pig") == ("pig", "hat", "hay")


def test_normalize_plan_contract():
    plan = (("barn", "mud"), ("a", "b", "c", "d", "e", "f"), ("x", "y"), ("z", "w"), ("v", "u"))
    got = normalize_plan(plan, "pig")
    assert got[0] == ("pig", "barn", "mud") and len(got[1]) == 5
    assert normalize_plan((("pig",), ("x",), ("x", "y"), ("x", "y"), ("x", "y")), "pig") is None
    assert normalize_plan(plan[:4], "pig") is None and normalize_plan(None, "pig") is None


def test_normalize_plan_prefers_new_in_theme_real_words():
    theme = frozenset({"barn", "mud", "hat", "hay", "goose", "pond", "duck"})
    anywhere = theme | {"rocket", "moon"}
    plan = (("barn", "bucchler"), ("hat", "mud", "rocket"), ("hat", "hats", "goose", "pond"),
            ("rocket", "moon"), ("duck", "pond"))
    got = normalize_plan(plan, "pig", (theme, anywhere))
    assert got[0] == ("pig", "barn")  # invented word dropped
    assert got[1] == ("hat", "mud")  # off-theme word dropped: the scene keeps two
    assert got[2] == ("goose", "pond")  # "hat"/"hats" were used in scene 2
    assert got[3] == ("rocket", "moon")  # nothing in theme: real words beat no scene
    assert got[4] == ("duck", "pond")  # a repeat is kept when the scene would be too short


def test_writer_redecodes_only_failing_scenes_and_keeps_the_best(enc):
    def reply(scene, call, row):
        if scene == 0:
            return "The Hat"
        if scene == 2 and row == 0 and call == 2:  # candidate 0 misses "hay" the first time
            return "One morning the pig lost her hat. She looked everywhere for it."
        return good(scene)

    engine = ScriptEngine(enc, reply)
    drafts = write_drafts(engine, enc, PROMPT, PLAN, 2, SETTINGS, seed=5)
    assert [d.tries for d in drafts] == [[1, 3, 1, 1, 1], [1, 1, 1, 1, 1]]
    # scene 2 round 1: both candidates; round 2: candidate 0 only, retry_width samples
    assert engine.calls == [2, 2, 2, 2, 2, 2, 2]
    assert all(all(d.passed) and len(d.scenes) == 5 and d.title == "The Hat" for d in drafts)
    assert drafts[0].scenes[1] == good(2)
    # the decoded story is the prompt, the markers and the accepted scenes, in order
    start = story_prefix_ids(enc, "farm", "pig", "pink", "shy") + scene_prefix_ids(enc, 1, ("pig", "barn"))
    assert drafts[0].prefix(enc, 5)[:len(start)] == start
    assert engine.sessions == [derive_seed("write", 5)]


def test_writer_retries_are_bounded_and_record_failure(enc):
    engine = ScriptEngine(enc, lambda scene, call, row: "Nothing here matches at all, sadly." if scene else "")
    drafts = write_drafts(engine, enc, PROMPT, PLAN, 3, SETTINGS, seed=1)
    # 1 try + 2 rounds x retry_width 2 = 5 decodes per scene, then the best attempt is kept
    assert all(d.tries == [5] * 5 and d.passed == [False] * 5 for d in drafts)
    assert all(len(d.scenes) == 5 for d in drafts)
    assert drafts[0].title == "The Shy Pig"  # an empty title falls back to the picks


def test_planner_takes_first_valid_sample_and_reports_rounds(enc):
    replies = iter(["1: barn | 2: hat", "nonsense", "1: barn, mud | 2: hat, hay | 3: goose, pond | 4: mud, laughed | 5: pond, friends",
                    "1: a, b | 2: a, b | 3: a, b | 4: a, b | 5: a, b"])
    engine = ScriptEngine(enc, lambda scene, call, row: next(replies))
    s = DecodeSettings(samples=2)
    scenes, rounds = sample_plans(engine, enc, PROMPT, s, seed=0, rounds=3)
    assert rounds == 2 and scenes[0] == ("pig", "barn", "mud") and scenes[4] == ("pond", "friends")
    engine = ScriptEngine(enc, lambda *a: "junk")
    assert sample_plans(engine, enc, PROMPT, s, seed=0, rounds=2) == (None, 2)
    assert engine.calls == [2, 2]
    # a plan the safety check refuses is skipped like an invalid one
    engine = ScriptEngine(enc, lambda *a: "1: a, b | 2: a, b | 3: a, b | 4: a, b | 5: a, b")
    assert sample_plans(engine, enc, PROMPT, s, seed=0, rounds=1, accept=lambda sc: False) == (None, 1)


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
    p = [enc("theme: farm | hero: pig"), enc("1 (pig):")]
    s = DecodeSettings(temperature=1.0, top_p=1.0)
    a = engine.generate(p, 12, (enc.nl,), s, seed=3)
    assert a == engine.generate(p, 12, (enc.nl,), s, seed=3)
    assert a != engine.generate(p, 12, (enc.nl,), s, seed=4)
    assert all(len(o) <= 12 and (enc.nl not in o[:-1]) for o in a)
    assert engine.generated >= sum(len(o) for o in a) and engine.seconds > 0


def test_hf_engine_left_padding_matches_unbatched(tiny_base_dir):  # noqa: F811
    engine, enc = _hf(tiny_base_dir)
    short, long = enc("1 (pig):"), enc("theme: farm | hero: pig | color: pink\n1 (pig, barn):")
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
    p = [enc("theme: farm | hero: pig"), enc("1 (pig):")]
    s = DecodeSettings(temperature=1.0, top_p=1.0)

    def run(seed):
        engine.session(seed)
        return [engine.generate(p, 12, (enc.nl,), s, seed=0) for _ in range(2)]

    first = run(7)
    assert run(7) == first  # whatever ran before, a session with the same seed repeats itself
    assert run(8) != first
    assert first[0] != first[1]  # the random stream moves on within a session


def test_keyword_guide_steers_hf_toward_missing_keywords(tiny_base_dir):  # noqa: F811
    engine, enc = _hf(tiny_base_dir)
    prompt = [enc("1 (pig, goose):")] * 4
    s = DecodeSettings(temperature=1.0, top_p=1.0)
    free = engine.generate(prompt, 30, (enc.nl,), s, seed=1)
    steered = engine.generate(prompt, 30, (enc.nl,), s, seed=1, guide=[["goose", "pond"]] * 4)
    from storygen.lm.decode import has_word

    def hits(outs):
        return sum(has_word(enc.decode(o), k) for o in outs for k in ("goose", "pond"))

    # a random model hardly writes them unprompted; steered, (almost) every row writes both
    assert hits(free) <= 1 and hits(steered) >= 5
    assert all(o[-1] == enc.nl or len(o) == 30 for o in steered)


def test_keyword_guide_finishes_a_begun_keyword_and_holds_the_scene_open(enc):
    import torch

    from storygen.lm.guide import GuideSettings, KeywordGuide

    guide = KeywordGuide(enc, [["butterflies"]], start=1, close=[enc.nl], settings=GuideSettings(base=1.0, slope=0.0))
    ids = enc(" butterflies")
    vocab = len(enc.tok)
    begun = torch.tensor([[0] + ids[:1]])
    scores = guide(begun, torch.zeros(1, vocab))
    if len(ids) > 1:
        assert scores[0, ids[1]] == guide.s.finish
    assert scores[0, enc.nl] == -guide.s.close_penalty
    done = torch.tensor([[0] + ids])
    assert guide(done, torch.zeros(1, vocab)).abs().sum() == 0  # nothing missing: no change


def test_failing_scenes_are_redecoded_guided_in_one_batch(enc):
    first = ScriptEngine(enc, lambda scene, call, row: good(scene) if scene != 3 else "No keywords here, sorry.")
    steer = ScriptEngine(enc, lambda scene, call, row: good(scene))
    steer.guides = True
    drafts = write_drafts(first, enc, PROMPT, PLAN, 2, SETTINGS, seed=5, guide_engine=steer)
    assert [d.passed for d in drafts] == [[True] * 5] * 2
    # scene 3: 1 + 2 rounds x 2 samples on the first engine, then one guided re-decode
    assert [d.tries for d in drafts] == [[1, 1, 6, 1, 1]] * 2
    # both candidates' scene 3 in one batch, steered toward the scene's marker keywords
    assert steer.calls == [2] and steer.seen_guides == [[["pig", "goose", "pond"]] * 2]
    assert drafts[0].scenes[2] == good(3)
    assert all(g is None for g in first.seen_guides)
    off = ScriptEngine(enc, lambda scene, call, row: good(scene) if scene != 3 else "Nothing.")
    write_drafts(off, enc, PROMPT, PLAN, 1, replace(SETTINGS, guided="off"), seed=5, guide_engine=steer)
    assert steer.calls == [2]  # guidance off: the guide engine is never used


def test_best_of_scene_samples_in_one_batch(enc):
    engine = ScriptEngine(enc, lambda scene, call, row: "The Hat" if not scene else
                          (good(scene) if row % 2 else "Only words, no plan at all."))
    drafts = write_drafts(engine, enc, PROMPT, PLAN, 2, replace(SETTINGS, scene_samples=2, retries=0), seed=1)
    assert engine.calls == [4] * 5 + [2]  # 2 candidates x 2 samples per scene, then the titles
    assert all(d.passed == [True] * 5 and d.tries == [2] * 5 for d in drafts)


def test_scene_context_window_keeps_scene_one_and_the_last_ones(enc):
    from storygen.lm.decode import Draft

    d = Draft(start=[7], markers=[[1], [2], [3], [4]], bodies=[[11], [12], [13], [14]])
    nl = enc.nl
    assert d.prefix(enc, 4) == [7, 1, 11, nl, 2, 12, nl, 3, 13, nl, 4, 14, nl]
    assert d.prefix(enc, 4, window=2) == [7, 1, 11, nl, 4, 14, nl]
    assert d.prefix(enc, 4, window=3) == [7, 1, 11, nl, 3, 13, nl, 4, 14, nl]
    assert d.prefix(enc, 1, window=2) == [7, 1, 11, nl] and d.prefix(enc, 0, window=2) == [7]
