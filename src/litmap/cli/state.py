"""Per-invocation state shared by the commands: the library the global options point at."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litmap.store import Library, LibraryLocation

_options: dict[str, str | None] = {"library": None}
_cache: dict[str, Library] = {}
_locations: dict[str, LibraryLocation] = {}


def set_library_option(path: str | None) -> None:
    """Remember ``--library`` for this invocation (and forget a library opened before)."""
    _options["library"] = path
    _cache.clear()
    _locations.clear()


def location() -> LibraryLocation:
    """Where this invocation's library is, found without loading it (cheap: no models imported)."""
    if "library" not in _locations:
        from litmap.store.discovery import find_library

        _locations["library"] = find_library(_options["library"])
    return _locations["library"]


def found_location() -> LibraryLocation | None:
    """Where this invocation's library is, if it was looked for already (nothing is looked up)."""
    return _locations.get("library")


def library() -> Library:
    """The library this invocation works on (found once, then reused)."""
    if "library" not in _cache:
        from litmap.store.library import Library

        found = location()
        _cache["library"] = Library(found.root, read_only=found.read_only)
    return _cache["library"]


def opened_library() -> Library | None:
    """The library this invocation opened, or None if it opened none."""
    return _cache.get("library")
