"""The cheap screens of :meth:`~litmap.dedupe.matching.Matcher.pairs`: which pairs of a whole library
are worth the full rule (:func:`~litmap.dedupe.matching.compare`).

A pair that shares no arXiv id or DOI is the same paper only if neither its years (more than
``MAX_YEAR_GAP`` apart) nor the numbers of its titles contradict it. :func:`screen_keys` folds both
into one number per paper, so that a pair whose numbers lie more than the gap apart is contradicted:
such a pair is left out before its titles are scored (most neighbours in a sorted order of titles
are of other years), and before it is compared. Leaving them out changes no answer: every pair the
rule would accept is still scored and compared.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, compress, repeat
from typing import Protocol


class Screened(Protocol):
    """What :func:`screen_keys` reads of a paper's features (:class:`~litmap.dedupe.matching.Features`)."""

    @property
    def year(self) -> int | None: ...

    @property
    def numbers(self) -> tuple[str, ...]: ...


#: The keys of papers of different title numbers lie at least this far apart (far more than any year gap).
_NUMBERS_SPACING = 1_000_000.0
#: Years further than this from 0 are not screened (they would blur with the numbers' spacing).
_YEAR_LIMIT = 100_000


def screen_keys(entries: Sequence[Screened], exempt: Iterable[int] = ()) -> list[float]:
    """One number per paper: two papers whose numbers lie more than the year gap apart have years
    too far apart or titles of other numbers (``Part 1`` and ``Part 2``). NaN (never apart) for a
    paper without a year and for the papers ``exempt`` (their identifiers may still match)."""
    codes: dict[tuple[str, ...], int] = {}
    keys = [
        math.nan
        if e.year is None or abs(e.year) >= _YEAR_LIMIT
        else codes.setdefault(e.numbers, len(codes)) * _NUMBERS_SPACING + e.year
        for e in entries
    ]
    for index in exempt:
        keys[index] = math.nan
    return keys


def apart(keys: Sequence[float], one: int, other: int, gap: int) -> bool:
    """Whether the papers ``one`` and ``other`` are contradicted by their :func:`screen_keys`."""
    return abs(keys[one] - keys[other]) > gap


def neighbour_pairs(
    texts: list[str], orders: list[list[str]], keys: list[float], threshold: float, window: int, gap: int
) -> Iterator[int]:
    """Pairs of records within ``window`` of each other in the sorted order of any of ``orders``
    whose titles (``texts``) are close: the character-level or the word-level rapidfuzz ratio
    reaches ``threshold``. Pairs whose ``keys`` lie more than ``gap`` apart are left out unscored.
    Each pair ``(one, other)``, ``one < other``, is coded as ``one * len(texts) + other`` (made in
    C: there are hundreds of thousands at 100k papers)."""
    from rapidfuzz.fuzz import ratio

    reaches = float(threshold).__le__  # ratio without a score_cutoff, then compared: faster in bulk
    too_far = float(gap).__lt__  # NaN is never too far

    def close(ones: Iterable[str], others: Iterable[str]) -> Iterator[bool]:
        return map(reaches, map(ratio, ones, others))

    words = _word_codes(texts)
    size = repeat(len(texts))
    for key in orders:
        order = sorted(range(len(texts)), key=key.__getitem__)
        by_text, by_words, by_key = [texts[i] for i in order], [words[i] for i in order], [keys[i] for i in order]
        for step in range(1, window + 1):
            gaps = map(abs, map(operator.sub, by_key, by_key[step:]))
            near = list(compress(range(len(by_key) - step), map(operator.not_, map(too_far, gaps))))
            text_close = list(close(map(by_text.__getitem__, near), map(by_text.__getitem__, map(step.__add__, near))))
            # The word-level ratio only where the character-level one did not already pass.
            others = list(compress(near, map(operator.not_, text_close)))
            word_close = close(map(by_words.__getitem__, others), map(by_words.__getitem__, map(step.__add__, others)))
            positions = list(chain(compress(near, text_close), compress(others, word_close)))
            ones = list(map(order.__getitem__, positions))
            twos = list(map(order.__getitem__, map(step.__add__, positions)))
            yield from map(operator.add, map(operator.mul, map(min, ones, twos), size), map(max, ones, twos))


def _word_codes(texts: list[str]) -> list[str]:
    """Each text as a string of one character per word (the same word, the same character), so a
    word-level ratio runs as fast as a character-level one."""
    codes: dict[str, str] = {}

    def code(word: str) -> str:
        if word not in codes:
            number = 0x100 + len(codes)
            codes[word] = chr(number if number < 0xD800 else number + 0x800)
        return codes[word]

    return ["".join(map(code, text.split())) for text in texts]
