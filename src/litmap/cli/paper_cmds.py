"""Commands that look at papers: show, list."""

from typing import Annotated

import typer

from litmap.cli.app import app
from litmap.cli.complete import complete_categories, complete_keys, complete_tags


@app.command(epilog="[bold]Examples[/]\n\n  litmap show elhage2022toy\n\n  litmap show elhage2022toy --json")
def show(
    keys: Annotated[
        list[str], typer.Argument(help="Citekey(s) of the paper(s) to show.", autocompletion=complete_keys)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="The paper record(s) as JSON.")] = False,
) -> None:
    """Show everything about a paper."""
    from litmap.cli.reads import run_show

    run_show(keys, as_json)


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
    from litmap.cli.reads import run_list

    run_list(category, tag, year, sort, reverse, as_json, keys_only, limit, long, pager)
