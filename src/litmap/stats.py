"""Counts over a library: papers per category (directly and in the subtree)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from litmap.models import Paper
from litmap.taxonomy import Taxonomy


@dataclass
class CategoryCount:
    """Papers filed directly in a category, and distinct papers in its whole subtree."""

    direct: int = 0
    subtree: int = 0


def category_counts(papers: Iterable[Paper], taxonomy: Taxonomy) -> dict[str, CategoryCount]:
    """Paper counts for every category of ``taxonomy``."""
    papers = list(papers)
    counts = {c.id: CategoryCount() for c in taxonomy}
    members: dict[str, set[str]] = {c.id: set() for c in taxonomy}
    for paper in papers:
        for category_id in paper.categories:
            if category_id in counts:
                counts[category_id].direct += 1
                for ancestor in taxonomy.path(category_id):
                    members[ancestor.id].add(paper.key)
    for category_id, keys in members.items():
        counts[category_id].subtree = len(keys)
    return counts
