"""Refiling papers under other categories through the index, without the model: each paper file
gets only its ``categories`` line rewritten, its index row the index's record with that field
changed; and a category renamed that way, taxonomy and papers together (``litmap category rename``).

A stored record is trusted only for a file whose bytes still have the digest the index stored for
it (the index is brought up to date first: a hand edit counts). Anything else answers None and the
caller takes the full path, through the model.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from litmap.records import with_field
from litmap.store.files import Changes, content_digest, read_text_digest
from litmap.store.index import Index
from litmap.store.layout import PAPERS_DIR, TAXONOMY_FILE

_CATEGORIES_LINE = re.compile(r"^categories[ \t]*=[ \t]*(\[[^\]\n]*\])", re.MULTILINE)
_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)

#: (file name, digest, JSON record) of a paper's index row.
Row = tuple[str, str | None, dict[str, Any]]


def with_categories(text: str, old: list[str], new: list[str]) -> str | None:
    """``text`` of a paper file whose categories are ``old``, with ``new`` in their place and every
    other byte kept; None unless the file sets them on one top-level line (then rewrite it whole)."""
    from litmap.store.toml_fast import _value

    match = _CATEGORIES_LINE.search(text)
    value = _value("categories", new) if new else None
    if match is None or value is None or "\r" in text:
        return None
    before = text[: match.start()]
    if "'''" in before or '"""' in before or _TABLE_HEADER.search(before):
        return None  # maybe inside a multi-line string or a table: not the top-level field
    try:
        if tomllib.loads("v = " + match.group(1))["v"] != old:
            return None
    except tomllib.TOMLDecodeError:
        return None
    return text[: match.start(1)] + value + text[match.end(1) :]


def rows_in_categories(index: Index, categories: list[str]) -> list[Row] | None:
    """The rows of every paper filed under one of ``categories``, sorted by key; None when some
    paper file is broken (the change must not miss the papers it holds)."""
    if index.broken_files():
        return None
    marks = ", ".join("?" * len(categories))
    sql = (
        "SELECT file, digest, record FROM papers WHERE record IS NOT NULL AND id IN"
        f" (SELECT paper FROM labels WHERE kind = 'c' AND value IN ({marks}))"
    )
    rows = [(name, digest, json.loads(record)) for name, digest, record in index.db.execute(sql, categories)]
    return sorted(rows, key=lambda row: row[2]["key"])


def refiled(
    path: Path, digest: str | None, record: dict[str, Any], mapping: Mapping[str, str]
) -> tuple[str, dict[str, Any]] | None:
    """The text of the paper file ``path`` (whose index row has ``digest`` and holds ``record``) with
    its categories refiled through ``mapping``, and the record it then holds; None when only a full
    rewrite can say (the file changed since it was indexed, or its categories line is not plain)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if digest is None or content_digest(data) != digest:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    old: list[str] = record.get("categories", [])
    categories = list(dict.fromkeys(mapping.get(c, c) for c in old))
    new_text = with_categories(text, old, categories)
    if new_text is None:
        return None
    return new_text, with_field(record, "categories", categories)


def stage_rename(
    root: Path, read_only: bool, old: str, new: str, title: str | None, changes: Changes
) -> list[str] | None:
    """Stage renaming the category ``old`` to ``new`` (retitled if ``title``): ``taxonomy.toml`` and
    every paper filed under it, as the full path would write them; the refiled keys, sorted. None,
    with nothing staged, when only the full path can (a mistake it must explain, a taxonomy or paper
    file not in the plain form, no usable index). The caller holds the library lock."""
    from litmap.store.index_read import through_index
    from litmap.store.taxonomy_text import canonical_text, plain_categories, renamed_info, renamed_tables

    taxonomy_path = root / TAXONOMY_FILE

    def plan(index: Index) -> tuple[str, str, dict[str, Any], list[Row]] | None:
        meta = index._meta()
        if "taxonomy" not in meta or not taxonomy_path.exists():
            return None
        # The index's tree is that of the file's bytes: it is renamed along with the text.
        text, digest = read_text_digest(taxonomy_path)
        info = json.loads(meta["taxonomy"])
        plain = plain_categories(text) if meta.get("taxonomy_digest") == digest else None
        if plain is None or {t["id"]: t["title"] for t in plain[1]} != info["titles"]:
            return None
        renamed = renamed_tables(plain[1], old, new, title)
        new_text = None if renamed is None else canonical_text(renamed, plain[0])
        tree = renamed_info(info, old, new, title)
        rows = rows_in_categories(index, [old]) if new != old else []
        if new_text is None or tree is None or rows is None:
            return None
        return text, new_text, tree, rows

    planned = through_index(root, read_only, plan, timeout=5.0)
    if planned is None:
        return None
    text, new_text, tree, rows = planned
    staged = []
    for name, digest, record in rows:
        path = root / PAPERS_DIR / name
        paper = refiled(path, digest, record, {old: new})
        if paper is None:
            return None
        staged.append((path, *paper))
    if new_text != text:
        changes.write(taxonomy_path, new_text, tree=tree)
    for path, paper_text, record in staged:
        changes.write(path, paper_text, record=record)
    return [record["key"] for _path, _text, record in staged]
