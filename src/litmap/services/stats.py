"""Counts over a library: papers per category (directly and in the subtree), year, tag and venue,
and the papers that lack key metadata."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from litmap.records import unique_tags

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.taxonomy import Taxonomy

#: A category as :meth:`~litmap.taxonomy.Taxonomy.tree_rows` gives it: id, title, parent, path of ids.
TreeRow = tuple[str, str, "str | None", list[str]]


class Filed(Protocol):
    """What counting needs of a paper (a :class:`~litmap.models.Paper`, or its :class:`Facts`)."""

    @property
    def key(self) -> str: ...

    @property
    def categories(self) -> list[str]: ...

    @property
    def tags(self) -> list[str]: ...


@dataclass(frozen=True)
class Facts:
    """What ``litmap stats`` counts of one paper (read from the index: no model needed)."""

    key: str
    year: int | None
    categories: list[str]
    tags: list[str]
    venue: str | None
    authors: bool
    doi_or_arxiv: bool
    abstract: bool

    @classmethod
    def of_paper(cls, paper: Paper) -> Facts:
        """The facts of a paper model (the index gives the same from its columns)."""
        return cls(
            paper.key,
            paper.year,
            paper.categories,
            paper.tags,
            paper.venue,
            bool(paper.authors),
            bool(paper.doi or paper.arxiv),
            bool(paper.abstract),
        )


@dataclass
class CategoryCount:
    """Papers filed directly in a category, and distinct papers in its whole subtree."""

    direct: int = 0
    subtree: int = 0


def category_counts(papers: Iterable[Filed], taxonomy: Taxonomy) -> dict[str, CategoryCount]:
    """Paper counts for every category of ``taxonomy``."""
    return counts_in_tree(papers, taxonomy.tree_rows())


def counts_in_tree(papers: Iterable[Filed], tree: list[TreeRow]) -> dict[str, CategoryCount]:
    """Paper counts for every category of the tree ``tree`` (:meth:`~litmap.taxonomy.Taxonomy.tree_rows`)."""
    counts = {row[0]: CategoryCount() for row in tree}
    members: dict[str, set[str]] = {row[0]: set() for row in tree}
    lineage = {row[0]: row[3] for row in tree}
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
MISSING_CHECKS: dict[str, Callable[[Facts], bool]] = {
    "authors": lambda p: not p.authors,
    "year": lambda p: p.year is None,
    "doi_or_arxiv": lambda p: not p.doi_or_arxiv,
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


def tag_counts(papers: Iterable[Filed]) -> list[tuple[str, int]]:
    """Every tag in use with the number of papers carrying it, most used first."""
    counts = Counter(tag for paper in papers for tag in unique_tags(paper.tags))
    spelled: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for tag, count in counts.most_common():  # one tag whatever its case, spelled as most papers spell it
        spelling.setdefault(tag.casefold(), tag)
        spelled[spelling[tag.casefold()]] += count
    return ranked(spelled)


def library_stats(papers: Iterable[Facts], tree: list[TreeRow]) -> LibraryStats:
    """Counts per category, year, tag and venue, and which papers lack key metadata (papers by key;
    ``tree``: the categories, :meth:`~litmap.taxonomy.Taxonomy.tree_rows`)."""
    papers = list(papers)
    counts = counts_in_tree(papers, tree)
    rows = [
        CategoryRow(cid, title, parent, len(lineage) - 1, counts[cid].direct, counts[cid].subtree)
        for cid, title, parent, lineage in tree
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


def facts_by_key(facts: Iterable[Facts]) -> list[Facts]:
    """Papers' facts (in file order) by key, sorted: of two files holding one key the later counts,
    as when the library reads its papers."""
    return sorted({f.key: f for f in facts}.values(), key=lambda f: f.key)
