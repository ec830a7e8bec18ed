"""Words and sentences of story text: the splitter every stage shares (a leaf: imports nothing of ours).

split_sentences is the corpus's rule (validation, stats, keywords, the ranker's features and
perturbations all count sentences the same way); words() are word tokens as written;
letter_runs() the lowercase letter runs the story checks compare texts by (keyword coverage,
repetition, coherence features, background cues). A few stages keep a tokeniser of their own on
purpose, each saying why: the parser-free scene reader keeps punctuation, the safety filter reads
look-alike characters, the narration times exactly the words the voice speaks.
"""
from __future__ import annotations

import re

_LETTERS = re.compile(r"[a-z]+")
_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
# A sentence ends at . ! ? (plus closing quotes) before a space and a capital or opening quote.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Mt)\.$")
# `"Look!" Pip whispered.` is one sentence: a name + speech verb after a quote is its dialogue
# tag (a tag starting "The ..." would be lowercase, so `"Stop!" The bear sat.` is two sentences).
_SPEECH_TAG = re.compile(
    r"[A-Z][a-z]+ (?:said|asked|cried|shouted|called|whispered|replied|"
    r"answered|grumbled|wondered|laughed|giggled|squeaked|sang|yelled|added|explained|chirped|"
    r"sighed|muttered|exclaimed|piped|squealed|roared|buzzed|barked|mumbled|gasped)\b"
)


def split_sentences(text: str) -> list[str]:
    """Sentences of one scene, by punctuation (the same rule for validation, stats and keywords)."""
    text = " ".join(text.split())
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before, after = text[start:m.start()], text[m.end():]
        if _ABBREV.search(before) or (text[m.start():m.end()].strip() and _SPEECH_TAG.match(after)):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def words(text: str) -> list[str]:
    """Word tokens (letters/digits, inner apostrophes and hyphens kept), as written."""
    return _WORD_RE.findall(text)


def letter_runs(text: str) -> list[str]:
    """Runs of a-z in the lowercased text ("Don't!" -> ["don", "t"]): for comparing texts."""
    return _LETTERS.findall(text.lower())
