"""Scene mood: valence (sad -1 .. +1 happy) and arousal (calm -1 .. +1 exciting).

`basic` is the baseline (issue 9 replaces it with a learned model checked on a gold set):
  valence = vaderSentiment's compound score of the whole scene text;
  arousal = a small hand-made lexicon of exciting (+) and calm (-) words, action verbs and
            exclamation marks, as a density per word squashed by tanh.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Callable

from ..records import Mood
from ..registry import Registry

MOODS: Registry[Callable[[str], Mood]] = Registry("mood")

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


@MOODS.register("basic")
def _basic_factory() -> Callable[[str], Mood]:
    return lambda text: Mood(valence=_clip(valence(text)), arousal=_clip(arousal(text)))


def estimate_mood(text: str, backend: str = "basic") -> Mood:
    return MOODS.create(backend)(text)


def quadrant(mood: Mood) -> str:
    """'happy/calm', 'happy/exciting', 'sad/calm' or 'sad/exciting' (0 counts as happy / calm)."""
    return f"{'happy' if mood.valence >= 0 else 'sad'}/{'exciting' if mood.arousal > 0 else 'calm'}"
