"""Render the same corpus scenes with every voice and measure what we cannot hear.

    python scripts/compare_voices.py [--scenes 40] [--out books/voices-compare] [--voices storyteller joe]

Writes OUT/VOICE/NN.wav (listen to them side by side) and OUT/report.json, and prints per voice:
  pace         words per minute (first word to last, pauses included) and of speech alone
  level        peak, RMS in dBFS, clipped samples (|x| >= 0.999)
  pauses       the silence measured between sentences (should be the narrator's gap)
  boundaries   sentence starts/ends in the word timings vs where an energy detector finds speech
               begin/end (ms; sentence edges are trimmed, so this checks the assembly)
  clauses      inside a sentence: the word after a comma starts where the voice's own pause ends?
               (ms between the timing's start of that word and the end of the nearest silence of
               >= 60 ms; the word weights' real test, since each sentence is spread by weight alone)
  speed        synthesis seconds per second of audio
The scenes are the corpus's first stories of several themes (data/corpus/stories.jsonl).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storygen.audio import narrate, word_timing  # noqa: E402
from storygen.backends import NARRATORS  # noqa: E402
from storygen.audio.voices import VOICES  # noqa: E402
from storygen.audio.wav import encode_wav  # noqa: E402

FRAME_S = 0.01
SILENT_DB = -35.0  # a 10 ms frame this far under the scene's loudest frame is silence


def corpus_scenes(n: int) -> list[str]:
    seen, out = set(), []
    stories = [json.loads(line) for line in open(ROOT / "data/corpus/stories.jsonl", encoding="utf-8")]
    for story in stories:  # one story per theme first, so the sample is varied
        if story["theme"] not in seen:
            seen.add(story["theme"])
            out += story["scenes"]
    return out[:n]


def frame_db(samples: np.ndarray, rate: int) -> np.ndarray:
    hop = int(rate * FRAME_S)
    n = len(samples) // hop
    rms = np.sqrt(np.mean(samples[: n * hop].reshape(n, hop).astype(np.float64) ** 2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-9) / max(rms.max(), 1e-9))


def silences(db: np.ndarray, min_s: float) -> list[tuple[float, float]]:
    quiet = np.concatenate([[False], db < SILENT_DB, [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(int)))
    runs = [(a * FRAME_S, b * FRAME_S) for a, b in zip(edges[::2], edges[1::2])]
    return [(a, b) for a, b in runs if b - a >= min_s]


def sentence_spans(text: str, words) -> list[tuple[int, int]]:
    spans, k = [], 0
    for sentence in word_timing.split_sentences(text):
        n = len(word_timing.words_of(sentence))
        spans.append((k, k + n - 1))
        k += n
    return spans


def comma_words(text: str) -> list[int]:
    """Indices of words followed by a comma (or ; : —) before the next word."""
    out = []
    matches = list(word_timing._WORD.finditer(text))
    for i, (m, nxt) in enumerate(zip(matches, matches[1:])):
        if re.search(r"[,;:—]", text[m.end(): nxt.start()]):
            out.append(i)
    return out


def measure(voice: str, scenes: list[str], out: Path) -> dict:
    v = VOICES[voice]
    narrate.synthesize("Warm up.", v.backend, v.voice)
    pace = NARRATORS.create(v.backend, voice=v.voice).pace
    rows, gaps, bound_err, clause_err, missed = [], [], [], [], 0
    synth_s = audio_s = speech_s = read_s = 0.0
    peaks, clipped, rms_db = [], 0, []
    (out / voice).mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(scenes, 1):
        t0 = time.perf_counter()
        s = narrate.synthesize(text, v.backend, v.voice)
        synth_s += time.perf_counter() - t0
        audio_s += s.duration_s
        (out / voice / f"{i:02d}.wav").write_bytes(encode_wav(s.samples, s.sample_rate))
        x = s.samples
        peaks.append(float(np.max(np.abs(x))))
        clipped += int(np.sum(np.abs(x) >= 0.999))
        db = frame_db(x, s.sample_rate)
        mask = np.repeat(db >= SILENT_DB, int(s.sample_rate * FRAME_S))
        loud = x[: len(mask)][mask]
        rms_db.append(20 * np.log10(np.sqrt(np.mean(loud.astype(np.float64) ** 2))))
        words = s.words
        spans = sentence_spans(text, words)
        quiet = silences(db, 0.06)
        read_s += words[-1].end - words[0].start
        for a, b in spans:
            speech_s += words[b].end - words[a].start
        for (a, b), (c, _) in zip(spans, spans[1:]):  # the silence between two sentences
            gap = [q for q in quiet if q[0] <= words[b].end + 0.05 and q[1] >= words[c].start - 0.05]
            gaps.append(max((q[1] - q[0] for q in gap), default=0.0))
        for a, b in spans:  # where the detector says this sentence's speech begins and ends
            before = [q for q in quiet if abs(q[1] - words[a].start) < 0.3]
            after = [q for q in quiet if abs(q[0] - words[b].end) < 0.3]
            if before:
                bound_err.append(abs(min(before, key=lambda q: abs(q[1] - words[a].start))[1] - words[a].start))
            if after:
                bound_err.append(abs(min(after, key=lambda q: abs(q[0] - words[b].end))[0] - words[b].end))
        for k in comma_words(text):
            if k + 1 >= len(words) or any(k == b for _, b in spans):
                continue
            lo, hi = words[k].start, words[k + 1].end
            inside = [q for q in quiet if lo < q[1] < hi]
            if not inside:
                missed += 1
                continue
            clause_err.append(min((q[1] - words[k + 1].start for q in inside), key=abs))
        rows.append({"scene": i, "duration_s": s.duration_s, "wpm": narrate.words_per_minute(words)})
    n_words = sum(len(word_timing.words_of(t)) for t in scenes)
    ms = lambda xs, q: round(1000 * float(np.percentile(np.abs(xs), q)), 1) if xs else None  # noqa: E731
    return {
        "voice": voice, "backend": v.backend, "backend_voice": v.voice,
        "pace": {"lead_in_s": pace.lead_in_s, "sentence_gap_s": pace.sentence_gap_s, "tail_s": pace.tail_s},
        "scenes": len(scenes), "words": n_words, "audio_s": round(audio_s, 2),
        "wpm": round(n_words * 60 / read_s, 1),
        "wpm_speech_only": round(n_words * 60 / speech_s, 1),
        "wpm_per_scene": [r["wpm"] for r in rows],
        "peak_max": round(max(peaks), 3), "clipped_samples": clipped,
        "speech_rms_dbfs": round(float(np.mean(rms_db)), 1),
        "sentence_gap_s": {"min": round(min(gaps), 2), "median": round(float(np.median(gaps)), 2),
                           "max": round(max(gaps), 2)},
        "boundary_error_ms": {"median": ms(bound_err, 50), "p90": ms(bound_err, 90), "n": len(bound_err)},
        "clause_start_error_ms": {"median": ms(clause_err, 50), "p90": ms(clause_err, 90),
                                  "median_signed": round(1000 * float(np.median(clause_err)), 1) if clause_err else None,
                                  "n": len(clause_err), "no_pause_found": missed},
        "synth_s_per_audio_s": round(synth_s / audio_s, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenes", type=int, default=40)
    ap.add_argument("--out", type=Path, default=Path("books/voices-compare"))  # books/ is git-ignored
    ap.add_argument("--voices", nargs="+", default=list(VOICES))
    args = ap.parse_args()
    scenes = corpus_scenes(args.scenes)
    report = {"scenes": scenes, "voices": [measure(v, scenes, args.out) for v in args.voices]}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for r in report["voices"]:
        print(json.dumps({k: v for k, v in r.items() if k != "wpm_per_scene"}))
    print(f"wrote {args.out}/report.json and one WAV per scene and voice")


if __name__ == "__main__":
    main()
