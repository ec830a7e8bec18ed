"""`storygen library melodies`: train the Markov melody model on Essen folk tunes and write the
melody library. The only module that imports music21 (heavy: ~1 s): never imported by `make`.

Steps: read the Essen collections that ship in music21's corpus (ABC files, one tune per X:
block), keep tunes in 2/4 or 4/4 whose final note is the tonic of their key signature (major or
its relative minor); German folk songs are almost all major, so the minor model also reads the
soprano lines of Bach's 4/4 minor-key chorales (music21 corpus). Each tune becomes (scale step,
alteration, beats) notes; one model is trained per mode (melody.py), then generate seeded 4-8 bar melodies, drop repeats and any melody that copies
a training tune's opening, and write:
  library/music/melodies/melodies.yaml   the melodies with mode / energy / range tags
  models/melody/markov.json              the trained model (counts)
  models/melody/MODEL_CARD.md            what it is, what it was trained on, how to rebuild
"""
from __future__ import annotations

import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import yaml

from .. import io as sio
from ..config import MODELS_DIR
from ..errors import BackendError, StorygenError
from .library import MUSIC_DIR, Melody, MelodyFile, check_melody
from .melody import BAR, ORDER, PHRASES, MarkovModel, Note, describe, generate_melody
from .theory import MODES

DEFAULT_COLLECTIONS = ("kinder0", "boehme10", "boehme20", "fink0", "altdeu10", "altdeu20")
METERS = {"2/4", "4/4", "C"}
DURATIONS = {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0}
MAX_ALTERED = 0.15  # skip tunes with more chromatic notes than this share
# melodies to write per (mode, bars); at least 200 in all
COUNTS = {("major", 4): 70, ("major", 6): 25, ("major", 8): 35,
          ("minor", 4): 55, ("minor", 6): 20, ("minor", 8): 25}
MODEL_DIR = MODELS_DIR / "melody"


@dataclass(frozen=True)
class Tune:
    id: str
    mode: str
    notes: tuple[Note, ...]


def _music21():
    try:
        import music21  # noqa: F401
    except ImportError:
        raise BackendError("Training melodies needs music21 and its corpus: pip install music21==10.5.1") from None
    return music21


def essen_blocks(collections: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(tune id, ABC text with its header) for every tune in 2/4 or 4/4 in the collections."""
    m21 = _music21()
    files = {p.stem: p for p in m21.corpus.getComposer("essenFolksong")}
    missing = [c for c in collections if c not in files]
    if missing:
        raise StorygenError(f"Unknown Essen collection(s) {', '.join(missing)}; choose from: {', '.join(sorted(files))}")
    for name in collections:
        text = files[name].read_text(encoding="utf-8", errors="replace")
        for block in re.split(r"\n(?=X:)", text):
            block = block.strip()
            meter = re.search(r"^M:\s*(\S+)", block, re.M)
            number = re.search(r"^X:\s*(\d+)", block, re.M)
            if block.startswith("X:") and meter and meter.group(1) in METERS and number:
                yield f"{name}#{number.group(1)}", block


def _to_step(pitch: int, tonic: int, mode: str) -> Optional[tuple[int, int]]:
    """MIDI pitch -> (scale step, alteration) with `tonic` the pitch of step 0."""
    octave, rel = divmod(pitch - tonic, 12)
    scale = MODES[mode]
    if rel in scale:
        return 7 * octave + scale.index(rel), 0
    if rel - 1 in scale:  # a raised note, e.g. the leading tone of a minor tune
        return 7 * octave + scale.index(rel - 1), 1
    return None


def _events(part) -> Optional[list[list]]:
    """A music21 part -> [[midi or None, beats, position in the half bar]], ties merged, from the
    first downbeat (a pickup is dropped so the model's metric positions are right)."""
    events = [n for n in part.flatten().notesAndRests if n.quarterLength > 0]
    if not events or any(n.isChord for n in events):
        return None
    merged: list[list] = []
    for n in events:
        pitch = None if n.isRest else n.pitch.midi
        if n.tie is not None and n.tie.type in ("continue", "stop") and merged and merged[-1][0] == pitch:
            merged[-1][1] += float(n.quarterLength)
            continue
        merged.append([pitch, float(n.quarterLength), float((n.beat - 1.0) % 2.0)])
    while merged and merged[-1][0] is None:
        merged.pop()
    start = next((i for i, m in enumerate(merged) if m[2] == 0.0 and m[0] is not None), len(merged))
    merged = merged[start:]
    if len(merged) < 8 or any(b not in DURATIONS for _, b, _ in merged):
        return None
    return merged


def tune_from_events(tune_id: str, merged: list[list], tonic_pc: int, mode: str) -> Optional[Tune]:
    """Events -> Tune in steps from the tonic just below (or at) the final note."""
    final = merged[-1][0]
    tonic = final - (final - tonic_pc) % 12
    notes: list[Note] = []
    altered = 0
    for pitch, beats, _ in merged:
        if pitch is None:
            if notes and notes[-1][0] is None:
                notes[-1] = (None, 0, notes[-1][2] + beats)
            else:
                notes.append((None, 0, beats))
            continue
        sa = _to_step(pitch, tonic, mode)
        if sa is None:
            return None
        altered += sa[1] != 0
        notes.append((sa[0], sa[1], beats))
    if altered > MAX_ALTERED * len(notes):
        return None
    # octave-normalise: the middle sounding step in 0..6, so tunes that end high or low (a
    # chorale soprano) share one register with the rest
    steps = sorted(n[0] for n in notes if n[0] is not None)
    shift = -7 * (steps[len(steps) // 2] // 7)
    return Tune(tune_id, mode, tuple((None if s is None else s + shift, a, b) for s, a, b in notes))


def tune_from_abc(tune_id: str, abc: str) -> Optional[Tune]:
    """One Essen ABC tune -> Tune, or None when it does not fit (modal, triplets, chords, ...).
    Its mode: the final note is the tonic of the key signature's major or relative minor."""
    m21 = _music21()
    try:
        score = m21.converter.parse(abc, format="abc")
    except Exception:  # music21 raises many kinds on odd ABC; a corpus tune we cannot read is skipped
        return None
    sigs = score.flatten().getElementsByClass(m21.key.KeySignature)
    merged = _events(score) if sigs else None
    if not merged:
        return None
    major_tonic = sigs[0].asKey("major").tonic.pitchClass
    final_pc = merged[-1][0] % 12
    mode = "major" if final_pc == major_tonic else "minor" if final_pc == (major_tonic + 9) % 12 else None
    return tune_from_events(tune_id, merged, final_pc, mode) if mode else None


def chorale_paths() -> list[Path]:
    """Bach chorales (music21 corpus, MusicXML) in 4/4 and a minor key, found by reading the
    XML text, so only those are parsed."""
    import zipfile

    m21 = _music21()
    out = []
    for path in sorted(m21.corpus.getComposer("bach")):
        if path.suffix != ".mxl":
            continue
        with zipfile.ZipFile(path) as zf:
            xml = next((zf.read(n).decode("utf-8", "replace") for n in zf.namelist()
                        if n.endswith(".xml") and not n.startswith("META-INF")), "")
        if "<mode>minor</mode>" in xml and re.search(r"<beats>4</beats>\s*<beat-type>4</beat-type>", xml):
            out.append(path)
    return out


def tune_from_chorale(path: Path) -> Optional[Tune]:
    """The soprano line of a minor-key chorale, in steps of its key (it may end on the 3rd)."""
    m21 = _music21()
    try:
        score = m21.corpus.parse(path)
    except Exception:  # an unreadable corpus file is skipped, not fatal
        return None
    keys = score.flatten().getElementsByClass(m21.key.Key)
    if not score.parts or not keys or keys[0].mode != "minor":
        return None
    merged = _events(score.parts[0])
    return tune_from_events(f"bach:{path.stem}", merged, keys[0].tonic.pitchClass, "minor") if merged else None


def load_tunes(collections: tuple[str, ...] = DEFAULT_COLLECTIONS, chorales: bool = True
               ) -> tuple[list[Tune], Counter]:
    tunes, stats = [], Counter()
    readers = [lambda abc=abc, tid=tid: tune_from_abc(tid, abc) for tid, abc in essen_blocks(collections)]
    if chorales:
        readers += [lambda p=p: tune_from_chorale(p) for p in chorale_paths()]
    for read in readers:
        stats["read"] += 1
        tune = read()
        if tune is None:
            stats["skipped"] += 1
            continue
        stats[tune.mode] += 1
        tunes.append(tune)
    return tunes, stats


def _head(notes, beats: float) -> tuple:
    """The notes that start within the first `beats` beats."""
    acc, head = 0.0, []
    for n in notes:
        if acc >= beats - 1e-9:
            break
        head.append(n)
        acc += n[2]
    return tuple(head)


def generate_library(models: dict[str, MarkovModel], tunes: list[Tune], seed: int,
                     counts: dict[tuple[str, int], int] = COUNTS) -> tuple[list[Melody], Counter]:
    """Seeded melodies per (mode, bars), without repeats or copies of a training tune's opening."""
    openings = {mode: {_head(t.notes, 2 * BAR) for t in tunes if t.mode == mode} for mode in models}
    out, stats, seen = [], Counter(), set()
    for (mode, bars), count in sorted(counts.items()):
        made, attempt = 0, 0
        while made < count:
            attempt += 1
            if attempt > count * 20:
                raise StorygenError(f"Could not make {count} distinct {bars}-bar {mode} melodies; train on more tunes")
            rng = random.Random(f"{seed}:{mode}:{bars}:{attempt}")
            notes = generate_melody(models[mode], bars, rng)
            key = tuple(notes)
            if key in seen:
                stats["repeat"] += 1
                continue
            if _head(notes, 2 * BAR) in openings[mode]:
                stats["copy"] += 1
                continue
            seen.add(key)
            made += 1
            tags = describe(notes, mode)
            out.append(Melody(id=f"{mode}-{bars}-{made:03d}", mode=mode, bars=bars, energy=tags["energy"],
                              range=tags["range"], notes=tuple(notes), phrase=PHRASES.get(bars, "")))
    return out, stats


def melodies_yaml(melodies: list[Melody], seed: int) -> str:
    head = ("# Generated by `storygen library melodies` (storygen/audio/melody_train.py): do not edit by\n"
            "# hand, rebuild. Model and training: models/melody/MODEL_CARD.md. Notes are\n"
            "# [scale step from the tonic (null = rest), alteration in semitones, beats]; 4/4 bars.\n")
    lines = [f"model: markov-order{ORDER}", f"seed: {seed}", "melodies:"]
    for m in melodies:
        notes = ", ".join(f"[{'null' if s is None else s}, {a}, {b:g}]" for s, a, b in m.notes)
        lines.append(f"  - {{id: {m.id}, mode: {m.mode}, bars: {m.bars}, energy: {m.energy}, "
                     f"range: {m.range}, phrase: '{m.phrase}', notes: [{notes}]}}")
    return head + "\n".join(lines) + "\n"


def build(seed: int = 0, collections: tuple[str, ...] = DEFAULT_COLLECTIONS,
          library_dir: Path = MUSIC_DIR / "melodies", model_dir: Path = MODEL_DIR,
          chorales: bool = True) -> dict:
    """Train, generate and write everything; returns the numbers the model card reports."""
    t0 = time.perf_counter()
    tunes, stats = load_tunes(collections, chorales)
    t_read = time.perf_counter() - t0
    models = {}
    for mode in ("major", "minor"):
        chosen = [list(t.notes) for t in tunes if t.mode == mode]
        if len(chosen) < 20:
            raise StorygenError(f"Only {len(chosen)} {mode} tunes in {', '.join(collections)}; add collections")
        models[mode] = MarkovModel.train(chosen)
    t_train = time.perf_counter() - t0 - t_read
    melodies, gen_stats = generate_library(models, tunes, seed)
    for m in melodies:
        check_melody(m, "generated")
    text = melodies_yaml(melodies, seed)
    MelodyFile.from_dict(yaml.safe_load(text))  # what we write must load back
    model_json = '{"major":' + models["major"].to_json().strip() + ',"minor":' + models["minor"].to_json().strip() + "}\n"
    sio.write_text(Path(library_dir) / "melodies.yaml", text)
    sio.write_text(Path(model_dir) / "markov.json", model_json)
    report = {
        "collections": list(collections), "chorales": chorales, "seed": seed, "tunes_read": stats["read"],
        "tunes_used": stats["major"] + stats["minor"], "major_tunes": stats["major"],
        "minor_tunes": stats["minor"], "skipped": stats["skipped"],
        "chorales_used": sum(t.id.startswith("bach:") for t in tunes),
        "notes": {m: sum(model.unigram.values()) for m, model in models.items()},
        "vocabulary": {m: len(model.unigram) for m, model in models.items()},
        "contexts": {m: sum(len(level) for level in model.counts) for m, model in models.items()},
        "melodies": len(melodies), "repeats_dropped": gen_stats["repeat"],
        "copies_dropped": gen_stats["copy"],
        "tags": dict(sorted(Counter(f"{m.mode}/{m.bars} bars/{m.energy}" for m in melodies).items())),
        "model_bytes": len(model_json.encode()), "seconds_read": round(t_read, 1),
        "seconds_train": round(t_train, 2), "seconds_total": round(time.perf_counter() - t0, 1),
    }
    sio.write_text(Path(model_dir) / "MODEL_CARD.md", model_card(report))
    return report


def model_card(r: dict) -> str:
    tags = "\n".join(f"| {k} | {v} |" for k, v in r["tags"].items())
    return f"""# Model card: storygen Markov melody model

Rebuild (deterministic for a given seed and music21 corpus):
`storygen library melodies --seed {r['seed']}` (needs `pip install music21==10.5.1`; about
{r['seconds_total']:.0f} s on 2 cores, almost all of it music21 reading ABC).

## What it is

A variable-order Markov chain (order ≤ {ORDER}) over notes written as (diatonic scale step from
the tonic, chromatic alteration, length in beats), conditioned on the metric position within a
half bar, with Witten-Bell interpolation from the longest seen context down to the context-free
note distribution. One model for major tunes, one for minor. Code: storygen/audio/melody.py
(model, generation) and storygen/audio/melody_train.py (corpus, library, this card).

It is used **offline only**: it writes the melody library `library/music/melodies/melodies.yaml`,
which the `arranged` music backend reads; nothing is generated at story time.

## Training data

Essen Folksong Collection as shipped in music21 10.5.1's corpus (`essenFolksong/*.abc`), the
collections {', '.join(r['collections'])} (German folk and children's songs). For the terms of
each corpus collection see music21's corpus documentation; only the generated melodies and the
note counts in markov.json ship with storygen, no corpus tune.
{"German folk songs are nearly all major, so the minor model also learns from the soprano lines of the Bach chorales in 4/4 and a minor key in the same corpus (public domain)." if r['chorales'] else "Bach chorales were not used (--no-chorales)."}

| | |
|---|---|
| tunes read (Essen in 2/4 or 4/4{', Bach minor chorales in 4/4' if r['chorales'] else ''}) | {r['tunes_read']} |
| used | {r['tunes_used']} ({r['major_tunes']} major, {r['minor_tunes']} minor; {r['chorales_used']} of them chorales) |
| skipped | {r['skipped']} (modal endings, triplets, chords, > 15 % chromatic notes, unreadable) |
| notes (major / minor) | {r['notes']['major']} / {r['notes']['minor']} |
| note vocabulary (major / minor) | {r['vocabulary']['major']} / {r['vocabulary']['minor']} |
| contexts stored (major / minor) | {r['contexts']['major']} / {r['contexts']['minor']} |
| model file `models/melody/markov.json` | {r['model_bytes'] / 1e6:.2f} MB |

A tune's mode is read from its key signature and final note (the final is the tonic of the
major key or of its relative minor; other endings are modal and skipped). Pickups are dropped so
every tune starts on a half-bar line. Reading took {r['seconds_read']} s, counting {r['seconds_train']} s.

## Generation (what the chain does not know, the generator enforces)

- whole 4/4 bars, no note across a bar line; 4, 6 or 8 bars in a phrase plan with repeated bars
  ({', '.join(f'{k} bars: "{v}"' for k, v in PHRASES.items())}): the repeats make them
  sound composed and easy to remember, which a leitmotif needs;
- the middle bar of the plan ends on the 2nd or 5th degree (a half cadence), the last bar on the
  tonic, struck on beat 1 or 3 and held to the bar line; no rest opens a tune or closes a phrase;
- range: a fourth below to a tenth above the tonic, at most 9 scale steps overall, no leap over
  an octave;
- training tunes are moved by octaves so their middle note lies within the first octave above
  the tonic (chorale sopranos end high or low; folk tunes end on the tonic below);
- temperature 0.9; each melody has its own seed (`{{seed}}:{{mode}}:{{bars}}:{{attempt}}`);
- dropped: {r['repeats_dropped']} exact repeat(s) and {r['copies_dropped']} melody(ies) whose
  first two bars equal the opening of a training tune (so the library does not reproduce corpus
  tunes).

## Output: {r['melodies']} melodies

| mode / bars / energy | count |
|---|---|
{tags}

Tags: `energy` from sounding notes per beat (low < 1, mid < 1.5, high), `range` in semitones.

## Limits

- No harmony is learnt: the arranger harmonises each melody with the library's progressions
  (storygen/audio/theory.py `harmonise`), preferring chords that contain the strong-beat notes.
- German folk style in major, Bach-chorale style in minor; no 3/4 or 6/8 melodies (the
  arranger writes 4/4).
- Minor tunes are fewer (nearly all of them chorales), so minor melodies are less varied.
- No listening test was run; the checks are structural (tests/test_music_library.py).
"""
