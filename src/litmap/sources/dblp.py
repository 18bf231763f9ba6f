"""DBLP: the publication search API (``dblp.org/search/publ/api?q=...&format=json``).

:func:`parse_search` is pure: DBLP's JSON in, papers out. Pitfalls it handles: ``hit`` is absent when
nothing matched; ``authors.author`` is an object, not a list, for a single author; ``ee`` and
``venue`` may be lists; titles end with a full stop; author names may carry a homonym number
(``Wei Wang 0001``); arXiv postings are ``CoRR`` records ("Informal and Other Publications",
``volume = abs/2209.10652``), which are never a published version; a CoRR *key* may hold one
(DBLP files ICLR 2013-2015 papers under their CoRR keys). DBLP answers an overloaded or
throttled client with HTTP 429 and an HTML page, not JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

from litmap.errors import SourceError
from litmap.keys import PLACEHOLDER_KEY
from litmap.models import Author, Paper
from litmap.sources.cache import polite_get
from litmap.sources.http import RateLimiter

#: DBLP publication types -> BibTeX entry types.
ENTRY_TYPES = {
    "Journal Articles": "article",
    "Conference and Workshop Papers": "inproceedings",
    "Parts in Books or Collections": "incollection",
    "Books and Theses": "book",
    "Editorship": "proceedings",
    "Informal and Other Publications": "misc",
}
_HOMONYM = re.compile(r"\s+\d{4}$")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    first = next((v for v in _as_list(value) if isinstance(v, (str, int))), None)
    return str(first).strip() or None if first is not None else None


def _author(entry: Any) -> Author | None:
    name = entry.get("text") if isinstance(entry, dict) else entry
    if not isinstance(name, str) or not name.strip():
        return None
    from litmap.sources.arxiv import split_display_name

    return split_display_name(_HOMONYM.sub("", name.strip()))


def is_preprint_record(info: dict[str, Any]) -> bool:
    """Whether a DBLP record is an arXiv (CoRR) posting rather than a publication.

    The venue says so, not the key: DBLP files some papers published at a conference under their CoRR
    key (Adam, ICLR 2015, is ``journals/corr/KingmaB14`` with venue ``ICLR (Poster)``).
    """
    venue = (_text(info.get("venue")) or "").lower()
    return venue == "corr" or (not venue and str(info.get("key") or "").startswith("journals/corr/"))


def paper_from_info(info: dict[str, Any]) -> Paper:
    """One hit's ``info`` object as a paper (its DBLP key kept as ``dblp``)."""
    title = (_text(info.get("title")) or "").rstrip(".")
    if not title:
        raise SourceError("DBLP's record has no title")
    authors = [a for a in (_author(e) for e in _as_list((info.get("authors") or {}).get("author"))) if a]
    year = _text(info.get("year"))
    extra = {"dblp": str(info["key"])} if info.get("key") else {}
    if _text(info.get("number")):
        extra["number"] = str(_text(info.get("number")))
    ee = [e for e in _as_list(info.get("ee")) if isinstance(e, str)]
    doi = _text(info.get("doi"))
    return Paper(
        key=PLACEHOLDER_KEY,
        type=ENTRY_TYPES.get(str(info.get("type")), "misc"),
        title=title,
        authors=authors,
        year=int(year) if year and year.isdigit() else None,
        venue=_text(info.get("venue")),
        volume=_text(info.get("volume")),
        pages=_text(info.get("pages")),
        doi=doi if doi and not doi.lower().startswith("10.48550/") else None,
        url=ee[0] if ee else _text(info.get("url")),
        extra=extra,
    )


def parse_search(text: str) -> list[tuple[Paper, bool]]:
    """DBLP's search answer as (paper, is_preprint_record) pairs, best hit first."""
    try:
        envelope = json.loads(text)
        hits = envelope["result"]["hits"]
    except (ValueError, KeyError, TypeError):
        raise SourceError("DBLP's answer is not a search result") from None
    found: list[tuple[Paper, bool]] = []
    for hit in _as_list(hits.get("hit")):
        info = hit.get("info") if isinstance(hit, dict) else None
        if not isinstance(info, dict):
            continue
        try:
            found.append((paper_from_info(info), is_preprint_record(info)))
        except (SourceError, ValueError):
            continue
    return found


class DblpSource:
    """Searches DBLP's publications by title (and first author), politely spaced."""

    label = "DBLP"

    def __init__(self, client: Any, api_url: str, delay: float = 1.0) -> None:
        self.client = client
        self.api_url = api_url.rstrip("/")
        self.limiter = RateLimiter(delay)

    def search(self, title: str, first_author: str | None = None, hits: int = 10) -> list[tuple[Paper, bool]]:
        """Publications whose title (and author) match; FetchError/SourceError on failure."""
        query = " ".join(part for part in (title, first_author) if part)
        text = polite_get(self.client, self.limiter, self.api_url, {"q": query, "format": "json", "h": str(hits)})
        return parse_search(text)
