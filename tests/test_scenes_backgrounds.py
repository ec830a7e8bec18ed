"""Issue 8 backgrounds: the validated manifest, the choice of a variant from theme + cues, and
the layered procedural painting (light, weather, accents in the chosen colour)."""
import numpy as np
import pytest
import yaml

from storygen.errors import ConfigError, StorygenError
from storygen.object_library import THEMES
from storygen.scenes.backgrounds.choose import choose_background, scene_light, scene_weather
from storygen.scenes.backgrounds.draw import background
from storygen.scenes.backgrounds.library import MANIFEST, WEATHER, load_backgrounds
from storygen.scenes.backgrounds.painters import ACCENT_LAYERS, LAYERS

RED = "#E53935"


@pytest.fixture(scope="module")
def bgs():
    return load_backgrounds()


def test_every_theme_has_three_or_more_drawable_variants(bgs):
    assert set(bgs.themes) == set(THEMES)
    for theme, tb in bgs.themes.items():
        assert len(tb.variants) >= 3, theme
        assert any(v.setting == "inside" for v in tb.variants), theme  # inside/outside cue variants
        for v in tb.variants:
            assert set(v.layers) <= set(LAYERS) and set(v.layers) & ACCENT_LAYERS, v.name
    lights = {v.light for tb in bgs.themes.values() for v in tb.variants}
    assert lights == {"day", "dusk", "night"}
    assert {w for tb in bgs.themes.values() for v in tb.variants for w in v.weather} == set(WEATHER)


def _copy(tmp_path, mutate):
    data = yaml.safe_load(MANIFEST.read_text())
    mutate(data)
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _variant(d, k=0, theme="farm"):
    return d["themes"][theme]["variants"][k]


@pytest.mark.parametrize("mutate, message", [
    (lambda d: _variant(d).update(layers=["ground", "volcano", "bunting"]), "unknown layer.*volcano"),
    (lambda d: _variant(d).update(layers=["celestial", "ground"]), "needs an accent layer"),
    (lambda d: d["themes"]["farm"].update(variants=d["themes"]["farm"]["variants"][:2]), "at least 3"),
    (lambda d: d["themes"]["farm"].update(default="sty"), "default 'sty'"),
    (lambda d: _variant(d)["palette"].update(ground="green"), "not a #RRGGBB"),
    (lambda d: _variant(d).update(light="noon"), "light 'noon'"),
    (lambda d: _variant(d).update(weather=["hail"]), "unknown weather hail"),
    (lambda d: _variant(d).update(horizon=0.99), "horizon"),
    (lambda d: _variant(d).update(colour="red"), "unknown key"),
    (lambda d: d["themes"].pop("garden"), "no backgrounds for theme.*garden"),
    (lambda d: _variant(d, 1).update(name=_variant(d)["name"]), "duplicate variant"),
])
def test_bad_background_manifest_is_a_config_error(tmp_path, mutate, message):
    with pytest.raises(ConfigError, match=message):
        load_backgrounds(_copy(tmp_path, mutate))


def test_a_valid_copy_loads(tmp_path):
    assert load_backgrounds(_copy(tmp_path, lambda d: None)).themes["farm"].default == "farmyard-day"


@pytest.mark.parametrize("theme, cues, text, drawn, expected", [
    ("underwater", (), "", (), "underwater-reef-day"),
    ("underwater", ("shipwreck",), "", (), "underwater-shipwreck"),
    ("underwater", ("night",), "", (), "underwater-deep-night"),
    ("underwater", ("morning", "shipwreck"), "", (), "underwater-shipwreck"),
    ("underwater", ("shipwreck", "night"), "", (), "underwater-shipwreck-night"),  # relit
    ("farm", ("barn",), "", (), "farm-barn-inside"),
    ("farm", ("barn",), "", ("barn", "house"), "farm-farmyard-day"),  # the barn is drawn: outside
    ("farm", ("barn", "night"), "", (), "farm-barn-inside"),  # inside keeps its own light
    ("farm", (), "The pig splashed in the duck pond.", (), "farm-pond"),  # a word of the text
    ("forest", ("evening",), "", (), "forest-woodland-day-dusk"),
    ("arctic", ("night",), "", (), "arctic-northern-lights"),
    ("castle", ("throne room", "castle"), "", (), "castle-castle-day"),  # tie -> default
    ("space", ("space station",), "", (), "space-space-station"),
])
def test_choose_background(theme, cues, text, drawn, expected):
    bg = choose_background(theme, cues, text, drawn=drawn)
    assert bg.id == expected and bg.theme == theme and bg.cues == cues


def test_choose_background_refuses_an_unknown_theme(bgs):
    with pytest.raises(StorygenError, match="Unknown theme 'desert'"):
        choose_background("desert", ())
    with pytest.raises(StorygenError, match="Unknown background variant 'sty'"):
        bgs.variant("farm", "sty")


def test_light_and_weather_come_from_cues(bgs):
    yard, barn = bgs.variant("farm", "farmyard-day"), bgs.variant("farm", "barn-inside")
    assert scene_light(yard, ("dark",)) == "night" and scene_light(barn, ("night",)) == "day"
    assert scene_weather(yard, ("snow", "rain", "wind")) == ("rain", "snow")
    assert scene_weather(barn, ("rain",)) == ()  # no rain indoors
    assert scene_weather(bgs.variant("underwater", "reef-day"), ("storm",)) == ()


def _paint(theme, variant, cues=(), skip=frozenset(), accent=RED):
    return np.asarray(background(theme, variant, 256, 192, 5, accent, skip, cues)).astype(int)


def test_painting_is_deterministic_and_every_variant_differs(bgs):
    background.cache_clear()
    a = _paint("garden", "flowerbed-day")
    background.cache_clear()
    assert np.array_equal(a, _paint("garden", "flowerbed-day"))
    others = [_paint("garden", v.name) for v in bgs.themes["garden"].variants[1:]]
    assert all(np.abs(a - o).mean() > 5 for o in others)


@pytest.mark.parametrize("theme, variant", [("underwater", "cave"), ("space", "starfield"),
                                            ("castle", "throne-room"), ("forest", "woodland-day")])
def test_the_chosen_colour_shows_in_the_scenery(theme, variant):
    img = _paint(theme, variant, accent=RED)
    near_red = (np.abs(img - (0xE5, 0x39, 0x35)).sum(-1) < 60).mean()
    blue = _paint(theme, variant, accent="#1E88E5")
    assert near_red > 0.0003 and np.abs(img - blue).sum(-1).astype(bool).mean() > 0.005


def test_night_darkens_dusk_warms_and_fog_veils():
    day = _paint("farm", "meadow")
    night = _paint("farm", "meadow", ("night",))
    dusk = _paint("farm", "meadow", ("evening",))
    fog = _paint("farm", "meadow", ("fog",))
    assert night.mean() < 0.7 * day.mean()
    warmth = lambda img: (img[:110, :, 0] - img[:110, :, 2]).mean()  # noqa: E731
    assert warmth(dusk) > warmth(day) + 40  # a red evening sky
    assert fog[100:150].std() < day[100:150].std()


def test_a_drawn_castle_or_sun_leaves_the_painted_one_out():
    full = _paint("castle", "castle-day")
    assert np.abs(full - _paint("castle", "castle-day", skip=frozenset({"castle"}))).mean() > 1
    assert np.abs(full - _paint("castle", "castle-day", skip=frozenset({"sun"}))).mean() > 0.1
