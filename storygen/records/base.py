"""The Record base class: JSON round-trip with checks for the pipeline's frozen dataclasses.

`Record.to_dict()` writes a record as plain JSON values (top-level records add `kind` and
`schema_version`); `Record.from_dict()` reads one back, checking field names and types
recursively, so a corrupted or foreign file fails with a message naming the field. The records
themselves live beside this module (story.py, scene.py, audio.py, book.py).
"""
from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
import unicodedata
from typing import Any, ClassVar, Union

from ..errors import RecordError

SCHEMA_VERSION = 1
# Never in a file we write: control characters (but newline and tab), zero-width and text-direction
# characters. In a hand-edited file they could hide or reorder text, so reading refuses them.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
                        "\U000e0000-\U000e007f]")


class Record:
    """Mixin: JSON round-trip for frozen dataclasses of plain types, tuples and nested records."""

    kind: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.kind:  # top-level files say what they are, so a wrong file is caught early
            out["kind"] = self.kind
            out["schema_version"] = SCHEMA_VERSION
        hints = _hints(type(self))
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if hints[f.name] is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)  # 400 and 400.0 must give the same bytes on disk
            out[f.name] = _dump(value)
        return out

    @classmethod
    def from_dict(cls, data: Any, where: str = ""):
        where = where or cls.__name__
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected a JSON object, got {type(data).__name__}")
        data = dict(data)
        if cls.kind:
            kind = data.pop("kind", None)
            version = data.pop("schema_version", None)
            if kind != cls.kind:
                raise RecordError(f"{where}: this is not a {cls.kind} file (kind={kind!r})")
            if version != SCHEMA_VERSION:
                raise RecordError(
                    f"{where}: schema_version {version!r} is not supported (expected {SCHEMA_VERSION});"
                    " regenerate the file with this version of storygen"
                )
        hints = _hints(cls)
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(data) - names)
        if unknown:
            raise RecordError(f"{where}: unknown key(s) {', '.join(unknown)}")
        kwargs = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                kwargs[f.name] = _load(hints[f.name], data[f.name], f"{where}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise RecordError(f"{where}: missing field {f.name!r}")
        return cls(**kwargs)


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    return value


def _load(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _load(inner[0], value, where)
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp.from_dict(value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise RecordError(f"{where}: expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise RecordError(f"{where}: expected {len(args)} items, got {len(value)}")
        return tuple(_load(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value)))
    if origin is dict:
        if not isinstance(value, dict):
            raise RecordError(f"{where}: expected an object, got {type(value).__name__}")
        return {k: _load(args[1], v, f"{where}.{k}") for k, v in value.items()}
    if tp is Any:
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RecordError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if tp in (int, str, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise RecordError(f"{where}: expected {tp.__name__}, got {value!r}")
        if tp is str and (hidden := _INVISIBLE.search(value)):
            ch = hidden.group()
            raise RecordError(f"{where}: contains U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
                              + ", an invisible or control character; regenerate the file with the"
                              " step that makes it")
        return value
    raise TypeError(f"unsupported record field type {tp!r} at {where}")  # a bug, not bad input
