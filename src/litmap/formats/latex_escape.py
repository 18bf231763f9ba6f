"""Plain Unicode text to LaTeX for BibTeX fields: special characters escaped, optionally pure ASCII.

BibTeX counts ``\\{`` as a brace too, so braces are written ``\\{`` ``\\}`` only where they pair up;
a lone one becomes ``{\\textbraceleft}``. The other escapes are ``\\&``-style commands or braced
"special characters" (``{\\textasciitilde}``), which BibTeX's case changing (``change.case$``) and
``purify$`` leave alone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from litmap.formats.latex_islands import KEPT_DOLLAR, balanced, latex_balanced, latex_islands
from litmap.formats.pdflatex import CLUSTER, UNTYPESET, pdflatex_form

#: LaTeX's ten special characters and how a field writes them.
SPECIALS = {
    "\\": "{\\textbackslash}",
    "{": "{\\textbraceleft}",
    "}": "{\\textbraceright}",
    "&": "\\&",
    "%": "\\%",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
    "~": "{\\textasciitilde}",
    "^": "{\\textasciicircum}",
}
#: The same where the text's braces pair up: ``\\{`` reads better and every BibTeX reader decodes it.
BALANCED_SPECIALS = {**SPECIALS, "{": "\\{", "}": "\\}"}
_ANY_SPECIAL = re.compile("[" + re.escape("".join(SPECIALS)) + "]")
_UNSAFE_IN_VERBATIM = re.compile(r"[\s{}\\\x00-\x1f\x7f]|[^\x00-\x7f]")


def unchanged(text: str) -> bool:
    """Whether :func:`escape` gives ``text`` back as it is, whatever the options: ASCII without specials."""
    return text.isascii() and not _ANY_SPECIAL.search(text)


def escape(text: str, ascii_only: bool = False, keep_latex: bool = True) -> str:
    """``text`` as LaTeX: specials escaped; with ``ascii_only``, non-ASCII as LaTeX commands too.

    Math and macros in the text (``$K(\\pi, 1)$``, ``\\href{u}{t}``: what an import kept as typed) are
    written as they are and only the text around them is escaped, unless that would leave braces
    BibTeX cannot pair (or ``keep_latex`` is false): then everything is escaped.

    Without ``ascii_only`` non-ASCII characters stay UTF-8 (biber, and LaTeX's default UTF-8 input,
    read them), except those pdflatex cannot typeset, which become LaTeX where they have a form
    pdflatex takes (:mod:`litmap.formats.pdflatex`: ``s`` + combining breve -> ``{\\u{s}}``). With it,
    accents become ``{\\'e}``, dashes ``{\\textemdash}``, and a character with no LaTeX form its closest ASCII
    spelling (anyascii), so classic 8-bit ``bibtex`` sorts and abbreviates correctly.
    """
    if unchanged(text):  # the common case (normalising ASCII changes nothing)
        return text
    text = unicodedata.normalize("NFC", text)
    if not ascii_only and not _ANY_SPECIAL.search(text) and (text.isascii() or not UNTYPESET.search(text)):
        return text
    if keep_latex and ("$" in text or "\\" in text):
        pieces = latex_islands(text)
        if any(is_island for _piece, is_island in pieces):
            joined = "".join(piece if is_island else _escape_text(piece, ascii_only) for piece, is_island in pieces)
            if latex_balanced(joined):
                return joined
    return _escape_text(text, ascii_only)


def _escape_text(text: str, ascii_only: bool) -> str:
    if KEPT_DOLLAR in text:  # written as it is kept: escaped
        return KEPT_DOLLAR.join(_escape_text(part, ascii_only) for part in text.split(KEPT_DOLLAR))
    specials = BALANCED_SPECIALS if balanced(text) else SPECIALS
    if text.isascii() or not UNTYPESET.search(text):
        return "".join(_escape_char(c, ascii_only, specials) for c in text)
    out: list[str] = []
    for cluster in CLUSTER.findall(text):  # a character with its combining marks
        form = pdflatex_form(cluster) if (len(cluster) > 1 or not ascii_only) and UNTYPESET.search(cluster) else None
        out.append(form or "".join(_escape_char(c, ascii_only, specials) for c in cluster))
    return "".join(out)


def _escape_char(char: str, ascii_only: bool, specials: dict[str, str]) -> str:
    if char in specials:
        return specials[char]
    if ascii_only and ord(char) > 127:
        return _ascii_latex(char)
    return char


@lru_cache(maxsize=4096)
def _ascii_latex(char: str) -> str:
    """One non-ASCII character as ASCII LaTeX (pylatexenc), else its transliteration (anyascii)."""
    latex = _encoder().unicode_to_latex(char)
    if latex.isascii():
        return latex
    from anyascii import anyascii

    return escape(anyascii(char)) or "?"


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


def verbatim(value: str) -> str:
    """A URL, DOI or eprint id safe in a verbatim BibTeX field.

    Whitespace, braces, backslashes and non-ASCII characters are percent-encoded (UTF-8); all else
    (``%`` ``#`` ``_`` ``~`` ``&`` ...) is kept as typed, because ``\\url`` and biblatex's verbatim
    fields read it literally.
    """
    if value.isascii() and not _UNSAFE_IN_VERBATIM.search(value):
        return value
    return _UNSAFE_IN_VERBATIM.sub(lambda m: quote(m.group(0), safe=""), unicodedata.normalize("NFC", value))
