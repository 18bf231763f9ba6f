"""``litmap export``: BibTeX for a paper draft, CSL-JSON, the reading list as a Markdown page."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from litmap.cli import state
from litmap.cli.app import app, fail

if TYPE_CHECKING:
    from litmap.services.export import ExportScope

export_app = typer.Typer(
    name="export",
    help="Export papers: BibTeX for a LaTeX draft, CSL-JSON for pandoc and Zotero, the reading list as Markdown.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(export_app, name="export")

KeysArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Citekeys to export (old keys left by merges resolve); - reads keys from stdin. Default: all papers.",
        show_default=False,
    ),
]
AuxOpt = Annotated[
    list[Path] | None,
    typer.Option("--aux", metavar="FILE.aux", help="Export what this LaTeX .aux file cites (repeatable)."),
]
TexOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--tex", metavar="FILE.tex", help="Export what this draft cites, following \\input/\\include (repeatable)."
    ),
]
CategoryOpt = Annotated[str | None, typer.Option("--category", "-c", help="Only this category and its subcategories.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Only papers with this tag (repeatable).")]
QueryOpt = Annotated[
    str | None, typer.Option("--query", "-q", help="Only papers a search finds (same syntax as `litmap search`).")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
]
AllowMissingOpt = Annotated[
    bool,
    typer.Option("--allow-missing", help="Exit 0 even when a key or cited key is not in the library."),
]


@export_app.command(
    "bibtex",
    epilog="[bold]Examples[/]\n\n"
    "  litmap export bibtex --tex draft.tex -o refs.bib    what the draft cites\n\n"
    "  litmap export bibtex --aux build/draft.aux -o refs.bib\n\n"
    "  litmap export bibtex elhage2022toy olah2020zoom\n\n"
    "  litmap search grokking --keys | litmap export bibtex -\n\n"
    "  litmap export bibtex --category attribution --ascii -o attribution.bib",
)
def bibtex(
    keys: KeysArg = None,
    aux: AuxOpt = None,
    tex: TexOpt = None,
    category: CategoryOpt = None,
    tag: TagOpt = None,
    query: QueryOpt = None,
    output: OutputOpt = None,
    ascii_only: Annotated[
        bool, typer.Option("--ascii", help="LaTeX-encode non-ASCII characters (for classic 8-bit bibtex).")
    ] = False,
    abstracts: Annotated[bool, typer.Option("--abstracts", help="Include the abstracts.")] = False,
    allow_missing: AllowMissingOpt = False,
) -> None:
    """Export papers as BibTeX (for bibtex and biber), e.g. exactly those a LaTeX draft cites."""
    from litmap.formats.bibtex import BibtexOptions, papers_to_bibtex

    library = state.library()
    scope = _choose(keys, aux, tex, category, tag, query)
    options = BibtexOptions.from_settings(
        library.config.export, str(library.config_path), ascii_only=ascii_only, abstracts=abstracts
    )
    _deliver(papers_to_bibtex(scope.papers, options), output, scope, "entries", allow_missing)


@export_app.command(
    "csl-json",
    epilog="[bold]Examples[/]\n\n"
    "  litmap export csl-json -o refs.json && pandoc draft.md --citeproc --bibliography refs.json\n\n"
    "  litmap export csl-json --category superposition",
)
def csl_json(
    keys: KeysArg = None,
    aux: AuxOpt = None,
    tex: TexOpt = None,
    category: CategoryOpt = None,
    tag: TagOpt = None,
    query: QueryOpt = None,
    output: OutputOpt = None,
    allow_missing: AllowMissingOpt = False,
) -> None:
    """Export papers as CSL-JSON, for pandoc (--citeproc), Zotero and other CSL tools."""
    from litmap.formats.bibtex import BibtexOptions
    from litmap.formats.csl import papers_to_csl

    library = state.library()
    scope = _choose(keys, aux, tex, category, tag, query)
    venues = BibtexOptions.from_settings(library.config.export, str(library.config_path)).web_venues
    _deliver(papers_to_csl(scope.papers, venues), output, scope, "items", allow_missing)


@export_app.command(
    "markdown",
    epilog="[bold]Examples[/]\n\n"
    "  litmap export markdown -o READING-LIST.md\n\n"
    "  litmap export markdown --category challenges-and-criticisms",
)
def markdown(
    output: OutputOpt = None,
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Only this category's subtree, as the page.")
    ] = None,
) -> None:
    """Export the reading list as a Markdown page: contents, sections, Mermaid maps, abstracts."""
    from litmap.formats.markdown import papers_to_markdown

    library = state.library()
    taxonomy = library.taxonomy()
    if category:
        taxonomy.get(category)
    papers = library.papers()
    if category:
        wanted = set(taxonomy.descendants(category))
        papers = [p for p in papers if wanted.intersection(p.categories)]
    text = papers_to_markdown(
        papers,
        taxonomy,
        library_name=library.config.name,
        library_description=library.config.description,
        category=category,
    )
    _write(text, output)
    if output is not None:
        _note(f"Wrote the reading list ({len(papers)} papers) to {output}")


def _choose(
    keys: list[str] | None,
    aux: list[Path] | None,
    tex: list[Path] | None,
    category: str | None,
    tag: list[str] | None,
    query: str | None,
) -> "ExportScope":
    """The papers to export, keys read from stdin where ``-`` is given."""
    from litmap.services.export import choose_papers

    wanted: list[str] = []
    for key in keys or []:
        wanted.extend(_stdin_keys() if key == "-" else [key])
    if keys and not wanted:
        raise fail("no keys on standard input (pipe them in, e.g. `litmap search grokking --keys | ... -`)")
    return choose_papers(
        state.library(),
        keys=wanted,
        aux=aux or [],
        tex=tex or [],
        category=category,
        tags=tag or [],
        query=query,
    )


def _stdin_keys() -> list[str]:
    """Keys from standard input: whitespace- or comma-separated."""
    return [key for key in sys.stdin.read().replace(",", " ").split() if key]


def _deliver(text: str, output: Path | None, scope: "ExportScope", noun: str, allow_missing: bool) -> None:
    """Write the export, then report what is missing; exit 1 on missing keys unless allowed."""
    _write(text, output)
    for line in scope.unread:
        _note(f"Note: not followed: {line}")
    for line in scope.warnings:
        _note(f"Warning: {line}")
    for paper_key, used, other in scope.double_cited:
        _note(f"Warning: {used!r} and {other!r} are the same paper ({paper_key}); exported as {used!r}")
    if output is not None:
        _note(f"Wrote {len(scope.papers)} {noun} to {output}")
    if not scope.missing:
        return
    from litmap.errors import did_you_mean

    for missing in scope.missing:
        where = f"{missing.where}: " if missing.where else ""
        _note(f"{where}no paper with key {missing.key!r}{did_you_mean(missing.suggestions)}")
    count = len(scope.missing)
    what = f"{count} key{'s are' if count > 1 else ' is'} not in the library"
    if allow_missing:
        _note(f"Warning: {what} (exported the rest)")
        return
    raise fail(f"{what}; the rest were exported (pass --allow-missing to accept this)")


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from litmap.errors import LitmapError
    from litmap.store.files import atomic_write

    if output.is_dir():
        raise LitmapError(f"{output}: is a folder; give a file name, e.g. {output / 'refs.bib'}")
    if not output.parent.is_dir():
        raise LitmapError(f"{output.parent}: no such folder")
    atomic_write(output, text)


def _note(message: str) -> None:
    sys.stderr.write(message + "\n")
