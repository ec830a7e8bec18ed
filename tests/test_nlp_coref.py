"""Rule-based coreference: agreement, salience, binding, names, groups, rewriting."""
import pytest

from storygen.errors import RecordError
from storygen.nlp.evaluate import _coref_match, strip_annotations
from storygen.nlp.parse import parse_text
from storygen.nlp.parsed_reader import ParsedNLP
from storygen.records import Prompt


@pytest.fixture(scope="module")
def nlp():
    return ParsedNLP()


def resolve(nlp, hero, *scenes):
    """{scene: [(pronoun, 'lemma+lemma' or '-')]} and the rewritten scenes."""
    prompt = Prompt(theme="forest", hero=hero, color="red", adjective="brave")
    graphs = nlp.build_graphs(scenes, prompt)
    coref = nlp.new_context(prompt)
    out = []
    for text in scenes:
        scene = coref.add_scene(parse_text(text))
        out.append([(scene.parse.tokens[i].text,
                     "+".join(coref.entities[e].lemma for e in key) or "-")
                    for i, key in sorted(scene.pronouns.items())])
    return out, [g.resolved_text for g in graphs]


def test_previous_subject_beats_the_hero_for_a_new_character(nlp):
    links, text = resolve(nlp, "fox", "A brave red fox lived in a den.",
                          "One day a wolf came to the den. He was hungry, so he sniffed the air.")
    assert links[1] == [("He", "wolf"), ("he", "wolf")]
    assert text[1].endswith("The wolf was hungry, so the wolf sniffed the air.")


def test_binding_and_possessives(nlp):
    links, text = resolve(nlp, "rabbit", "The rabbit met a hen. She gave her a carrot from her basket.")
    assert links[0] == [("She", "rabbit"), ("her", "hen"), ("her", "rabbit")]
    assert text[0] == ("The rabbit met a hen. The rabbit gave the hen a carrot from the rabbit's "
                       "basket.")


def test_plural_they_takes_a_coordinated_group_or_a_plural(nlp):
    links, text = resolve(nlp, "bear", "The bear and the owl sat by the fire. They sang a song.",
                          "Three mice ran past. They were late.")
    assert links == [[("They", "bear+owl")], [("They", "mouse")]]
    assert text[0].endswith("The bear and the owl sang a song.")
    assert text[1] == "Three mice ran past. The mice were late."


def test_names_and_pleonastic_it(nlp):
    links, text = resolve(nlp, "deer", "A kind deer called Fern lived in the wood.",
                          "It was raining. Fern found a mushroom and ate it. She smiled.")
    assert links[1] == [("It", "-"), ("it", "mushroom"), ("She", "deer")]
    assert text[1] == "It was raining. Fern found a mushroom and ate the mushroom. The deer smiled."


def test_only_drawable_entities_are_rewritten(nlp):
    # "idea" is no library object: the pronoun is resolved but the text keeps it
    links, text = resolve(nlp, "squirrel", "The squirrel had an idea. It was a good plan.")
    assert links[0] == [("It", "idea")]
    assert text[0] == "The squirrel had an idea. It was a good plan."


def test_strip_annotations_and_checks():
    clean, found = strip_annotations("She[mermaid] hid her[mermaid|possessive] shell.", "x")
    assert clean == "She hid her shell."
    assert found == [(0, "She", "mermaid", ""), (8, "her", "mermaid", "possessive")]
    with pytest.raises(RecordError, match="pronoun 'it' at 8 is not annotated"):
        strip_annotations("She[mermaid] saw it.", "x")


def test_group_match_needs_every_member(nlp):
    coref = nlp.new_context(Prompt(theme="forest", hero="bear", color="red", adjective="brave"))
    coref.add_scene(parse_text("The bear and the owl sat down."))
    assert _coref_match(coref, ("bear", "owl"), ("bear", "owl"))
    assert not _coref_match(coref, ("bear",), ("bear", "owl"))
    assert _coref_match(coref, (), ()) and not _coref_match(coref, ("owl",), ())


@pytest.mark.parametrize("hero, text, expected", [
    # the words beside an "it" say animal or thing (nlp/lexicon.py: it_preference)
    ("bear", "The dog barked at the mailman because it wanted to play. It wagged its tail.",
     [("it", "dog"), ("It", "dog"), ("its", "dog")]),
    ("bear", "The puppy found a ball in the yard. It rolled under the bed.", [("It", "ball")]),
    ("bear", "The bird built a nest in the bush. It was made of twigs and moss.", [("It", "nest")]),
    ("bear", "The tiger cub wanted to climb the rock, but it was too steep.", [("it", "rock")]),
    # a fronted clause points ahead when nothing came before
    ("fox", "When she woke up, the bear stretched her arms.", [("she", "bear"), ("her", "bear")]),
    ("fox", "As soon as it rose, the sun warmed the garden.", [("it", "sun")]),
    # given names the tagger takes for nouns, with the pronoun their name suggests
    ("fox", "Pia planted a tiny seed. Every day she gave it a little water.",
     [("she", "Pia"), ("it", "seed")]),
    ("fox", "Lily and her mom went to the park. They saw a big tree.",
     [("her", "Lily"), ("They", "Lily+mom")]),
    # a coordinated subject is plural as a group, not each of its members
    ("fox", "The owl and the crow were old friends. They shared their lunch.",
     [("They", "crow+owl"), ("their", "crow+owl")]),
])
def test_it_for_animals_and_things_names_and_cataphora(nlp, hero, text, expected):
    links, _ = resolve(nlp, hero, text)
    assert links[0] == expected


def test_a_name_the_tagger_missed_still_names_the_hero(nlp):
    """"Bramble/ADJ was a grumpy sheep": the sheep is the hero of the scene, called Bramble."""
    prompt = Prompt(theme="farm", hero="sheep", color="orange", adjective="grumpy")
    g = nlp.build_graphs(["Bramble was a grumpy sheep with an orange collar, and she lived in the "
                          "orchard. Bramble wanted a nap."], prompt)[0]
    hero = next(e for e in g.entities if e.hero)
    assert hero.object_id == "sheep" and "Bramble" in g.resolved_text


@pytest.mark.parametrize("hero, scenes, expected", [
    # a subject pronoun is not what its own verbs act on
    ("girl", ["Grandma baked a cake for Tess. She ate every bite and thanked Grandma."],
     [[("She", "Tess")]]),
    # what one carries goes "with" oneself
    ("bear", ["The bees gave the bears a pot. They took some honey with them."],
     [[("They", "bee"), ("them", "bee")]]),
    # a name that says "she" before an animal that says nothing
    ("girl", ["Mia sat in the garden. A ladybug landed on Mia's hand. She smiled."],
     [[("She", "Mia")]]),
    # once called "it", the cat is not the "her" or "he" that follows
    ("girl", ["Sophie's cat climbed a tree. It could not get down, so her dad fetched a ladder. "
              "He climbed up."], [[("It", "cat"), ("her", "Sophie"), ("He", "dad")]]),
    # an unnamed animal once called "she" is no likelier a "she" than the one just met
    ("hedgehog", ["A sleepy hedgehog lived under an oak. She slept all day.",
                  "A squirrel lived in the branches above her. She was always busy."],
     [[("She", "hedgehog")], [("her", "hedgehog"), ("She", "squirrel")]]),
])
def test_gender_known_called_it_and_subject_binding(nlp, hero, scenes, expected):
    assert resolve(nlp, hero, *scenes)[0] == expected



@pytest.mark.parametrize("hero, scenes, expected", [
    # an animal subject is the likelier "it" than a place phrase beside it (IT_ANIMATE a tie-break)
    ("bear", ["The kitten hid under the blanket. The boy could not find it."], [[("it", "kitten")]]),
    # ... but what one opens is a thing (lexicon.THING_OBJECT_VERBS), and "under it" a place
    ("bear", ["The fox knocked on the gate of the farm. The hens would not open it."],
     [[("it", "gate")]]),
    ("bear", ["A turtle sat on the log. A snail crawled under it."], [[("it", "log")]]),
    # a named animal not yet called he or she may be "it"
    ("bear", ["There was a goat named Pepper. Pepper was a hungry goat. It ate the flowers."],
     [[("It", "goat")]]),
    # a female name says "she" for the animal it names, before the captain who says nothing
    ("bear", ["The captain had a parrot named Penny. She sat on his shoulder."],
     [[("She", "parrot"), ("his", "captain")]]),
    # a toy may be "her"
    ("bear", ["The china doll lay in the attic. Nobody had played with her for years."],
     [[("her", "doll")]]),
    # "A leaf floated by, and": the parser's second subject is a clause of its own, not bound
    ("bear", ["A leaf floated by, and the duck snapped at it."], [[("it", "leaf")]]),
    # lips are a body part, never the "them" seen
    ("bear", ["The cats sat on the wall. The dog licked his lips when he saw them."],
     [[("his", "dog"), ("he", "dog"), ("them", "cat")]]),
    # a "they" that sings is the creatures, not the bushes
    ("bear", ["The bushes were full of finches, and they sang all morning."], [[("they", "finch")]]),
    # an object "them" is not a group with the clause's own subjects in it
    ("bear", ["The fish swam away. Tom and his sister tried to catch them."],
     [[("his", "Tom"), ("them", "fish")]]),
    # an "it" that opens its wings is a creature, though a door opens too
    ("bear", ["The moth sat on a lamp. It opened its wings."], [[("It", "moth"), ("its", "moth")]]),
    # an "it" that sails is a boat
    ("bear", ["Dad gave Tom a toy boat. Tom put the boat on the lake. The lake was calm. But it "
              "sailed to the other side."], [[("it", "boat")]]),
])
def test_animals_names_toys_and_plural_binding(nlp, hero, scenes, expected):
    assert resolve(nlp, hero, *scenes)[0] == expected


@pytest.mark.parametrize("text, lemma, name", [
    # a passive naming; the name the tagger calls a plural noun still names the cat after it
    ("The cat is named Socks. Socks is a cat.", "cat", "Socks"),
    ("The hamster was called Peanut. Peanut is a hamster.", "hamster", "Peanut"),
    ("Ziggy the zebra was very fast.", "zebra", "Ziggy"),  # "X the Y"
    ("Rolo the rabbit was very small.", "rabbit", "Rolo"),
])
def test_passive_and_epithet_names(nlp, text, lemma, name):
    coref = nlp.new_context(Prompt(theme="forest", hero="fox", color="red", adjective="brave"))
    coref.add_scene(parse_text(text))
    assert [(e.lemma, e.names) for e in coref.entities.values()] == [(lemma, {name})]


@pytest.mark.parametrize("hero, scenes, expected", [
    # the fitting rule reads "too big" better than the it-words (a big thing is not an animal)
    ("fox", ["The bear could not fit through the little door because it was too big."],
     [[("it", "bear")]]),
    # catching or dropping what was thrown is the one it was thrown to; not having is lacking
    ("fox", ["Ben threw the ball to Finn, but he dropped it."], [[("he", "Finn"), ("it", "ball")]]),
    ("fox", ["The squirrel tossed a nut to the rabbit, but it did not catch it."],
     [[("it", "rabbit"), ("it", "nut")]]),
    ("fox", ["Sara gave her scarf to Kate because she did not have one."],
     [[("her", "Sara"), ("she", "Kate")]]),
    # one thanks someone for what that one did; the asked one answers after "but"
    ("fox", ["Max thanked Tom because he had fixed the kite."], [[("he", "Tom")]]),
    ("fox", ["The rabbit asked the mole for a carrot, but he said no."], [[("he", "mole")]]),
    # "let it go": the "it" is the object of "let", not its subject
    ("fox", ["The cat caught a mouse. The cat let it go."], [[("it", "mouse")]]),
    # a creature does not crawl up its own leg
    ("fox", ["The dog was asleep on the rug. A beetle crawled up his leg."], [[("his", "dog")]]),
    # "with a roar": the roaring one
    ("fox", ["A mouse sat on a log next to the lion. Suddenly he jumped up with a roar."],
     [[("he", "lion")]]),
    # rotten is a thing, too fast (to catch) a creature
    ("fox", ["The goat looked at the cabbage. It was rotten."], [[("It", "cabbage")]]),
    ("fox", ["The boy chased the hen around the yard. It was too fast."], [[("It", "hen")]]),
])
def test_clause_causes_sounds_and_crossed_parts(nlp, hero, scenes, expected):
    assert resolve(nlp, hero, *scenes)[0] == expected


def test_young_animals_are_the_babies_and_the_little_ones(nlp):
    scenes = ["The hen sat in the barn with her baby chickens.",
              "The babies were cold. They hid under her wings.", "The little ones and the chicks slept."]
    links, text = resolve(nlp, "fox", *scenes)
    assert links[1] == [("They", "chicken"), ("her", "hen")]
    assert text[1] == "The babies were cold. The chickens hid under the hen's wings."
    prompt = Prompt(theme="farm", hero="fox", color="red", adjective="brave")
    graphs = nlp.build_graphs(scenes, prompt)
    assert [sorted(e.id for e in g.entities) for g in graphs] == [["barn", "chicken", "hen"],
                                                               ["chicken", "hen"], ["chicken"]]
    coref = nlp.new_context(prompt)
    for text in scenes:
        scene = coref.add_scene(parse_text(text))
    ones = next(t.i for t in scene.parse.tokens if t.lower == "ones")
    assert scene.links[ones] == ("chicken",)
    # with no young one before them, "the little ones" are nobody to draw
    assert nlp.build_graphs(["The little ones slept."], prompt)[0].entities == ()


@pytest.mark.parametrize("hero, scenes, expected", [
    # a person word the tagger called an adjective is still a noun ("Grandpa/ADJ read ...")
    ("bear", ["Grandpa read Mia a story about a brave fox. When it ended, he kissed her goodnight."],
     [[("it", "story"), ("he", "grandpa"), ("her", "Mia")]]),
    # a robot is an "it" at no cost, before the part it owns
    ("bear", ["The little robot walked across the room. Then its light went out, and it stopped."],
     [[("its", "robot"), ("it", "robot")]]),
    # the thing the last sentence called "it" (from a place phrase) is still "it"
    ("bear", ["The girls built a fort. They put a flag on top of it. Later the rain washed it away."],
     [[("They", "girl"), ("it", "fort"), ("it", "fort")]]),
    # ... but a subject "it" has its weight already: what it sang is the "it" heard
    ("bear", ["The frog sat on a rock. It sang a happy song. A duck heard it."],
     [[("It", "frog"), ("it", "song")]]),
])
def test_pronoun_continuity_robots_and_mistagged_people(nlp, hero, scenes, expected):
    assert resolve(nlp, hero, *scenes)[0] == expected


def test_who_moves_quills_has_them_and_a_stand_in_kind_is_a_creature(nlp):
    # a porcupine has no drawing of its own (the hedgehog stands in) but is a creature: a "she"
    links, _ = resolve(nlp, "puppy", "A porcupine came to live on the next rock.",
                       "When the puppy trotted closer, she lifted all her long quills.")
    assert links[1] == [("she", "porcupine"), ("her", "porcupine")]


def test_sounds_and_birthdays_are_no_things(nlp):
    prompt = Prompt(theme="castle", hero="princess", color="pink", adjective="kind")
    g = nlp.build_graphs(["The cat batted a pebble across the tiles, tap, tap, tap."], prompt)[0]
    assert "tap" not in {e.lemma for e in g.entities}
    links, _ = resolve(nlp, "fox", "The fox found the hares.", '"It is not your birthday yet!" they cried.')
    assert links[1][0] == ("It", "-")


@pytest.mark.parametrize("hero, scenes, expected", [
    # a likeness is no one: the whale's "it" is not the mountain it looked like
    ("bear", ["The old whale rose from the waves. Its back looked like a little island's hill. It blew a spout."],
     [[("Its", "whale"), ("It", "whale")]]),
    # an abstraction in a phrase is no antecedent: what she made is the pie
    ("bear", ["Ann wanted to bake a pie. She did not ask Dad for help. She made it all alone."],
     [[("She", "Ann"), ("She", "Ann"), ("it", "pie")]]),
    # "it took her all day to ...", "It was a long way", "cold in the barn": nobody
    ("bear", ["The snail set off for the pond. It took her all day to get there. It was a long way."],
     [[("It", "-"), ("her", "snail"), ("It", "-")]]),
    ("bear", ["The goat stood by the fence. It was cold in the barn, so she stayed outside."],
     [[("It", "-"), ("she", "goat")]]),
    # what melts, hatches, is built again, is heard; who minds
    ("bear", ["The children made a snowman. Then the sun came out, and it started to melt."],
     [[("it", "snowman")]]),
    ("bear", ["The duck sat on her eggs in the reeds. One morning they hatched."],
     [[("her", "duck"), ("they", "egg")]]),
    ("bear", ["The wave knocked over Tim's sandcastle on the beach. He built it again."],
     [[("He", "Tim"), ("it", "sandcastle")]]),
    ("bear", ["The fox played a tune on his flute by the river. A mole heard it."],
     [[("his", "fox"), ("it", "tune")]]),
    ("bear", ["A snail slid off the wet leaf into the mud. It did not mind at all."],
     [[("It", "snail")]]),
])
def test_likenesses_abstractions_dummy_it_and_what_verbs_want(nlp, hero, scenes, expected):
    assert resolve(nlp, hero, *scenes)[0] == expected


@pytest.mark.parametrize("hero, scenes, expected", [
    # the same verb in the same role: who hid the acorn is who hid it again
    ("bear", ["The jay hid an acorn by the oak. The fox watched the jay from a bush. "
              "Later the jay hid it again."],
     [[("it", "acorn")]]),
    # ... but giving back goes the other way
    ("bear", ["The goose gave the hen a worm, but she did not want worms. She gave it back."],
     [[("she", "hen"), ("She", "hen"), ("it", "worm")]]),
    # the thing turns out to be someone: a later "he" is the boy
    ("bear", ["The otter heard a splash by the rocks. The splash was only a little boy. He waved at the otter."],
     [[("He", "boy")]]),
    # a "When ..." clause's subject is the main clause's "he", the one lying there "him"
    ("bear", ["Bunny fell out of the cot. He lay on the rug all night. When Jack woke up, he found him."],
     [[("He", "Bunny"), ("he", "Jack"), ("him", "Bunny")]]),
    # what one stands on is not what one then knocks over
    ("bear", ["Mia built a tall tower of cups. The puppy jumped on the sofa and knocked it over."],
     [[("it", "tower")]]),
    # an instrument is not who acts: "used his claws to pull himself up"
    ("bear", ["The sloth used his long claws to pull himself up."], [[("his", "sloth"), ("himself", "sloth")]]),
    # a reflexive in a "who" clause is that clause's noun
    ("bear", ["Mum gave the bucket to Leo, who carried it all by himself."],
     [[("it", "bucket"), ("himself", "Leo")]]),
])
def test_same_verbs_revealed_kinds_fronted_subjects_and_binding(nlp, hero, scenes, expected):
    assert resolve(nlp, hero, *scenes)[0] == expected


@pytest.mark.parametrize("hero, scenes, expected", [
    # what grows, what is finished, who sits down, what is taken out, what is heard
    ("bear", ["Nana planted a bean in a pot. The rain fell on the garden. Soon it grew into a beanstalk."],
     [[("it", "bean")]]),
    ("bear", ["The beavers built a dam with sticks from the river. When it was finished, they rested."],
     [[("it", "dam"), ("they", "beaver")]]),
    ("bear", ["The dog walked across the little bridge. Then it sat down in the sun."],
     [[("it", "dog")]]),
    ("bear", ["Tom found a teddy in the basket. He opened the basket and took it out."],
     [[("He", "Tom"), ("it", "teddy")]]),
    ("bear", ["The wolf howled a sad song on the hill. Far away, a fox heard it."],
     [[("it", "song")]]),
    # a day is no one ("Every Sunday"), a hyphened thing is one word ("a yo-yo")
    ("bear", ["The duck and the goose were friends. Every Sunday they swam in the pond."],
     [[("they", "duck+goose")]]),
    ("bear", ["Jack got a yo-yo. At first it kept getting stuck."], [[("it", "yo-yo")]]),
    # another pronoun of the clause with another gender names someone else
    ("bear", ["Zoe had a little grey rabbit. Every night it slept at the foot of her bed."],
     [[("it", "rabbit"), ("her", "Zoe")]]),
    # a diver is someone: a "she"; the can is the watering can
    ("bear", ["A diver swam down to the old ship. At last she found the chest."], [[("she", "diver")]]),
    ("bear", ["Dad filled his watering can at the tap. Then he carried it to the roses."],
     [[("his", "Dad"), ("he", "Dad"), ("it", "watering can")]]),
    # a ghost may be an "it", like a robot or a toy
    ("bear", ["A friendly ghost lived in the old mill. Every night it rattled the pots in the kitchen."],
     [[("it", "ghost")]]),
    # who throws is someone: "they" are the children, "them" the kites
    ("bear", ["The park was full of children with their balls. When they threw them, the dog barked."],
     [[("their", "child"), ("they", "child"), ("them", "ball")]]),
])
def test_what_grows_is_finished_sits_down_is_taken_out_or_heard(nlp, hero, scenes, expected):
    assert resolve(nlp, hero, *scenes)[0] == expected
