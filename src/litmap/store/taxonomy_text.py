"""The category tree without the model: ``taxonomy.toml`` read as plain tables, a category renamed
in its text as the full path would write it, and the index's view of the tree renamed along.

Only canonical text is handled here (what litmap writes: comment lines, then each ``[[category]]``
table with its fields in order, a blank line apart, every value as the writer spells it) whose
categories the model takes as they stand and form a tree. Anything else answers None, and the
caller takes the full path (:class:`litmap.taxonomy.Taxonomy`, :func:`~litmap.store.codec.categories_to_toml`).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from litmap.records import CATEGORY_ID_RE, one_line, text_or_none
from litmap.store.toml_fast import _value

TAXONOMY_HEADER = (
    "# The category tree. Each [[category]] has an id (lower-case slug), a title, an optional\n"
    "# description and an optional parent id; siblings keep the order they have in this file.\n"
)
#: The comment lines a file starts with, then one blank line (a rewrite keeps them).
_HEAD = re.compile(r"(?:#[^\n]*\n)+\n(?=\[\[category\]\]\n)")
#: A category's fields, in the order they are written.
_FIELDS = ("id", "title", "parent", "description")


def canonical_text(tables: list[dict[str, str]], head: str = TAXONOMY_HEADER + "\n") -> str | None:
    """The text litmap writes for these ``[[category]]`` tables (fields in order) after ``head`` (the
    comments a rewrite keeps); None when only tomlkit can spell a value."""
    parts = []
    for table in tables:
        lines = ["[[category]]\n"]
        for name, value in table.items():
            text = _value(name, value)
            if text is None:
                return None
            lines.append(f"{name} = {text}\n")
        parts.append("".join(lines))
    return head + "\n".join(parts)


def plain_categories(text: str) -> tuple[str, list[dict[str, str]]] | None:
    """The head (its comments) and categories of canonical taxonomy text as the model reads them
    (plain tables, in file order), when the model takes every one as it stands (unique ids, known
    parents); else None."""
    head = _HEAD.match(text)
    if head is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    tables = data.get("category")
    if list(data) != ["category"] or not isinstance(tables, list):
        return None
    categories = [_plain(table) for table in tables]
    if any(c is None for c in categories):
        return None
    plain = [c for c in categories if c is not None]
    ids = {c["id"] for c in plain}
    if len(ids) != len(plain) or any(c.get("parent", c["id"]) not in ids for c in plain):
        return None
    return (head.group(), plain) if canonical_text(plain, head.group()) == text else None


def _plain(table: Any) -> dict[str, str] | None:
    """``table`` as the model reads the category (a description stripped), if it takes it as it
    stands; else None. Whether the file spells it so, :func:`canonical_text` tells."""
    if not isinstance(table, dict) or list(table) != [f for f in _FIELDS if f in table] or "title" not in table:
        return None
    if not all(isinstance(value, str) for value in table.values()):
        return None
    if not all(CATEGORY_ID_RE.match(table[f]) for f in ("id", "parent") if f in table):
        return None
    if not _valid_title(table["title"]):
        return None
    if "description" in table:
        # The writer puts a description between lines of its own: read back, it ends in a line break.
        description = text_or_none(table["description"])
        if description is None:
            return None
        table = {**table, "description": description}
    return table


def _valid_title(title: str) -> bool:
    """Whether the model keeps ``title`` as it is."""
    try:
        return one_line(title, "a category") == title
    except ValueError:
        return False


def renamed_tables(tables: list[dict[str, str]], old: str, new: str, title: str | None) -> list[dict[str, str]] | None:
    """``tables`` with the category ``old`` called ``new`` (its subcategories following), retitled
    if ``title``; None unless the full path would do just that (an unknown ``old``, a ``new`` taken
    or invalid, nothing to change, or a title the model would change: it says why)."""
    ids = [table["id"] for table in tables]
    if old not in ids or not CATEGORY_ID_RE.match(new) or (new != old and new in ids):
        return None
    if (new == old and title is None) or (title is not None and not _valid_title(title)):
        return None
    out = []
    for table in tables:
        table = dict(table)
        if table["id"] == old:
            table["id"] = new
            if title is not None:
                table["title"] = title
        if table.get("parent") == old:
            table["parent"] = new
        out.append(table)
    return out


def renamed_info(info: dict[str, Any], old: str, new: str, title: str | None) -> dict[str, Any] | None:
    """The index's view of the tree (``titles``, ``descendants``, ``paths``, ``tree``, as
    :meth:`~litmap.store.index.Index.taxonomy` holds it) after renaming ``old`` to ``new`` (and
    retitling it): every id relabelled in place, every shown path rebuilt from the titles. None
    unless the tree holds every category (no cycle), where relabelling is all a rename changes."""
    titles: dict[str, str] = info["titles"]
    tree: list[list[Any]] = info["tree"]
    if old not in titles or (new != old and new in titles) or len(tree) != len(titles):
        return None

    def renamed(category_id: str) -> str:
        return new if category_id == old else category_id

    new_titles = {renamed(c): (title if c == old and title is not None else t) for c, t in titles.items()}
    new_tree: list[list[Any]] = [
        [renamed(c), new_titles[renamed(c)], None if p is None else renamed(p), [renamed(a) for a in chain]]
        for c, _title, p, chain in tree
    ]
    chains: dict[str, list[str]] = {row[0]: row[3] for row in new_tree}
    return {
        "titles": new_titles,
        "descendants": {renamed(c): [renamed(d) for d in below] for c, below in info["descendants"].items()},
        "paths": {renamed(c): " › ".join(new_titles[a] for a in chains[renamed(c)]) for c in info["paths"]},
        "tree": new_tree,
    }
