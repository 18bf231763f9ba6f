"""Output that needs no styling (pipes, scripts, warnings), written without loading rich."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litmap.errors import InvalidFile
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
    _warned[0] = True
    first = broken[0]
    message = getattr(first, "message", None) or str(first)
    more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
    sys.stderr.write(f"Warning: left out unreadable paper file {message}{more}; run `litmap check`.\n")


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
