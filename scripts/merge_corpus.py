"""Merge the per-theme story files data/corpus/parts/<theme>.jsonl into data/corpus/stories.jsonl.

Deterministic: themes in a fixed order, lines in file order, each line re-checked as a JSON
object and as a CorpusStory (schema only; `storygen corpus validate` does the full check).
Usage: .venv/bin/python scripts/merge_corpus.py [--allow-missing]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storygen.corpus.stories import CORPUS_PATH, CorpusStory  # noqa: E402
from storygen.errors import RecordError  # noqa: E402
from storygen.io import write_text  # noqa: E402

THEME_ORDER = ("underwater", "space", "jungle", "farm", "castle", "arctic", "forest", "garden")
PARTS = CORPUS_PATH.parent / "parts"


def merge(parts: Path = PARTS, allow_missing: bool = False) -> tuple[list[str], dict[str, int]]:
    lines: list[str] = []
    counts: dict[str, int] = {}
    for theme in THEME_ORDER:
        path = parts / f"{theme}.jsonl"
        if not path.exists():
            if not allow_missing:
                raise SystemExit(f"{path} is missing (use --allow-missing for a partial corpus)")
            counts[theme] = 0
            continue
        n = 0
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                data = json.loads(line)
                CorpusStory.from_dict(data, where=where)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{where}: not valid JSON ({exc.msg}, column {exc.colno})")
            except RecordError as exc:
                raise SystemExit(str(exc))
            # Re-serialised the same way every time, so the merge is byte-stable.
            lines.append(json.dumps(data, ensure_ascii=False))
            n += 1
        counts[theme] = n
    return lines, counts


def main(argv: list[str]) -> int:
    lines, counts = merge(allow_missing="--allow-missing" in argv)
    write_text(CORPUS_PATH, "".join(line + "\n" for line in lines))
    print(" ".join(f"{t}={n}" for t, n in counts.items()), f"-> {len(lines)} stories in {CORPUS_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
