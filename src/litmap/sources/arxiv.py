"""arXiv: the Atom query API (``export.arxiv.org/api/query?id_list=...``).

:func:`parse_feed` is pure: Atom text in, papers (or the API's error message) out, parsed with
defusedxml (no entity expansion) and matched on namespace + local name, never on prefixes or
element order. :class:`ArxivSource` fetches several ids per request (``max_results`` set, so none
is silently cut), pauses between requests as arXiv's terms ask (one every 3 s), and matches the
entries that come back to the ids asked for by id, never by position.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litmap.dates import journal_ref_year, parse_released
from litmap.errors import SourceError
from litmap.formats.latex_text import latex_to_text, squash
from litmap.identifiers import arxiv_query_id, arxiv_version, normalize_arxiv_id
from litmap.keys import PLACEHOLDER_KEY
from litmap.models import Author, Paper
from litmap.sources import Lookup, SourceContext
from litmap.sources.cache import polite_get
from litmap.sources.http import FetchError, HttpClient, RateLimiter, short_body

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
ABS_URL = "https://arxiv.org/abs/"
#: Ids per request: well under any URL-length limit, and one slow request rather than many.
BATCH_SIZE = 50


@dataclass(frozen=True)
class Feed:
    """A parsed answer: the papers by bare arXiv id, or the error message arXiv sent instead."""

    papers: dict[str, Paper]
    error: str | None = None


def _text(element: Any, tag: str) -> str | None:
    child = element.find(tag)
    if child is None or child.text is None:
        return None
    return child.text


def split_display_name(name: str) -> Author:
    """``"Francisco J Valero-Cuevas"`` -> Author(family="Valero-Cuevas", given="Francisco J").

    BibTeX's "First von Last" rule: lower-case particles before the last word join the family name
    (``"Anna van der Berg"`` -> family ``"van der Berg"``); a single word is a family name.
    """
    words = squash(name).split(" ")
    if len(words) == 1:
        return Author(family=words[0])
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    return Author(family=" ".join(words[start:]), given=" ".join(words[:start]))


def _entry_id(raw: str) -> tuple[str, int | None]:
    """Bare id and version of an entry's ``<id>`` (``http://arxiv.org/abs/2209.10652v1``)."""
    text = raw.strip()
    return normalize_arxiv_id(text), arxiv_version(text)


def _is_error_entry(entry: Any) -> bool:
    entry_id = _text(entry, f"{ATOM}id") or ""
    authors = [squash(_text(a, f"{ATOM}name") or "") for a in entry.findall(f"{ATOM}author")]
    return "/api/errors" in entry_id or (
        squash(_text(entry, f"{ATOM}title") or "") == "Error" and authors == ["arXiv api core"]
    )


def parse_entry(entry: Any) -> Paper:
    """One ``<entry>`` as a paper: title (line breaks collapsed), authors, abstract, the date of the
    first version (``released``, and year and month), primary category, the publisher's DOI and
    journal reference if any. A journal reference naming a later year gives the year (the record
    then describes the publication)."""
    arxiv_id, _version = _entry_id(_text(entry, f"{ATOM}id") or "")
    published = _text(entry, f"{ATOM}published") or _text(entry, f"{ATOM}updated") or ""
    year = int(published[:4]) if published[:4].isdigit() else None
    month = int(published[5:7]) if published[5:7].isdigit() else None
    try:
        released = parse_released(published[:10])
    except ValueError:
        released = None
    primary = entry.find(f"{ARXIV}primary_category")
    category = primary.get("term") if primary is not None else None
    if not category:
        first = entry.find(f"{ATOM}category")
        category = first.get("term") if first is not None else None
    journal_ref = _text(entry, f"{ARXIV}journal_ref")
    dois = [squash(d.text) for d in entry.findall(f"{ARXIV}doi") if d.text and d.text.strip()]
    authors = [
        split_display_name(latex_to_text(name))
        for name in (_text(a, f"{ATOM}name") for a in entry.findall(f"{ATOM}author"))
        if name and name.strip()
    ]
    extra = {"primaryclass": category} if category else {}
    published_year = journal_ref_year(journal_ref, not_before=year)
    if published_year is not None and published_year != year:  # the record describes the publication
        year, month = published_year, None
    return Paper(
        key=PLACEHOLDER_KEY,
        type="article" if journal_ref else "misc",
        title=latex_to_text(_text(entry, f"{ATOM}title") or ""),
        authors=authors,
        year=year,
        month=month,
        released=released,
        venue=squash(journal_ref) if journal_ref else None,
        arxiv=arxiv_id,
        doi=dois[0] if dois else None,
        url=ABS_URL + arxiv_id,
        abstract=squash(_text(entry, f"{ATOM}summary") or ""),
        extra=extra,
    )


def parse_feed(text: str) -> Feed:
    """Parse an Atom answer of the query API; SourceError if it is not well-formed Atom."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    except DefusedXmlException:
        raise SourceError("arXiv's answer uses XML entities or a DTD, which litmap refuses to expand") from None
    except SafeET.ParseError as exc:
        raise SourceError(f"arXiv's answer is not well-formed XML ({exc})") from None
    if root.tag != f"{ATOM}feed":
        raise SourceError(f"arXiv's answer is not an Atom feed (root element {root.tag!r})")
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        if _is_error_entry(entry):
            message = squash(_text(entry, f"{ATOM}summary") or "") or "unspecified error"
            return Feed({}, error=message)
    papers: dict[str, Paper] = {}
    for entry in entries:
        try:
            paper = parse_entry(entry)
        except (ValueError, TypeError) as exc:
            raise SourceError(f"an entry of the answer is not a usable record ({exc})") from None
        papers.setdefault(paper.arxiv or "", paper)
    return Feed(papers)


def query_id(text: str) -> str:
    """The id to ask arXiv for: bare id plus the version a user pasted (``2209.10652v2``)."""
    return arxiv_query_id(text)


def bare_id(query: str) -> str:
    """The versionless id of a query id."""
    return normalize_arxiv_id(query)


def open_source(context: SourceContext) -> ArxivSource:
    """arXiv as registered in :mod:`litmap.sources`: its API and pause from ``[sources]``.

    arXiv's limit counts every request from this machine: the last one's time is shared through a stamp.
    """
    stamp = context.cache_dir / "arxiv-last-request"
    return ArxivSource(context.client, context["arxiv_api"], delay=context["arxiv_delay"], stamp=stamp)


class ArxivSource:
    """Fetches papers from arXiv's query API in batches, politely spaced."""

    def __init__(
        self,
        client: HttpClient,
        api_url: str,
        delay: float = 3.0,
        batch_size: int = BATCH_SIZE,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        stamp: Path | None = None,
    ) -> None:
        self.client = client
        self.api_url = api_url
        self.batch_size = batch_size
        self.limiter = RateLimiter(delay, clock=clock, sleep=sleep, stamp=stamp)

    def fetch(self, ids: Sequence[str]) -> Iterator[Lookup]:
        """One Lookup per id; an id arXiv does not know gets an error, as does every id of a failed request."""
        for start in range(0, len(ids), self.batch_size):
            batch = list(ids[start : start + self.batch_size])
            try:
                feed = self._request(batch)
            except SourceError as exc:
                for query in batch:
                    yield Lookup(query, error=str(exc))
                continue
            for query in batch:
                paper = feed.papers.get(bare_id(query))
                if paper is None:
                    yield Lookup(query, error="arXiv has no paper with this id")
                else:
                    yield Lookup(query, paper=paper)

    def _request(self, batch: list[str]) -> Feed:
        # Ids are [a-z0-9./-] only: the comma list needs no escaping (and stays readable in logs).
        url = f"{self.api_url}?id_list={','.join(batch)}&max_results={len(batch)}"
        try:
            text = polite_get(self.client, self.limiter, url)
        except FetchError as exc:
            message = str(exc)
            if exc.body:
                message += f": {_error_detail(exc.body)}"
            raise SourceError(message) from None
        feed = parse_feed(text)
        if feed.error:
            raise SourceError(f"arXiv refused the request: {feed.error}")
        return feed


def _error_detail(body: str) -> str:
    """arXiv's message from an error answer: the error feed's summary, or the body itself."""
    try:
        feed = parse_feed(body)
    except SourceError:
        return repr(short_body(body))
    return feed.error or repr(short_body(body))
