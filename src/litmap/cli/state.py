"""Per-invocation state shared by the commands: the library the global options point at."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litmap.store import Library

_options: dict[str, str | None] = {"library": None}
_cache: dict[str, Library] = {}


def set_library_option(path: str | None) -> None:
    """Remember ``--library`` for this invocation (and forget a library opened before)."""
    _options["library"] = path
    _cache.clear()


def library_option() -> str | None:
    """The ``--library`` value given for this invocation, if any."""
    return _options["library"]


def library() -> Library:
    """The library this invocation works on (found once, then reused)."""
    if "library" not in _cache:
        from litmap.store import Library, find_library

        location = find_library(_options["library"])
        _cache["library"] = Library(location.root, read_only=location.read_only)
    return _cache["library"]
