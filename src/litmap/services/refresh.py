"""Field provenance, and refreshing a record from the source it came from without undoing hand edits.

A paper fetched from a source (``add --arxiv``, ``add --doi``) records where it came from in its
file: ``provenance = {source = "arxiv", id = "2209.10652", fetched = "2026-12-02", fields = {title
= "1f2e3d4c", ...}}``, one short digest of each field as the source gave it. A field whose value
still matches its digest is the source's; one that does not was edited by hand (``litmap edit``, a
text editor, ``litmap upgrade``) and is the user's from then on. :func:`refresh_papers` fetches each
record again and updates only the source's fields (and fills fields the record lacks); the user's
are kept and named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litmap.services.provenance import digest, source_fields

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.sources import Source
    from litmap.store import Library


@dataclass
class Refresh:
    """What refreshing one paper changes (name -> (old, new)), the hand edits it kept, or why it could not."""

    key: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    error: str | None = None
    paper: Paper | None = None

    def to_json(self) -> dict[str, Any]:
        """The result as JSON."""
        return {
            "key": self.key,
            "changes": {name: {"old": old, "new": new} for name, (old, new) in self.changes.items()},
            "kept": self.kept,
            "error": self.error,
        }


def refreshed(current: Paper, fetched: Paper, today: dt.date | None = None) -> Refresh:
    """``current`` updated from its source's new record ``fetched``: the source's fields only."""
    provenance = current.provenance or {}
    recorded: dict[str, str] = provenance.get("fields", {})
    now = current.to_json()
    new = source_fields(fetched)
    result = Refresh(current.key)
    record = dict(now)
    owned: dict[str, str] = {}
    for name, value in new.items():
        old = now.get(name)
        if name in recorded and digest(old) != recorded[name]:
            result.kept.append(name)  # edited (or removed) by hand since it was fetched: the user's
            continue
        if name not in recorded and old is not None and old != value:
            result.kept.append(name)  # set by the user, not by the source
            continue
        owned[name] = digest(value)
        if old != value:
            result.changes[name] = (old, value)
            record[name] = value
    fields = {name: owned.get(name, d) for name, d in recorded.items() if name not in result.kept}
    fields.update(owned)
    record["provenance"] = {
        "source": provenance.get("source"),
        "id": provenance.get("id"),
        "fetched": (today or dt.date.today()).isoformat(),
        "fields": fields,
    }
    from litmap.models import Paper as Model

    result.paper = Model.from_record(record)
    return result


def refresh_papers(
    library: Library,
    papers: Sequence[Paper],
    dry_run: bool = False,
    sources: Mapping[str, Source] | None = None,
) -> list[Refresh]:
    """Refresh ``papers`` from the sources their provenance names; write the changes unless ``dry_run``."""
    from litmap.services.ingest import _close, build_sources
    from litmap.sources import SourceSettings, source_types

    known = {s.name for s in source_types()}
    results: dict[str, Refresh] = {}
    wanted: dict[str, dict[str, Paper]] = {}
    for paper in papers:
        provenance = paper.provenance
        if not provenance:
            results[paper.key] = Refresh(paper.key, error="no recorded source (added by hand or imported)")
        elif provenance["source"] not in known:
            results[paper.key] = Refresh(paper.key, error=f"unknown source {provenance['source']!r}")
        else:
            wanted.setdefault(provenance["source"], {})[provenance["id"]] = paper
    owned = sources is None
    opened = sources or (build_sources(SourceSettings.from_config(library.config), list(wanted)) if wanted else {})
    try:
        for name, by_id in wanted.items():
            for lookup in opened[name].fetch(list(by_id)):
                paper = by_id[lookup.id]
                if lookup.paper is None:
                    results[paper.key] = Refresh(paper.key, error=lookup.error or "no record")
                else:
                    results[paper.key] = refreshed(paper, lookup.paper)
    finally:
        if owned:
            _close(opened)
    ordered = [results[p.key] for p in papers]
    changed = [r.paper for r in ordered if r.paper is not None and r.changes]
    if changed and not dry_run:
        library.save_papers(changed)
    return ordered


def papers_to_refresh(library: Library, keys: Iterable[str], every: bool) -> list[Paper]:
    """The papers named by ``keys`` (old keys resolve), or every paper with a recorded source."""
    if every:
        return [p for p in library.papers() if p.provenance]
    return [library.get(key) for key in dict.fromkeys(keys)]
