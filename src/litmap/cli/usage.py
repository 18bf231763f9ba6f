"""Usage errors in one line plus the usage hint (as git prints them), and readable placeholders in help.

Typer draws a usage error as a five-line box and shows a parameter's Python type in help (``<bool>``,
``<list[str]>``, ``{KEY...}...``). :func:`say_usage_error` prints instead::

    litmap: unknown option '--yaer' for 'list' (did you mean '--year'?)
    usage: litmap list [OPTIONS]
    Try 'litmap list --help'

and :func:`readable_params` gives every parameter of a command a placeholder a user reads: none for
a flag, its metavar, else TEXT, INTEGER, NUMBER, PATH or the choices; arguments as ``KEY...``.
"""

from __future__ import annotations

import difflib
import re
import sys
from typing import Any

from typer.core import TyperArgument, TyperOption

#: The exit status of a usage error (as click, getopt and git use).
USAGE_EXIT = 2

_NO_SUCH_COMMAND = re.compile(r"No such command '(?P<name>.+?)'\.")


class ReadableOption(TyperOption):
    """An option whose help shows no Python type: flags show nothing, others their placeholder."""

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag:
            return None
        if self.metavar is not None:
            return self.metavar
        return _placeholder(self)


class ReadableArgument(TyperArgument):
    """An argument named ``KEY`` in help, ``KEY...`` when it takes several, ``[KEY]`` when optional."""

    _readable: str = ""

    @property
    def display_name_raw(self) -> str:
        return self._readable or self.name or ""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if self.nargs != 1:
            name += "..."
        return name if self.required else f"[{name}]"


def _placeholder(param: Any) -> str:
    descriptor = param.type_descriptor
    if descriptor.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
    if descriptor.is_path or getattr(descriptor, "file_annotation", None) is not None:
        return "PATH"
    label = param.bare_type()
    for name, placeholder in (("int", "INTEGER"), ("float", "NUMBER")):
        if re.search(rf"\b{name}\b", label):
            return placeholder
    return "TEXT"


def readable_params(command: Any, ctx: Any) -> None:
    """Give ``command``'s typer options and arguments readable help placeholders (once)."""
    try:
        params = command.get_params(ctx)
    except Exception:  # a command we do not know how to ask: leave it to typer
        return
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = ReadableOption
        elif type(param) is TyperArgument:
            name = (param.metavar or param.name or "").removesuffix("...")
            if not param.metavar:  # keys -> KEY... (the dots say there may be several)
                name = (name[:-1] if param.nargs != 1 and name.endswith("s") else name).upper()
            param.__class__ = ReadableArgument
            param.metavar = None
            param._readable = name  # type: ignore[attr-defined]


# -- usage errors ----------------------------------------------------------------------------------


def say_usage_error(error: Any, group_ctx: Any = None) -> None:
    """Print ``error`` (a click UsageError) as git would: the problem, the usage line, where to get help.

    An error the option parser raised without a context is about the subcommand ``group_ctx`` was
    invoking (its context did not exist yet).
    """
    ctx = error.ctx or _subcommand_context(group_ctx)
    lines = [f"litmap: {describe(error, ctx)}"]
    if ctx is not None:
        pieces = ctx.command.collect_usage_pieces(ctx)
        lines.append(f"usage: {' '.join([ctx.command_path, *pieces])}")
        lines.append(f"Try '{ctx.command_path} --help'")
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()


def _subcommand_context(group_ctx: Any) -> Any:
    from typer import _click

    if group_ctx is None:
        return _click.globals.get_current_context(silent=True)
    name = group_ctx.invoked_subcommand
    command = group_ctx.command.get_command(group_ctx, name) if name else None
    if command is None:
        return group_ctx
    return _click.core.Context(command, info_name=name, parent=group_ctx)


def describe(error: Any, ctx: Any) -> str:
    """The one line saying what was wrong with the command line."""
    from typer import _click

    command = _command_words(ctx)
    where = f" for '{command}'" if command else ""
    if isinstance(error, _click.exceptions.NoSuchOption):
        guess = difflib.get_close_matches(error.option_name, sorted(error.possibilities or ()), n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        return f"unknown option '{error.option_name}'{where}{hint}"
    if isinstance(error, _click.exceptions.MissingParameter) and error.param is not None:
        return f"missing {_name_of(error.param)}{where}"
    if isinstance(error, _click.exceptions.BadParameter):
        hint = _name_of(error.param) if error.param is not None else _hint(error.param_hint)
        subject = f"{command} {hint}" if command else hint
        message = error.message.removeprefix("Value error, ")  # pydantic's prefix, from typer's conversion
        return f"{subject}: {message}" if subject else message
    missing = _NO_SUCH_COMMAND.match(error.message)
    if missing:
        group = command or "litmap"
        choices = sorted(getattr(ctx.command, "commands", {}) or ()) if ctx is not None else []
        guess = difflib.get_close_matches(missing["name"], choices, n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        return f"'{missing['name']}' is not a command of '{group}'{hint}"
    text = error.message.rstrip(".")
    text = text[:1].lower() + text[1:]
    return f"{command}: {text}" if command else text


def _command_words(ctx: Any) -> str:
    """``list`` or ``export bibtex``: the command path without the program name."""
    if ctx is None:
        return ""
    return " ".join(ctx.command_path.split()[1:])


def _name_of(param: Any) -> str:
    """An option by its long flag (``--limit``), an argument by its placeholder (``FILE.bib``)."""
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.display_name_raw)
    opts = list(param.opts)
    long = [o for o in opts if o.startswith("--")]
    return (long or opts or [param.name])[0]


def _hint(param_hint: Any) -> str:
    if param_hint is None:
        return ""
    if isinstance(param_hint, list | tuple):
        return " / ".join(str(h) for h in param_hint)
    return str(param_hint)
