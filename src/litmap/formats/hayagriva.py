"""Papers to Hayagriva YAML, the native bibliography format of Typst (``#bibliography("refs.yml")``).

One entry per paper, sorted by key, fields in a fixed order, so the same library gives the same
bytes. The venue is the entry's ``parent`` (a periodical, proceedings, book, blog or repository)
and holds the volume and issue; DOI and arXiv id go in ``serial-number``. Words whose case a style
must keep (acronyms, the library's protected terms: the rule BibTeX export uses) are in braces,
which Hayagriva prints verbatim. Every string is double-quoted, so no value is read as a number,
date or YAML syntax by accident.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from litmap.formats import ExportContext
from litmap.formats.bibtex import DEFAULT_WEB_VENUES, BibtexOptions
from litmap.formats.latex_text import with_plain_dollars
from litmap.formats.protect import ProtectedTerms
from litmap.models import Author, Paper
from litmap.pages import page_range

#: litmap entry type -> (Hayagriva type, the type of the parent that holds the venue, or None).
TYPES: dict[str, tuple[str, str | None]] = {
    "article": ("article", "periodical"),
    "inproceedings": ("article", "proceedings"),
    "conference": ("article", "proceedings"),
    "incollection": ("chapter", "book"),
    "inbook": ("chapter", "book"),
    "book": ("book", None),
    "proceedings": ("proceedings", None),
    "techreport": ("report", None),
    "report": ("report", None),
    "phdthesis": ("thesis", None),
    "mastersthesis": ("thesis", None),
    "thesis": ("thesis", None),
    "manual": ("reference", None),
    "booklet": ("misc", None),
    "unpublished": ("manuscript", None),
    "online": ("web", None),
}
#: Types whose venue is the organisation that made them (institution, school), not a parent.
_ORGANISATION_VENUE = {"report", "thesis", "reference"}
_INTEGER = re.compile(r"[1-9]\d{0,8}")


def export_hayagriva(papers: Sequence[Paper], context: ExportContext) -> str:
    """``litmap export hayagriva``: protected terms and web venues from the library's ``[export]`` settings.

    A paper a draft cites under two keys is an entry under each (Hayagriva has no aliases).
    """
    settings = BibtexOptions.from_settings(context.settings, context.settings_path)
    every = context.under_every_cited_key(papers)
    return papers_to_hayagriva(every, settings.protected, settings.web_venues, context.flags.get("abstracts", False))


def papers_to_hayagriva(
    papers: Iterable[Paper],
    protected: ProtectedTerms | None = None,
    web_venues: Iterable[str] = DEFAULT_WEB_VENUES,
    abstracts: bool = False,
) -> str:
    """A Hayagriva YAML file of ``papers`` (sorted by key); abstracts only if asked for."""
    protected = protected or ProtectedTerms()
    web = {v.casefold() for v in web_venues}
    entries = [paper_to_hayagriva(p, protected, web, abstracts) for p in sorted(papers, key=lambda p: p.key)]
    return "\n".join(entries)


def paper_to_hayagriva(
    paper: Paper, protected: ProtectedTerms | None = None, web: set[str] | None = None, abstracts: bool = False
) -> str:
    """One entry: the key, then its fields indented, ending with a newline."""
    protected = protected or ProtectedTerms()
    web = web if web is not None else {v.casefold() for v in DEFAULT_WEB_VENUES}
    kind, parent_kind = _types(paper, web)
    lines = [f"{_string(paper.key)}:", f"  type: {kind}", f"  title: {_string(_braced(paper.title, protected))}"]
    if paper.authors:
        lines.append("  author:")
        lines.extend(f"    - {_person(author)}" for author in paper.authors)
    if paper.year:
        date = f"{paper.year:04d}-{paper.month:02d}" if paper.month else f"{paper.year:04d}"
        lines.append(f"  date: {_string(date)}")
    if paper.pages:
        lines.append(f"  page-range: {_string(page_range(paper.pages, dash='-'))}")
    extra = paper.extra
    if "edition" in extra:
        lines.append(f"  edition: {_number(extra['edition'])}")
    publisher = extra.get("publisher")
    if paper.venue and kind in _ORGANISATION_VENUE:
        lines.append(f"  organization: {_string(paper.venue)}")
    if kind in ("book", "proceedings") and (publisher or paper.venue):
        lines.append(f"  publisher: {_string(_braced(publisher or paper.venue or '', protected))}")
        publisher = None
    if paper.url or paper.arxiv:
        lines.append(f"  url: {_string(paper.url or f'https://arxiv.org/abs/{paper.arxiv}')}")
    numbers = {"doi": paper.doi, "arxiv": paper.arxiv, "isbn": extra.get("isbn"), "issn": extra.get("issn")}
    serial = [(name, value) for name, value in numbers.items() if value]
    if serial:
        lines.append("  serial-number:")
        lines.extend(f"    {name}: {_string(value)}" for name, value in serial)
    if abstracts and paper.abstract:
        lines.append(f"  abstract: {_string(paper.abstract.strip())}")
    parent = _parent(paper, kind, parent_kind, publisher, protected)
    if parent:
        lines.append("  parent:")
        lines.extend(f"    {line}" for line in parent)
    elif paper.volume:
        lines.append(f"  volume: {_number(paper.volume)}")
    return "\n".join(lines) + "\n"


def _types(paper: Paper, web: set[str]) -> tuple[str, str | None]:
    """The entry type and its parent's type, from the litmap type, else from the venue.

    A journal article stays in a periodical even on the web (Distill has volumes and DOIs); a
    post on a blog, or any untyped item from a web venue, is an article in a blog.
    """
    venue = (paper.venue or "").casefold()
    if "blog" in venue:
        return "article", "blog"
    if paper.type in TYPES:
        return TYPES[paper.type]
    if venue and venue in web:
        return "article", "blog"
    if paper.arxiv:
        return "article", "repository"
    return ("web", None) if paper.url else ("misc", None)


def _parent(
    paper: Paper, kind: str, parent_kind: str | None, publisher: str | None, protected: ProtectedTerms
) -> list[str]:
    """The parent's fields: the venue (``arXiv`` for a preprint), its volume, issue and publisher."""
    if parent_kind is None:
        return []
    title = paper.venue
    if not title and parent_kind == "repository":
        title = "arXiv"
    if not title:
        return []
    lines = [f"type: {parent_kind}", f"title: {_string(_braced(title, protected))}"]
    if paper.volume:
        lines.append(f"volume: {_number(paper.volume)}")
    number = paper.extra.get("number") or paper.extra.get("issue")
    if number:
        lines.append(f"issue: {_number(number)}")
    if publisher:
        lines.append(f"publisher: {_string(publisher)}")
    return lines


def _braced(text: str, protected: ProtectedTerms) -> str:
    """``text`` with the words whose case must be kept in braces (literal braces escaped)."""
    pieces = []
    for piece, keep in protected.split(with_plain_dollars(text)):
        escaped = piece.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$")
        pieces.append("{" + escaped + "}" if keep else escaped)
    return "".join(pieces)


def _person(author: Author) -> str:
    """``"Family, Given"``, or a mapping when a part has a comma of its own.

    A given name with a comma is BibTeX's ``Jr., John`` (suffix first), as in ``Doe, Jr., John``.
    """
    if "," not in author.family and "," not in author.given:
        return _string(f"{author.family}, {author.given}" if author.given else author.family)
    fields = [f"name: {_string(author.family)}"]
    suffix, _comma, given = author.given.rpartition(",") if "," in author.given else ("", "", author.given)
    if given.strip():
        fields.append(f"given-name: {_string(given.strip())}")
    if suffix.strip():
        fields.append(f"suffix: {_string(suffix.strip())}")
    return "{ " + ", ".join(fields) + " }"


def _number(value: str) -> str:
    """A plain integer as a YAML integer, anything else (``"6A"``, ``"2-3"``) as a string."""
    return value if _INTEGER.fullmatch(value) else _string(value)


def _string(value: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)
