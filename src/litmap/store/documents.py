"""The text of attached PDFs and of the reader's notes, kept in the search index beside the records.

Documents are the notes (``notes/KEY.md``) and the PDFs in the documents folder (``files/``, or
``[files] folder`` in litmap.toml). Like paper files they are checked by stat at every search: a file
is read (a PDF's text extracted with pypdf) once per version (change time and size), and forgotten when it
is removed. A library with neither folder costs two stats.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from litmap.store.freshness import stamp_of

if TYPE_CHECKING:
    from litmap.store.index import Index

NOTES_DIR = "notes"
DEFAULT_FILES_DIR = "files"
#: Pages of a PDF whose text goes into the index (a thesis need not be read to its last appendix).
MAX_PAGES = 60
_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, sig TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(body, tokenize='porter unicode61 remove_diacritics 2');
"""
_NUMBERED = re.compile(r"^(.*)-\d+$")


def files_folder(root: Path) -> Path:
    """The documents folder of the library at ``root`` (read from litmap.toml only if it names one)."""
    config = root / "litmap.toml"
    with contextlib.suppress(OSError, ValueError):
        text = config.read_text(encoding="utf-8")
        if "[files]" in text:
            import tomllib

            folder = tomllib.loads(text).get("files", {}).get("folder")
            if isinstance(folder, str) and folder.strip():
                return root / folder.strip()
    return root / DEFAULT_FILES_DIR


def document_files(root: Path) -> dict[str, tuple[str, Path, str]]:
    """Every document on disk: relative path -> (kind "note" or "pdf", path, stat signature)."""
    found: dict[str, tuple[str, Path, str]] = {}
    for kind, folder, suffix in (("note", root / NOTES_DIR, ".md"), ("pdf", files_folder(root), ".pdf")):
        if not folder.is_dir():
            continue
        for dirpath, _dirs, names in os.walk(folder):
            for name in names:
                if not name.lower().endswith(suffix) or name.startswith("."):
                    continue
                path = Path(dirpath) / name
                try:
                    st = path.stat()
                except OSError:
                    continue
                found[path.relative_to(root).as_posix()] = (kind, path, f"{stamp_of(st)}:{st.st_size}")
    return found


def _has_table(index: Index) -> bool:
    row = index.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'docs'").fetchone()
    return row is not None


def _text(kind: str, path: Path) -> str:
    if kind == "note":
        with contextlib.suppress(OSError, UnicodeDecodeError):
            return path.read_text(encoding="utf-8")
        return ""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PAGES])
    except Exception:  # a damaged PDF is indexed as empty, and read again when it changes
        return ""


def _owner(index: Index, relative: str, kind: str) -> str | None:
    """The key of the paper a document belongs to: its file name, else the paper recording the file."""
    stem = Path(relative).stem
    candidates = [stem] if kind == "note" else [stem, *(_NUMBERED.findall(stem))]
    for key in candidates:
        if index.db.execute("SELECT 1 FROM papers WHERE key = ?", (key,)).fetchone():
            return key
    if kind == "pdf":
        row = index.db.execute("SELECT key FROM papers WHERE record LIKE ? LIMIT 1", (f'%"{relative}"%',)).fetchone()
        if row:
            return str(row[0])
    return None


def refresh_documents(index: Index) -> bool:
    """Bring the documents' text in the index up to date; True if anything was read or forgotten."""
    on_disk = document_files(index.root)
    if not on_disk and not _has_table(index):
        return False
    index.db.executescript(_SCHEMA)
    held = {path: (doc_id, sig) for doc_id, path, sig in index.db.execute("SELECT id, path, sig FROM docs")}
    changed = [rel for rel, (_kind, _path, sig) in on_disk.items() if held.get(rel, (None, None))[1] != sig]
    gone = [rel for rel in held if rel not in on_disk]
    if not changed and not gone:
        return False
    index.db.execute("BEGIN IMMEDIATE")
    try:
        for rel in [*gone, *changed]:
            if rel in held:
                index.db.execute("DELETE FROM docs_fts WHERE rowid = ?", (held[rel][0],))
                index.db.execute("DELETE FROM docs WHERE id = ?", (held[rel][0],))
        for rel in changed:
            kind, path, sig = on_disk[rel]
            key = _owner(index, rel, kind) or ""
            cursor = index.db.execute(
                "INSERT INTO docs(path, key, kind, sig) VALUES (?, ?, ?, ?)", (rel, key, kind, sig)
            )
            index.db.execute("INSERT INTO docs_fts(rowid, body) VALUES (?, ?)", (cursor.lastrowid, _text(kind, path)))
        index.db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(Exception):
            index.db.execute("ROLLBACK")
        raise
    return True


def matching_documents(index: Index, expression: str, kind: str | None = None) -> dict[str, str]:
    """Papers whose documents match the FTS5 ``expression``: key -> the kind that matched ("pdf", "note")."""
    if not _has_table(index):
        return {}
    sql = "SELECT d.key, d.kind FROM docs_fts JOIN docs d ON d.id = docs_fts.rowid WHERE docs_fts MATCH ?"
    params: list[str] = [expression]
    if kind is not None:
        sql += " AND d.kind = ?"
        params.append(kind)
    found: dict[str, str] = {}
    for key, matched in index.db.execute(sql + " ORDER BY bm25(docs_fts)", params):
        if key:
            found.setdefault(str(key), str(matched))
    return found


def document_snippet(index: Index, key: str, expression: str, open_mark: str, close_mark: str) -> str | None:
    """The best-matching stretch of ``key``'s documents for ``expression``, with matches marked."""
    if not _has_table(index):
        return None
    row = index.db.execute(
        f"SELECT snippet(docs_fts, 0, '{open_mark}', '{close_mark}', '…', 24) FROM docs_fts"
        " JOIN docs d ON d.id = docs_fts.rowid WHERE docs_fts MATCH ? AND d.key = ? ORDER BY bm25(docs_fts) LIMIT 1",
        (expression, key),
    ).fetchone()
    return str(row[0]) if row else None
