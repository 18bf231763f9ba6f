"""What a use case that brings papers in is given and gives back: options, candidates, outcomes, results.

The values :mod:`litmap.services.ingest` works with, and the JSON the command line shows of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from litmap.models import Paper

Status = Literal["added", "present", "failed"]


@dataclass(frozen=True)
class IngestOptions:
    """What the user asked for besides the papers themselves."""

    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    key: str | None = None
    force: bool = False
    keep_keys: bool = False
    dry_run: bool = False
    today: dt.date | None = None


@dataclass(frozen=True)
class Outcome:
    """What happened to one candidate (an id, a .bib entry, a hand-made record)."""

    source: str
    status: Status
    paper: Paper | None = None
    existing: Paper | None = None
    reason: str = ""
    score: float | None = None
    line: int | None = None
    #: Keys of the entry recorded as aliases of the paper it duplicates (an "added" paper lists its own).
    aliases: tuple[str, ...] = ()
    #: Keys of the entry that could not be kept, and why.
    notes: tuple[str, ...] = ()
    #: Papers an added one may be another version of (a preprint and its journal version...): (key, why).
    versions: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The outcome for ``--json``."""
        data: dict[str, Any] = {"source": self.source}
        if self.line is not None:
            data["line"] = self.line
        if self.paper is not None:
            data |= {"key": self.paper.key, "title": self.paper.title}
        if self.existing is not None:
            data |= {"key": self.existing.key, "title": self.existing.title, "score": self.score}
        if self.reason:
            data["reason"] = self.reason
        if self.aliases or (self.paper is not None and self.paper.aliases):
            data["aliases"] = list(self.aliases or self.paper.aliases)  # type: ignore[union-attr]
        if self.notes:
            data["notes"] = list(self.notes)
        if self.versions:
            data["versions"] = [{"key": key, "reason": reason} for key, reason in self.versions]
        return data


@dataclass
class IngestResult:
    """Every outcome of a run, in the order the candidates were given."""

    outcomes: list[Outcome] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    #: A .bib import's crossref parents folded into their children (None: not a .bib import).
    folded: list[FoldedParent] | None = None
    #: What a .bib import noticed outside its entries ("@string X is defined again"), with the place.
    notes: list[str] = field(default_factory=list)

    @property
    def containers(self) -> int:
        """How many crossref parents were folded into their children."""
        return len(self.folded or ())

    def _with(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def added(self) -> list[Outcome]:
        """New papers (written unless this was a dry run)."""
        return self._with("added")

    @property
    def present(self) -> list[Outcome]:
        """Candidates the library (or an earlier candidate) already holds."""
        return self._with("present")

    @property
    def failed(self) -> list[Outcome]:
        """Candidates that could not become papers, with the reason."""
        return self._with("failed")

    def to_json(self) -> dict[str, Any]:
        """The whole result for ``--json``."""
        return {
            "added": [o.to_json() for o in self.added],
            "present": [o.to_json() for o in self.present],
            "failed": [o.to_json() for o in self.failed],
            "written": self.written,
            "dry_run": self.dry_run,
        } | self._file_json()

    def _file_json(self) -> dict[str, Any]:
        """A .bib import's account of every entry of the file: the folded parents, the total, notes."""
        if self.folded is None:
            return {}
        folded = [f.to_json() for f in self.folded]
        return {"folded": folded, "entries": len(self.outcomes) + len(folded), "notes": self.notes}


@dataclass(frozen=True)
class FoldedParent:
    """A crossref parent of a .bib file, not imported: its fields went into the children's papers."""

    source: str
    line: int
    key: str
    #: The keys of the papers its children are in the library (added, or the ones they duplicate).
    into: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The parent for ``--json``."""
        return {"source": self.source, "line": self.line, "key": self.key, "into": list(self.into)}


@dataclass(frozen=True)
class Candidate:
    """A paper to add (placeholder key), or the reason there is none."""

    source: str
    paper: Paper | None = None
    error: str | None = None
    line: int | None = None
    original_key: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ManualEntry:
    """A paper typed on the command line (``litmap add --title ... --author ...``)."""

    title: str
    authors: Sequence[str] = ()
    year: str | None = None
    venue: str | None = None
    url: str | None = None
    type: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    abstract: str | None = None
    note: str | None = None
