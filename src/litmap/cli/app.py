"""The typer application: global options, error translation at the edge, the entry point."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer import _click
from typer.core import TyperGroup

from litmap import __version__
from litmap.cli import state
from litmap.cli.plain import FLAG_OF_OPTION, bundled_hint, message_of, say_waiting
from litmap.errors import LitmapError

__all__ = ["FLAG_OF_OPTION", "LitmapGroup", "app", "bundled_hint", "fail", "main", "message_of"]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``Error: message`` as one line on stderr; return the Exit to raise."""
    sys.stderr.write(f"Error: {message}\n")
    sys.stderr.flush()
    return typer.Exit(code)


class LitmapGroup(TyperGroup):
    """Runs commands, turning litmap's errors into one line on stderr and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                _warn_about_unreadable_files()
        except _click.exceptions.UsageError as exc:
            raise usage_error(exc, ctx) from None
        except (KeyboardInterrupt, typer.Abort) as exc:  # Ctrl-C (at a prompt: Abort)
            if os.environ.get("LITMAP_DEBUG") == "1":
                raise
            raise interrupted(exc) from None
        except LitmapError as exc:
            if os.environ.get("LITMAP_DEBUG") == "1":
                raise
            raise fail(message_of(exc)) from None
        except OSError as exc:
            if os.environ.get("LITMAP_DEBUG") == "1" or exc.errno == 32:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            raise fail(f"{where}{exc.strerror or exc}") from None

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from litmap.cli.params import use_plain_conversion
        from litmap.cli.usage import readable_params

        use_plain_conversion(self, ctx)  # no pydantic just to read --library (see litmap.cli.params)
        readable_params(self, ctx)
        try:
            return super().parse_args(ctx, args)
        except _click.exceptions.UsageError as exc:
            raise usage_error(exc) from None

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        from litmap.cli.params import use_plain_conversion
        from litmap.cli.usage import readable_params

        command = super().get_command(ctx, cmd_name)
        if command is not None:
            use_plain_conversion(command, ctx)
            readable_params(command, ctx)
        return command


def interrupted(error: BaseException) -> typer.Exit:
    """Say in one line what an interrupted command kept; return the Exit (status 130, as shells use) to raise."""
    from litmap.errors import Interrupted
    from litmap.store.files import committed_changes

    if isinstance(error, Interrupted):
        kept = error.kept
    elif committed_changes():
        kept = "the changes made before it were written"
    else:
        kept = "nothing written"
    # On a terminal the line starts afresh: over the echoed ^C (and a question left unanswered).
    fresh = "\r\x1b[2K" if sys.stderr.isatty() else ""
    sys.stderr.write(f"{fresh}interrupted: {kept}\n")
    sys.stderr.flush()
    return typer.Exit(130)


def usage_error(error: Any, ctx: Any = None) -> Exception:
    """Print a usage error as one line plus the usage hint; return the Exit (status 2) to raise.

    "No arguments: show the help" is left to typer (it prints the help).
    """
    if isinstance(error, _click.exceptions.NoArgsIsHelpError) or os.environ.get("LITMAP_DEBUG") == "1":
        return error
    from litmap.cli.usage import USAGE_EXIT, say_usage_error

    say_usage_error(error, ctx)
    return typer.Exit(USAGE_EXIT)


app = typer.Typer(
    cls=LitmapGroup,
    name="litmap",
    help="litmap: a bibliography and taxonomy manager for researchers.\n\n"
    "Papers live as plain TOML files in a library folder (papers/<citekey>.toml) under git. "
    "Without --library or $LITMAP_LIBRARY, litmap uses the library in the working directory "
    "(or its parents), else your default library (`litmap config library PATH`), else the bundled "
    "interpretability reading list (read-only).",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"litmap {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    library: Annotated[
        str | None,
        typer.Option(
            "--library",
            "-L",
            metavar="PATH",
            help="Library folder to use (overrides $LITMAP_LIBRARY and the working directory).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show litmap's version and exit."),
    ] = False,
) -> None:
    """litmap: a bibliography and taxonomy manager for researchers."""
    from litmap.cli.plain import reset_warnings
    from litmap.store.files import set_lock_wait_notice

    state.set_library_option(library)
    set_lock_wait_notice(say_waiting)
    reset_warnings()


def _warn_about_unreadable_files() -> None:
    """Name the paper files a command left out because they cannot be read (if it read the papers)."""
    from litmap.cli.plain import warn_left_out

    library = state.opened_library()
    if library is not None:
        warn_left_out(library.broken)


def main() -> None:
    """Run the typer app on ``sys.argv`` (the console script first tries :mod:`litmap.cli.fast`)."""
    from litmap.cli.commands import load_app
    from litmap.collector import short_lived_process

    short_lived_process()
    load_app()(prog_name="litmap")
