"""Storage: finding a library, reading and writing its TOML files safely."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from litmap.store.discovery import LibraryLocation, bundled_library_path, find_library

if TYPE_CHECKING:
    from litmap.store.library import Library

__all__ = ["Library", "LibraryLocation", "bundled_library_path", "find_library", "open_library"]


def __getattr__(name: str) -> Any:
    # Library (and with it pydantic) is imported on first use, so that finding a library stays cheap.
    if name == "Library":
        from litmap.store.library import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_library(path: str | os.PathLike[str] | None = None) -> Library:
    """Open the library at ``path``, or the one litmap would find (see :func:`find_library`)."""
    from litmap.store.library import Library

    location = find_library(path)
    return Library(location.root, read_only=location.read_only)
