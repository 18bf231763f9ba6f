"""Paper records without the model: field names and order, tags, authors and the panel's categories.

A record is the plain dict a paper file holds and ``--json`` prints (:meth:`litmap.models.Paper.to_json`).
The reading fast paths work on the records the index stores, so nothing here imports pydantic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

CITEKEY_RE = re.compile(r"^[A-Za-z0-9_:\-][A-Za-z0-9_:.\-]*$")
CATEGORY_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Field names of a paper record, in the order they are written.
RECORD_FIELDS = (
    "key",
    "type",
    "title",
    "protected",
    "authors",
    "year",
    "month",
    "released",
    "venue",
    "volume",
    "pages",
    "arxiv",
    "doi",
    "url",
    "categories",
    "tags",
    "note",
    "added",
    "aliases",
    "files",
    "provenance",
)
#: The long free-text field, written last so a file reads metadata first.
TRAILING_FIELDS = ("abstract",)
KNOWN_FIELDS = frozenset(RECORD_FIELDS + TRAILING_FIELDS)


def file_key(key: str) -> bool:
    """Whether ``key`` can name a paper file (``papers/KEY.toml``) as it stands: no path tricks."""
    return bool(CITEKEY_RE.match(key)) and ".." not in key


def one_line(value: str, what: str) -> str:
    """``value`` with its whitespace collapsed; ValueError naming ``what`` if nothing is left."""
    value = " ".join(value.split())
    if not value:
        raise ValueError(f"{what} needs a title")
    return value


def text_or_none(value: Any) -> Any:
    """Optional free text: numbers become text, surrounding whitespace goes, empty becomes None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def unique_tags(tags: Iterable[str]) -> list[str]:
    """``tags`` without repeats, compared case-insensitively: the first spelling of a tag is kept."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def merged_labels(current: list[str], add: Iterable[str], remove: Iterable[str]) -> list[str]:
    """``current`` less ``remove``, plus ``add``; tags (and ids) compare case-insensitively, first spelling kept."""
    dropped = {value.casefold() for value in remove}
    return unique_tags([*(value for value in current if value.casefold() not in dropped), *add])


def author_names(value: str | dict[str, str]) -> tuple[str, str]:
    """(family, given) of an author as a record stores it: ``"Family, Given"`` or a table."""
    if isinstance(value, str):
        family, _, given = value.partition(", ")
        return family, given
    return value["family"], value.get("given", "")


def first_author(families: list[str]) -> str:
    """The first author's family name, ``"et al."`` added for three or more, ``"A & B"`` for two."""
    if not families:
        return ""
    name = families[0]
    return f"{name} et al." if len(families) > 2 else (f"{name} & {families[1]}" if len(families) == 2 else name)


def author_display(value: str | dict[str, str]) -> str:
    """``"Given Family"`` of a record's author, as :attr:`litmap.models.Author.display` reads it."""
    family, given = author_names(value)
    return f"{given} {family}" if given else family


def extra_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The record's fields the model does not know (other BibTeX fields), as ``Paper.extra`` holds them."""
    return {name: value for name, value in record.items() if name not in KNOWN_FIELDS}


def with_field(record: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """``record`` with the known field ``name`` set to ``value`` (left out when empty), in record order."""
    out: dict[str, Any] = {}
    for field in RECORD_FIELDS:
        current = value if field == name else record.get(field)
        if current not in (None, "", []):
            out[field] = current
    out.update(extra_fields(record))
    if record.get("abstract"):
        out["abstract"] = record["abstract"]
    return out
