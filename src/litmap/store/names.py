"""The names in a library, read cheaply for shell completion: citekeys, tags and category ids.

Completion runs at every Tab: nothing here parses a paper file or imports the models. Citekeys are the
paper files' names (one directory listing); tags come from the search index as it stands (it is not
brought up to date first: a tag list a moment old beats a slow Tab; without an index there are none);
category ids and titles from ``taxonomy.toml``.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from litmap.store.layout import CONFIG_FILE, DEFAULT_LIBRARY_NAME, PAPERS_DIR, TAXONOMY_FILE


def paper_keys(root: Path, prefix: str = "") -> list[str]:
    """The citekeys starting with ``prefix``, sorted."""
    try:
        entries = os.scandir(Path(root) / PAPERS_DIR)
    except OSError:
        return []
    with entries:
        names = [e.name[:-5] for e in entries if e.name.endswith(".toml") and not e.name.startswith(".")]
    return sorted(n for n in names if n.startswith(prefix))


def tag_counts(root: Path, read_only: bool, prefix: str = "") -> list[tuple[str, int]]:
    """The tags starting with ``prefix`` and how many papers carry each, as the index last saw them."""
    import sqlite3

    from litmap.store.index_db import existing_index

    path = existing_index(Path(root), read_only)
    if path is None:
        return []
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return []
    try:
        rows = db.execute(
            "SELECT value, COUNT(*) FROM labels WHERE kind = 't' AND value LIKE ? ESCAPE '\\' "
            "GROUP BY value ORDER BY value",
            (pattern,),
        ).fetchall()
    except sqlite3.Error:
        return []
    finally:
        db.close()
    return [(str(value), int(count)) for value, count in rows if str(value).startswith(prefix)]


def category_titles(root: Path, prefix: str = "") -> list[tuple[str, str]]:
    """The category ids starting with ``prefix`` with their titles, in the tree's order."""
    import tomllib

    try:
        data = tomllib.loads((Path(root) / TAXONOMY_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    found = []
    for category in data.get("category", []):
        with contextlib.suppress(AttributeError, TypeError):
            ident, title = str(category["id"]), str(category.get("title", ""))
            if ident.startswith(prefix):
                found.append((ident, title))
    return found


def library_name(root: Path) -> str | None:
    """The library's name from ``litmap.toml``, read without the settings model when the file is
    plainly valid; None when only :class:`~litmap.store.config.LibraryConfig` can say (it then
    names the problem)."""
    import tomllib

    from litmap.keys import DEFAULT_PATTERN

    try:
        data = tomllib.loads((Path(root) / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = data.get("name", DEFAULT_LIBRARY_NAME)
    plain = (
        isinstance(name, str)
        and isinstance(data.get("description", ""), str)
        and data.get("citekey_pattern", DEFAULT_PATTERN) == DEFAULT_PATTERN
        and all(isinstance(data.get(table, {}), dict) for table in ("sources", "export"))
    )
    return name if plain else None
