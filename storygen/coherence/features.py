"""Story features for the coherence head: scene vectors plus measured signals of the failures
the ranker must catch (wrong order, repetition, a foreign sentence, a hero who changes).

Everything here is plain numpy on top of SceneEncodings, so it is the same for training and
ranking and can be tested with a fake encoder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..ranker import repeated_ngram_rate
from ..text import letter_runs
from .encoder import PooledScene
from .perturb import hero_terms

N_POS = 5  # scene positions the head knows: a story of another length is mapped onto five
HAND_FEATURES = (
    "trans_min", "trans_mean", "scene_sim_max", "scene_exact_dup",
    "sent_sim_max", "sent_exact_dup", "sent_ctx_min", "sent_ctx_min2", "lex_ctx_min",
    "lex_ctx_min2", "boundary_min", "boundary_mean", "novel_names", "surprise_total",
    "surprise_max", "repetition", "hero_share", "hero_lost", "other_share",
    *(f"hero_{i}" for i in range(N_POS)), *(f"other_{i}" for i in range(N_POS)),
)
SENTENCE_FEATURES = ("ctx_story", "ctx_scene", "prev_sim", "next_sim", "lex_shared", "lex_novel",
                     "novel_names", "hero", "other", "rel_pos", "surprise_sum", "surprise_max")
_STOP = frozenset("""about after again all also and another around away back because been before
being came come could down each even every from gave went have into just like little looked made
more much once only other over said same some than that their them then there these they this
through time under very were what when where which while will with would your""".split())


@dataclass(frozen=True)
class StoryFeatures:
    hand: np.ndarray  # (len(HAND_FEATURES),) float32
    scenes: np.ndarray  # (n, dim) unit scene vectors
    positions: np.ndarray  # (n,) int position bucket 0..N_POS-1 of each scene
    sentences: np.ndarray  # (m, dim) unit sentence vectors, in story order
    sentence_scene: np.ndarray  # (m,) int scene index of each sentence
    sentence_feats: np.ndarray  # (m, len(SENTENCE_FEATURES)) float32


def _unit(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norm, 1e-8)


def _content(text: str) -> set[str]:
    return {w for w in letter_runs(text) if len(w) > 3 and w not in _STOP}


def _mentions(text: str, terms: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(t)}(?:s|es)?\b", text, re.IGNORECASE) for t in terms)


def _context_sims(vecs: np.ndarray) -> np.ndarray:
    """Cosine of each vector with the mean of all the others."""
    n = len(vecs)
    if n < 2:
        return np.ones(n)
    total = vecs.sum(axis=0)
    others = _unit((total[None, :] - vecs) / (n - 1))
    return (vecs * others).sum(axis=1)


def _lexical_context(sents: list[str]) -> np.ndarray:
    """Share of each sentence's content words used elsewhere in the story."""
    words = [_content(s) for s in sents]
    counts: dict[str, int] = {}
    for ws in words:
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    return np.array([sum(counts[w] > 1 for w in ws) / len(ws) if ws else 1.0 for ws in words])


def _novel_names(sents: list[str]) -> np.ndarray:
    """Per sentence, capitalised mid-sentence words (names) that no other sentence uses: a
    sentence lifted from another story brings its own characters."""
    names = [set(re.findall(r"(?<=[a-z,;] )[A-Z][a-z]+", s)) for s in sents]
    lower = [s.lower() for s in sents]
    return np.array([sum(not any(n.lower() in lower[k] for k in range(len(sents)) if k != j)
                         for n in ns) for j, ns in enumerate(names)], dtype=float)


def _scene_context(vecs: np.ndarray, scene_of: list[int]) -> np.ndarray:
    """Cosine of each sentence with the other sentences of its own scene (story context if alone)."""
    out = _context_sims(vecs)
    for j, i in enumerate(scene_of):
        mates = [k for k, s in enumerate(scene_of) if s == i and k != j]
        if mates:
            out[j] = float(vecs[j] @ _unit(vecs[mates].mean(axis=0)))
    return out


def _sentence_table(sents: list[str], vecs: np.ndarray, scene_of: list[int], terms: list[str],
                    others: list[str], surprise: np.ndarray) -> np.ndarray:
    m = len(sents)
    if m == 0:
        return np.zeros((0, len(SENTENCE_FEATURES)), dtype=np.float32)
    adj = (vecs[:-1] * vecs[1:]).sum(axis=1) if m > 1 else np.ones(0)
    prev = np.concatenate([adj[:1] if m > 1 else [1.0], adj])
    nxt = np.concatenate([adj, adj[-1:] if m > 1 else [1.0]])
    words = [_content(s) for s in sents]
    counts: dict[str, int] = {}
    for ws in words:
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    novel = np.array([sum(counts[w] == 1 for w in ws) / 10 for ws in words])
    cols = {
        "ctx_story": _context_sims(vecs), "ctx_scene": _scene_context(vecs, scene_of),
        "prev_sim": prev, "next_sim": nxt, "lex_shared": _lexical_context(sents),
        "lex_novel": novel, "novel_names": _novel_names(sents),
        "hero": np.array([_mentions(s, terms) for s in sents], dtype=float),
        "other": np.array([_mentions(s, others) for s in sents], dtype=float),
        "rel_pos": np.arange(m) / max(m - 1, 1),
        "surprise_sum": surprise[:, 0], "surprise_max": surprise[:, 1],
    }
    return np.stack([cols[k] for k in SENTENCE_FEATURES], axis=1).astype(np.float32)


def _boundaries(encs: list[PooledScene], sent_vecs: np.ndarray, sent_scene: list[int]) -> np.ndarray:
    """Cosine of the last sentence of each scene with the first sentence of the next."""
    sims = []
    for i in range(len(encs) - 1):
        last = [k for k, s in enumerate(sent_scene) if s == i]
        first = [k for k, s in enumerate(sent_scene) if s == i + 1]
        if last and first:
            sims.append(float(sent_vecs[last[-1]] @ sent_vecs[first[0]]))
    return np.array(sims or [1.0])


def _two_smallest(x: np.ndarray) -> tuple[float, float]:
    s = np.sort(x)
    return (float(s[0]), float(s[1] if len(s) > 1 else s[0])) if len(s) else (1.0, 1.0)


def _max_offdiag(vecs: np.ndarray) -> float:
    if len(vecs) < 2:
        return 0.0
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -1.0)
    return float(sims.max())


def position_buckets(n: int) -> np.ndarray:
    return np.round(np.arange(n) * (N_POS - 1) / max(n - 1, 1)).astype(int)


def _per_position(flags: list[bool]) -> list[float]:
    """Per-scene flags mapped onto N_POS positions (a 5-scene story maps one to one)."""
    out = [0.0] * N_POS
    for flag, pos in zip(flags, position_buckets(len(flags))):
        out[pos] = max(out[pos], float(flag))
    return out


def _hero_lost(hero: list[bool], other: list[bool]) -> float:
    """1 when the hero is named early, then never again while another hero takes over."""
    for k in range(1, len(hero)):
        if any(hero[:k]) and not any(hero[k:]) and any(other[k:]):
            return 1.0
    return 0.0


def story_features(encs: list[PooledScene], hero: str, other_heroes: list[str]) -> StoryFeatures:
    """Features of one story from its pooled scenes (see encoder.pool_scene)."""
    texts = [e.text for e in encs]
    scene_vecs = _unit(np.stack([e.vector for e in encs]))
    sents = [s for e in encs for s in e.sentences]
    sent_scene = [i for i, e in enumerate(encs) for _ in e.sentences]
    sent_vecs = (_unit(np.concatenate([e.sentence_vectors for e in encs])) if sents
                 else np.zeros((0, scene_vecs.shape[1])))
    surprise = (np.concatenate([e.sentence_surprise for e in encs]) if sents
                else np.zeros((0, 2), np.float32))
    trans = (scene_vecs[:-1] * scene_vecs[1:]).sum(axis=1) if len(encs) > 1 else np.ones(1)
    ctx_min = _two_smallest(_context_sims(sent_vecs))
    lex_min = _two_smallest(_lexical_context(sents))
    bounds = _boundaries(encs, sent_vecs, sent_scene)
    norm_sents = [" ".join(letter_runs(s)) for s in sents]
    terms = hero_terms(tuple(texts), hero)
    others = [o for o in other_heroes if o != hero and hero not in o and o not in hero]
    hero_in = [_mentions(t, terms) for t in texts]
    other_in = [_mentions(t, others) for t in texts]
    values = {
        "trans_min": float(trans.min()), "trans_mean": float(trans.mean()),
        "scene_sim_max": _max_offdiag(scene_vecs),
        "scene_exact_dup": float(len(set(texts)) < len(texts)),
        "sent_sim_max": _max_offdiag(sent_vecs),
        "sent_exact_dup": float(len(norm_sents) - len(set(norm_sents))),
        "sent_ctx_min": ctx_min[0], "sent_ctx_min2": ctx_min[1],
        "lex_ctx_min": lex_min[0], "lex_ctx_min2": lex_min[1],
        "boundary_min": float(bounds.min()), "boundary_mean": float(bounds.mean()),
        "novel_names": float(_novel_names(sents).max(initial=0.0)),
        "surprise_total": float(surprise[:, 0].sum()), "surprise_max": float(surprise[:, 1].max(initial=0.0)),
        "repetition": repeated_ngram_rate(tuple(texts)),
        "hero_share": float(np.mean(hero_in)), "hero_lost": _hero_lost(hero_in, other_in),
        "other_share": float(np.mean(other_in)),
    }
    values.update({f"hero_{i}": v for i, v in enumerate(_per_position(hero_in))})
    values.update({f"other_{i}": v for i, v in enumerate(_per_position(other_in))})
    hand = np.array([values[k] for k in HAND_FEATURES], dtype=np.float32)
    return StoryFeatures(hand, scene_vecs.astype(np.float32), position_buckets(len(encs)),
                         sent_vecs.astype(np.float32), np.array(sent_scene, dtype=int),
                         _sentence_table(sents, sent_vecs, sent_scene, terms, others, surprise))
