"""The sources ``upgrade`` asks for published versions, wired from the library's settings.

Base URLs come from ``[sources]`` in litmap.toml or the environment (``LITMAP_ARXIV_API``,
``LITMAP_CROSSREF_API``, ``LITMAP_DBLP_API``, ``LITMAP_S2_API``). Every answer goes through an on-disk
cache under the library's ``.litmap/cache/`` (the user cache for the bundled library), so a second
``upgrade --dry-run`` is instant and works offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litmap.errors import SourceError
from litmap.services.upgrade import Candidate, Finder, journal_ref_candidate

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.store import Library


def cache_folder(library: Library) -> Path:
    """Where answers are cached for ``library``."""
    from litmap.store.index_db import index_path

    return index_path(library.root, library.read_only).parent / "cache" / "http"


@dataclass
class PublishedSources:
    """The four sources, sharing one caching HTTP client."""

    arxiv: Any
    crossref: Any
    dblp: Any
    s2: Any
    client: Any
    _records: dict[str, Paper | None] | None = None

    @classmethod
    def for_library(cls, library: Library) -> PublishedSources:
        """Sources configured from ``library``'s settings and the environment (see :mod:`litmap.sources`)."""
        from litmap.sources import SourceContext, SourceSettings
        from litmap.sources.arxiv import open_source as open_arxiv
        from litmap.sources.cache import CachingClient
        from litmap.sources.crossref import open_source as open_crossref
        from litmap.sources.dblp import DblpSource
        from litmap.sources.http import HttpClient, HttpSettings
        from litmap.sources.semantic_scholar import SemanticScholarSource
        from litmap.store.index_db import user_cache_dir

        settings = SourceSettings.from_config(library.config)
        http = HttpClient(
            HttpSettings(
                contact_email=settings.contact_email,
                read_timeout=float(settings["timeout"]),
                retries=int(settings["retries"]),
            )
        )
        client = CachingClient(http, cache_folder(library))
        context = SourceContext(client, settings.values, settings.contact_email, user_cache_dir())  # type: ignore[arg-type]
        return cls(
            arxiv=open_arxiv(context),
            crossref=open_crossref(context),
            dblp=DblpSource(client, settings["dblp_api"], delay=settings["dblp_delay"]),
            s2=SemanticScholarSource(client, settings["s2_api"], delay=settings["s2_delay"]),
            client=client,
        )

    def close(self) -> None:
        """Close the shared HTTP client."""
        self.client.close()

    def prefetch_arxiv(self, ids: Sequence[str]) -> None:
        """Fetch the arXiv records of ``ids`` in as few requests as arXiv allows."""
        self._records = self._records or {}
        wanted = [i for i in dict.fromkeys(ids) if i not in self._records]
        if not wanted:
            return
        for lookup in self.arxiv.fetch(wanted):
            self._records[lookup.id] = lookup.paper
            if lookup.error and lookup.paper is None:
                self._records[lookup.id] = None
        for i in wanted:
            self._records.setdefault(i, None)

    def _by_doi(self, doi: str, how: str) -> Candidate:
        lookup = next(iter(self.crossref.fetch([doi])))
        if lookup.paper is None:
            raise SourceError(f"Crossref, for DOI {doi}: {lookup.error}")
        return Candidate("Crossref", lookup.paper, how, asserted=True)

    def from_arxiv(self, preprint: Paper) -> list[Candidate]:
        """What arXiv's own record says: the DOI or journal reference its authors gave."""
        assert preprint.arxiv
        self.prefetch_arxiv([preprint.arxiv])
        record = (self._records or {}).get(preprint.arxiv)
        if record is None:
            return []
        if record.doi:
            return [self._by_doi(record.doi, f"arXiv lists its DOI {record.doi}")]
        found = journal_ref_candidate(preprint, record)
        return [found] if found else []

    def from_crossref(self, preprint: Paper) -> list[Candidate]:
        """Crossref's bibliographic search by title and first author (and is-preprint-of relations)."""
        from litmap.sources.crossref import preprint_of

        first = preprint.authors[0].family if preprint.authors else None
        candidates: list[Candidate] = []
        for paper, item in self.crossref.search(preprint.title, first):
            if item.get("type") == "posted-content":
                candidates += [
                    self._by_doi(doi, "Crossref: the preprint's is-preprint-of") for doi in preprint_of(item)
                ]
                candidates.append(Candidate("Crossref", paper, "Crossref search", preprint_record=True))
            else:
                candidates.append(Candidate("Crossref", paper, "Crossref search"))
        return candidates

    def from_dblp(self, preprint: Paper) -> list[Candidate]:
        """DBLP's publication search by title."""
        return [
            Candidate("DBLP", paper, "DBLP search", preprint_record=is_corr)
            for paper, is_corr in self.dblp.search(preprint.title)
        ]

    def from_s2(self, preprint: Paper) -> list[Candidate]:
        """Semantic Scholar's record of the arXiv id: its DOI (then Crossref's record) or its venue."""
        found = self.s2.lookup(f"arXiv:{preprint.arxiv}")
        if found is None:
            return []
        paper, _venue_type = found
        if paper.doi:
            return [self._by_doi(paper.doi, f"Semantic Scholar lists its DOI {paper.doi}")]
        return [Candidate("Semantic Scholar", paper, "Semantic Scholar's venue")] if paper.venue else []

    def finders(self) -> list[tuple[str, Finder]]:
        """The sources in the order they are asked."""
        return [
            ("arXiv", self.from_arxiv),
            ("Crossref", self.from_crossref),
            ("DBLP", self.from_dblp),
            ("Semantic Scholar", self.from_s2),
        ]
