"""Shell completion of citekeys, tags and category ids (``litmap --install-completion``).

Each function is a typer ``autocompletion`` callback: it gets the click context (whose root holds a
``--library`` given earlier on the line) and the word being typed, and answers from
:mod:`litmap.store.names` without loading the library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _library(ctx: Any) -> tuple[Path, bool] | None:
    """The library the command line being completed points at (root, read-only), if any."""
    from litmap.errors import LitmapError
    from litmap.store.discovery import find_library

    explicit = ctx.find_root().params.get("library") if ctx is not None else None
    try:
        found = find_library(explicit)
    except (LitmapError, OSError):
        return None
    return found.root, found.read_only


def complete_keys(ctx: Any, incomplete: str) -> list[str]:
    """Citekeys starting with the word typed."""
    from litmap.store.names import paper_keys

    library = _library(ctx)
    return paper_keys(library[0], incomplete) if library else []


def complete_tags(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Tags in use starting with the word typed, each with its number of papers."""
    from litmap.store.names import tag_counts

    library = _library(ctx)
    if library is None:
        return []
    return [(tag, f"{n} paper{'s' if n != 1 else ''}") for tag, n in tag_counts(*library, incomplete)]


def complete_categories(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Category ids starting with the word typed, each with its title."""
    from litmap.store.names import category_titles

    library = _library(ctx)
    return category_titles(library[0], incomplete) if library else []


def complete_tag_args(ctx: Any, incomplete: str) -> list[Any]:
    """``litmap tag``'s words: citekeys, or ``+TAG``/``-TAG`` once a sign is typed."""
    if incomplete[:1] in ("+", "-"):
        sign = incomplete[0]
        return [(sign + tag, count) for tag, count in complete_tags(ctx, incomplete[1:])]
    return complete_keys(ctx, incomplete)
