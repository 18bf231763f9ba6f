"""Which version of a paper an export describes: the published one (the record) or its arXiv preprint.

A record that describes a published version and keeps its arXiv id has both. ``export --prefer
preprint`` writes such a paper as its preprint: an arXiv ``misc`` entry dated by the first release
(``released``), without the publication's venue, volume, pages, DOI, issue and publisher, and with
the arXiv page as its URL. Key, title, authors, abstract and the arXiv id stay. A paper that is only
a preprint, or has no arXiv id, is exported as it is either way.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from litmap.dates import released_year
from litmap.services.upgrade import PUBLISHED_EXTRAS, is_preprint_only

if TYPE_CHECKING:
    from collections.abc import Iterable

    from litmap.models import Paper

Preference = Literal["published", "preprint"]
PREFERENCES: tuple[Preference, ...] = ("published", "preprint")
PREPRINT_VENUE = "arXiv preprint"
#: Extra fields that belong to the publication, not to the preprint.
PUBLICATION_EXTRAS = frozenset(
    (*PUBLISHED_EXTRAS, "issue", "address", "editor", "series", "organization", "isbn", "issn", "eventtitle")
)
_NEW_STYLE_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_STYLE_ID = re.compile(r"^[a-z.-]+/(\d{2})\d{2}\d{3}$")


def preferred_versions(papers: Iterable[Paper], prefer: str) -> list[Paper]:
    """``papers`` as ``prefer`` asks: unchanged for ``"published"``, each one's preprint for ``"preprint"``."""
    if prefer not in PREFERENCES:
        from litmap.errors import InvalidValue

        raise InvalidValue(f"not a version to prefer: {prefer!r} (use published or preprint)")
    return [as_preprint(p) if prefer == "preprint" else p for p in papers]


def has_both_versions(paper: Paper) -> bool:
    """Whether the record describes a publication and also names its arXiv preprint."""
    return bool(paper.arxiv) and not is_preprint_only(paper)


def as_preprint(paper: Paper) -> Paper:
    """The entry for ``paper``'s arXiv preprint (``paper`` itself when it has no other version)."""
    if not has_both_versions(paper):
        return paper
    year = released_year(paper.released) or arxiv_id_year(paper.arxiv or "") or paper.year
    month = int(paper.released[5:7]) if paper.released and len(paper.released) >= 7 else None
    extra = {name: value for name, value in paper.extra.items() if name not in PUBLICATION_EXTRAS}
    return paper.model_copy(
        update={
            "type": "misc",
            "venue": PREPRINT_VENUE,
            "year": year,
            "month": month,
            "volume": None,
            "pages": None,
            "doi": None,
            "url": f"https://arxiv.org/abs/{paper.arxiv}",
            "extra": extra,
        }
    )


def arxiv_id_year(arxiv: str) -> int | None:
    """The year in an arXiv id (``1711.11279`` -> 2017, ``hep-th/9901001`` -> 1999): when it was assigned."""
    match = _NEW_STYLE_ID.match(arxiv) or _OLD_STYLE_ID.match(arxiv)
    if match is None:
        return None
    two = int(match.group(1))
    return 2000 + two if two < 91 else 1900 + two
