"""Does the ranker pick better than chance? Coverage and repetition of its pick against the
expected value of a random pick among the same safe candidates, for the test-split prompts."""
from __future__ import annotations

from statistics import mean

from ..corpus.stories import CorpusStory
from ..ranker import keyword_coverage, repeated_ngram_rate
from ..backends import RANKERS
from ..records import Candidate, Candidates, Prompt
from ..safety import rejection_reason


def test_prompts(stories: list[CorpusStory], ids: tuple[str, ...], seed: int = 0) -> list[Prompt]:
    """One prompt per test story: its four picks, with a per-story seed."""
    by_id = {s.id: s for s in stories}
    return [Prompt(theme=by_id[i].theme, hero=by_id[i].hero, color=by_id[i].color,
                   adjective=by_id[i].adjective, seed=seed + n) for n, i in enumerate(ids)]


def candidate_sets(prompts: list[Prompt], planner: str, writer: str, k: int) -> list[Candidates]:
    from ..story import make_plan, write_candidates

    return [write_candidates(make_plan(p, planner), k, writer) for p in prompts]


def pick(cands: Candidates, scorer) -> Candidate | None:
    """The candidate ranker.rank would keep, for a scorer object (not only a registered name)."""
    best, best_key = None, None
    for i, c in enumerate(cands.candidates):
        if rejection_reason(c.scenes) is not None or len(c.scenes) != 5:
            continue
        key = (scorer.score(c, cands)[0], -i)
        if best_key is None or key > best_key:
            best, best_key = c, key
    return best


def compare_picks(sets: list[Candidates], ranker: str = "coherence", scorer=None) -> dict:
    """Mean coverage/repetition of the ranker's pick vs a uniformly random safe candidate."""
    scorer = scorer or RANKERS.create(ranker)
    picked_cov, picked_rep, rand_cov, rand_rep, wins = [], [], [], [], {"coverage": 0, "repetition": 0}
    used = 0
    for cands in sets:
        safe = [c for c in cands.candidates if rejection_reason(c.scenes) is None and len(c.scenes) == 5]
        story = pick(cands, scorer)
        if story is None or len(safe) < 2:
            continue  # nothing to choose between
        used += 1
        cov = [keyword_coverage(c.scenes, cands.plan.scenes) for c in safe]
        rep = [repeated_ngram_rate(c.scenes) for c in safe]
        pc = keyword_coverage(story.scenes, cands.plan.scenes)
        pr = repeated_ngram_rate(story.scenes)
        picked_cov.append(pc)
        picked_rep.append(pr)
        rand_cov.append(mean(cov))
        rand_rep.append(mean(rep))
        wins["coverage"] += pc >= max(cov)
        wins["repetition"] += pr <= min(rep)
    if not used:
        return {"sets": 0}
    return {
        "sets": used, "ranker": ranker,
        "pick": {"coverage": round(mean(picked_cov), 4), "repetition": round(mean(picked_rep), 4)},
        "random": {"coverage": round(mean(rand_cov), 4), "repetition": round(mean(rand_rep), 4)},
        "pick_is_best": {"coverage": wins["coverage"], "repetition": wins["repetition"]},
    }


def describe(result: dict, writer: str, k: int) -> str:
    if not result.get("sets"):
        return f"No candidate set with two or more safe candidates (writer {writer})."
    p, r = result["pick"], result["random"]
    return (f"{result['sets']} test prompts, {k} `{writer}` candidates each, ranker "
            f"`{result['ranker']}`: pick coverage {p['coverage']:.3f} vs random {r['coverage']:.3f}; "
            f"pick repetition {p['repetition']:.4f} vs random {r['repetition']:.4f} "
            f"(pick has the best coverage in {result['pick_is_best']['coverage']} sets, "
            f"the lowest repetition in {result['pick_is_best']['repetition']}).")
