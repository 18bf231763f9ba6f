"""Adding papers from their PDFs: find the identifier in the PDF, fetch the record, confirm, attach.

For each PDF (or every PDF in a folder): the arXiv id or DOI is read from it (see
:mod:`litmap.sources.pdf`), the record is fetched from the source registered for it, and the fetched
title must appear on the PDF's first page before the record is accepted (a DOI in a reference list or
a footnote is not the paper's own). The paper is then added as ``add`` adds an identifier (the
duplicate check, the key, one atomic write), and the PDF is attached to it, or to the paper the
library already holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from litmap.errors import LitmapError
from litmap.services.ingest import IngestOptions, IngestResult, Outcome, add_identifiers, build_sources
from litmap.services.progress import ProgressHook, Step
from litmap.sources import Lookup, Source, SourceSettings

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.services.attachments import Mode
    from litmap.store import Library

KIND_LABELS = {"arxiv": "arXiv id", "doi": "DOI"}


def pdf_files(paths: Sequence[Path]) -> list[Path]:
    """The PDFs named: files as given, folders as every ``*.pdf`` below them (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def looks_like_pdf(text: str) -> bool:
    """Whether a command-line argument names a PDF or a folder (rather than an identifier)."""
    path = Path(text).expanduser()
    return text.lower().endswith(".pdf") or path.is_dir()


@dataclass
class _Fetched:
    """Sources that answer from lookups already made (the record was fetched to check its title)."""

    lookups: dict[str, Lookup]

    def fetch(self, ids: Sequence[str]) -> Iterator[Lookup]:
        for identifier in ids:
            yield self.lookups[identifier]


def _holder(held: Mapping[tuple[str, str], Paper], kind: str, value: str) -> Paper | None:
    return held.get((kind, value.lower()))


def _identify(
    pdf: Path, sources: Mapping[str, Source], held: Mapping[tuple[str, str], Paper]
) -> tuple[str, str, Lookup] | Paper | str:
    """(kind, id, lookup) of the PDF's own record, the library's paper if it holds it, or why neither."""
    from litmap.sources.pdf import identifiers, read_pdf, title_on_page

    try:
        text = read_pdf(pdf)
    except LitmapError as exc:
        return str(exc).removeprefix(f"{pdf}: ")
    found = [(kind, value) for kind, value in identifiers(text) if kind in sources]
    if not found:
        return "no arXiv id or DOI found in it (add it by hand, with its title, and attach the file)"
    mismatches: list[str] = []
    for kind, value in found:
        holder = _holder(held, kind, value)
        if holder is not None:
            if title_on_page(holder.title, text.first_page):
                return holder
            mismatches.append(
                f"found {KIND_LABELS[kind]} {value} of {holder.key}, but its title is not on the first page"
            )
            continue
        lookup = next(iter(sources[kind].fetch([value])))
        if lookup.paper is None:
            mismatches.append(f"found {KIND_LABELS[kind]} {value} but could not fetch it: {lookup.error}")
            continue
        if title_on_page(lookup.paper.title, text.first_page):
            return kind, value, lookup
        mismatches.append(
            f"found {KIND_LABELS[kind]} {value} but its title ({lookup.paper.title!r}) does not match the first page"
        )
    return mismatches[0]


def _attach_once(library: Library, key: str, pdf: Path, mode: Mode) -> None:
    """Attach ``pdf`` to ``key`` unless that very file is attached already."""
    from litmap.errors import InvalidValue
    from litmap.services.attachments import attach

    try:
        attach(library, key, pdf, mode)
    except InvalidValue as exc:
        if "already attached" not in str(exc):
            raise


def add_pdfs(
    library: Library,
    paths: Sequence[Path],
    options: IngestOptions | None = None,
    mode: Mode = "copy",
    sources: Mapping[str, Source] | None = None,
    progress: ProgressHook | None = None,
) -> IngestResult:
    """Add the papers of ``paths`` (PDFs or folders of PDFs) and attach each PDF; one outcome per PDF."""
    options = options or IngestOptions()
    pdfs = pdf_files([Path(p).expanduser() for p in paths])
    if not pdfs:
        raise LitmapError("no PDF files found in " + ", ".join(str(p) for p in paths))
    owned = sources is None
    sources = sources or build_sources(SourceSettings.from_config(library.config), ["arxiv", "doi"])
    result = IngestResult(dry_run=options.dry_run)
    held = {
        (kind, str(getattr(p, kind)).lower()): p
        for p in library.papers()
        for kind in ("arxiv", "doi")
        if getattr(p, kind)
    }
    try:
        for done, pdf in enumerate(pdfs, start=1):
            if not pdf.is_file():
                result.outcomes.append(Outcome(str(pdf), "failed", reason="no such file"))
                continue
            identified = _identify(pdf, sources, held)
            if isinstance(identified, str):
                result.outcomes.append(Outcome(str(pdf), "failed", reason=identified))
            elif not isinstance(identified, tuple):
                if not options.dry_run:
                    _attach_once(library, identified.key, pdf, mode)
                result.outcomes.append(Outcome(pdf.name, "present", existing=identified, reason="same identifier"))
            else:
                kind, value, lookup = identified
                one = add_identifiers(library, [(kind, value)], options, sources={kind: _Fetched({value: lookup})})
                for outcome in one.outcomes:
                    paper = outcome.paper or outcome.existing
                    if paper is not None and not options.dry_run and outcome.status != "failed":
                        _attach_once(library, paper.key, pdf, mode)
                    result.outcomes.append(replace(outcome, source=f"{pdf.name} ({outcome.source})"))
                result.written = result.written or one.written
            if progress:
                progress(Step("attaching", done, len(pdfs)))
    finally:
        if owned:
            for source in sources.values():
                client = getattr(source, "client", None)
                if client is not None:
                    client.close()
    return result
