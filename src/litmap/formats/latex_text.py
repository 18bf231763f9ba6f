"""LaTeX-encoded text (as found in .bib files and arXiv titles) to plain Unicode, via pylatexenc.

``{\\"u}ber`` and ``\\'{e}`` become ``über`` and ``é``, ``--`` an en dash, ``\\&`` an ampersand;
case-protecting braces (``{BERT}``) are dropped; math (``$\\alpha$``, ``\\(\\Sigma\\)``) is kept as typed,
because no Unicode rendering of it is faithful; so is every macro litmap has no Unicode for
(``\\MaxMinAntSystem``, ``\\href{u}{t}``, ``\\url{…}``, ``\\cite{…}``), with its brace arguments and the
braces around it, so that an export writes it back as it came (:func:`latex_islands` finds them).
Known macros become their text: ``\\TeX`` -> TeX, ``\\slash`` -> /, ``\\mbox{x}`` -> x, ``\\emph{x}`` -> x.

pylatexenc costs about half a millisecond a string, which adds up on a 10k-entry import, so the
common cases (plain text, accents, escaped specials, dashes and quotes) take a fast path whose
results are tested to be exactly pylatexenc's; anything else (math, other macros, escaped braces)
goes to pylatexenc itself.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from litmap.formats.latex_islands import KEPT_DOLLAR, dollars, latex_islands

_NEEDS_LATEX = re.compile(r"[\\$~]|--|``|''")
#: Macros written as their text (pylatexenc has none for them).
_TEXT_MACROS = [
    ("TeX", "TeX"),
    ("LaTeX", "LaTeX"),
    ("LaTeXe", "LaTeX2ε"),
    ("BibTeX", "BibTeX"),
    ("slash", "/"),
    ("textless", "<"),
    ("textgreater", ">"),
]
#: Macros kept as typed even though pylatexenc knows them: its text would lose what they say.
_KEPT_MACROS = frozenset("url href path doi cite citep citet nocite ref eqref footnote".split())
#: Macros whose argument is plain text: ``\\mbox{x}`` is x.
_BOX = re.compile(r"\\(?:mbox|hbox|text|textnormal)\s*(?=\{)")
_PLACEHOLDER = 0xF0000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_BARE_PERCENT = re.compile(r"(?<!\\)%")

#: Accent commands and the combining character each puts on its letter.
_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
}
#: The spaces a control word swallows: blanks and one line break, not a paragraph break.
_EATEN = r"[ \t]*(?:\n(?![ \t]*\n)[ \t]*)?"
_SYMBOL_ACCENT = re.compile(
    r"\\(['`^\"~=.])\s*(?:\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|(\\[ij])(?![A-Za-z])" + _EATEN + r"|([A-Za-z]))"
)
_LETTER_ACCENT = re.compile(
    r"\\([uvHckrd])(?:\s*\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|\s+(\\[ij])(?![A-Za-z])" + _EATEN + r"|\s+([A-Za-z]))"
)
_SPECIAL_LETTERS = {
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
}
_SPECIAL_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L)(?![A-Za-z])(?:\{\}|" + _EATEN + ")")
_ESCAPED = re.compile(r"\\([%&#_])")


@lru_cache(maxsize=1)
def _converter() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    # Text-mode escapes pylatexenc lacks or maps to look-alikes (ˆ): Zotero and `litmap export bibtex`
    # write a lone brace as \textbraceleft, a caret as \textasciicircum.
    context = get_default_latex_context_db()
    escapes = [("textbraceleft", "{"), ("textbraceright", "}"), ("textasciicircum", "^"), *_TEXT_MACROS]
    context.add_context_category("litmap-escapes", prepend=True, macros=[MacroTextSpec(m, t) for m, t in escapes])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


def squash(text: str) -> str:
    """Runs of whitespace (line breaks, no-break spaces) become one space; ends stripped."""
    return " ".join(text.split())


def _accented(match: re.Match[str]) -> str:
    command = match.group(1)
    base = next(g for g in match.groups()[1:] if g)
    letter = {"\\i": "i", "\\j": "j"}.get(base, base)
    return unicodedata.normalize("NFC", letter + _COMBINING[command])


def _fast(value: str) -> str | None:
    """The plain text of ``value`` if only common constructs occur in it, else None."""
    if "$" in value or "\\{" in value or "\\}" in value:
        return None
    text = value
    if "\\" in text:
        text = _SYMBOL_ACCENT.sub(_accented, text)
        text = _LETTER_ACCENT.sub(_accented, text)
        text = _SPECIAL_LETTER.sub(lambda m: _SPECIAL_LETTERS[m.group(1)], text)
        text = _ESCAPED.sub(r"\1", text)
        if "\\" in text:
            return None
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”").replace("~", " ")
    return text.replace("{", "").replace("}", "")


def _kept_on_import(name: str) -> bool:
    """Whether an imported macro stays as typed: litmap knows no text for it (or its text loses meaning)."""
    if name in _KEPT_MACROS:
        return True
    if name in _TEXT_NAMES or name in _SPECIAL_LETTERS or (len(name) == 1 and name in _COMBINING) or name in "ij":
        return False
    return _converter().latex_context.get_macro_spec(name) is None


_TEXT_NAMES = frozenset(name for name, _ in _TEXT_MACROS) | {"mbox", "hbox", "text", "textnormal"}


@lru_cache(maxsize=65536)
def latex_to_text(value: str) -> str:
    """``value`` with LaTeX accents, escapes, dashes and braces turned into Unicode, whitespace squashed.

    Math and macros litmap has no text for are kept as typed (see :func:`latex_islands`).
    """
    if not _NEEDS_LATEX.search(value):
        return squash(value.replace("{", "").replace("}", ""))
    return _decoded(value, fast=True)


def pylatexenc_reading(value: str) -> str:
    """What :func:`latex_to_text` gives without its fast path (islands kept, the rest read by pylatexenc)."""
    return _decoded(value, fast=False)


#: An accent on nothing (``\^{}``, ``\~{}``) prints the accent itself: a caret, a tilde.
_BARE_ACCENT = re.compile(r"\\([\^~])\{\s*\}")
_BARE_ACCENT_MACRO = {"^": "\\textasciicircum{}", "~": "\\textasciitilde{}"}


def _decoded(value: str, fast: bool) -> str:
    text = _decoded_keeping(value, fast, escaped_dollars=False)
    if KEPT_DOLLAR in value and _math_of(text) != _math_of(value):
        # Decoded, the escaped dollars would pair up into math (Mendeley's ``{\$}B{\^{}}2{\$}``,
        # ``\$5--\$10``): they stay escaped, so that the library reads, and an export writes, dollars.
        text = _decoded_keeping(value, fast, escaped_dollars=True)
    return text


def _math_of(text: str) -> list[str]:
    """The math spans of ``text``, in order."""
    if "$" not in text and "\\" not in text:
        return []
    pieces = latex_islands(text, dollar_spans=False)
    return [piece for piece, is_island in pieces if is_island and piece.startswith(_MATH_OPENINGS)]


_MATH_OPENINGS = ("$", "\\(", "\\[")


def _decoded_keeping(value: str, fast: bool, escaped_dollars: bool) -> str:
    islands: list[str] = []
    if "$" in value or "\\" in value:
        marked: list[str] = []

        def keep(piece: str) -> None:
            marked.append(chr(_PLACEHOLDER + len(islands)))
            islands.append(piece)

        for piece, is_island in latex_islands(value, _kept_on_import, dollar_spans=escaped_dollars):
            if is_island:
                keep(piece)
                continue
            # Outside math, an accent on nothing is the accent itself.
            piece = _BARE_ACCENT.sub(lambda m: _BARE_ACCENT_MACRO[m.group(1)], piece)
            if not escaped_dollars:
                marked.append(piece)
                continue
            for index, part in enumerate(piece.split(KEPT_DOLLAR)):
                if index:
                    keep(KEPT_DOLLAR)
                marked.append(part)
        value = _BOX.sub("", "".join(marked))
    text = _fast(value) if fast else None
    if text is None:
        text = pylatexenc_text(value)
    for index, piece in enumerate(islands):
        text = text.replace(chr(_PLACEHOLDER + index), piece)
    return squash(text)


#: How an island of escaped math (Mendeley's ``{\\$}B{\\^{}}2{\\$}``) starts.
_ESCAPED_MATH = ("{" + KEPT_DOLLAR, KEPT_DOLLAR)


def _escaped_math_text(island: str) -> str:
    """An island of escaped math as text: its escapes decoded, its dollars plain."""
    return dollars(_decoded_keeping(island, fast=True, escaped_dollars=False))


def with_plain_dollars(text: str) -> str:
    """``text`` with its escaped math as text and the dollars kept escaped as dollars; other LaTeX as typed.

    For formats that print what the library keeps as LaTeX literally (Hayagriva).
    """
    if KEPT_DOLLAR not in text:
        return text
    return "".join(
        (_escaped_math_text(piece) if piece.startswith(_ESCAPED_MATH) else piece) if is_island else dollars(piece)
        for piece, is_island in latex_islands(text)
    )


def pylatexenc_text(value: str) -> str:
    """pylatexenc's reading of ``value`` (math kept verbatim, a bare % not taken for a comment)."""
    try:
        # A bare % would start a LaTeX comment and swallow the rest of the value.
        return str(_converter().latex_to_text(_BARE_PERCENT.sub(r"\\%", value)))
    except Exception:  # pylatexenc is tolerant; a parser crash must not lose the value
        return value.replace("{", "").replace("}", "")


def latex_to_paragraphs(value: str) -> str:
    """Like :func:`latex_to_text`, but blank lines (paragraph breaks) are kept as ``\\n\\n``."""
    return "\n\n".join(p for p in (latex_to_text(part) for part in _PARAGRAPH_BREAK.split(value)) if p)


_CITE = re.compile(r"^\\(?:[Cc]ite[a-z]*|[a-z]*cite[a-z]*|nocite)\*?\b")
_URL_ISLAND = re.compile(r"^\\url\s*\{(.*)\}$", re.DOTALL)
_HREF_ISLAND = re.compile(r"^\\href\s*\{[^{}]*\}\s*\{(.*)\}$", re.DOTALL)
_BARE_MACRO = re.compile(r"^\{?\\([A-Za-z]+)\}?$")


@lru_cache(maxsize=1)
def _math_reader() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text")


#: arXiv's listings show a URL in an abstract as the words "this http URL" (the link behind them).
_ARXIV_LINK_TEXT = re.compile(r"\bthis https? URL\b")
ARXIV_LINK_WORDS = "the link on the paper's arXiv page"
#: Text typed as LaTeX: a macro, an escaped special character or ``quotes''.
_TYPED_AS_LATEX = re.compile(r"\\[A-Za-z%&$#_{}]|``")
_BARE_AMPERSAND = re.compile(r"(?<!\\)&")


@lru_cache(maxsize=16384)
def readable(text: str) -> str:
    """Text for a reader (Markdown, HTML, CSL): what the library keeps as LaTeX turned into plain text.

    Text typed as LaTeX (an arXiv abstract: ``\\emph{x}``, ````quotes''``, ``\\%``, ``~``) is decoded;
    math becomes its Unicode reading (``$x\\Phi(x)$`` -> xΦ(x)), ``\\url{u}`` u, ``\\href{u}{t}`` t,
    a citation command goes, any other macro its text (or its name, when it has none). arXiv's
    "this http URL" (a link lost on copying) says where the link is instead.
    """
    if "this http" in text:
        text = _ARXIV_LINK_TEXT.sub(ARXIV_LINK_WORDS, text)
    if ("\\" in text or "``" in text) and _TYPED_AS_LATEX.search(text):
        text = latex_to_paragraphs(_BARE_AMPERSAND.sub(r"\\&", text))
    if "$" not in text and "\\" not in text:
        return text
    out: list[str] = []
    for piece, is_latex in latex_islands(text):
        if not is_latex:
            out.append(dollars(piece))
        elif _CITE.match(piece):
            if out:
                out[-1] = out[-1].rstrip()
        elif match := _URL_ISLAND.match(piece):
            out.append(match.group(1))
        elif match := _HREF_ISLAND.match(piece):
            out.append(latex_to_text(match.group(1)))
        elif piece.startswith(_ESCAPED_MATH):
            out.append(_escaped_math_text(piece))
        else:
            try:
                shown = str(_math_reader().latex_to_text(piece)).strip()
            except Exception:  # pylatexenc is tolerant; never lose the text over it
                shown = ""
            bare = _BARE_MACRO.match(piece)
            out.append(shown or (bare.group(1) if bare else piece))
    return "".join(out)
