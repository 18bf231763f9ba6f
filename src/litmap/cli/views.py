"""Rich views of search hits and of ``litmap stats`` (loaded only when output goes to a terminal, or
for the stats tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Group
    from rich.text import Text

    from litmap.services.search import Hit, Results
    from litmap.services.stats import LibraryStats

MATCH_STYLE = "bold yellow"


def hits_table(results: Results, abstract: bool = False, long: bool = False) -> Group:
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


def _title_cell(hit: Hit, abstract: bool) -> Text:
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


def _bar_chart(years: dict[int, int], width: int = 40) -> Any:
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="bold")
    grid.add_column()
    grid.add_column(justify="right")
    if not years:
        return grid
    rows = year_rows(years)
    top = max(count for _label, count in rows)
    for label, count in rows:
        bar = "█" * round(count / top * width) if count else ""
        grid.add_row(label, f"[cyan]{bar}[/]" if bar else "[dim]·[/]", str(count))
    return grid


#: The per-year chart shows at most this many single years; older ones share one row per decade.
CHART_YEARS = 20


def year_rows(years: dict[int, int]) -> list[tuple[str, int]]:
    """The chart's rows: the last :data:`CHART_YEARS` years one by one, older years by decade
    (``1950s``), with empty decades left out, so one old paper does not make the chart long."""
    last = max(years)
    first_single = max(min(years), last - CHART_YEARS + 1)
    decades: dict[int, int] = {}
    for year, count in years.items():
        if year < first_single:
            decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + count
    rows = []
    for decade, count in sorted(decades.items()):
        label = f"{decade}s" if decade + 9 < first_single else f"{decade}–{first_single - 1}"
        rows.append((label, count))
    rows += [(str(year), years.get(year, 0)) for year in range(first_single, last + 1)]
    return rows


def _counts_table(title: str, column: str, rows: list[tuple[str, int]], notes: list[str], limit: int = 12) -> Any:
    from rich.markup import escape
    from rich.table import Table

    rest = rows[limit:]
    if rest:
        notes = [f"{len(rest)} more {column.lower()}s ({sum(n for _name, n in rest)} papers; --json lists all)", *notes]
    table = Table(
        title=title, title_justify="left", header_style="bold", caption="; ".join(notes) or None, caption_justify="left"
    )
    table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=64)
    table.add_column("Papers", justify="right")
    for name, count in rows[:limit]:
        table.add_row(escape(name), str(count))
    return table


def render_stats(stats: LibraryStats, name: str) -> None:
    """Print the ``litmap stats`` picture: categories, years, tags, venues, missing metadata."""
    from rich.markup import escape
    from rich.table import Table

    from litmap.cli.render import console

    console.print(f"[bold]{escape(name)}[/]: {stats.papers} papers\n")
    sections = Table(title="Papers per section", title_justify="left", header_style="bold")
    sections.add_column("Section", no_wrap=True, overflow="ellipsis")
    sections.add_column("Here", justify="right")
    sections.add_column("In all", justify="right")
    for row in stats.categories:
        label = escape(row.title) if row.depth else f"[bold]{escape(row.title)}[/]"
        sections.add_row("  " * row.depth + label, str(row.direct), str(row.subtree))
    sections.add_row("[italic]uncategorised[/]", str(len(stats.uncategorised)), "")
    console.print(sections)

    console.print(
        "\n[bold]Papers per year[/]" + (f" [dim]({stats.no_year} without a year)[/]" if stats.no_year else "")
    )
    console.print(_bar_chart(stats.years))
    console.print()
    if stats.tags:
        console.print(_counts_table("Papers per tag", "Tag", stats.tags, []))
    else:
        console.print("[dim]No tags yet.[/]")
    console.print()
    no_venue = [f"{stats.no_venue} without a venue"] if stats.no_venue else []
    console.print(_counts_table("Papers per venue", "Venue", stats.venues, no_venue))
    console.print()

    missing = Table(title="Missing metadata", title_justify="left", header_style="bold")
    missing.add_column("Papers without")
    missing.add_column("Count", justify="right")
    missing.add_column("Keys", style="cyan", max_width=60)
    labels = {"authors": "authors", "year": "a year", "doi_or_arxiv": "a DOI or arXiv id", "abstract": "an abstract"}
    for field_name, keys in stats.missing.items():
        shown = ", ".join(keys[:6]) + (f", … (+{len(keys) - 6})" if len(keys) > 6 else "")
        missing.add_row(labels.get(field_name, field_name), str(len(keys)), shown)
    console.print(missing)
