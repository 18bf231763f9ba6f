"""Merging records of one paper into one, without losing anything, as one atomic change.

The kept record gets the union of categories, tags and notes; the published form (title, type,
venue, volume, pages, DOI) from a published record while keeping the arXiv id; the fullest author
list and abstract; the earliest year (the library's convention: the year of first public release)
and date added. The other records' files are removed and their keys become aliases of the kept one,
so drafts citing an old key still resolve. Conflicting identifiers or extra fields that cannot
both be kept are reported in :attr:`MergeResult.dropped`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from litmap.errors import InvalidValue, LitmapError
from litmap.identifiers import doi_match_key
from litmap.matching import arxiv_of, published_doi
from litmap.models import Paper

if TYPE_CHECKING:
    from litmap.store.library import Library

T = TypeVar("T")
_PREPRINT_VENUE = re.compile(r"\b(arxiv|corr|biorxiv|medrxiv|ssrn|preprint)\b", re.IGNORECASE)


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


def _ordered(papers: Sequence[Paper], keep: str | None) -> list[Paper]:
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
    ordered = _ordered(papers, keep)
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
    dropped: list[Dropped] = []
    for paper in ordered:
        for name, value in paper.extra.items():
            if name not in extra:
                extra[name] = value
            elif extra[name] != value:
                dropped.append(Dropped(name, paper.key, value))
    for paper in others:
        other_arxiv = arxiv_of(paper)
        if other_arxiv and other_arxiv != arxiv:
            dropped.append(Dropped("arxiv", paper.key, other_arxiv))
        other_doi = published_doi(paper)
        if other_doi and doi and doi_match_key(other_doi) != doi_match_key(doi):
            dropped.append(Dropped("doi", paper.key, other_doi))
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
    return MergeResult(Paper.from_record(merged.to_record()), [p.key for p in others], dropped)


def merge_in_library(library: Library, papers: Sequence[Paper], keep: str | None = None) -> MergeResult:
    """Merge ``papers`` of ``library`` into ``keep`` as one atomic change: the kept file rewritten,
    the others removed, and pairs of ``distinct.toml`` that now name one paper forgotten.

    The records are read again under the lock, so a change made meanwhile is not overwritten.
    """
    from litmap.distinct import load_distinct, stage_distinct

    library.ensure_writable()
    _ordered(papers, keep)
    with library.writing() as changes:
        fresh = []
        for paper in papers:
            path = library.paper_path(paper.key)
            if not path.is_file():
                raise LitmapError(f"{path} disappeared while merging (another litmap process?); run the merge again")
            fresh.append(library.load_paper_file(path))
        result = merge_records(fresh, keep)
        library.stage_paper(changes, result.paper)
        for key in result.removed:
            library.stage_delete(changes, key)
        pairs = load_distinct(library)
        if pairs.discard_within(result.paper.all_keys):
            stage_distinct(library, changes, pairs)
    return result
