"""Papers to CSL-JSON, the bibliography format of pandoc (``--citeproc``), Zotero and citeproc-js.

Items are sorted by id and their variables written in a fixed order, so the same library gives the
same bytes. Text stays Unicode (CSL processors format it themselves), LaTeX the library keeps (math,
macros) read as text. Titles go in sentence case, with protected words in nocase spans
(:mod:`litmap.formats.sentence_case`); container titles as the library has them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from litmap.dates import distinct_release
from litmap.formats import ExportContext
from litmap.formats.bibtex import DEFAULT_WEB_VENUES
from litmap.formats.latex_text import readable
from litmap.formats.protect import ProtectedTerms
from litmap.formats.sentence_case import csl_title
from litmap.models import Author, Paper
from litmap.pages import page_range

#: litmap entry type -> CSL item type.
CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "book": "book",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "manual": "report",
    "unpublished": "manuscript",
    "online": "webpage",
}
#: Entry types whose kind of work APA prints (``genre``) when the entry names none in its ``type`` field.
_GENRE = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis", "techreport": "Technical report"}
#: biblatex's localisation keys for the ``type`` field, as the words they print.
_TYPE_KEYS = {
    "techreport": "Technical report",
    "resreport": "Research report",
    "phdthesis": "PhD thesis",
    "mathesis": "Master's thesis",
    "candthesis": "Candidate thesis",
}
_ORDINALS = {
    word: number
    for number, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}
_EDITION = re.compile(r"(?i)(?P<number>\d+)(?:st|nd|rd|th)?\.?|(?P<word>[a-z]+)")
_EDITION_WORD = re.compile(r"(?i)\s*(?:ed\.?|edn\.?|edition)$")
_PUBLISHER_VENUE = {"book", "report", "thesis"}


def export_csl(papers: Sequence[Paper], context: ExportContext) -> str:
    """``litmap export csl-json``: the CSL-JSON array, web venues from the library's ``[export]`` settings."""
    from litmap.formats.bibtex import BibtexOptions

    options = BibtexOptions.from_settings(context.settings, context.settings_path)
    return papers_to_csl(context.under_every_cited_key(papers), options.web_venues, options.protected)


def papers_to_csl(
    papers: Iterable[Paper],
    web_venues: Iterable[str] = DEFAULT_WEB_VENUES,
    protected: ProtectedTerms | None = None,
) -> str:
    """A CSL-JSON array of ``papers`` (sorted by key), pretty-printed, ending with a newline."""
    web = {v.casefold() for v in web_venues}
    items = [paper_to_csl(p, web, protected) for p in sorted(papers, key=lambda p: p.key)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def paper_to_csl(
    paper: Paper, web_venues: set[str] | None = None, protected: ProtectedTerms | None = None
) -> dict[str, Any]:
    """One CSL item. A preprint gets ``publisher: arXiv`` and ``number: arXiv:ID``, as Zotero does."""
    web = web_venues if web_venues is not None else {v.casefold() for v in DEFAULT_WEB_VENUES}
    csl_type = _csl_type(paper, web)
    language = paper.extra.get("langid") or paper.extra.get("language")
    subtitle = paper.extra.get("subtitle")  # biblatex's: pandoc joins it to the title the same way
    full = f"{paper.title}: {subtitle}" if subtitle else paper.title
    title = csl_title(full, protected or ProtectedTerms(), paper.protected, language)
    item: dict[str, Any] = {"id": paper.key, "type": csl_type, "title": title}
    if paper.authors:
        item["author"] = [_name(a) for a in paper.authors]
    if paper.year:
        item["issued"] = {"date-parts": [[paper.year, paper.month] if paper.month else [paper.year]]}
    released = distinct_release(paper.released, paper.year, paper.month)
    if released:
        item["original-date"] = {"date-parts": [[int(part) for part in released.split("-")]]}
    publisher = paper.extra.get("publisher")
    if paper.venue and csl_type in _PUBLISHER_VENUE:
        publisher = publisher or paper.venue
        if paper.venue != publisher:
            item["container-title"] = readable(paper.venue)
    elif paper.venue and not (csl_type == "article" and paper.arxiv):
        item["container-title"] = readable(paper.venue)
    if csl_type == "article" and paper.arxiv:
        publisher = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv}"
    elif "number" in paper.extra:
        item["number" if csl_type in ("report", "thesis") else "issue"] = paper.extra["number"]
    if publisher:
        item["publisher"] = publisher
    if "address" in paper.extra:
        item["publisher-place"] = paper.extra["address"]
    genre = _genre(paper)
    if genre:
        item["genre"] = genre
    if paper.volume:
        item["volume"] = paper.volume
    if paper.pages:
        item["page"] = page_range(paper.pages, dash="-")
    if "edition" in paper.extra:
        item["edition"] = csl_edition(paper.extra["edition"])
    if paper.doi:
        item["DOI"] = paper.doi
    url = paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None)
    if url:
        item["URL"] = url
    if paper.abstract:
        item["abstract"] = readable(paper.abstract)
    return item


def csl_edition(edition: str) -> int | str:
    """An edition as CSL wants it: a number when it is one (``2``, ``2nd``, ``Second``, ``2nd ed.``), so
    styles print "2nd ed."; anything else (``Revised``, ``2014``: an edition named by its year) as text."""
    text = _EDITION_WORD.sub("", readable(edition).strip())
    match = _EDITION.fullmatch(text)
    if match and match["number"] and 0 < int(match["number"]) < 1000:  # not an edition named by its year
        return int(match["number"])
    if match and match["word"] and match["word"].lower() in _ORDINALS:
        return _ORDINALS[match["word"].lower()]
    return readable(edition)


def _genre(paper: Paper) -> str | None:
    """The kind of work: the entry's own ``type`` field (a biblatex key read as its words), else the
    entry type's (technical report, PhD or Master's thesis)."""
    own = paper.extra.get("bibtex-type", "").strip()
    if own:
        return _TYPE_KEYS.get(own.lower(), readable(own))
    return _GENRE.get(paper.type)


def _csl_type(paper: Paper, web: set[str]) -> str:
    """The CSL type: from the entry type, else preprint, blog post, forum post or web page."""
    if paper.type in CSL_TYPES:
        return CSL_TYPES[paper.type]
    if paper.arxiv and (not paper.venue or "arxiv" in paper.venue.casefold()):
        return "article"
    if paper.venue and "blog" in paper.venue.casefold():
        return "post-weblog"
    if paper.venue and paper.venue.casefold() in web:
        return "post"
    return "webpage" if paper.url else "document"


def _name(author: Author) -> dict[str, str]:
    """A CSL name: family and given, or a literal for an organisation."""
    if not author.given:
        return {"literal": author.family}
    return {"family": author.family, "given": author.given}
