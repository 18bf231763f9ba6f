"""Which characters pdflatex typesets from UTF-8, and LaTeX for the others. Pure.

With LaTeX's default UTF-8 input and ``\\usepackage[T1]{fontenc}``, pdflatex knows the characters
its encoding files declare (``utf8enc.dfu``: Latin letters with accents, dashes, quotes, €, ™...) and
stops with "Unicode character … not set up for use with LaTeX" at any other, such as a combining
breve (``s`` + U+0306, the UTF-8 reading of ``\\u{s}``), ``α``, ``∗`` or ``中``. :data:`TYPESET` lists
the first kind (every character of ``utf8enc.dfu`` but Cyrillic, which needs T2A); the others are
written as LaTeX: a letter with combining accents as accent commands (``{\\u{s}}``, ``{\\v{a}}``), the
Greek letters (:data:`ENCODED`) as pylatexenc writes them (``{\\ensuremath{\\alpha}}``), each form
compiled by pdflatex with T1 (tests/test_latex.py checks both tables). Any other character has no
LaTeX form pdflatex takes, and stays as it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any


def _ranges(spec: str) -> str:
    """A regex character class body from ``"00A0-0125 0192 ..."``."""
    out = []
    for part in spec.split():
        first, _, last = part.partition("-")
        out.append(re.escape(chr(int(first, 16))) + ("-" + re.escape(chr(int(last, 16))) if last else ""))
    return "".join(out)


#: Characters pdflatex typesets from UTF-8 with T1 (``utf8enc.dfu`` without Cyrillic).
TYPESET = (
    "00A0-0125 0128-0137 0139-013E 0141-0148 014A-0165 0168-017E 0192 01C4-01D4 01E2-01E3 01E6-01EB 01F0 "
    "01F4-01F5 0218-021B 0232-0233 0237 02C6-02C7 02D8-02D9 02DB-02DD 0E3F 1E02-1E03 1E0D 1E1E-1E21 1E25 "
    "1E30-1E31 1E37 1E43 1E45 1E47 1E5B 1E63 1E6D 1E8E-1E91 1E9E 1EF2-1EF3 200C 2010-2016 2018-201A "
    "201C-201E 2020-2022 2026 2030-2031 2039-203B 203D 2044 204E 2052 20A1 20A4 20A6 20A9 20AB-20AC 20B1 "
    "2103 2116-2117 211E 2120 2122 2126-2127 212E 2190-2193 2329-232A 2422-2423 25E6 25EF 266A 27E8-27E9 "
    "3008-3009 FB00-FB06 FEFF"
)
#: Greek letters, which pylatexenc writes as math pdflatex compiles with T1 (``{\\ensuremath{\\alpha}}``)
#: and LaTeX-decoding readers give back. Other symbols pylatexenc has forms for (``∗``, ``√``, spaces)
#: are read back as other characters (``*``), so they stay UTF-8.
ENCODED = "0393-0394 0398 039B 039E 03A0 03A3 03A5-03A6 03A8-03A9 03B1-03BE 03C0-03C9 03D1 03D5-03D6 03F1 03F5"
#: Text pdflatex cannot typeset as it is: a character neither ASCII nor in :data:`TYPESET`.
UNTYPESET = re.compile("[^\x00-\x7f" + _ranges(TYPESET) + "]")
_ENCODED = re.compile("[" + _ranges(ENCODED) + "]")
#: Combining accents and the text-mode accent command each is (all available with T1).
ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0327": "c",
    "\u0328": "k",
    "\u0331": "b",
}
#: A character and the combining marks on it.
CLUSTER = re.compile(r".[\u0300-\u036f]*", re.DOTALL)
_BASES = {"\u0131": "\\i", "\u0237": "\\j"}


@lru_cache(maxsize=4096)
def pdflatex_form(cluster: str) -> str | None:
    """LaTeX pdflatex typesets for a character and its combining marks, or None when there is none."""
    if len(cluster) == 1 and _ENCODED.match(cluster):
        return str(_encoder().unicode_to_latex(cluster))
    decomposed = unicodedata.normalize("NFD", cluster)
    base, marks = decomposed[0], decomposed[1:]
    base = _BASES.get(base, base)
    if (
        not marks
        or not all(mark in ACCENTS for mark in marks)
        or not ((base.isascii() and base.isalpha()) or base in _BASES.values())
    ):
        return None
    for mark in marks:
        base = f"\\{ACCENTS[mark]}{{{base}}}"
    return "{" + base + "}"


def untypeset(text: str) -> list[str]:
    """The distinct characters (with their marks) of ``text`` pdflatex cannot typeset, in order."""
    found: dict[str, None] = {}
    for match in UNTYPESET.finditer(text):
        found.setdefault(match.group(0))
    return list(found)


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy="keep"
    )
