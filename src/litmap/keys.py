"""The citekey scheme: the one place where keys for new papers are made.

Default pattern ``{author}{year}{word}``: the first author's family name, the year, and the first
significant word of the title, all lower-case ASCII letters and digits (``elhage2022toy``).
A paper with no year leaves it out (``doepress``); one with no author starts with ``anon``.
A key already taken gets a letter suffix: ``elhage2022toyb``, ``elhage2022toyc``, ...
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Container
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litmap.models import Paper

DEFAULT_PATTERN = "{author}{year}{word}"

#: Key of a paper until a library gives it one (fetched, parsed from BibTeX; no real key looks like it).
PLACEHOLDER_KEY = ":new:"

STOPWORDS = frozenset(
    (
        "a an the and or but of on in at to for from by with without into onto over under via as is are"
        " be do does did how what why when where which who whose can we our its it this that these those"
        " toward towards"
    ).split()
)


_NOT_SLUG = re.compile(r"[^a-z0-9]")
_WORD_BREAK = re.compile(r"[\s/]+")


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (accents transliterated: Gödel -> godel)."""
    if not text.isascii():  # anyascii keeps ASCII as it is
        from anyascii import anyascii

        text = anyascii(text)
    return _NOT_SLUG.sub("", text.lower())


def first_significant_word(title: str) -> str:
    """The first title word that is not a stop word, as an ASCII slug (``In-context`` -> incontext)."""
    first = ""
    for word in _WORD_BREAK.split(title):
        slug = ascii_slug(word)
        if slug and slug not in STOPWORDS:
            return slug
        first = first or slug
    return first or "untitled"


def base_key(paper: Paper, pattern: str = DEFAULT_PATTERN) -> str:
    """The key ``pattern`` gives ``paper``, before disambiguation."""
    author = ascii_slug(paper.authors[0].family) if paper.authors else ""
    fields = {
        "author": author or "anon",
        "year": str(paper.year) if paper.year else "",
        "word": first_significant_word(paper.title),
    }
    try:
        key = pattern.format_map(fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"invalid citekey pattern {pattern!r}: use {{author}}, {{year}}, {{word}}") from exc
    return re.sub(r"[^A-Za-z0-9_:.\-]", "", key) or "paper"


def _suffixes() -> list[str]:
    letters = list(string.ascii_lowercase[1:])
    return letters + [a + b for a in string.ascii_lowercase for b in string.ascii_lowercase]


def make_key(
    paper: Paper,
    taken: Container[str] | Callable[[str], bool],
    pattern: str = DEFAULT_PATTERN,
) -> str:
    """A key for ``paper`` that is not ``taken`` (a set of keys, or a predicate)."""
    is_taken = taken if callable(taken) else taken.__contains__
    key = base_key(paper, pattern)
    if not is_taken(key):
        return key
    for suffix in _suffixes():
        if not is_taken(key + suffix):
            return key + suffix
    raise ValueError(f"no free citekey left for {key!r}")
