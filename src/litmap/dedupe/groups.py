"""Grouping every duplicate in a library: which records are one paper, why, and how sure.

The pairs come from the one matcher (:class:`litmap.dedupe.matching.Matcher`); this module joins them into
groups, surest links first, never putting two papers declared distinct into the same group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from litmap.dedupe.matching import DEFAULT_THRESHOLD, Matcher, published_doi
from litmap.models import Paper

if TYPE_CHECKING:
    from litmap.dedupe.distinct import DistinctPairs


@dataclass(frozen=True)
class Link:
    """Two records found to be the same paper: the reason and the score (0-100)."""

    keys: tuple[str, str]
    reason: str
    score: float
    kind: str

    def to_json(self) -> dict[str, Any]:
        """The link as a JSON object."""
        return {"keys": list(self.keys), "reason": self.reason, "score": self.score, "kind": self.kind}


@dataclass(frozen=True)
class DuplicateGroup:
    """Records of one paper: the suggested one to keep first, then the others by key."""

    papers: list[Paper]
    links: list[Link]
    #: Records of possible versions of one work (a preprint and its journal version...): shown, not merged.
    versions: bool = False

    @property
    def keys(self) -> list[str]:
        """The citekeys of the group, the suggested keeper first."""
        return [p.key for p in self.papers]

    @property
    def score(self) -> float:
        """The weakest link's score: how sure the whole group is."""
        return min(link.score for link in self.links)

    def to_json(self) -> dict[str, Any]:
        """The group as a JSON object: keys, score, the keeper a merge would use, and each link."""
        return {
            "keys": self.keys,
            "score": self.score,
            "keep": self.papers[0].key,
            "versions": self.versions,
            "links": [link.to_json() for link in self.links],
        }


def completeness(paper: Paper) -> tuple[int, int, int]:
    """How complete a record is: a published DOI or venue, filled fields, labels (higher is more complete)."""
    filled = sum(1 for value in paper.to_record().values() if value not in (None, "", []))
    published = 1 if published_doi(paper) or (paper.venue and "arxiv" not in paper.venue.lower()) else 0
    return (published, filled, len(paper.categories) + len(paper.tags))


def suggest_keep(papers: Sequence[Paper]) -> Paper:
    """The record a merge should keep: the most complete one (ties: the first key in sort order)."""
    return sorted(papers, key=lambda p: (tuple(-x for x in completeness(p)), p.key))[0]


class _Groups:
    """Union-find over citekeys that refuses to join papers declared distinct."""

    def __init__(self, distinct: DistinctPairs | None) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.distinct = distinct
        self.papers: dict[str, Paper] = {}

    def root(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def add(self, paper: Paper) -> None:
        if paper.key not in self.parent:
            self.parent[paper.key] = paper.key
            self.members[paper.key] = {paper.key}
            self.papers[paper.key] = paper

    def union(self, one: str, other: str) -> bool:
        a, b = self.root(one), self.root(other)
        if a == b:
            return True
        if self.distinct is not None and len(self.distinct):
            papers_a = [self.papers[k] for k in self.members[a]]
            if any(self.distinct.contains(p, self.papers[k]) for p in papers_a for k in self.members[b]):
                return False
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] |= self.members.pop(b)
        return True


def group_links(
    pairs: Iterable[tuple[Paper, Paper, Link]], distinct: DistinctPairs | None = None, versions: bool = False
) -> list[DuplicateGroup]:
    """Join links into groups, surest first; a link that would join distinct papers is dropped."""
    groups = _Groups(distinct)
    accepted: list[Link] = []
    for one, other, link in sorted(pairs, key=lambda t: (-t[2].score, t[2].keys)):
        groups.add(one)
        groups.add(other)
        if groups.union(one.key, other.key):
            accepted.append(link)
    links_of: dict[str, list[Link]] = {}
    for link in accepted:
        links_of.setdefault(groups.root(link.keys[0]), []).append(link)
    result = []
    for root, links in links_of.items():
        members = [groups.papers[k] for k in groups.members[root]]
        keep = suggest_keep(members)
        ordered = [keep, *sorted((p for p in members if p is not keep), key=lambda p: p.key)]
        result.append(DuplicateGroup(ordered, sorted(links, key=lambda link: link.keys), versions))
    result.sort(key=lambda g: (-g.score, g.keys[0]))
    return result


def find_duplicates(
    papers: Iterable[Paper],
    distinct: DistinctPairs | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[DuplicateGroup]:
    """Every group of records in ``papers`` that are one paper, surest groups first; then the groups
    of possible versions of one work (``versions``), which a merge leaves alone."""
    from litmap.collector import collector_paused

    with collector_paused():
        matcher = Matcher(papers, distinct=distinct, threshold=threshold)
        links = []
        for paper, match in matcher.pairs():
            first, second = sorted((paper.key, match.existing.key))
            links.append((paper, match.existing, Link((first, second), match.reason, match.score, match.kind)))
    same = [link for link in links if link[2].kind != "version"]
    versions = [link for link in links if link[2].kind == "version"]
    return group_links(same, distinct) + group_links(versions, distinct, versions=True)
