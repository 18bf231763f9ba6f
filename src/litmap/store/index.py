"""The on-disk index: a git-ignored SQLite (FTS5) copy of the library's papers, for search and fast reads.

The TOML files stay the only source of truth. The index lives in the library's ``.litmap/`` folder
(for the read-only bundled library: in the user cache, ``$XDG_CACHE_HOME/litmap/<hash of the path>/``)
and is brought up to date before each use: every paper file is stat-ed (name, change time, size; no file
is parsed unless it changed), compared with what the index saw last time through one fingerprint, and
only new, changed or vanished files are re-read. A missing, corrupt or outdated index is rebuilt.

This module must stay cheap to import (it is on the start-up path of ``litmap search``): the model,
the codec and the taxonomy are imported only when files have to be parsed.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from litmap.store.entries import (
    ENTRY_COLUMNS,
    Entry,
    fts_texts,
    insert_labels,
    read_all_entries,
    vocabulary,
)
from litmap.store.files import content_digest, read_text_digest, recover
from litmap.store.freshness import (
    RACY_NS,
    Listing,
    Scan,
    Sums,
    current_sums,
    scan_papers,
    stamp_of,
    stat_signature,
)
from litmap.store.index_db import COLUMNS, connect, create, index_path, remove
from litmap.store.layout import PAPERS_DIR, TAXONOMY_FILE

if TYPE_CHECKING:
    import sqlite3

    from litmap.taxonomy import Taxonomy


#: At most this many files stored as not yet trusted are confirmed without comparing every row (all
#: are stat-ed before any is read, so a failed confirmation costs only those stats).
CONFIRM_MAX = 10_000
_INSERT_FTS = f"INSERT INTO fts(rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})"


class IndexUnavailable(Exception):
    """The index cannot be opened or written here (callers fall back to reading the files)."""


class TaxonomyInfo(NamedTuple):
    """What search needs of the category tree: titles, and each category's subtree."""

    titles: dict[str, str]
    descendants: dict[str, list[str]]
    #: :meth:`~litmap.taxonomy.Taxonomy.shown_paths` and :meth:`~litmap.taxonomy.Taxonomy.tree_rows`.
    paths: dict[str, str]
    tree: list[tuple[str, str, str | None, list[str]]]


class BrokenFile(NamedTuple):
    """A paper file the index could not read (``litmap check`` says more)."""

    file: str
    message: str


# -- the index -----------------------------------------------------------------------------------


class Index:
    """An open index of one library; :meth:`refresh` brings it up to date with the files."""

    def __init__(self, root: Path, path: Path, connection: sqlite3.Connection) -> None:
        self.root = Path(root)
        self.path = path
        self.db = connection
        self._taxonomy: TaxonomyInfo | None = None

    @classmethod
    def open(
        cls, root: Path, read_only: bool = False, in_memory_fallback: bool = False, timeout: float = 30.0
    ) -> Index:
        """Open (creating or rebuilding as needed) and refresh the index of the library at ``root``.

        IndexUnavailable if no index can be written for it (or another process holds it longer than
        ``timeout`` seconds), unless ``in_memory_fallback``: then an index is built in memory for
        this process only.
        """
        import sqlite3

        root = Path(root)
        if not read_only:
            recover(root)
        try:
            return cls._open_file(root, index_path(root, read_only), timeout)
        except IndexUnavailable:
            if not in_memory_fallback:
                raise
        index = cls(root, Path(":memory:"), create(sqlite3.connect(":memory:", isolation_level=None)))
        index.refresh()
        return index

    @classmethod
    def _open_file(cls, root: Path, path: Path, timeout: float) -> Index:
        import sqlite3

        for attempt in range(2):
            try:
                index = cls(root, path, connect(path, timeout))
                try:
                    index.refresh()
                except BaseException:
                    index.close()
                    raise
                return index
            except sqlite3.DatabaseError as exc:
                if attempt or (isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)):
                    raise IndexUnavailable(f"{path}: {exc}") from None
                remove(path)  # corrupt or from another version: rebuild from the files
            except OSError as exc:
                raise IndexUnavailable(f"{path}: {exc.strerror or exc}") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, value FROM meta"))

    # -- keeping it fresh ------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Bring the index up to date with the files; True if anything had to be re-read."""
        papers_dir = self.root / PAPERS_DIR
        started = time.time_ns()
        row = self.db.execute("SELECT value FROM listing").fetchone()
        known = Listing.parse(row[0]) if row else None
        # only the sums: enough when nothing changed, and for litmap's own writes
        sums, listing = current_sums(papers_dir, known, started)
        current = str(sums)
        taxonomy_sig = stat_signature(self.root / TAXONOMY_FILE, started)
        meta = self._meta()
        if listing is not None:
            self._keep_listing(listing)
        if meta.get("files") == current and meta.get("taxonomy_file") == taxonomy_sig:
            return False
        self.db.execute("BEGIN IMMEDIATE")
        try:
            meta = self._meta()  # another process may have done the work meanwhile
            if meta.get("files") == current and meta.get("taxonomy_file") == taxonomy_sig:
                self.db.execute("COMMIT")
                return False
            if meta.get("taxonomy_file") != taxonomy_sig:
                self._update_taxonomy(meta, taxonomy_sig)
            distrusted = self._confirm_written(papers_dir, meta, sums, started)
            if distrusted is None:
                scan = scan_papers(papers_dir)
                sums = scan.sums
                distrusted = self._update_papers(papers_dir, scan, started)
            self.db.execute("DELETE FROM words WHERE docs <= 0")  # words no paper has any more
            # The index now holds the files as stat-ed, except that files too fresh to trust hold stamp -1.
            held = sums.with_stamps_replaced(distrusted, -1)
            self._set_meta("files", str(held))
            self._set_meta("papers", str(sums.files - len(self.broken_files())))
            self.db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                self.db.execute("ROLLBACK")
            raise
        return True

    def _keep_listing(self, listing: Listing) -> None:
        """Keep the folder's listing for the next refresh; skipped, not waited for, while another
        process writes to the index (it is only a shortcut)."""
        import sqlite3

        (waited,) = self.db.execute("PRAGMA busy_timeout").fetchone()
        self.db.execute("PRAGMA busy_timeout = 0")
        try:
            self.db.execute("INSERT OR REPLACE INTO listing(id, value) VALUES (1, ?)", (str(listing),))
        except sqlite3.OperationalError:
            pass
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(waited)}")

    def _set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)", (name, value))

    def _update_taxonomy(
        self,
        meta: dict[str, str],
        signature: str,
        skip: frozenset[int] = frozenset(),
        written: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        """Re-read taxonomy.toml (not when its bytes are those last read: only its new signature is
        stored); the papers filed under a category whose title changed get their text again (but
        those of rows ``skip``, which the caller rewrites). ``written``: the text just written to
        it and the tree it holds (as :meth:`taxonomy` gives it), so nothing is read."""
        path = self.root / TAXONOMY_FILE
        if written is not None:
            text: str | None = written[0]
            digest = content_digest(written[0].encode("utf-8"))
        elif path.exists():
            text, digest = read_text_digest(path)
        else:
            text, digest = None, "absent"
        if written is None and "taxonomy" in meta and meta.get("taxonomy_digest") == digest:
            self._set_meta("taxonomy_file", signature)
            return
        if written is not None:
            info = written[1]
        else:
            from litmap.store.codec import categories_from_toml
            from litmap.taxonomy import Taxonomy

            info = tree_info(Taxonomy(categories_from_toml(text, str(path)) if text is not None else []))
        old_titles = json.loads(meta["taxonomy"])["titles"] if "taxonomy" in meta else None
        self._set_meta("taxonomy", json.dumps(info))
        self._set_meta("taxonomy_file", signature)
        self._set_meta("taxonomy_digest", digest)
        self._taxonomy = None
        if old_titles is not None and old_titles != info["titles"]:
            new_titles: dict[str, str] = info["titles"]  # type: ignore[assignment]
            changed = {c for c in old_titles.keys() | new_titles.keys() if old_titles.get(c) != new_titles.get(c)}
            self._reindex_categories(changed, old_titles, skip)

    def _update_papers(self, papers_dir: Path, scan: Scan, started: int) -> list[int]:
        """Re-read new and changed files, drop vanished ones; the stamps of files stored as too fresh."""
        stored = {row[0]: row for row in self.db.execute("SELECT file, stamp_ns, size, id, digest FROM papers")}
        for name in stored.keys() - set(scan.names):
            self._remove_paper(stored[name][3])
        changed = [
            (name, stamp_ns, size)
            for name, stamp_ns, size in zip(scan.names, scan.stamps, scan.sizes, strict=True)
            if (row := stored.get(name)) is None or row[1] != stamp_ns or row[2] != size
        ]
        changed, distrusted = self._confirm_unchanged(papers_dir, changed, stored, started)
        if not changed:
            return distrusted
        from litmap.collector import collector_paused

        with collector_paused():
            return distrusted + self._read_papers(papers_dir, sorted(changed), started, stored)

    def _confirm_written(self, papers_dir: Path, meta: dict[str, str], sums: Sums, started: int) -> list[int] | None:
        """When the files differ from what the index holds only in the files stored as not yet
        trusted (stamp -1: written by litmap itself, or read when too fresh), confirm those by their
        digest without going through every row; the stamps still too fresh to trust, or None when
        something else changed (then every row is compared with the scan)."""
        try:
            expected = Sums.parse(meta["files"])
        except (KeyError, ValueError):
            return None
        sql = "SELECT id, file, size, digest FROM papers INDEXED BY papers_distrusted WHERE stamp_ns = -1"
        rows = self.db.execute(sql).fetchmany(CONFIRM_MAX + 1)
        if not rows or len(rows) > CONFIRM_MAX:
            return None
        confirmed: list[tuple[int, int]] = []
        distrusted: list[int] = []
        stamps: list[int] = []
        try:
            # Every file stat-ed first: when something else changed too, no file was read for nothing.
            for _pid, name, size, digest in rows:
                st = os.stat(papers_dir / name)
                if st.st_size != size or not digest:
                    return None
                stamps.append(stamp_of(st))
            expected = expected._replace(stamps=expected.stamps + len(stamps) + sum(stamps))  # each -1 as seen
            if expected != sums:
                return None
            for (pid, name, _size, digest), stamp in zip(rows, stamps, strict=True):
                if content_digest((papers_dir / name).read_bytes()) != digest:
                    return None
                if stamp >= started - RACY_NS:
                    distrusted.append(stamp)
                else:
                    confirmed.append((stamp, pid))
        except OSError:
            return None
        self.db.executemany("UPDATE papers SET stamp_ns = ? WHERE id = ?", confirmed)
        return distrusted

    def _confirm_unchanged(
        self,
        papers_dir: Path,
        changed: list[tuple[str, int, int]],
        stored: dict[str, tuple[str, int, int, int, str | None]],
        started: int,
    ) -> tuple[list[tuple[str, int, int]], list[int]]:
        """Of the files whose stamp the index did not trust (too fresh when stored), those whose
        bytes still have the stored digest are not parsed again: their stamp is recorded (or left
        distrusted while still too fresh). Returns the files left to read, and the distrusted stamps."""
        left: list[tuple[str, int, int]] = []
        distrusted: list[int] = []
        confirmed: list[tuple[int, int]] = []
        for name, stamp_ns, size in changed:
            row = stored.get(name)
            if row is None or row[1] != -1 or row[2] != size or not row[4]:
                left.append((name, stamp_ns, size))
                continue
            try:
                same = content_digest((papers_dir / name).read_bytes()) == row[4]
            except OSError:
                same = False
            if not same:
                left.append((name, stamp_ns, size))
            elif stamp_ns >= started - RACY_NS:
                distrusted.append(stamp_ns)
            else:
                confirmed.append((stamp_ns, row[3]))
        self.db.executemany("UPDATE papers SET stamp_ns = ? WHERE id = ?", confirmed)
        return left, distrusted

    def _read_papers(
        self,
        papers_dir: Path,
        changed: list[tuple[str, int, int]],
        started: int,
        stored: dict[str, tuple[str, int, int, int, str | None]],
    ) -> list[int]:
        titles = self.taxonomy().titles
        word_counts: Counter[str] = Counter()
        distrusted = []
        entries = read_all_entries(papers_dir, [name for name, _m, _s in changed], titles)
        for (name, stamp_ns, size), entry in zip(changed, entries, strict=True):
            if stamp_ns >= started - RACY_NS:
                distrusted.append(stamp_ns)
                stamp_ns = -1  # too fresh to trust its stamp: look at it again next time
            if name in stored:
                self._remove_paper(stored[name][3])
            if isinstance(entry, str):
                self._insert_error(name, stamp_ns, size, entry)
            else:
                self._insert_entry(name, stamp_ns, size, entry)
                word_counts.update(entry.words)
        self._add_words(word_counts)
        return distrusted

    def _insert_error(self, name: str, stamp_ns: int, size: int, message: str) -> None:
        sql = "INSERT INTO papers(file, stamp_ns, size, error) VALUES (?, ?, ?, ?)"
        self.db.execute(sql, (name, stamp_ns, size, message))

    def _insert_entry(self, name: str, stamp_ns: int, size: int, entry: Entry) -> None:
        cursor = self.db.execute(
            f"INSERT INTO papers(file, stamp_ns, size, {', '.join(ENTRY_COLUMNS)})"
            f" VALUES (?, ?, ?{', ?' * len(ENTRY_COLUMNS)})",
            (name, stamp_ns, size, *entry.columns()),
        )
        pid = cursor.lastrowid
        insert_labels(self.db, pid, entry)
        self.db.execute(_INSERT_FTS, (pid, *entry.texts))

    def _remove_paper(self, pid: int) -> None:
        row = self.db.execute("SELECT record FROM papers WHERE id = ?", (pid,)).fetchone()
        if row and row[0]:
            texts = fts_texts(json.loads(row[0]), self.taxonomy().titles)
            self.db.execute("DELETE FROM fts WHERE rowid = ?", (pid,))
            gone = vocabulary(texts)
            self.db.executemany("UPDATE words SET docs = docs - 1 WHERE word = ?", [(w,) for w in gone])
        self.db.execute("DELETE FROM labels WHERE paper = ?", (pid,))
        self.db.execute("DELETE FROM papers WHERE id = ?", (pid,))

    def _add_words(self, counts: Counter[str]) -> None:
        self.db.executemany(
            "INSERT INTO words(word, docs) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET docs = docs + excluded.docs",
            counts.items(),
        )

    def _reindex_categories(
        self, changed: set[str], old_titles: dict[str, str], skip: frozenset[int] = frozenset()
    ) -> None:
        """The titles of the categories ``changed`` are new: the papers filed under them get their
        full text again (from the stored records); the other papers are not touched."""
        titles = self.taxonomy().titles
        marks = ", ".join("?" * len(changed))
        rows = self.db.execute(
            "SELECT id, record FROM papers WHERE record IS NOT NULL AND id IN"
            f" (SELECT paper FROM labels WHERE kind = 'c' AND value IN ({marks}))",
            sorted(changed),
        ).fetchall()
        gone: Counter[str] = Counter()
        came: Counter[str] = Counter()
        for pid, text in rows:
            if pid in skip:
                continue
            record = json.loads(text)
            texts = fts_texts(record, titles)
            self.db.execute("DELETE FROM fts WHERE rowid = ?", (pid,))
            self.db.execute(_INSERT_FTS, (pid, *texts))
            gone.update(vocabulary(fts_texts(record, old_titles)))
            came.update(vocabulary(texts))
        self.db.executemany("UPDATE words SET docs = docs - ? WHERE word = ?", [(n, w) for w, n in gone.items()])
        self._add_words(came)

    # -- reading ---------------------------------------------------------------------------------

    def taxonomy(self) -> TaxonomyInfo:
        """Category titles and subtrees, as of the last refresh."""
        if self._taxonomy is None:
            row = self.db.execute("SELECT value FROM meta WHERE name = 'taxonomy'").fetchone()
            data = json.loads(row[0]) if row else {}
            self._taxonomy = TaxonomyInfo(
                data.get("titles", {}), data.get("descendants", {}), data.get("paths", {}), data.get("tree", [])
            )
        return self._taxonomy

    def paper_count(self) -> int:
        """How many readable papers the index holds."""
        row = self.db.execute("SELECT value FROM meta WHERE name = 'papers'").fetchone()
        return int(row[0]) if row else 0

    def broken_files(self) -> list[BrokenFile]:
        """Paper files that could not be read, by name."""
        rows = self.db.execute("SELECT file, error FROM papers INDEXED BY papers_broken WHERE error IS NOT NULL")
        return [BrokenFile(file, message) for file, message in rows]

    def records(self) -> Iterator[dict[str, Any]]:
        """Every readable paper's JSON record (as ``Paper.to_json()`` gave it), in file-name order."""
        rows = self.db.execute("SELECT record FROM papers WHERE record IS NOT NULL ORDER BY file")
        # Decoded a thousand at a time, as one JSON array: json.loads costs more per call than per record.
        while chunk := rows.fetchmany(1000):
            yield from json.loads("[" + ",".join([text for (text,) in chunk]) + "]")

    def tags_in_use(self) -> list[str]:
        """Every tag some paper carries, once each (each spelling of it)."""
        return [str(value) for (value,) in self.db.execute(_DISTINCT_TAGS)]

    def tag_spellings(self, tags: Iterable[str]) -> dict[str, str]:
        """The first spelling the index holds (by file name, then place in the file) of each of
        ``tags`` some paper carries, by its casefolded form (tags compare case-insensitively)."""
        wanted = {tag.casefold() for tag in tags}
        values = [value for value in self.tags_in_use() if value.casefold() in wanted]
        first: dict[str, tuple[tuple[str, int], str]] = {}
        for start in range(0, len(values), 500):
            part = values[start : start + 500]
            sql = (
                "SELECT l.value, p.file, l.rowid FROM labels l JOIN papers p ON p.id = l.paper"
                f" WHERE l.kind = 't' AND l.value IN ({', '.join('?' * len(part))})"
            )
            for value, name, rowid in self.db.execute(sql, part):
                folded = str(value).casefold()
                if folded not in first or (name, rowid) < first[folded][0]:
                    first[folded] = ((name, rowid), str(value))
        return {folded: spelling for folded, (_where, spelling) in first.items()}

    def known_word(self, word: str) -> bool:
        """Whether ``word`` occurs in some paper's text."""
        return self.db.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone() is not None

    def words_near(self, length: int, slack: int = 2) -> list[tuple[str, int]]:
        """Indexed words (with their paper counts) whose length is within ``slack`` of ``length``."""
        sql = "SELECT word, docs FROM words WHERE length(word) BETWEEN ? AND ?"
        return self.db.execute(sql, (length - slack, length + slack)).fetchall()


#: Every tag any paper carries, once each: a loose index scan (one index lookup per distinct tag,
#: where ``SELECT DISTINCT`` would visit every paper's labels).
_DISTINCT_TAGS = """
WITH RECURSIVE tag(value) AS (
    SELECT min(value) FROM labels WHERE kind = 't'
    UNION ALL
    SELECT (SELECT min(value) FROM labels WHERE kind = 't' AND value > tag.value) FROM tag WHERE tag.value IS NOT NULL
)
SELECT value FROM tag WHERE value IS NOT NULL
"""


def tree_info(taxonomy: Taxonomy) -> dict[str, Any]:
    """What the index stores of the category tree (:meth:`Index.taxonomy` reads it back)."""
    return {
        "titles": {c.id: c.title for c in taxonomy},
        "descendants": {c.id: taxonomy.descendants(c.id) for c in taxonomy},
        "paths": taxonomy.shown_paths(),
        "tree": taxonomy.tree_rows(),
    }
