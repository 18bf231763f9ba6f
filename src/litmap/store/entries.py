"""What the index stores of one paper: its entry (record, filter and full-text columns, words), and
the reading of paper files into entries (by a pool of processes on a big rebuild).

Cheap to import: the model and the codec are imported only when files have to be parsed, and
:func:`entry_of_record` builds an entry from a paper's JSON record without them.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from litmap.store.files import read_text_digest
from litmap.store.freshness import forking_helps

if TYPE_CHECKING:
    import sqlite3

    from litmap.models import Paper

_TOKEN = re.compile(r"[^\W_]+")
_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text`` with accents removed (as the index's tokenizer splits them)."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _TOKEN.findall(text.lower())


def compounds_joined(text: str) -> list[str]:
    """The hyphenated compounds of ``text`` written as one word ("In-Context" -> "incontext"), so that
    a search for the joined spelling finds them (the tokenizer splits them at the hyphen)."""
    return ["".join(words_of(compound)) for compound in _COMPOUND.findall(text)]


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The words of ``texts`` that typo correction may offer: no numbers, no citekeys."""
    return {word for word in words_of(" ".join(texts)) if word.isalpha()}


def record_text(record: dict[str, Any]) -> str:
    """A record as the index stores it: exactly as ``--json`` prints it, so a listing copies it out unparsed."""
    return json.dumps(record, ensure_ascii=False, indent=2)


def fts_texts(record: dict[str, Any], titles: dict[str, str]) -> tuple[str, ...]:
    """The text of each full-text column (:data:`COLUMNS`) for a paper record."""
    authors = []
    for author in record.get("authors", []):
        if isinstance(author, dict):
            authors.append(f"{author.get('given', '')} {author['family']}".strip())
        else:
            family, _, given = author.partition(", ")
            authors.append(f"{given} {family}".strip())
    identifiers = [record["key"], *record.get("aliases", []), record.get("arxiv", ""), record.get("doi", "")]
    identifiers += compounds_joined(record["title"])
    categories = [_category_text(c, titles.get(c)) for c in record.get("categories", [])]
    return (
        " ".join(i for i in identifiers if i),
        record["title"],
        "; ".join(authors),
        " ".join(record.get("tags", [])),
        "; ".join(categories),
        record.get("venue", ""),
        record.get("abstract", ""),
        record.get("note", ""),
    )


#: From this many files to read, they are parsed by a pool of processes (one per core).
PARALLEL_MIN = 4000


class Entry(NamedTuple):
    """A paper as the index stores it: its JSON record, filter columns, full-text columns and words."""

    key: str
    year: int | None
    type: str
    first_author: str
    title: str
    added: str | None
    sort_author: str
    categories: list[str]
    record: str
    labels: list[tuple[str, str]]
    texts: tuple[str, ...]
    words: set[str]
    #: :func:`~litmap.store.files.content_digest` of the file's bytes.
    digest: str | None = None
    #: What ``stats`` counts besides key, year and categories (:func:`stat_columns`).
    stats: tuple[str | None, str | None, int] = (None, None, 0)

    def columns(self) -> tuple[Any, ...]:
        """The values of :data:`ENTRY_COLUMNS` for this entry."""
        return (
            self.digest,
            self.key,
            self.year,
            self.type,
            self.first_author,
            self.title,
            self.added,
            self.sort_author,
            " ".join(self.categories),
            *self.stats,
            self.record,
        )


#: The columns of ``papers`` an :class:`Entry` fills, in the order of :meth:`Entry.columns`.
ENTRY_COLUMNS = (
    "digest",
    "key",
    "year",
    "type",
    "first_author",
    "title",
    "added",
    "sort_author",
    "categories",
    "venue",
    "tags",
    "has",
    "record",
)


def insert_labels(db: sqlite3.Connection, pid: int | None, entry: Entry) -> None:
    """The category and tag rows of the paper ``pid``."""
    db.executemany("INSERT INTO labels(paper, kind, value) VALUES (?, ?, ?)", [(pid, k, v) for k, v in entry.labels])


def entry_of(paper: Paper, titles: dict[str, str], digest: str | None) -> Entry:
    """The index entry of ``paper`` (read from a file whose bytes have ``digest``)."""
    return entry_of_record(paper.to_json(), titles, digest)


def entry_of_record(record: dict[str, Any], titles: dict[str, str], digest: str | None) -> Entry:
    """The index entry of a valid paper's JSON record (:meth:`~litmap.models.Paper.to_json`)."""
    from litmap.records import author_names, first_author

    texts = fts_texts(record, titles)
    categories: list[str] = record.get("categories", [])
    families = [author_names(a)[0] for a in record.get("authors", [])[:3]]
    return Entry(
        record["key"],
        record.get("year"),
        record["type"],
        first_author(families),
        record.get("title", ""),
        record.get("added"),
        families[0] if families else "",
        categories,
        record_text(record),
        [("c", c) for c in categories] + [("t", t) for t in record.get("tags", [])],
        texts,
        vocabulary(texts),
        digest,
        stat_columns(record),
    )


#: Bits of the ``has`` column: what a paper has that ``stats`` reports missing when it has not.
HAS_AUTHORS, HAS_DOI_OR_ARXIV, HAS_ABSTRACT = 1, 2, 4


def stat_columns(record: dict[str, Any]) -> tuple[str | None, str | None, int]:
    """The ``venue``, ``tags`` (a JSON list, NULL for none) and ``has`` columns of a paper's record:
    what ``stats`` counts, stored before the record so that counting never reads the records."""
    get = record.get
    has = (HAS_AUTHORS if get("authors") else 0) | (HAS_DOI_OR_ARXIV if get("doi") or get("arxiv") else 0)
    has |= HAS_ABSTRACT if get("abstract") else 0
    tags = get("tags")
    return get("venue"), json.dumps(tags, ensure_ascii=False) if tags else None, has


def read_entries(papers_dir: Path, names: list[str], titles: dict[str, str]) -> list[Entry | str]:
    """Read and prepare paper files: an Entry each, or the error a user would see for a broken one."""
    from litmap.errors import InvalidFile
    from litmap.store.codec import paper_from_toml

    out: list[Entry | str] = []
    for name in names:
        path = papers_dir / name
        try:
            text, digest = read_text_digest(path)
            paper = paper_from_toml(text, str(path))
        except InvalidFile as exc:
            out.append(str(exc))
            continue
        out.append(entry_of(paper, titles, digest))
    return out


def read_all_entries(papers_dir: Path, names: list[str], titles: dict[str, str]) -> Iterator[Entry | str]:
    """:func:`read_entries` of every name, in order; on a big rebuild, by one process per core."""
    # Forked workers only read files: they never touch the SQLite connection this process holds
    # (and leave through os._exit, so they do not even close it).
    if len(names) < PARALLEL_MIN or not forking_helps():
        yield from read_entries(papers_dir, names, titles)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [names[i : i + 500] for i in range(0, len(names), 500)]
    with ProcessPoolExecutor(min(os.cpu_count() or 1, 8), mp_context=multiprocessing.get_context("fork")) as pool:
        for part in pool.map(read_entries, [papers_dir] * len(chunks), chunks, [titles] * len(chunks)):
            yield from part


def _category_text(category_id: str, title: str | None) -> str:
    """A category's title, and its id too when that says something else (no word counted twice)."""
    if title is None:
        return category_id
    slug = "-".join(words_of(title))
    return title if slug == category_id else f"{title} {category_id}"
