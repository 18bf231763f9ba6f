"""Use cases that bring papers into a library: add by arXiv id, DOI, BibTeX or by hand; import a .bib.

Every use case returns an :class:`IngestResult` (what was added, what was already there and under
which key, what failed and why) and never prints. The steps are always the same: the options are
checked (categories against the taxonomy, the key), each candidate is compared with the library
(and with the papers of the same run) by the one :class:`~litmap.dedupe.matching.Matcher`, new papers get a
key from the library's citekey pattern and today's ``added`` date, and all of them are written as one
atomic change. The duplicate check comes before the read-only check, so asking the bundled library
for a paper it holds answers with its key instead of an error; identifiers are checked against the
library before any request is made.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from litmap.collector import collector_paused
from litmap.dedupe.matching import compare_keyed, features
from litmap.errors import Interrupted, InvalidOption, InvalidValue, LitmapError
from litmap.keys import PLACEHOLDER_KEY
from litmap.models import Author, Paper, entry_type_problem, first_problem, spelled_as_in, unique_tags, validate_citekey
from litmap.services.citekeys import KeyBook
from litmap.services.dedupe import library_matcher
from litmap.services.ingest_outcome import (
    Candidate,
    FoldedParent,
    IngestOptions,
    IngestResult,
    ManualEntry,
    Outcome,
)
from litmap.services.progress import ProgressHook, Step, some_of
from litmap.sources import Source, SourceContext, SourceSettings, SourceType, guess_source, source_type, source_types
from litmap.store import Library
from litmap.store.files import Changes, interrupts_held

if TYPE_CHECKING:
    from litmap.dedupe.matching import Features, Match
    from litmap.formats.bibtex_read import BibItem

__all__ = [
    "Candidate",
    "FoldedParent",
    "IngestOptions",
    "IngestResult",
    "ManualEntry",
    "Outcome",
    "ProgressHook",
    "Step",
]

#: An import writes its papers in parts: the first this big, each next twice as big, up to WRITE_PART.
FIRST_WRITE_PART, WRITE_PART = 100, 8000


class _Admission:
    """One run's view of the library: the matcher, the keys taken, the papers to write.

    Made by :func:`_admitting` under the writer lock (unless nothing can be written), so the library
    it reads is the one its papers are written into: no other writer takes a key in between.
    """

    def __init__(self, library: Library, options: IngestOptions, changes: Changes | None = None) -> None:
        self.library = library
        self.options = options
        self.changes = changes
        taxonomy = library.taxonomy()
        for category in options.categories:
            taxonomy.get(category)
        papers = library.papers()
        self.papers = papers
        self._by_key: dict[str, Paper] | None = None
        self.matcher = library_matcher(library)  # honours pairs declared distinct (`dedupe --not`)
        self.keys = KeyBook(papers, library.keys())
        self.pattern = library.config.citekey_pattern
        self.today = options.today or dt.date.today()
        self.new: dict[str, Paper] = {}
        #: Papers of the library given more aliases (keys of entries that duplicate them).
        self.updated: dict[str, Paper] = {}
        if options.key is not None:
            try:
                validate_citekey(options.key)
            except ValueError as exc:
                raise InvalidOption("key", f"{{option}}: {exc}") from None
        if any(not tag.strip() for tag in options.tags):
            raise InvalidOption("tags", "{option}: a tag cannot be empty")
        self.tags = spelled_as_in(papers, [tag.strip() for tag in options.tags]) if options.tags else []

    def _matches(
        self, paper: Paper, entry: Features | None = None, own: Sequence[str] = ()
    ) -> tuple[Match | None, list[Match]]:
        """The known paper ``paper`` (of features ``entry``, its entry's keys ``own``) duplicates (if
        any), and those it may be a version of."""
        if self.options.force:
            return None, []
        matches = self.matcher.find_all(paper, entry)
        same = next((m for m in matches if m.kind != "version"), None)
        if same is None and own:
            same = self._keyed_match(paper, entry, own)
        return same, [m for m in matches if m.kind == "version"] if same is None else []

    def _keyed_match(self, paper: Paper, entry: Features | None, own: Sequence[str]) -> Match | None:
        """The paper of the library (before this run) that one of the entry's keys ``own`` already
        names, if :func:`compare_keyed` finds ``paper`` to be it (not a version of it); else None."""
        if self._by_key is None:
            self._by_key = {p.key: p for p in self.papers}
        distinct = self.matcher.distinct
        for key in own:
            named = self._by_key.get(self.keys.owner.get(key.lower(), ""))
            if named is None or (distinct is not None and distinct.contains(paper, named)):
                continue
            match = compare_keyed(entry or features(paper), features(named))
            if match is not None and match.kind != "version":
                return match
        return None

    def duplicate(self, source: str, paper: Paper, line: int | None = None) -> Outcome | None:
        """The "already present" outcome if ``paper`` duplicates a known one (never with --force)."""
        match, _versions = self._matches(paper)
        if match is None:
            return None
        return Outcome(source, "present", existing=match.existing, reason=match.reason, score=match.score, line=line)

    def admit(self, candidate: Candidate) -> Outcome:
        """Compare, key and stage one candidate; return its outcome: possible versions of known
        papers (a preprint of a journal paper...) are added, naming them."""
        if candidate.paper is None:
            return Outcome(candidate.source, "failed", reason=candidate.error or "no record", line=candidate.line)
        entry = features(candidate.paper)
        match, versions = self._matches(candidate.paper, entry, self._own_keys(candidate))
        if match is not None:
            present = Outcome(
                candidate.source, "present", existing=match.existing, reason=match.reason, score=match.score,
                line=candidate.line,
            )  # fmt: skip
            return self._alias_duplicate(present, candidate)
        paper, notes = self._finish(candidate)
        self.matcher.add(paper, entry.with_paper(paper))  # a new key: the same features
        self.keys.claim(paper)
        self.new[paper.key] = paper
        return Outcome(
            candidate.source,
            "added",
            paper=paper,
            line=candidate.line,
            notes=(*candidate.notes, *notes),
            versions=tuple((m.existing.key, m.reason) for m in versions),
        )

    def _own_keys(self, candidate: Candidate) -> list[str]:
        assert candidate.paper is not None
        own = [candidate.original_key] if candidate.original_key else []
        return own + list(candidate.paper.aliases)

    def _alias_duplicate(self, present: Outcome, candidate: Candidate) -> Outcome:
        """Record the keys of a skipped duplicate as aliases of the paper it duplicates."""
        assert present.existing is not None
        own = self._own_keys(candidate)
        if not own or self.library.read_only:
            return present
        target = present.existing.key
        aliases, notes = self.keys.aliases_for(target, own)
        if aliases:
            paper = self.new.get(target) or self.updated.get(target) or self.library.get(target)
            paper = paper.model_copy(update={"aliases": [*paper.aliases, *aliases]})
            self.keys.claim(paper)
            (self.new if target in self.new else self.updated)[target] = paper
        return dataclasses.replace(present, aliases=tuple(aliases), notes=tuple(notes))

    def _finish(self, candidate: Candidate) -> tuple[Paper, list[str]]:
        assert candidate.paper is not None
        paper = candidate.paper
        own = self._own_keys(candidate)
        key = self.options.key
        if key is not None:
            if self.keys.is_taken(key, own):
                raise InvalidOption("key", f"{{option}} {key!r}: that key is already used in this library")
            aliases, notes = self.keys.aliases_for(key, own)
        else:
            choice = self.keys.choose(
                paper.model_copy(update={"aliases": []}), own, self.pattern, self.options.keep_keys
            )
            key, aliases, notes = choice.key, choice.aliases, choice.notes
        return paper.model_copy(
            update={
                "key": key,
                "aliases": aliases,
                "categories": list(dict.fromkeys([*paper.categories, *self.options.categories])),
                "tags": unique_tags([*paper.tags, *self.tags]),
                "added": paper.added or self.today,
            }
        ), notes

    def commit(self, result: IngestResult, progress: ProgressHook | None = None) -> IngestResult:
        """Write the new papers (then the papers given aliases), in parts of up to :data:`WRITE_PART` papers.

        Each part is one atomic change: Ctrl-C keeps the parts written, each paper whole, and says how
        many (:class:`~litmap.errors.Interrupted`).
        """
        result.dry_run = self.options.dry_run
        if not (self.new or self.updated) or self.options.dry_run:
            return result
        if self.changes is None:
            self.library.ensure_writable()
            raise LitmapError("internal error: papers admitted outside the writer lock")
        papers = [*self.new.values(), *self.updated.values()]
        total, written, start, size = len(self.new), 0, 0, FIRST_WRITE_PART
        try:
            while start < len(papers):
                part = papers[start : start + size]
                for paper in part:
                    self.library.stage_paper(self.changes, paper)
                with interrupts_held():
                    self.library.commit_staged(self.changes)
                    written += sum(1 for paper in part if paper.key in self.new)
                    result.written = True
                start, size = start + len(part), min(size * 2, WRITE_PART)
                if progress:
                    progress(Step("writing", written, total))
        except KeyboardInterrupt:
            self.changes.clear()  # the part being staged is not written
            if written:
                raise Interrupted(f"{written} of {total} added") from None
            raise
        return result


@contextlib.contextmanager
def _admitting(library: Library, options: IngestOptions) -> Iterator[_Admission]:
    """A run's admission, made and committed under the writer lock when the run may write."""
    if options.dry_run or library.read_only:
        yield _Admission(library, options)
        return
    with library.writing() as changes:
        yield _Admission(library, options, changes)


# -- identifiers ---------------------------------------------------------------------------------


def classify_identifier(text: str) -> str | None:
    """The registered source whose identifiers ``text`` reads as (arXiv before DOI), if any."""
    return guess_source(text)


def build_sources(settings: SourceSettings, names: Sequence[str] | None = None) -> dict[str, Source]:
    """The registered sources (or those in ``names``), opened on one shared HTTP client."""
    from litmap.sources.http import HttpClient, HttpSettings
    from litmap.store.index_db import user_cache_dir

    client = HttpClient(
        HttpSettings(
            contact_email=settings.contact_email,
            read_timeout=float(settings["timeout"]),
            retries=int(settings["retries"]),
        )
    )
    context = SourceContext(client, settings.values, settings.contact_email, user_cache_dir())
    return {s.name: s.opener()(context) for s in source_types() if names is None or s.name in names}


def _close(sources: Mapping[str, Source]) -> None:
    for source in sources.values():
        client = getattr(source, "client", None)
        if client is not None:
            client.close()


def _probe(kind: SourceType, bare: str) -> Paper | None:
    """A stand-in paper carrying only the identifier, to ask the matcher before fetching."""
    if kind.field is None:
        return None
    return Paper.model_validate({"key": PLACEHOLDER_KEY, "title": f"{kind.label} {bare}", kind.field: bare})


def add_identifiers(
    library: Library,
    identifiers: Sequence[tuple[str, str]],
    options: IngestOptions | None = None,
    sources: Mapping[str, Source] | None = None,
    progress: ProgressHook | None = None,
) -> IngestResult:
    """Add papers by identifier: ``(source name, text)`` pairs, or ``("auto", text)`` to recognise
    the source by the identifier's form; only what the library lacks is fetched."""
    options = options or IngestOptions()
    if options.key is not None and len(identifiers) > 1:
        raise InvalidOption("key", "{option} names one paper: give a single identifier with it")
    session = _Admission(library, options)  # the pre-check, so that only new papers are fetched
    outcomes: dict[int, Outcome] = {}
    fetched: dict[int, Candidate] = {}
    pending: dict[str, dict[str, int]] = {s.name: {} for s in source_types()}
    seen: set[tuple[str, str]] = set()
    for index, (kind, text) in enumerate(identifiers):
        resolved = _resolve_kind(kind, text)
        if resolved is None:
            label = f"{source_type(kind).label} {text}" if kind != "auto" else text
            outcomes[index] = Outcome(label, "failed", reason=_not_an_identifier(kind))
            continue
        found, query, bare = resolved
        label = f"{found.label} {query}"
        if (found.name, bare.lower()) in seen:
            continue
        seen.add((found.name, bare.lower()))
        probe = _probe(found, bare)
        present = session.duplicate(label, probe) if probe is not None else None
        if present is not None:
            outcomes[index] = present
        else:
            pending[found.name][query] = index
    if any(pending.values()) and not options.dry_run:
        library.ensure_writable()
    total = sum(len(p) for p in pending.values())
    done = 0
    if total:
        owned = sources is None
        if sources is None:
            wanted = [name for name, queries in pending.items() if queries]
            sources = build_sources(SourceSettings.from_config(library.config), wanted)
        try:
            for kind_name, queries in pending.items():
                if not queries:
                    continue
                waiting = list(queries)
                if progress:
                    progress(Step("fetching", done, total, about=some_of(waiting)))
                for lookup in sources[kind_name].fetch(list(queries)):
                    index = queries[lookup.id]
                    label = f"{source_type(kind_name).label} {lookup.id}"
                    fetched[index] = Candidate(label, _stamped(lookup.paper, kind_name, lookup.id), lookup.error)
                    done += 1
                    if lookup.id in waiting:
                        waiting.remove(lookup.id)
                    if progress:
                        progress(Step("fetching", done, total, about=some_of(waiting)))
        finally:
            if owned:
                _close(sources)
    if not fetched:
        return session.commit(IngestResult([outcomes[i] for i in sorted(outcomes)]))
    # Fetching took long: the papers are compared and keyed again under the lock, against the
    # library as it is now (another writer may have added them meanwhile).
    with _admitting(library, options) as locked:
        for index in sorted(fetched):
            outcomes[index] = locked.admit(fetched[index])
        return locked.commit(IngestResult([outcomes[i] for i in sorted(outcomes)]), progress)


def _stamped(paper: Paper | None, source: str, query: str) -> Paper | None:
    """A fetched paper with its provenance (the source, and the id to fetch it by again)."""
    if paper is None:
        return None
    from litmap.services.provenance import stamp

    field = source_type(source).field
    return stamp(paper, source, str(getattr(paper, field, None) or query) if field else query)


def _resolve_kind(kind: str, text: str) -> tuple[SourceType, str, str] | None:
    """(source, id to ask for, bare id) for ``text``, or None if it is not an identifier of ``kind``."""
    for candidate in source_types() if kind == "auto" else [source_type(kind)]:
        handed = candidate.handover(text) if candidate.handover else None
        if handed is not None:
            kind, text = handed
            break
    if kind == "auto":
        guessed = guess_source(text)
        if guessed is None:
            return None
        kind = guessed
    found = source_type(kind)
    try:
        query, bare = found.normalize(text)
    except ValueError:
        return None
    return found, query, bare


def _not_an_identifier(kind: str) -> str:
    if kind == "auto":
        nouns = ", ".join(s.noun for s in source_types())
        return f"not {nouns} or a .bib file (use --bibtex FILE for files)"
    return f"not {source_type(kind).expected}"


# -- BibTeX --------------------------------------------------------------------------------------


def read_bib_file(path: Path) -> str:
    """A .bib file's text: UTF-8 (with or without BOM), else Latin-1 as older exports wrote."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LitmapError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LitmapError(f"{path}: is a folder, not a .bib file") from None
    except OSError as exc:
        raise LitmapError(f"{path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def import_bibtex(
    library: Library,
    text: str,
    name: str = "<stdin>",
    options: IngestOptions | None = None,
    progress: ProgressHook | None = None,
) -> IngestResult:
    """Add every entry of a .bib text; a malformed entry is reported (with its line) and skipped."""
    from litmap.formats.bibtex_read import parse_bib

    options = options or IngestOptions()
    if "\x00" in text:
        raise InvalidValue(f"{name}: not a BibTeX file (binary data)")
    if progress:
        progress(Step("reading", about=name))
    reading = (lambda done, total: progress(Step("reading", done, total, about=name))) if progress else None
    parsed = parse_bib(text, reading)
    items = parsed.items
    if not items and not parsed.folded:
        raise InvalidValue(f"{name}: no BibTeX entries found")
    if options.key is not None and len(items) != 1:
        raise InvalidOption("key", f"{{option}} names one paper, but {name} holds {len(items)} entries")
    outcomes: list[Outcome] = []
    with collector_paused(), _admitting(library, options) as session:  # papers, features, texts: no cycles
        session.keys.reserve(key for item in items for key in _keys_of(item))
        total = len(items)
        items.reverse()  # each entry is let go once admitted: its paper is copied under a new key
        for done in range(1, total + 1):
            item = items.pop()
            label = f"{name}:{item.line}" + (f" ({item.key})" if item.key else "")
            candidate = Candidate(
                label, item.paper, item.error, line=item.line, original_key=item.key or None, notes=item.notes
            )
            outcomes.append(session.admit(candidate))
            if progress:
                progress(Step("checking", done, total))
        key_at = {o.line: p.key for o in outcomes if (p := o.paper or o.existing) is not None}
        folded = [
            FoldedParent(
                f"{name}:{f.line} ({f.key})",
                f.line,
                f.key,
                tuple(dict.fromkeys(key_at[line] for line in f.children if line in key_at)),
            )
            for f in parsed.folded
        ]
        notes = [f"{name}:{line}: {text}" for line, text in parsed.notes]
        return session.commit(IngestResult(outcomes, folded=folded, notes=notes), progress)


def _keys_of(item: BibItem) -> list[str]:
    """The keys an entry of a .bib file answers to: its own and its biblatex ``ids``."""
    return [k for k in [item.key, *(item.paper.aliases if item.paper else [])] if k]


# -- by hand -------------------------------------------------------------------------------------


def add_manual(library: Library, entry: ManualEntry, options: IngestOptions | None = None) -> IngestResult:
    """Add one paper typed by hand; nothing is fetched (identifiers are recorded as given)."""
    options = options or IngestOptions()
    type_problem = entry_type_problem(entry.type) if entry.type else None
    if type_problem:
        raise InvalidOption("type", f"{{option}}: {type_problem}")
    try:
        authors = [Author.parse(text) for text in entry.authors]
        paper = Paper(
            key=PLACEHOLDER_KEY,
            type=entry.type or ("article" if entry.venue else "misc"),
            title=entry.title,
            authors=authors,
            year=entry.year,  # type: ignore[arg-type]  # the model reads and checks a year typed as text
            venue=entry.venue,
            url=entry.url,
            doi=entry.doi,
            arxiv=entry.arxiv,
            abstract=entry.abstract,
            note=entry.note,
        )
    except ValueError as exc:
        problem = first_problem(exc)
        field = problem.location[0] if problem.location else ""
        if field in ManualEntry.__dataclass_fields__:
            raise InvalidOption(field, f"{{option}}: {problem.message}") from None
        where = ".".join(problem.location)
        raise InvalidValue(f"field {where!r}: {problem.message}" if where else problem.message) from None
    with _admitting(library, options) as session:
        outcome = session.admit(Candidate(repr(paper.title), paper))
        return session.commit(IngestResult([outcome]))
