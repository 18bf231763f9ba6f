"""Tagging paper files through the index, without the model: the one file rewritten as the full
path would write it, its index row replaced from the new record.

The index's record of a file is trusted only when the file's bytes still have the digest the
index stored for it (then the record is exactly what parsing the file would give). The new tags
are spelled as the library already spells them, read from the index brought up to date first
(the freshness guarantee: a hand edit elsewhere counts). Anything else answers None, and the
caller takes the full path.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import tomllib
from pathlib import Path
from typing import Any

from litmap.records import file_key, merged_labels, unique_tags, with_field
from litmap.store.files import Changes, read_text_digest
from litmap.store.freshness import stat_signature
from litmap.store.layout import PAPERS_DIR, TAXONOMY_FILE


def stored_form(record: dict[str, Any]) -> dict[str, Any]:
    """A JSON record as :meth:`~litmap.models.Paper.to_record` gives it (the date added as a date)."""
    if "added" not in record:
        return record
    return {**record, "added": dt.date.fromisoformat(record["added"])}


def stage_tags(
    root: Path, read_only: bool, keys: list[str], add: list[str], remove: list[str], changes: Changes
) -> tuple[list[str], list[str]] | None:
    """Stage adding ``add`` and removing ``remove`` on the papers ``keys`` (file names); (changed
    keys, keys already so), or None (nothing staged) when the index cannot answer for every paper.
    The caller holds the library lock."""
    import sqlite3

    from litmap.errors import LitmapError
    from litmap.store.index import Index, IndexUnavailable
    from litmap.store.index_db import existing_index
    from litmap.store.index_read import unrefreshed
    from litmap.store.toml_write import record_to_toml

    if not keys or not all(file_key(key) for key in keys) or existing_index(root, read_only) is None:
        return None
    papers: dict[str, tuple[Path, str, dict[str, Any]]] = {}
    try:
        index = Index.open(root, read_only, timeout=2.0) if add else unrefreshed(root, read_only)
        if index is None:
            return None
        try:
            # The full path reads the taxonomy (and fails on a broken one): it must be as indexed.
            taxonomy = stat_signature(root / TAXONOMY_FILE, time.time_ns())
            if index._meta().get("taxonomy_file") != taxonomy:
                return None
            for key in keys:
                path = root / PAPERS_DIR / f"{key}.toml"
                text, digest = read_text_digest(path)
                row = index.db.execute("SELECT digest, record FROM papers WHERE file = ?", (path.name,)).fetchone()
                if row is None or row[1] is None or row[0] != digest:
                    return None
                record = json.loads(row[1])
                if record["key"] != key:  # the full path writes such a paper to the file of its key
                    return None
                papers.setdefault(record["key"], (path, text, record))
            spellings = index.tag_spellings(add) if add else {}
        finally:
            index.close()
    except (IndexUnavailable, sqlite3.Error, LitmapError):
        return None
    spelled = unique_tags(spellings.get(tag.casefold(), tag) for tag in add)
    staged: list[tuple[Path, str, dict[str, Any]]] = []
    changed: list[str] = []
    unchanged: list[str] = []
    for key, (path, previous, record) in papers.items():
        tags = merged_labels(record.get("tags", []), spelled, remove)
        if tags == record.get("tags", []):
            unchanged.append(key)
            continue
        new = with_field(record, "tags", tags)
        text = record_to_toml(stored_form(new), previous, stored_form(record))
        if not _holds(text, previous, tags):
            return None
        staged.append((path, text, new))
        changed.append(key)
    for path, text, new in staged:
        changes.write(path, text, record=new)
    return changed, unchanged


def _holds(text: str, previous: str, tags: list[str]) -> bool:
    """Whether the TOML ``text`` reads as ``previous`` does but for its tags, which read as ``tags``:
    then the model reads it as the previous paper with those tags (tags already valid as they are)."""
    try:
        new, old = tomllib.loads(text), tomllib.loads(previous)
    except tomllib.TOMLDecodeError:
        return False
    new_tags, _ = new.pop("tags", []), old.pop("tags", None)
    return new == old and new_tags == tags
