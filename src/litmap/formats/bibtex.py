"""Papers to BibTeX that both classic ``bibtex`` and ``biber`` read without a warning.

One entry per paper, fields in a fixed order, entries sorted by key: the same library always gives
the same bytes. Entry types follow what the standard styles expect: ``@article`` with ``journal``,
``@inproceedings`` with ``booktitle``, ``@book`` with ``publisher``, ``@techreport`` with
``institution``, and ``@misc`` with ``howpublished`` and ``url`` for blog posts, preprints and
web-published articles (Distill, the Transformer Circuits Thread). A type whose container is
unknown falls back to ``@misc`` rather than leave a required field empty. arXiv papers carry
``eprint``/``archivePrefix``/``primaryClass``. The library's ``note`` (a curator's note), its
categories and tags are not exported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from litmap.dates import distinct_release
from litmap.errors import InvalidValue
from litmap.formats import ExportContext
from litmap.formats.latex_escape import escape, verbatim
from litmap.formats.protect import ProtectedTerms
from litmap.models import MONTHS, Author, Paper
from litmap.pages import page_range

#: Venues that publish on the web without volumes or pages: exported as ``@misc`` + ``howpublished``.
DEFAULT_WEB_VENUES = ("Distill", "Transformer Circuits Thread", "LessWrong", "AI Alignment Forum")

#: litmap entry type -> (BibTeX type, the field that names its container).
TYPES: dict[str, tuple[str, str]] = {
    "article": ("article", "journal"),
    "inproceedings": ("inproceedings", "booktitle"),
    "conference": ("inproceedings", "booktitle"),
    "incollection": ("incollection", "booktitle"),
    "inbook": ("incollection", "booktitle"),
    "book": ("book", "publisher"),
    "proceedings": ("proceedings", "publisher"),
    "techreport": ("techreport", "institution"),
    "report": ("techreport", "institution"),
    "phdthesis": ("phdthesis", "school"),
    "thesis": ("phdthesis", "school"),
    "mastersthesis": ("mastersthesis", "school"),
    "manual": ("manual", "organization"),
    "booklet": ("booklet", "howpublished"),
    "unpublished": ("unpublished", "note"),
}
#: Types that need an author in the standard styles (else they fall back to ``@misc``).
_NEEDS_AUTHOR = {"article", "inproceedings", "incollection", "book", "techreport", "phdthesis", "mastersthesis"}
#: Types whose standard drivers refuse ``volume`` and ``number`` together ("can't use both").
_VOLUME_OR_NUMBER = {"inproceedings", "incollection", "book", "proceedings"}
#: Fields read verbatim (URLs, identifiers): never LaTeX-escaped.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "pdf"})
#: Extra fields never copied: they point at other entries, which an export may not contain.
_SKIPPED_EXTRAS = frozenset({"crossref", "xdata", "ids", "related", "abstract"})
_ARXIV_CLASS_FIELDS = ("primaryclass", "primary_class", "eprintclass", "arxiv_primary_class")
_AND = re.compile(r"(?i)(?:^|\s)and(?:\s|$)")


@dataclass(frozen=True)
class BibtexOptions:
    """How to write entries: ASCII-only, abstracts, protected terms, web venues."""

    ascii_only: bool = False
    abstracts: bool = False
    protected: ProtectedTerms = field(default_factory=ProtectedTerms)
    web_venues: tuple[str, ...] = DEFAULT_WEB_VENUES

    @classmethod
    def from_settings(cls, export: Mapping[str, Any], where: str = "litmap.toml", **overrides: Any) -> BibtexOptions:
        """Options from a library's ``[export]`` table (``protected_terms``, ``web_venues``...)."""
        venues = export.get("web_venues", list(DEFAULT_WEB_VENUES))
        if not isinstance(venues, list) or not all(isinstance(v, str) for v in venues):
            raise InvalidValue(f'{where}: [export] web_venues must be a list of strings, e.g. ["Distill"]')
        return cls(protected=ProtectedTerms.from_settings(export, where), web_venues=tuple(venues), **overrides)


def export_bibtex(papers: Sequence[Paper], context: ExportContext) -> str:
    """``litmap export bibtex``: the .bib file, with the library's ``[export]`` settings and the flags asked for."""
    options = BibtexOptions.from_settings(
        context.settings,
        context.settings_path,
        ascii_only=context.flags.get("ascii", False),
        abstracts=context.flags.get("abstracts", False),
    )
    return papers_to_bibtex(papers, options, {p.key: context.other_keys(p.key) for p in papers})


def papers_to_bibtex(
    papers: Iterable[Paper], options: BibtexOptions | None = None, ids: Mapping[str, list[str]] | None = None
) -> str:
    """A whole .bib file: one entry per paper, sorted by key, separated by blank lines.

    ``ids`` maps an entry's key to other keys that must resolve to it (biblatex's ``ids`` field).
    """
    options = options or BibtexOptions()
    ids = ids or {}
    entries = [paper_to_bibtex(p, options, ids.get(p.key, ())) for p in sorted(papers, key=lambda p: p.key)]
    return "\n".join(entries)


def paper_to_bibtex(paper: Paper, options: BibtexOptions | None = None, ids: Iterable[str] = ()) -> str:
    """One BibTeX entry, ending with a newline; ``ids`` are other keys biber resolves to it."""
    options = options or BibtexOptions()
    entry_type, fields = entry_fields(paper, options)
    lines = [f"@{entry_type}{{{paper.key},"]
    lines.extend(f"  {name} = {value}," for name, value in fields)
    also = list(ids)
    if also:
        lines.append(f"  ids = {{{', '.join(also)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def entry_type(paper: Paper, web_venues: Iterable[str] = DEFAULT_WEB_VENUES) -> tuple[str, str]:
    """The BibTeX type of ``paper`` and the field its venue goes in."""
    bib_type, container = TYPES.get(paper.type, ("misc", "howpublished"))
    venue = _container_value(paper, container)
    web = {v.casefold() for v in web_venues}
    is_web = paper.venue is not None and (paper.venue.casefold() in web or "blog" in paper.venue.casefold())
    if (bib_type == "article" and is_web) or not venue or (bib_type in _NEEDS_AUTHOR and not paper.authors):
        return "misc", "howpublished"
    return bib_type, container


def entry_fields(paper: Paper, options: BibtexOptions) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and its ``(name, value)`` pairs, values already braced or bare macros."""
    bib_type, container = entry_type(paper, options.web_venues)

    def text(value: str) -> str:
        return "{" + escape(value, options.ascii_only) + "}"

    out: list[tuple[str, str]] = []
    if paper.authors:
        out.append(("author", "{" + " and ".join(_name(a, options.ascii_only) for a in paper.authors) + "}"))
    out.append(("title", "{" + _title(paper.title, options) + "}"))
    container_value = _container_value(paper, container) or paper.venue
    if container_value:
        out.append((container, text(container_value)))
    if paper.year:
        out.append(("year", f"{{{paper.year}}}"))
    if paper.month:
        out.append(("month", MONTHS[paper.month - 1]))
    released = distinct_release(paper.released, paper.year, paper.month)
    if released:  # biblatex's date of the original release; bibtex skips fields it does not use
        out.append(("origdate", f"{{{released}}}"))
    if paper.volume:
        out.append(("volume", text(paper.volume)))
    extra = dict(paper.extra)
    number = extra.pop("number", None)
    if number and bib_type in _VOLUME_OR_NUMBER and paper.volume:
        extra.setdefault("issue", number)
    elif number:
        out.append(("number", text(number)))
    if paper.pages:
        out.append(("pages", text(page_range(paper.pages))))
    taken = {name for name, _value in out} | {container}
    arxiv_fields = _arxiv_fields(paper)
    taken |= {name.lower() for name, _value in arxiv_fields} | set(_ARXIV_CLASS_FIELDS)
    for name in sorted(extra):
        if name in taken or name in _SKIPPED_EXTRAS:
            continue
        value = extra[name]
        out.append((name, "{" + verbatim(value) + "}" if name in VERBATIM_FIELDS else text(value)))
    if paper.doi:
        out.append(("doi", "{" + verbatim(paper.doi) + "}"))
    out.extend(arxiv_fields)
    if paper.url:
        out.append(("url", "{" + verbatim(paper.url) + "}"))
    if options.abstracts and paper.abstract:
        out.append(("abstract", text(paper.abstract)))
    return bib_type, out


def _container_value(paper: Paper, container: str) -> str | None:
    """What goes in the container field: the venue, or an extra field of that name (a book's
    ``publisher``, a ``howpublished`` kept by an import)."""
    if container == "publisher":
        return paper.extra.get("publisher") or paper.venue
    return paper.venue or paper.extra.get(container)


def _title(title: str, options: BibtexOptions) -> str:
    """The title escaped, with protected words (never the whole title) in braces."""
    return "".join(
        "{" + escape(piece, options.ascii_only) + "}" if protect else escape(piece, options.ascii_only)
        for piece, protect in options.protected.split(title)
    )


def _name(author: Author, ascii_only: bool) -> str:
    """``Family, Given``; an organisation, or a part with a comma or the word "and", braced whole."""
    return _name_text(author.family, author.given, ascii_only)


@lru_cache(maxsize=1 << 16)  # a library names the same people again and again
def _name_text(family: str, given: str, ascii_only: bool) -> str:
    family = escape(family, ascii_only)
    if not given:
        return "{" + family + "}"
    given = escape(given, ascii_only)
    if "," in family or _AND.search(family):
        family = "{" + family + "}"
    if "," in given or _AND.search(given):
        given = "{" + given + "}"
    return f"{family}, {given}"


def _arxiv_fields(paper: Paper) -> list[tuple[str, str]]:
    """``eprint``, ``archivePrefix`` and, when known, ``primaryClass`` of an arXiv paper."""
    if not paper.arxiv:
        return []
    out = [("eprint", "{" + verbatim(paper.arxiv) + "}"), ("archivePrefix", "{arXiv}")]
    primary = next((paper.extra[f] for f in _ARXIV_CLASS_FIELDS if paper.extra.get(f)), None)
    if primary is None and "/" in paper.arxiv:
        primary = paper.arxiv.split("/", 1)[0]
    if primary:
        out.append(("primaryClass", "{" + escape(primary) + "}"))
    return out
