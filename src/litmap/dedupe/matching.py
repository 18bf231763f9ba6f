"""The one duplicate matcher, used by ``dedupe``, ``add`` and ``import``.

Two records are the same paper when they share an arXiv id (any version; arXiv's DataCite DOI
``10.48550/arXiv.<id>`` counts as that id), a DOI (case-insensitive), a normalised title (case,
punctuation, LaTeX braces and accents, Unicode forms and whitespace folded), or a near-identical
title (:func:`title_similarity`, less a penalty as fewer authors agree, at least the threshold).
Title matches must be confirmed: the authors agree,
the years are at most :data:`MAX_YEAR_GAP` apart, and nothing contradicts them (two different DOIs
or arXiv ids, different numbers in the titles: "Part 1" is not "Part 2"). Short generic titles
("Introduction", "Attention") match only an identical title by the same authors in the same year.

Nothing compares all pairs. :meth:`Matcher.find` (one new paper against a library) looks up exact
keys, then scores only papers sharing one of the new title's rarest words or its first author.
:meth:`Matcher.pairs` (a whole library) groups exact keys, then scores neighbours in several sorted
orders of the titles (sorted neighbourhood), and confirms the few that pass with :func:`compare`.
Both end in :func:`compare`, the one rule for a pair.

A title match between records of two kinds of version (:func:`version_kind`: a preprint and its
journal version, a tech report or thesis and the paper, a workshop and a conference version) is a
``version`` match: ``import`` keeps both and says so, ``dedupe`` lists them apart and does not merge them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from litmap.dedupe.blocks import Block, near_in
from litmap.identifiers import arxiv_id_from_doi, doi_match_key
from litmap.keys import STOPWORDS
from litmap.models import Author, Paper

if TYPE_CHECKING:
    from litmap.dedupe.distinct import DistinctPairs

#: Default minimum score (0-100) of a fuzzy match: the title similarity less the author penalty.
DEFAULT_THRESHOLD = 80.0
#: A preprint and its published version may be this many years apart.
MAX_YEAR_GAP = 2
#: Titles of at most this many significant words are generic: only the same title by the same authors matches.
GENERIC_WORDS = 2
#: A fuzzy score loses AUTHOR_PENALTY x (1 - author agreement) points: 10 when only half the authors agree.
AUTHOR_PENALTY = 20.0
#: A look-up keeps candidates whose character-level title ratio is within this of the threshold
#: (the word-level ratio, computed only for them, may still bring them over it).
PREFILTER_SLACK = 10.0
#: How many neighbours each record is compared with in every sorted order.
WINDOW = 6
#: Exact-key groups larger than this are split by first author before their pairs are scored.
BIG_GROUP = 60

_ROMAN = frozenset("ii iii iv vi vii viii ix xi xii xiii".split())
_NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Match:
    """An existing paper that a candidate duplicates, why, and how sure (0-100).

    ``kind`` is ``arxiv``, ``doi``, ``title`` (same normalised title), ``fuzzy``, or ``version``: a
    title match between two kinds of version of one work (:func:`version_kind`), related records
    rather than one record twice; ``score`` is 100 for identifier and identical-title matches, else
    the title similarity less the author penalty.
    """

    existing: Paper
    reason: str
    score: float
    kind: str = "title"


# -- normalisers -------------------------------------------------------------------------------


def fold_text(text: str) -> str:
    """Text folded for comparison: LaTeX decoded, accents dropped, ASCII, case-folded, punctuation to spaces."""
    if "\\" in text:
        from litmap.formats.latex_text import latex_to_text

        text = latex_to_text(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        if not text.isascii():
            from anyascii import anyascii

            text = anyascii(text)
    return _PUNCTUATION.sub(" ", text.casefold())


def normalize_title(title: str) -> str:
    """Title reduced for comparison: case, accents, LaTeX braces, punctuation and spaces folded."""
    return " ".join(fold_text(title).split())


def author_key(author: Author) -> tuple[str, str]:
    """An author as compared: (surname, first initial), folded.

    The surname is the last word of the family name (``van der Maaten`` -> maaten; a name written
    without a comma, ``Christopher Olah``, gives olah); the initial is '' when no given name is known.
    """
    return _author_key(author.family, author.given)


@lru_cache(maxsize=65536)  # a library names the same people again and again
def _author_key(family: str, given: str) -> tuple[str, str]:
    surname, first_word = _surname(family)
    initial = _initial(given) if given else first_word
    return (surname, initial)


@lru_cache(maxsize=65536)
def _surname(family: str) -> tuple[str, str]:
    """(last word, initial of the first word when there are several) of a folded family name."""
    words = fold_text(family).split()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    if not words:
        return ("", "")
    # "Christopher Olah" written whole: its first word is a given name; "van der Maaten" and
    # "Hatfield-Dodds" have none.
    given_first = len(family.split()) > 1 and family.lstrip()[:1].isupper()
    return (words[-1], words[0][0] if given_first else "")


@lru_cache(maxsize=65536)
def _initial(given: str) -> str:
    words = fold_text(given).split()
    return words[0][0] if words else ""


def arxiv_of(paper: Paper) -> str | None:
    """The paper's arXiv id, from its ``arxiv`` field or arXiv's DataCite DOI."""
    if paper.arxiv:
        return paper.arxiv
    return arxiv_id_from_doi(paper.doi) if paper.doi else None


def published_doi(paper: Paper) -> str | None:
    """The paper's DOI unless it is only arXiv's DataCite DOI."""
    if paper.doi and not arxiv_id_from_doi(paper.doi):
        return paper.doi
    return None


# -- features and the pair rule ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Features:
    """What the matcher compares of one paper, computed once."""

    paper: Paper
    arxiv: str | None
    doi: str | None
    title: str
    compact: str
    content: str
    words: tuple[str, ...]
    numbers: tuple[str, ...]
    authors: tuple[tuple[str, str], ...]
    year: int | None
    #: Where the work sits in its container: volume, number, first page, edition (normalised; None if unknown).
    locator: tuple[str | None, ...]

    def with_paper(self, paper: Paper) -> Features:
        """These features, of ``paper`` (this one's paper under another key: the same features)."""
        return Features(
            paper, self.arxiv, self.doi, self.title, self.compact, self.content, self.words, self.numbers,
            self.authors, self.year, self.locator,
        )  # fmt: skip

    @property
    def first_author(self) -> str:
        """The first author's surname key, or ''."""
        return self.authors[0][0] if self.authors else ""

    @property
    def generic(self) -> bool:
        """Whether the title is too short to identify a paper by itself ("Introduction", "On Attention")."""
        return self.content.count(" ") < GENERIC_WORDS


def features(paper: Paper) -> Features:
    """The comparable features of ``paper``."""
    title = normalize_title(paper.title)
    words = tuple(title.split())
    doi = published_doi(paper)
    return Features(
        paper=paper,
        arxiv=arxiv_of(paper),
        doi=doi_match_key(doi) if doi else None,
        title=title,
        compact=title.replace(" ", ""),
        content=" ".join(w for w in words if w not in STOPWORDS) or title,
        words=words,
        numbers=tuple(sorted(_DIGITS.findall(title) + [w for w in words if w in _ROMAN])),
        authors=tuple(k for k in (author_key(a) for a in paper.authors) if k[0]),
        year=paper.year,
        locator=(
            _locator_part(paper.volume),
            _locator_part(paper.extra.get("number") or paper.extra.get("issue")),
            (fold_text(re.split(r"[-–—]", paper.pages)[0]).replace(" ", "") or None) if paper.pages else None,
            _locator_part(paper.extra.get("edition")),
        ),
    )


_ORDINALS = {
    w: str(i) for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)
}
_ORDINAL_WORD = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b")
_LOCATOR_WORDS = frozenset("vol volume no number part pt ed edition".split())


@lru_cache(maxsize=4096)
def _locator_part(value: str | None) -> str | None:
    """A volume, number, page or edition as compared: its first number (``Vol. 100`` -> 100,
    ``2nd`` -> 2, ``Second`` -> 2, ``II`` -> ii), else its folded text; None when empty."""
    text = fold_text(value).strip() if value else ""
    if not text:
        return None
    text = _ORDINAL_WORD.sub(lambda word: _ORDINALS[word.group(1)], text)
    digits = re.search(r"[0-9]+", text)
    if digits:
        return digits.group(0).lstrip("0") or "0"
    tokens = [token for token in text.split() if token not in _LOCATOR_WORDS]
    return tokens[-1] if tokens else text


def _same_surname(one: str, other: str) -> bool:
    """Equal surnames, or one slip apart (``Schmidhuber`` / ``Schmidthuber``)."""
    if one == other:
        return True
    if min(len(one), len(other)) < 5 or one[0] != other[0] or abs(len(one) - len(other)) > 1:
        return False
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(one, other, score_cutoff=1) <= 1


def _same_person(one: tuple[str, str], other: tuple[str, str]) -> bool:
    initials_agree = not one[1] or not other[1] or one[1] == other[1]
    return initials_agree and _same_surname(one[0], other[0])


def author_agreement(one: tuple[tuple[str, str], ...], other: tuple[tuple[str, str], ...]) -> float | None:
    """How far two author lists agree, 0-1: authors found in both, over the two lists' mean length.

    An author is found under the same surname (or one slip from it) with no conflicting initial.
    The same first author counts as at least 0.5 (one record may list only the first author).
    None when either list is empty.
    """
    if not one or not other:
        return None
    one_set, other_set = set(one), set(other)
    small, large = (one_set, other_set) if len(one_set) <= len(other_set) else (other_set, one_set)
    by_surname: dict[str, set[str]] = defaultdict(set)
    for surname, initial in large:
        by_surname[surname].add(initial)
    found = 0
    for surname, initial in small:
        initials = by_surname.get(surname)
        if initials is not None:
            found += not initial or "" in initials or initial in initials
        elif len(large) <= 50 and len(surname) >= 5:  # shorter: no slip is forgiven (_same_surname)
            first = surname[0]
            found += any(_same_person((surname, initial), person) for person in large if person[0][0] == first)
    share = 2 * found / (len(small) + len(large))
    return max(share, 0.5) if _same_person(one[0], other[0]) else share


def _same_author_lists(one: tuple[tuple[str, str], ...], other: tuple[tuple[str, str], ...]) -> bool:
    return len(set(one)) == len(set(other)) and (author_agreement(one, other) or 0) >= 1.0


def _junk_identifier(new: Features, old: Features, one: str | None, other: str | None, threshold: float) -> bool:
    """Whether a shared identifier is belied by the other one (``one``, ``other``) and the titles: two
    different DOIs (or arXiv ids) and unlike titles are two works, whatever id a tool copied onto both
    (Mendeley gives unrelated entries one arXiv id)."""
    if not (one and other and one != other) or new.compact == old.compact:
        return False
    return title_similarity(new, old) < threshold


def _contradicted(new: Features, old: Features) -> bool:
    # The cheap tests first: most candidate pairs of a large library fail on the years.
    if new.year is not None and old.year is not None and abs(new.year - old.year) > MAX_YEAR_GAP:
        return True
    if new.arxiv and old.arxiv and new.arxiv != old.arxiv:
        return True
    if new.doi and old.doi and new.doi != old.doi:
        return True
    if new.numbers != old.numbers:
        return True
    # Different volume, number, first page or edition: two works (volume I and II, an erratum), not one.
    return new.locator != old.locator and any(
        a is not None and b is not None and a != b for a, b in zip(new.locator, old.locator, strict=True)
    )


def _confirmation(new: Features, old: Features, agreement: float | None) -> str:
    parts = []
    if agreement is None:
        parts.append("authors unknown")
    elif _same_author_lists(new.authors, old.authors):
        parts.append("same authors")
    else:
        parts.append("authors agree")
    if new.year and old.year and new.year != old.year:
        low, high = sorted((new.year, old.year))
        parts.append(f"years {low} and {high}")
    return ", " + ", ".join(parts)


def title_similarity(new: Features, old: Features) -> float:
    """Similarity (0-100) of the titles' significant words: the better of a character-level and a
    word-level rapidfuzz ratio (a typo costs little in the first, one word swapped for a longer one
    costs little in the second: "factual knowledge" / "factual associations")."""
    from rapidfuzz.fuzz import ratio

    return float(max(ratio(new.content, old.content), ratio(new.content.split(), old.content.split())))


_THESIS_TYPES = frozenset({"phdthesis", "mastersthesis", "thesis"})
_REPORT_TYPES = frozenset({"techreport", "report"})
_PREPRINT_VENUE = re.compile(r"\b(?:arxiv|corr|preprint|biorxiv|medrxiv|ssrn|chemrxiv|psyarxiv)\b")
_WORKSHOP = re.compile(r"\bworkshops?\b")


def version_kind(paper: Paper) -> str:
    """Which version of a work a record describes: ``thesis``, ``report``, ``workshop`` (its venue
    says so), ``preprint`` (arXiv or another preprint server, no published DOI), ``publication`` (a
    published DOI or another venue) or ``unknown`` (nothing tells: a version of any kind)."""
    if paper.type in _THESIS_TYPES:
        return "thesis"
    if paper.type in _REPORT_TYPES:
        return "report"
    venue = fold_text(
        " ".join(filter(None, [paper.venue, paper.extra.get("booktitle"), paper.extra.get("eventtitle")]))
    )
    if _WORKSHOP.search(venue):
        return "workshop"
    if published_doi(paper):
        return "publication"
    if paper.type == "unpublished" or _PREPRINT_VENUE.search(venue) or (arxiv_of(paper) and not venue.strip()):
        return "preprint"
    return "publication" if venue.strip() else "unknown"


def _as_versions(match: Match, new: Features, old: Features) -> Match:
    """A title match between two kinds of version (a preprint and its journal version, a thesis and the
    paper) marked as possible versions of one work: related records, not one record twice."""
    kinds = version_kind(new.paper), version_kind(old.paper)
    if kinds[0] == kinds[1] or "unknown" in kinds:
        return match
    reason = f"possible versions ({kinds[0]} and {kinds[1]}): {match.reason}"
    return Match(match.existing, reason, match.score, "version")


def compare(new: Features, old: Features, threshold: float = DEFAULT_THRESHOLD) -> Match | None:
    """Whether ``new`` is the same paper as ``old``: the Match (naming ``old``) or None.

    A fuzzy match scores the title similarity less up to :data:`AUTHOR_PENALTY` points as the
    author lists agree less, and must reach ``threshold``.
    """
    if new.arxiv and new.arxiv == old.arxiv and not _junk_identifier(new, old, new.doi, old.doi, threshold):
        return Match(old.paper, f"same arXiv id {new.arxiv}", 100.0, "arxiv")
    if new.doi and new.doi == old.doi and not _junk_identifier(new, old, new.arxiv, old.arxiv, threshold):
        return Match(old.paper, f"same DOI {old.paper.doi}", 100.0, "doi")
    if not new.compact or _contradicted(new, old):
        return None
    agreement = author_agreement(new.authors, old.authors)
    if agreement is not None and agreement < 0.5:
        return None
    if new.generic or old.generic:
        same_year = new.year is None or old.year is None or new.year == old.year
        if new.compact != old.compact or not same_year or not _same_author_lists(new.authors, old.authors):
            return None
    if new.compact == old.compact:
        return _as_versions(Match(old.paper, "same title" + _confirmation(new, old, agreement), 100.0), new, old)
    if agreement is None:
        return None
    similarity = title_similarity(new, old)
    score = round(similarity - AUTHOR_PENALTY * (1.0 - agreement), 1)
    if score < threshold:
        return None
    reason = f"similar title ({similarity:.0f}%)" + _confirmation(new, old, agreement)
    return _as_versions(Match(old.paper, reason, score, "fuzzy"), new, old)


def compare_keyed(new: Features, old: Features) -> Match | None:
    """Whether ``new``, whose entry's key already names ``old``, is ``old``: the same title, no contradiction,
    no disagreeing authors. The key tells what a short or authorless title cannot (an import again)."""
    if not new.compact or new.compact != old.compact or _contradicted(new, old):
        return None
    agreement = author_agreement(new.authors, old.authors)
    if agreement is not None and agreement < 0.5:
        return None
    reason = "same title" + _confirmation(new, old, agreement) + ", the entry's key names it"
    return _as_versions(Match(old.paper, reason, 100.0), new, old)


# -- the matcher -------------------------------------------------------------------------------


class Matcher:
    """An index of papers answering "is this one already here?" and "which of these are the same?"."""

    def __init__(
        self,
        papers: Iterable[Paper] = (),
        distinct: DistinctPairs | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.threshold = threshold
        self.distinct = distinct
        self._entries: list[Features] = []
        self._by_arxiv: dict[str, list[int]] = defaultdict(list)
        self._by_doi: dict[str, list[int]] = defaultdict(list)
        self._by_title: dict[str, list[int]] = defaultdict(list)
        # word or first author -> the papers whose title has it / who wrote first, for rapidfuzz.process
        self._by_word: dict[str, Block] = defaultdict(Block)
        self._by_author: dict[str, Block] = defaultdict(Block)
        self._blocked = 0
        for paper in papers:
            self.add(paper)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, paper: Paper, entry: Features | None = None) -> None:
        """Index ``paper`` (whose :func:`features` are ``entry``, if known) so later look-ups find it."""
        entry = entry or features(paper)
        index = len(self._entries)
        self._entries.append(entry)
        if entry.arxiv:
            self._by_arxiv[entry.arxiv].append(index)
        if entry.doi:
            self._by_doi[entry.doi].append(index)
        self._by_title[entry.compact].append(index)

    def _index_blocks(self) -> None:
        """Bring the word and first-author blocks up to date (only look-ups need them)."""
        for index in range(self._blocked, len(self._entries)):
            entry = self._entries[index]
            for word in set(entry.words):
                if word not in STOPWORDS:
                    self._by_word[word].add(index, entry.content, entry.year)
            if entry.first_author:
                self._by_author[entry.first_author].add(index, entry.content, entry.year)
        self._blocked = len(self._entries)

    def find(self, candidate: Paper) -> Match | None:
        """The indexed paper ``candidate`` duplicates (the surest match), or None."""
        matches = self.find_all(candidate)
        return matches[0] if matches else None

    def find_all(self, candidate: Paper, entry: Features | None = None) -> list[Match]:
        """Every indexed paper ``candidate`` duplicates, surest first (``entry``: its :func:`features`, if known)."""
        entry = entry or features(candidate)
        matches: list[Match] = []
        for index in self._candidates(entry):
            old = self._entries[index]
            if old.paper is candidate or self._distinct(candidate, old.paper):
                continue
            match = compare(entry, old, self.threshold)
            if match:
                matches.append(match)
        matches.sort(key=lambda m: -m.score)
        return matches

    def _distinct(self, one: Paper, other: Paper) -> bool:
        return self.distinct is not None and self.distinct.contains(one, other)

    def _candidates(self, entry: Features) -> Iterator[int]:
        """Indexes worth comparing with ``entry``: exact keys, then title-word and first-author blocks.

        A block's candidates are those whose title is near enough, surest first; it may leave out
        papers more than :data:`MAX_YEAR_GAP` years apart (never a match but by identifier, which is
        an exact key).
        """
        self._index_blocks()
        seen: set[int] = set()
        exact = [
            *(self._by_arxiv.get(entry.arxiv, ()) if entry.arxiv else ()),
            *(self._by_doi.get(entry.doi, ()) if entry.doi else ()),
            *self._by_title.get(entry.compact, ()),
        ]
        for index in exact:
            if index not in seen:
                seen.add(index)
                yield index
        words = sorted(
            (w for w in set(entry.words) if w not in STOPWORDS and w in self._by_word),
            key=lambda w: (len(self._by_word[w].indexes), w),
        )
        blocks = [self._by_word[w] for w in words[:3]]
        if entry.first_author in self._by_author:
            blocks.append(self._by_author[entry.first_author])
        cutoff = self.threshold - PREFILTER_SLACK
        for hits in near_in(blocks, entry.content, cutoff, entry.year, MAX_YEAR_GAP):
            for index in hits:
                if index not in seen:
                    seen.add(index)
                    yield index

    # -- a whole library -----------------------------------------------------------------------

    def pairs(self) -> list[tuple[Paper, Match]]:
        """Every pair of indexed papers that are the same paper, as (paper, match naming the other)."""
        from litmap.dedupe.neighbours import screen_keys

        found: list[tuple[Paper, Match]] = []
        size = len(self._entries)
        keys = screen_keys(self._entries, self._big_identifier_groups())
        # In (one, other) order: sorted as one number per pair, much faster than sorting the tuples.
        for code in sorted(self._candidate_pairs(keys)):
            new, old = self._entries[code // size], self._entries[code % size]
            if self._distinct(new.paper, old.paper):
                continue
            match = compare(new, old, self.threshold)
            if match:
                found.append((new.paper, match))
        return found

    def _candidate_pairs(self, keys: list[float]) -> set[int]:
        """The pairs worth comparing, each ``(one, other)`` (``one < other``) as ``one * size + other``:
        the exact-key groups' and the close neighbours', less those that :func:`compare` would find
        contradicted by their :func:`~litmap.dedupe.neighbours.screen_keys` (and share no identifier)."""
        from litmap.dedupe.neighbours import apart, neighbour_pairs

        size = len(self._entries)
        pairs: set[int] = set()
        for index in (self._by_arxiv, self._by_doi):
            for members in index.values():
                if len(members) > 1:
                    pairs.update(one * size + other for one, other in self._group_pairs(members))
        entries = self._entries
        for members in self._by_title.values():
            if len(members) > 1:
                pairs.update(
                    one * size + other
                    for one, other in self._group_pairs(members)
                    if not apart(keys, one, other, MAX_YEAR_GAP) or _same_identifier(entries[one], entries[other])
                )
        texts = [e.content for e in entries]
        pairs.update(neighbour_pairs(texts, self._sort_keys(), keys, self.threshold, WINDOW, MAX_YEAR_GAP))
        return pairs

    def _big_identifier_groups(self) -> set[int]:
        """The papers of arXiv-id and DOI groups too big for all their pairs to be compared
        (:meth:`_group_pairs`): a neighbour may still match one of them by that identifier."""
        return {
            index
            for by_key in (self._by_arxiv, self._by_doi)
            for members in by_key.values()
            if len(members) > BIG_GROUP
            for index in members
        }

    def _group_pairs(self, members: list[int]) -> Iterator[tuple[int, int]]:
        """Pairs within an exact-key group; a very large group (a generic title) is split by first author."""
        if len(members) > BIG_GROUP:
            by_author: dict[str, list[int]] = defaultdict(list)
            for index in members:
                by_author[self._entries[index].first_author].append(index)
            if len(by_author) > 1:
                for part in by_author.values():
                    yield from self._group_pairs(part)
                return
            head = members[0]
            yield from ((head, other) for other in members[1:])
            return
        for position, one in enumerate(members):
            for other in members[position + 1 :]:
                yield (one, other)

    def _sort_keys(self) -> list[list[str]]:
        """The sorted-neighbourhood orders of the titles' significant words: as written, reversed
        (an edit at the start moves a title far away in the first order, not in this one), and after
        the first author's surname."""
        return [
            [e.content for e in self._entries],
            [e.content[::-1] for e in self._entries],
            [f"{e.first_author} {e.content}" for e in self._entries],
        ]


def _same_identifier(one: Features, other: Features) -> bool:
    """Whether two papers share an arXiv id or a DOI (a match :func:`compare` makes whatever their years)."""
    return bool((one.arxiv and one.arxiv == other.arxiv) or (one.doi and one.doi == other.doi))
