"""Commands that bring papers in: add (arXiv id, DOI, BibTeX, by hand), import (a whole .bib file)."""

import functools
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from litmap.cli import state
from litmap.cli.app import app
from litmap.cli.complete import complete_categories, complete_tags
from litmap.cli.progress import Activity

if TYPE_CHECKING:
    from litmap.services.ingest import IngestOptions, IngestResult, Outcome

#: An import names its new papers one per line up to this many; beyond, it only counts them.
LIST_ADDED_UP_TO = 20

CategoryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        "-c",
        metavar="ID",
        help="Put the new papers in this category (repeatable).",
        autocompletion=complete_categories,
    ),
]
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", metavar="TAG", help="Tag the new papers (repeatable).", autocompletion=complete_tags),
]
JsonOption = Annotated[bool, typer.Option("--json", help="The outcome as JSON: added, present, failed.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")]


class _SourceOptions:
    """A command whose parameters include one ``--<name>`` option per registered source.

    The options are made from :func:`litmap.sources.source_types` each time the CLI is built, so a
    source registered by a plugin or a test is ``litmap add --<name>`` without any edit here. The
    command receives them as ``source_ids``: ``(source name, text)`` pairs, in registration order.
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        functools.update_wrapper(self, func)
        self._func = func

    @property
    def __signature__(self) -> inspect.Signature:
        from litmap.sources import source_types

        fixed = [
            p for p in inspect.signature(self._func, eval_str=True).parameters.values() if p.kind != p.KEYWORD_ONLY
        ]
        options = [
            inspect.Parameter(
                s.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=None,
                annotation=Annotated[list[str] | None, typer.Option(f"--{s.name}", metavar=s.metavar, help=s.help)],
            )
            for s in source_types()
        ]
        return inspect.Signature([*fixed[:1], *options, *fixed[1:]])

    def __call__(self, **params: Any) -> Any:
        from litmap.sources import source_types

        names = [s.name for s in source_types()]
        ids = [(name, text) for name in names for text in params.pop(name, None) or ()]
        return self._func(**params, source_ids=ids)


def with_source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give ``func`` (whose first parameter is positional) a ``--<name>`` option per registered source."""
    return _SourceOptions(func)


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap add --arxiv 2209.10652\n\n"
    "  litmap add --arxiv 2202.05262v5 https://arxiv.org/abs/1710.08557 --tag to-read\n\n"
    "  litmap add --doi 10.1038/nature03687 --category attribution\n\n"
    "  litmap add --bibtex entry.bib          (or --bibtex - to read stdin)\n\n"
    '  litmap add --title "Zoom In: An Introduction to Circuits" --author "Olah, Chris" '
    '--author "Cammarata, Nick" --year 2020 --venue Distill --url https://distill.pub/2020/circuits/zoom-in\n\n'
    "Identifiers given without --arxiv/--doi are recognised by their form. Before writing, litmap looks for the "
    "same paper in the library (same arXiv id in any version, same DOI, same title): if it is there, litmap "
    "names it and writes nothing, unless --force.",
)
@with_source_options
def add(
    identifiers: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID", help="arXiv ids or DOIs, in any form people paste, or PDF files and folders."),
    ] = None,
    bibtex: Annotated[
        str | None,
        typer.Option("--bibtex", metavar="FILE", help="Add the BibTeX entries of FILE (- reads stdin)."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Add by hand: the title (nothing is fetched).")] = None,
    author: Annotated[
        list[str] | None,
        typer.Option(
            "--author",
            "-a",
            metavar="NAME",
            help='By hand: "Family, Given", in order (repeatable); '
            "a name without a comma is kept whole (an organisation).",
        ),
    ] = None,
    year: Annotated[str | None, typer.Option("--year", "-y", help="By hand: the year.")] = None,
    venue: Annotated[str | None, typer.Option("--venue", help="By hand: journal, conference, blog...")] = None,
    url: Annotated[str | None, typer.Option("--url", help="By hand: the paper's canonical URL.")] = None,
    entry_type: Annotated[
        str | None,
        typer.Option("--type", help="By hand: BibTeX entry type (default: article with a venue, else misc)."),
    ] = None,
    abstract: Annotated[str | None, typer.Option("--abstract", help="By hand: the abstract.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="By hand: a note.")] = None,
    category: CategoryOption = None,
    tag: TagOption = None,
    key: Annotated[
        str | None, typer.Option("--key", "-k", help="Use this citekey instead of the generated one.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Add even if the library already holds the paper.")] = False,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    *,
    source_ids: list[tuple[str, str]],
) -> None:
    """Add papers by arXiv id, DOI, BibTeX entry, or by hand."""
    from litmap.services.ingest import (
        IngestOptions,
        ManualEntry,
        add_identifiers,
        add_manual,
        classify_identifier,
        import_bibtex,
    )

    options = IngestOptions(
        categories=tuple(category or ()), tags=tuple(tag or ()), key=key, force=force, dry_run=dry_run
    )
    from litmap.services.pdf_ingest import looks_like_pdf

    pdfs = [i for i in identifiers or [] if looks_like_pdf(i)]
    identifiers = [i for i in identifiers or [] if not looks_like_pdf(i)]
    ids = list(source_ids)
    given = {kind: [text for k, text in source_ids if k == kind] for kind, _ in source_ids}
    arxiv, doi = given.get("arxiv", []), given.get("doi", [])
    # `add --arxiv A B C`: bare ids are recognised by their form; one that is not an identifier at
    # all is reported as a malformed id of the kind given by the one --<source> option used.
    implied = next(iter(given)) if len(given) == 1 else "auto"
    ids += [("auto" if classify_identifier(i) else implied, i) for i in identifiers or []]
    by_hand = {"--author": author, "--year": year, "--venue": venue, "--url": url, "--type": entry_type}
    by_hand |= {"--abstract": abstract, "--note": note}

    if title is not None:
        if (
            identifiers
            or bibtex is not None
            or any(len(v) > 1 for v in given.values())
            or set(given) - {"arxiv", "doi"}
        ):
            raise typer.BadParameter(
                "adds one paper by hand: give no other identifiers or --bibtex with it", param_hint="--title"
            )
        entry = ManualEntry(
            title=title,
            authors=tuple(author or ()),
            year=year,
            venue=venue,
            url=url,
            type=entry_type,
            doi=doi[0] if doi else None,
            arxiv=arxiv[0] if arxiv else None,
            abstract=abstract,
            note=note,
        )
        if len(pdfs) > 1:
            raise typer.BadParameter("adds one paper by hand: attach one PDF with it", param_hint="--title")
        library = state.library()
        result = add_manual(library, entry, options)
        if pdfs and result.added and not dry_run:
            from litmap.services.attachments import attach

            attach(library, result.added[0].paper.key, Path(pdfs[0]))  # type: ignore[union-attr]
    elif pdfs:
        from litmap.services.pdf_ingest import add_pdfs

        if ids or bibtex is not None:
            raise typer.BadParameter("give PDFs or identifiers, not both", param_hint="ID")
        with Activity() as activity:
            result = add_pdfs(state.library(), [Path(p) for p in pdfs], options, progress=activity)
    else:
        used = [name for name, value in by_hand.items() if value]
        if used:
            raise typer.BadParameter("describes a paper added by hand: give --title too", param_hint=used[0])
        if bibtex is not None:
            if ids:
                raise typer.BadParameter("give either --bibtex or identifiers, not both", param_hint="--bibtex")
            library = state.library()
            text, name = _read_bibtex_argument(bibtex)
            with Activity() as activity:
                result = import_bibtex(library, text, name, options, progress=activity)
        elif ids:
            with Activity() as activity:
                result = add_identifiers(state.library(), ids, options, progress=activity)
        else:
            raise typer.BadParameter(
                "nothing to add: give an arXiv id, a DOI, --bibtex FILE, or --title ... by hand", param_hint="ID"
            )
    _report(result, options, as_json, verbose=True)


@app.command(
    name="import",
    epilog="[bold]Examples[/]\n\n"
    "  litmap import ~/Zotero/export.bib\n\n"
    "  litmap import refs.bib --tag from-zotero --dry-run\n\n"
    "  litmap import refs.bib --keep-keys --json\n\n"
    "Each entry gets a key from the library's citekey pattern that no other entry of the file uses; its own "
    "key (and biblatex ids) are kept as aliases, so drafts that cite them still resolve (--keep-keys uses the "
    "file's keys where they can name a file and are free, and says which it could not keep). Duplicates of "
    "papers in the library, or of earlier entries of the file, are reported with the key they are under and "
    "skipped, their keys becoming aliases of that paper (--force imports them too). A malformed entry is "
    "reported with its line and does not stop the rest.",
)
def import_(
    file: Annotated[str, typer.Argument(metavar="FILE.bib", help="The .bib file (- reads stdin).")],
    category: CategoryOption = None,
    tag: TagOption = None,
    keep_keys: Annotated[
        bool, typer.Option("--keep-keys", help="Use each entry's own key where it is valid and free.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Import duplicates too (to dedupe later).")] = False,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
) -> None:
    """Import every entry of a BibTeX file (Zotero, Better BibTeX, JabRef, Mendeley, by hand)."""
    from litmap.services.ingest import IngestOptions, import_bibtex

    options = IngestOptions(
        categories=tuple(category or ()), tags=tuple(tag or ()), force=force, keep_keys=keep_keys, dry_run=dry_run
    )
    library = state.library()
    text, name = _read_bibtex_argument(file)
    with Activity() as activity:
        result = import_bibtex(library, text, name, options, progress=activity)
    _report(result, options, as_json, verbose=False)
    if result.written and file != "-":
        from litmap.cli.render import err_console
        from litmap.services.attachments import attach_imported_files

        papers = [o.paper for o in result.added if o.paper is not None and "file" in o.paper.extra]
        attached = attach_imported_files(library, papers, Path(file).expanduser().resolve().parent)
        if attached:
            count = f"{len(attached)} PDF{'s' if len(attached) != 1 else ''}"
            err_console.print(f"Attached {count} named in the entries' file fields (in files/).", markup=False)


def _read_bibtex_argument(argument: str) -> tuple[str, str]:
    """The text of ``argument`` (a path, or - for stdin) and the name to show for it."""
    from litmap.services.ingest import read_bib_file

    if argument == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(argument).expanduser()
    return read_bib_file(path), path.name


# -- rendering -------------------------------------------------------------------------------------


def _describe(paper: Any) -> str:
    from rich.markup import escape

    who = paper.first_author or "no authors"
    year = f", {paper.year}" if paper.year else ""
    return f"[cyan]{escape(paper.key)}[/]: {escape(paper.title)} [dim]({escape(who)}{year})[/]"


def _source(outcome: "Outcome") -> str:
    from rich.markup import escape

    return escape(outcome.source)


def _aliased(outcome: "Outcome") -> str:
    from rich.markup import escape

    if not outcome.aliases:
        return ""
    return f"; now also cited as [cyan]{escape(', '.join(outcome.aliases))}[/]"


def _report(result: "IngestResult", options: "IngestOptions", as_json: bool, verbose: bool) -> None:
    """Print the outcome (or JSON); exit 1 if anything failed.

    ``verbose`` (add) names every paper; otherwise (import) new papers are named only when few, and
    the duplicates are listed one short line each, with the key they are already under.
    """
    from rich.markup import escape

    from litmap.cli.render import console, emit_json, err_console

    if as_json:
        emit_json(result.to_json())
    else:
        verb = "Would add" if result.dry_run else "Added"
        if verbose or len(result.added) <= LIST_ADDED_UP_TO:
            for outcome in result.added:
                console.print(f"{verb} {_describe(outcome.paper)}", soft_wrap=True)
        if verbose:
            for outcome in result.present:
                console.print(
                    f"Already in the library: {_describe(outcome.existing)} "
                    f"[dim]— {_source(outcome)}: {escape(outcome.reason)}[/]{_aliased(outcome)}",
                    soft_wrap=True,
                )
        elif result.present:
            console.print(f"Already in the library ({len(result.present)}):")
            for outcome in result.present:
                key = outcome.existing.key if outcome.existing else "?"
                console.print(
                    f"  {_source(outcome)} is [cyan]{escape(key)}[/] [dim]({escape(outcome.reason)})[/]"
                    f"{_aliased(outcome)}",
                    soft_wrap=True,
                )
        versions = [o for o in result.added if o.versions]
        if versions:
            console.print(
                f"Possible versions ({len(versions)}), added beside the papers they resemble"
                " (`litmap dedupe` lists them; `litmap merge` joins them if they are one record):"
            )
            for outcome in versions:
                for key, reason in outcome.versions:
                    console.print(
                        f"  [cyan]{escape(outcome.paper.key)}[/] ({_source(outcome)}) and [cyan]{escape(key)}[/]"  # type: ignore[union-attr]
                        f" [dim]({escape(reason)})[/]",
                        soft_wrap=True,
                    )
        for note in result.notes:
            err_console.print(f"Note: {escape(note)}", soft_wrap=True, highlight=False)
        for outcome in result.outcomes:
            for note in outcome.notes:
                err_console.print(f"Note: {_source(outcome)}: {escape(note)}", soft_wrap=True, highlight=False)
        for outcome in result.failed:
            err_console.print(f"Error: {_source(outcome)}: {escape(outcome.reason)}", soft_wrap=True, highlight=False)
        _summary(result, options)
    if result.failed:
        raise typer.Exit(1)


def _summary(result: "IngestResult", options: "IngestOptions") -> None:
    from litmap.cli.render import console

    added, present, failed = len(result.added), len(result.present), len(result.failed)
    if present and not added and not failed and not options.force:
        if any(o.aliases for o in result.present):
            console.print("No paper added; the keys shown now also name the papers they duplicate.")
        else:
            console.print("Nothing written; use --force to add it anyway." if present == 1 else "Nothing written.")
        return
    if added + present + failed <= 1:
        return
    parts = [f"{added} {'would be added' if result.dry_run else 'added'}", f"{present} already present"]
    if failed:
        parts.append(f"{failed} failed")
    if result.containers:
        parts.append(f"{result.containers} crossref parent(s) folded into their entries")
    console.print(", ".join(parts) + ".", soft_wrap=True)
