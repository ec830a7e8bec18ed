"""Backends register by name, so a stage picks its implementation from config, not an if-chain."""
from __future__ import annotations

from typing import Callable, Generic, TypeVar

from .errors import BackendError

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
        def deco(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._factories:
                raise ValueError(f"{self.kind} backend {name!r} registered twice")
            self._factories[name] = factory
            return factory

        return deco

    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, name: str, **kwargs) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            raise BackendError(
                f"Unknown {self.kind} backend {name!r}; choose one of: {', '.join(self.names())}"
            ) from None
        return factory(**kwargs)


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
