"""The index kept in step by litmap's own writes: a change is recorded in it in one transaction.

After :func:`~litmap.store.files.commit` (still under the writer lock) the rows of the paper files
the change wrote or removed are replaced from the papers the change staged (a file staged without
its paper is parsed), the category tree is taken from ``taxonomy.toml`` if it was written, and the
index's fingerprint is adjusted by those files alone: nothing else is stat-ed or read, so a
one-file change costs the same at 100k papers as at 100. The files just written are stored as not
yet trusted (their stamp is too fresh); the next reader confirms each by its digest instead of
parsing it. A failure leaves the index as it was, and the next reader re-reads the files.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from litmap.errors import InvalidFile, LitmapError
from litmap.store.entries import ENTRY_COLUMNS, Entry, entry_of, entry_of_record, fts_texts, insert_labels, vocabulary
from litmap.store.files import Changes, content_digest
from litmap.store.freshness import Sums, stat_signature
from litmap.store.index import _INSERT_FTS, Index
from litmap.store.index_db import connect, existing_index
from litmap.store.layout import PAPERS_DIR, TAXONOMY_FILE


@contextlib.contextmanager
def locked_change(root: Path, read_only: bool = False) -> Iterator[Changes]:
    """One change to the library: under the writer lock, after rolling an interrupted change forward,
    what the block stages is committed as one atomic change and recorded in the index."""
    from litmap.store import files

    with files.library_lock(root):
        if files.needs_recovery(root):
            files.roll_forward(root)
        changes = Changes()
        yield changes
        files.commit(root, changes)
        if changes:
            record_change(root, changes, read_only)


def record_change(root: Path, changes: Changes, read_only: bool = False) -> None:
    """Record a committed change in the library's index, if it has one (the caller holds the writer lock)."""
    import sqlite3

    path = existing_index(root, read_only)
    if path is None or not changes:
        return
    try:
        index = Index(root, path, connect(path, timeout=5.0))
    except (sqlite3.Error, OSError):
        return
    try:
        _apply(index, changes)
    except (sqlite3.Error, OSError, LitmapError):
        pass  # the index stands as it was: the next reader re-reads the files that changed
    finally:
        index.close()


def _paper_name(papers_dir: Path, path: Path) -> str | None:
    """The file name the index knows ``path`` by, or None if it is not a paper file."""
    if path.parent != papers_dir or not path.name.endswith(".toml") or path.name.startswith("."):
        return None
    return path.name


def _apply(index: Index, changes: Changes) -> None:
    from litmap.collector import collector_paused

    root = index.root
    papers_dir = root / PAPERS_DIR
    db = index.db
    db.execute("BEGIN IMMEDIATE")
    try:
        meta = index._meta()
        if "files" not in meta or "taxonomy" not in meta:  # never refreshed: the next reader builds it
            db.execute("ROLLBACK")
            return
        sums = Sums.parse(meta["files"])
        paths = [*changes.writes, *changes.deletes]
        touched = {name: path for path in paths if (name := _paper_name(papers_dir, path))}
        stored = _stored_rows(index, list(touched))
        old_titles: dict[str, str] = json.loads(meta["taxonomy"])["titles"]
        taxonomy_path = root / TAXONOMY_FILE
        if taxonomy_path in changes.writes or taxonomy_path in changes.deletes:
            signature = stat_signature(taxonomy_path, time.time_ns())
            tree = changes.trees.get(taxonomy_path)
            written = None if tree is None else (changes.writes[taxonomy_path], tree)
            index._update_taxonomy(meta, signature, frozenset(row[0] for row in stored.values()), written)
        titles = index.taxonomy().titles
        words: Counter[str] = Counter()
        with collector_paused():
            for name, path in sorted(touched.items()):
                row = stored.get(name)
                if row is not None:
                    sums = sums.plus(name, row[1], row[2], -1)
                if path not in changes.writes:
                    if row is not None:
                        index._remove_paper(row[0])
                    continue
                size = os.stat(path).st_size
                entry = _entry(changes, path, titles)
                if row is not None and row[3] is not None and not isinstance(entry, str):
                    _replace(index, row[0], size, entry, json.loads(row[3]), old_titles, words)
                else:
                    if row is not None:
                        index._remove_paper(row[0])
                    if isinstance(entry, str):
                        index._insert_error(name, -1, size, entry)
                    else:
                        index._insert_entry(name, -1, size, entry)
                        words.update(entry.words)
                sums = sums.plus(name, -1, size)  # written just now: confirmed by digest next time
        index._add_words(+words)
        db.executemany("UPDATE words SET docs = docs - ? WHERE word = ?", [(-n, w) for w, n in words.items() if n < 0])
        db.execute("DELETE FROM words WHERE docs <= 0")
        index._set_meta("files", str(sums))
        (count,) = db.execute("SELECT count(*) FROM papers WHERE error IS NULL").fetchone()
        index._set_meta("papers", str(count))
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(Exception):
            db.execute("ROLLBACK")
        raise


def _entry(changes: Changes, path: Path, titles: dict[str, str]) -> Entry | str:
    """The index entry of a staged paper file (its staged paper, else its text parsed), or its error."""
    text = changes.writes[path]
    digest = content_digest(text.encode("utf-8"))
    if path in changes.records:
        return entry_of_record(changes.records[path], titles, digest)
    from litmap.store.codec import paper_from_toml

    try:
        paper = changes.papers.get(path) or paper_from_toml(text, str(path))
    except InvalidFile as error:
        return str(error)
    return entry_of(paper, titles, digest)


def _replace(
    index: Index,
    pid: int,
    size: int,
    entry: Entry,
    old_record: dict[str, Any],
    old_titles: dict[str, str],
    words: Counter[str],
) -> None:
    """Rewrite the row ``pid`` in place (its full text only if that changed); count the words' change."""
    db = index.db
    db.execute(
        f"UPDATE papers SET stamp_ns = -1, size = ?, error = NULL, {', '.join(c + ' = ?' for c in ENTRY_COLUMNS)}"
        " WHERE id = ?",
        (size, *entry.columns(), pid),
    )
    db.execute("DELETE FROM labels WHERE paper = ?", (pid,))
    insert_labels(db, pid, entry)
    old_texts = fts_texts(old_record, old_titles)
    if old_texts != entry.texts:
        db.execute("DELETE FROM fts WHERE rowid = ?", (pid,))
        db.execute(_INSERT_FTS, (pid, *entry.texts))
        old_words = vocabulary(old_texts)
        words.update(entry.words - old_words)
        words.subtract(old_words - entry.words)


def _stored_rows(index: Index, names: list[str]) -> dict[str, tuple[int, int, int, str | None]]:
    """``{file name: (row id, stamp_ns, size, record)}`` of the rows the index holds for ``names``."""
    rows: dict[str, tuple[int, int, int, str | None]] = {}
    for start in range(0, len(names), 500):
        part = names[start : start + 500]
        sql = f"SELECT file, id, stamp_ns, size, record FROM papers WHERE file IN ({', '.join('?' * len(part))})"
        for name, pid, stamp_ns, size, record in index.db.execute(sql, part):
            rows[name] = (pid, stamp_ns, size, record)
    return rows
