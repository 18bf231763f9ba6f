"""Commands that look at papers: show, list."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from litmap.cli import state
from litmap.cli.app import app
from litmap.cli.complete import complete_categories, complete_keys, complete_tags
from litmap.cli.plain import is_terminal, warn_left_out

if TYPE_CHECKING:
    from litmap.services.listing import Row


@app.command(epilog="[bold]Examples[/]\n\n  litmap show elhage2022toy\n\n  litmap show elhage2022toy --json")
def show(
    keys: Annotated[
        list[str], typer.Argument(help="Citekey(s) of the paper(s) to show.", autocompletion=complete_keys)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="The paper record(s) as JSON.")] = False,
) -> None:
    """Show everything about a paper."""
    from litmap.cli.render import console, emit_json, paper_panel

    library = state.library()
    papers = library.resolve_keys(keys)
    if as_json:
        emit_json([p.to_json() for p in papers] if len(keys) > 1 else papers[0].to_json())
        return
    from litmap.services.reading import note_path, read_note

    taxonomy = library.taxonomy()
    for paper in papers:
        console.print(paper_panel(paper, taxonomy))
        notes = read_note(library, paper.key)
        if notes and notes.strip():
            where = note_path(library, paper.key).relative_to(library.root)
            console.print(f"[bold]Your notes[/] [dim]({where})[/]")
            console.print(notes.rstrip(), markup=False, highlight=False)


@app.command(
    name="list",
    epilog="[bold]Examples[/]\n\n"
    "  litmap list --category attribution\n\n"
    "  litmap list --year 2020..2023 --sort year\n\n"
    "  litmap list --tag to-read --json",
)
def list_papers(
    category: Annotated[
        str | None,
        typer.Option(
            "--category", "-c", help="Only this category and its subcategories.", autocompletion=complete_categories
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Only papers with this tag (repeatable).", autocompletion=complete_tags),
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", "-y", help="A year or a range: 2022, 2020..2023, 2020.., ..2019.")
    ] = None,
    sort: Annotated[str, typer.Option("--sort", "-s", help="key, year, title, author or added.")] = "key",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The papers as a JSON list.")] = False,
    keys_only: Annotated[bool, typer.Option("--keys", help="Only the citekeys, one per line.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0, help="At most N papers (0: all).")] = None,
    long: Annotated[bool, typer.Option("--long", "-l", help="Each paper's categories on a line of its own.")] = False,
    pager: Annotated[bool, typer.Option("--pager/--no-pager", help="Page long output on a terminal.")] = True,
) -> None:
    """List papers, one line each, filtered by category, tag and year."""
    from litmap.services.listing import list_papers as run_listing
    from litmap.services.listing import records_json
    from litmap.store.index import Index

    where = state.location()
    with Index.open(where.root, where.read_only, in_memory_fallback=True) as index:
        listing = run_listing(
            index, category=category, tags=tag or [], years=year, sort=sort, reverse=reverse, records=as_json
        )
        titles = index.taxonomy().titles
    rows = listing.rows[:limit] if limit else listing.rows
    if as_json:
        sys.stdout.write(records_json(rows) + "\n")
    elif keys_only:
        sys.stdout.write("".join(f"{row.key}\n" for row in rows))
    elif not is_terminal():
        sys.stdout.write("".join(_tab_line(row, titles) for row in rows))
    elif rows:
        from rich.markup import escape

        from litmap.cli.pager import page
        from litmap.cli.render import listing_table

        table_rows = (
            (escape(r.key), str(r.year or ""), escape(r.first_author), escape(r.title), escape(_titles(r, titles)))
            for r in rows
        )
        total = len(listing.rows)
        caption = f"{total} paper{'s' if total != 1 else ''}" + (
            f", first {len(rows)} shown" if len(rows) < total else ""
        )
        page(listing_table(table_rows, caption=caption, long=long), len(rows) * (2 if long else 1), enabled=pager)
    else:
        from litmap.cli.render import console

        console.print("[dim]No papers match.[/]")
    warn_left_out(listing.broken)


def _titles(row: "Row", titles: dict[str, str]) -> str:
    """A row's categories by title (ids for unknown ones), comma-separated."""
    return ", ".join(titles.get(c, c) for c in row.categories)


def _tab_line(row: "Row", titles: dict[str, str]) -> str:
    """One paper as a line for pipes: key, year, first author, title, categories, tab-separated.

    No value holds a tab or a line break: keys are safe names, and names and titles are one line.
    """
    return f"{row.key}\t{row.year or ''}\t{row.first_author}\t{row.title}\t{_titles(row, titles)}\n"
