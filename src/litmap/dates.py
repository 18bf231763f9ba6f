"""Dates of a paper: the ``released`` date (first public release) and the years a record's own
identifiers name. No I/O.

A record's ``year``/``month`` are those of the version it describes (the published one when it
has a venue, DOI, volume or pages); ``released`` keeps the first public release (``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``), such as the first arXiv version. :func:`named_years` reads the
years that a DOI, a venue, a proceedings volume or URL state outright, so ``check`` can flag a
``year`` earlier than the publication it cites. Only patterns whose year is the publication's
(or earlier than it) are read: a year found this way is never later than the true one.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

_RELEASED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_YEAR_IN_TEXT = re.compile(r"(?<![\d/.-])(19\d\d|20\d\d)(?![\d/])")
#: Page numbers in a journal reference: a range (``1929-1958``) or a number after a colon (``80:2668``).
_PAGES = re.compile(r"(?::\s*)?\d+\s*[-\u2013\u2014]+\s*\d+|:\s*\d+")

#: DOI patterns that carry the year of the publication (or of the DOI's registration, never later).
_DOI_YEARS = (
    # IEEE conference proceedings: 10.1109/CVPR.2015.7298640, 10.1109/SaTML54575.2023.00039
    # (IEEE journals, 10.1109/TVCG.2018.2865044, carry the year of the DOI: the issue may be later).
    re.compile(r"^10\.1109/[a-z][a-z0-9-]*\.((?:19|20)\d\d)\.\d+$", re.IGNORECASE),
    # ACL Anthology, new ids: 10.18653/v1/2020.emnlp-main.395.
    re.compile(r"^10\.18653/v1/((?:19|20)\d\d)\.[a-z]"),
    # IJCAI: 10.24963/ijcai.2019/123.
    re.compile(r"^10\.24963/ijcai\.((?:19|20)\d\d)/"),
    # Elsevier journals: 10.1016/j.patrec.2021.06.030 (the year of acceptance: the issue may be later).
    re.compile(r"^10\.1016/j\.[a-z]+\.((?:19|20)\d\d)\.\d\d\.\d+$"),
)
#: AAAI proceedings: 10.1609/aaai.v35i14.17533 (volume 35 = AAAI 2021, one volume a year since volume 30).
_AAAI_DOI = re.compile(r"^10\.1609/aaai\.v(\d+)i\d+\.\d+$")
#: ACL Anthology, old ids (letter, two-digit year, number): 10.18653/v1/P19-3007, W19-4828, D17-2021.
_ACL_OLD_ID = re.compile(r"^[A-Z](\d\d)-\d{4}$")
_ACL_NEW_ID = re.compile(r"^((?:19|20)\d\d)\.[a-z][a-z0-9-]*\.\d+$")
_ACL_URL = re.compile(r"^https?://(?:www\.)?aclanthology\.org/([A-Za-z0-9.-]+?)(?:\.pdf)?/?$")
_NEURIPS_URL = re.compile(
    r"^https?://(?:papers\.nips\.cc|proceedings\.neurips\.cc)/paper(?:_files/paper)?/((?:19|20)\d\d)/"
)
_PMLR_URL = re.compile(r"^https?://proceedings\.mlr\.press/v(\d+)/")

#: Volumes of the Proceedings of Machine Learning Research, each checked against the volume's own
#: ``_config.yml`` (github.com/mlresearch/vNN): ICML and AISTATS.
PMLR_YEARS = {
    38: 2015,  # AISTATS 2015
    80: 2018,  # ICML 2018
    89: 2019,  # AISTATS 2019
    97: 2019,  # ICML 2019
    108: 2020,  # AISTATS 2020
    119: 2020,  # ICML 2020
    130: 2021,  # AISTATS 2021
    139: 2021,  # ICML 2021
    162: 2022,  # ICML 2022
    202: 2023,  # ICML 2023
    206: 2023,  # AISTATS 2023
    238: 2024,  # AISTATS 2024
}
#: Proceedings numbered by volume, one a year: (words in the venue, year of volume 0).
_VOLUME_SERIES = (
    ("neural information processing systems", 1987),  # NeurIPS 2017 = Advances ... 30
    ("aaai conference on artificial intelligence", 1986),  # AAAI 2021 = Proceedings ... 35
)


def parse_released(value: Any) -> str | None:
    """A first-release date as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ValueError for anything else.

    A TOML date (``released = 2017-11-30``) and a bare year (``2017``) are read as such.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = value.strip() if isinstance(value, str) else None
    match = _RELEASED.match(text) if text else None
    if match is None:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2017-11)")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year or 0, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2017-11)") from None
    if not 1000 <= (year or 0) <= 2999:
        raise ValueError(f"not a plausible date: {value!r}")
    return text


def released_year(released: str | None) -> int | None:
    """The year of a ``released`` value."""
    return int(released[:4]) if released else None


class NamedYear(NamedTuple):
    """A year a record's own metadata states, and where: ``("doi", 2023)``."""

    field: str
    year: int


def doi_year(doi: str | None) -> int | None:
    """The year a DOI of a known pattern carries (IEEE conferences, ACL Anthology, AAAI, IJCAI, Elsevier)."""
    if not doi:
        return None
    for pattern in _DOI_YEARS:
        match = pattern.match(doi)
        if match:
            return int(match.group(1))
    aaai = _AAAI_DOI.match(doi)
    if aaai and int(aaai.group(1)) >= 30:
        return 1986 + int(aaai.group(1))
    if doi.startswith("10.18653/v1/"):
        return acl_id_year(doi.removeprefix("10.18653/v1/"))
    return None


def acl_id_year(anthology_id: str) -> int | None:
    """The year of an ACL Anthology id: ``2022.acl-long.581`` -> 2022, ``P19-3007`` -> 2019."""
    new = _ACL_NEW_ID.match(anthology_id)
    if new:
        return int(new.group(1))
    old = _ACL_OLD_ID.match(anthology_id)
    return 2000 + int(old.group(1)) if old else None


def venue_years(venue: str | None) -> list[int]:
    """The four-digit years written in a venue: ``"ICLR 2015"`` -> [2015]."""
    return [int(y) for y in _YEAR_IN_TEXT.findall(venue)] if venue else []


def journal_ref_year(reference: str | None, not_before: int | None = None) -> int | None:
    """The publication year a journal reference states (``"ICML 2018, PMLR 80:2668-2677"`` -> 2018).

    Page numbers are not years: a range (``2014-2023``) and a number after a colon (``80:2010``)
    are skipped. Of the years left, the earliest that is not before ``not_before``
    (the preprint's year) is the publication's.
    """
    years = venue_years(_PAGES.sub(" ", reference)) if reference else []
    years = [y for y in years if not_before is None or y >= not_before]
    return min(years) if years else None


def volume_year(venue: str | None, volume: str | None, publisher: str | None = None) -> int | None:
    """The year of a proceedings volume numbered one a year (NeurIPS, AAAI) or a known PMLR volume."""
    if not venue or not volume or not volume.strip().isdigit():
        return None
    number = int(volume)
    text = venue.casefold()
    for words, base in _VOLUME_SERIES:
        if words in text:
            return base + number
    pmlr = "proceedings of machine learning research" in text or (publisher or "").strip().upper() == "PMLR"
    return PMLR_YEARS.get(number) if pmlr else None


def url_year(url: str | None) -> int | None:
    """The year in a proceedings URL: NeurIPS (``/paper/2019/hash/...``), ACL Anthology, PMLR volumes."""
    if not url:
        return None
    neurips = _NEURIPS_URL.match(url)
    if neurips:
        return int(neurips.group(1))
    acl = _ACL_URL.match(url)
    if acl:
        return acl_id_year(acl.group(1))
    pmlr = _PMLR_URL.match(url)
    return PMLR_YEARS.get(int(pmlr.group(1))) if pmlr else None


def named_years(
    *,
    doi: str | None = None,
    venue: str | None = None,
    volume: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
) -> list[NamedYear]:
    """Every year the record's DOI, venue, volume and URL state (a venue naming several: its earliest)."""
    found: list[NamedYear] = []
    years = venue_years(venue)
    candidates = (
        ("doi", doi_year(doi)),
        ("venue", min(years) if years else None),
        ("volume", volume_year(venue, volume, publisher)),
        ("url", url_year(url)),
    )
    for field, year in candidates:
        if year is not None:
            found.append(NamedYear(field, year))
    return found


def distinct_release(released: str | None, year: int | None, month: int | None) -> str | None:
    """``released`` when it says more than ``year``/``month`` (an earlier release), else None.

    Exports write the first release only then: a preprint's own date (same year and month) needs
    no second copy, which styles such as APA would print as "original work published".
    """
    if not released:
        return None
    if year is None or int(released[:4]) != year:
        return released
    if len(released) < 7:
        return None
    return None if month == int(released[5:7]) else released
