"""Papers to BibTeX that both classic ``bibtex`` and ``biber`` read, giving back what an import brought.

One entry per paper, fields in a fixed order, entries sorted by key: the same library always gives
the same bytes. Each paper keeps its entry type, and its venue goes in that type's container field
(:mod:`litmap.formats.bibtex_fields`: ``journal``, ``booktitle``, ``publisher``, ``institution``,
``school``, ``howpublished``), unless the entry brought it in a field of its own. Every extra field is
written under its BibTeX name; verbatim ones (``file``, ``date``, ``eprint``...) as they are; text
LaTeX-escaped, except math and macros an import kept as typed. arXiv papers carry
``eprint``/``archivePrefix``/``primaryClass``. The library's ``note`` (a curator's note), its
categories and tags are not exported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any

from litmap.dates import distinct_release
from litmap.errors import InvalidValue
from litmap.formats import ExportContext
from litmap.formats.bibtex_fields import CONTAINERS, UNTITLED, VENUE_SOURCES, VERBATIM_FIELDS, bibtex_name
from litmap.formats.latex_escape import balanced, escape, latex_balanced, unchanged, verbatim
from litmap.formats.protect import ProtectedTerms
from litmap.models import MONTHS, Author, Paper, needs_title
from litmap.pages import page_range

#: Venues that publish on the web without volumes or pages: exported as ``@misc`` + ``howpublished``.
DEFAULT_WEB_VENUES = ("Distill", "Transformer Circuits Thread", "LessWrong", "AI Alignment Forum")

#: Extra fields not written as they are: the abstract only with ``--abstracts``; an entry's own ``ids``
#: join the other keys that resolve to it, in one ``ids`` field.
_SKIPPED_EXTRAS = frozenset({"abstract", "ids"})
_ARXIV_CLASS_FIELDS = ("primaryclass", "primary_class", "eprintclass", "arxiv_primary_class")
_AND = re.compile(r"(?i)(?:^|\s)and(?:\s|$)")
#: A verbatim value BibTeX cannot carry as is: unbalanced braces or control characters.
_SAFE_VERBATIM = re.compile(r"[^\x00-\x1f\x7f]*")


@dataclass(frozen=True)
class BibtexOptions:
    """How to write entries: ASCII-only, abstracts, protected terms, web venues."""

    ascii_only: bool = False
    abstracts: bool = False
    protected: ProtectedTerms = field(default_factory=ProtectedTerms)
    web_venues: tuple[str, ...] = DEFAULT_WEB_VENUES
    #: Each author's written name by the Author object (``id`` -> author, name): papers loaded from
    #: the index share their authors, so a name is written once per export. A memo, not an option.
    names: dict[int, tuple[Author, str]] = field(default_factory=dict, init=False, compare=False, repr=False)

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
    aliased = context.also_cited_as or context.own_keys
    entries = bibtex_entries(papers, options, {p.key: context.other_keys(p.key) for p in papers} if aliased else {})
    text = "\n".join(entries)
    if not options.ascii_only and not text.isascii():
        from litmap.formats.pdflatex import untypeset

        left = untypeset("\n".join([entry for entry in entries if not entry.isascii()]))
        if left:
            shown = ", ".join(f"{c} (U+{ord(c[0]):04X})" for c in left[:5]) + (", ..." if len(left) > 5 else "")
            context.warnings.append(
                f"{len(left)} character(s) with no LaTeX form pdflatex typesets stay UTF-8: {shown};"
                " compile with xelatex/lualatex (biblatex), or export with --ascii"
            )
    return text


def papers_to_bibtex(
    papers: Iterable[Paper], options: BibtexOptions | None = None, ids: Mapping[str, list[str]] | None = None
) -> str:
    """A whole .bib file: one entry per paper, sorted by key, separated by blank lines.

    ``ids`` maps an entry's key to other keys that must resolve to it (biblatex's ``ids`` field).
    """
    return "\n".join(bibtex_entries(papers, options, ids))


def bibtex_entries(
    papers: Iterable[Paper], options: BibtexOptions | None = None, ids: Mapping[str, list[str]] | None = None
) -> list[str]:
    """The entries of :func:`papers_to_bibtex`, sorted by key."""
    options = options or BibtexOptions()
    ids = ids or {}
    return [paper_to_bibtex(p, options, ids.get(p.key, ())) for p in sorted(papers, key=attrgetter("key"))]


def paper_to_bibtex(paper: Paper, options: BibtexOptions | None = None, ids: Iterable[str] = ()) -> str:
    """One BibTeX entry, ending with a newline; ``ids`` are other keys biber resolves to it."""
    options = options or BibtexOptions()
    entry_type, fields = entry_fields(paper, options)
    lines = [f"@{entry_type}{{{paper.key},", *[f"  {name} = {value}," for name, value in fields]]
    own = [key.strip() for key in paper.extra["ids"].split(",") if key.strip()] if "ids" in paper.extra else []
    also = list(dict.fromkeys([*own, *ids])) if own or ids else []
    if also:
        lines.append(f"  ids = {{{', '.join(also)}}},")
    lines.append("}\n")
    return "\n".join(lines)


def entry_type(paper: Paper) -> tuple[str, str | None]:
    """The BibTeX type of ``paper`` (its own type, as imported or recorded) and the field its venue goes in."""
    return paper.type, CONTAINERS.get(paper.type, "howpublished")


def entry_fields(paper: Paper, options: BibtexOptions) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and its ``(name, value)`` pairs, values already braced or bare macros."""
    bib_type, container = entry_type(paper)

    def text(value: str) -> str:
        return "{" + escape(value, options.ascii_only) + "}"

    extra = (
        {bibtex_name(name): value for name, value in paper.extra.items() if name not in _SKIPPED_EXTRAS}
        if paper.extra
        else {}
    )
    untitled = bool(extra) and extra.pop(UNTITLED, "") == "true" and not needs_title(paper.type)
    out: list[tuple[str, str]] = []
    if paper.authors:
        out.append(("author", _authors(paper.authors, options)))
    if not untitled:  # an entry biblatex lets go without a title gets none (litmap made one up to show)
        out.append(("title", "{" + _title(paper, options) + "}"))
    # The venue goes in the type's container field, unless the entry brought it in a field of its own.
    if paper.venue and container and not (extra and any(extra.get(name) == paper.venue for name in VENUE_SOURCES)):
        out.append((container, text(extra.pop(container, "") or paper.venue)))
    if "year" in extra:
        out.append(("year", text(extra.pop("year"))))
    elif paper.year:
        out.append(("year", f"{{{paper.year}}}"))
    if "month" in extra:
        out.append(("month", text(extra.pop("month"))))
    elif paper.month:
        out.append(("month", MONTHS[paper.month - 1]))
    released = distinct_release(paper.released, paper.year, paper.month)
    if released:  # biblatex's date of the original release; bibtex skips fields it does not use
        out.append(("origdate", f"{{{released}}}"))
    if paper.volume:
        out.append(("volume", text(paper.volume)))
    if "number" in extra:
        out.append(("number", text(extra.pop("number"))))
    if paper.pages:
        out.append(("pages", text(page_range(paper.pages))))
    arxiv_fields = [] if "eprint" in extra else _arxiv_fields(paper)
    if extra:
        taken = {name.lower() for name, _value in out + arxiv_fields}
        if arxiv_fields:
            taken |= set(_ARXIV_CLASS_FIELDS)
        for name in sorted(extra):
            if name in taken or (name == "doi" and paper.doi):
                continue
            value = extra[name]
            out.append((name, _verbatim_value(value, options) if name in VERBATIM_FIELDS else text(value)))
    if paper.doi:
        out.append(("doi", "{" + verbatim(paper.doi) + "}"))
    out.extend(arxiv_fields)
    if paper.url:  # percent-encoded where not plain ASCII: the same URL, and safe for pdflatex's \url
        out.append(("url", _verbatim_value(paper.url, options, ascii_only=True)))
    if options.abstracts and paper.abstract:
        out.append(("abstract", text(paper.abstract)))
    return bib_type, out


def _verbatim_value(value: str, options: BibtexOptions, ascii_only: bool = False) -> str:
    """A verbatim field braced as written; percent-encoded only where BibTeX could not carry it."""
    ascii_only = ascii_only or options.ascii_only
    if _SAFE_VERBATIM.fullmatch(value) and balanced(value) and not (ascii_only and not value.isascii()):
        return "{" + value + "}"
    return "{" + verbatim(value) + "}"


def _title(paper: Paper, options: BibtexOptions) -> str:
    """The title escaped, with protected words (the library's, the paper's own, acronyms) in braces;
    math and macros kept as they are."""
    own = tuple(paper.protected)
    if not own and unchanged(paper.title):  # no escaping: only the words to protect change
        braced = options.protected.braced_words(paper.title)
        if braced is not None:
            return braced
    if "$" not in paper.title and "\\" not in paper.title:
        return "".join(_escaped_pieces(paper.title, options, own))
    from litmap.formats.latex_text import latex_islands

    out: list[str] = []
    for segment, is_latex in latex_islands(paper.title):
        if is_latex:  # braced, so that a style's case change leaves math and macro names alone
            out.append(segment if segment.startswith("{") and balanced(segment[1:-1]) else "{" + segment + "}")
        else:
            out.extend(_escaped_pieces(segment, options, own))
    title = "".join(out)
    if not latex_balanced(title):  # math or a macro whose braces do not pair: escape all of it
        return "".join(_escaped_pieces(paper.title, options, own, keep_latex=False))
    return title


def _escaped_pieces(text: str, options: BibtexOptions, own: tuple[str, ...], keep_latex: bool = True) -> Iterator[str]:
    """``text`` escaped piece by piece, the pieces that need protection in braces."""
    for piece, protect in options.protected.split(text, own):
        escaped = escape(piece, options.ascii_only, keep_latex=keep_latex)
        yield "{" + escaped + "}" if protect else escaped


def _authors(authors: Iterable[Author], options: BibtexOptions) -> str:
    """The ``author`` field's braced value: each name as :func:`_name_text` writes it, joined by "and"."""
    names = options.names
    out: list[str] = []
    for author in authors:
        held = names.get(id(author))
        if held is None or held[0] is not author:
            held = names[id(author)] = (author, _name_text(author.family, author.given, options.ascii_only))
        out.append(held[1])
    return "{" + " and ".join(out) + "}"


@lru_cache(maxsize=1 << 16)  # a library names the same people again and again
def _name_text(family: str, given: str, ascii_only: bool) -> str:
    """``Family, Given``; an organisation, or a part with a comma or the word "and", braced whole."""
    family = escape(family, ascii_only)
    if not given:
        return family if family == "others" else "{" + family + "}"
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
