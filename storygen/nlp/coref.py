"""Rule-based coreference over the dependency parse, with story context across scenes.

No coreference model is reachable offline, so this is a salience model in the spirit of
Lappin & Leass (1994) with a centering-style preference for the previous sentence's subject:
- nominal mentions link by lemma ("the silly teal mermaid" ... "the mermaid"), by given name
  ("a mermaid called Coral" ... "Coral") and by predicate nominal ("the fruit was a mango");
- a pronoun's candidates are filtered by number, gender, animacy and binding (binding.py: a
  non-reflexive object pronoun never names its own clause's subject or objects), then ranked
  by salience: (100 + role weight) per mention, decayed by DECAY per sentence, plus
  parallel-role, hero and it-for-animals terms, and the selectional preferences of the words
  around the pronoun (preferences.py: "it landed" wants a flier, "until it was full" a
  container, "lent Mia her umbrella because she had forgotten hers" the one who got it); a
  tie goes to the nearer mention. "they" may take a plural entity, a coordinated group ("the
  mermaid and the crab", "Mom, Dad and Ava") or, failing both, the two most salient
  characters still in mind.
`StoryCoref.add_scene(parse)` is incremental, so scene N sees scenes 1..N-1. The records it
keeps are in coref_state.py, number/gender/animacy agreement in agreement.py.
"""
from __future__ import annotations

from .agreement import GENDER_KNOWN, compatible, says
from .coref_state import POSSESSIVE, PRONOUNS, REFLEXIVE, EntityState, MentionRec, SceneCoref
from .lexicon import (ABSTRACT, ANIMALS, FEMALE, FEMALE_NAMES, GENERIC_THINGS, MALE, MALE_NAMES, PEOPLE,
                      ROLE_NOUNS,
                      YOUNG, YOUNG_ALIASES, YOUNG_OF)
from .binding import banned as binding_banned, cataphor, other_gender
from .introductions import introduced
from .mentions import (INDEPENDENT_POSSESSIVES, copula_subject, given_name, is_name, mistagged,
                       noun_lemma, painted_noun, pleonastic, role_class, role_of, simile, sound_word,
                       argument_of)
from .preferences import BODY_OWNED, clause_target, fits, it_words, placed, placements, wanted
from .parse import SUBJ, Parse, Token, clause_subject, mention_phrase, noun_number

DECAY = 0.3  # salience kept per sentence back: steep, so the last sentence dominates
ROLE_WEIGHT = {"subj": 80, "there": 70, "obj": 50, "dative": 40, "obl": 30, "poss": 30, "other": 20,
               "embedded": 10}
PARALLEL, FALLBACK_GROUP = 35, 15
# the same verb in the same role: "The cub tried to roar ... The next day he tried again",
# "hid a nut ... where he had hidden it" (a verb that says nothing of its own is no cue)
SAME_VERB, SAME_VERB_SPAN = 60, 3
FORGOTTEN = 1.0  # salience below this (about 4 sentences unmentioned): no longer a candidate,
# except the hero, who stays available to a "she" at any distance
CATAPHORA_BELOW = 100  # a pronoun with no antecedent this strong may point ahead (binding.cataphor)
LOCAL_SUBJECT = 50  # "Bolt flashed his lights": a possessive leans to its own clause's subject
FIT = 90  # a candidate of the kind the pronoun's words want ("it landed": a flier; preferences.py)
# where the words all but decide: "did not fit in the box because it was too small", "lent Mia
# her umbrella because she had forgotten hers", a part ("its sails": a boat or a windmill)
FIT_CLAUSE = 150
DECISIVE_KINDS = {"melter", "hatcher", "heard", "not:container"}  # "and it began to melt": only a few things melt at all
FIT_OWNED = 300  # "she lifted all her long quills": only a porcupine has quills, whoever came last
# "They put a flag on top of it. Then a wave washed it away": the thing the last sentence
# called "it" is the likelier "it" of this one (centering: the pronoun continues the topic),
# even from a place phrase whose role weight undervalues it (a subject "it" has its weight)
CONTINUED = 30
CONTINUES = {"it": ("it", "its"), "its": ("it", "its")}
MOVED = 60  # "found a key on the floor. He hid the key on it": not the floor again

class StoryCoref:
    """Coreference state for one story; feed scenes in order with add_scene()."""

    def __init__(self, hero: str | None = None, animate_lemmas: frozenset[str] = frozenset()):
        self.hero = hero
        self.animate_lemmas = animate_lemmas | PEOPLE | ANIMALS
        self.entities: dict[str, EntityState] = {}
        self.mentions: list[MentionRec] = []
        self.names: dict[str, str] = {}
        self.places: dict[str, set[str]] = {}  # entity -> where the story has said it is
        self.sentences = 0

    # ---------------------------------------------------------------- entities

    def _entity_for(self, p: Parse, t: Token) -> EntityState | None:
        lemma = noun_lemma(p, t)
        if lemma is None:
            return None
        # (a name the story gave, even where the tagger took it for a noun: "Socks is a cat")
        if (is_name(t) or t.text[:1].isupper()) and t.text in self.names:
            return self.entities[self.names[t.text]]
        plural = noun_number(p, t)
        if any(c.lemma in ("each", "every") for c in p.children(t.i)):
            plural = None  # "gave each child a seed. She told them ...": one by one, many in all
        hero_head = self.hero.split()[-1] if self.hero else None
        fresh = any(c.lemma in ("another", "other") for c in p.children(t.i))
        if lemma == hero_head and plural is not True and not fresh:
            return self._get_or_make(self.hero.replace(" ", "_"), self.hero, hero=True)
        if not fresh:
            for e in self.entities.values():
                same = e.lemma.split()[-1] == lemma or lemma in e.aliases
                if same and (e.plural is None or plural is None or e.plural == plural):
                    if e.plural is None:
                        e.plural = plural
                    return self._young(p, t, e)
        if lemma == "little one":
            return None  # "the little ones" with no young one before them: nobody to draw
        eid = lemma.replace(" ", "_")
        n = 2
        while eid in self.entities:
            eid, n = f"{lemma.replace(' ', '_')}_{n}", n + 1
        e = self._get_or_make(eid, lemma)
        e.plural = plural
        if is_name(t):
            e.names.add(t.text)
            self.names[t.text] = e.id
            e.animate = True
            low = t.text.lower()
            e.gender = e.gender or ("f" if low in FEMALE_NAMES else "m" if low in MALE_NAMES else None)
        return self._young(p, t, e)

    @staticmethod
    def _young(p: Parse, t: Token, e: EntityState) -> EntityState:
        """'The baby turtles ... The babies were frightened': a young animal (by "baby",
        "young", "little", or its own word: "cubs") is also the babies, the hatchlings, the
        little ones and its kind's young ("baby chickens ... the chicks")."""
        head = e.lemma.split()[-1]
        if head in ANIMALS and (head in YOUNG_OF.values() or any(
                c.dep in ("amod", "compound") and c.lower in YOUNG for c in p.children(t.i))):
            e.aliases |= YOUNG_ALIASES | ({YOUNG_OF[head]} if head in YOUNG_OF else set())
        return e

    def _identified(self, p: Parse, t: Token, subj: int) -> EntityState | None:
        """'It was the kite!', 'It was Teddy!': a thing the story already knows, named by "the"
        or by its name after "it was", is what "it" stands for (not the tree just seen: the
        lost thing found there); "It was a fox" (a new one) is the older reading's alias."""
        s = p.tokens[subj]
        if s.pos != "PRON" or s.lower not in ("it", "this", "that"):
            return None
        if is_name(t) and t.text in self.names:
            return self.entities[self.names[t.text]]
        if not any(c.dep == "poss" or c.dep == "det" and c.lower == "the" for c in p.children(t.i)):
            return None
        lemma = noun_lemma(p, t)
        known = lemma is not None and any(e.lemma.split()[-1] == lemma or lemma in e.aliases
                                          for e in self.entities.values())
        return self._entity_for(p, t) if known else None

    def _get_or_make(self, eid: str, lemma: str, hero: bool = False) -> EntityState:
        if eid not in self.entities:
            head = lemma.split()[-1]
            gender = "f" if head in FEMALE else "m" if head in MALE else None
            self.entities[eid] = EntityState(eid, lemma, hero=hero, gender=gender,
                                             animate=hero or head in self.animate_lemmas or lemma
                                             in self.animate_lemmas, abstract=head in ABSTRACT)
        return self.entities[eid]

    # ---------------------------------------------------------------- scenes

    def add_scene(self, p: Parse) -> SceneCoref:
        scene = SceneCoref(p, {}, {})
        for s in p.sentences:
            self._sentence(p, range(s.start, s.end), self.sentences, scene)
            self.sentences += 1
        return scene

    def _sentence(self, p: Parse, span: range, sent: int, scene: SceneCoref) -> None:
        toks = [p.tokens[i] for i in span]
        for t in toks:  # given names first: "a mermaid called Coral"
            if t.pos in ("NOUN", "PROPN") and t.dep not in ("compound",):
                name = given_name(p, t)
                if name is not None and name.text not in self.names:
                    e = self._entity_for(p, t)
                    if e is not None:
                        e.names.add(name.text)
                        self.names[name.text] = e.id
                        e.animate = True
            speaker = introduced(p, t, self.names, self.mentions, self.entities)
            if speaker is not None:  # '"My name is Ivy," the girl said': the girl is Ivy
                speaker.names.add(t.text)
                self.names[t.text] = speaker.id
        deferred, identified = [], {}
        for t in toks:  # nominal mentions
            if (t.pos not in ("NOUN", "PROPN") and not is_name(t) or t.dep == "compound" and t.head != t.i
                    and p.tokens[t.head].pos in ("NOUN", "PROPN")) and not painted_noun(p, t) \
                    and not mistagged(t):
                continue
            if sound_word(p, t) or simile(p, t):
                continue  # "tap, tap, tap"; "looked like a unicorn's horn"
            if t.pos == "PROPN" and any(t.text in e.names for e in self.entities.values()) \
                    and p.tokens[t.head].lemma in ("name", "call"):
                scene.links[t.i] = (self.names[t.text],)
                continue
            subj = copula_subject(p, t)
            if subj is None and t.dep == "appos" and t.pos == "NOUN" and p.tokens[t.head].pos in ("NOUN", "PROPN") \
                    and not any(c.dep == "poss" for c in p.children(t.i)):  # not "lent the dragon his cloak"
                subj = t.head  # "his friend the bird", "Shell, an old tortoise": one entity
            named = None
            found = self._identified(p, t, subj) if subj is not None else None
            if found is not None:  # "It was the kite!": the pronoun is the kite, found
                identified[subj], subj = found.id, None
            if subj is not None and subj not in scene.links and p.tokens[subj].pos != "PRON":
                # "Bramble/ADJ was a grumpy sheep": a subject the tagger missed; the noun is the
                # mention, and a capitalised subject its name
                named, subj = p.tokens[subj], None
            if subj is not None:  # predicate nominal: "the fruit was a mango"
                deferred.append((t, subj))
                continue
            e = self._entity_for(p, t)
            if e is not None and named is not None and named.text[:1].isupper() and named.text.isalpha():
                e.names.add(named.text)
                self.names[named.text] = e.id
                e.animate = True
                scene.links[named.i] = (e.id,)
            if e is None:
                continue
            scene.links[t.i] = (e.id,)
            self._note_surface(p, t, e)
            if e.abstract and t.dep == "pobj":
                continue  # "asked the cook for help", "at the end of each race": no antecedent
            self.mentions.append(MentionRec(sent, t.i, role_of(p, t), (e.id,), verb=argument_of(p, t)))
        self._groups(p, toks, sent, scene)
        for t in toks:  # pronouns, in order, after every nominal of the sentence is known
            word = t.text.lower()
            if word in PRONOUNS and (t.pos == "PRON" and t.tag in ("PRP", "PRP$") or
                                     word in INDEPENDENT_POSSESSIVES):  # "hers" may be tagged NOUN
                key = (identified[t.i],) if t.i in identified else self._resolve(p, t, sent, scene)
                scene.pronouns[t.i] = key
                if key:
                    scene.links[t.i] = key
                    self.mentions.append(MentionRec(sent, t.i, role_of(p, t), key, word, argument_of(p, t)))
        for t in toks:  # whose kin: "its mother", "the lamb's mother", "Lily's brother"
            owner = scene.links.get(t.i) if t.dep == "poss" else None
            kin = scene.links.get(t.head) if owner else None
            if owner and kin and len(owner) == 1 and len(kin) == 1 and kin != owner:
                e = self.entities[kin[0]]
                e.kin_of = e.kin_of or owner[0]
        for thing, place in placements(p, span):
            for a in scene.links.get(thing, ()):
                self.places.setdefault(a, set()).update(scene.links.get(place, ()))
        for t, subj in deferred:
            key = scene.links.get(subj)
            if key and len(key) == 1:
                e, lemma = self.entities[key[0]], noun_lemma(p, t) or t.lemma.lower()
                revealed = not e.animate and not e.hero and lemma in self.animate_lemmas
                named_for = e.lemma in GENERIC_THINGS and lemma not in GENERIC_THINGS | ABSTRACT
                if e.lemma in ROLE_NOUNS and lemma not in ROLE_NOUNS or revealed or named_for:
                    # "Her friend was a snail"; "The noise was only a little boy", "the rock
                    # ... was a big old sea turtle": the thing turns out to be someone
                    e.aliases.add(e.lemma)
                    e.lemma, e.surface, e.mention = lemma, t.text.lower(), mention_phrase(p, t)
                    e.animate = e.animate or lemma in self.animate_lemmas
                    e.gender = e.gender or ("f" if lemma in FEMALE else "m" if lemma in MALE else None)
                else:
                    e.aliases.add(lemma)
                scene.links[t.i] = key

    def _note_surface(self, p: Parse, t: Token, e: EntityState) -> None:
        # (not from an alias: "the baby turtles ... the babies" is still written "the turtles")
        if not e.surface or (e.plural and t.tag in ("NNS", "NNPS") and noun_lemma(p, t) not in e.aliases):
            e.surface = t.text.lower() if t.pos != "PROPN" else t.text
        phrase = mention_phrase(p, t)
        if len(phrase) > len(e.mention):
            e.mention = phrase

    def _groups(self, p: Parse, toks: list[Token], sent: int, scene: SceneCoref) -> None:
        """'The mermaid and the crab' (or 'She and the bee') is a group a later 'they' can take."""
        for t in toks:
            conj = [c for c in p.children(t.i) if c.dep == "conj"]
            if not conj or t.dep == "conj" or t.pos not in ("NOUN", "PROPN", "PRON"):
                continue
            members, k = [t.i] + [c.i for c in conj], 1
            while k < len(members):  # "Mom, Dad and Ava": Ava is Dad's conjunct, still one group
                members += [c.i for c in p.children(members[k]) if c.dep == "conj"]
                k += 1
            # "Mom, Dad and Ava went", "The cat, the dog and the hen slept": the parser may
            # hang the first of a list off the verb, before a comma
            first = t
            while True:
                k = min([first.i] + [c.i for c in p.children(first.i) if c.dep in ("det", "amod",
                                                                                  "compound")]) - 2
                if k < 0 or p.tokens[k + 1].text != "," or p.tokens[k].pos not in ("NOUN", "PROPN") \
                        or p.tokens[k].head not in (t.i, t.head) or \
                        p.tokens[k].dep not in ("npadvmod", "dep", "appos", *SUBJ):
                    break
                first = p.tokens[k]
                members.append(k)
            key = tuple(sorted({e for m in members for e in scene.links.get(m, ())}))
            if len(key) >= 2:
                self.mentions.append(MentionRec(sent, max(members), role_of(p, t), key))

    # ---------------------------------------------------------------- pronouns

    def _resolve(self, p: Parse, t: Token, sent: int, scene: SceneCoref) -> tuple[str, ...]:
        word = t.text.lower()
        plural, gender = PRONOUNS[word]
        if word == "it" and pleonastic(p, t):
            return ()
        if word in REFLEXIVE:
            subj = clause_subject(p, t)
            if subj is not None and subj.lower in ("who", "that", "which") and \
                    p.tokens[subj.head].dep == "relcl" and p.tokens[t.head].lower != "than":
                # "Ruth, who held it all by herself" (but "a crumb that was bigger than
                # itself" is the ant's: a comparison reaches out of its clause)
                subj = p.tokens[p.tokens[subj.head].head]
            if subj is not None and scene.links.get(subj.i):
                return scene.links[subj.i]
        banned = binding_banned(p, t, scene.links) | other_gender(p, t, gender, scene.pronouns)
        scores = self._salience(p, t, sent, banned)
        if word in POSSESSIVE or t.tag == "PRP$":
            subj = clause_subject(p, t)
            local = scene.links.get(subj.i) if subj is not None and subj.i < t.i else None
            if local in scores:
                scores[local] += LOCAL_SUBJECT
        pref = it_words(p, t) if word in ("it", "its", "they") else None
        # "did not fit in the box because it was too small", "lent Mia ... because she had ..."
        target = scene.links.get(clause_target(p, t))
        if target in scores:
            scores[target] += FIT_CLAUSE
        moved = scene.links.get(placed(p, t), ())  # "hid the key on it": the key's new place
        for eid in {place for thing in moved for place in self.places.get(thing, ())}:
            if (eid,) in scores:
                scores[(eid,)] -= MOVED
        wants = wanted(p, t)
        # (not for a possessive, where the clause's own subject leads: "Bolt flashed his lights")
        known_gender = gender in ("m", "f") and word not in POSSESSIVE and t.tag != "PRP$"
        best, best_score = (), float("-inf")
        for key, score in scores.items():
            # (the clause's own rule reads its adjective better than it_words: "the elephant
            # could not fit in the boat because it was too big" is the elephant, big or not)
            ok, adj = compatible(self.entities[key[0]] if len(key) == 1 else None, plural, gender,
                                 None if key == target else pref)
            if known_gender and len(key) == 1 and says(self.entities[key[0]], gender):
                adj += GENDER_KNOWN  # a known "she" (Mia, the grandma) before an unknown (the ladybug)
            if wants:
                adj += max([FIT_OWNED if w[5:] in BODY_OWNED or w in DECISIVE_KINDS else FIT_CLAUSE
                            if w.startswith("part:") else FIT for w in wants
                            if all(self._fits(eid, w) for eid in key)], default=0.0)
            if ok and (score >= FORGOTTEN or self.entities[key[0]].hero) and score + adj > best_score:
                best, best_score = key, score + adj
        if plural:
            group = self._fallback_group(scores, sent, banned)
            if group is not None and group[1] > best_score:
                best, best_score = group
        if best_score < CATAPHORA_BELOW:
            ahead = cataphor(p, t, scene.links)  # "When she woke up, the bear stretched"
            if ahead and compatible(self.entities[ahead[0]] if len(ahead) == 1 else None, plural, gender, pref)[0]:
                best = ahead
        if len(best) == 1 and gender in ("m", "f") and word not in POSSESSIVE and t.tag != "PRP$":
            e = self.entities[best[0]]
            e.gender, e.told = e.gender or gender, True
        elif len(best) == 1 and gender == "n":
            self.entities[best[0]].called_it = True
        return best

    def _fits(self, eid: str, want: str) -> bool:
        e = self.entities[eid]
        heads = {e.lemma.split()[-1]} | e.aliases  # "the fruit was a mango": a food
        return any(fits(h, e.animate, want) for h in heads)

    def _salience(self, p: Parse, t: Token, sent: int, banned: set[str]
                  ) -> dict[tuple[str, ...], float]:
        """Per candidate (entity or group): the best (100 + role weight) of each earlier
        sentence, decayed per sentence and summed, plus the parallel-role bonus."""
        role = role_of(p, t)
        per_sent: dict[tuple[str, ...], dict[int, float]] = {}
        parallel: set[tuple[str, ...]] = set()
        same_verb: set[tuple[str, ...]] = set()
        verb = argument_of(p, t)
        continued: set[tuple[str, ...]] = set()
        last: dict[tuple[str, ...], int] = {}  # a tie goes to the nearer mention ("from the jug
        # into the cup until it was full")
        for m in self.mentions:
            if m.sent > sent or m.sent == sent and m.token >= t.i:
                continue  # only what came before the pronoun
            if len(m.key) == 1 and m.key[0] in banned or len(m.key) > 1 and set(m.key) <= banned:
                continue  # (a group binding forbids whole: "They watered them" is not they)
            # (a group ends where its last member does, and wins that tie: "Owls, bats and moths")
            last[m.key] = max(last.get(m.key, 0), (m.sent * 10_000 + m.token) * 2 + (len(m.key) > 1))
            by_sent = per_sent.setdefault(m.key, {})
            by_sent[m.sent] = max(by_sent.get(m.sent, 0.0), 100.0 + ROLE_WEIGHT[m.role])
            if sent - m.sent <= 1 and role_class(m.role) == role_class(role) != "other":
                parallel.add(m.key)
            if verb and m.verb == verb and m.role == role and sent - m.sent <= SAME_VERB_SPAN:
                same_verb.add(m.key)  # "he had hidden a nut ... where he had hidden it"
            if sent - m.sent == 1 and m.pronoun in CONTINUES.get(t.lower, ()) and m.role != "subj":
                continued.add(m.key)
        return {key: sum(w * DECAY ** (sent - s) for s, w in by_sent.items())
                + (PARALLEL if key in parallel else 0.0) + (CONTINUED if key in continued else 0.0)
                + (SAME_VERB if key in same_verb else 0.0)
                + 1e-9 * last[key]
                for key, by_sent in per_sent.items()}

    def _fallback_group(self, scores, sent, banned):
        """'They' with no plural antecedent: the two most salient characters still in mind,
        one of them named in this or the previous sentence."""
        recent = {m.key[0] for m in self.mentions if len(m.key) == 1 and sent - m.sent <= 1}
        people = sorted(((s, k[0]) for k, s in scores.items() if len(k) == 1 and s >= FORGOTTEN
                         and self.entities[k[0]].animate and not self.entities[k[0]].plural
                         and k[0] not in banned), reverse=True)
        if len(people) < 2 or not {people[0][1], people[1][1]} & recent:
            return None
        (s1, a), (s2, b) = people[:2]
        return tuple(sorted((a, b))), (s1 + s2) / 2 - FALLBACK_GROUP
