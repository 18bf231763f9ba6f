"""``litmap export``: BibTeX for a paper draft, CSL-JSON, the reading list as a Markdown page."""

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
import typer.main

from litmap.cli import state
from litmap.cli.app import LitmapGroup, app, fail
from litmap.cli.complete import complete_categories, complete_keys, complete_tags
from litmap.cli.inputs import keys_with_stdin

if TYPE_CHECKING:
    from litmap.formats import ExportFormat
    from litmap.services.export import Exported, Selection


class FormatGroup(LitmapGroup):
    """``litmap export``: one subcommand per registered export format.

    A format registered with :func:`litmap.formats.register_format` (by litmap, a plugin or a test)
    is ``litmap export <name>`` with the shared selection options below and its own flags. The
    subcommands are made the first time the group's commands are asked for (only ``litmap export
    ...`` pays for them, not every start-up).
    """

    _commands: dict[str, Any]
    _formats_added: bool = False

    @property  # type: ignore[override]
    def commands(self) -> dict[str, Any]:
        if not self._formats_added:
            self._formats_added = True
            from litmap.formats import export_formats

            for export_format in export_formats():
                if export_format.name not in self._commands:
                    self._commands[export_format.name] = _format_command(export_format)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, Any]) -> None:
        self._commands = value
        self._formats_added = False


export_app = typer.Typer(
    cls=FormatGroup,
    name="export",
    help="Export papers: BibTeX for LaTeX, Hayagriva for Typst, CSL-JSON for pandoc and Zotero, the reading list"
    " as Markdown.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(export_app, name="export")


def _option(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


#: The options every export command takes: which papers (see :class:`litmap.services.export.Selection`),
#: where the text goes, and whether missing keys fail. A new selection option is one entry here.
SELECTION_OPTIONS = (
    _option(
        "keys",
        Annotated[
            list[str] | None,
            typer.Argument(
                help="Citekeys to export (old keys left by merges resolve); - reads keys from stdin. "
                "Default: all papers.",
                show_default=False,
                autocompletion=complete_keys,
            ),
        ],
    ),
    _option(
        "draft",
        Annotated[
            list[Path] | None,
            typer.Option(
                "--draft",
                "-d",
                metavar="FILE",
                help="Export what this draft cites (repeatable): .tex (following \\input/\\include), .aux,"
                " .typ (following #include), .md/.qmd/.Rmd (pandoc).",
            ),
        ],
    ),
    _option(
        "draft_syntax",
        Annotated[
            str | None,
            typer.Option(
                "--draft-syntax",
                metavar="SYNTAX",
                help="Read every --draft as latex, aux, typst or pandoc, whatever its extension.",
            ),
        ],
    ),
    _option(
        "aux",
        Annotated[
            list[Path] | None,
            typer.Option("--aux", metavar="FILE.aux", help="Same as --draft, read as the .aux LaTeX writes."),
        ],
    ),
    _option(
        "tex",
        Annotated[
            list[Path] | None,
            typer.Option(
                "--tex",
                metavar="FILE.tex",
                help="Same as --draft, read as LaTeX (following \\input/\\include).",
            ),
        ],
    ),
    _option(
        "category",
        Annotated[
            str | None,
            typer.Option(
                "--category", "-c", help="Only this category and its subcategories.", autocompletion=complete_categories
            ),
        ],
    ),
    _option(
        "tag",
        Annotated[
            list[str] | None,
            typer.Option("--tag", "-t", help="Only papers with this tag (repeatable).", autocompletion=complete_tags),
        ],
    ),
    _option(
        "query",
        Annotated[
            str | None,
            typer.Option("--query", "-q", help="Only papers a search finds (same syntax as `litmap search`)."),
        ],
    ),
    _option(
        "prefer",
        Annotated[
            Literal["published", "preprint"],
            typer.Option(
                "--prefer",
                help="A paper published after its arXiv preprint is written as the published version (the"
                " record) or as the preprint (arXiv, dated by its first release).",
            ),
        ],
        "published",
    ),
    _option(
        "output",
        Annotated[
            Path | None,
            typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output."),
        ],
    ),
    _option(
        "watch",
        Annotated[
            bool,
            typer.Option(
                "--watch",
                "-w",
                help="Keep running: rewrite -o FILE whenever a draft, a file it includes or the library changes"
                " (only when its bytes change). Ctrl-C stops.",
            ),
        ],
        False,
    ),
    _option(
        "allow_missing",
        Annotated[
            bool,
            typer.Option("--allow-missing", help="Exit 0 even when a key or cited key is not in the library."),
        ],
        False,
    ),
)


def _format_command(export_format: "ExportFormat") -> Any:
    """The click command ``litmap export <name>`` for a registered format."""

    def command(**params: Any) -> None:
        _export(export_format, params)

    flags = [
        _option(flag.name, Annotated[bool, typer.Option(flag.flag, help=flag.help)], False)
        for flag in export_format.flags
    ]
    options = list(SELECTION_OPTIONS)
    command.__signature__ = inspect.Signature([*options[:-1], *flags, options[-1]])  # type: ignore[attr-defined]
    command.__doc__ = export_format.help
    epilog = "[bold]Examples[/]\n\n" + "\n\n".join(f"  {example}" for example in export_format.examples)
    single = typer.Typer(rich_markup_mode="rich", add_completion=False)
    single.command(export_format.name, epilog=epilog if export_format.examples else None)(command)
    return typer.main.get_command(single)


def _export(export_format: "ExportFormat", params: dict[str, Any]) -> None:
    """Choose the papers, render them in ``export_format``, write them and report what is missing."""
    from litmap.cli.export_run import run_export
    from litmap.services.export import Draft, Selection

    keys = params["keys"] or []
    wanted = keys_with_stdin(keys)
    if keys and not wanted:
        raise fail("no keys on standard input (pipe them in, e.g. `litmap search grokking --keys | ... -`)")
    drafts = [Draft(path, params["draft_syntax"]) for path in params["draft"] or []]
    drafts += [Draft(path, "aux") for path in params["aux"] or []]
    drafts += [Draft(path, "latex") for path in params["tex"] or []]
    selection = Selection(
        keys=wanted,
        drafts=drafts,
        category=params["category"],
        tags=params["tag"] or [],
        query=params["query"],
        prefer=params["prefer"],
    )
    flags = {flag.name: bool(params.get(flag.name)) for flag in export_format.flags}
    output, watching = params["output"], params["watch"]
    if watching and output is None:
        raise typer.BadParameter("needs -o FILE (the file to keep in step)", param_hint="--watch")
    exported = run_export(export_format.name, selection, flags, output, params["allow_missing"] or watching)
    if watching:
        _watch(export_format, selection, flags, output, exported)


def _watch(
    export_format: "ExportFormat", selection: "Selection", flags: dict[str, bool], output: Path, first: "Exported"
) -> None:
    """Re-export on every change until Ctrl-C, one line per change; Ctrl-C exits 0."""
    import signal

    from litmap.cli.export_run import note, write
    from litmap.services.watch import watch_export

    # Started in the background by a script, a process inherits SIGINT ignored; watching must stop on it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        inputs = first.scope.files
        for line in watch_export(
            state.library(), export_format.name, selection, flags, output, first, lambda t: write(t, output, inputs)
        ):
            note(line)
    except KeyboardInterrupt:
        pass
    note("Stopped watching.")
