"""Scene mood: valence (sad -1 .. +1 happy) and arousal (calm -1 .. +1 exciting).

Backends (MOODS registry); both are checked on data/gold/mood.jsonl by `storygen evaluate-mood`:
  basic    the baseline: valence = vaderSentiment's compound score of the whole text; arousal =
           a small word list of exciting (+) and calm (-) words, action verbs and exclamation
           marks, as a density per word squashed by tanh.
  lexicon  per sentence, VADER plus our children's-story valence lexicon (mood_lexicon.yaml:
           lost, alone, giggle, hug ... that VADER lacks), with negation; the scene is the
           sentence mean weighted toward the end (a scene that ends well feels good). Arousal:
           the weighted lexicon (-2 calm .. +2 exciting) with intensifiers, plus exclamation
           marks and shouted words, as a density per word squashed by tanh.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

from ..errors import ConfigError
from ..records import Mood
from .lemmas import lookup
from ..backends import MOODS


# Exciting / calm words, each with the inflections a story uses (plain lists keep it greppable).
EXCITING = set("""
    suddenly sudden fast faster quick quickly hurry hurried hurrying rush rushed rushing race
    raced racing zoom zoomed zooming wild wildly loud loudly shout shouted shouting yell yelled
    scream screamed roar roared roaring crash crashed crashing bang boom whoosh zap splash
    splashed splashing storm stormy thunder lightning danger dangerous scary scared afraid
    chase chased chasing escape escaped hooray wow yay surprise surprised exciting excited
    amazing huge giant burst burst bursting explode exploded spin spun spinning whirl whirled
    tumble tumbled tumbling shake shook shaking quake trembled gasp gasped squeal squealed
    cheer cheered cheering party dance danced dancing jump jumped jumping leap leaped leapt
    bounce bounced bouncing laugh laughed laughing giggle giggled tumbled tripped bumped
    wobbled squeaked slipped fell crashed louder surprise rocket hooray oops oh
""".split())
CALM = set("""
    sleep sleeps slept sleeping sleepy asleep nap napped dream dreamed dreaming dreamy quiet
    quietly silent silently soft softly gentle gently slow slowly calm calmly rest rested
    resting peaceful peacefully still hush whisper whispered whispering yawn yawned yawning
    snuggle snuggled cozy cosy warm sigh sighed float floated floating drift drifted drifting
    lullaby tiptoe tiptoed smile smiled smiling hug hugged breeze night moon stars relax
    relaxed tired cuddle cuddled lazy lazily sat sit sitting lay lying evening curled tucked
    blanket pillow goodnight bedtime waited listened
""".split())
ACTION_VERBS = set("""
    ran run running swam swim swimming climbed climb climbing flew fly flying dashed dash
    darted dart grabbed grab threw throw kicked kick pushed push pulled pull raced dived dove
    dive hopped hop hopping skipped skip rolled roll rolling slid slide sliding flapped flap
    swung swing charged charge stomped stomp galloped gallop scrambled scramble
""".split())

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def valence(text: str) -> float:
    return float(_vader().polarity_scores(text)["compound"])


def arousal(text: str) -> float:
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    score = sum(1.0 for w in words if w in EXCITING) - sum(1.0 for w in words if w in CALM)
    score += 0.6 * sum(1 for w in words if w in ACTION_VERBS)
    score += 0.8 * text.count("!")
    # density per 10 words: one strong cue in a short scene moves it clearly, in a long one less
    return math.tanh(score / len(words) * 10 / 1.5)


def _clip(x: float) -> float:
    return round(max(-1.0, min(1.0, x)), 4)


def make_basic() -> Callable[[str], Mood]:
    return lambda text: Mood(valence=_clip(valence(text)), arousal=_clip(arousal(text)))


# ---------------------------------------------------------------- lexicon backend

LEXICON_PATH = Path(__file__).with_name("mood_lexicon.yaml")
NEGATION_WINDOW = 3  # a negator up to 3 words before a word flips and halves its valence
INTENSIFY = 1.3  # "very happy", "so loud"
# Constants chosen before evaluation, then the arousal scale set on the unlabelled corpus
# (data/corpus/stories.jsonl) so its scenes spread over about +-0.5 (std), not on gold labels.
VADER_SHARE = 0.5  # sentence valence = 0.5 VADER + 0.5 lexicon
LEXICON_VALENCE_SCALE = 2.0  # tanh(sum / 2): two clear words make a clearly happy sentence
VALENCE_GAIN = 2.5  # the weighted mean of sentences is mild; spread it over [-1, 1]
AROUSAL_SCALE = 0.8  # tanh(density per 10 words / 0.8)
EXCLAIM = 0.8  # per exclamation mark (at most 3 count)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True)
class Lexicon:
    valence: dict[str, float]
    arousal: dict[str, float]
    negators: frozenset[str]
    intensifiers: frozenset[str]


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    where = Path(path) if path else LEXICON_PATH
    try:
        data = yaml.safe_load(where.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read the mood lexicon {where}: {exc}") from None
    if not isinstance(data, dict) or set(data) != {"valence", "arousal", "negators", "intensifiers"}:
        raise ConfigError(f"{where}: needs exactly the keys valence, arousal, negators, intensifiers")
    tables = {}
    for name in ("valence", "arousal"):
        table = data[name] or {}
        for word, weight in table.items():
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or abs(weight) > 2:
                raise ConfigError(f"{where}: {name}.{word} must be a number in [-2, 2], got {weight!r}")
        tables[name] = {str(w).lower(): float(x) for w, x in table.items()}
    return Lexicon(tables["valence"], tables["arousal"],
                   frozenset(str(w).lower() for w in data["negators"]),
                   frozenset(str(w).lower() for w in data["intensifiers"]))


def tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def _is_negator(tok: str, lex: Lexicon) -> bool:
    return tok in lex.negators or tok.endswith("n't")


def lexicon_sum(toks: list[str], table: dict[str, float], lex: Lexicon, negate: bool) -> float:
    """Sum of word weights; intensifiers scale the next word, negators flip (valence only)."""
    total = 0.0
    for i, tok in enumerate(toks):
        weight = lookup(tok, table)
        if weight is None:
            continue
        if i and toks[i - 1] in lex.intensifiers:
            weight *= INTENSIFY
        if negate and any(_is_negator(t, lex) for t in toks[max(0, i - NEGATION_WINDOW):i]):
            weight *= -0.5
        total += weight
    return total


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if _TOKEN.search(s)]


def lexicon_valence(text: str, lex: Lexicon | None = None) -> float:
    lex = lex or load_lexicon()
    parts = sentences(text)
    if not parts:
        return 0.0
    scores, weights = [], []
    for i, sentence in enumerate(parts):
        own = math.tanh(lexicon_sum(tokens(sentence), lex.valence, lex, True) / LEXICON_VALENCE_SCALE)
        scores.append(VADER_SHARE * valence(sentence) + (1 - VADER_SHARE) * own)
        weights.append(1.0 + i / max(1, len(parts) - 1))  # the last sentence counts twice the first
    mean = sum(s * w for s, w in zip(scores, weights)) / sum(weights)
    return math.tanh(VALENCE_GAIN * mean) / math.tanh(VALENCE_GAIN)


def lexicon_arousal(text: str, lex: Lexicon | None = None) -> float:
    lex = lex or load_lexicon()
    toks = tokens(text)
    if not toks:
        return 0.0
    score = lexicon_sum(toks, lex.arousal, lex, False)
    score += EXCLAIM * min(3, text.count("!"))
    score += 0.5 * sum(1 for t in _TOKEN.findall(text) if len(t) > 1 and t.isupper())  # "STOP"
    return math.tanh(score / len(toks) * 10 / AROUSAL_SCALE)


def make_lexicon() -> Callable[[str], Mood]:
    lex = load_lexicon()
    return lambda text: Mood(valence=_clip(lexicon_valence(text, lex)),
                             arousal=_clip(lexicon_arousal(text, lex)))


def estimate_mood(text: str, backend: str = "basic") -> Mood:
    return MOODS.create(backend)(text)


def quadrant(mood: Mood) -> str:
    """'happy/calm', 'happy/exciting', 'sad/calm' or 'sad/exciting' (0 counts as happy / calm)."""
    return f"{'happy' if mood.valence >= 0 else 'sad'}/{'exciting' if mood.arousal > 0 else 'calm'}"
