"""Reads through the index for commands that would otherwise load every paper (or parse one file):
whole papers for the commands that need models, and plain records for the reading fast paths.

Each function brings the index up to date first (or checks the one file it reads), and answers None
when there is no usable index: the caller then reads the files, as it would without an index.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from litmap.records import file_key
from litmap.store.entries import HAS_ABSTRACT, HAS_AUTHORS, HAS_DOI_OR_ARXIV
from litmap.store.files import content_digest, recover
from litmap.store.freshness import stamp_of, stat_signature
from litmap.store.index import Index, IndexUnavailable
from litmap.store.index_db import connect, existing_index
from litmap.store.layout import PAPERS_DIR, TAXONOMY_FILE

if TYPE_CHECKING:
    from litmap.models import Paper


T = TypeVar("T")


def through_index(root: Path, read_only: bool, use: Callable[[Index], T | None], timeout: float = 2.0) -> T | None:
    """``use`` of the library's index, brought up to date first; None when the library has no index
    (none is made here), it cannot be used, or ``use`` answers None."""
    import sqlite3

    from litmap.errors import LitmapError

    if existing_index(root, read_only) is None:
        return None
    try:
        with Index.open(root, read_only, timeout=timeout) as index:
            return use(index)
    except (IndexUnavailable, sqlite3.Error, LitmapError):
        return None


def load_papers(root: Path, read_only: bool = False) -> list[Paper] | None:
    """Every paper of the library at ``root`` read through its index, or None to read the files instead.

    Only an index that already exists is used (brought up to date first: only changed files are
    parsed). None when there is none, it cannot be used, or some paper file is broken (reading
    the files then raises the same error the user would otherwise see).
    """
    from litmap.models import Paper

    def papers(index: Index) -> list[Paper] | None:
        if index.broken_files():
            return None
        authors: dict[Any, Any] = {}
        return [Paper.from_index(record, authors) for record in index.records()]

    return through_index(root, read_only, papers)


def indexed_tag_spellings(root: Path, read_only: bool, tags: list[str]) -> dict[str, str] | None:
    """:meth:`Index.tag_spellings` of ``tags`` in the library at ``root``, brought up to date; None
    without a usable index."""
    return through_index(root, read_only, lambda index: index.tag_spellings(tags))


def unrefreshed(root: Path, read_only: bool) -> Index | None:
    """The library's existing index, opened as it stands (not brought up to date); None without one."""
    import sqlite3

    path = existing_index(root, read_only)
    if path is None:
        return None
    try:
        return Index(root, path, connect(path, timeout=2.0))
    except (sqlite3.Error, OSError):
        return None


def _checked_record(index: Index, path: Path) -> str | None:
    """The stored record of the paper file ``path`` if the file is still as the index read it
    (same stamp and size, or same bytes when its stamp was too fresh to trust); else None."""
    row = index.db.execute("SELECT stamp_ns, size, digest, record FROM papers WHERE file = ?", (path.name,)).fetchone()
    if row is None or row[3] is None:
        return None
    stamp_ns, size, digest, record = row
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_size != size:
        return None
    if stamp_ns != -1:
        return record if stamp_of(st) == stamp_ns else None
    try:
        return record if digest and content_digest(path.read_bytes()) == digest else None
    except OSError:
        return None


def indexed_records(root: Path, read_only: bool, keys: list[str]) -> tuple[list[dict[str, Any]], dict[str, str]] | None:
    """The records of the papers ``keys`` (by file name: ``papers/KEY.toml``) and every category's
    shown path, from the index without a full refresh: each file is checked by one stat (or its
    digest), the taxonomy by its signature. None when the index cannot answer for all of them (no
    index, a key that is not a file name, a file changed since it was indexed or broken)."""
    import sqlite3

    if not keys or not all(file_key(key) for key in keys):
        return None
    if not read_only:
        recover(root)
    index = unrefreshed(root, read_only)
    if index is None:
        return None
    try:
        meta = index._meta()
        if "files" not in meta or meta.get("taxonomy_file") != stat_signature(root / TAXONOMY_FILE, time.time_ns()):
            return None
        texts = [_checked_record(index, root / PAPERS_DIR / f"{key}.toml") for key in keys]
        if any(text is None for text in texts):
            return None
        return [json.loads(text) for text in texts if text], index.taxonomy().paths
    except sqlite3.Error:
        return None
    finally:
        index.close()


_FACTS = "SELECT key, year, categories, tags, venue, has FROM papers WHERE error IS NULL ORDER BY file"


def paper_facts(index: Index) -> Iterator[tuple[str, int | None, list[str], list[str], str | None, bool, bool, bool]]:
    """What ``litmap stats`` counts of each readable paper, in file order: key, year, categories,
    tags, venue, and whether it has authors, a DOI or arXiv id, an abstract (from the columns
    :func:`~litmap.store.entries.stat_columns` fills: no record is read)."""
    for key, year, categories, tags, venue, has in index.db.execute(_FACTS):
        yield (
            key,
            year,
            categories.split(),
            json.loads(tags) if tags else [],
            venue,
            bool(has & HAS_AUTHORS),
            bool(has & HAS_DOI_OR_ARXIV),
            bool(has & HAS_ABSTRACT),
        )
