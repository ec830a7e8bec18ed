"""`storygen train ranker`: perturbation pairs from the corpus split -> trained head -> models/ranker/.

Train on the train split, pick the epoch on val, report pairwise accuracy on test (per kind and
sub-kind). Seeded throughout: the same corpus, split and config give the same pairs and weights.
"""
from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..config import CONFIG_DIR, load_config
from ..corpus.split import load_splits
from ..corpus.stories import CorpusStory, load_stories
from ..errors import ConfigError
from ..io import write_text
from ..records import Record
from .disc import DISC_FILE, DiscConfig, train_disc
from .features import StoryFeatures
from .model import MODEL_DIR, HeadShape, build_head, collate, save_head, set_normalisation
from .perturb import KINDS, StoryText, perturb
from .scorer import featurize, head_scores, theme_heroes


@dataclass(frozen=True)
class LikelihoodConfig(Record):
    """The `likelihood:` section: add the story model's likelihood to the head's score."""

    enabled: bool = False
    weights: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5)  # tried on val pairs


@dataclass(frozen=True)
class TrainRankerConfig(Record):
    """configs/train_ranker.yaml."""

    seed: int = 0
    negatives: dict[str, int] = field(default_factory=lambda: {k: 4 for k in KINDS})
    eval_negatives: int = 2  # per kind and val/test story
    epochs: int = 20
    batch_size: int = 128
    lr: float = 0.002
    weight_decay: float = 0.01
    hidden: int = 32
    dropout: float = 0.1
    margin: float = 1.0
    # ranking: coherence (human-story std units) + coverage_weight * coverage - repetition_weight
    # * repeated 4-gram rate; weights chosen on val prompts, never on test
    coverage_weight: float = 1.0
    repetition_weight: float = 20.0
    threads: int = 2
    disc: DiscConfig = field(default_factory=DiscConfig)
    likelihood: LikelihoodConfig = field(default_factory=LikelihoodConfig)
    # story-model samples as negatives: writer backend -> candidates per story (train, val, test),
    # each paired with the human story written for the same four picks
    writer_negatives: dict[str, int] = field(default_factory=dict)
    picks_planner: str = "template"  # candidates for the pick-vs-random check on test prompts
    picks_writer: str = "template"
    picks_k: int = 4


def load_train_config(path: str | Path | None = None) -> TrainRankerConfig:
    path = Path(path or CONFIG_DIR / "train_ranker.yaml")
    cfg = load_config(path, TrainRankerConfig)
    if unknown := sorted(set(cfg.negatives) - set(KINDS)):
        raise ConfigError(f"{path}: negatives: unknown kind(s) {', '.join(unknown)}; "
                          f"choose from {', '.join(KINDS)}")
    if cfg.epochs < 1 or cfg.batch_size < 1 or cfg.eval_negatives < 1:
        raise ConfigError(f"{path}: epochs, batch_size and eval_negatives must be >= 1")
    if not 0 <= cfg.disc.first_layer < 6 or cfg.disc.epochs < 1:
        raise ConfigError(f"{path}: disc.first_layer must be in 0..5 and disc.epochs >= 1")
    if cfg.likelihood.enabled and (not cfg.likelihood.weights or min(cfg.likelihood.weights) < 0):
        raise ConfigError(f"{path}: likelihood.weights must list one or more weights >= 0")
    if unknown := sorted(set(cfg.disc.kinds) - {"antonym", "swap_in", "repeat", "hero_swap"}):
        raise ConfigError(f"{path}: disc.kinds: {', '.join(unknown)} changes no words the judge could "
                          "point at; use antonym, swap_in, repeat or hero_swap")
    return cfg


@dataclass(frozen=True)
class Pair:
    story: StoryText
    negative: tuple[str, ...]
    kind: str
    detail: str


def to_text(s: CorpusStory) -> StoryText:
    return StoryText(scenes=s.scenes, hero=s.hero, theme=s.theme, id=s.id)


def make_pairs(stories: list[StoryText], counts: dict[str, int], tag: str) -> list[Pair]:
    """Perturbations of each story, `counts[kind]` tries each; duplicates dropped.

    Donor sentences for swap_in come from the same split only, so test sentences never leak
    into training."""
    pairs = []
    for story in stories:
        seen = {story.scenes}
        for kind in KINDS:
            for n in range(counts.get(kind, 0)):
                p = perturb(story, kind, f"{tag}:{n}", pool=stories, characters=theme_heroes(story.theme))
                if p is not None and p.scenes not in seen:
                    seen.add(p.scenes)
                    pairs.append(Pair(story, p.scenes, kind, p.detail))
    return pairs


def writer_pairs(stories: list[StoryText], corpus: dict[str, CorpusStory], writers: dict[str, int],
                 planner: str, seed: int) -> list[Pair]:
    """Human story vs what a story model writes for the same picks (kind `writer_<name>`)."""
    from ..records import Prompt
    from ..story import make_plan, write_candidates

    pairs = []
    for n, story in enumerate(stories):
        s = corpus[story.id]
        prompt = Prompt(theme=s.theme, hero=s.hero, color=s.color, adjective=s.adjective, seed=seed + n)
        plan = make_plan(prompt, planner)
        for name, k in sorted(writers.items()):
            for cand in write_candidates(plan, k, name).candidates:
                if len(cand.scenes) == 5 and cand.scenes != story.scenes:
                    pairs.append(Pair(story, cand.scenes, f"writer_{name}", name))
    return pairs


class FeatureCache:
    """Features by (scenes, hero): a story appears in every one of its pairs."""

    def __init__(self, encoder) -> None:
        self.encoder = encoder
        self._cache: dict[tuple, StoryFeatures] = {}

    def __call__(self, scenes: tuple[str, ...], story: StoryText) -> StoryFeatures:
        key = (scenes, story.hero, story.theme)
        if key not in self._cache:
            self._cache[key] = featurize(self.encoder, scenes, story.hero, story.theme)
        return self._cache[key]

    def prefetch(self, pairs: list[Pair]) -> None:
        texts = sorted({" ".join(s.split()) for p in pairs for s in p.story.scenes + p.negative})
        self.encoder.encode(texts, batch_size=32)


def _pair_tensors(pairs: list[Pair], feats: FeatureCache, shape: HeadShape):
    pos = collate([feats(p.story.scenes, p.story) for p in pairs], shape)
    neg = collate([feats(p.negative, p.story) for p in pairs], shape)
    return pos, neg


def pairwise_accuracy(head, shape: HeadShape, pairs: list[Pair], feats: FeatureCache,
                      extra: dict | None = None) -> dict:
    """Share of pairs where the human story outscores its perturbation: overall, per kind,
    per kind/sub-kind. `extra`: a term added to the head's score, by scenes (the likelihood)."""
    head.eval()
    pos, _ = head_scores(head, shape, [feats(p.story.scenes, p.story) for p in pairs])
    neg, _ = head_scores(head, shape, [feats(p.negative, p.story) for p in pairs])
    if extra:
        pos = pos + np.array([extra[p.story.scenes] for p in pairs])
        neg = neg + np.array([extra[p.negative] for p in pairs])
    wins: dict[str, list[bool]] = defaultdict(list)
    for p, a, b in zip(pairs, pos, neg):
        for key in ("overall", p.kind, f"{p.kind}/{p.detail}"):
            wins[key].append(bool(a > b))
    return {k: {"n": len(v), "accuracy": round(float(np.mean(v)), 4)} for k, v in sorted(wins.items())}


def fit(pairs: list[Pair], val: list[Pair], feats: FeatureCache, cfg: TrainRankerConfig,
        log: Callable[[str], None] = print):
    """Pairwise margin training; the weights of the best val epoch are kept."""
    import torch

    torch.manual_seed(cfg.seed)
    shape = HeadShape(hidden=cfg.hidden, dropout=cfg.dropout, dim=feats.encoder.dim)
    head = build_head(shape)
    set_normalisation(head, [feats(p.story.scenes, p.story) for p in pairs])
    pos, neg = _pair_tensors(pairs, feats, shape)
    opt = torch.optim.AdamW(head.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    gen = torch.Generator().manual_seed(cfg.seed)
    best, best_state, history = -1.0, None, []
    for epoch in range(cfg.epochs):
        head.train()
        order = torch.randperm(len(pairs), generator=gen)
        total = 0.0
        for k in range(0, len(pairs), cfg.batch_size):
            idx = order[k:k + cfg.batch_size]
            a, _ = head(*(x[idx] for x in pos))
            b, _ = head(*(x[idx] for x in neg))
            loss = torch.nn.functional.softplus(cfg.margin - (a - b)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        acc = pairwise_accuracy(head, shape, val, feats)["overall"]["accuracy"]
        history.append({"epoch": epoch + 1, "loss": round(total / len(pairs), 5), "val_accuracy": acc})
        if acc > best:  # strictly better: ties keep the earlier, simpler epoch
            best, best_state = acc, {k: v.clone() for k, v in head.state_dict().items()}
        log(f"epoch {epoch + 1}: loss {total / len(pairs):.4f}, val pairwise accuracy {acc:.3f}")
    head.load_state_dict(best_state)
    return head.eval(), shape, history


def fit_likelihood(head, shape: HeadShape, pairs: dict[str, list[Pair]], humans: list[StoryText],
                   feats: FeatureCache, cfg: LikelihoodConfig, scorer, log: Callable[[str], None] = print):
    """The weight of the story model's likelihood, chosen on val pairs (ties: the smaller one).

    Returns (meta for head.json, {scenes: term added to the head's score} for val and test
    stories, val accuracy per weight)."""
    from .likelihood import excess_nll

    stories = list(dict.fromkeys([h.scenes for h in humans] + [s for name in ("val", "test")
                                  for p in pairs[name] for s in (p.story.scenes, p.negative)]))
    liks = dict(zip(stories, cached_likelihoods(scorer, stories, log)))
    per_token = sum(liks[h.scenes].nll for h in humans) / sum(liks[h.scenes].tokens for h in humans)
    surprise = {s: excess_nll(lik, per_token) for s, lik in liks.items()}

    def term(w: float) -> dict:
        return {s: -w * x for s, x in surprise.items()}

    tried = {w: pairwise_accuracy(head, shape, pairs["val"], feats, term(w))["overall"]["accuracy"]
             for w in cfg.weights}
    best = max(tried, key=lambda w: (tried[w], -w))
    log("likelihood weight on val: " + ", ".join(f"{w} -> {a:.3f}" for w, a in tried.items()) + f"; kept {best}")
    meta = {"weight": best, "per_token": round(per_token, 6)}
    return meta, term(best), tried


def cached_likelihoods(scorer, stories: list[tuple[str, ...]], log: Callable[[str], None] = print) -> list:
    """scorer.score(stories), remembered on disk by generator and story (retraining reuses them)."""
    from ..lm.base import cache_dir
    from ..records import StoryLikelihood
    from .likelihood import story_digest

    path = cache_dir() / "ranker" / f"likelihood-{scorer.model}.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    todo = [s for s in stories if story_digest(s) not in known]
    if todo:
        log(f"story likelihood of {len(todo)} stories ({len(stories) - len(todo)} cached)")
        for s, lik in zip(todo, scorer.score(todo)):
            known[lik.digest] = lik.to_dict()
        write_text(path, json.dumps(known, sort_keys=True))
    return [StoryLikelihood.from_dict(known[story_digest(s)]) for s in stories]


def train_ranker(cfg: TrainRankerConfig, out_dir: Path | str = MODEL_DIR, encoder=None,
                 stories: list[CorpusStory] | None = None, splits=None,
                 log: Callable[[str], None] = print, likelihood=None) -> dict:
    """Build pairs, encode, train, evaluate on test, write the head, metrics and model card.

    `encoder`, `stories`, `splits` and `likelihood` default to the real encoder, the corpus and
    its split on disk and the story model (tests pass small ones)."""
    started = time.time()
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    stories = stories if stories is not None else load_stories()
    splits = splits or load_splits(stories)
    by_id = {s.id: to_text(s) for s in stories}
    parts = {name: [by_id[i] for i in getattr(splits, name)] for name in ("train", "val", "test")}
    every = {k: cfg.eval_negatives for k in KINDS}
    pairs = {"train": make_pairs(parts["train"], cfg.negatives, f"train:{cfg.seed}"),
             "val": make_pairs(parts["val"], every, "val"),
             "test": make_pairs(parts["test"], every, "test")}
    if cfg.writer_negatives:
        corpus = {s.id: s for s in stories}
        for name in pairs:
            pairs[name] += writer_pairs(parts[name], corpus, cfg.writer_negatives, cfg.picks_planner,
                                        cfg.seed)
    log("pairs: " + ", ".join(f"{k} {len(v)}" for k, v in pairs.items()))
    if encoder is None:
        from .encoder import MiniLMEncoder

        encoder = MiniLMEncoder(threads=cfg.threads)
    out_dir = Path(out_dir)
    disc_info = None
    if cfg.disc.enabled and hasattr(encoder, "hidden_states"):  # a fake test encoder has none
        disc, disc_info = train_disc(encoder, parts["train"], parts["val"], cfg.disc, cfg.seed, log)
        disc.save(out_dir / DISC_FILE)
        encoder.disc = disc
        encoder.clear()  # cached scenes were pooled without the judge
    feats = FeatureCache(encoder)
    t = time.time()
    cache = _scene_cache(out_dir, disc_info is not None) if hasattr(encoder, "save_cache") else None
    if cache is not None and (n := encoder.load_cache(cache)):
        log(f"{n} encoded scenes from {cache}")
    for split in pairs.values():
        feats.prefetch(split)
    if cache is not None:
        encoder.save_cache(cache)
    encode_s = time.time() - t
    log(f"encoded scenes in {encode_s:.0f} s")
    head, shape, history = fit(pairs["train"], pairs["val"], feats, cfg, log)
    human_val, _ = head_scores(head, shape, [feats(s.scenes, s) for s in parts["val"]])
    lik_meta, extra, tried = None, None, None
    if cfg.likelihood.enabled:
        if likelihood is None:
            from .likelihood import shared_likelihood

            likelihood = shared_likelihood()
        lik_meta, extra, tried = fit_likelihood(head, shape, pairs, parts["val"], feats, cfg.likelihood,
                                                likelihood, log)
        human_val = human_val + np.array([extra[s.scenes] for s in parts["val"]])
    metrics = {
        "test": pairwise_accuracy(head, shape, pairs["test"], feats, extra),
        "val": pairwise_accuracy(head, shape, pairs["val"], feats, extra),
        "test_head_only": pairwise_accuracy(head, shape, pairs["test"], feats)["overall"] if extra else None,
        "likelihood": {"weights_tried_on_val": {str(w): a for w, a in tried.items()}, **lik_meta}
        if lik_meta else None,
        "train": pairwise_accuracy(head, shape, pairs["train"], feats)["overall"],
        "pairs": {k: len(v) for k, v in pairs.items()},
        "stories": {k: len(v) for k, v in parts.items()},
        "history": history,
        "disc": disc_info,
    }
    meta = {"config": cfg.to_dict(), "disc": disc_info is not None, "likelihood": lik_meta,
            "coverage_weight": cfg.coverage_weight, "repetition_weight": cfg.repetition_weight,
            "calibration": {"mean": float(human_val.mean()), "std": float(human_val.std() or 1.0)},
            "split_seed": splits.seed, "test_accuracy": metrics["test"]["overall"]["accuracy"]}
    save_head(head, shape, meta, out_dir)
    metrics["picks"] = check_picks(cfg, stories, splits.test, out_dir, log, encoder, likelihood)
    write_text(out_dir / "metrics.json", json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    from .card import write_card

    write_card(out_dir, cfg, metrics)
    # Timings are logged, not written: the files must be the same on every run.
    log(f"trained in {time.time() - started:.0f} s (encoding {encode_s:.0f} s)")
    return metrics


def _scene_cache(out_dir: Path, with_disc: bool) -> Path:
    """Encoded scenes depend on the encoder package and the word judge: key the cache on both."""
    import hashlib

    from ..lm.base import cache_dir
    from .encoder import encoder_dir

    h = hashlib.sha256(str(encoder_dir()).encode())
    disc = out_dir / DISC_FILE
    if with_disc:
        h.update(disc.read_bytes())
    return cache_dir() / "ranker" / f"scenes-{h.hexdigest()[:16]}.pkl"


def check_picks(cfg: TrainRankerConfig, stories: list[CorpusStory], test_ids: tuple[str, ...],
                model_dir: Path, log: Callable[[str], None] = print, encoder=None, likelihood=None) -> dict:
    """Pick vs random on the test prompts, with the model just written to `model_dir`."""
    from .backend import CoherenceRanker
    from .picks import candidate_sets, compare_picks, describe, test_prompts
    from .scorer import CoherenceScorer

    ranker = CoherenceRanker(scorer=CoherenceScorer(model_dir, encoder=encoder, likelihood=likelihood))
    sets = candidate_sets(test_prompts(stories, test_ids, cfg.seed), cfg.picks_planner,
                          cfg.picks_writer, cfg.picks_k)
    result = compare_picks(sets, scorer=ranker)
    result["text"] = describe(result, cfg.picks_writer, cfg.picks_k)
    log(result["text"])
    return result
