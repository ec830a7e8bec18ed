"""Bring a folder of newly written corpus batches into data/corpus/parts/<theme>.jsonl.

A writer's folder holds, per theme, `beats-existing.jsonl` ({"id", "plot", "beats"} for stories
already in the corpus: their outline, written by reading them) and `batch-NN.jsonl` (new stories,
full CorpusStory records). Existing stories keep their text and gain their beats; new stories are
appended in batch order; an id already present is an error, never an overwrite. Then run
scripts/merge_corpus.py and `storygen corpus validate`.
Usage: .venv/bin/python scripts/import_corpus_batches.py FOLDER [--theme T ...]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storygen.corpus.stories import CorpusStory  # noqa: E402
from storygen.io import write_text  # noqa: E402
from scripts.merge_corpus import PARTS, THEME_ORDER  # noqa: E402

KEY_ORDER = ("id", "theme", "hero", "color", "adjective", "name", "title", "plot", "beats", "scenes")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def import_theme(folder: Path, theme: str) -> tuple[int, int]:
    part = PARTS / f"{theme}.jsonl"
    stories = _rows(part) if part.exists() else []
    by_id = {s["id"]: s for s in stories}
    beats = folder / theme / "beats-existing.jsonl"
    outlined = 0
    if beats.exists():
        for row in _rows(beats):
            if row["id"] not in by_id:
                raise SystemExit(f"{beats}: {row['id']} is not in {part}")
            story = by_id[row["id"]]
            story["beats"] = row["beats"]
            story["plot"] = story.get("plot") or row.get("plot")
            outlined += 1
    added = 0
    for batch in sorted((folder / theme).glob("batch-*.jsonl")):
        for n, row in enumerate(_rows(batch), 1):
            if row["id"] in by_id:
                if by_id[row["id"]] == row:
                    continue  # imported before: importing twice changes nothing
                raise SystemExit(f"{batch}:{n}: id {row['id']} is already in the corpus")
            CorpusStory.from_dict(row, where=f"{batch}:{n}")
            stories.append(row)
            by_id[row["id"]] = row
            added += 1
    lines = [json.dumps({k: s[k] for k in KEY_ORDER if k in s}, ensure_ascii=False) for s in stories]
    write_text(part, "\n".join(lines) + "\n")
    return outlined, added


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--theme", action="append", choices=THEME_ORDER)
    a = ap.parse_args()
    for theme in a.theme or THEME_ORDER:
        outlined, added = import_theme(a.folder, theme)
        print(f"{theme}: beats for {outlined} existing stories, {added} new stories")


if __name__ == "__main__":
    main()
