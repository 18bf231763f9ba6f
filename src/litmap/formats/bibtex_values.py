"""BibTeX field values in: braces or quotes removed, ``@string`` macros expanded, ``#`` joined. Pure, no I/O."""

from __future__ import annotations

import re

from litmap.formats.latex_text import squash

#: BibTeX's predefined month macros.
MONTH_MACROS = {
    m[:3].lower(): m
    for m in ("January February March April May June July August September October November December".split())
}

_MACRO_NAME = re.compile(r"^[^\s\"#%'(),={}]+$")
_BRACE = re.compile(r"[{}]")


class ValueProblem(ValueError):
    """A field value that is not valid BibTeX."""


def _split_concatenation(raw: str) -> list[str]:
    """Top-level pieces of ``"a" # macro # {b}``."""
    if "#" not in raw:
        return [raw.strip()]
    pieces: list[str] = []
    depth = 0
    in_quotes = False
    current: list[str] = []
    previous = ""
    for char in raw:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0 and previous != "\\":
            in_quotes = not in_quotes
        elif char == "#" and depth == 0 and not in_quotes:
            pieces.append("".join(current).strip())
            current = []
            previous = char
            continue
        current.append(char)
        previous = char
    pieces.append("".join(current).strip())
    return pieces


def _balanced_group(piece: str, opening: str, closing: str) -> bool:
    """Whether ``piece`` is one group: its first character is closed by its last one."""
    if len(piece) < 2 or piece[0] != opening or piece[-1] != closing:
        return False
    depth = 0
    for brace in _BRACE.findall(piece, 1, len(piece) - 1):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def evaluate_value(raw: str, macros: dict[str, str]) -> str:
    """The text of a raw field value: braces or quotes removed, macros expanded, ``#`` joined."""
    parts: list[str] = []
    for piece in _split_concatenation(raw.strip()):
        if _balanced_group(piece, "{", "}") or _balanced_group(piece, '"', '"'):
            parts.append(piece[1:-1])
        elif piece.isdigit():
            parts.append(piece)
        elif piece and _MACRO_NAME.match(piece):
            name = piece.lower()
            # An undefined macro is kept as its name: more useful than BibTeX's empty string.
            parts.append(macros.get(name, MONTH_MACROS.get(name, piece)))
        else:
            shown = squash(piece)
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            raise ValueProblem(f"malformed value {shown!r} (a missing comma, brace or quote?)")
    return "".join(parts)
