"""Storage: finding a library, reading and writing its TOML files safely."""

from __future__ import annotations

import os

from litmap.store.discovery import LibraryLocation, bundled_library_path, find_library
from litmap.store.library import Library

__all__ = ["Library", "LibraryLocation", "bundled_library_path", "find_library", "open_library"]


def open_library(path: str | os.PathLike[str] | None = None) -> Library:
    """Open the library at ``path``, or the one litmap would find (see :func:`find_library`)."""
    location = find_library(path)
    return Library(location.root, read_only=location.read_only)
