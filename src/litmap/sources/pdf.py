"""PDFs as a source: the arXiv id or DOI a paper's PDF carries, and whether a title is on its first page.

Text comes from pypdf (BSD licensed), imported only when a PDF is read. Where an identifier is looked
for, best first: the document's metadata (``/doi``, a DOI in ``/Subject`` or the XMP packet), the
arXiv stamp arXiv prints in the margin of every preprint (``arXiv:2209.10652v3 [cs.LG] 21 Sep
2022``), then arXiv ids and DOIs in the text of the first pages.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from litmap.errors import LitmapError

#: Pages read for identifiers and the title (the stamp and the DOI line are on the first).
PAGES_READ = 2
_STAMP = re.compile(r"arXiv\s*:\s*(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?", re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>{}\[\]]+)", re.IGNORECASE)
_DOI_TRAILING = ".,;:)]}'\""


@dataclass
class PdfText:
    """What was read from a PDF: its first page, the text of the pages read, and its metadata."""

    path: Path
    first_page: str
    text: str
    metadata: dict[str, str] = field(default_factory=dict)


def read_pdf(path: Path, pages: int = PAGES_READ) -> PdfText:
    """The text of the first ``pages`` pages of ``path``; LitmapError naming the file if it is no PDF."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise LitmapError("reading PDFs needs the pypdf package: pip install pypdf") from None
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            reader.decrypt("")
        texts = [(page.extract_text() or "") for page in reader.pages[:pages]]
        metadata = {str(k).lstrip("/").lower(): str(v) for k, v in (reader.metadata or {}).items()}
        with contextlib.suppress(Exception):  # a damaged XMP packet is no reason to refuse the PDF
            xmp = reader.xmp_metadata
            if xmp is not None:
                metadata["xmp"] = xmp.rdf_root.toxml()
    except FileNotFoundError:
        raise LitmapError(f"{path}: no such file") from None
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise LitmapError(f"{path}: not a readable PDF ({exc})") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise LitmapError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    return PdfText(Path(path), texts[0] if texts else "", "\n".join(texts), metadata)


def _clean_doi(raw: str) -> str:
    doi = raw.rstrip(_DOI_TRAILING)
    if doi.count("(") < doi.count(")"):
        doi = doi.rstrip(")")
    return doi


def identifiers(pdf: PdfText) -> list[tuple[str, str]]:
    """(kind, id) pairs found in the PDF, best first, without repeats: kind is "arxiv" or "doi"."""
    from litmap.identifiers import arxiv_id_from_doi, normalize_arxiv_id

    found: list[tuple[str, str]] = []

    def add(kind: str, value: str) -> None:
        if kind == "doi":
            arxiv = arxiv_id_from_doi(value)
            if arxiv:
                kind, value = "arxiv", arxiv
        key = (kind, value.lower())
        if key not in {(k, v.lower()) for k, v in found}:
            found.append((kind, value))

    meta = pdf.metadata
    for name in ("doi", "prism:doi", "dc.identifier"):
        if meta.get(name):
            match = _DOI.search(meta[name])
            if match:
                add("doi", _clean_doi(match.group(1)))
    for name in ("subject", "xmp", "keywords"):
        match = _DOI.search(meta.get(name, ""))
        if match:
            add("doi", _clean_doi(match.group(1)))
    text = _joined(pdf.text)
    for match in _STAMP.finditer(text):
        try:
            add("arxiv", normalize_arxiv_id(match.group(1)))
        except ValueError:
            continue
    for match in _DOI.finditer(text):
        add("doi", _clean_doi(match.group(1)))
    return found


def _joined(text: str) -> str:
    """Text with words broken at line ends joined again (``10.1000/abc-\\ndef`` -> ``10.1000/abc-def``)."""
    return re.sub(r"(?<=[-/.])\n(?=\S)", "", text)


def _words(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"-\s*\n\s*", "", text)  # hyphenation at line ends
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def title_on_page(title: str, page: str) -> bool:
    """Whether ``title`` is printed on ``page`` (case, accents, punctuation and line breaks aside).

    Allows a small share of differing characters (ligatures, a word set in math), never less than
    nine in ten of the title's characters matching a stretch of the page.
    """
    wanted = _words(title)
    text = _words(page)
    if not wanted:
        return False
    if wanted in text:
        return True
    from rapidfuzz import fuzz

    return fuzz.partial_ratio(wanted, text) >= 90
