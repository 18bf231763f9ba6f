"""Tagging: the tag arguments checked, and ``litmap tag KEY +TAG -TAG`` through the index.

Cheap to import (no model): the commonest curation, one paper tagged, rewrites one file and one
index row without loading pydantic. :mod:`litmap.services.curation` holds the full use case, which
this one hands over to whenever the index cannot answer. Never prints, prompts or exits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from litmap.errors import InvalidValue

_BAD_TAG = re.compile(r"[\s,]")


class Outcome(NamedTuple):
    """What a change did: the papers rewritten, and those already as asked (left untouched)."""

    changed: list[str]
    unchanged: list[str]


class TagRequest:
    """The positional arguments of ``litmap tag``: citekeys, ``+TAG`` to add, ``-TAG`` to remove."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.add: list[str] = []
        self.remove: list[str] = []


def validate_tag(tag: str) -> str:
    """``tag`` stripped; InvalidValue when it is empty or holds whitespace or a comma."""
    tag = tag.strip()
    if not tag:
        raise InvalidValue("empty tag: write +TAG to add a tag and -TAG to remove one")
    if _BAD_TAG.search(tag):
        raise InvalidValue(f"invalid tag {tag!r}: a tag is one word without commas (use - or _ to join words)")
    return tag


def split_tag_args(tokens: Iterable[str]) -> TagRequest:
    """Sort ``litmap tag`` arguments into keys, tags to add (``+TAG``) and to remove (``-TAG``).

    A lone ``-`` stays a key: it stands for the keys read from standard input.
    """
    request = TagRequest()
    for token in tokens:
        if token.startswith("+"):
            request.add.append(validate_tag(token[1:]))
        elif token.startswith("-") and token != "-":
            request.remove.append(validate_tag(token[1:]))
        else:
            request.keys.append(token)
    return request


def checked_request(
    add: Iterable[str], remove: Iterable[str], categorize: Iterable[str] = (), uncategorize: Iterable[str] = ()
) -> tuple[list[str], list[str], list[str], list[str]]:
    """The tags (validated) and categories of a tagging request; InvalidValue for nothing to do, or
    for a tag or category both added and removed."""
    plus_tags, minus_tags = [validate_tag(t) for t in add], [validate_tag(t) for t in remove]
    plus_categories, minus_categories = list(categorize), list(uncategorize)
    if not (plus_tags or minus_tags or plus_categories or minus_categories):
        raise InvalidValue("nothing to do: no tag or category to add or remove")
    for what, plus, minus in (("tag", plus_tags, minus_tags), ("category", plus_categories, minus_categories)):
        both = sorted(v for v in plus if v.casefold() in {m.casefold() for m in minus})
        if both:
            raise InvalidValue(f"{what} {both[0]!r} is both added and removed")
    return plus_tags, minus_tags, plus_categories, minus_categories


def tag_through_index(
    root: Path, read_only: bool, keys: list[str], add: list[str], remove: list[str]
) -> Outcome | None:
    """:func:`~litmap.services.curation.tag_papers` of tags only, through the index (as one atomic
    change, under the library lock); None, with nothing written, when only the full use case can
    do it (a read-only library, an alias, a file the index has not read as it is now, no index)."""
    from litmap.store.index_write import locked_change
    from litmap.store.retag import stage_tags

    add, remove, _, _ = checked_request(add, remove)
    if read_only:
        return None
    with locked_change(root, read_only) as changes:
        staged = stage_tags(root, read_only, keys, add, remove, changes)  # None: nothing staged
    return None if staged is None else Outcome(changed=staged[0], unchanged=staged[1])
