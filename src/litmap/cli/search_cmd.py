"""``litmap search``: ranked, typo-tolerant, fielded search over the library's on-disk index.

The command's body is :func:`litmap.cli.reads.run_search` (which the fast dispatcher calls too).
"""

from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from litmap.cli.app import app
from litmap.cli.fast import exclusions_last
from litmap.cli.reads import DEFAULT_LIMIT

SEARCH_HELP = """Search the library: ranked by relevance, typo-tolerant, with field filters.

[bold]Query language[/]

  superposition features     words are AND-ed (a misspelt word finds its closest spelling)

  '"induction heads"'        a phrase (words in one quoted argument are only words)

  circuit*                   a prefix

  -grokking                  exclude papers that match (works with filters too: -tag:read)

  author:olah                in a field: author:, title:, abstract:, venue:

  tag:to-read                papers with that tag

  cat:attribution            papers in a category or any of its subcategories

  year:2022  year:2020..2023  year:2020..  year:..2019

  type:article               the BibTeX entry type

Hits are ranked by BM25 over title, citekey, authors, tags, categories, venue, abstract and note \
(title and citekey weigh most, abstract and note least). The index behind it lives in the library's \
git-ignored .litmap/ folder and is brought up to date with the paper files on every search."""


class SearchCommand(TyperCommand):
    """The search command: ``litmap search superposition -grokking`` works without a ``--``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, exclusions_last(args))


@app.command(
    cls=SearchCommand,
    help=SEARCH_HELP,
    epilog="[bold]Examples[/]\n\n"
    "  litmap search superposition\n\n"
    "  litmap search '\"induction heads\"' --abstract\n\n"
    "  litmap search grokking year:2022..2023\n\n"
    "  litmap search author:olah cat:circuit-analysis --json\n\n"
    "  litmap search grokking --keys | litmap export bibtex -",
)
def search(
    query: Annotated[
        list[str],
        typer.Argument(metavar="QUERY", help='Words, "phrases", -exclusions and field:value filters (see above).'),
    ],
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            help=f"Show at most N hits (default {DEFAULT_LIMIT} in the table, all with --json/--keys; 0: all).",
        ),
    ] = None,
    abstract: Annotated[
        bool, typer.Option("--abstract", "-a", help="Show the matching part of each abstract.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Hits as a JSON list, best first, each with its score.")
    ] = False,
    keys_only: Annotated[bool, typer.Option("--keys", help="Only the citekeys, one per line (for pipes).")] = False,
    long: Annotated[bool, typer.Option("--long", "-l", help="Each paper's categories on a line of its own.")] = False,
    pager: Annotated[bool, typer.Option("--pager/--no-pager", help="Page long output on a terminal.")] = True,
) -> None:
    """Search the library: ranked by relevance, typo-tolerant, with field filters."""
    from litmap.cli.reads import run_search

    run_search(query, limit, abstract, as_json, keys_only, long, pager)
