"""Guardrails on text: the output filter every generated candidate passes before ranking, and the
character check on the four picks before they are matched against configs/options.yaml.

The output filter folds the text first (NFKC, zero-width and control characters removed, accents
stripped, look-alike letters and 1337 spellings turned into a-z) so that tricks do not hide a
word, then looks for: our block lists for ages 4-8 (configs/blocklist.yaml: violence, fear,
adult themes, insults, brands), better-profanity's word list, links / e-mail / phone patterns,
and finally the alt-profanity-check classifier per sentence (configs/safety.yaml).
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .config import CONFIG_DIR, load_config
from .errors import ConfigError, OptionError
from .records import Record

# Invisible characters that render as nothing (or as a blank) but split a word for a matcher.
_BLANKS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"',
                         "\u201d": '"'})
_TOKEN = re.compile(r"[a-z0-9@$!|+*']+")
_EDGE = re.compile(r"^[^a-z0-9@$*]+|[^a-z0-9@$*]+$")  # "stupid!" -> "stupid", "$tupid" stays
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SUFFIXES = ("ings", "ing", "ers", "er", "ed", "es", "s", "d", "ly", "ful")
_E_DROPPING = ("ings", "ing", "ers", "er", "ed", "es")
_MAX_READINGS = 16


# ------------------------------------------------------------------ configs


@dataclass(frozen=True)
class BlockList(Record):
    """configs/blocklist.yaml: our lists by category, and better-profanity words we allow."""

    categories: dict[str, tuple[str, ...]]
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class SafetyConfig(Record):
    """configs/safety.yaml: how the filter matches (patterns, folding tables, limits)."""

    classifier_threshold: float
    patterns: dict[str, str]
    homoglyphs: dict[str, str]
    leet: dict[str, tuple[str, ...]]
    max_pick_chars: int = 40
    max_story_chars: int = 20000


@dataclass(frozen=True)
class Flag:
    """One reason to refuse a text: category (violence, profanity, url, classifier...), the
    blocked term as listed, and what was found in the folded text."""

    category: str
    term: str
    found: str = ""
    score: float | None = field(default=None, compare=False)


@lru_cache(maxsize=None)
def _blocklist() -> BlockList:
    path = CONFIG_DIR / "blocklist.yaml"
    lists = load_config(path, BlockList)
    seen: dict[str, str] = {}
    for cat, terms in lists.categories.items():
        for term in terms:
            if term != term.lower().strip() or not term:
                raise ConfigError(f"{path}: {cat} entry {term!r} must be lowercase, no outer spaces")
            if term in seen:
                raise ConfigError(f"{path}: {term!r} is listed in both {seen[term]} and {cat}")
            seen[term] = cat
    return lists


@lru_cache(maxsize=None)
def _settings() -> SafetyConfig:
    path = CONFIG_DIR / "safety.yaml"
    cfg = load_config(path, SafetyConfig)
    for name, pattern in cfg.patterns.items():
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{path}: pattern {name!r} does not compile: {exc}") from None
    for char, letter in cfg.homoglyphs.items():
        if len(char) != 1 or char.isascii() or not re.fullmatch(r"[a-z]", letter):
            raise ConfigError(f"{path}: homoglyph {char!r}: {letter!r} must map one non-ASCII"
                              " character to one letter a-z")
    for char, letters in cfg.leet.items():
        if len(char) != 1 or not letters or not all(re.fullmatch(r"[a-z]", x) for x in letters):
            raise ConfigError(f"{path}: leet {char!r} must map one character to letters a-z")
    if not 0.0 < cfg.classifier_threshold <= 1.0:
        raise ConfigError(f"{path}: classifier_threshold must be in (0, 1]")
    return cfg


@lru_cache(maxsize=None)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(word -> category, phrase -> category) from the block list."""
    words, phrases = {}, {}
    for cat, terms in _blocklist().categories.items():
        for term in terms:
            (phrases if " " in term else words)[term] = cat
    return words, phrases


@lru_cache(maxsize=None)
def _profanity() -> frozenset[str]:
    """better-profanity's word list, less our `allow` entries. We match it ourselves on the
    folded readings (a set lookup per word and word pair): its own matcher takes ~0.2 s per
    story and reads "orchard on" as "hard on"."""
    from better_profanity.utils import get_complete_path_of_file, read_wordlist

    listed = {w.strip().lower() for w in read_wordlist(get_complete_path_of_file(
        "profanity_wordlist.txt")) if w.strip()}
    stale = sorted(set(_blocklist().allow) - listed)
    if stale:
        raise ConfigError(f"{CONFIG_DIR / 'blocklist.yaml'}: allow entries not on"
                          f" better-profanity's list: {', '.join(stale)}")
    return frozenset(listed - set(_blocklist().allow))


@lru_cache(maxsize=None)
def _classifier():
    # Imported lazily: scikit-learn takes ~1.3 s to import and only the filter needs it.
    from profanity_check import predict_prob

    return predict_prob


# ------------------------------------------------------------------ folding


def fold(text: str) -> str:
    """The text a matcher should see: what a reader sees, in plain lowercase a-z where it can."""
    text = unicodedata.normalize("NFKC", str(text))
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\t\n\r":
            kept.append(" " if ch == "\t" else "\n")
        elif cat in ("Cf", "Cc", "Cs", "Co", "Cn") or ch in _BLANKS:
            continue  # zero-width, bidi overrides, soft hyphen, controls: read as nothing
        else:
            kept.append(ch)
    text = unicodedata.normalize("NFD", "".join(kept).casefold())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")  # accents, variation sel.
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    table = _settings().homoglyphs
    text = "".join(table.get(ch, ch) for ch in text)
    return re.sub(r"[^\S\n]+", " ", text)


def _readings(token: str) -> set[str]:
    """The plain token plus its 1337 readings ("k1ll" -> kill, klll), capped in number."""
    token = _EDGE.sub("", token)
    if not token:
        return set()
    out = {token, token.replace("'", "")}
    if token.endswith("'s"):
        out.add(token[:-2])
    leet = _settings().leet
    if any(c.isalpha() for c in token) and any(c in leet for c in token):
        options = [leet.get(c, (c,)) for c in token]
        for combo in itertools.islice(itertools.product(*options), _MAX_READINGS):
            out.add("".join(combo).replace("'", ""))
    return out | {re.sub(r"(.)\1{2,}", r"\1", t) for t in out} | {  # "kiiiill" -> kill
        re.sub(r"(.)\1{2,}", r"\1\1", t) for t in out}


def _first_reading(token: str) -> str:
    """One reading per token for phrases: symbols read as their first letter ("5hut" -> shut)."""
    token = _EDGE.sub("", token).replace("'", "")
    if not any(c.isalpha() for c in token):
        return token
    leet = _settings().leet
    return "".join(leet[c][0] if c in leet else c for c in token)


def _stems(word: str) -> list[str]:
    """The word and the listed forms it may inflect: killed -> kill, stabbed -> stab, hated -> hate.
    Only suffixes that drop a final e may add one back, so "hats" is not "hate" nor "wind" "wine"."""
    out = [word]
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            stem = word[: -len(suf)]
            out.append(stem)
            if suf in _E_DROPPING:
                out.append(stem + "e")
            if len(stem) >= 4 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
    return out


def _tokens(folded: str) -> list[str]:
    """The words of the text, then the words hidden in letters spelled out one by one."""
    toks = _TOKEN.findall(folded)
    # Letters spelled out one by one ("k i l l", "k.i.l.l") are read as one word too.
    # Every stretch of 3+ of them, so "a g h o s t" still finds "ghost".
    singles, extra = [], []
    for tok in toks + [""]:
        bare = _EDGE.sub("", tok)
        if len(bare) == 1:
            singles.append(bare)
            continue
        run = singles[:40]
        extra += ["".join(run[i:j]) for i in range(len(run)) for j in range(i + 3, len(run) + 1)]
        singles = []
    return toks + extra


# ------------------------------------------------------------------ the checks


def _list_flags(folded: str) -> list[Flag]:
    words, phrases = _index()
    flags = []
    for token in _tokens(folded):
        for reading in _readings(token):
            for form in _stems(reading):
                if form in words:
                    flags.append(Flag(words[form], form, reading))
                    break
    # Phrases on the words in order, read plainly and with 1337 symbols read as letters.
    tokens = _TOKEN.findall(folded)
    plain = " " + " ".join(_EDGE.sub("", t).replace("'", "") for t in tokens) + " "
    leet = " " + " ".join(_first_reading(t) for t in tokens) + " "
    for phrase, cat in phrases.items():
        key = f" {phrase.replace(chr(39), '')} "
        if key in plain or key in leet:
            flags.append(Flag(cat, phrase, phrase))
    return flags


def _profanity_flags(folded: str) -> list[Flag]:
    listed = _profanity()
    found = {r for t in _tokens(folded) for r in _readings(t) if r in listed}
    tokens = _TOKEN.findall(folded)
    for view in ([_EDGE.sub("", t).replace("'", "") for t in tokens],
                 [_first_reading(t) for t in tokens]):
        for n in (2, 3, 4):  # its longest entries have four words
            found |= {g for g in (" ".join(view[i:i + n]) for i in range(len(view) - n + 1))
                      if g in listed}
    return [Flag("profanity", t, t) for t in sorted(found)]


def _pattern_flags(folded: str) -> list[Flag]:
    flags = []
    for name, pattern in _settings().patterns.items():
        for m in re.finditer(pattern, folded):
            flags.append(Flag(name, m.group(0).strip(), m.group(0).strip()))
    return flags


def _classifier_flags(folded: str) -> list[Flag]:
    sentences = [s.strip() for s in _SENTENCE.split(folded) if s and s.strip()]
    if not sentences:
        return []
    threshold = _settings().classifier_threshold
    probs = _classifier()(sentences)
    return [Flag("classifier", s, s, round(float(p), 3)) for s, p in zip(sentences, probs)
            if p >= threshold]


def check(text: str, classifier: bool = True) -> list[Flag]:
    """Every reason `text` must not reach a child, most specific first (empty list: it is safe)."""
    cfg = _settings()
    if len(text) > cfg.max_story_chars:
        return [Flag("length", f"{len(text)} characters", f"at most {cfg.max_story_chars}")]
    folded = fold(text)
    flags = _list_flags(folded)
    listed = {f.term for f in flags} | {f.found for f in flags}
    flags += [f for f in _profanity_flags(folded) if f.term not in listed]
    flags += _pattern_flags(folded)
    if classifier:
        flags += _classifier_flags(folded)
    unique: dict[tuple[str, str], Flag] = {}
    for f in flags:
        unique.setdefault((f.category, f.term), f)
    return list(unique.values())


def unsafe_terms() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(our block lists' words and phrases, better-profanity's list less `allow`): what a story
    model is kept from writing in the first place (storygen/lm/banned.py)."""
    words, phrases = _index()
    return tuple(sorted(set(words) | set(phrases))), tuple(sorted(_profanity()))


def flagged_words(text: str) -> list[str]:
    """Every word, phrase, link, address or number in `text` that a story for young children
    must not contain (the classifier's verdicts are in `check`)."""
    return sorted({f.term for f in check(text, classifier=False)})


def rejection_reason(scenes: tuple[str, ...] | list[str]) -> str | None:
    """Why a candidate is refused (recorded in story.json), or None if it passes."""
    flags = check("\n".join(scenes))
    if not flags:
        return None
    words = sorted({f.term for f in flags if f.category in _blocklist().categories
                    or f.category == "profanity"})
    parts = [f"flagged words: {', '.join(words)}"] if words else []
    for f in flags:
        if f.category == "classifier":
            parts.append(f"classifier: {f.score:.3f} on {_clip(f.found)!r}")
        elif f.category == "length":
            parts.append(f"too long: {f.term} ({f.found})")
        elif f.category not in _blocklist().categories and f.category != "profanity":
            parts.append(f"{f.category}: {_clip(f.found)}")
    return "; ".join(parts)


def categories(text: str) -> list[str]:
    """The categories `text` was flagged for, sorted (the red-team set checks these)."""
    return sorted({f.category for f in check(text)})


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------ the input guard


def check_pick(name: str, value: str) -> str:
    """Refuse a pick that cannot be a curated choice, with a message that says why.

    Runs before the exact match against configs/options.yaml (which only forgives case and
    spacing): too long, control or invisible characters, and look-alike letters are named,
    never folded, so "mermаid" with a Cyrillic 'а' is refused rather than silently matched.
    """
    value = str(value)
    limit = _settings().max_pick_chars
    size = len(" ".join(value.split()))  # spacing is forgiven, so it does not count
    if size > limit:
        raise OptionError(f"The {name} is {size} characters long; a pick is one of the"
                          f" listed words (at most {limit} characters): see `storygen options`")
    for ch in value:
        if ch.isascii() and (ch.isalpha() or ch in " -'"):
            continue
        if ch.isspace() and unicodedata.category(ch) in ("Zs", "Cc"):
            continue  # any kind of space is normalised like a space
        code = f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"
        looks = _settings().homoglyphs.get(ch) or _ascii_twin(ch)
        hint = f", which only looks like {looks!r}" if looks else ""
        raise OptionError(f"The {name} {_clip(value, 40)!r} contains {code}{hint}; type one of"
                          " the listed choices in plain letters: see `storygen options`")
    return value


def _ascii_twin(ch: str) -> str:
    plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    return plain if len(plain) == 1 and plain.isalpha() else ""
