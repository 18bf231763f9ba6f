"""BibTeX name lists in: ``"Müller, Jörg and van der Berg, Anna and {OpenAI}"`` to authors. Pure, no I/O.

A name list is split on ``and`` outside braces; each name is read by bibtexparser's name parser
(von, last, jr, first) and its parts decoded from LaTeX (``latex_text``). The same name comes back
in many entries of a file (and authors are immutable), so each name is read once per process.
"""

from __future__ import annotations

import re
from functools import lru_cache

from litmap.formats.latex_text import latex_to_text, squash
from litmap.models import Author

_WORD = re.compile(r"\S+")


def split_names(value: str) -> list[str]:
    """The names of a BibTeX name list: split on ``and`` outside braces (any case)."""
    names: list[str] = []
    depth = 0
    start = 0
    for word in _WORD.finditer(value):
        token = word.group(0)
        if depth == 0 and token.lower() == "and":
            names.append(value[start : word.start()])
            start = word.end()
        depth += token.count("{") - token.count("}")
    names.append(value[start:])
    return [squash(name) for name in names if name.strip()]


def parse_names(value: str) -> list[Author]:
    """BibTeX names (``"Müller, Jörg and van der Berg, Anna and {OpenAI}"``) as authors."""
    authors: list[Author] = []
    for name in split_names(value):
        author = parse_name(name)
        if author is not None:
            authors.append(author)
    return authors


@lru_cache(maxsize=65536)
def parse_name(name: str) -> Author | None:
    """One name of a name list as an author (None when it gives no name); ValueError when it cannot be one."""
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except InvalidNameError:
        return Author.parse(latex_to_text(name))
    family = _decoded(parts.von + parts.last)
    if parts.jr:
        family = f"{family}, {_decoded(parts.jr)}"
    given = _decoded(parts.first)
    if not family:
        family, given = given, ""
    return Author(family=family, given=given) if family else None


def _decoded(words: list[str]) -> str:
    return latex_to_text(" ".join(words))
