"""Exporting: which papers an export holds (named keys, a draft's citations, filters), in any format.

:class:`Selection` is what every export command accepts; :func:`choose_papers` turns it into the
papers (and what is missing); :func:`export_papers` renders them with a registered format
(:mod:`litmap.formats`). A draft is scanned with the syntax registered for it (:mod:`litmap.drafts`).

Keys (given, read from stdin, or cited by a draft) are looked up as the library resolves them, so
an old key that a merge turned into an alias still finds its paper; the entry is then exported
under the key the draft cites, so the draft compiles. Keys the library lacks are reported with the
closest existing keys. Without any key or draft the whole library is the starting set; the
category, tag and query filters then narrow whatever the starting set is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from litmap.drafts import scan_draft
from litmap.drafts.scan import ALL, Citation, DraftScan
from litmap.errors import InvalidValue, UnknownKey
from litmap.formats import ExportContext, export_format
from litmap.models import Paper
from litmap.selection import select
from litmap.store import Library


@dataclass(frozen=True)
class MissingKey:
    """A key asked for (or cited) that the library does not hold."""

    key: str
    suggestions: list[str]
    where: str | None = None


@dataclass
class ExportScope:
    """The papers to export (keys as they will be written) and what could not be found."""

    papers: list[Paper] = field(default_factory=list)
    missing: list[MissingKey] = field(default_factory=list)
    #: ``(paper key, key used, other key also used)``: one paper cited under two of its keys.
    double_cited: list[tuple[str, str, str]] = field(default_factory=list)
    #: Draft inputs that could not be followed (LaTeX system files, files not generated yet).
    unread: list[str] = field(default_factory=list)
    #: Draft text that may cite but was not read as a citation (unknown commands), ``file:line: why``.
    warnings: list[str] = field(default_factory=list)
    #: Exported key -> the other keys a draft cites the same paper by (each is defined too).
    also_cited_as: dict[str, list[str]] = field(default_factory=dict)
    #: Exported key -> the paper's own key, when the entry is exported under an alias the draft cites.
    own_keys: dict[str, str] = field(default_factory=dict)
    #: Every draft file read (the main files and what they include), for ``--watch``.
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Draft:
    """A draft whose citations to export; ``syntax`` None: the one registered for its extension."""

    path: Path
    syntax: str | None = None


@dataclass(frozen=True)
class Selection:
    """What to export, as every export command takes it: keys, drafts, then filters.

    Without keys or drafts the whole library is the starting set; ``category`` (with its
    subcategories), ``tags`` (all of them) and ``query`` (``litmap search``'s language) narrow it;
    ``prefer`` chooses the version of papers that have both (:mod:`litmap.services.versions`).
    """

    keys: Sequence[str] = ()
    drafts: Sequence[Draft] = ()
    category: str | None = None
    tags: Sequence[str] = ()
    query: str | None = None
    #: Which version a paper that has both is written as: ``"published"`` (the record) or ``"preprint"``.
    prefer: str = "published"


@dataclass(frozen=True)
class Exported:
    """An export's text and the scope it was made from (papers, missing keys, draft notes)."""

    text: str
    scope: ExportScope


def export_papers(
    library: Library, format_name: str, selection: Selection | None = None, flags: Mapping[str, bool] | None = None
) -> Exported:
    """The papers ``selection`` chooses, rendered by the format registered as ``format_name``."""
    chosen = export_format(format_name)
    unknown = sorted(set(flags or {}) - {flag.name for flag in chosen.flags})
    if unknown:
        known = ", ".join(flag.name for flag in chosen.flags) or "none"
        raise InvalidValue(f"{format_name} export has no option {unknown[0]!r} (its options: {known})")
    selection = selection or Selection()
    scope = choose_papers(library, selection)
    config = library.config
    context = ExportContext(
        settings=config.export,
        settings_path=str(library.config_path),
        library_name=config.name,
        library_description=config.description,
        category=selection.category,
        flags=dict(flags or {}),
        load_taxonomy=library.taxonomy,
        also_cited_as={key: tuple(others) for key, others in scope.also_cited_as.items()},
        own_keys=dict(scope.own_keys),
        notes=_notes(library, scope.papers) if (flags or {}).get("notes") else {},
    )
    text = chosen.renderer()(scope.papers, context)
    scope.warnings.extend(context.warnings)
    return Exported(text, scope)


def _notes(library: Library, papers: Sequence[Paper]) -> dict[str, str]:
    """The reader's notes on ``papers`` that exist."""
    from litmap.services.reading import read_note

    found = {paper.key: read_note(library, paper.key) for paper in papers}
    return {key: text for key, text in found.items() if text and text.strip()}


def choose_papers(library: Library, selection: Selection) -> ExportScope:
    """The papers an export holds, in key order, and the keys it could not find."""
    scope = ExportScope()
    keys, category, tags, query = selection.keys, selection.category, list(selection.tags), selection.query
    wanted: list[Citation | str] = list(keys)
    possible: list[Citation] = []
    for draft in selection.drafts:
        scan = scan_draft(draft.path, draft.syntax)
        wanted.extend(_scanned(scan, scope))
        possible.extend(scan.possible)
    explicit = bool(keys or selection.drafts)
    chosen: dict[str, Paper] = {}
    if not explicit or any(_key_of(item) == ALL for item in wanted):
        chosen = {p.key: p for p in library.papers()}
    wanted.extend(c for c in possible if _known(library, c.key))
    exported_as: dict[str, str] = {}
    for item in wanted:
        key = _key_of(item)
        if key == ALL:
            continue
        try:
            paper = library.get(key)
        except UnknownKey as exc:
            if all(m.key != key for m in scope.missing):
                where = item.where if isinstance(item, Citation) else None
                scope.missing.append(MissingKey(key, exc.suggestions, where))
            continue
        first = exported_as.setdefault(paper.key, key)
        if first != key:
            if key not in scope.also_cited_as.setdefault(first, []):
                scope.double_cited.append((paper.key, first, key))
                scope.also_cited_as[first].append(key)
            continue
        if key != paper.key:
            scope.own_keys[key] = paper.key
        chosen[paper.key] = paper if key == paper.key else paper.model_copy(update={"key": key})
    papers = list(chosen.values())
    if category or tags:
        taxonomy = library.taxonomy()
        if category:
            taxonomy.get(category)
        papers = select(papers, taxonomy, category=category, tags=tags)
    if query:
        papers = _matching_query(library, papers, query)
    if selection.prefer != "published":  # the record as it is needs no other version (nor their module)
        from litmap.services.versions import preferred_versions

        papers = preferred_versions(papers, selection.prefer)
    scope.papers = sorted(papers, key=lambda p: p.key)
    return scope


def _scanned(scan: DraftScan, scope: ExportScope) -> list[Citation]:
    scope.unread.extend(scan.unread)
    scope.warnings.extend(scan.warnings)
    scope.files.extend(path for path in scan.files if path not in scope.files)
    return scan.citations


def _known(library: Library, key: str) -> bool:
    """Whether the library holds ``key`` (as a key or an alias)."""
    try:
        library.get(key)
    except UnknownKey:
        return False
    return True


def _key_of(item: Citation | str) -> str:
    return item.key if isinstance(item, Citation) else item


def _matching_query(library: Library, papers: list[Paper], query: str) -> list[Paper]:
    """``papers`` that the search engine (``litmap search``'s query language) finds for ``query``."""
    from litmap.services.search import parse_query, search
    from litmap.store.index import Index

    parsed = parse_query(query)
    with Index.open(library.root, library.read_only, in_memory_fallback=True) as index:
        found = {hit.key for hit in search(index, parsed).hits}
    return [p for p in papers if p.key in found or any(a in found for a in p.aliases)]
