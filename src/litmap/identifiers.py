"""Normalise the identifiers people paste: arXiv ids and DOIs. Pure functions, no I/O."""

from __future__ import annotations

import re
from urllib.parse import unquote

_NEW_ARXIV = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_OLD_ARXIV = re.compile(r"^([a-z][a-z\-]*)(\.[a-z]{2})?/(\d{7})(v\d+)?$", re.IGNORECASE)
_ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/(.+?)(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_ARXIV_DATACITE = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalize_arxiv_id(value: str) -> str:
    """Return the bare arXiv id (no prefix, URL or version) of what a user pasted.

    Accepts ``2209.10652``, ``2209.10652v2``, ``arXiv:2209.10652``, abs/pdf URLs, arXiv's own
    DataCite DOI ``10.48550/arXiv.2209.10652``, and old-style ids such as ``hep-th/9901001`` or
    ``math.GT/0309136`` (the subject class is dropped: ``math/0309136``). Raises ValueError.
    """
    text = value.strip()
    url = _ARXIV_URL.match(text)
    if url:
        text = url.group(1)
    datacite = _ARXIV_DATACITE.match(_DOI_PREFIX.sub("", text))
    if datacite:
        text = datacite.group(1)
    if text.lower().startswith("arxiv:"):
        text = text[len("arxiv:") :].strip()
    new = _NEW_ARXIV.match(text)
    if new:
        return new.group(1)
    old = _OLD_ARXIV.match(text)
    if old:
        return f"{old.group(1).lower()}/{old.group(3)}"
    raise ValueError(f"not an arXiv id: {value!r}")


def arxiv_version(value: str) -> int | None:
    """The version number a pasted arXiv id carries (``2209.10652v2`` -> 2), if any."""
    match = re.search(r"v(\d+)(?:\.pdf)?/?$", value.strip())
    return int(match.group(1)) if match else None


def arxiv_query_id(value: str) -> str:
    """The id to ask arXiv for: the bare id plus the version a user pasted (``2209.10652v2``)."""
    bare = normalize_arxiv_id(value)
    version = arxiv_version(value)
    return f"{bare}v{version}" if version else bare


def normalize_doi(value: str) -> str:
    """Return the bare DOI (``10.1038/nature03687``) of a DOI, ``doi:`` form or doi.org URL.

    Case is kept as given (DOIs compare case-insensitively: use :func:`doi_match_key`).
    Raises ValueError for anything that is not a DOI.
    """
    text = unquote(_DOI_PREFIX.sub("", value.strip())).strip()
    if not _DOI.match(text):
        raise ValueError(f"not a DOI: {value!r}")
    return text


def doi_match_key(doi: str) -> str:
    """The form two DOIs are compared in (DOIs are case-insensitive)."""
    return doi.strip().lower()


def arxiv_id_from_doi(doi: str) -> str | None:
    """The arXiv id behind arXiv's own DataCite DOI ``10.48550/arXiv.<id>``, else None."""
    match = _ARXIV_DATACITE.match(doi.strip())
    if not match:
        return None
    try:
        return normalize_arxiv_id(match.group(1))
    except ValueError:
        return None
