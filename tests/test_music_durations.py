"""Issue 9's length check: for every scene of 10 books, the music lasts the narration plus the
configured padding, within 0.5 s. Fast: estimated reading times; slow: real piper narration,
the whole audio chain (music + sfx + mix) written to disk."""
import json
import time

import pytest

from storygen.audio import stage
from storygen.audio.arrange import SceneContext
from storygen.audio.config import audio_config
from storygen.audio.mood import estimate_mood
from storygen.audio.music import compose_full
from storygen.audio.narrate import estimate_timings
from storygen.audio.wav import decode_wav
from storygen.config import DATA_DIR
from storygen.records import Narration, Plan, Prompt, Story
from storygen import io as sio

TOLERANCE_S = 0.5


def ten_books() -> list[Story]:
    """The first story of each theme in the corpus, then the second of the first two: 10 books."""
    rows = [json.loads(line) for line in (DATA_DIR / "corpus" / "stories.jsonl").read_text().splitlines()]
    by_theme: dict[str, list[dict]] = {}
    for r in rows:
        by_theme.setdefault(r["theme"], []).append(r)
    picks = [v[0] for v in by_theme.values()] + [v[1] for v in list(by_theme.values())[:2]]
    out = []
    for seed, r in enumerate(picks[:10]):
        prompt = Prompt(theme=r["theme"], hero=r["hero"], color=r["color"], adjective=r["adjective"], seed=seed)
        out.append(Story(prompt=prompt, plan=Plan(prompt=prompt, scenes=((),) * 5, backend="t", seed=seed),
                         title=r["title"], scenes=tuple(r["scenes"]), chosen=0, scores=(), ranker="t"))
    return out


def test_ten_books_music_length_matches_estimated_narration():
    cfg = audio_config()
    books = ten_books()
    assert len(books) == 10 and len({b.prompt.theme for b in books}) == 8
    worst = 0.0
    for story in books:
        for i, text in enumerate(story.scenes, start=1):
            duration, _ = estimate_timings(text)
            score, _, arr = compose_full(
                text, estimate_mood(text, cfg.mood_backend), story.prompt.theme, duration,
                story.prompt.seed + i, i, "arranged",
                SceneContext(story.prompt.hero, story.prompt.seed, cfg.music.padding_s))
            worst = max(worst, abs(score.duration_s - (duration + cfg.music.padding_s)))
    assert worst < TOLERANCE_S


@pytest.mark.slow
def test_ten_books_with_piper_narration(tmp_path):
    """~2 minutes: narrates 50 scenes. Prints the timings for the issue report."""
    cfg = audio_config()
    worst, spent, scenes = 0.0, {"music": 0.0, "sfx": 0.0, "mix": 0.0}, 0
    for n, story in enumerate(ten_books()):
        book = tmp_path / f"book{n}"
        narrations = stage.run_narrate(story, book)
        for name, run in (("music", lambda: stage.run_music(story, book, backend="arranged")),
                          ("sfx", lambda: stage.run_sfx(story, book)), ("mix", lambda: stage.run_mix(story, book))):
            t0 = time.perf_counter()
            result = run()
            spent[name] += time.perf_counter() - t0
            if name == "music":
                scores = result
        for narration, score in zip(narrations, scores):
            worst = max(worst, abs(score.duration_s - (narration.duration_s + cfg.music.padding_s)))
            samples, rate = decode_wav((book / score.wav).read_bytes())
            assert abs(len(samples) / rate - score.duration_s) < 0.001
            assert sio.read_record(book / "audio" / f"{narration.index:02d}-narration.json", Narration) == narration
        scenes += len(narrations)
    print(f"\n{scenes} scenes, worst |music - (narration + padding)| = {worst:.3f} s; per scene: "
          + ", ".join(f"{k} {v / scenes:.3f} s" for k, v in spent.items()))
    assert worst < TOLERANCE_S
