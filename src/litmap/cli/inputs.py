"""What commands read from standard input: citekeys given as ``-``, one helper for every command."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def keys_with_stdin(keys: Sequence[str]) -> list[str]:
    """``keys`` with a ``-`` replaced by the citekeys read from standard input.

    Keys on stdin are separated by whitespace or commas (a citekey holds neither), so both
    ``litmap search x --keys`` and a pasted ``\\cite{a,b}`` list work.
    """
    out: list[str] = []
    for key in keys:
        if key == "-":
            out.extend(k for k in sys.stdin.read().replace(",", " ").split() if k)
        else:
            out.append(key)
    return out
