"""The one shape of litmap's extension points: sources, export formats and draft syntaxes.

Each is a :class:`Registry` of frozen registrations, in registration order (registering a name
again replaces it). A registration names its code as a callable, or as ``"module:function"`` that
:func:`resolve` imports on first use, so listing what is registered (``litmap add --help``,
``litmap export --help``) never imports a source's or a format's module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def resolve(reference: Callable[..., Any] | str) -> Any:
    """The callable ``reference`` is, or the one ``"module:function"`` names (its module imported now)."""
    if callable(reference):
        return reference
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


class Registry(Generic[T]):
    """Registrations by name, in the order they were made."""

    def __init__(self) -> None:
        self._items: dict[str, T] = {}

    def add(self, name: str, item: T) -> T:
        """Register ``item`` as ``name`` (replacing what was there); return it."""
        self._items[name] = item
        return item

    def remove(self, name: str) -> None:
        """Forget ``name`` (nothing happens if it is not registered)."""
        self._items.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __getitem__(self, name: str) -> T:
        return self._items[name]

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def names(self) -> list[str]:
        """The registered names, in order."""
        return list(self._items)
