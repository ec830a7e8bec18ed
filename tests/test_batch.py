"""`storygen batch`: prompts.jsonl parsing, consent up front, the process pool (models loaded once
per worker, failures collected, resumable), the CLI's exit codes; Ray and real books under slow."""
import functools
import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen import batch as batch_mod
from storygen import consent
from storygen.cli import batch as batch_cli
from storygen.batch import BookTask, parse_line, read_prompts, require_consent, run_batch, summarize
from storygen.cli import main
from storygen.config import settings as load_settings
from storygen.errors import BackendError, ConsentError, OptionError
from storygen.io import write_record, write_text
from storygen.pipeline import book_name
from storygen.records import BookManifest

GOOD = {"theme": "underwater", "hero": "mermaid", "color": "teal", "adjective": "silly", "seed": 1}


def line(**changes):
    data = {**GOOD, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...})


# ------------------------------------------------------------------ a stand-in for make_book
# Top-level so spawned workers can import it. The "model" is cached per process like the real
# stage code caches its models, and every book records how many loads its process had done.

_LOADS: list[int] = []


@functools.lru_cache(maxsize=None)
def _load_model() -> str:
    _LOADS.append(os.getpid())
    return "model"


def fake_make(prompt, out_root, settings, force=False):
    if prompt.hero == "octopus":
        raise OptionError("the octopus is shy today")
    if prompt.hero == "crab":
        raise RuntimeError("a bug in a stage")
    if prompt.hero == "turtle":
        os._exit(3)  # a worker killed mid-book (out of memory, say)
    book = Path(out_root) / book_name(prompt)
    if (book / "manifest.json").exists() and not force:
        return book, False
    _load_model()
    # A real manifest (a batch trusts nothing less as a finished book); the test's own facts beside it.
    write_text(book / "fake.json", json.dumps({"pid": os.getpid(), "loads": len(_LOADS)}))
    write_record(book / "manifest.json", BookManifest(
        prompt=prompt, seed=prompt.seed, title="t", versions={}, backends={},
        stage_seconds={"plan": 0.5, "write": float(prompt.seed)}, files=("manifest.json",)))
    return book, True


def tasks_for(*heroes, theme="underwater"):
    return [BookTask(line=i + 1, prompt=parse_line(line(theme=theme, hero=h, seed=i + 1), i + 1).prompt)
            for i, h in enumerate(heroes)]


# ------------------------------------------------------------------ prompts.jsonl


def test_parse_line_normalises_a_good_prompt():
    task = parse_line(line(theme=" Underwater ", hero="MERMAID", profile="kid-1"), 3)
    assert task.error is None and task.line == 3
    assert (task.prompt.theme, task.prompt.hero, task.prompt.seed, task.prompt.profile) == ("underwater", "mermaid", 1, "kid-1")
    assert task.name == "underwater-mermaid-teal-silly-seed1"
    assert parse_line(line(seed=...), 1, default_seed=9).prompt.seed == 9


@pytest.mark.parametrize("text, fragment", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object, got list"),
    (line(adj="silly"), "unknown key(s) adj"),
    (line(color=...), "missing key(s) color"),
    (line(seed=True), "seed must be a whole number"),
    (line(seed=-1), "seed must be a whole number"),
    (line(seed="1"), "seed must be a whole number"),
    (line(hero=5), "hero must be text"),
    (line(hero="dragon"), "Unknown hero 'dragon' for theme 'underwater'; choose one of: mermaid"),
    (line(color="plaid"), "Unknown color 'plaid'"),
    (line(profile="Bad Name!"), "Profile name 'Bad Name!' is not allowed"),
])
def test_parse_line_refusals_say_what_to_fix(text, fragment):
    task = parse_line(text, 7)
    assert task.prompt is None and task.line == 7 and task.name == ""
    assert fragment in task.error


def test_read_prompts_skips_blank_lines_and_refuses_duplicates(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join([line(), "", line(hero="dolphin"), line(hero="Mermaid"), "   "]) + "\n")
    tasks = read_prompts(path)
    assert [t.line for t in tasks] == [1, 3, 4]
    assert tasks[1].prompt.hero == "dolphin"
    assert tasks[2].prompt is None and tasks[2].error == "same picks and seed as line 1; give it another seed"


def test_read_prompts_errors(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(OptionError, match="has no prompts"):
        read_prompts(empty)
    with pytest.raises(OptionError, match="Cannot read"):
        read_prompts(tmp_path / "missing.jsonl")


def test_consent_is_required_for_every_profile_before_anything_runs(storygen_home):
    tasks = [parse_line(line(profile=p, seed=i), i) for i, p in enumerate(["default", "zoe", "amir"])]
    tasks.append(parse_line("{bad", 9))  # a refused line has no profile to check
    consent.grant("Guardian", "zoe")
    with pytest.raises(ConsentError) as exc:
        require_consent(tasks)
    msg = str(exc.value)
    assert "'amir', 'default'" in msg and "'zoe'" not in msg and "nothing was made" in msg
    assert "storygen consent grant --guardian NAME --profile amir" in msg
    consent.grant("Guardian", "amir")
    consent.grant("Guardian", "default")
    require_consent(tasks)


# ------------------------------------------------------------------ the process pool


def test_pool_loads_once_per_worker_collects_failures_and_resumes(tmp_path):
    tasks = tasks_for("mermaid", "dolphin", "octopus", "crab", "mermaid")
    tasks.insert(2, BookTask(line=99, error="not valid JSON"))
    seen = []
    results = run_batch(tasks, tmp_path, load_settings(), workers=2, maker=fake_make, on_result=seen.append)
    assert [r.line for r in results] == [1, 2, 99, 3, 4, 5] and sorted(r.line for r in seen) == [1, 2, 3, 4, 5, 99]
    assert [r.status for r in results] == ["made", "made", "failed", "failed", "failed", "made"]
    shy, bug = results[3], results[4]
    assert shy.error == "the octopus is shy today" and shy.trace is None  # a StorygenError: its message
    assert bug.error == "RuntimeError: a bug in a stage" and "Traceback" in bug.trace
    assert results[2].error == "not valid JSON" and results[2].name == ""
    made = [r for r in results if r.status == "made"]
    assert made[1].stage_seconds == {"plan": 0.5, "write": 2.0}
    manifests = [json.loads((Path(r.book) / "fake.json").read_text()) for r in made]
    assert {m["pid"] for m in manifests} == {r.worker for r in made} and len({r.worker for r in made}) <= 2
    assert os.getpid() not in {r.worker for r in made}  # the books were made in workers
    assert all(m["loads"] == 1 for m in manifests)  # 3 books, <= 2 workers, one load each

    # Rerun: finished books are skipped without starting a worker; failures are tried again.
    again = run_batch(tasks, tmp_path, load_settings(), workers=2, maker=fake_make)
    assert [r.status for r in again] == ["skipped", "skipped", "failed", "failed", "failed", "skipped"]
    assert again[0].worker == 0 and again[0].book == str(tmp_path / tasks[0].name)


def test_force_remakes_and_summary_counts(tmp_path):
    tasks = tasks_for("mermaid")
    run_batch(tasks, tmp_path, load_settings(), workers=1, maker=fake_make)
    before = (tmp_path / tasks[0].name / "manifest.json").stat().st_mtime_ns
    results = run_batch(tasks, tmp_path, load_settings(), workers=1, force=True, maker=fake_make)
    assert results[0].status == "made"
    assert (tmp_path / tasks[0].name / "manifest.json").stat().st_mtime_ns > before
    assert summarize(results + [results[0].__class__(line=2, name="x", status="failed")], 7.2) == {
        "books": 2, "made": 1, "skipped": 0, "failed": 1, "wall_s": 7.2, "books_per_hour": 500.0}
    assert summarize([], 0.0)["books_per_hour"] == 0.0


def test_a_dying_worker_fails_its_book_only(tmp_path):
    tasks = tasks_for("turtle", "mermaid", "dolphin")
    results = run_batch(tasks, tmp_path, load_settings(), workers=2, maker=fake_make)
    assert [r.status for r in results] == ["failed", "made", "made"]
    assert "worker process died while making it" in results[0].error


def test_threads_per_worker_shares_the_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert [batch_mod.threads_per_worker(w) for w in (1, 2, 3, 16)] == [8, 4, 2, 1]
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    batch_mod._init_worker(4)
    assert os.environ["OMP_NUM_THREADS"] == "3" and os.environ["MKL_NUM_THREADS"] == "4"


# ------------------------------------------------------------------ the command


@pytest.fixture
def fake_engine(monkeypatch):
    def run(**kw):
        return run_batch(maker=fake_make, **kw)

    monkeypatch.setattr(batch_cli, "run_batch", run)


def write_prompts(path, *lines):
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_batch_reports_failures_and_exits_1(tmp_path, consented, fake_engine):
    prompts = write_prompts(tmp_path / "p.jsonl", line(), line(hero="octopus"), "nope", line(hero="dolphin"))
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["batch", str(prompts), "--out", str(tmp_path / "books"),
                                       "--workers", "2", "--report", str(report)])
    assert result.exit_code == 1, result.output
    assert "the octopus is shy today" in result.output and "not valid JSON" in result.output
    assert "Failures" in result.output
    data = json.loads(report.read_text())
    assert data["summary"]["made"] == 2 and data["summary"]["failed"] == 2
    assert [r["status"] for r in data["results"]] == ["made", "failed", "failed", "made"]
    # A fixed file, rerun: the two finished books are skipped, the new one made, exit 0.
    fake = write_prompts(tmp_path / "ok.jsonl", line(), line(hero="dolphin"), line(hero="mermaid", seed=5))
    result = CliRunner().invoke(main, ["batch", str(fake), "--out", str(tmp_path / "books"), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert [r["status"] for r in json.loads(report.read_text())["results"]] == ["skipped", "skipped", "made"]


def test_cli_batch_without_consent_makes_nothing(tmp_path, storygen_home, fake_engine):
    consent.grant("Guardian", "zoe")
    prompts = write_prompts(tmp_path / "p.jsonl", line(profile="zoe"), line(profile="sam", seed=2))
    result = CliRunner().invoke(main, ["batch", str(prompts), "--out", str(tmp_path / "books")])
    assert result.exit_code == 2 and "'sam'" in result.output and "--profile sam" in result.output
    assert not (tmp_path / "books").exists()


def test_cli_batch_usage_errors(tmp_path, consented):
    prompts = write_prompts(tmp_path / "p.jsonl", line())
    runner = CliRunner()
    assert runner.invoke(main, ["batch", str(prompts), "--address", "auto"]).exit_code == 2
    assert runner.invoke(main, ["batch", str(tmp_path / "none.jsonl")]).exit_code == 2
    assert runner.invoke(main, ["batch", str(prompts), "--workers", "0"]).exit_code == 2
    empty = write_prompts(tmp_path / "e.jsonl", "")
    result = runner.invoke(main, ["batch", str(empty)])
    assert result.exit_code == 2 and "has no prompts" in result.output


def test_help_states_exit_codes():
    text = CliRunner().invoke(main, ["batch", "--help"]).output
    assert "0 if every book was made or skipped, 1 if some failed" in text


def test_ray_missing_is_a_clear_error(tmp_path, consented, monkeypatch):
    from storygen import batch_ray

    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail
    with pytest.raises(BackendError, match=r"pip install ray==2\.60\.0"):
        batch_ray.import_ray()
    prompts = write_prompts(tmp_path / "p.jsonl", line())
    result = CliRunner().invoke(main, ["batch", str(prompts), "--engine", "ray", "--out", str(tmp_path / "b")])
    assert result.exit_code == 2 and "pip install ray==2.60.0" in result.output
    assert not (tmp_path / "b").exists()


def test_ray_engine_module_does_not_import_ray():
    # The Ray engine imports nothing of Ray at module level, so it loads without Ray installed.
    import importlib

    mod = importlib.import_module("storygen.batch_ray")
    assert "ray" not in vars(mod) and mod.RAY_INSTALL == "pip install ray==2.60.0"


# ------------------------------------------------------------------ the Ray engine on a stand-in Ray
# Calls run synchronously in this process; a "turtle" book kills its actor, as os._exit would.


class _Ref:
    def __init__(self, value):
        self.value = value


class _Actor:
    def __init__(self, fake, body):
        self.fake, self.body, self.books = fake, body, []
        actor = self

        class _Method:
            def remote(self, task, *args):
                actor.books.append(task.line)
                if task.prompt and task.prompt.hero == "turtle":
                    return _Ref(RuntimeError("The actor died unexpectedly\nmore detail"))
                return _Ref(actor.body.make(task, *args))

        self.make = _Method()


class FakeRay:
    def __init__(self, cpus=2, initialized=False):
        self.cpus, self.initialized = cpus, initialized
        self.init_kwargs, self.shutdowns, self.actors, self.killed, self.options = None, 0, [], [], {}

    def is_initialized(self):
        return self.initialized

    def init(self, **kw):
        self.initialized, self.init_kwargs = True, kw

    def shutdown(self):
        self.initialized, self.shutdowns = False, self.shutdowns + 1

    def cluster_resources(self):
        return {"CPU": float(self.cpus)}

    def put(self, value):
        return value

    def remote(self, **opts):
        fake = self
        fake.options.update(opts)

        class _Cls:
            def __init__(self, body_cls):
                self.body_cls = body_cls

            def options(self, **kw):
                fake.options.update(kw)
                return self

            def remote(self):
                fake.actors.append(_Actor(fake, self.body_cls()))
                return fake.actors[-1]

        return _Cls

    def wait(self, refs, num_returns=1):
        return refs[:1], refs[1:]

    def get(self, ref):
        if isinstance(ref.value, BaseException):
            raise ref.value
        return ref.value

    def kill(self, actor, no_restart=False):
        self.killed.append(actor)


@pytest.fixture
def fake_ray(monkeypatch):
    from storygen import batch_ray

    fake = FakeRay()
    monkeypatch.setattr(batch_ray, "import_ray", lambda: fake)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("STORYGEN_CACHE", "/shared/cache")
    return fake


def test_ray_engine_starts_a_private_cluster_and_replaces_dead_actors(tmp_path, fake_ray):
    from storygen.batch_ray import run_batch_ray

    tasks = tasks_for("octopus", "turtle", "mermaid", "dolphin")
    tasks.append(BookTask(line=9, error="not valid JSON"))
    seen = []
    results = run_batch_ray(tasks, tmp_path, load_settings(), workers=2, maker=fake_make, on_result=seen.append)
    assert [r.status for r in results] == ["failed", "failed", "made", "made", "failed"]
    assert results[0].error == "the octopus is shy today"
    assert results[1].error == "Ray worker failed: RuntimeError: The actor died unexpectedly"
    assert len(seen) == 5 and results[2].book == str(tmp_path.resolve() / tasks[2].name)
    assert fake_ray.init_kwargs["num_cpus"] == 2 and fake_ray.init_kwargs["include_dashboard"] is False
    assert fake_ray.init_kwargs["log_to_driver"] is False and "address" not in fake_ray.init_kwargs
    assert fake_ray.shutdowns == 1 and not fake_ray.initialized  # the cluster it started is gone
    assert fake_ray.options["num_cpus"] == 1  # 2 actors share 2 cores
    assert fake_ray.options["runtime_env"]["env_vars"]["STORYGEN_CACHE"] == "/shared/cache"
    assert len(fake_ray.actors) == 3 and fake_ray.killed == [fake_ray.actors[1]]
    assert sorted(b for a in fake_ray.actors for b in a.books) == [1, 2, 3, 4]
    again = run_batch_ray(tasks, tmp_path, load_settings(), workers=2, maker=fake_make)
    assert [r.status for r in again] == ["failed", "failed", "skipped", "skipped", "failed"]
    assert len(fake_ray.actors) == 5  # only the two failed books needed actors


def test_ray_engine_on_a_joined_cluster(tmp_path, fake_ray):
    from storygen.batch_ray import run_batch_ray

    fake_ray.cpus = 1
    run_batch_ray(tasks_for("mermaid", "dolphin", "crab"), tmp_path, load_settings(), workers=3,
                  maker=fake_make, address="ray://head:10001")
    assert fake_ray.init_kwargs["address"] == "ray://head:10001" and "num_cpus" not in fake_ray.init_kwargs
    assert len(fake_ray.actors) == 1 and fake_ray.options["num_cpus"] == 1  # one CPU: one actor
    assert fake_ray.shutdowns == 1  # the driver disconnects; the cluster itself is not ours
    fake_ray.initialized, fake_ray.init_kwargs = True, None  # a caller already connected
    run_batch_ray(tasks_for("mermaid", "turtle"), tmp_path / "x", load_settings(), workers=2, maker=fake_make)
    assert fake_ray.init_kwargs is None and fake_ray.shutdowns == 1 and fake_ray.initialized


# ------------------------------------------------------------------ slow: real books, real Ray


def _real_prompts():
    heroes = ["mermaid", "dolphin", "turtle", "crab"]
    return [parse_line(line(hero=h, seed=i), i) for i, h in enumerate(heroes, 1)]


def _check_books(results, root):
    assert [r.status for r in results] == ["made"] * 4, [r.error for r in results]
    for r in results:
        manifest = json.loads((Path(root) / r.name / "manifest.json").read_text())
        assert manifest["kind"] == "book_manifest" and set(manifest["stage_seconds"]) >= {"plan", "book"}
        assert (Path(root) / r.name / "book.html").is_file()


@pytest.mark.slow
def test_real_batch_two_workers(tmp_path, consented):
    results = run_batch(_real_prompts(), tmp_path, load_settings(), workers=2)
    _check_books(results, tmp_path)
    assert len({r.worker for r in results}) == 2


@pytest.mark.slow
def test_ray_batch_two_workers(tmp_path, consented):
    pytest.importorskip("ray")
    import ray

    from storygen.batch_ray import run_batch_ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        tasks = _real_prompts()
        results = run_batch_ray(tasks, tmp_path, load_settings(), workers=2)
        _check_books(results, tmp_path)
        assert len({r.worker for r in results}) == 2 and os.getpid() not in {r.worker for r in results}
        again = run_batch_ray(tasks, tmp_path, load_settings(), workers=2)
        assert [r.status for r in again] == ["skipped"] * 4
        # The engine changes where a book is made, never what is in it.
        local = run_batch(tasks[:1], tmp_path / "local", load_settings(), workers=1)
        a, b = tmp_path / local[0].name, tmp_path / "local" / local[0].name
        compared = [p.relative_to(a) for p in a.rglob("*") if p.suffix in (".json", ".png", ".mid")
                    and p.name != "manifest.json"]
        assert len(compared) > 10 and all((a / r).read_bytes() == (b / r).read_bytes() for r in compared)
        # Failures come back as results; a dying actor fails its book only and is replaced.
        odd = tasks_for("octopus", "crab", "turtle", "dolphin", "mermaid")
        results = run_batch_ray(odd, tmp_path / "odd", load_settings(), workers=2, maker=fake_make)
        assert [r.status for r in results] == ["failed", "failed", "failed", "made", "made"]
        assert results[0].error == "the octopus is shy today" and "Ray worker failed" in results[2].error
        assert ray.is_initialized()  # a cluster the caller started is left running for the caller
    finally:
        ray.shutdown()
