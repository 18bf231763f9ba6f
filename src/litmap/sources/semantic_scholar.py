"""Semantic Scholar: the Graph API's paper records (``/graph/v1/paper/arXiv:ID?fields=...``).

:func:`parse_paper` is pure. Pitfalls it handles: a 404 means "not indexed under this id", not "no
such paper"; ``externalIds.ArXiv`` has no version; ``venue`` is S2's own name ("Neural Information
Processing Systems") and ``publicationVenue.type`` says whether it is a journal or a conference;
``journal`` is ``{"name": "ArXiv", "volume": "abs/..."}`` for preprints; ``year`` is the year S2
holds, often the preprint's. 429 comes without ``Retry-After``: back off and try again later.
"""

from __future__ import annotations

import json
from typing import Any

from litmap.errors import SourceError
from litmap.keys import PLACEHOLDER_KEY
from litmap.models import Author, Paper
from litmap.sources.cache import polite_get
from litmap.sources.http import RateLimiter

FIELDS = "title,year,venue,publicationVenue,externalIds,journal,authors,publicationDate,publicationTypes"
_PREPRINT_VENUES = {"arxiv", "arxiv.org", "corr", "biorxiv", "medrxiv", "ssrn"}


def is_preprint_venue(name: str | None) -> bool:
    """Whether a venue name is a preprint server, not a publication."""
    return (name or "").strip().lower() in _PREPRINT_VENUES


def parse_paper(text: str) -> tuple[Paper, str | None]:
    """S2's paper record as (paper, venue type): the venue type is "journal", "conference" or None."""
    try:
        record: dict[str, Any] = json.loads(text)
    except ValueError:
        raise SourceError("Semantic Scholar's answer is not JSON") from None
    if not isinstance(record, dict) or not record.get("title"):
        raise SourceError("Semantic Scholar's answer is not a paper record")
    ids = record.get("externalIds") or {}
    venue_info = record.get("publicationVenue") or {}
    journal = record.get("journal") or {}
    venue = venue_info.get("name") or record.get("venue") or journal.get("name") or None
    if is_preprint_venue(venue) or (is_preprint_venue(journal.get("name")) and not venue_info):
        venue = None
    venue_type = venue_info.get("type") if venue else None
    from litmap.sources.arxiv import split_display_name

    authors: list[Author] = [
        split_display_name(a["name"]) for a in record.get("authors") or [] if isinstance(a, dict) and a.get("name")
    ]
    date = record.get("publicationDate") or ""
    doi = ids.get("DOI")
    volume = journal.get("volume") if venue and not str(journal.get("volume", "")).startswith("abs/") else None
    pages = (journal.get("pages") or "").strip() or None if venue else None
    extra = {"s2": str(record["paperId"])} if record.get("paperId") else {}
    paper = Paper(
        key=PLACEHOLDER_KEY,
        type={"journal": "article", "conference": "inproceedings"}.get(str(venue_type), "misc"),
        title=str(record["title"]),
        authors=authors,
        year=record.get("year") if isinstance(record.get("year"), int) else None,
        month=int(date[5:7]) if len(date) >= 7 and date[5:7].isdigit() else None,
        venue=venue,
        volume=str(volume).strip() or None if volume else None,
        pages=pages,
        arxiv=ids.get("ArXiv"),
        doi=doi if doi and not str(doi).lower().startswith("10.48550/") else None,
        extra=extra,
    )
    return paper, venue_type


class SemanticScholarSource:
    """Looks papers up in Semantic Scholar's Graph API by arXiv id or DOI."""

    label = "Semantic Scholar"

    def __init__(self, client: Any, api_url: str, delay: float = 1.0) -> None:
        self.client = client
        self.api_url = api_url.rstrip("/")
        self.limiter = RateLimiter(delay)

    def lookup(self, identifier: str) -> tuple[Paper, str | None] | None:
        """The record S2 holds under ``identifier`` (``arXiv:2209.10652``, ``DOI:10...``), None on 404."""
        from litmap.sources.http import FetchError

        try:
            text = polite_get(self.client, self.limiter, f"{self.api_url}/paper/{identifier}", {"fields": FIELDS})
        except FetchError as exc:
            if exc.status == 404:
                return None
            raise
        return parse_paper(text)
