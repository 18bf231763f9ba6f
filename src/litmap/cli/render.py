"""Rendering for the terminal (rich) and for scripts (JSON). The only module that styles output."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # annotations only: `search` renders without loading the models
    from litmap.models import Paper
    from litmap.taxonomy import Taxonomy


def _width(stream: object) -> int | None:
    """Rich's width, except that piped output is not squeezed into 80 columns (and cropped)."""
    isatty = getattr(stream, "isatty", None)
    if os.environ.get("COLUMNS") or (callable(isatty) and isatty()):
        return None
    return PIPED_WIDTH


PIPED_WIDTH = 160
console = Console(highlight=False, soft_wrap=False, width=_width(sys.stdout))
err_console = Console(stderr=True, highlight=False, width=_width(sys.stderr))


def emit_json(data: Any) -> None:
    """Write ``data`` as pretty JSON on stdout (UTF-8, stable key order as given)."""
    from litmap.cli.json_text import pretty_json

    sys.stdout.write(pretty_json(data) + "\n")


def emit_keys(papers: Iterable[Paper]) -> None:
    """One citekey per line, for pipes (``| litmap tag - +to-read``)."""
    sys.stdout.write("".join(f"{p.key}\n" for p in papers))


def papers_json(papers: Iterable[Paper]) -> list[dict[str, Any]]:
    """Papers as their JSON records."""
    return [p.to_json() for p in papers]


def category_titles(paper: Paper, taxonomy: Taxonomy) -> str:
    """A paper's categories by title (ids for unknown ones), comma-separated."""
    return ", ".join(taxonomy.get(c).title if c in taxonomy else c for c in paper.categories)


NARROW = 100  # below this many columns the categories column is left out, so titles stay readable


def listing_table(rows: Iterable[tuple[str, str, str, Text | str, str]], caption: str | None = None) -> Table:
    """The one table of papers: key, year, authors, title and (on wide screens) categories."""
    wide = console.width >= NARROW
    table = Table(show_lines=False, header_style="bold", caption=caption, expand=False)
    table.add_column("Key", style="cyan", no_wrap=True)
    table.add_column("Year", justify="right", no_wrap=True)
    table.add_column("Authors", max_width=22, overflow="fold")
    table.add_column("Title", min_width=16, overflow="fold")
    if wide:
        table.add_column("Categories", style="green", max_width=28, overflow="fold")
    for row in rows:
        table.add_row(*(row if wide else row[:4]))
    return table


def paper_table(papers: Sequence[Paper], taxonomy: Taxonomy, caption: str | None = None) -> Table:
    """The standard table of papers."""
    return listing_table(
        (
            (
                escape(paper.key),
                str(paper.year or ""),
                escape(paper.first_author),
                Text(paper.title),
                escape(category_titles(paper, taxonomy)),
            )
            for paper in papers
        ),
        caption,
    )


def paper_panel(paper: Paper, taxonomy: Taxonomy) -> Panel:
    """Everything about one paper, as a panel."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()

    def row(label: str, value: str | None) -> None:
        if value:
            grid.add_row(label, Text(value))

    row("Authors", "; ".join(a.display for a in paper.authors))
    row("Year", str(paper.year) if paper.year else None)
    row("First released", paper.released)
    row("Type", paper.type)
    row("Venue", paper.venue)
    row("Volume", paper.volume)
    row("Pages", paper.pages)
    row("arXiv", paper.arxiv)
    row("DOI", paper.doi)
    row("URL", paper.url)
    if paper.categories:
        paths = [
            " › ".join(c.title for c in taxonomy.path(cid)) if cid in taxonomy else f"{cid} (undefined)"
            for cid in paper.categories
        ]
        row("Categories", "\n".join(paths))
    row("Tags", ", ".join(paper.tags))
    row("Note", paper.note)
    row("Added", paper.added.isoformat() if paper.added else None)
    row("Aliases", ", ".join(paper.aliases))
    row("Files", "\n".join(paper.files))
    for name, value in sorted(paper.extra.items()):
        row(name, value)
    body: list[Any] = [grid]
    if paper.abstract:
        from rich.console import Group

        body = [Group(grid, Text(""), Text(paper.abstract, style="italic"))]
    return Panel(
        body[0],
        title=Text(paper.title, style="bold"),
        subtitle=Text(paper.key, style="cyan"),
        title_align="left",
        subtitle_align="right",
    )
