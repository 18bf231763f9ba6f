"""Which BibTeX fields are what: one table shared by the reader (bibtex_read) and the writer (bibtex).

- :data:`VERBATIM_FIELDS` are kept exactly as written, in and out: links, paths, identifiers, keys of
  other entries and biblatex dates (biber reads them verbatim; LaTeX decoding would mangle them).
- :data:`CONTAINERS` name, per entry type, the field the paper's ``venue`` is read from first and
  written back to.
- A BibTeX field whose name a litmap field already has (``note``, ``type``, ``key``, ``venue``...) is
  kept as ``bibtex-<name>`` and written back under its own name (:func:`bibtex_name`), and a value
  litmap keeps as text (``year-text``, ``month-text``, ``doi-text``) goes back as the field it was.
"""

from __future__ import annotations

VERBATIM_FIELDS = frozenset(
    "url doi eprint file pdf verba verbb verbc isbn issn isrn crossref xref xdata ids related entryset "
    "date urldate eventdate origdate arxivid arxiv local-url bdsk-url-1 bdsk-url-2 bdsk-file-1 "
    "eprintclass primaryclass archiveprefix eprinttype".split()
)

#: Entry type -> the field that names its container (the paper's ``venue``).
CONTAINERS: dict[str, str] = {
    "article": "journal",
    "inproceedings": "booktitle",
    "conference": "booktitle",
    "incollection": "booktitle",
    "inbook": "booktitle",
    "book": "publisher",
    "mvbook": "publisher",
    "proceedings": "publisher",
    "techreport": "institution",
    "report": "institution",
    "phdthesis": "school",
    "mastersthesis": "school",
    "thesis": "institution",
    "manual": "organization",
    "booklet": "howpublished",
    "misc": "howpublished",
}

#: Fields an import may read a venue from; one holding the venue already, the venue is not written twice.
VENUE_SOURCES = frozenset(
    "journal journaltitle booktitle school institution publisher howpublished organization".split()
)

#: The extra field marking a title litmap made up for an entry that has none (``@set``, ``@xdata``...):
#: shown, matched, never exported.
UNTITLED = "untitled"

#: Fields whose value litmap could not read as what it claims and keeps as text.
TEXT_FALLBACKS = ("year", "month", "doi")


def bibtex_name(extra_name: str) -> str:
    """The BibTeX field an extra field is written as: ``bibtex-note`` -> ``note``, ``year-text`` -> ``year``."""
    if extra_name.startswith("bibtex-"):
        return extra_name.removeprefix("bibtex-")
    base = extra_name.removesuffix("-text")
    return base if base != extra_name and base in TEXT_FALLBACKS else extra_name


#: Field names BibTeX and biblatex define (beside litmap's own record fields): ``litmap check`` warns
#: about an unknown field one edit away from one of these or from a record field (``yaer``, ``auther``).
STANDARD_FIELDS = frozenset(
    "abstract addendum address afterword annotation annotator annote archiveprefix author authortype "
    "bookauthor bookpagination booksubtitle booktitle booktitleaddon chapter commentator crossref date doi "
    "edition editor editora editorb editorc editortype editoratype editorbtype editorctype eid entryset "
    "entrysubtype eprint eprintclass eprinttype eventdate eventtitle eventtitleaddon file foreword gender "
    "holder howpublished ids indexsortname indextitle institution introduction isan isbn ismn isrn issn "
    "issue issuesubtitle issuetitle issuetitleaddon iswc journal journalsubtitle journaltitle "
    "journaltitleaddon keywords key label langid langidopts language library location mainsubtitle "
    "maintitle maintitleaddon month nameaddon note number options organization origdate origlanguage "
    "origlocation origpublisher origtitle pages pagetotal pagination part presort primaryclass publisher "
    "pubstate related relatedoptions relatedstring relatedtype reprinttitle school series shortauthor "
    "shorteditor shorthand shorthandintro shortjournal shortseries shorttitle sortkey sortname sortshorthand "
    "sorttitle sortyear subtitle title titleaddon translator type url urldate venue verba verbb verbc "
    "version volume volumes xdata xref year"
    # fields that DBLP, the ACM, MathSciNet, PubMed, JabRef, Mendeley and Zotero write
    " acmid articleno bibsource biburl coden copyright creationdate ee fjournal groups issue_date lccn"
    " mendeley-groups mendeley-tags modificationdate mrclass mrnumber mrreviewer medium numpages owner pmcid"
    " pmid priority qualityassured ranking readstatus timestamp zbl zblnumber".split()
)
