"""A registry names a stage's backends as "module:attr" strings and imports one on first use.

Naming a backend never imports it, so a settings file can be checked against the names without
loading torch or spaCy, and no module has to be imported for the side effect of registering
itself (which is what tied the packages into import circles). The tables live in
storygen/backends.py beside the contract each backend keeps.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, Generic, Mapping, TypeVar

from .errors import BackendError

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str, table: Mapping[str, str]) -> None:
        for name, target in table.items():
            if target.count(":") != 1:
                raise ValueError(f"{kind} backend {name!r}: {target!r} is not 'module:attr'")
        self.kind = kind
        self._table = dict(table)

    def names(self) -> list[str]:
        return sorted(self._table)

    def target(self, name: str) -> str:
        """The "module:attr" a name stands for, or a BackendError listing the names."""
        try:
            return self._table[name]
        except KeyError:
            raise BackendError(
                f"Unknown {self.kind} backend {name!r}; choose one of: {', '.join(self.names())}"
            ) from None

    def factory(self, name: str) -> Callable[..., T]:
        module, attr = self.target(name).split(":")
        return getattr(importlib.import_module(module), attr)

    def create(self, name: str, **kwargs: Any) -> T:
        return self.factory(name)(**kwargs)


def require_program(program: str, kind: str, backend: str, default: str) -> str:
    """Path of an optional system program a backend runs, or a BackendError saying how to get it."""
    import shutil

    exe = shutil.which(program)
    if exe is None:
        raise BackendError(
            f"{kind} backend {backend!r} needs the {program} program: apt-get install {program}"
            f" (or use the default {default} backend)"
        )
    return exe
