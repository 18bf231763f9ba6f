"""Merging records of one paper into one, without losing anything (pure: no library, no I/O).

The kept record gets the union of categories, tags and notes; the published form (title, type,
venue, volume, pages, DOI) from a published record while keeping the arXiv id; the fullest author
list and abstract; the earliest year (the library's convention: the year of first public release)
and date added. The other records' files are removed and their keys become aliases of the kept one,
so drafts citing an old key still resolve. Every value of any record that the merged record does
not keep (another title, author list, URL, abstract, year, venue, DOI, arXiv id, extra field) is
reported in :attr:`MergeResult.dropped`.

:func:`ensure_same_paper` checks with the one matcher (:func:`litmap.dedupe.matching.compare`) that
every record is the same paper as the kept one and that no pair was declared distinct;
:func:`litmap.services.dedupe.merge_in_library` applies a merge to a library as one atomic change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from litmap.dedupe.matching import arxiv_of, published_doi
from litmap.errors import InvalidValue
from litmap.identifiers import arxiv_id_from_doi, doi_match_key
from litmap.models import Paper

if TYPE_CHECKING:
    from litmap.dedupe.distinct import DistinctPairs

T = TypeVar("T")
_PREPRINT_VENUE = re.compile(r"\b(arxiv|corr|biorxiv|medrxiv|ssrn|preprint)\b", re.IGNORECASE)
#: Fields whose values a merge compares across records to report the ones it does not keep.
COMPARED_FIELDS = ("authors", "title", "year", "venue", "volume", "pages", "doi", "arxiv", "url", "abstract")


@dataclass(frozen=True)
class Dropped:
    """A value a merge could not keep because the kept record holds a different one."""

    field: str
    key: str
    value: str


@dataclass(frozen=True)
class MergeResult:
    """The merged paper, the keys whose files were removed, and the values not kept."""

    paper: Paper
    removed: list[str]
    dropped: list[Dropped]


def is_preprint_venue(venue: str | None) -> bool:
    """Whether a venue names a preprint server (``arXiv``, ``CoRR``, ``arXiv preprint arXiv:...``)."""
    return bool(venue and _PREPRINT_VENUE.search(venue))


def is_published(paper: Paper) -> bool:
    """Whether a record describes the published version: a (non-arXiv) DOI or a venue that is no preprint server."""
    return bool(published_doi(paper) or (paper.venue and not is_preprint_venue(paper.venue)))


def _first(values: Iterable[T | None]) -> T | None:
    for value in values:
        if value not in (None, "", []):
            return value
    return None


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _merged_note(papers: Sequence[Paper]) -> str | None:
    notes = _unique(" ".join(p.note.split()) for p in papers if p.note)
    kept = [n for n in notes if not any(n != other and n in other for other in notes)]
    return "\n\n".join(kept) or None


def ordered_for_merge(papers: Sequence[Paper], keep: str | None) -> list[Paper]:
    """The distinct records, the kept one first; InvalidValue for fewer than two or an unknown keeper."""
    unique = list({p.key: p for p in papers}.values())
    if len(unique) < 2:
        raise InvalidValue("a merge needs at least two different papers")
    if keep is None:
        return unique
    kept = next((p for p in unique if keep in p.all_keys), None)
    if kept is None:
        raise InvalidValue(
            f"--keep {keep!r} is not one of the papers being merged ({', '.join(p.key for p in unique)})"
        )
    return [kept, *(p for p in unique if p is not kept)]


def merge_records(papers: Sequence[Paper], keep: str | None = None) -> MergeResult:
    """Merge records of one paper into the one keyed ``keep`` (default: the first). Pure: no I/O."""
    ordered = ordered_for_merge(papers, keep)
    kept, others = ordered[0], ordered[1:]
    source = next((p for p in ordered if is_published(p)), kept)
    venue = _first(
        [source.venue if not is_preprint_venue(source.venue) else None]
        + [p.venue for p in ordered if not is_preprint_venue(p.venue)]
        + [p.venue for p in ordered]
    )
    doi = _first([published_doi(source), *(published_doi(p) for p in ordered), *(p.doi for p in ordered)])
    arxiv = _first(arxiv_of(p) for p in ordered)
    years = [p.year for p in ordered if p.year]
    year = min(years) if years else None
    dates: list[dt.date] = [p.added for p in ordered if p.added]
    extra: dict[str, str] = {}
    dropped_extra: list[Dropped] = []
    for paper in ordered:
        for name, value in paper.extra.items():
            if name not in extra:
                extra[name] = value
            elif extra[name] != value:
                dropped_extra.append(Dropped(name, paper.key, value))
    merged = kept.model_copy(
        update={
            "type": source.type,
            "title": source.title,
            "authors": max(ordered, key=lambda p: (len(p.authors), sum(len(a.given) for a in p.authors))).authors,
            "year": year,
            "month": _first(p.month for p in ordered if p.year == year),
            "venue": venue,
            "volume": _first([source.volume, *(p.volume for p in ordered)]),
            "pages": _first([source.pages, *(p.pages for p in ordered)]),
            "arxiv": arxiv,
            "doi": doi,
            "url": _first([source.url, *(p.url for p in ordered)]),
            "abstract": max((p.abstract or "" for p in ordered), key=len) or None,
            "categories": _unique(c for p in ordered for c in p.categories),
            "tags": _unique(t for p in ordered for t in p.tags),
            "note": _merged_note(ordered),
            "added": min(dates) if dates else None,
            "aliases": [k for k in _unique([*kept.aliases, *(k for p in others for k in p.all_keys)]) if k != kept.key],
            "extra": extra,
        }
    )
    # model_copy skips validation: build the paper again so the result is checked like any other record.
    paper = Paper.from_record(merged.to_record())
    return MergeResult(paper, [p.key for p in others], _dropped_fields(ordered, paper) + dropped_extra)


def field_text(paper: Paper, field: str) -> str | None:
    """The value of ``field`` of ``paper`` as text (authors as ``Family, Given; ...``; an extra field too), or None."""
    if field == "authors":
        return "; ".join(a.as_text() for a in paper.authors) or None
    if field == "arxiv":
        return arxiv_of(paper)
    value = getattr(paper, field, None) if field in COMPARED_FIELDS else paper.extra.get(field)
    return None if value in (None, "") else str(value)


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _kept(field: str, record: Paper, merged: Paper) -> bool:
    """Whether ``merged`` keeps what ``record`` holds in ``field``: the same value, or one that says more."""
    from litmap.dedupe.matching import author_key, normalize_title

    mine, theirs = field_text(record, field), field_text(merged, field)
    if mine is None or mine == theirs:
        return True
    if theirs is None:
        return False
    if field == "authors":  # a shorter or abbreviated list of the same people ("Meng, K." / "Meng, Kevin")
        people = [author_key(a) for a in merged.authors]
        return all(
            any(surname == s and (not initial or not i or initial == i) for s, i in people)
            for surname, initial in (author_key(a) for a in record.authors)
        )
    if field == "title":
        return normalize_title(mine) == normalize_title(theirs)
    if field == "abstract":
        return _folded(mine) in _folded(theirs)
    if field == "venue":  # "arXiv preprint arXiv:..." says no more than the arXiv id the merged record keeps
        return is_preprint_venue(mine) and merged.arxiv is not None
    if field == "doi":  # the same DOI in another case, or arXiv's DataCite DOI of the kept arXiv id
        datacite = arxiv_id_from_doi(mine)
        return doi_match_key(mine) == doi_match_key(theirs) or (datacite is not None and datacite == merged.arxiv)
    if field == "url":
        return mine.rstrip("/").casefold() == theirs.rstrip("/").casefold()
    return False


def _dropped_fields(records: Sequence[Paper], merged: Paper) -> list[Dropped]:
    """Each value of :data:`COMPARED_FIELDS` of ``records`` that ``merged`` does not keep."""
    dropped = []
    for field in COMPARED_FIELDS:
        for record in records:
            value = field_text(record, field)
            if value is not None and not _kept(field, record, merged):
                dropped.append(Dropped(field, record.key, value))
    return dropped


def mismatch(kept: Paper, other: Paper, distinct: DistinctPairs | None = None) -> str | None:
    """Why ``other`` is not the same paper as ``kept`` for the one matcher (None when it is).

    A pair recorded in ``distinct.toml`` is never the same paper; otherwise the reason names what
    differs: the titles, the authors, the identifiers or the years.
    """
    from litmap.dedupe.matching import (
        DEFAULT_THRESHOLD,
        MAX_YEAR_GAP,
        author_agreement,
        compare,
        features,
        title_similarity,
    )

    if distinct is not None and distinct.contains(kept, other):
        return "recorded as different papers in distinct.toml"
    new, old = features(other), features(kept)
    if compare(new, old, DEFAULT_THRESHOLD) is not None:
        return None
    different = []
    if new.arxiv and old.arxiv and new.arxiv != old.arxiv:
        different.append("arXiv ids")
    if new.doi and old.doi and new.doi != old.doi:
        different.append("DOIs")
    if new.compact != old.compact and (new.numbers != old.numbers or title_similarity(new, old) < DEFAULT_THRESHOLD):
        different.append("titles")
    agreement = author_agreement(new.authors, old.authors)
    if agreement is not None and agreement < 0.5:
        different.append("authors")
    parts = ["different " + " and ".join(different)] if different else []
    if new.year and old.year and abs(new.year - old.year) > MAX_YEAR_GAP:
        parts.append(f"years {min(new.year, old.year)} and {max(new.year, old.year)}")
    if parts:
        return ", ".join(parts)
    if new.generic or old.generic:
        return "a short title matches only the same title by the same authors in the same year"
    if agreement is None:
        return "similar titles, but no authors to confirm them"
    return f"titles {title_similarity(new, old):.0f}% alike, but only some authors agree"


def ensure_same_paper(papers: Sequence[Paper], keep: str | None, distinct: DistinctPairs | None = None) -> None:
    """InvalidValue naming the first record of ``papers`` that is not the same paper as the kept one, and why."""
    ordered = ordered_for_merge(papers, keep)
    kept = ordered[0]
    for other in ordered[1:]:
        reason = mismatch(kept, other, distinct)
        if reason is not None:
            raise InvalidValue(
                f"{kept.key} and {other.key} do not look like the same paper ({reason}); use --force to merge anyway"
            )
