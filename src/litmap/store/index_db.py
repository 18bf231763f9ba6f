"""Where a library's index lives, its schema, and opening it (:mod:`litmap.store.index` uses it)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from litmap.store.layout import STATE_DIR

if TYPE_CHECKING:
    import sqlite3


SCHEMA_VERSION = "7"
INDEX_FILE = "index.sqlite3"

#: The full-text columns, in order (``bm25`` weights are given in this order by :mod:`litmap.services.search`).
COLUMNS = ("key", "title", "authors", "tags", "categories", "venue", "abstract", "note")
_SCHEMA = f"""
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE listing(id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);
CREATE TABLE papers(
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL UNIQUE,
    stamp_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    digest TEXT,
    error TEXT,
    key TEXT,
    year INTEGER,
    type TEXT,
    first_author TEXT,
    title TEXT,
    added TEXT,
    sort_author TEXT,
    categories TEXT,
    venue TEXT,
    tags TEXT,
    has INTEGER,
    record TEXT
);
CREATE INDEX papers_year ON papers(year);
CREATE INDEX papers_broken ON papers(file) WHERE error IS NOT NULL;
CREATE INDEX papers_distrusted ON papers(file) WHERE stamp_ns = -1;
CREATE TABLE labels(paper INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX labels_value ON labels(kind, value);
CREATE INDEX labels_paper ON labels(paper);
CREATE TABLE words(word TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5({", ".join(COLUMNS)}, tokenize='porter unicode61 remove_diacritics 2');
"""


# -- where ---------------------------------------------------------------------------------------


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/litmap`` (default ``~/.cache/litmap``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "litmap"


def index_path(root: Path, read_only: bool = False) -> Path:
    """Where the index of the library at ``root`` lives (its ``.litmap/`` folder is made if need be).

    A writable library keeps it in its git-ignored ``.litmap/`` folder; the read-only bundled library
    (or one whose ``.litmap/`` cannot be created) in the user cache, under a hash of its path.
    """
    if not read_only:
        state = Path(root) / STATE_DIR
        with contextlib.suppress(OSError):
            state.mkdir(exist_ok=True)
        if os.access(state, os.W_OK):
            return state / INDEX_FILE
    return _cache_path(root)


def existing_index(root: Path, read_only: bool = False) -> Path | None:
    """The index file of the library at ``root`` if there is one (nothing is created)."""
    for path in ([] if read_only else [Path(root) / STATE_DIR / INDEX_FILE]) + [_cache_path(root)]:
        if path.is_file():
            return path
    return None


def _cache_path(root: Path) -> Path:
    import hashlib

    digest = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]
    return user_cache_dir() / digest / INDEX_FILE


def schema_tag() -> str:
    """The index format and the code that shapes its records (the model and the TOML codec).

    An index made by another version of either is rebuilt, so stored records never go stale.
    """
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = [SCHEMA_VERSION]
    for name in ("models.py", "records.py", os.path.join("store", "codec.py")):
        try:
            st = os.stat(os.path.join(package, name))
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append("?")
    return "/".join(parts)


def create(db: sqlite3.Connection) -> sqlite3.Connection:
    """Give an empty database the index schema (no-op if another process just did)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if not db.execute("SELECT 1 FROM sqlite_master").fetchone():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT INTO meta(name, value) VALUES ('schema', ?)", (schema_tag(),))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return db


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    db = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    try:
        if fresh:
            db.execute("PRAGMA journal_mode=WAL")
            create(db)
        row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if not row or row[0] != schema_tag():
            raise sqlite3.DatabaseError("index from another version of litmap")
    except BaseException:
        db.close()
        raise
    return db


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
