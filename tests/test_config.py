import pytest

from storygen.config import CONFIG_DIR, Settings, load_config
from storygen.errors import ConfigError, OptionError
from storygen.options import Options, load_options


def config_schemas() -> dict:
    """Every shipped file in configs/ and the dataclass that validates it."""
    from storygen.audio.config import AudioConfig
    from storygen.coherence.train import TrainRankerConfig
    from storygen.corpus.stories import CorpusConfig
    from storygen.fluency import WordsConfig
    from storygen.template.grammar import BaselinesFile
    from storygen.lm.recipe import TrainRecipe
    from storygen.options import Options
    from storygen.safety import BlockList, SafetyConfig

    return {"default.yaml": Settings, "quick.yaml": Settings, "options.yaml": Options, "baselines.yaml": BaselinesFile,
            "blocklist.yaml": BlockList, "safety.yaml": SafetyConfig, "corpus.yaml": CorpusConfig,
            "train_ranker.yaml": TrainRankerConfig, "audio.yaml": AudioConfig,
            "train_planner.yaml": TrainRecipe, "train_generator.yaml": TrainRecipe,
            "words.yaml": WordsConfig}


def test_every_shipped_config_has_a_schema_and_loads():
    shipped = {p.name for p in CONFIG_DIR.glob("*.yaml")}
    schemas = config_schemas()
    assert shipped == set(schemas), "a config file without a schema (or a schema without a file)"
    for name, cls in schemas.items():
        assert isinstance(load_config(CONFIG_DIR / name, cls), cls)


def test_unknown_key_names_key_and_file(tmp_path):
    bad = tmp_path / "default.yaml"
    bad.write_text("seed: 1\ncandidate: 4\n")
    with pytest.raises(ConfigError) as exc:
        load_config(bad, Settings)
    assert "candidate" in str(exc.value) and str(bad) in str(exc.value)


def test_nested_unknown_key_and_bad_type(tmp_path):
    bad = tmp_path / "d.yaml"
    bad.write_text("backends:\n  writter: template\n")
    with pytest.raises(ConfigError, match=r"backends: unknown key.*writter"):
        load_config(bad, Settings)
    bad.write_text("candidates: four\n")
    with pytest.raises(ConfigError, match="candidates: expected int"):
        load_config(bad, Settings)


def test_invalid_yaml(tmp_path):
    bad = tmp_path / "d.yaml"
    bad.write_text("seed: [1\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad, Settings)


def test_options_meet_the_product_minimums():
    opts = load_options()
    assert len(opts.themes) >= 8 and "underwater" in opts.themes
    assert all(len(t.heroes) >= 5 for t in opts.themes.values())
    assert "mermaid" in opts.themes["underwater"].heroes
    assert len(opts.colors) >= 12 and "teal" in opts.colors
    assert len(opts.adjectives) >= 12 and "silly" in opts.adjectives


def test_prompt_validation_names_the_choices():
    opts = load_options()
    assert opts.prompt(" Underwater", "MERMAID", "teal", "silly").hero == "mermaid"
    with pytest.raises(OptionError, match="Unknown theme 'volcano'; choose one of: underwater"):
        opts.prompt("volcano", "mermaid", "teal", "silly")
    with pytest.raises(OptionError, match="Unknown hero 'dragon' for theme 'underwater'; choose one of: mermaid"):
        opts.prompt("underwater", "dragon", "teal", "silly")
    with pytest.raises(OptionError, match="Unknown color"):
        opts.prompt("underwater", "mermaid", "tealish", "silly")
    with pytest.raises(OptionError, match="Unknown adjective 'evil'"):
        opts.prompt("underwater", "mermaid", "teal", "evil")
    with pytest.raises(OptionError):  # free text never gets through
        opts.prompt("underwater", "a mermaid who eats fish", "teal", "silly")


def test_color_hex_is_checked(tmp_path):
    bad = tmp_path / "options.yaml"
    bad.write_text("themes: {}\ncolors: {teal: green}\nadjectives: [silly]\n")
    load_options.cache_clear()
    try:
        with pytest.raises(ConfigError, match="#RRGGBB"):
            load_options(str(bad))
    finally:
        load_options.cache_clear()
    assert isinstance(load_options(), Options)


def test_settings_values_are_checked_when_read(tmp_path):
    from storygen.config import settings
    bad = tmp_path / "bad.yaml"
    bad.write_text("candidates: -3\nbackends:\n  ranker: nonsense\nimage:\n  width: 0\n")
    with pytest.raises(ConfigError) as exc:
        settings(str(bad))
    msg = str(exc.value)
    assert msg.startswith(str(bad))
    assert "backends.ranker: 'nonsense' is not a ranker backend; choose one of: coherence, heuristic" in msg
    assert "candidates: must be at least 1, got -3" in msg and "image.width: must be at least 64" in msg


def test_decode_settings_are_checked_with_their_key(tmp_path):
    from storygen.config import settings
    bad = tmp_path / "bad.yaml"
    bad.write_text("decode:\n  generator:\n    engine: gpu\n    top_p: 1.5\n  planner:\n    samples: 0\n")
    with pytest.raises(ConfigError) as exc:
        settings(str(bad))
    msg = str(exc.value)
    assert "decode.generator.engine: 'gpu' is not an engine; choose one of: ct2, hf-int8, hf, auto" in msg
    assert "decode.generator.top_p: must be in (0, 1], got 1.5" in msg
    assert "decode.planner.samples: must be at least 1, got 0" in msg
    bad.write_text("decode:\n  writer: {}\n")
    with pytest.raises(ConfigError, match="decode: unknown key.*writer"):
        settings(str(bad))


def test_decode_settings_live_in_the_settings_not_the_recipes(tmp_path):
    # The shipped defaults are what a settings file without a decode block (quick.yaml) decodes with.
    from storygen.config import Decoding, settings
    from storygen.lm.recipe import load_recipe

    assert settings(str(CONFIG_DIR / "default.yaml")).decode == Decoding()
    assert settings(str(CONFIG_DIR / "default.yaml")).decode.generator.temperature == 0.75
    old = tmp_path / "train_generator.yaml"
    old.write_text((CONFIG_DIR / "train_generator.yaml").read_text() + "decode:\n  engine: hf\n")
    with pytest.raises(ConfigError, match="unknown key.*decode"):
        load_recipe(old)


def test_a_bad_setting_is_exit_2_naming_the_key(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from storygen.cli import main
    from storygen.config import SETTINGS_ENV

    bad = tmp_path / "bad.yaml"
    bad.write_text("backends:\n  ranker: nonsense\n")
    monkeypatch.setenv(SETTINGS_ENV, str(bad))
    result = CliRunner().invoke(main, ["plan", "--theme", "farm", "--hero", "pig", "--color", "pink",
                                       "--adj", "shy", "-o", str(tmp_path / "plan.json")])
    assert result.exit_code == 2 and "backends.ranker: 'nonsense'" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "plan.json").exists()


def test_every_registered_backend_imports_and_is_callable():
    # The tables are strings, so a renamed module or factory would only show when a user picks it.
    from storygen.backends import MOODS, PARSERS, STAGES, SYNTHS
    from storygen.config import BACKEND_NAMES

    for registry in [*STAGES.values(), MOODS, PARSERS, SYNTHS]:
        for name in registry.names():
            assert callable(registry.factory(name)), (registry.kind, name)
    assert BACKEND_NAMES["scene"] == ("basic", "solver") and BACKEND_NAMES["nlp"] == ("basic", "spacy", "stanza")


def test_a_registry_refuses_a_target_that_is_not_module_attr():
    from storygen.registry import Registry

    with pytest.raises(ValueError, match="not 'module:attr'"):
        Registry("demo", {"x": "storygen.book.HtmlBook"})
