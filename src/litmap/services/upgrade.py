"""Finding the published version of preprints, and turning a record into it.

For each paper that is only a preprint, sources are asked in turn, cheapest and surest first, until
one yields a candidate that is accepted: arXiv's own record (the DOI or journal reference its authors
gave), Crossref's bibliographic search (and a preprint's ``is-preprint-of`` relation), DBLP's
publication search, Semantic Scholar's record of the arXiv id. Every candidate is scored with its
reasons (title similarity, author overlap, year gap, venue type); a candidate that is itself a
preprint record (CoRR, arXiv) or whose title, authors or year disagree is rejected with the reason.
The result is a reviewable list of field changes; :func:`apply_upgrades` writes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litmap.errors import LitmapError

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.store import Library

#: Fields that make a record describe its published version.
PUBLISHED_FIELDS = ("type", "venue", "year", "month", "volume", "pages", "doi")
PUBLISHED_EXTRAS = ("number", "publisher")
ACCEPT_SCORE = 0.85
MIN_TITLE = 0.90
MIN_TITLE_ASSERTED = 0.60
MIN_AUTHORS = 0.5
_PREPRINT_VENUE = re.compile(r"^(arxiv|corr|biorxiv|medrxiv|ssrn|preprint)\b|\barxiv preprint\b|^arxiv\.org$", re.I)


def is_preprint_venue(venue: str | None) -> bool:
    """Whether a venue names a preprint server rather than a publication."""
    return bool(venue) and bool(_PREPRINT_VENUE.search(venue.strip()))  # type: ignore[union-attr]


def is_preprint_only(paper: Paper) -> bool:
    """Whether ``paper`` is an arXiv preprint with no publication recorded (no venue, DOI, volume or pages)."""
    if not paper.arxiv:
        return False
    published_doi = paper.doi and not paper.doi.lower().startswith("10.48550/")
    if published_doi or paper.volume or paper.pages:
        return False
    return paper.venue is None or is_preprint_venue(paper.venue)


@dataclass(frozen=True)
class Candidate:
    """A record a source offers as the published version, and how it was found."""

    source: str
    paper: Paper
    how: str
    preprint_record: bool = False
    #: The link was asserted by the preprint's own record (the DOI on arXiv, S2's external id, a
    #: Crossref relation), so a retitled publication is still accepted if the authors agree.
    asserted: bool = False


@dataclass(frozen=True)
class Verdict:
    """A candidate's score, the reasons for it, and why it was rejected (None when accepted)."""

    candidate: Candidate
    score: float
    reasons: tuple[str, ...]
    rejection: str | None = None

    @property
    def accepted(self) -> bool:
        """Whether this candidate is taken as the published version."""
        return self.rejection is None

    def to_json(self) -> dict[str, Any]:
        """The verdict as JSON."""
        c = self.candidate.paper
        return {
            "source": self.candidate.source,
            "how": self.candidate.how,
            "title": c.title,
            "venue": c.venue,
            "year": c.year,
            "doi": c.doi,
            "score": round(self.score, 3),
            "reasons": list(self.reasons),
            "accepted": self.accepted,
            "rejection": self.rejection,
        }


@dataclass
class Finding:
    """What the search found for one paper: the chosen candidate, the rejected ones, failures, changes."""

    paper: Paper
    verdicts: list[Verdict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changes: dict[str, tuple[Any, Any, str]] = field(default_factory=dict)

    @property
    def chosen(self) -> Verdict | None:
        """The accepted candidate, if any."""
        return next((v for v in self.verdicts if v.accepted), None)

    def to_json(self) -> dict[str, Any]:
        """The finding as JSON."""
        chosen = self.chosen
        return {
            "key": self.paper.key,
            "found": chosen is not None,
            "chosen": chosen.to_json() if chosen else None,
            "changes": {name: {"old": o, "new": n, "source": s} for name, (o, n, s) in self.changes.items()},
            "rejected": [v.to_json() for v in self.verdicts if not v.accepted],
            "errors": self.errors,
        }


# -- scoring -----------------------------------------------------------------------------------


def title_similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1, after folding case, accents, LaTeX and punctuation."""
    from rapidfuzz import fuzz

    from litmap.dedupe.matching import normalize_title

    return float(fuzz.ratio(normalize_title(a), normalize_title(b))) / 100.0


def author_overlap(a: Paper, b: Paper) -> tuple[float, str]:
    """Share of the shorter author list found in the other (by surname), with a reason."""
    from litmap.dedupe.matching import author_key

    mine = {author_key(x)[0] for x in a.authors}
    theirs = {author_key(x)[0] for x in b.authors}
    if not mine or not theirs:
        return 0.5, "no authors to compare"
    shared = len(mine & theirs)
    return shared / min(len(mine), len(theirs)), f"authors {shared}/{min(len(mine), len(theirs))}"


def score(preprint: Paper, candidate: Candidate) -> Verdict:
    """Score a candidate against the preprint (0.7 title + 0.3 authors) and decide on it."""
    title = title_similarity(preprint.title, candidate.paper.title)
    authors, author_reason = author_overlap(preprint, candidate.paper)
    total = 0.7 * title + 0.3 * authors
    reasons = [f"title {title:.0%}", author_reason]
    published = candidate.paper
    gap = published.year - preprint.year if published.year and preprint.year else None
    if gap is not None:
        reasons.append(f"year {gap:+d}" if gap else "same year")
    kind = {"article": "journal", "inproceedings": "conference"}.get(published.type, published.type)
    reasons.append(f"venue: {kind}")
    rejection = None
    if candidate.preprint_record or is_preprint_venue(published.venue):
        rejection = "it is a preprint record itself, not a published version"
    elif not published.venue:
        rejection = "it names no venue"
    elif title < (MIN_TITLE_ASSERTED if candidate.asserted else MIN_TITLE):
        rejection = f"the title differs ({title:.0%} alike)"
    elif authors < MIN_AUTHORS:
        rejection = f"different authors ({author_reason})"
    elif gap is not None and gap < -1:
        rejection = f"published {-gap} years before the preprint"
    elif gap is not None and gap > 5:
        rejection = f"published {gap} years after the preprint"
    elif total < ACCEPT_SCORE and not candidate.asserted:
        rejection = f"score {total:.2f} is below {ACCEPT_SCORE}"
    return Verdict(candidate, total, tuple(reasons), rejection)


def published_changes(preprint: Paper, verdict: Verdict) -> dict[str, tuple[Any, Any, str]]:
    """The fields that change when ``preprint`` becomes the chosen version: name -> (old, new, source)."""
    published = verdict.candidate.paper
    source = verdict.candidate.source
    changes: dict[str, tuple[Any, Any, str]] = {}
    for name in PUBLISHED_FIELDS:
        new = getattr(published, name)
        if name == "month" and new is None and published.year != preprint.year:
            new = None  # the preprint's month is not the publication's
        elif new is None and name != "month":
            continue
        old = getattr(preprint, name)
        if old != new:
            changes[name] = (old, new, source)
    for name in PUBLISHED_EXTRAS:
        if published.extra.get(name) and preprint.extra.get(name) != published.extra[name]:
            changes[name] = (preprint.extra.get(name), published.extra[name], source)
    published_url = published.url if published.url and "arxiv.org/" not in published.url else None
    if published_url and (not preprint.url or "arxiv.org/" in preprint.url) and preprint.url != published_url:
        changes["url"] = (preprint.url, published_url, source)
    if not preprint.released and preprint.year:
        first = f"{preprint.year}-{preprint.month:02d}" if preprint.month else str(preprint.year)
        changes["released"] = (None, first, "the preprint")
    return changes


# -- searching ---------------------------------------------------------------------------------

#: Asks one source about one preprint: returns candidates, raises LitmapError (a fetch failure).
Finder = Callable[["Paper"], list[Candidate]]


def journal_ref_candidate(preprint: Paper, record: Paper) -> Candidate | None:
    """A candidate built from the journal reference the authors gave on arXiv, if any."""
    if record.doi or not record.venue:
        return None
    from litmap.dates import journal_ref_year
    from litmap.models import Paper as Model

    paper = Model(
        key=preprint.key,
        type="article",
        title=record.title,
        authors=record.authors,
        year=journal_ref_year(record.venue, not_before=preprint.year),
        venue=record.venue,
    )
    return Candidate("arXiv", paper, "the journal reference on arXiv")


def find_published(preprint: Paper, finders: Iterable[tuple[str, Finder]]) -> Finding:
    """Ask each source in turn until one offers an accepted candidate; keep every verdict and failure."""
    finding = Finding(preprint)
    for name, finder in finders:
        try:
            candidates = finder(preprint)
        except LitmapError as exc:
            finding.errors.append(f"{name}: {exc}")
            continue
        verdicts = sorted((score(preprint, c) for c in candidates), key=lambda v: (v.accepted, v.score), reverse=True)
        finding.verdicts.extend(verdicts)
        if verdicts and verdicts[0].accepted:
            finding.verdicts.remove(verdicts[0])
            finding.verdicts.insert(0, verdicts[0])
            finding.changes = published_changes(preprint, verdicts[0])
            break
    return finding


def apply_upgrades(library: Library, findings: Iterable[Finding]) -> list[Paper]:
    """Write the changes of every finding with a chosen version, as one atomic change; return the papers."""
    chosen = [f for f in findings if f.chosen is not None and f.changes]
    if not chosen:
        return []
    library.ensure_writable()
    updated: list[Paper] = []
    with library.writing() as changes:
        for finding in chosen:
            paper = library.get(finding.paper.key).model_copy(deep=True)
            extra = dict(paper.extra)
            values: dict[str, Any] = {}
            for name, (_old, new, _source) in finding.changes.items():
                if name in PUBLISHED_EXTRAS:
                    extra[name] = new
                else:
                    values[name] = new
            record = {**paper.to_record(), **{k: v for k, v in values.items() if v is not None}, **extra}
            for name, value in values.items():
                if value is None:
                    record.pop(name, None)
            from litmap.models import Paper as Model

            new_paper = Model.from_record(record)
            library.stage_paper(changes, new_paper)
            updated.append(new_paper)
    return updated
