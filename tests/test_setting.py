"""Issue 22 part 2: place, light and weather read from a book's text with carry-over
(storygen/scenes/setting/, library/backgrounds/sky.yaml) and recorded in layout.json."""
import numpy as np
import pytest
import yaml

from storygen.errors import ConfigError
from storygen.records import Background, SceneLayout
from storygen.scenes.backgrounds.choose import drawn_light, drawn_weather
from storygen.scenes.backgrounds.draw import background
from storygen.scenes.backgrounds.library import load_backgrounds
from storygen.scenes.evaluation.setting import evaluate_settings
from storygen.scenes.setting.book import background_for, read_book
from storygen.scenes.setting.places import SceneText
from storygen.scenes.setting.sky import SKY, load_sky


def places(theme, scenes):
    return [(s.variant, s.light, s.weather) for s in read_book(theme, scenes)]


def test_a_scene_without_a_place_keeps_the_last_one_and_a_new_cue_moves():
    got = places("underwater", ["The turtle swam down to the old shipwreck.",
                                "He peeked through a round window.",
                                "Then he swam into a dark cave.",
                                "He found a pearl there.",
                                "He swam out of the cave again."])
    assert [g[0] for g in got] == ["shipwreck", "shipwreck", "cave", "cave", "shipwreck"]


def test_night_stays_night_until_morning():
    got = places("farm", ["The pig rolled in the meadow.", "That night the owls hooted.",
                          "The pig snored.", "In the morning she woke up.", "She ate an apple."])
    assert [g[1] for g in got] == ["day", "night", "night", "day", "day"]


def test_a_storm_lasts_until_it_passes_and_is_drawn_only_where_it_can_be():
    scenes = ["The hen scratched in the farmyard.", "Thunder rumbled and a storm rolled in.",
              "She ran into the barn.", "She hurried out of the barn, and the storm went on.",
              "At last the storm passed."]
    got = places("farm", scenes)
    # the storm goes on outside while she shelters: it is the barn scene's weather too (the
    # sounds and the record keep it), but a barn's inside draws no rain
    assert [g[2] for g in got] == [(), ("storm",), ("storm",), ("storm",), ()]
    assert [g[0] for g in got] == ["farmyard-day", "farmyard-day", "barn-inside",
                                   "farmyard-day", "farmyard-day"]
    lib = load_backgrounds()
    drawn = [drawn_weather(lib.variant("farm", s.variant), background_for("farm", s))
             for s in read_book("farm", scenes)]
    assert drawn == [(), ("storm",), (), ("storm",), ()]


def test_it_had_not_rained_for_weeks_is_a_drought_until_the_rain_comes():
    got = places("jungle", ["The elephant lived in a clearing.",
                            "It had not rained for weeks, and the grass was brown.",
                            "The animals were thirsty.",
                            "She did not mind the heat.",
                            "Then rain poured down at last."])
    assert [g[2] for g in got] == [(), ("drought",), ("drought",), ("drought",), ("rain",)]


@pytest.mark.parametrize("text, weather", [
    ("She did not mind the rain.", ("rain",)),  # not negated rain
    ("She hoped it would rain soon.", ()),  # a wish
    ('"A little rain is all we need," said the gardener.', ()),  # speech
    ("He put on his rain boots.", ()),  # a thing
    ("A foggy morning hung over the pond.", ("fog",)),
    ("A blizzard howled over the hill.", ("storm", "snow")),  # one word, two kinds
    ("She cut out paper snowflakes.", ()),  # made, not falling
    ("Every rainy afternoon she read a book.", ()),  # a habit
    ("She had always wanted to dance in the rain.", ()),
])
def test_weather_words_that_are_not_weather(text, weather):
    assert places("garden", [text])[0][2] == weather


def test_morning_alone_does_not_end_the_rain_but_a_new_day_does():
    got = places("garden", ["That night rain drummed on the shed.", "In the morning it still fell.",
                            "The next day the snail went out.", "It was sunny.", "She smiled."])
    assert [g[2] for g in got][:3] == [("rain",), ("rain",), ()]
    assert places("space", ["She had always wanted to see the night sky."])[0][1] == "day"


def test_back_in_the_henhouse_is_inside_it_and_a_henhouse_seen_from_afar_is_not():
    scenes = [SceneText("Snow fell, and the hens could not see the henhouse.", drawn=("henhouse",)),
              SceneText("Soon they were all back in the henhouse, in the warm straw.",
                        drawn=("henhouse",))]
    got = read_book("farm", scenes)
    assert [s.variant for s in got] == ["farmyard-day", "henhouse"]
    lib = load_backgrounds()
    assert lib.variant("farm", "henhouse").setting == "inside"
    assert drawn_weather(lib.variant("farm", "henhouse"), background_for("farm", got[1])) == ()


def test_the_sun_that_shines_after_a_night_of_storm_clears_the_picture():
    got = places("arctic", ["The owl sat on the glacier.",
                            "All night the storm roared above. In the morning the sun shone."])
    assert [g[2] for g in got] == [(), ()]


def test_golden_rain_is_a_simile_and_under_a_hollow_tree_is_outside_it():
    got = places("forest", ["In autumn, the leaves drifted down from the big tree like golden rain.",
                            "The deer stood very still under the hollow tree."])
    assert got[0][2] == () and got[1][0] != "hollow-tree"
    assert places("space", ["They sat under the dome at night."])[0][0] == "garden-dome"


def test_a_place_one_is_not_at_does_not_move_the_scene():
    got = places("farm", ["A sleepy hen did not sleep in the henhouse like the other hens. She slept "
                          "on a branch of an apple tree in the orchard.",
                          "The hen was not happy. She went in the barn."])
    assert [g[0] for g in got] == ["orchard", "barn-inside"]


def test_a_hole_in_the_igloo_wall_is_seen_from_inside_the_igloo():
    got = places("arctic", ["The fox lived in a small igloo at the foot of a hill.",
                            "One morning he found a little hole in his igloo wall.",
                            "Scritch, scratch, went the walls."])
    assert [g[0] for g in got] == ["igloo", "igloo-inside", "igloo-inside"]


def test_a_dark_place_stays_dark_and_a_drawn_barn_is_no_place_to_go_in():
    assert places("underwater", ["The dolphin dived into the deep trench at noon."])[0][:2] == \
        ("deep-night", "night")
    drawn = read_book("farm", [SceneText("The red barn stood on the hill.", drawn=("barn",))])
    assert drawn[0].variant == "farmyard-day"


def test_the_layout_background_alone_says_how_to_draw_it():
    s = read_book("jungle", ["It had not rained for weeks in the dusty clearing."])[0]
    bg = background_for("jungle", s, cues=("clearing",))
    assert (bg.variant, bg.light, bg.weather) == ("clearing-day", "day", ("drought",))
    again = Background.from_dict(bg.to_dict())
    assert again == bg
    spec = load_backgrounds().variant("jungle", "clearing-day")
    assert drawn_light(spec, again) == "day" and drawn_weather(spec, again) == ("drought",)
    # a layout from before issue 22 (no light recorded) is still drawn from its cues
    old = Background(id="x", theme="jungle", variant="clearing-day", cues=("night", "rain"))
    assert drawn_light(spec, old) == "night" and drawn_weather(spec, old) == ("rain",)
    assert SceneLayout.__dataclass_fields__["background"]  # the record that carries it


def test_a_drought_dries_the_picture():
    green = np.asarray(background("jungle", "clearing-day", 128, 96, 1, "#E53935")).astype(int)
    dry = np.asarray(background("jungle", "clearing-day", 128, 96, 1, "#E53935", light="day",
                                weather=("drought",))).astype(int)
    ground = slice(70, 96)
    greenness = lambda img: (img[ground, :, 1] - img[ground, :, 0]).mean()  # noqa: E731
    assert greenness(dry) < greenness(green) - 20


def _sky_copy(tmp_path, mutate):
    data = yaml.safe_load(SKY.read_text())
    mutate(data)
    path = tmp_path / "sky.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["weather"].update(hail=["hail"]), "unknown weather hail"),
    (lambda d: d["time"].update(noon=["noon"]), "unknown time noon"),
    (lambda d: d.update(colour="red"), "unknown key"),
    (lambda d: d["ending"].append("Stopped"), "lowercase"),
])
def test_a_bad_sky_file_is_a_config_error_naming_the_file(tmp_path, mutate, message):
    path = _sky_copy(tmp_path, mutate)
    with pytest.raises(ConfigError, match=message) as err:
        load_sky(path)
    assert str(path) in str(err.value)


def test_the_shipped_sky_file_loads_and_the_gold_books_pass():
    assert load_sky().cues.kind == "sky_cues"
    report = evaluate_settings()
    assert report["scenes"] >= 200 and report["passed"], report["failures"][:5]


@pytest.mark.parametrize("theme, scenes, expected", [
    # a place named in what someone says, or seen far away, is not where the scene is
    ("underwater", ["The turtle lived on the reef.",
                    '"My sister went to play in the kelp forest," the clownfish cried.'],
     ["reef-day", "reef-day"]),
    ("underwater", ["The octopus lived in a tide pool.",
                    "She saw little lights far away in the deep sea."], ["tide-pool", "tide-pool"]),
    # weather passing over the theme's own world does not move the scene
    ("jungle", ["The elephant played by the mud pool.",
                "Then a storm rolled over the jungle, and rain poured down."], ["mud-pool", "mud-pool"]),
    ("castle", ["The cook baked bread in the kitchen.",
                "Outside, rain lashed at the windows and thunder rumbled over the towers."],
     ["kitchen", "kitchen"]),
])
def test_speech_distance_and_passing_weather_do_not_move_the_scene(theme, scenes, expected):
    assert [p[0] for p in places(theme, scenes)] == expected


def test_a_time_gone_by_and_a_habit_are_not_the_scenes_sky():
    # read in a blind picture review: night drawn for "last night's wind", rain for "when it rained"
    got = places("farm", ["One morning the pig found an owl. Last night's wind had knocked his tree down.",
                          "The pig stacked sticks into a hut.",
                          "When it rained, the animals got soaked. The pig wished for a roof.",
                          "The next day it poured, and they all stood under the new roof."])
    assert [g[1] for g in got] == ["day", "day", "day", "day"]
    assert [g[2] for g in got] == [(), (), (), ("rain",)]
    got = places("jungle", ["After a week of rain, the waterfall grew louder.", "The tiger climbed the rocks.",
                            "The bees had been wet since the night before. Now the hive was dry."])
    assert [g[2] for g in got] == [(), (), ()] and got[2][1] == "day"
    assert places("farm", ["It rained all morning.", "When it started to rain again, the pig ran."])[1][2] == ("rain",)
