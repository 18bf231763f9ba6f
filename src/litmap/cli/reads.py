"""The bodies of the hot commands (search, list, show, stats, tag, category rename), without typer.

Both the typer commands and the fast dispatcher (:mod:`litmap.cli.fast`) call these, so the two
paths print the same thing. Nothing here imports typer, pydantic or rich at module level: each is
loaded only when the output needs it (rich for terminal tables and panels, the models when the
index cannot answer).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from litmap.cli import state
from litmap.cli.plain import PIPED_WIDTH, is_terminal, warn_left_out

if TYPE_CHECKING:
    from collections.abc import Sequence

    from litmap.errors import InvalidFile
    from litmap.services.listing import Row
    from litmap.services.search import Results
    from litmap.services.tagging import Outcome
    from litmap.store.index import BrokenFile

DEFAULT_LIMIT = 20


def run_search(
    query: list[str],
    limit: int | None = None,
    abstract: bool = False,
    as_json: bool = False,
    keys_only: bool = False,
    long: bool = False,
    pager: bool = True,
) -> None:
    """``litmap search``: ranked hits as a table (terminal), tab-separated lines (pipe), JSON or keys."""
    from litmap.services.search import parse_query, query_from_args
    from litmap.services.search import search as run
    from litmap.store.index import Index

    parsed = parse_query(query_from_args(query))
    if limit is None:
        limit = 0 if (as_json or keys_only) else DEFAULT_LIMIT
    where = state.location()
    with Index.open(where.root, where.read_only, in_memory_fallback=True) as index:
        results = run(index, parsed, limit=limit or None, snippets=abstract, details=not keys_only, marks=not as_json)
    if keys_only:
        sys.stdout.write("".join(f"{key}\n" for key in results.keys))
        _warn(results)
        return
    if as_json:
        from litmap.cli.json_text import pretty_json

        hits = [
            {**hit.record, "score": hit.score, **({"matched_in": hit.matched_in} if hit.matched_in else {})}
            for hit in results.hits
        ]
        sys.stdout.write(pretty_json(hits) + "\n")
        _warn(results)
        return
    _warn(results)
    terminal = is_terminal()
    if not results.hits:
        if terminal:
            from litmap.cli.render import console

            console.print("[dim]No papers match.[/]")
        else:
            write_line("No papers match.")
        return
    if not terminal:
        sys.stdout.write(
            "".join(
                f"{h.key}\t{h.year or ''}\t{h.first_author}\t{h.title}\t{', '.join(h.categories)}\n"
                for h in results.hits
            )
        )
        return
    from litmap.cli.pager import page
    from litmap.cli.views import hits_table

    page(hits_table(results, abstract, long), len(results.hits) * (3 if abstract or long else 1), enabled=pager)


def _warn(results: Results) -> None:
    """Tell (on stderr) which words were corrected and which paper files had to be left out."""
    if results.partial:
        most, asked = results.partial
        write_line(
            f"No paper holds all {asked} words; showing the papers that hold the most ({most} of {asked}).", err=True
        )
    for typed, used in results.corrections.items():
        write_line(f"No paper has {typed!r}; searched for {' or '.join(used)} instead.", err=True)
    warn_left_out(results.broken)


def run_list(
    category: str | None = None,
    tag: list[str] | None = None,
    year: str | None = None,
    sort: str = "key",
    reverse: bool = False,
    as_json: bool = False,
    keys_only: bool = False,
    limit: int | None = None,
    long: bool = False,
    pager: bool = True,
) -> None:
    """``litmap list``: one line per paper, filtered and sorted, read from the index."""
    from litmap.services.listing import list_papers, records_json
    from litmap.store.index import Index

    where = state.location()
    with Index.open(where.root, where.read_only, in_memory_fallback=True) as index:
        listing = list_papers(
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


def _titles(row: Row, titles: dict[str, str]) -> str:
    """A row's categories by title (ids for unknown ones), comma-separated."""
    return ", ".join(titles.get(c, c) for c in row.categories)


def _tab_line(row: Row, titles: dict[str, str]) -> str:
    """One paper as a line for pipes: key, year, first author, title, categories, tab-separated.

    No value holds a tab or a line break: keys are safe names, and names and titles are one line.
    """
    return f"{row.key}\t{row.year or ''}\t{row.first_author}\t{row.title}\t{_titles(row, titles)}\n"


def run_show(keys: list[str], as_json: bool = False) -> None:
    """``litmap show``: everything about the papers ``keys`` (a panel each, or JSON)."""
    from litmap.services.reading import note_path, papers_to_show, read_note

    where = state.location()
    records, paths = papers_to_show(where.root, where.read_only, keys, state.library)
    if as_json:
        from litmap.cli.render import emit_json

        emit_json(records if len(keys) > 1 else records[0])
        return
    from litmap.cli.render import console, paper_panel

    for record in records:
        console.print(paper_panel(record, paths))
        notes = read_note(where, record["key"])
        if notes and notes.strip():
            shown = note_path(where, record["key"]).relative_to(where.root)
            console.print(f"[bold]Your notes[/] [dim]({shown})[/]")
            console.print(notes.rstrip(), markup=False, highlight=False)


def run_stats(as_json: bool = False) -> None:
    """``litmap stats``: papers per section, year, tag and venue, and what metadata is missing."""
    from litmap.errors import LitmapError
    from litmap.services.stats import Facts, facts_by_key, library_stats
    from litmap.store.index import Index
    from litmap.store.index_read import paper_facts

    where = state.location()
    try:
        with Index.open(where.root, where.read_only, in_memory_fallback=True) as index:
            result = library_stats(facts_by_key(Facts(*row) for row in paper_facts(index)), index.taxonomy().tree)
            broken: Sequence[BrokenFile | InvalidFile] = index.broken_files()
    except LitmapError:  # the index cannot be brought up to date (a broken taxonomy): the models say why
        library = state.library()
        papers = [Facts.of_paper(paper) for paper in library.papers()]
        result, broken = library_stats(papers, library.taxonomy().tree_rows()), library.broken
    if as_json:
        from litmap.cli.render import emit_json

        emit_json(result.to_json())
    else:
        from litmap.cli.views import render_stats
        from litmap.store.names import library_name

        render_stats(result, library_name(where.root) or state.library().config.name)
    warn_left_out(broken)


def run_tag(args: list[str], category: list[str], uncategory: list[str]) -> None:
    """``litmap tag``: citekeys (``-``: read from stdin), ``+TAG`` and ``-TAG``; and categories to file
    the papers under or take them out of."""
    from litmap.cli.inputs import keys_with_stdin
    from litmap.errors import InvalidValue
    from litmap.services.tagging import split_tag_args, tag_through_index

    where = state.location()
    request = split_tag_args(args)
    keys = keys_with_stdin(request.keys)
    changes = [f"+{t}" for t in request.add] + [f"-{t}" for t in request.remove]
    changes += [f"+category:{c}" for c in category] + [f"-category:{c}" for c in uncategory]
    if not changes:
        raise InvalidValue("nothing to do: give +TAG, -TAG, --category ID or --uncategory ID")
    outcome = None
    if not (category or uncategory):
        outcome = tag_through_index(where.root, where.read_only, keys, request.add, request.remove)
    if outcome is None:
        from litmap.services import curation

        outcome = curation.tag_papers(state.library(), keys, request.add, request.remove, category, uncategory)
    report(outcome, " ".join(changes))


def run_category_rename(old: str, new: str, title: str | None = None) -> None:
    """``litmap category rename``: the category and every paper filed under it, in one atomic change."""
    from litmap.services.category_rename import rename_through_index

    where = state.location()
    outcome = rename_through_index(where.root, where.read_only, old, new, title)
    if outcome is None:
        from litmap.services.curation import rename_category

        outcome = rename_category(state.library(), old, new, title)
    done = len(outcome.changed)
    write_line(f"Renamed category {old} to {new}; {done} paper{'s' if done != 1 else ''} refiled.")


def report(outcome: Outcome, what: str) -> None:
    """``WHAT: N papers changed, M already so`` on stdout (as rich printed it: wrapped on a terminal)."""
    done = len(outcome.changed)
    line = f"{what}: {done} paper{'s' if done != 1 else ''} changed"
    if outcome.unchanged:
        line += f", {len(outcome.unchanged)} already so"
    write_line(line)


def write_line(line: str, err: bool = False) -> None:
    """Print one unstyled line on stdout (or stderr) exactly as rich's console would, without loading
    rich when that is plain text: piped, short, printable ASCII, nothing rich would turn into an emoji."""
    import os
    import re

    stream = sys.stderr if err else sys.stdout
    if (
        not stream.isatty()
        and not os.environ.get("FORCE_COLOR")
        and not os.environ.get("COLUMNS")
        and len(line) <= PIPED_WIDTH
        and line.isascii()
        and line.isprintable()
        and not re.search(r":\S*:", line)
    ):
        stream.write(line + "\n")
        return
    from litmap.cli.render import console, err_console

    (err_console if err else console).print(line, markup=False)
