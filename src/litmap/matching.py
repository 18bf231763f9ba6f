"""The one duplicate matcher, used by ``dedupe``, ``add`` and ``import``.

Find whether a paper is already in a collection: same arXiv id (any version, or arXiv's DataCite
DOI), same DOI (case-insensitive), same normalised title. (The dedupe work extends this with
fuzzy title matching confirmed by authors and years; the interface stays.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from litmap.identifiers import arxiv_id_from_doi, doi_match_key
from litmap.models import Paper


@dataclass(frozen=True)
class Match:
    """An existing paper that ``candidate`` duplicates, why, and how sure (0-100)."""

    existing: Paper
    reason: str
    score: float


def normalize_title(title: str) -> str:
    """Title reduced for comparison: case, accents, LaTeX braces, punctuation and spaces folded."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\\[a-zA-Z]+\s*", "", text)
    text = re.sub(r"[^\w\s]|_", " ", text.casefold())
    return " ".join(text.split())


def arxiv_of(paper: Paper) -> str | None:
    """The paper's arXiv id, from its ``arxiv`` field or arXiv's DataCite DOI."""
    if paper.arxiv:
        return paper.arxiv
    return arxiv_id_from_doi(paper.doi) if paper.doi else None


class Matcher:
    """An index of papers answering "is this one already here?"."""

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._by_arxiv: dict[str, Paper] = {}
        self._by_doi: dict[str, Paper] = {}
        self._by_title: dict[str, Paper] = {}
        for paper in papers:
            self.add(paper)

    def add(self, paper: Paper) -> None:
        """Index ``paper`` so later look-ups find it."""
        arxiv = arxiv_of(paper)
        if arxiv:
            self._by_arxiv.setdefault(arxiv, paper)
        if paper.doi and not arxiv_id_from_doi(paper.doi):
            self._by_doi.setdefault(doi_match_key(paper.doi), paper)
        self._by_title.setdefault(normalize_title(paper.title), paper)

    def find(self, candidate: Paper) -> Match | None:
        """The indexed paper ``candidate`` duplicates, or None."""
        arxiv = arxiv_of(candidate)
        if arxiv and arxiv in self._by_arxiv:
            return Match(self._by_arxiv[arxiv], f"same arXiv id {arxiv}", 100.0)
        if candidate.doi and doi_match_key(candidate.doi) in self._by_doi:
            return Match(self._by_doi[doi_match_key(candidate.doi)], f"same DOI {candidate.doi}", 100.0)
        title = normalize_title(candidate.title)
        if title in self._by_title:
            return Match(self._by_title[title], "same title", 95.0)
        return None
