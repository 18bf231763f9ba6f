"""The matcher's look-up blocks (scanned by year once big, from strings copied together) find what a
plain scan of every block finds: the same matches, in the same order."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import process
from rapidfuzz.fuzz import ratio

from litmap.dedupe import blocks
from litmap.dedupe.matching import PREFILTER_SLACK, Match, Matcher, features
from litmap.keys import STOPWORDS
from litmap.models import Paper

WORDS = "sparse circuits attention probing features toy models superposition grokking lottery".split()
PEOPLE = ["Elhage, Nelson", "Olah, Chris", "Nanda, Neel", "Kim, Been", "Li, Kenneth", "Wang, Kevin"]


class PlainMatcher(Matcher):
    """The matcher as it was: every block scanned whole, in one call."""

    def _candidates(self, entry):  # type: ignore[no-untyped-def]
        self._index_blocks()
        seen: set[int] = set()
        exact = [
            *(self._by_arxiv.get(entry.arxiv, ()) if entry.arxiv else ()),
            *(self._by_doi.get(entry.doi, ()) if entry.doi else ()),
            *self._by_title.get(entry.compact, ()),
        ]
        words = sorted(
            (w for w in set(entry.words) if w in self._by_word and w not in STOPWORDS),
            key=lambda w: (len(self._by_word[w].indexes), w),
        )
        found = [self._by_word[w] for w in words[:3]]
        if entry.first_author in self._by_author:
            found.append(self._by_author[entry.first_author])
        cutoff = self.threshold - PREFILTER_SLACK
        scanned = [scan(entry.content, block.indexes, list(block.contents), cutoff) for block in found]
        for index in [*exact, *(i for hits in scanned for i in hits)]:
            if index not in seen:
                seen.add(index)
                yield index


def scan(content: str, indexes: list[int], contents: list[str], cutoff: float) -> list[int]:
    hits = process.extract(content, contents, scorer=ratio, score_cutoff=cutoff, limit=None)
    return [indexes[position] for _choice, _score, position in hits]


def library(seed: int, size: int) -> list[Paper]:
    """Papers with titles from a small vocabulary (big blocks), near-copies, years near and far, or none."""
    rng = random.Random(seed)
    papers: list[Paper] = []
    for number in range(size):
        if papers and rng.random() < 0.3:  # a near-copy of an earlier paper: a typo, another year
            base = rng.choice(papers)
            title = base.title.replace("s", "z", 1) if rng.random() < 0.5 else base.title + " revisited"
            year = None if rng.random() < 0.1 else (base.year or 2000) + rng.choice([-3, -2, -1, 0, 1, 2, 3])
            authors = [a.as_text() for a in base.authors]
        else:
            title = " ".join(rng.sample(WORDS, rng.randint(2, 5))).capitalize()
            year = None if rng.random() < 0.1 else rng.randint(1995, 2025)
            authors = rng.sample(PEOPLE, rng.randint(0, 3))
        papers.append(Paper(key=f"p{number}", title=title, year=year, authors=authors))  # type: ignore[arg-type]
    return papers


def described(matches: list[Match]) -> list[tuple[str, str, float, str]]:
    return [(m.existing.key, m.reason, m.score, m.kind) for m in matches]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_blocks_find_what_a_plain_scan_finds(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "SPLIT_BLOCK", 8)  # small blocks too are scanned by year
    monkeypatch.setattr(blocks, "COMPACT_PART", 4)
    quick, plain = Matcher(), PlainMatcher()
    assert quick._candidates.__qualname__ != plain._candidates.__qualname__
    found = 0
    for paper in library(seed, 600):  # as an import does: look each paper up, then add it
        entry = features(paper)
        expected = described(plain.find_all(paper, entry))
        assert described(quick.find_all(paper, entry)) == expected
        found += bool(expected)
        quick.add(paper, entry)
        plain.add(paper, entry)
    assert found > 50  # near-copies were found: the comparison is not between two empty lists
    assert max(len(b.indexes) for b in quick._by_word.values()) > 100  # blocks were big, and split


def test_a_block_copies_its_titles_together_and_keeps_them() -> None:
    block = blocks.Block()
    for index in range(200):
        block.add(index, f"title {index % 7} words", 2000 + index % 9)
    before = list(block.contents)
    near = block.near_ones("title 3 words", 70.0, 2004, 2)
    assert block.contents == before and block._parted == 200
    assert set(near) == {i for i in range(200) if abs(2000 + i % 9 - 2004) <= 2}
    assert near[: len([i for i in near if i % 7 == 3])] == sorted(i for i in near if i % 7 == 3)  # exact first
