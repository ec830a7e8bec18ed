"""scripts/bench.py on stand-in books: the statistics, results.json's shape, the kept previous run
and the regression flags. The real bench is `make bench`, not a test."""
import importlib.util
import json
import os
from pathlib import Path

import pytest

from storygen.config import ROOT
from storygen.config import settings as load_settings
from storygen.io import write_text
from storygen.pipeline import book_name


def _load_bench():
    spec = importlib.util.spec_from_file_location("storygen_bench", ROOT / "scripts" / "bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


bench = _load_bench()
STAGES = {"plan": 0.01, "write": 2.0, "rank": 0.5, "scene": 1.0, "narrate": 2.0, "music": 0.5, "sfx": 0.1, "book": 0.01}


def fake_maker(slow=1.0, tokens=True, fail_seed=None):
    """A make_book stand-in: writes manifest.json + candidates.json, with seed-dependent timings."""
    calls = []

    def make(prompt, out_root, settings, force=False):
        calls.append((prompt, os.environ["STORYGEN_HOME"]))
        if prompt.seed == fail_seed:
            raise RuntimeError("stage exploded")
        book = Path(out_root) / book_name(prompt)
        seconds = {k: round(v * slow * prompt.seed, 3) for k, v in STAGES.items()}
        write_text(book / "manifest.json", json.dumps({"stage_seconds": seconds}))
        settings_ = {"tokens": 100 * prompt.seed} if tokens else {}
        cands = [{"scenes": ["A fish swam.", "It was happy."], "title": "T", "settings": settings_}] * 2
        write_text(book / "candidates.json", json.dumps({"candidates": cands}))
        return book, True

    make.calls = calls
    return make


def test_percentile_matches_linear_interpolation():
    assert bench.percentile([10, 1, 4, 2, 3], 50) == 3
    assert bench.percentile([1, 2, 3, 4, 10], 90) == pytest.approx(7.6)
    assert bench.percentile([5.0], 90) == 5.0
    assert bench.spread([1, 2, 3, 4]) == {"median": 2.5, "p90": 3.7, "min": 1, "max": 4}
    with pytest.raises(ValueError):
        bench.percentile([], 50)


def test_bench_prompts_are_fixed_valid_and_varied():
    a, b = bench.bench_prompts(5), bench.bench_prompts(5)
    assert a == b and [p.seed for p in a] == [1, 2, 3, 4, 5]
    assert len({p.theme for p in a}) == 5 and len({book_name(p) for p in a}) == 5


def test_measure_shape_and_figures(storygen_home):
    maker = fake_maker()
    res = bench.measure(3, maker=maker)
    assert res["kind"] == "bench_results" and res["schema_version"] == 1
    assert res["config"]["books"] == 3 and res["config"]["workers"] == 1
    assert res["config"]["backends"] == load_settings().backends.to_dict()
    # seeds 1, 2, 3 scale every stage: write = 2, 4, 6 s
    assert res["stages"]["write"] == {"median": 4.0, "p90": 5.6, "min": 2.0, "max": 6.0}
    assert list(res["stages"]) == list(STAGES)
    assert res["story_s"]["median"] == 5.02  # plan + write + rank = 2.51 s per seed
    # tokens: 2 candidates x 100*seed, over write seconds 2+4+6
    assert res["tokens"] == {"total": 1200, "source": "writer", "per_s": 100.0}
    assert res["book_s"]["first"] == res["books"][0]["seconds"] and res["failed"] == 0
    assert res["peak_rss_mib"]["max"] >= res["peak_rss_mib"]["self"] > 10
    assert res["books_per_hour"] > 0 and res["wall_s"] > 0
    assert res["machine"]["cpu_s"] >= 0 and res["machine"]["load_avg_at_start"] >= 0
    assert res["targets"]["book_median_s"]["ok"] is True and res["targets"]["tokens_per_s"]["ok"] is True
    # Books were made in a private consent store, which is gone afterwards; ours is untouched.
    homes = {home for _, home in maker.calls}
    assert len(homes) == 1 and str(storygen_home) not in homes and not Path(homes.pop()).exists()
    assert os.environ["STORYGEN_HOME"] == str(storygen_home) and not storygen_home.exists()


def test_a_failed_book_is_reported_not_fatal(storygen_home):
    res = bench.measure(3, maker=fake_maker(fail_seed=2))
    assert res["failed"] == 1 and res["books"][1]["error"] == "RuntimeError: stage exploded"
    assert res["stages"]["write"]["median"] == 4.0  # books 1 and 3 only: 2 and 6 s


def test_tokens_when_the_writer_does_not_report_them(tmp_path, monkeypatch):
    book = tmp_path / "b"
    cands = [{"scenes": ["one two", "three"], "title": "Hi", "settings": {}}] * 3
    write_text(book / "candidates.json", json.dumps({"candidates": cands}))
    assert bench.generation_tokens(book, "template") == (None, "template writer (generates no tokens)")
    monkeypatch.setattr(bench, "_tokenizer", lambda: None)
    assert bench.generation_tokens(book, "lm")[0] is None

    class Words:  # a stand-in tokenizer: one token per word
        def encode(self, text):
            return type("E", (), {"ids": text.split()})()

    monkeypatch.setattr(bench, "_tokenizer", lambda: Words())
    assert bench.generation_tokens(book, "lm") == (3 * 4, "tokenizer")
    assert bench.generation_tokens(tmp_path / "none", "lm") == (None, "no candidates.json")


def test_save_keeps_previous_and_compare_flags_regressions(tmp_path, storygen_home):
    first = bench.measure(2, maker=fake_maker())
    assert bench.save(first, tmp_path) is None
    slower = bench.measure(2, maker=fake_maker(slow=1.5, tokens=False))
    before = bench.save(slower, tmp_path)
    assert before == first == json.loads((tmp_path / "previous.json").read_text())
    assert json.loads((tmp_path / "results.json").read_text()) == slower
    rows = {r["metric"]: r for r in bench.compare(slower, before)}
    assert rows["write median"]["regression"] and rows["write median"]["worse_by"] == 0.5
    assert not rows["full book median"]["regression"]  # the stand-in books take milliseconds: noise
    # 0.01 s -> 0.015 s is +50 % but under the noise floor: not flagged
    assert rows["plan median"]["worse_by"] == pytest.approx(0.5, abs=0.05) and not rows["plan median"]["regression"]
    assert rows["tokens/s"]["now"] is None and not rows["tokens/s"]["regression"]
    faster = {**first, "tokens": {"total": 1, "source": "writer", "per_s": 50.0}}
    tok = {r["metric"]: r for r in bench.compare(faster, first)}["tokens/s"]
    assert tok["worse_by"] == 0.5 and tok["regression"]  # fewer tokens/s is worse
    assert all(r["before"] is None and not r["regression"] for r in bench.compare(first, None))


def test_load_results_ignores_foreign_files(tmp_path):
    (tmp_path / "x.json").write_text('{"kind": "book_manifest"}')
    (tmp_path / "y.json").write_text("{oops")
    assert bench.load_results(tmp_path / "x.json") is None
    assert bench.load_results(tmp_path / "y.json") is None
    assert bench.load_results(tmp_path / "missing.json") is None


def test_config_changes_are_named():
    a = {"config": {"books": 5, "workers": 1, "candidates": 4, "backends": {"writer": "template"}}, "machine": {"cpus": 2}}
    b = {"config": {"books": 5, "workers": 1, "candidates": 4, "backends": {"writer": "lm"}}, "machine": {"cpus": 2}}
    assert bench.config_changes(b, a) == ["writer backend: template -> lm"]
    assert bench.config_changes(b, None) == []


def test_main_writes_results_and_fails_on_regression_when_asked(tmp_path, storygen_home, monkeypatch, capsys):
    import storygen.pipeline

    monkeypatch.setattr(storygen.pipeline, "make_book", fake_maker())
    assert bench.main(["--books", "2", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "full book median" in out and "write median" in out and "target book_median_s" in out
    monkeypatch.setattr(storygen.pipeline, "make_book", fake_maker(slow=3.0))
    assert bench.main(["--books", "2", "--out", str(tmp_path)]) == 0  # reported, not fatal by default
    assert "REGRESSION" in capsys.readouterr().out
    monkeypatch.setattr(storygen.pipeline, "make_book", fake_maker(slow=9.0))
    assert bench.main(["--books", "2", "--out", str(tmp_path), "--fail-on-regression"]) == 1
    kept = json.loads((tmp_path / "results.json").read_text())
    monkeypatch.setattr(storygen.pipeline, "make_book", fake_maker(fail_seed=1))
    assert bench.main(["--books", "1", "--out", str(tmp_path)]) == 1  # every book failed
    assert json.loads((tmp_path / "results.json").read_text()) == kept  # left unchanged


def test_measure_through_the_worker_pool(storygen_home):
    from tests.test_batch import fake_make  # importable by spawned workers

    res = bench.measure(2, workers=2, maker=fake_make)
    assert res["config"]["workers"] == 2 and res["config"]["engine"] == "local" and res["failed"] == 0
    assert res["stages"]["write"]["median"] == 1.5  # the stand-in's write takes `seed` seconds
    assert res["tokens"] == {"total": None, "source": "no candidates.json", "per_s": None}
    assert res["peak_rss_mib"]["children"] > 10  # the workers' peak is counted once they exit


def test_budget_targets_from_design():
    stages = {k: {"median": v} for k, v in STAGES.items()}
    fake = {"book_s": {"median": 61.0}, "story_s": {"median": 2.51}, "tokens": {"per_s": None},
            "peak_rss_mib": {"max": 2048.0}, "stages": stages}
    t = bench.check_targets(fake)
    assert t["book_median_s"] == {"value": 61.0, "target": 60.0, "ok": False}
    assert t["story_median_s"]["ok"] is True and t["tokens_per_s"]["ok"] is None
    assert t["peak_rss_gib"] == {"value": 2.0, "target": 3.0, "ok": True}
    assert t["scene_s_per_scene"]["value"] == 0.2 and t["music_sfx_s_per_scene"]["value"] == 0.12


def test_metric_names_do_not_collide_with_stage_names():
    res = {"book_s": {"median": 3.7, "p90": 4.0, "first": 4.5}, "stages": {"book": {"median": 0.001, "p90": 0.002}},
           "tokens": {}, "peak_rss_mib": {"max": 500.0}, "books_per_hour": 900.0}
    m = bench.metrics(res)
    assert m["full book median"][0] == 3.7 and m["book median"][0] == 0.001


def test_p90_and_cold_book_are_shown_but_never_flagged():
    before = {"book_s": {"median": 4.0, "p90": 4.0, "first": 4.0}, "stages": {}, "tokens": {},
              "peak_rss_mib": {"max": 500.0}, "books_per_hour": 900.0}
    now = {**before, "book_s": {"median": 4.1, "p90": 8.0, "first": 8.0}, "peak_rss_mib": {"max": 700.0}}
    rows = {r["metric"]: r for r in bench.compare(now, before)}
    assert rows["full book p90"]["worse_by"] == 1.0 and not rows["full book p90"]["regression"]
    assert not rows["full book first (cold)"]["regression"] and not rows["full book median"]["regression"]
    assert rows["peak RSS"]["worse_by"] == 0.4 and rows["peak RSS"]["regression"]


def test_backend_overrides(storygen_home, tmp_path, monkeypatch, capsys):
    import storygen.pipeline

    maker = fake_maker()
    monkeypatch.setattr(storygen.pipeline, "make_book", maker)
    assert bench.main(["--books", "1", "--out", str(tmp_path), "--backend", "writer=lm", "--backend", "music=x"]) == 0
    res = json.loads((tmp_path / "results.json").read_text())
    assert res["config"]["backends"]["writer"] == "lm" and res["config"]["backends"]["music"] == "x"
    assert len(maker.calls) == 1
    capsys.readouterr()
    with pytest.raises(SystemExit):
        bench.main(["--books", "1", "--out", str(tmp_path), "--backend", "painter=lm"])
    assert "KIND=NAME with KIND one of planner, writer" in capsys.readouterr().err
