"""Output that needs no styling (pipes, scripts, warnings), written without loading rich."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litmap.errors import InvalidFile, LitmapError
    from litmap.store.index import BrokenFile

_warned: list[bool] = [False]


def is_terminal() -> bool:
    """Whether stdout is a terminal (or ``FORCE_COLOR`` says to write as to one, as rich does)."""
    import os

    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


def warn_left_out(broken: Sequence[BrokenFile | InvalidFile]) -> None:
    """Say on stderr which unreadable paper files a reading command left out (``litmap check`` says why).

    Said once per invocation, however many times the papers were read.
    """
    if not broken or _warned[0]:
        return
    sys.stderr.write(f"Warning: left out {said_left_out(broken)}; run `litmap check`.\n")


def said_left_out(broken: Sequence[BrokenFile | InvalidFile]) -> str:
    """``unreadable paper file FILE:LINE: why (and N more)``, for a message of its own: the warning
    of :func:`warn_left_out` is then not said again."""
    _warned[0] = True
    first = broken[0]
    message = getattr(first, "message", None) or str(first)
    more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
    return f"unreadable paper file {message}{more}"


def reset_warnings() -> None:
    """Start a new invocation: nothing said yet."""
    _warned[0] = False


_SINGULAR = {"entries": "entry", "items": "item", "papers": "paper", "files": "file", "matches": "match"}


def one_in_singular(text: str, count: int) -> str:
    """``text`` (e.g. "1 entries") with the noun after a count of one made singular ("1 entry")."""
    if count != 1:
        return text
    import re

    return re.sub(r"\b1 (\w+)", lambda m: f"1 {_SINGULAR.get(m.group(1), m.group(1))}", text, count=1)


#: Options of the use cases whose flag is not ``--`` plus their name (the flags are singular).
FLAG_OF_OPTION = {"tags": "--tag", "categories": "--category", "authors": "--author", "reassign_to": "--reassign"}


def message_of(error: LitmapError) -> str:
    """The one line the CLI prints for ``error``: an option of the core is named as its flag."""
    from litmap.errors import InvalidOption, UnknownKey, UnknownKeys

    if isinstance(error, InvalidOption):
        return error.naming(FLAG_OF_OPTION.get(error.option, f"--{error.option.replace('_', '-')}"))
    if isinstance(error, UnknownKey | UnknownKeys):
        return str(error) + bundled_hint()
    return str(error)


def bundled_hint() -> str:
    """When the bundled library was used: say so, and how to use one's own (for an unknown key's error)."""
    from litmap.cli import state

    found = state.found_location()
    if found is None or found.found_by != "bundled":
        return ""
    return (
        "; litmap searched the bundled library, as no library was found here"
        " (use yours: `litmap config library PATH`, or run litmap inside it)"
    )


def say_waiting(root: object) -> None:
    """The notice printed while another litmap holds the library's writer lock."""
    from litmap.cli.progress import clear_activity_line

    clear_activity_line()
    sys.stderr.write(f"waiting for another litmap writing to this library ({root})…\n")
    sys.stderr.flush()


#: The width rich gives piped output (see :mod:`litmap.cli.render`).
PIPED_WIDTH = 160
