"""``litmap refresh``: fetch records again from the source they came from, keeping hand edits."""

from typing import Annotated, Any

import typer

from litmap.cli import state
from litmap.cli.app import app
from litmap.cli.complete import complete_keys


def _show(value: Any) -> str:
    return "—" if value in (None, "", []) else str(value) if not isinstance(value, list) else "; ".join(map(str, value))


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap refresh elhage2022toy\n\n"
    "  litmap refresh --all --dry-run\n\n"
    "  litmap refresh meng2022locating --json\n\n"
    "Papers added with --arxiv or --doi record their source and a digest of each field it gave "
    "(provenance, in the paper file); a field edited since, by hand or by litmap edit or upgrade, "
    "is yours and is kept.",
)
def refresh(
    keys: Annotated[
        list[str] | None,
        typer.Argument(metavar="KEY...", help="Papers to refresh (- reads stdin).", autocompletion=complete_keys),
    ] = None,
    all_papers: Annotated[bool, typer.Option("--all", help="Every paper with a recorded source.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The results as JSON.")] = False,
) -> None:
    """Fetch papers again from the source they came from and update what changed, never your edits."""
    from litmap.cli.curation_cmds import keys_with_stdin
    from litmap.cli.render import console, emit_json
    from litmap.errors import InvalidValue
    from litmap.services.refresh import papers_to_refresh, refresh_papers

    if not keys and not all_papers:
        raise InvalidValue("name the papers to refresh: KEY... or --all")
    library = state.library()
    papers = papers_to_refresh(library, keys_with_stdin(keys or []), all_papers)
    if not dry_run:
        library.ensure_writable()
    from litmap.cli.progress import Activity

    with Activity():
        results = refresh_papers(library, papers, dry_run=dry_run)
    if as_json:
        emit_json([r.to_json() for r in results])
        return
    for result in results:
        if result.error:
            console.print(f"{result.key}: {result.error}", markup=False, soft_wrap=True)
            continue
        head = f"{result.key}: " + (f"{len(result.changes)} field(s) changed" if result.changes else "up to date")
        if result.kept:
            head += f"; kept your edits of {', '.join(result.kept)}"
        console.print(head, markup=False, soft_wrap=True)
        for name, (old, new) in result.changes.items():
            console.print(f"    {name:<9} {_show(old)[:60]} -> {_show(new)[:60]}", markup=False, soft_wrap=True)
    changed = [r.key for r in results if r.changes]
    if changed and dry_run:
        console.print(f"Would update {', '.join(changed)}; nothing written.", markup=False)
    elif changed:
        console.print(f"Updated {', '.join(changed)}.", markup=False)
