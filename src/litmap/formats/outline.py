"""The reading list's shape, shared by the page formats (Markdown, HTML).

Which category heads the page (the ``--category`` asked for, else the taxonomy's single root),
its sections in taxonomy order, each category's papers in reading order (year, first author,
key), and the papers no category of the taxonomy holds. Pure functions over models.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from litmap.models import Category, Paper
from litmap.taxonomy import Taxonomy

UNCATEGORISED = "Uncategorised"


@dataclass(frozen=True)
class Page:
    """What the page shows: its title and introduction, the top category (None: whole taxonomy)."""

    title: str
    introduction: str | None
    root: Category | None


def page_of(taxonomy: Taxonomy, name: str, description: str | None, category: str | None) -> Page:
    """The page for ``category`` (its subtree), else the single root, else the whole library."""
    if category:
        root = taxonomy.get(category)
        return Page(root.title, root.description, root)
    roots = taxonomy.roots()
    if len(roots) == 1:
        return Page(roots[0].title, roots[0].description, roots[0])
    return Page(name, description, None)


def sections_of(taxonomy: Taxonomy, page: Page) -> list[Category]:
    """The page's sections: the children of its root category, or every top-level category."""
    return taxonomy.children(page.root.id) if page.root else taxonomy.roots()


def subtree(taxonomy: Taxonomy, category: Category) -> list[Category]:
    """``category`` and everything below it, in tree order."""
    return [taxonomy.get(cid) for cid in taxonomy.descendants(category.id)]


def papers_by_category(papers: Iterable[Paper]) -> dict[str, list[Paper]]:
    """Category id -> its papers in reading order (a paper in several categories is in each)."""
    grouped: dict[str, list[Paper]] = {}
    for paper in papers:
        for category in paper.categories:
            grouped.setdefault(category, []).append(paper)
    return {category: reading_order(listed) for category, listed in grouped.items()}


def uncategorised(papers: Sequence[Paper], taxonomy: Taxonomy, category: str | None) -> list[Paper]:
    """Papers in no category of the taxonomy, in reading order (none when the page is one category)."""
    if category:
        return []
    return reading_order(p for p in papers if not any(c in taxonomy for c in p.categories))


def reading_order(papers: Iterable[Paper]) -> list[Paper]:
    """Papers by year, then first author, then key: the order a list shows them in."""
    return sorted(papers, key=lambda p: (p.year or 0, p.authors[0].family.lower() if p.authors else "", p.key))


def paper_link(paper: Paper) -> str | None:
    """Where the title links: the URL, else the DOI, else the arXiv page."""
    target = paper.url
    if not target and paper.doi:
        target = f"https://doi.org/{paper.doi}"
    if not target and paper.arxiv:
        target = f"https://arxiv.org/abs/{paper.arxiv}"
    if not target:
        return None
    return re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group(0)):02X}", target)
