"""BibTeX in: .bib text (Zotero, Better BibTeX, JabRef, Mendeley, by hand) to papers. Pure, no I/O.

bibtexparser 2's splitter (sped up by :mod:`bibtex_split`) splits the file into blocks; litmap
evaluates the values itself so that every entry is treated alike, including those bibtexparser
flags: ``@string`` macros (case-insensitive, also inside ``#`` concatenations), the standard month
macros, ``crossref`` (a child inherits its parent's fields, the parent's title becoming its
booktitle; a ``@proceedings`` that only serves as a parent is not imported as a paper), LaTeX
accents and escapes to Unicode (``latex_text``), and every field litmap has no place for kept in
``Paper.extra``. A malformed entry becomes a :class:`BibItem` with the line it starts on and the
reason, and never stops the rest.

Fields litmap cannot read as what they claim to be (``year = {in press}``, ``doi = {n/a}``) are
kept verbatim as ``<field>-text`` rather than dropped.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from litmap.dates import parse_released
from litmap.formats.bibtex_comments import blank_comments
from litmap.formats.bibtex_fields import CONTAINERS, UNTITLED, VERBATIM_FIELDS
from litmap.formats.bibtex_names import parse_names
from litmap.formats.bibtex_values import ValueProblem, evaluate_value
from litmap.formats.latex_islands import latex_islands
from litmap.formats.latex_text import latex_to_paragraphs, latex_to_text, squash
from litmap.formats.protect import ProtectedTerms, braced_form
from litmap.identifiers import normalize_arxiv_id, normalize_doi
from litmap.keys import PLACEHOLDER_KEY
from litmap.models import KNOWN_FIELDS, Paper, entry_type_problem, first_problem, needs_title, parse_month
from litmap.pages import page_range as page_range_of

#: Fields naming the place a paper appeared, after the type's own container field (bibtex_fields).
VENUE_FIELDS = ("journal", "journaltitle", "booktitle")
VENUE_FALLBACKS = {
    "phdthesis": ("school", "institution"),
    "mastersthesis": ("school", "institution"),
    "thesis": ("school", "institution"),
    "techreport": ("institution",),
    "report": ("institution",),
    "book": ("publisher",),
    "mvbook": ("publisher",),
}
#: Parent types that are containers, not papers: resolved into their children, not imported.
CONTAINER_TYPES = frozenset({"proceedings", "mvproceedings", "collection", "mvcollection"})
#: A parent's fields a child must not inherit: they identify the container itself.
NOT_INHERITED = frozenset(
    "title shorttitle subtitle doi url eprint arxiv arxivid archiveprefix eprinttype abstract file keywords "
    "note annote annotation ids crossref urldate pages isbn".split()
)

_EXTRA_BAD_CHARS = re.compile(r"[^a-z0-9_\-]")
_ARXIV_IN_TEXT = re.compile(r"(?:arxiv[:\s]+|abs/)(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/", re.IGNORECASE)
_URL_MACRO = re.compile(r"\\url\s*\{([^{}]*)\}")
_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_URL_ONLY = re.compile(r"^\s*\\url\s*\{([^{}]*)\}\s*$")
_WORD_CHAR = re.compile(r"[^\W_]")
_COMMAND_OR_GROUP = re.compile(r"[\\{]")
_CONTROL_WORD = re.compile(r"[A-Za-z]+")
_YEAR = re.compile(r"\d{4}")
_YEAR_IN_TEXT = re.compile(r"\b(1\d{3}|2\d{3})\b")
_DATE_START = re.compile(r"^(\d{4})(?:-(\d{2}))?")
_MONTH_WORD = re.compile(r"[A-Za-z]+\.?|\d{1,2}")


@dataclass
class BibEntry:
    """One entry with its values evaluated (macros, concatenation) but still LaTeX-encoded."""

    type: str
    key: str
    fields: dict[str, str]
    line: int


@dataclass(frozen=True)
class BibItem:
    """One entry of the file: the paper it gives, or why it gives none."""

    line: int
    key: str
    paper: Paper | None = None
    error: str | None = None
    #: What the import changed about the entry, and why (an unknown entry type read as ``misc``).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Folded:
    """A crossref parent (a ``@proceedings``) folded into its children instead of imported: its line,
    key, and the lines of the children that inherit from it."""

    line: int
    key: str
    children: tuple[int, ...]


@dataclass
class BibDocument:
    """A .bib file read: its entries in file order, and the blocks that could not be read."""

    entries: list[BibEntry] = field(default_factory=list)
    failures: list[BibItem] = field(default_factory=list)
    containers: list[BibEntry] = field(default_factory=list)
    folded: list[Folded] = field(default_factory=list)
    #: (line, text) of what the reading noticed outside entries (a macro defined twice).
    notes: list[tuple[int, str]] = field(default_factory=list)


# -- reading the file ----------------------------------------------------------------------------


def _abort_reason(error: Exception) -> str:
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    if "Unexpected block start" in reason:
        return "the entry is not closed before the next @ (a missing brace, quote or comma?)"
    if "end of file" in reason:
        return "the entry is not closed before the end of the file (a missing brace or quote?)"
    return squash(reason.replace("`", "'"))


def _raw_key(raw: str | None) -> str:
    match = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s{}()]*)", raw or "")
    return match.group(1) if match else ""


def read_bibtex(text: str) -> BibDocument:
    """Split ``text`` into evaluated entries (crossref resolved) and failures with their lines; ``%``
    comments are comments (:func:`blank_comments`), also when they hold a whole entry."""
    import logging

    from bibtexparser import model

    from litmap.formats.bibtex_split import split_bibtex

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = split_bibtex(blank_comments(text))
    document = BibDocument()
    macros: dict[str, str] = {}
    again = [
        b.ignore_error_block
        for b in library.failed_blocks
        if isinstance(b, model.DuplicateBlockKeyBlock) and isinstance(b.ignore_error_block, model.String)
    ]
    for string in sorted([*library.strings, *again], key=lambda b: b.start_line or 0):
        line = (string.start_line or 0) + 1
        name = string.key.lower()
        try:
            value = evaluate_value(str(string.value), macros)
        except ValueProblem as exc:
            document.failures.append(BibItem(line, f"@string {string.key}", error=str(exc)))
            continue
        if name in macros and macros[name] != value:  # as BibTeX does, the later definition holds
            document.notes.append((line, f"@string {string.key} is defined again: this definition is used"))
        macros[name] = value

    blocks: list[Any] = sorted(
        [*library.entries, *library.failed_blocks], key=lambda b: b.start_line if b.start_line is not None else 0
    )
    del library
    blocks.reverse()
    while blocks:
        block = blocks.pop()  # each block let go once read: bibtexparser's objects never all beside the entries
        line = (block.start_line or 0) + 1
        if isinstance(block, model.DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            key = getattr(block.ignore_error_block, "key", "") or ""
            document.failures.append(BibItem(line, key, error=f"field given twice: {names}"))
            continue
        entry_block = block.ignore_error_block if isinstance(block, model.DuplicateBlockKeyBlock) else block
        if isinstance(entry_block, model.String):
            continue  # a macro defined again: read above
        if not isinstance(entry_block, model.Entry):
            error = block.error if isinstance(block, model.ParsingFailedBlock) else ValueError("unreadable")
            document.failures.append(BibItem(line, _raw_key(block.raw), error=_abort_reason(error)))
            continue
        entry = _evaluate_entry(entry_block, macros, line)
        if isinstance(entry, BibItem):
            document.failures.append(entry)
        else:
            document.entries.append(entry)
    _resolve_crossrefs(document)
    return document


def _evaluate_entry(block: Any, macros: dict[str, str], line: int) -> BibEntry | BibItem:
    fields: dict[str, str] = {}
    for item in block.fields:
        name = item.key.strip().lower()
        try:
            fields[name] = evaluate_value(str(item.value), macros)
        except ValueProblem as exc:
            return BibItem(line, block.key, error=f"field {name!r}: {exc}")
    return BibEntry(type=block.entry_type.strip().lower(), key=block.key.strip(), fields=fields, line=line)


def _resolve_crossrefs(document: BibDocument) -> None:
    by_key: dict[str, BibEntry] = {}
    for entry in document.entries:
        by_key.setdefault(entry.key.lower(), entry)  # as biber does: a later entry of the same key is skipped
    children: dict[str, list[int]] = {}
    for entry in document.entries:
        seen: set[str] = set()
        while "crossref" in entry.fields:
            parent_key = entry.fields["crossref"].strip().lower()
            parent = by_key.get(parent_key)
            if parent is None or parent_key in seen or parent is entry:
                break  # an unknown parent stays a field: nothing to inherit from
            seen.add(parent_key)
            del entry.fields["crossref"]
            children.setdefault(parent_key, []).append(entry.line)
            for name, value in parent.fields.items():
                if name not in NOT_INHERITED and name not in entry.fields:
                    entry.fields[name] = value
            if "booktitle" not in entry.fields and "title" in parent.fields:
                entry.fields["booktitle"] = parent.fields["title"]
            if "crossref" in parent.fields and "crossref" not in entry.fields:
                entry.fields["crossref"] = parent.fields["crossref"]
    kept: list[BibEntry] = []
    for entry in document.entries:
        lines = children.get(entry.key.lower())
        if lines and entry.type in CONTAINER_TYPES:  # every copy of a parent's key, as in dblp exports
            document.containers.append(entry)
            document.folded.append(Folded(entry.line, entry.key, tuple(lines)))
        else:
            kept.append(entry)
    document.entries = kept


# -- entries to papers ---------------------------------------------------------------------------


def _as_written(value: str) -> str:
    """A verbatim field's value as written (whitespace squashed; a lone ``\\url{…}`` unwrapped)."""
    match = _URL_ONLY.match(value)
    return squash(match.group(1) if match else value)


def _verbatim(value: str) -> str:
    text = _HREF.sub(r"\2 (\1)", _URL_MACRO.sub(r"\1", value))
    text = text.replace("{", "").replace("}", "")
    for escaped in ("\\_", "\\%", "\\&", "\\#", "\\~"):
        text = text.replace(escaped, escaped[1])
    return squash(text)


def _extra_name(name: str) -> str:
    clean = _EXTRA_BAD_CHARS.sub("-", name.lower())
    if not clean[:1].isalpha():
        clean = "x" + clean
    return f"bibtex-{clean}" if clean in KNOWN_FIELDS else clean


def _take_year(fields: dict[str, str], extra: dict[str, str]) -> tuple[int | None, int | None]:
    year_text = squash(latex_to_text(fields.pop("year", "")))
    date_text = squash(fields.get("date", ""))
    year: int | None = None
    month: int | None = None
    if _YEAR.fullmatch(year_text) and 1000 <= int(year_text) <= 2999:
        year = int(year_text)
    elif year_text:
        extra["year-text"] = year_text
        found = _YEAR_IN_TEXT.search(year_text)
        year = int(found.group(1)) if found else None
    date = _DATE_START.match(date_text)
    if date and year is None:
        year = int(date.group(1))
        month = int(date.group(2)) if date.group(2) and 1 <= int(date.group(2)) <= 12 else None
    month_text = squash(latex_to_text(fields.pop("month", "")))
    if month_text:
        try:
            month = parse_month(month_text)
        except ValueError:
            month = None
        if month is None or not _MONTH_WORD.fullmatch(month_text):
            extra["month-text"] = month_text  # "Summer", "July 10": keep what a month number cannot say
    return year, month


def _take_released(fields: dict[str, str]) -> str | None:
    """biblatex's ``origdate`` (the original release) when it is a plain date; else it stays an extra."""
    text = squash(latex_to_text(fields.get("origdate", "")))
    try:
        released = parse_released(text)
    except ValueError:
        return None
    fields.pop("origdate", None)
    return released


def _take_arxiv(fields: dict[str, str]) -> str | None:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    candidates = [fields.get("arxiv", ""), fields.get("arxivid", "")]
    if prefix in ("arxiv", "") and fields.get("eprint"):
        candidates.insert(0, fields["eprint"])
    for value in candidates:
        if not value.strip():
            continue
        try:
            arxiv = normalize_arxiv_id(_verbatim(value))
        except ValueError:
            continue
        # The eprint an export writes back from the id is not kept twice; any other form
        # (a version, an "arXiv:" prefix) and the arxiv/arxivid fields stay as written.
        if value.strip() == arxiv and fields.get("eprint", "").strip() == arxiv:
            for name in ("eprint", "archiveprefix", "eprinttype"):
                if name == "eprint" or fields.get(name, "").strip().lower() == "arxiv":
                    fields.pop(name, None)
        return arxiv
    for name in ("url", "journal", "volume", "note", "howpublished"):
        value = fields.get(name, "")
        if name == "url" and not _ARXIV_URL.search(value):
            continue
        match = _ARXIV_IN_TEXT.search(value) if name != "url" else None
        try:
            if name == "url":
                return normalize_arxiv_id(_verbatim(value))
            if match:
                return normalize_arxiv_id(match.group(1))
        except ValueError:
            continue
    return None


def _take_venue(entry_type: str, fields: dict[str, str]) -> str | None:
    """The venue: the type's container field (taken out of ``fields``: an export writes it back
    there), else the first other field naming a container (left in ``fields``, to be written back
    as itself)."""
    container = CONTAINERS.get(entry_type)
    if container and fields.get(container, "").strip() and not _URL_MACRO.search(fields[container]):
        return latex_to_text(fields.pop(container))
    for name in VENUE_FIELDS + VENUE_FALLBACKS.get(entry_type, ()):
        value = fields.get(name)
        if value and value.strip():
            return latex_to_text(value)
    return None


def title_forms(raw: str) -> list[str]:
    """The braced words of a raw title that the automatic rule would not brace the same way.

    ``A circuit for {Python} docstrings`` -> ``["{Python}"]``; ``{A}rabic`` -> ``["{A}rabic"]``;
    ``{BERT}`` -> ``[]`` (an acronym is braced anyway). Groups of commands (``{\\"o}``, ``{\\TeX}``)
    and of math are not case protection.
    """
    forms: list[str] = []
    if "{" not in raw:
        return forms
    auto = ProtectedTerms()
    i = floor = 0
    while (special := _COMMAND_OR_GROUP.search(raw, i)) is not None:
        i = special.start()
        if raw[i] == "\\":
            name = _CONTROL_WORD.match(raw, i + 1)
            i = floor = name.end() if name else i + 2  # a macro's name is not part of the word after it
            continue
        start = i
        while start > floor and _WORD_CHAR.match(raw[start - 1]):
            start -= 1
        end = _word_end(raw, i)
        i = end
        pieces = _form_pieces(raw[start:end])
        if not any(flag for _text, flag in pieces):
            continue
        form = braced_form(pieces)
        plain = "".join(text for text, _flag in pieces)
        if any(c in plain for c in "{}\\$"):
            # Math or a macro kept as typed goes out braced anyway; in a protecting group (Mendeley braces
            # whole titles) the text around it is protected piece by piece.
            for text in _text_around_latex(pieces):
                form = "{" + text + "}"
                if form != braced_form(auto.split(text)) and form not in forms:
                    forms.append(form)
            continue
        if form != braced_form(auto.split(plain)) and form not in forms:
            forms.append(form)
    return forms


def _text_around_latex(pieces: list[tuple[str, bool]]) -> Iterator[str]:
    """The words of the braced ``pieces`` around the LaTeX they keep as typed."""
    for text, braced in pieces:
        if braced:
            for part, is_latex in latex_islands(text):
                if not is_latex and any(c.isalpha() for c in part) and not any(c in part for c in "{}\\"):
                    yield " ".join(part.split())


def _word_end(raw: str, i: int) -> int:
    """Past the word (groups and word characters) that a group opening at ``i`` belongs to."""
    while i < len(raw):
        if raw[i] == "{":
            depth = 0
            while i < len(raw):
                if raw[i] == "\\":
                    i += 2
                    continue
                depth += {"{": 1, "}": -1}.get(raw[i], 0)
                i += 1
                if depth == 0:
                    break
        elif _WORD_CHAR.match(raw[i]):
            i += 1
        else:
            break
    return min(i, len(raw))


def _form_pieces(word: str) -> list[tuple[str, bool]]:
    """A raw word cut into decoded pieces, braced groups flagged (not those of commands or math)."""
    pieces: list[tuple[str, bool]] = []
    for part in re.split(r"(\{(?:[^{}]|\{[^{}]*\})*\})", word):
        if not part:
            continue
        braced = part.startswith("{") and part.endswith("}") and part[1:2] not in ("\\", "$")
        text = latex_to_text(part)
        if text:
            pieces.append((text, braced))
    return pieces


def page_range(pages: str) -> str:
    """Pages in the library's BibTeX form: ``1102-1107``, ``1102–1107``, ``1102 --- 1107`` -> ``1102--1107``.

    Only a dash between two page numbers is a range; ``A-1`` or ``e00024.003`` stay as they are.
    """
    return page_range_of(squash(pages.replace("\\textendash", "–").replace("\\textemdash", "—")))


def untitled_title(entry: BibEntry) -> str:
    """The title shown for an entry biblatex lets go without one (``@set``, ``@xdata``...); never exported."""
    if entry.type == "set" and entry.fields.get("entryset", "").strip():
        return "Set of " + ", ".join(k.strip() for k in entry.fields["entryset"].split(",") if k.strip())
    return f"Untitled @{entry.type} {entry.key}".strip()


def _text_field(fields: dict[str, str], name: str) -> str | None:
    value = fields.pop(name, None)
    return latex_to_text(value) if value and value.strip() else None


def entry_to_paper(entry: BibEntry, key: str = PLACEHOLDER_KEY) -> Paper:
    """The paper an entry describes; ValueError (one line) when it cannot be one."""
    fields = dict(entry.fields)
    extra: dict[str, str] = {}
    raw_title = fields.get("title", "")
    title = _text_field(fields, "title")
    if not title:
        if needs_title(entry.type):
            raise ValueError("the entry has no title")
        title = untitled_title(entry)
        extra[UNTITLED] = "true"
    authors = parse_names(fields.pop("author", ""))
    year, month = _take_year(fields, extra)
    released = _take_released(fields)
    arxiv = _take_arxiv(fields)
    venue = _take_venue(entry.type, fields)
    doi_text = _verbatim(fields.pop("doi", ""))
    doi: str | None = None
    if doi_text:
        try:
            doi = normalize_doi(doi_text)
        except ValueError:
            extra["doi-text"] = doi_text
    pages = fields.pop("pages", "")
    abstract = fields.pop("abstract", "")
    aliases = _take_ids(fields, extra)
    record: dict[str, Any] = {
        "key": key,
        "type": entry.type,
        "title": title,
        "protected": title_forms(raw_title),
        "authors": authors,
        "year": year,
        "month": month,
        "released": released,
        "venue": venue,
        "volume": _text_field(fields, "volume"),
        "pages": page_range(pages) if pages.strip() else None,
        "arxiv": arxiv,
        "doi": doi,
        "url": _as_written(fields.pop("url", "")) or None,
        "abstract": latex_to_paragraphs(abstract) if abstract.strip() else None,
        "aliases": aliases,
    }
    for name, value in fields.items():
        if not value.strip():
            continue
        keep_verbatim = name in VERBATIM_FIELDS or name.endswith("url")
        # One line: a multi-line extra would not come back byte for byte from its TOML file.
        extra.setdefault(_extra_name(name), _as_written(value) if keep_verbatim else latex_to_text(value))
    record["extra"] = extra
    try:
        return Paper(**record)
    except ValueError as exc:
        raise ValueError(validation_message(exc)) from None


def validation_message(exc: ValueError) -> str:
    """The first problem of a pydantic ValidationError as ``field 'x': message`` (else the text)."""
    problem = first_problem(exc)
    where = ".".join(problem.location)
    return f"field {where!r}: {problem.message}" if where else problem.message


def _take_ids(fields: dict[str, str], extra: dict[str, str]) -> list[str]:
    """biblatex's ``ids`` (other keys of the entry) as aliases; any that cannot be one stays in ``ids``."""
    from litmap.models import ALIAS_RE

    ids = [key.strip() for key in _verbatim(fields.pop("ids", "")).split(",") if key.strip()]
    kept = [key for key in ids if ALIAS_RE.match(key)]
    if len(kept) < len(ids):
        extra["ids"] = ", ".join(key for key in ids if key not in kept)
    return kept


@dataclass(frozen=True)
class ParsedBib:
    """A .bib text read: its entries (papers or errors) in file order, the crossref parents folded into
    their children, and what was noticed outside entries, as (line, text)."""

    items: list[BibItem]
    folded: list[Folded]
    notes: list[tuple[int, str]]


def parse_bib(text: str, progress: Callable[[int, int], None] | None = None) -> ParsedBib:
    """Every entry of ``text``: each a BibItem (paper or error) or a folded crossref parent.

    ``progress(done, total)`` is called as the entries are read (every 100 entries and at the end).
    """
    from litmap.collector import collector_paused

    with collector_paused():  # reading makes no garbage cycles (bibtex_split): nothing for it to find
        document = read_bibtex(text)
        items = sorted(_convert(document, progress), key=lambda item: item.line)
    return ParsedBib(items, document.folded, document.notes)


def parse_bibtex(text: str) -> tuple[list[BibItem], list[Folded]]:
    """Every entry of ``text`` as a BibItem (paper or error), in file order; and the crossref
    containers that were folded into their children instead of imported."""
    parsed = parse_bib(text)
    return parsed.items, parsed.folded


def _convert(document: BibDocument, progress: Callable[[int, int], None] | None = None) -> Iterator[BibItem]:
    yield from document.failures
    entries, document.entries = document.entries[::-1], []
    total = len(entries)
    for done in range(1, total + 1):
        entry = entries.pop()  # let go once converted: its fields' text is not kept beside the paper's
        notes: tuple[str, ...] = ()
        if entry_type_problem(entry.type):
            notes = (f"entry type @{entry.type} is neither BibTeX's nor biblatex's: imported as @misc",)
            entry = dataclasses.replace(entry, type="misc")
        try:
            yield BibItem(entry.line, entry.key, paper=entry_to_paper(entry), notes=notes)
        except ValueError as exc:
            yield BibItem(entry.line, entry.key, error=str(exc))
        if progress and (done % 100 == 0 or done == total):
            progress(done, total)
