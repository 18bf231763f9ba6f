"""``litmap list`` read from the index: papers filtered by category, tag and year, sorted, as light rows.

The index keeps, for every readable paper file, the columns a listing shows and the record exactly as
``--json`` prints it, so listing 10k papers parses no TOML and validates nothing (each file was
validated when it was read into the index). The filters are search's own (``cat:``, ``tag:``,
``year:``), so ``list --category X`` and ``search cat:X`` always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from litmap.selection import sort_papers

if TYPE_CHECKING:
    from litmap.store.index import BrokenFile, Index


class Row(NamedTuple):
    """One paper as a listing shows it (the attributes sorting and rendering read, as on a Paper)."""

    key: str
    year: int | None
    first_author: str
    title: str
    categories: tuple[str, ...]
    added: str | None
    first_family: str
    record_text: str | None


class Listing(NamedTuple):
    """The rows, and the paper files that had to be left out (unreadable: ``litmap check`` says why)."""

    rows: list[Row]
    broken: list[BrokenFile]


def list_papers(
    index: Index,
    *,
    category: str | None = None,
    tags: Iterable[str] = (),
    years: str | None = None,
    sort: str = "key",
    reverse: bool = False,
    records: bool = False,
) -> Listing:
    """Papers in ``category`` or below it, with every tag of ``tags``, within ``years``, sorted by ``sort``.

    ``records``: also each paper's JSON record text (for ``--json``; otherwise None).
    """
    from litmap.services.search import Term, filter_condition

    terms = [Term(category, "cat")] if category else []
    terms += [Term(tag, "tag") for tag in tags]
    terms += [Term(years, "year")] if years else []
    conditions, params = ["p.record IS NOT NULL"], []
    for term in terms:
        condition, values = filter_condition(index, term)
        conditions.append(f"({condition})")
        params.extend(values)
    sql = (
        f"SELECT key, year, first_author, title, categories, added, sort_author, {'record' if records else 'NULL'}"
        " FROM papers p"
        f" WHERE {' AND '.join(conditions)} ORDER BY key"
    )
    rows = [
        Row(key, year, first_author, title, tuple(cats.split()), added, family, text)
        for key, year, first_author, title, cats, added, family, text in index.db.execute(sql, params)
    ]
    if sort != "key" or reverse:
        rows = sort_papers(rows, sort, reverse=reverse)
    return Listing(rows, index.broken_files())


def records_json(rows: Iterable[Row]) -> str:
    """The rows' records as one pretty JSON list: what ``json.dumps(records, indent=2)`` gives, unparsed."""
    texts = [(row.record_text or "{}").replace("\n", "\n  ") for row in rows]
    return "[\n  " + ",\n  ".join(texts) + "\n]" if texts else "[]"
