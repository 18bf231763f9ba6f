"""Curation commands: tag, tags, rm, edit, stats."""

from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from litmap.cli import state
from litmap.cli.app import app, fail
from litmap.cli.complete import complete_categories, complete_keys, complete_tag_args
from litmap.cli.inputs import keys_with_stdin

if TYPE_CHECKING:
    from pathlib import Path

    from litmap.services.curation import Outcome
    from litmap.services.stats import LibraryStats


class SignedArgsCommand(TyperCommand):
    """A command whose positional arguments may begin with ``-`` (``litmap tag KEY -TAG``).

    Click would read ``-to-read`` as a bundle of short options. Before parsing, every argument that
    is not one of the command's own options (or its value) is moved after ``--``, where click takes
    everything as positional. Unknown ``--long`` options still get click's usual error.
    """

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Completing ``-to`` offers the tags to remove (``-to-read``) besides the options."""
        found = super().shell_complete(ctx, incomplete)
        if incomplete.startswith("-") and not incomplete.startswith("--"):
            from typer._click.shell_completion import CompletionItem

            from litmap.cli.complete import complete_tag_args

            found += [CompletionItem(value, help=help) for value, help in complete_tag_args(ctx, incomplete)]
        return found

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        arity: dict[str, int] = {}
        for param in self.get_params(ctx):
            if param.param_type_name == "option":
                takes = 0 if getattr(param, "is_flag", False) or getattr(param, "count", False) else param.nargs
                for name in [*param.opts, *param.secondary_opts]:
                    arity[name] = takes
        options: list[str] = []
        positional: list[str] = []
        index = 0
        while index < len(args):
            token = args[index]
            index += 1
            if token == "--":
                positional.extend(args[index:])
                break
            name = token.split("=", 1)[0]
            if name in arity:
                takes = 0 if "=" in token else arity[name]
                options.extend([token, *args[index : index + takes]])
                index += takes
            elif token.startswith("--"):
                options.append(token)
            else:
                positional.append(token)
        return super().parse_args(ctx, [*options, "--", *positional] if positional else options)


def _report(outcome: "Outcome", what: str) -> None:
    from litmap.cli.render import console

    done = len(outcome.changed)
    line = f"{what}: {done} paper{'s' if done != 1 else ''} changed"
    if outcome.unchanged:
        line += f", {len(outcome.unchanged)} already so"
    console.print(line, markup=False)


@app.command(
    cls=SignedArgsCommand,
    no_args_is_help=True,
    epilog="[bold]Examples[/]\n\n"
    "  litmap tag elhage2022toy +to-read +superposition-core\n\n"
    "  litmap tag elhage2022toy -to-read             (a tag after a minus is removed)\n\n"
    "  litmap list --category attribution --keys | litmap tag - +to-read\n\n"
    "  litmap tag olah2020zoom --category visualization --uncategory circuit-analysis\n\n"
    "  litmap tag --rename to-read reading-list",
)
def tag(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="KEY|+TAG|-TAG",
            help="Citekeys (- reads them from stdin, one per line), then +TAG to add a tag, -TAG to remove one.",
            show_default=False,
            autocompletion=complete_tag_args,
        ),
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            metavar="ID",
            help="File the papers under ID (repeatable).",
            autocompletion=complete_categories,
        ),
    ] = None,
    uncategory: Annotated[
        list[str] | None,
        typer.Option(
            "--uncategory",
            metavar="ID",
            help="Take the papers out of ID (repeatable).",
            autocompletion=complete_categories,
        ),
    ] = None,
    rename: Annotated[
        tuple[str, str] | None,
        typer.Option("--rename", metavar="OLD NEW", help="Rename the tag OLD to NEW on every paper."),
    ] = None,
) -> None:
    """Add or remove tags and categories on papers; rename a tag everywhere."""
    from litmap.services import curation

    library = state.library()
    if rename:
        if args or category or uncategory:
            raise typer.BadParameter("cannot be combined with keys, tags or categories", param_hint="--rename")
        _report(curation.rename_tag(library, *rename), f"renamed tag {rename[0]} to {rename[1]}")
        return
    request = curation.split_tag_args(args or [])
    keys = keys_with_stdin(request.keys)
    changes = [f"+{t}" for t in request.add] + [f"-{t}" for t in request.remove]
    changes += [f"+category:{c}" for c in category or []] + [f"-category:{c}" for c in uncategory or []]
    if not changes:
        raise fail("nothing to do: give +TAG, -TAG, --category ID or --uncategory ID")
    outcome = curation.tag_papers(library, keys, request.add, request.remove, category or [], uncategory or [])
    _report(outcome, " ".join(changes))


@app.command(epilog="[bold]Examples[/]\n\n  litmap tags\n\n  litmap tags --json")
def tags(
    as_json: Annotated[bool, typer.Option("--json", help="Tags and counts as a JSON list.")] = False,
) -> None:
    """List the tags in use, with the number of papers carrying each."""
    from rich.table import Table

    from litmap.cli.render import console, emit_json
    from litmap.services.stats import tag_counts

    counts = tag_counts(state.library().papers())
    if as_json:
        emit_json([{"tag": name, "papers": count} for name, count in counts])
        return
    if not counts:
        console.print("[dim]No tags yet: add some with `litmap tag KEY +TAG`.[/]")
        return
    table = Table(header_style="bold")
    table.add_column("Tag", style="magenta")
    table.add_column("Papers", justify="right")
    for name, count in counts:
        table.add_row(name, str(count))
    console.print(table)


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap rm elhage2022toy\n\n"
    "  litmap rm olah2020zoom cammarata2020curve --yes\n\n"
    "  litmap list --tag discard --keys | litmap rm - --yes"
)
def rm(
    keys: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY...",
            help="Citekeys of the papers to remove (- reads them from stdin).",
            autocompletion=complete_keys,
        ),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove papers from the library (lists them and asks first)."""
    from litmap.cli.render import console, paper_table
    from litmap.services import curation

    if "-" in keys and not yes:
        raise typer.BadParameter(
            "required when keys come from stdin (-), as no question can be asked", param_hint="--yes"
        )
    library = state.library()
    asked = keys_with_stdin(keys)
    papers = curation.papers_to_remove(library, asked)
    for paper in papers:
        for key in dict.fromkeys(asked):
            if key in paper.aliases:
                console.print(f"{key} is an old key (alias) of {paper.key}: the whole paper goes.", markup=False)
    count = f"{len(papers)} paper{'s' if len(papers) != 1 else ''}"
    console.print(paper_table(papers, library.taxonomy(), caption=f"{count} to remove"))
    attached = [name for paper in papers for name in paper.files]
    if attached:
        console.print(f"Their attached files go too: {', '.join(attached)}", markup=False)
    if not yes and not typer.confirm(
        "Remove this paper?" if len(papers) == 1 else f"Remove these {count}?", default=False
    ):
        console.print("Nothing removed.")
        raise typer.Exit(1)
    removed = curation.remove_papers(library, [p.key for p in papers])
    console.print(f"Removed {len(removed)} paper{'s' if len(removed) != 1 else ''}: {', '.join(removed)}", markup=False)


def run_editor(path: "Path") -> None:
    """Open ``path`` in ``$VISUAL`` or ``$EDITOR`` (``vi`` if neither is set) and wait for it."""
    import os
    import shlex
    import subprocess

    from litmap.errors import LitmapError

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        status = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode
    except OSError as exc:
        raise LitmapError(f"cannot run the editor {editor!r} ({exc.strerror}): set $EDITOR") from None
    if status != 0:
        raise LitmapError(f"the editor {editor!r} exited with status {status}; nothing was changed")


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap edit elhage2022toy\n\n"
    "  EDITOR=nano litmap edit elhage2022toy\n\n"
    "Saving a changed key renames the file; an invalid edit is shown and offered again, or discarded."
)
def edit(
    key: Annotated[str, typer.Argument(help="Citekey of the paper to edit.", autocompletion=complete_keys)],
) -> None:
    """Edit a paper's file in $EDITOR; it is validated before the library keeps it."""
    import shutil
    import tempfile
    from pathlib import Path

    from litmap.cli.render import console, err_console
    from litmap.errors import LitmapError
    from litmap.services import curation

    library = state.library()
    session = curation.begin_edit(library, key)
    folder = Path(tempfile.mkdtemp(prefix="litmap-edit-"))
    draft = folder / session.path.name
    draft.write_text(session.original, encoding="utf-8")
    keep_draft = False
    try:
        while True:
            run_editor(draft)
            text = draft.read_text(encoding="utf-8")
            if text == session.original:
                console.print(f"No changes: {session.path} is as it was.", markup=False)
                return
            try:
                paper = curation.finish_edit(library, session, text)
            except curation.EditConflict as exc:
                keep_draft = True
                raise LitmapError(f"{exc} (it is kept in {draft})") from None
            except LitmapError as exc:
                err_console.print(f"Invalid edit: {exc}", markup=False, soft_wrap=True)
                if typer.confirm("Edit it again? (no discards the edit)", default=True, err=True):
                    continue
                raise LitmapError(f"edit discarded; {session.path} is unchanged") from None
            renamed = f" (renamed from {session.key})" if paper.key != session.key else ""
            console.print(f"Saved {library.paper_path(paper.key)}{renamed}.", markup=False)
            return
    finally:
        if not keep_draft:
            shutil.rmtree(folder, ignore_errors=True)


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


def render_stats(stats: "LibraryStats", name: str) -> None:
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


@app.command(epilog="[bold]Examples[/]\n\n  litmap stats\n\n  litmap stats --json")
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="All the counts as one JSON object.")] = False,
) -> None:
    """Papers per section, year, tag and venue, and what metadata is missing."""
    from litmap.cli.render import emit_json
    from litmap.services.stats import library_stats

    library = state.library()
    result = library_stats(library.papers(), library.taxonomy())
    if as_json:
        emit_json(result.to_json())
    else:
        render_stats(result, library.config.name)
