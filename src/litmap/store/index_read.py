"""Reads through the index for commands that would otherwise load every paper (or parse one file):
whole papers for the commands that need models, and plain records for the reading fast paths.

Each function brings the index up to date first (or checks the one file it reads), and answers None
when there is no usable index: the caller then reads the files, as it would without an index.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from litmap.store.index import Index, IndexUnavailable, existing_index

if TYPE_CHECKING:
    from litmap.models import Paper


def load_papers(root: Path, read_only: bool = False) -> list[Paper] | None:
    """Every paper of the library at ``root`` read through its index, or None to read the files instead.

    Only an index that already exists is used (brought up to date first: only changed files are
    parsed). None when there is none, it cannot be used, or some paper file is broken (reading
    the files then raises the same error the user would otherwise see).
    """
    import sqlite3

    from litmap.errors import LitmapError
    from litmap.models import Paper

    if existing_index(root, read_only) is None:
        return None
    try:
        with Index.open(root, read_only, timeout=2.0) as index:
            if index.broken_files():
                return None
            authors: dict[Any, Any] = {}
            return [Paper.from_index(record, authors) for record in index.records()]
    except (IndexUnavailable, sqlite3.Error, LitmapError):
        return None


def indexed_tag_spellings(root: Path, read_only: bool = False) -> dict[str, str] | None:
    """:meth:`Index.tag_spellings` of the library at ``root``, brought up to date; None without a usable index."""
    import sqlite3

    from litmap.errors import LitmapError

    if existing_index(root, read_only) is None:
        return None
    try:
        with Index.open(root, read_only, timeout=2.0) as index:
            return index.tag_spellings()
    except (IndexUnavailable, sqlite3.Error, LitmapError):
        return None
