"""Rendering for the terminal (rich) and for scripts (JSON). The only module that styles output."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from litmap.cli.plain import PIPED_WIDTH

if TYPE_CHECKING:  # annotations only: `search` renders without loading the models
    from litmap.models import Paper
    from litmap.taxonomy import Taxonomy


def _width(stream: object) -> int | None:
    """Rich's width, except that piped output is not squeezed into 80 columns (and cropped)."""
    isatty = getattr(stream, "isatty", None)
    if os.environ.get("COLUMNS") or (callable(isatty) and isatty()):
        return None
    return PIPED_WIDTH


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


#: Columns a title keeps at the least; categories are shown only when a line has this much more room.
MIN_TITLE, MIN_CATEGORIES = 24, 22
#: How narrow a narrow terminal makes the key and first-author columns.
MIN_KEY, MIN_AUTHOR = 16, 10


def _plain(value: Text | str) -> Text:
    return value.copy() if isinstance(value, Text) else Text.from_markup(value)


def listing_table(
    rows: Iterable[tuple[str, str, str, Text | str, str]], caption: str | None = None, long: bool = False
) -> Group:
    """The one listing of papers: one line each (key, year, first author, title cut to fit), categories
    when the terminal has room for them (or, with ``long``, on a line of their own); matched words
    keep their highlight, and a title cell's second part (a search snippet) is shown below it."""
    from rich.console import Group
    from rich.padding import Padding

    cells = [(_plain(k), _plain(y), _plain(a), _plain(t), _plain(c)) for k, y, a, t, c in rows]
    width = console.width
    key_w = min(max((len(c[0]) for c in cells), default=3), 30)
    author_w = min(max((len(c[2]) for c in cells), default=6), 18)
    titles = [c[3].split("\n", allow_blank=True) for c in cells]
    over = key_w + author_w + 4 + 6 + MIN_TITLE - width
    if over > 0:  # a narrow terminal: the title's minimum comes out of the key and author columns
        cut = min(over, max(key_w - MIN_KEY, 0))
        key_w, over = key_w - cut, over - cut
        author_w -= min(over, max(author_w - MIN_AUTHOR, 0))
    room = max(width - key_w - author_w - 4 - 6, MIN_TITLE)
    longest = max((len(parts[0]) for parts in titles), default=0)
    title_w = min(longest, room)
    cat_w = min(room - title_w - 2, 40) if not long else 0
    show_categories = cat_w >= MIN_CATEGORIES and any(len(c[4]) for c in cells)
    lines: list[Any] = []
    for (key, year, author, _title, categories), parts in zip(cells, titles, strict=True):
        line = Text()
        line.append_text(_fit(key, key_w, "cyan"))
        line.append("  ")
        line.append_text(_fit(year, 4, justify="right"))
        line.append("  ")
        line.append_text(_fit(author, author_w))
        line.append("  ")
        line.append_text(_fit(parts[0], title_w if show_categories else room, pad=show_categories))
        if show_categories:
            line.append("  ")
            line.append_text(_fit(categories, cat_w, "green", pad=False))
        lines.append(line)
        if long and len(categories):
            lines.append(Padding(Text(categories.plain, style="green"), (0, 0, 0, key_w + 2)))
        for extra in parts[1:]:
            lines.append(Padding(extra, (0, 0, 0, key_w + 2)))
    if caption:
        lines.append(Text(caption, style="dim"))
    return Group(*lines)


def _fit(text: Text, width: int, style: str = "", justify: str = "left", pad: bool = True) -> Text:
    """``text`` cut to ``width`` cells (with an ellipsis), padded to it unless ``pad`` is False."""
    out = text.copy()
    if style:
        out.stylize(style)
    if out.cell_len > width:
        out.truncate(width, overflow="ellipsis")
    elif pad:
        gap = " " * (width - out.cell_len)
        out = Text(gap).append_text(out) if justify == "right" else out.append(gap)
    return out


def paper_table(papers: Sequence[Paper], taxonomy: Taxonomy, caption: str | None = None) -> Group:
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


def paper_panel(record: dict[str, Any], paths: dict[str, str]) -> Panel:
    """Everything about one paper (its JSON record), as a panel; ``paths``: each category's shown
    path (:meth:`~litmap.taxonomy.Taxonomy.shown_paths`). Nothing is cut: long values (URLs,
    notes) wrap, and the title is the panel's first line (a border title would be cut). URLs, DOIs
    and arXiv ids are hyperlinks on terminals that support them."""
    from rich.console import Group
    from rich.style import Style

    from litmap.records import author_display, extra_fields

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value: str | None, link: str | None = None) -> None:
        if value:
            grid.add_row(label, Text(value, style=Style(link=link) if link else "", overflow="fold"))

    get = record.get
    arxiv, doi, url = get("arxiv"), get("doi"), get("url")
    row("Authors", "; ".join(author_display(a) for a in get("authors", [])))
    row("Year", str(get("year")) if get("year") else None)
    row("First released", get("released"))
    row("Type", get("type"))
    row("Venue", get("venue"))
    row("Volume", get("volume"))
    row("Pages", get("pages"))
    row("arXiv", arxiv, f"https://arxiv.org/abs/{arxiv}" if arxiv else None)
    row("DOI", doi, f"https://doi.org/{doi}" if doi else None)
    row("URL", url, url)
    row("Categories", "\n".join(paths.get(cid) or f"{cid} (undefined)" for cid in get("categories", [])))
    row("Tags", ", ".join(get("tags", [])))
    row("Note", get("note"))
    row("Added", get("added"))
    row("Aliases", ", ".join(get("aliases", [])))
    row("Files", "\n".join(get("files", [])))
    for name, value in sorted(extra_fields(record).items()):
        row(name, value)
    parts: list[Any] = [Text(get("title", ""), style="bold", overflow="fold"), Text(""), grid]
    abstract = get("abstract")
    if abstract:
        parts += [Text(""), Text(abstract, style="italic", overflow="fold")]
    return Panel(Group(*parts), title=Text(record["key"], style="cyan"), title_align="left")
