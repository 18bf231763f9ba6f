"""Where LaTeX sits in text: math and macros to keep as typed, and whether braces pair up. Pure.

Shared by the reader (:mod:`litmap.formats.latex_text` keeps these islands verbatim while decoding
the rest) and the writer (:mod:`litmap.formats.latex_escape` writes them back unescaped).
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: A dollar the library keeps escaped because, decoded, it would pair with another into math
#: (Mendeley's ``{\\$}B{\\^{}}2{\\$}``, ``\\$5--\\$10``): text, never math.
KEPT_DOLLAR = "\\$"


def dollars(text: str) -> str:
    """``text`` with the dollars the library keeps escaped (:data:`KEPT_DOLLAR`) as plain dollars."""
    return text.replace(KEPT_DOLLAR, "$") if KEPT_DOLLAR in text else text


def balanced(text: str) -> bool:
    """Whether every brace of ``text`` pairs up as BibTeX counts them (``\\{`` counts too)."""
    if "{" not in text and "}" not in text:  # most text: no loop over its characters
        return True
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def latex_balanced(text: str) -> bool:
    """Whether braces pair up both as BibTeX counts them and as TeX does (``\\{`` is not a brace)."""
    if not balanced(text):
        return False
    return balanced(text.replace("\\\\", "").replace("\\{", "").replace("\\}", ""))


def _group_end(text: str, start: int) -> int:
    """The index just past the brace group opening at ``start`` (``len(text)`` if it never closes)."""
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _math_end(text: str, start: int) -> int | None:
    """The index just past the math span opening at ``start``, or None if it is not math."""
    closing = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}
    opening = next(o for o in ("$$", "$", "\\(", "\\[") if text.startswith(o, start))
    i = start + len(opening)
    while i < len(text):
        if text[i] == "\\" and not text.startswith(closing[opening], i):
            i += 2
            continue
        if text.startswith(closing[opening], i):
            inner = text[start + len(opening) : i]
            if not inner.strip() or (opening == "$" and (inner[0].isspace() or inner[-1].isspace())):
                return None
            return i + len(closing[opening])
        i += 1
    return None


def latex_islands(
    text: str, keep: Callable[[str], bool] | None = None, dollar_spans: bool = True
) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each flagged True when it is LaTeX to keep as typed.

    Islands are math (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``) and the macros ``keep`` accepts
    (every macro without ``keep``) with their brace and bracket arguments; a group that starts with
    such a macro (``{\\MaxMinAntSystem}``) is one island with its braces. A ``$`` that opens no math
    (``$5``, ``a $ b``) is text. With ``dollar_spans``, text from one escaped dollar to the next
    (``{\\$}B{\\^{}}2{\\$}``: Mendeley's math, kept as it came) is an island too.
    """
    pieces: list[tuple[str, bool]] = []
    plain_start = 0
    i = 0

    def island(start: int, end: int) -> None:
        if plain_start < start:
            pieces.append((text[plain_start:start], False))
        pieces.append((text[start:end], True))

    while (special := _SPECIAL.search(text, i)) is not None:
        i = special.start()  # every other character is text: no step of the loop below for it
        char = text[i]
        end: int | None = None
        if dollar_spans and text.startswith(_DOLLAR_SPAN_OPENINGS, i):
            end = _dollar_span_end(text, i)
            if end is None or not latex_balanced(text[i:end]):
                i += 1 if char == "{" else 2  # a lone escaped dollar is text
                continue
        elif char == "$" or text.startswith(("\\(", "\\["), i):
            end = _math_end(text, i)
        elif char == "{" and (name := _MACRO_NAME.match(text, i + 1)) and (keep is None or keep(name.group(1))):
            end = _group_end(text, i)
        elif char == "\\" and (name := _MACRO_NAME.match(text, i)) is None:
            i += 2  # an escaped character (\\%, \\$, \\") is text
            continue
        elif char == "\\" and (name := _MACRO_NAME.match(text, i)) and (keep is None or keep(name.group(1))):
            end = _arguments_end(text, name.end())
        if end is None or not latex_balanced(text[i:end]):
            i += 1
            continue
        island(i, end)
        i = plain_start = end
    if plain_start < len(text):
        pieces.append((text[plain_start:], False))
    return pieces


_MACRO_NAME = re.compile(r"\\([A-Za-z]+)\*?")
#: The characters an island can start at (math, a macro, a group opening with one, an escaped dollar).
_SPECIAL = re.compile(r"[$\\{]")
_DOLLAR_SPAN_OPENINGS = ("{" + KEPT_DOLLAR + "}", KEPT_DOLLAR)


def _dollar_span_end(text: str, start: int) -> int | None:
    """Past the escaped dollar (braced or not) that closes the one opening at ``start``, or None."""
    opening = next(o for o in _DOLLAR_SPAN_OPENINGS if text.startswith(o, start))
    close = text.find(KEPT_DOLLAR, start + len(opening))
    if close < 0:
        return None
    end = close + len(KEPT_DOLLAR)
    if opening.startswith("{") and text.startswith("}", end) and text[close - 1 : close] == "{":
        end += 1
    return end


def _arguments_end(text: str, i: int) -> int:
    """Past the brace and bracket groups that directly follow a macro name ending at ``i``."""
    while True:
        j = i
        while j < len(text) and text[j] in " \t":
            j += 1
        if j < len(text) and text[j] == "{" and latex_balanced(text[j : _group_end(text, j)]):
            i = _group_end(text, j)
        elif j < len(text) and text[j] == "[" and "]" in text[j:]:
            i = text.index("]", j) + 1
        else:
            return i
