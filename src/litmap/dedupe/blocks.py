"""The look-up blocks of the :class:`~litmap.dedupe.matching.Matcher`: the papers sharing a title word
or a first author, and which of them have a title near a new one's (rapidfuzz).

A big block also keeps its papers by year: a paper of a year more than ``year_gap`` from the new
one's (both known) can never be a title match, so only the years that can are scanned (and the
papers without a year). Either way the answer lists every paper scanned whose title scores at
least the cutoff, surest first, then in the order the papers came in.

rapidfuzz scans strings that lie together in memory (made one after the other) several times
faster than strings spread over the heap as the papers came in, so the strings of a big part are
copied together once it is big, and again each time it has doubled since.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cache, partial

#: A block of this many papers is scanned by year (fewer: at once, one call being cheaper than several).
SPLIT_BLOCK = 64
#: A part of this many papers is scanned from copies of its titles made together.
COMPACT_PART = 64


class _Part:
    """Papers (their indexes) and the title words of each, in the order they came in."""

    __slots__ = ("_together", "contents", "indexes")

    def __init__(self) -> None:
        self.indexes: list[int] = []
        self.contents: list[str] = []
        self._together = 0

    def choices(self) -> list[str]:
        """The title words of the papers, copied together first when there are many new ones."""
        if len(self.contents) >= COMPACT_PART and len(self.contents) >= 2 * self._together:
            copies = "\0".join(self.contents).split("\0")  # no NUL in a title's words (fold_text)
            if len(copies) == len(self.contents):
                self.contents = copies
            self._together = len(self.contents)
        return self.contents


class Block(_Part):
    """The papers sharing one title word (or one first author), in the order they came in, with
    their years; once it is big, also by year."""

    __slots__ = ("_by_year", "_parted", "years")

    def __init__(self) -> None:
        super().__init__()
        self.years: list[int | None] = []
        self._by_year: dict[int | None, _Part] = {}
        self._parted = 0

    def add(self, index: int, content: str, year: int | None) -> None:
        self.indexes.append(index)
        self.contents.append(content)
        self.years.append(year)

    def near_ones(self, content: str, cutoff: float, year: int | None, year_gap: int) -> list[int]:
        """Indexes of the papers whose contents score at least ``cutoff`` against ``content``, surest
        first, then in the order they came in. A big block leaves out the papers of a year more than
        ``year_gap`` from ``year`` (both known)."""
        return near_in([self], content, cutoff, year, year_gap)[0]

    def parts(self, year: int | None, year_gap: int) -> list[_Part]:
        """What to scan for a paper of ``year``: the whole block, or (a big one) the parts of the
        years within ``year_gap`` of it and of no year."""
        if year is None or len(self.indexes) < SPLIT_BLOCK:
            return [self]
        self._part_by_year()
        found = (self._by_year.get(near) for near in (None, *range(year - year_gap, year + year_gap + 1)))
        return [part for part in found if part is not None]

    def _part_by_year(self) -> None:
        """File the papers that came in since the last call under their years."""
        for position in range(self._parted, len(self.indexes)):
            part = self._by_year.get(self.years[position])
            if part is None:
                part = self._by_year[self.years[position]] = _Part()
            part.indexes.append(self.indexes[position])
            part.contents.append(self.contents[position])
        self._parted = len(self.indexes)


def near_in(blocks: Sequence[Block], content: str, cutoff: float, year: int | None, year_gap: int) -> list[list[int]]:
    """:meth:`Block.near_ones` of each of ``blocks``, all scanned in one rapidfuzz call (a call costs
    as much as scanning a dozen titles, and a look-up scans several small parts)."""
    choices: list[str] = []
    starts: list[int] = []
    owners: list[tuple[int, list[int]]] = []
    for number, block in enumerate(blocks):
        for part in block.parts(year, year_gap):
            starts.append(len(choices))
            owners.append((number, part.indexes))
            choices += part.choices()
    hits: list[list[tuple[float, int]]] = [[] for _ in blocks]
    if choices:
        for _choice, score, position in _extractor()(content, choices, score_cutoff=cutoff):
            at = bisect_right(starts, position) - 1
            number, indexes = owners[at]
            hits[number].append((-score, indexes[position - starts[at]]))
    return [[index for _score, index in sorted(found)] for found in hits]


@cache
def _extractor() -> Callable[..., list[tuple[str, float, int]]]:
    """``rapidfuzz.process.extract`` by ratio, every choice at or above ``score_cutoff``: (choice, score,
    position), best first, then by position."""
    from rapidfuzz import process
    from rapidfuzz.fuzz import ratio

    return partial(process.extract, scorer=ratio, limit=None)
