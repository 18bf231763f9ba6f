"""``litmap search``: ranked, typo-tolerant, fielded search over the library's on-disk index.

This module is on a hot start-up path: it imports nothing heavy at module level, and the warm path
(index fresh) never loads the pydantic models.
"""

import re
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from litmap.cli import state
from litmap.cli.app import app
from litmap.cli.plain import is_terminal

if TYPE_CHECKING:
    from rich.console import Group
    from rich.text import Text

    from litmap.services.search import Hit, Results

DEFAULT_LIMIT = 20
MATCH_STYLE = "bold yellow"

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


_EXCLUSION = re.compile(r"^-[^-\s].")
_LIMIT_CLUSTER = re.compile(r"^-n\d+$")


def exclusions_last(args: list[str]) -> list[str]:
    """Move ``-word`` exclusions after a ``--`` so they reach the query instead of failing as unknown options.

    Only arguments of two or more characters after the dash move (``-h``, ``-n 5``, ``-a`` stay options).
    """
    end = args.index("--") if "--" in args else len(args)
    head, tail = args[:end], args[end + 1 :]
    moved = [a for a in head if _EXCLUSION.match(a) and not _LIMIT_CLUSTER.match(a)]
    if not moved:
        return args
    kept = [a for a in head if a not in moved]
    return [*kept, "--", *moved, *tail]


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
    from litmap.services.search import parse_query, query_from_args
    from litmap.services.search import search as run_search
    from litmap.store.index import Index

    parsed = parse_query(query_from_args(query))
    if limit is None:
        limit = 0 if (as_json or keys_only) else DEFAULT_LIMIT
    where = state.location()
    with Index.open(where.root, where.read_only, in_memory_fallback=True) as index:
        results = run_search(
            index, parsed, limit=limit or None, snippets=abstract, details=not keys_only, marks=not as_json
        )
    if keys_only:
        sys.stdout.write("".join(f"{key}\n" for key in results.keys))
        _warn(results)
        return
    if as_json:
        from litmap.cli.render import emit_json

        emit_json(
            [
                {**hit.record, "score": hit.score, **({"matched_in": hit.matched_in} if hit.matched_in else {})}
                for hit in results.hits
            ]
        )
        _warn(results)
        return
    from litmap.cli.pager import page
    from litmap.cli.render import console

    _warn(results)
    if not results.hits:
        console.print("[dim]No papers match.[/]")
        return
    if not is_terminal():
        sys.stdout.write(
            "".join(
                f"{h.key}\t{h.year or ''}\t{h.first_author}\t{h.title}\t{', '.join(h.categories)}\n"
                for h in results.hits
            )
        )
        return
    page(hits_table(results, abstract, long), len(results.hits) * (3 if abstract or long else 1), enabled=pager)


def hits_table(results: "Results", abstract: bool = False, long: bool = False) -> "Group":
    """The result table: key, year, first author, title (matched words highlighted), categories."""
    from rich.markup import escape

    from litmap.cli.render import listing_table

    shown, total = len(results.hits), results.total
    caption = f"{total} match{'es' if total != 1 else ''}" + (f", best {shown} shown" if shown < total else "")
    rows = (
        (escape(hit.key), str(hit.year or ""), escape(hit.first_author), _title_cell(hit, abstract),
         escape(", ".join(hit.categories)))
        for hit in results.hits
    )  # fmt: skip
    return listing_table(rows, caption, long)


def _title_cell(hit: "Hit", abstract: bool) -> "Text":
    from rich.text import Text

    title = Text(hit.title)
    for start, end in hit.title_spans:
        title.stylize(MATCH_STYLE, start, end)
    if hit.matched_in:
        title.append(f" [in {'the PDF' if hit.matched_in == 'pdf' else 'your notes'}]", style="dim italic")
    if abstract and hit.snippet:
        snippet = Text(hit.snippet, style="dim")
        for start, end in hit.snippet_spans:
            snippet.stylize(MATCH_STYLE, start, end)
        title.append("\n")
        title.append_text(snippet)
    return title


def _warn(results: "Results") -> None:
    """Tell (on stderr) which words were corrected and which paper files had to be left out."""
    if not results.corrections and not results.broken and not results.partial:
        return
    from litmap.cli.plain import warn_left_out

    if results.partial:
        from litmap.cli.render import err_console

        most, asked = results.partial
        err_console.print(
            f"No paper holds all {asked} words; showing the papers that hold the most ({most} of {asked}).",
            markup=False,
        )
    if results.corrections:
        from litmap.cli.render import err_console

        for typed, used in results.corrections.items():
            err_console.print(f"No paper has {typed!r}; searched for {' or '.join(used)} instead.", markup=False)
    warn_left_out(results.broken)
