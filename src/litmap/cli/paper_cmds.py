"""Commands that look at papers: show, list."""

from typing import Annotated

import typer

from litmap.cli import state
from litmap.cli.app import app


@app.command(epilog="[bold]Examples[/]\n\n  litmap show elhage2022toy\n\n  litmap show elhage2022toy --json")
def show(
    keys: Annotated[list[str], typer.Argument(help="Citekey(s) of the paper(s) to show.")],
    as_json: Annotated[bool, typer.Option("--json", help="The paper record(s) as JSON.")] = False,
) -> None:
    """Show everything about a paper."""
    from litmap.cli.render import console, emit_json, paper_panel

    library = state.library()
    papers = library.resolve_keys(keys)
    if as_json:
        emit_json([p.to_json() for p in papers] if len(keys) > 1 else papers[0].to_json())
        return
    taxonomy = library.taxonomy()
    for paper in papers:
        console.print(paper_panel(paper, taxonomy))


@app.command(
    name="list",
    epilog="[bold]Examples[/]\n\n"
    "  litmap list --category attribution\n\n"
    "  litmap list --year 2020..2023 --sort year\n\n"
    "  litmap list --tag to-read --json",
)
def list_papers(
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Only this category and its subcategories.")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Only papers with this tag (repeatable).")
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", "-y", help="A year or a range: 2022, 2020..2023, 2020.., ..2019.")
    ] = None,
    sort: Annotated[str, typer.Option("--sort", "-s", help="key, year, title, author or added.")] = "key",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The papers as a JSON list.")] = False,
    keys_only: Annotated[bool, typer.Option("--keys", help="Only the citekeys, one per line.")] = False,
) -> None:
    """List papers as a table, filtered by category, tag and year."""
    from litmap.cli.render import console, emit_json, emit_keys, paper_table, papers_json
    from litmap.selection import select, sort_papers

    library = state.library()
    taxonomy = library.taxonomy()
    if category:
        taxonomy.get(category)
    papers = select(library.papers(), taxonomy, category=category, tags=tag or [], years=year)
    papers = sort_papers(papers, sort, reverse=reverse)
    if as_json:
        emit_json(papers_json(papers))
    elif keys_only:
        emit_keys(papers)
    elif not papers:
        console.print("[dim]No papers match.[/]")
    else:
        console.print(paper_table(papers, taxonomy, caption=f"{len(papers)} papers"))
