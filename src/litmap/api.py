"""litmap from Python in one import: ``lib = litmap.open_library(); lib.search("superposition")``.

:class:`Library` puts the use cases (:mod:`litmap.services`) behind one object, with the same
behaviour as the commands: the same duplicate checks, keys, atomic writes and errors
(:class:`litmap.errors.LitmapError` and its subclasses, each with the message the CLI prints).
Nothing here prints, prompts or exits. The store underneath (:class:`litmap.store.library.Library`)
is ``lib.store`` for what the facade does not cover.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.services.check import Problem
    from litmap.services.ingest import IngestResult
    from litmap.store.library import Library as Store
    from litmap.taxonomy import Taxonomy


def open_library(path: str | os.PathLike[str] | None = None) -> Library:
    """The library at ``path``, or the one the CLI would use: ``$LITMAP_LIBRARY``, the working
    directory or its parents, the per-user default (``litmap config library``), else the bundled
    reading list (read-only)."""
    from litmap.store import open_library as open_store

    return Library(open_store(path))


def init_library(path: str | os.PathLike[str], name: str | None = None, from_bundled: bool = False) -> Library:
    """Create a new library at ``path`` (empty, or a copy of the bundled one), as ``litmap init`` does."""
    from litmap.services.admin import init_library as init

    return Library(init(Path(path), name=name, from_bundled=from_bundled))


class Library:
    """One library: read, search, add, export, check."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __repr__(self) -> str:
        return f"litmap.Library({str(self.root)!r}, read_only={self.read_only})"

    @property
    def root(self) -> Path:
        """The library's folder."""
        return self.store.root

    @property
    def read_only(self) -> bool:
        """Whether this is the bundled library (which is never written)."""
        return self.store.read_only

    # -- reading -------------------------------------------------------------------------------

    def get(self, key: str) -> Paper:
        """The paper ``key`` (an old key left by a merge resolves too); UnknownKey otherwise."""
        return self.store.get(key)

    def papers(
        self, *, category: str | None = None, tags: Sequence[str] = (), years: str | None = None, sort: str = "key"
    ) -> list[Paper]:
        """Papers, as ``litmap list`` filters them: in ``category`` or below, with every tag, within
        ``years`` (``"2020..2023"``), sorted by ``sort`` (key, year, title, added, ...)."""
        from litmap.selection import select, sort_papers

        papers = self.store.papers()
        if category or tags or years:
            taxonomy = self.store.taxonomy()
            if category:
                taxonomy.get(category)
            papers = select(papers, taxonomy, category=category, tags=tags, years=years)
        return sort_papers(papers, sort)

    def taxonomy(self) -> Taxonomy:
        """The category tree."""
        return self.store.taxonomy()

    def search(self, query: str, limit: int | None = None) -> list[Paper]:
        """Papers matching ``query`` (``litmap search``'s language: words, "phrases", author:, year:), best first."""
        from litmap.models import Paper
        from litmap.services.search import parse_query, search
        from litmap.store.index import Index

        with Index.open(self.root, self.read_only, in_memory_fallback=True) as index:
            results = search(index, parse_query(query), limit=limit, marks=False)
        return [Paper.from_record(hit.record) for hit in results.hits]

    def check(self) -> list[Problem]:
        """Every problem ``litmap check`` reports, warnings too (``Problem.warning``); empty when all is sound."""
        from litmap.services.check import check_library

        return check_library(self.store)

    # -- adding --------------------------------------------------------------------------------

    def add(
        self,
        *identifiers: str,
        source: str = "auto",
        categories: Sequence[str] = (),
        tags: Sequence[str] = (),
        force: bool = False,
        dry_run: bool = False,
    ) -> IngestResult:
        """Add papers by identifier, as ``litmap add``: of ``source`` (a registered source's name), or
        by default recognised by their form (arXiv id, DOI, any registered source's); only what the
        library lacks is fetched."""
        from litmap.services.ingest import IngestOptions, add_identifiers

        options = IngestOptions(categories=tuple(categories), tags=tuple(tags), force=force, dry_run=dry_run)
        return add_identifiers(self.store, [(source, text) for text in identifiers], options)

    def add_arxiv(self, *ids: str, **options: Any) -> IngestResult:
        """Add papers by arXiv id (any form people paste), as ``litmap add --arxiv``; options as :meth:`add`."""
        return self.add(*ids, source="arxiv", **options)

    def add_doi(self, *dois: str, **options: Any) -> IngestResult:
        """Add papers by DOI (fetched from Crossref), as ``litmap add --doi``; options as :meth:`add`."""
        return self.add(*dois, source="doi", **options)

    def import_bibtex(
        self,
        text: str,
        name: str = "<text>",
        *,
        categories: Sequence[str] = (),
        tags: Sequence[str] = (),
        keep_keys: bool = False,
        force: bool = False,
        dry_run: bool = False,
    ) -> IngestResult:
        """Add every entry of a BibTeX text, as ``litmap import`` (``name`` is how errors name it)."""
        from litmap.services.ingest import IngestOptions, import_bibtex

        options = IngestOptions(
            categories=tuple(categories), tags=tuple(tags), keep_keys=keep_keys, force=force, dry_run=dry_run
        )
        return import_bibtex(self.store, text, name, options)

    # -- exporting -----------------------------------------------------------------------------

    def export(
        self,
        format: str = "bibtex",
        *,
        keys: Sequence[str] = (),
        drafts: Sequence[str | os.PathLike[str]] = (),
        category: str | None = None,
        tags: Sequence[str] = (),
        query: str | None = None,
        prefer: str = "published",
        allow_missing: bool = False,
        **flags: bool,
    ) -> str:
        """The text of an export in a registered format (bibtex, csl-json, markdown, ...), as ``litmap export``.

        ``drafts`` are scanned with the syntax their extension names (``.tex``, ``.aux``, ...);
        ``flags`` are the format's own (``ascii=True`` for BibTeX). A key that the library lacks
        raises UnknownKey unless ``allow_missing``. ``prefer="preprint"`` writes a paper published
        after its arXiv preprint as the preprint.
        """
        from litmap.errors import UnknownKey
        from litmap.services.export import Draft, Selection, export_papers

        selection = Selection(
            keys=list(keys),
            drafts=[Draft(Path(d)) for d in drafts],
            category=category,
            tags=list(tags),
            query=query,
            prefer=prefer,
        )
        exported = export_papers(self.store, format, selection, flags)
        if exported.scope.missing and not allow_missing:
            missing = exported.scope.missing[0]
            raise UnknownKey(missing.key, missing.suggestions)
        return exported.text
