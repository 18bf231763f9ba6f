"""Counts over a library: papers per category (directly and in the subtree), year, tag and venue,
and the papers that lack key metadata."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from litmap.models import Paper, unique_tags
from litmap.taxonomy import Taxonomy


@dataclass
class CategoryCount:
    """Papers filed directly in a category, and distinct papers in its whole subtree."""

    direct: int = 0
    subtree: int = 0


def category_counts(papers: Iterable[Paper], taxonomy: Taxonomy) -> dict[str, CategoryCount]:
    """Paper counts for every category of ``taxonomy``."""
    counts = {c.id: CategoryCount() for c in taxonomy}
    members: dict[str, set[str]] = {c.id: set() for c in taxonomy}
    lineage = {c.id: [a.id for a in taxonomy.path(c.id)] for c in taxonomy}  # once, not once per paper
    for paper in papers:
        for category_id in paper.categories:
            if category_id in counts:
                counts[category_id].direct += 1
                for ancestor_id in lineage[category_id]:
                    members[ancestor_id].add(paper.key)
    for category_id, keys in members.items():
        counts[category_id].subtree = len(keys)
    return counts


#: What ``litmap stats`` counts as missing, and how each is tested.
MISSING_CHECKS: dict[str, Callable[[Paper], bool]] = {
    "authors": lambda p: not p.authors,
    "year": lambda p: p.year is None,
    "doi_or_arxiv": lambda p: not p.doi and not p.arxiv,
    "abstract": lambda p: not p.abstract,
}


@dataclass
class CategoryRow:
    """One line of the per-category table: where the category sits and how many papers it holds."""

    id: str
    title: str
    parent: str | None
    depth: int
    direct: int
    subtree: int


@dataclass
class LibraryStats:
    """The picture a curator wants at a glance (see :func:`library_stats`)."""

    papers: int
    categories: list[CategoryRow]
    uncategorised: list[str]
    years: dict[int, int]
    no_year: int
    tags: list[tuple[str, int]]
    venues: list[tuple[str, int]]
    no_venue: int
    missing: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape ``litmap stats --json`` prints)."""
        return {
            "papers": self.papers,
            "categories": [
                {
                    "id": row.id,
                    "title": row.title,
                    "parent": row.parent,
                    "depth": row.depth,
                    "papers": row.direct,
                    "papers_in_subtree": row.subtree,
                }
                for row in self.categories
            ],
            "uncategorised": len(self.uncategorised),
            "years": [{"year": year, "papers": count} for year, count in self.years.items()],
            "no_year": self.no_year,
            "tags": [{"tag": tag, "papers": count} for tag, count in self.tags],
            "venues": [{"venue": venue, "papers": count} for venue, count in self.venues],
            "no_venue": self.no_venue,
            "missing": {name: {"papers": len(keys), "keys": keys} for name, keys in self.missing.items()},
        }


def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    """Counts, most frequent first, ties by name (case-insensitive)."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0].lower(), item[0]))


def tag_counts(papers: Iterable[Paper]) -> list[tuple[str, int]]:
    """Every tag in use with the number of papers carrying it, most used first."""
    counts = Counter(tag for paper in papers for tag in unique_tags(paper.tags))
    spelled: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for tag, count in counts.most_common():  # one tag whatever its case, spelled as most papers spell it
        spelling.setdefault(tag.casefold(), tag)
        spelled[spelling[tag.casefold()]] += count
    return ranked(spelled)


def library_stats(papers: Iterable[Paper], taxonomy: Taxonomy) -> LibraryStats:
    """Counts per category, year, tag and venue, and which papers lack key metadata."""
    papers = list(papers)
    counts = category_counts(papers, taxonomy)
    rows = [
        CategoryRow(c.id, c.title, c.parent, taxonomy.depth(c.id), counts[c.id].direct, counts[c.id].subtree)
        for c in taxonomy
    ]
    years = Counter(p.year for p in papers if p.year is not None)
    venues = Counter(p.venue for p in papers if p.venue)
    return LibraryStats(
        papers=len(papers),
        categories=rows,
        uncategorised=[p.key for p in papers if not p.categories],
        years=dict(sorted(years.items())),
        no_year=sum(1 for p in papers if p.year is None),
        tags=tag_counts(papers),
        venues=ranked(venues),
        no_venue=sum(1 for p in papers if not p.venue),
        missing={name: [p.key for p in papers if lacks(p)] for name, lacks in MISSING_CHECKS.items()},
    )
