"""Commands that find and merge records of the same paper: dedupe, merge."""

from typing import TYPE_CHECKING, Annotated

import typer

from litmap.cli import state
from litmap.cli.app import app
from litmap.cli.complete import complete_keys

if TYPE_CHECKING:
    from rich.table import Table

    from litmap.dedupe.groups import DuplicateGroup
    from litmap.dedupe.merge import MergeResult

DEFAULT_THRESHOLD = 80.0  # litmap.dedupe.matching.DEFAULT_THRESHOLD, repeated so --help needs no core import


def _group_table(number: int, group: "DuplicateGroup") -> "Table":
    """One group: its records (the one a merge keeps marked *) and, below, why each pair matched."""
    from rich.markup import escape
    from rich.table import Table

    what = "Possible versions" if group.versions else "Group"
    table = Table(
        title=f"{what} {number} · score {group.score:g}",
        title_justify="left",
        title_style="bold",
        caption="\n".join(escape(f"{a} ~ {b}: {link.reason}") for link in group.links for a, b in [link.keys]),
        caption_justify="left",
        header_style="bold",
    )
    table.add_column("Key", style="cyan", overflow="fold")
    table.add_column("Year", justify="right", no_wrap=True)
    table.add_column("Authors", max_width=16)
    table.add_column("Title", ratio=3)
    table.add_column("Venue / ids", ratio=2, overflow="fold")
    for index, paper in enumerate(group.papers):
        ids = [paper.venue or "", f"arXiv:{paper.arxiv}" if paper.arxiv else "", paper.doi or ""]
        table.add_row(
            escape(f"{paper.key} *" if index == 0 else paper.key),
            str(paper.year or ""),
            escape(paper.first_author),
            escape(paper.title),
            escape("\n".join(i for i in ids if i)),
        )
    return table


def _merged_line(result: "MergeResult") -> str:
    from rich.markup import escape

    removed = ", ".join(result.removed)
    return f"Merged {escape(removed)} into [cyan]{escape(result.paper.key)}[/] (old keys kept as aliases)."


def _shortened(value: str | None, width: int = 80) -> str | None:
    """A long value (an abstract, 16 authors) cut to ``width`` characters for a warning line."""
    return value if value is None or len(value) <= width else value[: width - 1] + "…"


def _print_dropped(result: "MergeResult") -> None:
    from litmap.cli.render import err_console
    from litmap.dedupe.merge import field_text

    for item in result.dropped:
        value, kept = _shortened(item.value), _shortened(field_text(result.paper, item.field))
        err_console.print(
            f"Warning: not kept: {item.field} = {value!r} of {item.key} ({result.paper.key} keeps {kept!r})",
            markup=False,
            soft_wrap=True,
        )


def _merge_json(result: "MergeResult") -> dict[str, object]:
    return {
        "kept": result.paper.key,
        "removed": result.removed,
        "dropped": [{"field": d.field, "key": d.key, "value": d.value} for d in result.dropped],
        "paper": result.paper.to_json(),
    }


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap dedupe                         groups of records of one paper, with reasons and scores\n\n"
    "  litmap dedupe --threshold 90 --json   stricter fuzzy titles; groups as JSON\n\n"
    "  litmap dedupe --not elhage2022toy elhage2022toyb   only look-alikes: never flag the pair again\n\n"
    "  litmap dedupe --merge                 merge each group, asking first (--yes: all, without asking)"
)
def dedupe(
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=50,
            max=100,
            help="Minimum title similarity (0-100) for a fuzzy title match; identifiers always match.",
        ),
    ] = DEFAULT_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json", help="Groups as JSON: keys, score, reasons.")] = False,
    distinct: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--not",
            metavar="KEY KEY",
            help="Record that two look-alike papers are different works (in distinct.toml) and exit.",
            autocompletion=complete_keys,
        ),
    ] = None,
    merge: Annotated[bool, typer.Option("--merge", help="Merge each group, asking first.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --merge: merge every group without asking.")] = False,
) -> None:
    """Find records of the same paper: list them with reasons and scores, or merge them."""
    from litmap.cli.render import console

    library = state.library()
    if distinct:
        if merge:
            raise typer.BadParameter("--not cannot be combined with --merge", param_hint="--not")
        from litmap.services.dedupe import mark_distinct
        from litmap.store.layout import DISTINCT_FILE

        first, second, new = mark_distinct(library, *distinct)
        what = "Recorded" if new else "Already recorded"
        console.print(f"{what}: [cyan]{first.key}[/] and [cyan]{second.key}[/] are different papers ({DISTINCT_FILE}).")
        return
    if yes and not merge:
        raise typer.BadParameter("--yes only applies to --merge", param_hint="--yes")
    if merge and as_json and not yes:
        raise typer.BadParameter("--merge --json cannot ask questions: add --yes", param_hint="--json")
    if merge:
        library.ensure_writable()

    if as_json and not merge:
        from litmap.cli.dedupe_run import run_dedupe_json

        run_dedupe_json(threshold)
        return
    from litmap.services.dedupe import library_duplicates

    found = library_duplicates(library, threshold)
    groups = [g for g in found if not g.versions]
    versions = [g for g in found if g.versions]
    if not merge:
        for number, group in enumerate(found, 1):
            console.print(_group_table(number, group))
            console.print()
        if not groups:
            console.print("No duplicates found.")
        else:
            papers = sum(len(g.papers) for g in groups)
            console.print(
                f"{len(groups)} group(s) of duplicates ({papers} records); * marks the record a merge keeps. "
                "Merge with [bold]litmap dedupe --merge[/], or mark look-alikes with [bold]--not KEY KEY[/]."
            )
        if versions:
            console.print(
                f"{len(versions)} group(s) of possible versions of one work (a preprint and its journal version, "
                "a report or thesis and the paper...): kept apart, --merge leaves them; "
                "[bold]litmap merge KEY KEY[/] joins two that are one record."
            )
        return
    _merge_groups(groups, as_json=as_json, ask=not yes)


def _merge_groups(groups: list["DuplicateGroup"], as_json: bool, ask: bool) -> None:
    from litmap.cli.render import console, emit_json
    from litmap.errors import Interrupted
    from litmap.services.dedupe import merge_in_library
    from litmap.store.files import interrupts_held

    library = state.library()
    results = []
    try:
        for number, group in enumerate(groups, 1):
            keep = group.papers[0].key
            if ask:
                console.print(_group_table(number, group))
                if not typer.confirm(f"Merge these {len(group.papers)} records into {keep}?", default=False):
                    console.print("Skipped.\n")
                    continue
            # The group comes from the matcher, which never joins papers recorded as distinct.
            with interrupts_held():  # a merge is written whole, and counted
                results.append(merge_in_library(library, group.papers, keep, force=True))
            if not as_json:
                console.print(_merged_line(results[-1]))
            _print_dropped(results[-1])
    except (KeyboardInterrupt, typer.Abort):
        if not results:
            raise KeyboardInterrupt from None
        raise Interrupted(f"{len(results)} of {len(groups)} groups merged") from None
    if as_json:
        emit_json([_merge_json(r) for r in results])
    else:
        removed = sum(len(r.removed) for r in results)
        console.print(
            f"{len(results)} group(s) merged, {removed} record(s) removed." if groups else "No duplicates found."
        )


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap merge elhage2022toy elhage2022toyb          keep the first key; the other becomes an alias\n\n"
    "  litmap merge elhage2022toy elhage2022toyb --keep elhage2022toyb\n\n"
    "  litmap merge elhage2022toy elhage2022toyb --json\n\n"
    "  litmap merge elhage2022toy elhage2022toyb --force  merge even a pair seen as two papers"
)
def merge(
    keys: Annotated[
        list[str], typer.Argument(help="Citekeys of the records to merge (two or more).", autocompletion=complete_keys)
    ],
    keep: Annotated[
        str | None,
        typer.Option(
            "--keep",
            help="The key to keep (default: the first given); the others become aliases.",
            autocompletion=complete_keys,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The merged paper and what was removed, as JSON.")] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Merge even records the matcher does not find to be one paper, or recorded as distinct."
        ),
    ] = False,
) -> None:
    """Merge records of one paper into one; the other keys become its aliases."""
    from litmap.cli.render import console, emit_json, paper_panel
    from litmap.services.dedupe import merge_in_library

    library = state.library()
    library.ensure_writable()
    papers = library.resolve_keys(keys)
    if keep is not None:
        keep = library.get(keep).key
    result = merge_in_library(library, papers, keep, force=force)
    if as_json:
        emit_json(_merge_json(result))
    else:
        console.print(paper_panel(result.paper.to_json(), library.taxonomy().shown_paths()))
        console.print(_merged_line(result))
    _print_dropped(result)
