"""How a long use case says where it is, without printing: a :class:`Step` handed to a progress hook.

The command line draws the steps (a spinner naming the server asked, a bar per phase); a script may
log them or pass no hook at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Phase = Literal["fetching", "reading", "checking", "writing", "attaching"]


@dataclass(frozen=True)
class Step:
    """One phase of a run: ``done`` of ``total`` items (total None when unknown), and what it is about.

    Phases: ``fetching`` records (``about``: the identifiers not yet answered), ``reading`` a file's
    entries (``about``: its name), ``checking`` entries for duplicates, ``writing`` papers, ``attaching``
    PDFs.
    """

    phase: Phase
    done: int = 0
    total: int | None = None
    about: str = ""


#: Called with each :class:`Step` while a long run advances.
ProgressHook = Callable[[Step], None]


def some_of(names: Sequence[str], shown: int = 2) -> str:
    """``a``, ``a and b``, ``a, b and 3 more``: a short way to name what is being waited for."""
    if len(names) <= shown:
        return " and ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"
