"""Selecting and ordering papers: category (with subcategories), tag, year range, sort order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, TypeVar

from litmap.errors import InvalidValue

if TYPE_CHECKING:  # annotations only: parse_year_range is on search's light start-up path
    from litmap.models import Paper
    from litmap.taxonomy import Taxonomy

SORT_FIELDS = ("key", "year", "title", "author", "added")
_RANGE = re.compile(r"^(\d{4})?\s*(?:\.\.|-)\s*(\d{4})?$")


def parse_year_range(text: str) -> tuple[int | None, int | None]:
    """``2022`` -> (2022, 2022); ``2020..2023`` -> (2020, 2023); open ends: ``2020..``, ``..2019``."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text), int(text)
    match = _RANGE.match(text)
    if not match or not (match.group(1) or match.group(2)):
        raise InvalidValue(f"invalid year or range {text!r}: use 2022, 2020..2023, 2020.. or ..2019")
    low = int(match.group(1)) if match.group(1) else None
    high = int(match.group(2)) if match.group(2) else None
    if low is not None and high is not None and low > high:
        raise InvalidValue(f"invalid year range {text!r}: {low} is after {high}")
    return low, high


def year_in_range(year: int | None, bounds: tuple[int | None, int | None]) -> bool:
    """Whether ``year`` lies within ``bounds`` (a paper without a year never does)."""
    low, high = bounds
    if year is None:
        return False
    return (low is None or year >= low) and (high is None or year <= high)


def select(
    papers: Iterable[Paper],
    taxonomy: Taxonomy,
    *,
    category: str | None = None,
    tags: Iterable[str] = (),
    years: str | None = None,
) -> list[Paper]:
    """Papers in ``category`` or below it, carrying every tag in ``tags``, within ``years``."""
    wanted_categories = set(taxonomy.descendants(category)) if category else None
    wanted_tags = {tag.casefold() for tag in tags}
    bounds = parse_year_range(years) if years else None
    out = []
    for paper in papers:
        if wanted_categories is not None and not wanted_categories.intersection(paper.categories):
            continue
        if wanted_tags and not wanted_tags.issubset(tag.casefold() for tag in paper.tags):
            continue
        if bounds is not None and not year_in_range(paper.year, bounds):
            continue
        out.append(paper)
    return out


class Sortable(Protocol):
    """What sorting needs of a paper (a :class:`~litmap.models.Paper`, or a row of a listing)."""

    @property
    def key(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def first_family(self) -> str: ...
    @property
    def added(self) -> dt.date | str | None: ...


S = TypeVar("S", bound=Sortable)


def sort_papers(papers: Iterable[S], by: str = "key", reverse: bool = False) -> list[S]:
    """Papers sorted by one of :data:`SORT_FIELDS` (ties broken by key)."""
    if by not in SORT_FIELDS:
        raise InvalidValue(f"cannot sort by {by!r}: use one of {', '.join(SORT_FIELDS)}")

    def sort_key(paper: S) -> tuple[object, ...]:
        if by == "year":
            return (paper.year or 0, paper.key)
        if by == "title":
            return (paper.title.lower(), paper.key)
        if by == "author":
            return (paper.first_family.lower(), paper.year or 0, paper.key)
        if by == "added":
            return (str(paper.added) if paper.added else "", paper.key)  # a date's str() is its ISO form
        return (paper.key,)

    return sorted(papers, key=sort_key, reverse=reverse)
