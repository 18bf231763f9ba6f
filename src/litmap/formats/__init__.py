"""Formats: converters between papers and text (BibTeX in and out, LaTeX text, CSL-JSON, Hayagriva, Markdown, HTML).

Each converter is a pure function over models; nothing here reads or writes files, prints or exits.

Export formats share one signature, ``render(papers, context) -> text``, and one registration,
:func:`register_format`: a new format is one module with that function plus one registration
(name, help, examples, its own flags). It then is ``litmap export <name>`` with every selection
option the other formats have (keys, ``-``, ``--category``, ``--tag``, ``--query``, drafts, ``-o``),
and ``Library.export(name, ...)`` in Python. Which papers to export is decided by
:mod:`litmap.services.export`; a format only turns them into text. Importing this package does not
import the formats' modules (built-ins name their render function as ``"module:function"``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from litmap.registry import Registry, resolve

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.taxonomy import Taxonomy

__all__ = ["ExportContext", "ExportFormat", "FormatFlag", "export_formats", "register_format"]


@dataclass(frozen=True)
class ExportContext:
    """What a format may use besides the papers: the library's settings and taxonomy, the options asked for.

    ``settings`` is the ``[export]`` table of litmap.toml (``settings_path`` names that file in
    errors); ``category`` is the ``--category`` the papers were chosen by (Markdown makes it the
    page); ``flags`` are the format's own flags (``{"ascii": True}``). The taxonomy is read only when
    a format asks for it.
    """

    settings: Mapping[str, Any] = field(default_factory=dict)
    settings_path: str = "litmap.toml"
    library_name: str = "litmap library"
    library_description: str | None = None
    category: str | None = None
    flags: Mapping[str, bool] = field(default_factory=dict)
    load_taxonomy: Callable[[], Taxonomy] | None = None
    #: Exported key -> other keys a draft cites the same paper by: a format defines them too.
    also_cited_as: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Exported key -> the paper's own key, when a draft cites the paper by an alias.
    own_keys: Mapping[str, str] = field(default_factory=dict)
    #: Key -> the reader's own notes (``notes/KEY.md``), read only for a format with a ``notes`` flag on.
    notes: Mapping[str, str] = field(default_factory=dict)
    #: One-line warnings a format has for the user (printed on stderr after the export is written).
    warnings: list[str] = field(default_factory=list)

    def other_keys(self, key: str) -> list[str]:
        """The keys besides ``key`` that must resolve to its entry: those cited, then its own key.

        For formats with aliases (biblatex's ``ids``).
        """
        others = list(self.also_cited_as.get(key, ()))
        own = self.own_keys.get(key)
        return [*others, own] if own and own not in others else others

    def under_every_cited_key(self, papers: Sequence[Paper]) -> list[Paper]:
        """``papers``, each also under every other key a draft cites it by, in key order.

        For formats without aliases (CSL-JSON, Hayagriva): each cited key gets an item of its own.
        """
        every = list(papers)
        for paper in papers:
            every.extend(paper.model_copy(update={"key": other}) for other in self.also_cited_as.get(paper.key, ()))
        return sorted(every, key=lambda p: p.key)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        """The library's category tree (empty when there is none)."""
        if self.load_taxonomy is not None:
            return self.load_taxonomy()
        from litmap.taxonomy import Taxonomy

        return Taxonomy()


@dataclass(frozen=True)
class FormatFlag:
    """An on/off option of one format: ``FormatFlag("ascii", "--ascii", "LaTeX-encode non-ASCII ...")``."""

    name: str
    flag: str
    help: str


Render = Callable[[Sequence["Paper"], ExportContext], str]


@dataclass(frozen=True)
class ExportFormat:
    """The registration of an export format.

    ``render`` is a callable or ``"module:function"``; ``wrote`` says what was written, with
    ``{count}`` (``"{count} entries"`` -> "Wrote 5 entries to refs.bib"); ``examples`` are
    ``litmap export`` command lines for the help (each may end in a comment after two spaces).
    """

    name: str
    render: Render | str
    help: str
    examples: tuple[str, ...] = ()
    flags: tuple[FormatFlag, ...] = ()
    wrote: str = "{count} entries"
    extension: str = ""

    def renderer(self) -> Render:
        """The render function (importing its module if it is named as text)."""
        render: Render = resolve(self.render)
        return render


_FORMATS: Registry[ExportFormat] = Registry()


def register_format(export_format: ExportFormat) -> ExportFormat:
    """Add (or replace) an export format; it becomes ``litmap export <name>``."""
    return _FORMATS.add(export_format.name, export_format)


def unregister_format(name: str) -> None:
    """Forget a registered format (tests register toy formats and clean up)."""
    _FORMATS.remove(name)


def export_formats() -> list[ExportFormat]:
    """The registered formats, in registration order."""
    return list(_FORMATS)


def export_format(name: str) -> ExportFormat:
    """The format registered as ``name``; InvalidValue (with the known names) if none is."""
    if name not in _FORMATS:
        from litmap.errors import InvalidValue

        raise InvalidValue(f"unknown export format {name!r} (known: {', '.join(_FORMATS.names())})")
    return _FORMATS[name]


register_format(
    ExportFormat(
        name="bibtex",
        render="litmap.formats.bibtex:export_bibtex",
        help="Export papers as BibTeX (for bibtex and biber), e.g. exactly those a LaTeX draft cites.",
        examples=(
            "litmap export bibtex --draft draft.tex -o refs.bib    what the draft cites",
            "litmap export bibtex --draft build/draft.aux -o refs.bib",
            "litmap export bibtex --draft paper.typ -o refs.bib",
            "litmap export bibtex elhage2022toy olah2020zoom",
            "litmap search grokking --keys | litmap export bibtex -",
            "litmap export bibtex --category attribution --ascii -o attribution.bib",
        ),
        flags=(
            FormatFlag("ascii", "--ascii", "LaTeX-encode non-ASCII characters (for classic 8-bit bibtex)."),
            FormatFlag("abstracts", "--abstracts", "Include the abstracts."),
        ),
        extension=".bib",
    )
)
register_format(
    ExportFormat(
        name="csl-json",
        render="litmap.formats.csl:export_csl",
        help="Export papers as CSL-JSON, for pandoc (--citeproc), Zotero and other CSL tools.",
        examples=(
            "litmap export csl-json --draft draft.md -o refs.json    for pandoc --citeproc --bibliography refs.json",
            "litmap export csl-json --category superposition",
        ),
        wrote="{count} items",
        extension=".json",
    )
)
register_format(
    ExportFormat(
        name="hayagriva",
        render="litmap.formats.hayagriva:export_hayagriva",
        help="Export papers as Hayagriva YAML, Typst's bibliography format, e.g. exactly those a draft cites.",
        examples=(
            "litmap export hayagriva --draft paper.typ -o refs.yml    for Typst",
            "litmap export hayagriva --category superposition -o superposition.yml",
        ),
        flags=(FormatFlag("abstracts", "--abstracts", "Include the abstracts."),),
        extension=".yml",
    )
)
register_format(
    ExportFormat(
        name="markdown",
        render="litmap.formats.markdown:export_markdown",
        help="Export the reading list as a Markdown page: contents, sections, Mermaid maps, abstracts.",
        examples=(
            "litmap export markdown -o READING-LIST.md",
            "litmap export markdown --category challenges-and-criticisms",
        ),
        wrote="the reading list ({count} papers)",
        extension=".md",
        flags=(FormatFlag("notes", "--notes", "Include your own notes (notes/KEY.md) under each paper."),),
    )
)
register_format(
    ExportFormat(
        name="html",
        render="litmap.formats.html:export_html",
        help="Export the reading list as one self-contained web page: the taxonomy map, sections, abstracts,"
        " BibTeX, and a search box that filters as you type.",
        examples=(
            "litmap export html -o index.html    open it from disk, or publish it (GitHub Pages)",
            "litmap export html --category attribution -o attribution.html",
            "litmap export html --tag to-read -o to-read.html",
        ),
        wrote="the reading list ({count} papers)",
        extension=".html",
    )
)
