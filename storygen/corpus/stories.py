"""Loading the in-house corpus (data/corpus/stories.jsonl), one CorpusStory per line."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..config import DATA_DIR
from ..errors import RecordError
from ..records import Record

CORPUS_PATH = DATA_DIR / "corpus" / "stories.jsonl"


@dataclass(frozen=True)
class CorpusStory(Record):
    id: str
    theme: str
    hero: str
    color: str
    adjective: str
    title: str
    scenes: tuple[str, ...]
    name: Optional[str] = None
    plot: Optional[str] = None


def load_stories(path: Path | str = CORPUS_PATH) -> list[CorpusStory]:
    return list(_load(str(path)))


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[CorpusStory, ...]:
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise RecordError(f"Corpus file {path} does not exist") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
        out.append(CorpusStory.from_dict(data, where=f"{path}:{n}"))
    return tuple(out)
