"""Lemma matching shared by the mood lexicon and the sound-effect triggers: a word -> its likely
stems (lemma_candidates), and the first of them found in a table (lookup)."""
from __future__ import annotations


def lemma_candidates(word: str) -> list[str]:
    """The word and the stems English suffixes suggest: splashes -> splash, hopped -> hop."""
    w = word.lower().strip("'’")
    out = [w]
    for suffix in ("ing", "ed", "es", "s", "y", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: -len(suffix)]
            out += [stem, stem + "e"]
            if len(stem) >= 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # hopped -> hop, swimming -> swim
            if suffix in ("es", "ed") and stem.endswith("i"):
                out.append(stem[:-1] + "y")  # flies -> fly, tried -> try
    return out


def lookup(word: str, table: dict):
    """The value of the first lemma candidate of `word` found in `table`, else None."""
    for cand in lemma_candidates(word):
        if cand in table:
            return table[cand]
    return None
