"""Word lists the nlp rules read: who is a person or an animal (and by which pronoun), which
nouns are times, parts, quantities or body parts, and what the words around an "it" say about it.

No offline lexicon of animacy exists for spaCy (WordNet would need a download), so these are
hand-made for the vocabulary of children's stories. An "it" may be an animal ("It wagged its
tail") or a thing ("It rolled under the bed"); the verb and adjective beside it decide more
often than distance does: `it_preference` reads them.
"""
from __future__ import annotations

FEMALE = set("mermaid princess queen witch hen cow ewe lioness mother mom mum mommy mama grandma "
             "granny grandmother girl sister aunt auntie lady woman daughter fairy mare spacewoman "
             "doe niece wife bride nan nana gran duchess godmother ballerina".split())
MALE = set("merman prince king wizard rooster cockerel boy brother father dad daddy papa grandpa "
           "grandfather uncle man son knight bull ram stallion spaceman stag sorcerer nephew "
           "husband groom gentleman duke sir lad postman mailman fireman policeman milkman "
           "fisherman".split())
PEOPLE = set("""knight farmer gardener child kid friend baby family villager troll ghost giant elf
goblin ogre gnome dwarf people person teacher pirate sailor fisherman baker hippo badger otter walrus
seahorse starfish lizard bat cub chick pal buddy pet animal bird creature parrotfish guard cook
chef captain monster twin neighbour neighbor clown mailman postman postwoman doctor nurse vet
driver pilot astronaut alien robot dragon unicorn wizard witch fairy mermaid dinosaur puppy kitten
student pupil classmate player referee judge keeper zookeeper shepherd sheepdog scarecrow snowman
juggler magician singer dancer artist painter builder fireman firefighter police officer
grown-up grownup adult toddler infant owner stranger visitor guest host crowd everyone
diver swimmer explorer hunter ranger climber skater surfer rider hiker camper traveller traveler
""".split()) | FEMALE | MALE
# People: never an "it" (animals may be).
HUMANS = set("""knight farmer gardener child kid villager people person teacher pirate sailor
fisherman baker cook chef captain clown mailman postman postwoman doctor nurse vet driver pilot
astronaut student pupil classmate player referee judge keeper zookeeper shepherd juggler magician
singer dancer artist painter builder fireman firefighter officer grown-up grownup adult toddler
owner visitor guest host everyone wizard witch princess prince king queen""".split()) | FEMALE | MALE
# Given names common in children's books, by the pronoun a story gives them (a name the story
# has called "he" or "she" keeps that; these only break a tie before it has).
FEMALE_NAMES = set("""anna ava amy alice bella chloe daisy ella ellie emma emily eva evie freya grace
gran hannah holly isla ivy jess jane kate katie lily lola lucy mia molly nora olivia pia poppy
rosie rose ruby sara sarah sophie tess zoe zara maya nina lena lisa mary meg millie elsie
polly penny sally luna stella tilly maisie amelia charlotte olive hazel""".split())
MALE_NAMES = set("""alfie amir ben billy bob charlie dan danny finn fred freddie george harry henry
jack jacob jake jim joe josh kit leo liam luke max noah ollie oscar owen sam theo tim tom toby
will omar ravi raj ali milo oliver arthur archie jasper peter paul""".split())
# "its mother", "its babies": an "its" whose noun is kin belongs to an animal.
KIN = set("mother father mom dad mum mama papa baby babies family friend friends owner brother "
          "sister cub cubs chick chicks calf foal kitten kittens puppy puppies mate".split())
# Animals a story may call "it" or "he"/"she": any of them can be the "it" that wags, sleeps, eats.
ANIMALS = set("""dog puppy pup cat kitten kitty horse pony foal donkey cow calf bull ox pig piglet
sheep lamb goat kid hen chicken chick rooster duck duckling goose gosling turkey rabbit bunny hare
mouse mice rat hamster guinea squirrel chipmunk hedgehog fox wolf bear cub deer fawn moose elk
reindeer badger beaver otter raccoon skunk mole bat owl crow raven robin sparrow blackbird bluebird
wren finch pigeon dove parrot toucan eagle hawk falcon gull seagull pelican heron stork swan
flamingo peacock penguin puffin ostrich emu kiwi hummingbird woodpecker kingfisher bird frog toad
tadpole newt lizard gecko snake turtle tortoise crocodile alligator dinosaur fish goldfish shark
whale dolphin seal walrus orca octopus squid crab lobster shrimp starfish seahorse jellyfish eel
clownfish stingray snail slug worm caterpillar butterfly moth bee wasp ant ladybug ladybird beetle
spider fly firefly dragonfly grasshopper cricket mosquito lion tiger leopard cheetah jaguar panther
elephant giraffe zebra hippo rhino monkey ape gorilla chimp orangutan sloth koala kangaroo panda
camel llama alpaca yak bison buffalo polar lemming husky caribou armadillo tapir capybara meerkat
mammoth unicorn dragon creature animal pet beast""".split())
# A young animal is also "the babies", "the little ones" and its own young word ("baby
# chickens ... the chicks"): YOUNG marks it, YOUNG_OF names the young of a kind.
YOUNG = {"baby", "young", "newborn", "little"}
YOUNG_OF = {"chicken": "chick", "hen": "chick", "duck": "duckling", "goose": "gosling", "cat": "kitten",
            "dog": "puppy", "pig": "piglet", "cow": "calf", "horse": "foal", "sheep": "lamb",
            "goat": "kid", "deer": "fawn", "frog": "tadpole", "kangaroo": "joey", "turtle": "hatchling",
            "tortoise": "hatchling", **{k: "cub" for k in "lion tiger bear fox wolf leopard panda".split()}}
YOUNG_ALIASES = {"baby", "hatchling", "little one"}
# Toys a story may give a he or she ("The china doll lay in the attic. Nobody played with her"),
# though they are things otherwise.
PERSONIFIED = set("doll dolly teddy puppet scarecrow snowman robot soldier teddybear ghost monster "
                  "creature dinosaur".split())  # ("a friendly ghost ... it floated down the stairs")
# An "it" doing these is an animal (or a robot, a dragon...): things do not want or sleep.
ANIMATE_VERBS = set("""want like love hate wish hope need try decide feel think know remember forget
sleep nap wake yawn snore dream eat nibble munch chew gobble drink lick sniff smell sip swallow
bark woof growl howl purr meow mew miaow moo neigh whinny bleat baa oink quack honk cluck crow chirp
tweet sing hum hoot squeak squawk hiss roar buzz croak ribbit trumpet bellow grunt snort whimper
cry weep sob laugh giggle smile grin frown sigh shiver tremble
wag flap waddle hop skip scamper scurry crawl creep slither swim paddle dive fly flutter climb
run walk trot gallop jump leap pounce dash race hurry chase follow hide peek peep play dig burrow
nest perch peck scratch stretch curl snuggle cuddle hug kiss nuzzle
look see watch stare gaze listen hear notice spot find search seek hunt catch grab carry fetch
say shout call whisper ask answer tell speak talk reply squeal yelp""".split())
# An "it" doing these (or being done to) is a thing.
THING_VERBS = set("""roll bounce break crack shatter spill leak drip pour melt float sink shine glow
glitter sparkle twinkle flicker burn fit open close lock unlock ring tick creak rattle jingle
clatter lean tip topple blow blossom bloom grow sprout ripen wilt cost weigh contain""".split())
# What one does to a thing, not to an animal: "The hens would not open it" (the gate, not the
# fox that knocked on it); an object "it" of these is a thing.
THING_OBJECT_VERBS = set("""open close shut lock unlock fix mend repair build paint fold unfold wrap
unwrap sew knit bake cook boil fry plant water light switch read write spell""".split())
# "it was too ___": said of things (size, slope, fullness) or of animals (feelings).
THING_ADJ = set("""full empty heavy light steep high tall low deep shallow thin thick wide narrow
small big large huge tiny long short tight loose broken cracked open closed locked shut stuck
sticky slippery wet dry hot cold warm sharp smooth rough soft hard round flat new old shiny
dark bright ripe sweet sour ready finished rotten mouldy moldy stale juicy crunchy""".split())
ANIMATE_ADJ = set("""afraid scared frightened tired sleepy hungry thirsty happy sad glad angry cross
grumpy lonely shy brave curious excited worried sorry proud kind clever silly cheerful
hurt ill sick hungry naughty friendly fast quick""".split())
# ("it was too fast" to catch: a creature; a cart rolls fast too, but seldom "is too fast")
# A colour used as a noun ("painted the barn red") names no thing.
# (not gold or silver: "a pile of gold" is a thing)
COLOR_WORDS = set("red orange yellow green blue purple pink brown black white grey gray teal "
                  "turquoise violet".split())
# Nouns that name no drawable thing, or a part of one; words that make an "it" say nothing.
# size adjectives ("a tiny mouse"); a likeness by size ("as big as a house") is a yardstick the
# layout reads (scenes/layout/sizes.py), not a simile to drop (mentions.simile)
SIZES = set("big small little tiny huge giant tall long short large enormous fat thin".split())
SIZE_WORDS = SIZES | {"high", "wide", "heavy", "light", "deep"}
ROLE_NOUNS = {"friend", "pal", "buddy", "pet", "companion", "neighbour", "neighbor"}
# a thing named by what it is for: "The best present was a red balloon" is a balloon
GENERIC_THINGS = {"present", "gift", "prize", "surprise", "treat", "reward", "thing", "something"}
TIME_NOUNS = set("day morning afternoon evening night time moment minute hour week year today tonight "
                 "yesterday tomorrow while autumn winter spring summer monday tuesday wednesday "
                 "thursday friday saturday sunday bedtime noon midnight dawn dusk sunset sunrise "
                 "weekend birthday holiday lunchtime teatime playtime suppertime turn".split())
# ("It's not your birthday until tomorrow", "it was her turn": nobody's "it")
# Abstract nouns are tracked (an "it" may name "the idea") but never drawn or related.
ABSTRACT = set("idea help fun story thing trick game joke answer question plan adventure surprise "
               "sound noise voice cry word song hug kiss smile ride picnic party dream breath turn "
               "look nap sleep promise reason problem chance job work lesson hello goodbye sorry "
               "thanks lunch dinner breakfast goodnight wish huff secret hurry rush bang splat "
               "smack crash thump giggle laugh whisper shout squeal spot place world return tune "
               "race contest wind breeze storm thunder lightning rain fog mist might strength courage "
               "patience".split())
# ("in a huff", "with a splat", "her secret spot", "in tune", "the storm": no thing to draw;
# the weather is the background's)
NOT_MENTIONS = set("way lot bit kind sort half rest all one none everything nothing something "
                   "anything other first end beginning start home line ring row circle shape color "
                   "colour name flash instant jiffy twinkling".split()) | COLOR_WORDS
PART_NOUNS = {"top", "bottom", "side", "edge", "middle", "centre", "center", "front", "left", "right",
              "foot", "end", "corner", "inside", "outside", "surface", "page"}  # a book's page
BODY_PARTS = set("head nose back tail shoulder hand paw arm leg foot fin flipper wing beak trunk horn "
                 "neck ear eye mouth tummy belly lap claw fur hair face cheek toe finger tooth "
                 "whisker mane hoof lip tongue knee chin elbow wrist ankle thumb".split())
# An animal's own covering or markings: part of the animal when an animal has them ("a fox with
# a thick silver coat", "the turtle patted his blue shell": a silver fox, a blue turtle), a thing
# of its own otherwise ("the princess put on her coat", "the crab found an empty shell").
ANIMAL_COVERINGS = set("coat shell feather stripe spot scale wool fleece quill spine prickle antler "
                       "pelt plumage fluff skin patch marking speckle fur".split())
QUANTITY = set("school pile bunch group flock herd pair lot handful heap family swarm crowd "
               "couple stack row piece".split())
WEATHER_VERBS = {"rain", "snow", "pour", "drizzle", "thunder", "hail", "freeze", "storm", "sleet"}
WEATHER_ADJ = set("sunny rainy windy cold hot warm dark light late early quiet snowy cloudy foggy "
                  "stormy bright chilly freezing".split())
EXTRAPOSE_ADJ = set("hard easy fun nice good great important impossible difficult lovely wonderful "
                    "sad strange scary time true".split())

# Passive participles of thing verbs: "it was made of twigs", "it was locked".
THING_PASSIVE = set("make build lock paint fill cover wrap tie break hide bury lose leave "
                    "close open carve sew knit bake cook".split())


def it_preference(verb_lemma: str | None, adj_lemma: str | None, passive: bool) -> str | None:
    """What an "it" that is the subject of this verb (or "was" + this adjective) most likely
    names: "animate", "thing", or None when the words do not say."""
    if passive:
        return "thing" if verb_lemma in THING_PASSIVE else None
    if adj_lemma is not None:
        if adj_lemma in ANIMATE_ADJ:
            return "animate"
        if adj_lemma in THING_ADJ:
            return "thing"
        return None
    if verb_lemma in ANIMATE_VERBS:
        return "animate"
    if verb_lemma in THING_VERBS:
        return "thing"
    return None
