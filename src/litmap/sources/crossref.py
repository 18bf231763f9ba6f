"""Crossref: the REST API's work records (``api.crossref.org/works/{doi}``).

:func:`parse_work` is pure: the JSON envelope in, a paper out. :class:`CrossrefSource` asks for one
DOI per request, spaced politely, with the contact address in the User-Agent and as ``mailto`` so
Crossref routes litmap to its "polite" pool.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from litmap.errors import SourceError
from litmap.formats.latex_text import squash
from litmap.keys import PLACEHOLDER_KEY
from litmap.models import Author, Paper
from litmap.pages import page_range
from litmap.sources import Lookup, SourceContext
from litmap.sources.cache import polite_get
from litmap.sources.http import FetchError, HttpClient, RateLimiter, short_body

#: Crossref work types -> BibTeX entry types.
ENTRY_TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book-part": "incollection",
    "book-section": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "proceedings": "proceedings",
    "report": "techreport",
    "dissertation": "phdthesis",
    "posted-content": "misc",
}
_TAG = re.compile(r"<[^>]+>")
_TITLE = re.compile(r"<(jats:)?title>.*?</(jats:)?title>", re.DOTALL)
_DOI_PATH_SAFE = "/:;()[]._-+@!$&'*,=~"


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return squash(value) if isinstance(value, str) and value.strip() else None


def _date_parts(message: dict[str, Any]) -> tuple[int | None, int | None]:
    for name in ("issued", "published", "published-print", "published-online", "created"):
        parts = (message.get(name) or {}).get("date-parts") or [[]]
        first = parts[0] if parts and isinstance(parts[0], list) else []
        if first and isinstance(first[0], int):
            month = first[1] if len(first) > 1 and isinstance(first[1], int) else None
            return first[0], month
    return None, None


def _author(person: dict[str, Any]) -> Author | None:
    family = (person.get("family") or "").strip()
    given = (person.get("given") or "").strip()
    if family:
        return Author(family=family, given=given)
    name = (person.get("name") or given).strip()
    return Author(family=name) if name else None


def jats_to_text(abstract: str) -> str:
    """A JATS-XML abstract (``<jats:p>...</jats:p>``) as plain text, paragraphs kept."""
    body = _TITLE.sub(" ", abstract)
    paragraphs = re.split(r"</(?:jats:)?p>", body)
    texts = [squash(html.unescape(_TAG.sub("", p))) for p in paragraphs]
    return "\n\n".join(t for t in texts if t)


_KINDS = {"work": "work record", "work-list": "list of works"}


def _envelope(text: str, kind: str) -> Any:
    try:
        envelope = json.loads(text)
    except ValueError as exc:
        raise SourceError(f"Crossref's answer is not valid JSON ({exc})") from None
    if not isinstance(envelope, dict) or envelope.get("status") != "ok" or envelope.get("message-type") != kind:
        raise SourceError(f"Crossref's answer is not a {_KINDS[kind]}")
    message = envelope.get("message")
    if not isinstance(message, dict):
        raise SourceError(f"Crossref's answer is not a {_KINDS[kind]}")
    return message


def parse_work(text: str) -> Paper:
    """A Crossref ``/works/{doi}`` answer as a paper; SourceError if it is not one."""
    return paper_from_message(_envelope(text, "work"))


def parse_search(text: str) -> list[tuple[Paper, dict[str, Any]]]:
    """A Crossref ``/works?query...`` answer as (paper, raw item) pairs, best match first."""
    found: list[tuple[Paper, dict[str, Any]]] = []
    for item in _envelope(text, "work-list").get("items") or []:
        if isinstance(item, dict):
            try:
                found.append((paper_from_message(item), item))
            except SourceError:
                continue
    return found


def preprint_of(message: dict[str, Any]) -> list[str]:
    """The DOIs a work's ``relation`` says it is a preprint of (``is-preprint-of``)."""
    relations = (message.get("relation") or {}).get("is-preprint-of") or []
    return [str(r["id"]) for r in relations if isinstance(r, dict) and r.get("id-type") == "doi" and r.get("id")]


def paper_from_message(message: dict[str, Any]) -> Paper:
    """One Crossref work message (as in ``/works/{doi}`` or a search's ``items``) as a paper."""
    title = _first(message.get("title"))
    subtitle = _first(message.get("subtitle"))
    if title and subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    if not title:
        raise SourceError("Crossref's record has no title")
    year, month = _date_parts(message)
    authors = [a for a in (_author(p) for p in message.get("author") or [] if isinstance(p, dict)) if a]
    extra: dict[str, str] = {}
    for field, name in (("issue", "number"), ("publisher", "publisher"), ("article-number", "eid")):
        value = message.get(field)
        if isinstance(value, str) and value.strip():
            extra[name] = squash(value)
    abstract = message.get("abstract")
    try:
        return Paper(
            key=PLACEHOLDER_KEY,
            type=ENTRY_TYPES.get(str(message.get("type")), "misc"),
            title=title,
            authors=authors,
            year=year,
            month=month,
            venue=_first(message.get("container-title")),
            volume=_first(message.get("volume")),
            pages=page_range(page) if (page := _first(message.get("page"))) else None,
            doi=message.get("DOI"),
            url=_first(message.get("URL")),
            abstract=jats_to_text(abstract) if isinstance(abstract, str) else None,
            extra=extra,
        )
    except ValueError as exc:
        raise SourceError(f"Crossref's record is not usable ({exc})") from None


def _not_found_or_error(exc: FetchError) -> str:
    if exc.status == 404:
        return "Crossref has no record of this DOI (DataCite DOIs, e.g. of datasets, are not in Crossref)"
    if exc.status == 400:
        try:
            details = json.loads(exc.body).get("message")
            detail = "; ".join(str(d.get("message")) for d in details if isinstance(d, dict))
        except (ValueError, AttributeError, TypeError):
            detail = short_body(exc.body)
        return f"{exc}: {detail}" if detail else str(exc)
    return f"{exc}: {short_body(exc.body)!r}" if exc.body.strip() else str(exc)


def open_source(context: SourceContext) -> CrossrefSource:
    """Crossref as registered in :mod:`litmap.sources`: its API and pause from ``[sources]``."""
    return CrossrefSource(
        context.client, context["crossref_api"], context.contact_email, delay=context["crossref_delay"]
    )


class CrossrefSource:
    """Fetches work records from Crossref, one DOI per request."""

    def __init__(
        self,
        client: HttpClient,
        api_url: str,
        contact_email: str | None = None,
        delay: float = 0.2,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.api_url = api_url.rstrip("/")
        self.contact_email = contact_email
        self.limiter = RateLimiter(delay, clock=clock, sleep=sleep)

    def work_url(self, doi: str) -> str:
        """Where the record of ``doi`` is: the DOI goes in the path, escaped only where a path needs it."""
        return f"{self.api_url}/works/{quote(doi, safe=_DOI_PATH_SAFE)}"

    def fetch(self, ids: Sequence[str]) -> Iterator[Lookup]:
        """One Lookup per DOI."""
        params = {"mailto": self.contact_email} if self.contact_email else None
        for doi in ids:
            try:
                text = polite_get(self.client, self.limiter, self.work_url(doi), params)
                yield Lookup(doi, paper=parse_work(text))
            except FetchError as exc:
                yield Lookup(doi, error=_not_found_or_error(exc))
            except SourceError as exc:
                yield Lookup(doi, error=str(exc))

    def search(self, title: str, first_author: str | None = None, rows: int = 5) -> list[tuple[Paper, dict[str, Any]]]:
        """Works matching a title (``query.bibliographic``) and first author; FetchError on failure."""
        params = {"query.bibliographic": title, "rows": str(rows)}
        if first_author:
            params["query.author"] = first_author
        if self.contact_email:
            params["mailto"] = self.contact_email
        return parse_search(polite_get(self.client, self.limiter, f"{self.api_url}/works", params))
