"""Selectional preferences: what the words around a pronoun say about the kind of thing it names.

"It landed on a daisy" names something that flies, "until it was full" a container, "she pushed
it" something pushed (a pram, a cart), "wears it" clothing, "ate it" food, "led it" a creature,
"its sails" a boat or a windmill, "it barked" a dog. Coreference (coref.py) gives a candidate
that fits a bonus; nothing here forbids a reading, so a story that pushes a doll still can.
The tables are hand-written, readable English (no offline WordNet is installed): verb or
adjective -> kind, kind -> nouns (head lemmas), part -> wholes, sound -> animals. `wanted(p, t)`
reads a pronoun's context; `fits(lemma, animate, want)` tests a candidate. Two clause rules
point at one noun: `clause_target` ("did not fit in the box because it was too small": the
box; "lent Mia her umbrella because she had forgotten hers": Mia). `placements` and `placed`
say where things are, so a thing hidden "on it" goes somewhere new. `it_words` (moved here
from coref.py) is the older animal-or-thing reading of lexicon.it_preference.
"""
from __future__ import annotations

from .lexicon import ANIMALS, BODY_PARTS, KIN, PEOPLE, THING_OBJECT_VERBS, it_preference
from .parse import SUBJ, Parse, Token

_BIRDS = set("""bird owl crow raven robin sparrow blackbird bluebird wren finch pigeon dove parrot
toucan eagle hawk falcon gull seagull pelican heron stork swan goose duck flamingo hummingbird
woodpecker kingfisher magpie jay starling swallow lark budgie canary cockatoo puffin kestrel
vulture bat hen chicken rooster cockerel turkey pheasant peacock""".split())
_BUGS = set("""butterfly moth bee bumblebee wasp hornet ladybug ladybird dragonfly firefly fly
mosquito gnat beetle""".split())
KINDS = {
    "flier": _BIRDS | _BUGS | set("""dragon fairy angel plane airplane aeroplane jet helicopter
        rocket spaceship saucer kite balloon parachute glider ball frisbee arrow dart feather
        leaf snowflake bubble""".split()),
    # what holds things: what gets full, what things are put into or eaten from
    "container": set("""box basket bag bucket pail cup mug glass bowl jar bottle jug pitcher pot
        pan kettle teapot vase tin can sack pocket drawer chest trunk suitcase backpack rucksack
        purse wallet lunchbox wagon cart pram stroller buggy wheelbarrow barrow barrel tub bathtub
        bath sink basin trough feeder nest cage tank aquarium bin wastebasket dish plate saucer
        tray envelope carton crate hamper pouch case locker cupboard closet wardrobe fridge oven
        toybox boot shoe sock stocking hat hole burrow pool pond puddle well boat canoe
        cauldron spoon net""".split()),
    # what is pushed or pulled along: wheeled things, sledges, swings, doors
    "pushed": set("""pram stroller buggy pushchair cart wagon wheelbarrow barrow trolley sled
        sledge toboggan bike bicycle tricycle trike scooter skateboard car truck lorry van bus
        tractor train boat canoe raft wheelchair carriage swing door gate drawer button lever
        handle rope string cord chain plough lawnmower seesaw""".split()),
    # what one rides, rows, sails or drives
    "vehicle": set("""boat ship canoe raft yacht ferry car bus truck lorry van tractor train
        bike bicycle tricycle trike scooter skateboard sled sledge toboggan plane airplane
        rocket spaceship carriage cart wagon horse pony donkey camel elephant""".split()),
    "clothing": set("""hat cap bonnet helmet crown scarf coat jacket cloak cape dress skirt shirt
        jumper sweater cardigan vest jeans trousers pants shorts sock stocking shoe boot sandal
        slipper glove mitten apron belt tie bow ribbon necklace bracelet ring earring glasses
        goggles sunglasses mask costume uniform pyjamas pajamas nightgown gown robe kimono
        swimsuit raincoat welly wellie earmuffs hood watch""".split()),
    "food": set("""apple banana carrot cake cookie biscuit bread sandwich pie pizza cheese egg
        berry strawberry blueberry raspberry cherry grape pear peach plum orange lemon lime melon
        watermelon pumpkin potato corn pea bean lettuce cabbage tomato cucumber nut acorn seed
        honey jam soup porridge cereal rice pasta noodle spaghetti sweet candy lollipop chocolate
        cupcake muffin pancake waffle donut doughnut cone bun roll toast grass hay fruit
        vegetable mushroom sausage burger hamburger popcorn pudding jelly icecream cream treat
        snack meal leaf clover worm bug fly fish bone mango pineapple coconut fig kiwi
        turnip radish onion""".split()),
    "melter": set("snowman snow ice icicle iceberg icecream lolly popsicle candle chocolate butter "
                  "snowball snowflake".split()),
    "hatcher": {"egg"},
    "grower": set("""seed plant flower tree sunflower bean beanstalk seedling bulb sprout shoot
        pumpkin vegetable tomato carrot bush vine acorn""".split()),
    "structure": set("""castle tower house home igloo nest snowman sandcastle bridge den hut fort wall
        dam shelter tent treehouse raft boat kennel doghouse hive""".split()),
    "machine": set("robot computer car phone clock alarm truck oven microwave rocket machine toy".split()),
    "heard": set("song noise sound music bell tune melody voice whistle drum story call cry shout "
                 "splash bang crash".split()),
}
# verb whose subject is wanted to be of a kind ("it flew"); sound verbs name their animals
SUBJECT_KIND = {**{v: "flier" for v in "fly land flutter soar hover glide swoop".split()},
                # "it sailed to the other side", "it drove off": a boat, a bus
                **{v: "vehicle" for v in "sail drive chug steam zoom".split()},
                # "it began to melt": the snowman; "when they hatched": the eggs
                "melt": "melter", "hatch": "hatcher", "sprout": "grower", "bloom": "grower",
                "grow": "grower",
                **{v: "machine" for v in "beep whir whirr bleep".split()},
                # "when they threw them into the air": who throws is someone, not the kites
                **{v: "animate" for v in "throw toss catch kick grab carry hug fetch".split()},
                # "It did not mind one bit": someone, not the leaf
                **{v: "animate" for v in "mind think decide wonder worry smile giggle nod yawn "
                   "thank shrug frown grin".split()}}
SOUNDS = {  # "it barked": a dog; the creatures that make each sound
    "bark": "dog puppy pup fox seal", "woof": "dog puppy pup", "growl": "dog puppy bear wolf lion tiger",
    "meow": "cat kitten kitty", "mew": "cat kitten", "miaow": "cat kitten", "purr": "cat kitten kitty",
    "hiss": "cat kitten snake goose", "moo": "cow calf bull", "neigh": "horse pony foal",
    "whinny": "horse pony foal", "quack": "duck duckling", "oink": "pig piglet",
    "baa": "sheep lamb", "bleat": "sheep lamb goat kid", "cluck": "hen chicken",
    "hoot": "owl", "buzz": "bee bumblebee fly wasp mosquito", "croak": "frog toad crow raven",
    "ribbit": "frog toad", "roar": "lion tiger bear dragon dinosaur", "squeak": "mouse rat hamster",
    "tweet": " ".join(_BIRDS), "chirp": " ".join(_BIRDS | {"cricket", "grasshopper"}),
    "honk": "goose car", "trumpet": "elephant", "howl": "wolf dog", "squawk": " ".join(_BIRDS),
}
OBJECT_KIND = {
    **{v: "pushed" for v in "push pull drag tow wheel".split()},
    **{v: "vehicle" for v in "ride row sail drive steer pedal park paddle".split()},
    **{v: "clothing" for v in "wear button zip".split()},
    **{v: "food" for v in "eat munch nibble gobble chew swallow taste bite peel crunch".split()},
    **{v: "container" for v in "fill empty".split()},
    "build": "structure", "rebuild": "structure",  # "helped her build it again": the castle
    "hear": "heard",  # "her baby heard it": the song
    # one leads, feeds, pats a creature, not a thing
    **{v: "animate" for v in "lead feed pat stroke tame groom tickle cuddle comfort".split()},
}
OUT_OF = set("take pull get lift fish tip pour shake".split())
ASPECT = set("begin start stop keep try continue seem want learn".split())
ADJ_KIND = {"full": "container", "empty": "container", "overflowing": "container",
            "finished": "structure", "built": "structure"}
# "then it sat down", "it stood up": a creature (a vase "sits" on a shelf, but not down)
POSTURE = {("sit", "down"), ("sit", "up"), ("lie", "down"), ("stand", "up"), ("get", "up")}
# (verb, preposition) whose object is wanted to be of a kind: "put the apple in it"
INTO = {"in", "into", "inside"}
PREP_KIND = {**{(v, p): "container" for v in
                "put drop pour place pack tip tuck stuff throw toss slip pop load spoon scoop"
                .split() for p in INTO},
             **{(v, p): "container" for v in "eat drink sip lap".split() for p in ("from", "out")},
             # one hisses, smiles or shouts at someone, not at a thing
             **{(v, "at"): "animate" for v in """hiss bark growl snarl smile wave wink laugh giggle
                shout yell scream squawk roar frown glare grin hoot sneer""".split()}}
# "its sails turned": the wholes a part belongs to (body parts are the animals' already)
PARTS = {
    "sail": "boat ship yacht windmill", "wheel": "cart wagon car bike bicycle bus train truck "
    "tractor pram wheelbarrow scooter skateboard trolley", "petal": "flower rose daisy tulip "
    "sunflower poppy", "branch": "tree bush", "root": "tree plant flower", "trunk": "tree",
    "bark": "tree", "roof": "house barn cottage castle hut shed school church", "chimney": "house "
    "cottage", "lid": "box jar pot pan kettle basket chest teapot", "engine": "car train truck "
    "boat plane bus tractor", "page": "book", "cover": "book", "string": "kite balloon guitar "
    "violin", "stem": "flower plant", "shell": "egg nut snail turtle tortoise", "yolk": "egg",
    "handle": "cup mug jug basket bucket pot door bag", "strap": "bag backpack",
    # an animal's own coat, spines and limbs: "she lifted all her long quills" is the porcupine
    "quill": "porcupine hedgehog", "spine": "porcupine hedgehog cactus", "prickle": "hedgehog "
    "porcupine", "antler": "deer reindeer moose elk stag", "tusk": "elephant walrus boar mammoth",
    "hump": "camel", "pouch": "kangaroo", "candle": "lantern lamp", "flame": "candle lantern lamp",
    "window": "lantern house cottage castle car bus train", "mast": "boat ship", "tentacle": "octopus squid jellyfish", "mane": "lion "
    "horse pony unicorn zebra", "flipper": "seal walrus penguin turtle dolphin", "stripe": "tiger zebra bee skunk", "feather": "bird owl hen "
    "chicken duck goose parrot peacock penguin robin eagle swan",
}
BODY_OWNED = {"quill", "spine", "prickle", "antler", "tusk", "hump", "pouch", "tentacle", "mane",
              "flipper", "feather"}  # (parts only their owner moves: not "her sails")
SMALL = {"small", "little", "tiny", "narrow", "short", "thin"}
BIG = {"big", "large", "huge", "wide", "tall", "long", "fat", "heavy"}
# "Lucy lent Mia her umbrella because she had forgotten hers": who gets a thing is who lacks
# it, wants it or is cold; who gives it is the kind one. "gave him a banana, but he did not
# like it": what follows "but" is the one who got it.
TRANSFER = set("give lend hand pass offer bring send throw toss sell pour bake make buy "
               "show".split())
LACKING = set("forget lose need want lack miss".split())
REACTING = LACKING | set("like love enjoy hate thank".split())
# "threw the ball to Oscar, but he dropped it": catching or dropping is the one it went to
REACTING |= {"catch", "drop"}
NEEDY_ADJ = set("cold hungry thirsty wet sad lonely sick ill tired poor sleepy".split())
GIVING_ADJ = set("kind generous nice friendly thoughtful sweet rich".split())
# the object of these is the cause ("thanked Sam because he had helped"); of these, the
# one who answers after "but" ("asked the crow for cheese, but she would not share")
OBJECT_CAUSE = set("thank praise blame scold punish reward congratulate forgive admire".split())
ASKING = {"ask", "beg"}
# "Tom found a key on the floor. He hid the key on it": a thing put somewhere goes somewhere new
PLACING = set("put hide place set lay drop tuck stuff slip hang stand move carry take bring push "
              "throw toss".split())
PLACES = {"on", "onto", "in", "into", "inside", "under", "underneath", "beneath", "behind",
          "beside", "near", "by", "below", "above", "over"}


def placements(p: Parse, span: range) -> list[tuple[int, int]]:
    """(thing, place) token pairs of a sentence: "found a key on the floor" (key, floor), "the
    cat sat on the mat" (cat, mat), "a cup on the table" (cup, table)."""
    out = []
    for i in span:
        prep = p.tokens[i]
        place = next((c for c in p.children(i) if c.dep == "pobj"), None)
        if prep.dep != "prep" or prep.lower not in PLACES or place is None or prep.head == i:
            continue
        head = p.tokens[prep.head]
        if head.pos in ("NOUN", "PROPN", "PRON"):
            out.append((head.i, place.i))
            continue
        kids = p.children(head.i)
        thing = next((c for c in kids if c.dep == "dobj"), None) or \
            next((c for c in kids if c.dep in SUBJ), None)
        if thing is not None:
            out.append((thing.i, place.i))
    return out


def placed(p: Parse, t: Token) -> int | None:
    """The thing a pronoun place is the new place of: "hid the key on it" -> key."""
    prep = p.tokens[t.head]
    if t.dep != "pobj" or prep.lower not in PLACES or prep.head == prep.i:
        return None
    verb = p.tokens[prep.head]
    if verb.lemma.lower() not in PLACING:
        return None
    thing = next((c for c in p.children(verb.i) if c.dep == "dobj"), None)
    return thing.i if thing is not None else None


def fits(lemma: str, animate: bool, want: str) -> bool:
    """Whether an entity with this head lemma (and animacy) is of the wanted kind ("flier",
    "container", ..., "animate", or "sound:<verb>" / "part:<noun>")."""
    if want == "animate":
        return animate
    kind, _, word = want.partition(":")
    if kind == "not":
        return not fits(lemma, animate, word)
    if kind == "sound":
        return lemma in SOUNDS[word].split()
    if kind == "part":
        return lemma in PARTS[word].split()
    return lemma in KINDS[kind]


def _verbs(p: Parse, verb: Token) -> list[Token]:
    """A verb and the verbs coordinated with it that share its subject ("looked up and hissed")."""
    out = [verb]
    for c in p.children(verb.i):
        if c.dep == "conj" and c.pos in ("VERB", "AUX") and not any(g.dep in SUBJ for g in p.children(c.i)):
            out += _verbs(p, c)
    return out


def wanted(p: Parse, t: Token) -> tuple[str, ...]:
    """The kinds the pronoun t's context wants (most say nothing: ())."""
    head = p.tokens[t.head]
    out: list[str] = []
    if t.dep == "poss":  # "its sails"
        if head.lemma.lower() in PARTS:
            out.append("part:" + head.lemma.lower())
        return tuple(out)
    if t.dep in SUBJ and t.dep != "nsubjpass" and head.pos in ("VERB", "AUX"):
        verbs = _verbs(p, head)
        # "it began to melt", "it tried to fly": the subject does what it begins
        verbs += [c for v in verbs if v.lemma.lower() in ASPECT for c in p.children(v.i) if c.dep == "xcomp"]
        for v in verbs:
            lemma = v.lemma.lower()
            # "she lifted all her long quills": who moves the quills is who has them
            out += ["part:" + o.lemma.lower() for o in p.children(v.i) if o.dep == "dobj"
                    and o.lemma.lower() in BODY_OWNED and any(g.dep == "poss" and g.pos == "PRON"
                                                              for g in p.children(o.i))]
            if lemma in SUBJECT_KIND and t.dep == "nsubj":
                out.append(SUBJECT_KIND[lemma])
            if lemma in SOUNDS:
                out.append("sound:" + lemma)
            # "he woke up with a roar": the sound named after "with" is the subject's own
            for prep in p.children(v.i):
                noun = next((c.lemma.lower() for c in p.children(prep.i) if c.dep == "pobj"), "")
                if prep.dep == "prep" and prep.lower == "with" and noun in SOUNDS:
                    out.append("sound:" + noun)
            if any((lemma, c.lower) in POSTURE for c in p.children(v.i) if c.dep == "prt"):
                out.append("animate")
            adj = next((c.lemma.lower() for c in p.children(v.i) if c.dep == "acomp"), None)
            if lemma in ("be", "get", "become") and adj in ADJ_KIND:
                out.append(ADJ_KIND[adj])
    elif t.dep in ("dobj", "dative", "nsubjpass") and head.pos == "VERB":  # "it was pulled"
        lemma = head.lemma.lower()
        particle = next((c.lower for c in p.children(head.i) if c.dep == "prt"), "")
        if lemma in OBJECT_KIND and not (lemma == "empty" and particle == "out"):
            out.append(OBJECT_KIND[lemma])
        if lemma in ("put", "try", "take") and particle in ("on", "off"):
            out.append("clothing")  # "put it on", "took it off"
        if lemma in OUT_OF and particle == "out":
            out.append("not:container")  # "opened the box and took it out": not the box
        if t.dep == "nsubjpass" and lemma in ("finish", "build", "make"):
            out.append("structure")  # "When it was finished, they crawled inside"
    elif t.dep == "pobj" and head.dep == "prep":
        verb = p.tokens[head.head]
        prep = head.lower if head.lower != "of" or verb.lower != "out" else "out"
        if verb.lower == "out" and verb.dep in ("prep", "advmod"):  # "ate out of it"
            verb = p.tokens[verb.head]
        kind = PREP_KIND.get((verb.lemma.lower(), prep))
        if kind:
            out.append(kind)
    return tuple(dict.fromkeys(out))


def clause_target(p: Parse, t: Token) -> int | None:
    """The token a clause's own words pick for the pronoun t, or None: the fitting rule
    (_fit_target), the giving rule (_transfer_target) or the cause rule (_cause_target)."""
    for rule in (_fit_target, _transfer_target, _cause_target):
        found = rule(p, t)
        if found is not None:
            return found
    return None


def _linked(p: Parse, t: Token) -> tuple[Token, Token, set[str]] | None:
    """For a subject pronoun of a clause hung off another ("..., because he", "..., but she"):
    its verb, the main verb and the linking words."""
    verb = p.tokens[t.head]
    if t.dep != "nsubj" or verb.dep not in ("advcl", "conj") or verb.head == verb.i:
        return None
    main = p.tokens[verb.head]
    link = {c.lower for c in p.children(verb.i) if c.dep == "mark"} | \
        {c.lower for c in p.children(main.i) if c.dep == "cc" and verb.dep == "conj"}
    return verb, main, link


def _cause_target(p: Parse, t: Token) -> int | None:
    """'Leo thanked Sam because he had found the car': one thanks, praises or scolds someone
    for what that one did; 'the fox asked the crow for cheese, but she held it tight': what
    follows "but" is the asked one's answer. Both: the main verb's object."""
    found = _linked(p, t)
    if found is None:
        return None
    _, main, link = found
    lemma = main.lemma.lower()
    if not (lemma in OBJECT_CAUSE and link & {"because", "as", "since"} or lemma in ASKING and "but" in link):
        return None
    obj = next((c for c in p.children(main.i) if c.dep == "dobj"), None)
    return obj.i if obj is not None and obj.i < t.i else None


def _transfer_target(p: Parse, t: Token) -> int | None:
    found = _linked(p, t)
    if found is None:
        return None
    verb, give, link = found
    kids = p.children(verb.i)
    if give.lemma.lower() not in TRANSFER or not link & {"because", "as", "since", "but"}:
        return None
    negated = any(c.dep == "neg" for c in kids)
    adj = next((c.lemma.lower() for c in kids if c.dep == "acomp"), None)
    lemma = verb.lemma.lower()
    if "but" in link:
        to_recipient = lemma in REACTING or adj in NEEDY_ADJ
    # ("lent her umbrella to Emma because she did not have one": not having is lacking)
    elif adj in NEEDY_ADJ or lemma in LACKING and not negated or lemma == "have" and negated:
        to_recipient = True
    elif adj in GIVING_ADJ or lemma in LACKING and negated:  # "because she did not need it"
        to_recipient = False
    else:
        return None
    for c in p.children(give.i):
        if not to_recipient and c.dep in SUBJ and c.i < t.i:
            return c.i
        if to_recipient and c.dep == "dative" and c.pos != "ADP":
            return c.i
        if to_recipient and c.dep in ("dative", "prep") and c.lower in ("to", "for"):
            obj = next((g for g in p.children(c.i) if g.dep == "pobj"), None)
            if obj is not None:
                return obj.i
    return None


def _fit_target(p: Parse, t: Token) -> int | None:
    """'The teddy did not fit in the box because it was too small': a container too small is
    the container (the noun after "in"), a thing too big the thing that did not fit."""
    head = p.tokens[t.head]
    if t.dep != "nsubj" or head.lemma != "be" or head.dep != "advcl" or head.head == head.i:
        return None
    adj = next((c.lemma.lower() for c in p.children(head.i) if c.dep == "acomp"), None)
    verb = p.tokens[head.head]
    if verb.lemma.lower() != "fit" or adj not in SMALL | BIG:
        return None
    if adj in BIG:
        subj = next((c for c in p.children(verb.i) if c.dep in SUBJ), None)
        return subj.i if subj is not None and subj.i < t.i else None
    for prep in p.children(verb.i):
        if prep.dep == "prep" and prep.lower in INTO | {"through", "under", "on"}:
            obj = next((c for c in p.children(prep.i) if c.dep == "pobj"), None)
            if obj is not None:
                return obj.i
    return None


def it_words(p: Parse, t: Token) -> str | None:
    """What the words around an "it"/"its" say it is: "its tail" and "it wagged" an animal,
    "it rolled", "it was locked", "it was too steep", "open it" a thing (lexicon.it_preference),
    "under it" a place (an animal is a possible place, a less likely one)."""
    if t.lower == "its":
        noun = p.tokens[t.head].lemma.lower()
        return "body" if noun in BODY_PARTS else "animate" if noun in KIN else None
    head = p.tokens[t.head]
    if t.dep == "dobj" and head.pos == "VERB":  # "would not open it": a gate, not the fox
        return "thing" if head.lemma.lower() in THING_OBJECT_VERBS else None
    if t.dep == "pobj" and head.dep == "prep" and head.head != head.i and (
            head.lower in PLACES or head.lower == "to" and p.tokens[head.head].lower == "next"):
        return "place"  # "A snail crawled under it", "sat next to it": a place, likelier a thing
    if t.dep not in SUBJ:
        return None
    # "It opened its wings", "it shook its head": only a creature moves a body part
    if t.dep == "nsubj" and any(c.dep == "dobj" and c.lemma.lower() in BODY_PARTS
                                for c in p.children(head.i)):
        return "animate"
    if head.lemma == "be":
        kids = p.children(head.i)
        attr = next((c.lemma.lower() for c in kids if c.dep == "attr" and c.pos == "NOUN"), None)
        if attr is not None:  # "It was a good plan" names the idea; "it was a fox" a creature
            return "animate" if attr in ANIMALS | PEOPLE else "thing"
        adj = next((c.lemma.lower() for c in kids if c.dep == "acomp"), None)
        return it_preference(None, adj, False) if adj else None
    return it_preference(head.lemma.lower(), None, t.dep == "nsubjpass")
