"""Curation commands: tag, tags, rm, edit, stats."""

from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from litmap.cli import state
from litmap.cli.app import app
from litmap.cli.complete import complete_categories, complete_keys, complete_tag_args
from litmap.cli.inputs import keys_with_stdin

if TYPE_CHECKING:
    from pathlib import Path


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
    from litmap.cli.reads import report, run_tag
    from litmap.services import curation

    if rename:
        library = state.library()
        if args or category or uncategory:
            raise typer.BadParameter("cannot be combined with keys, tags or categories", param_hint="--rename")
        report(curation.rename_tag(library, *rename), f"renamed tag {rename[0]} to {rename[1]}")
        return
    run_tag(args or [], category or [], uncategory or [])


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


@app.command(epilog="[bold]Examples[/]\n\n  litmap stats\n\n  litmap stats --json")
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="All the counts as one JSON object.")] = False,
) -> None:
    """Papers per section, year, tag and venue, and what metadata is missing."""
    from litmap.cli.reads import run_stats

    run_stats(as_json)
