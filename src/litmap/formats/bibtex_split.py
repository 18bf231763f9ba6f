"""A .bib text split into blocks exactly as bibtexparser 2's splitter splits it, about five times faster.

bibtexparser's splitter steps through every mark (each brace, quote, comma, equals sign and line
break) one Python call at a time. Here a well-formed ``@type{key, name = value, ...}`` entry is read
by jumping from one mark that matters to the next (inside a braced value only braces matter), with
the lines counted from the text. Any other block (``@string``, ``@comment``, ``@preamble``, a
``(``-delimited one, and every block with something unusual in it: an ``@`` at a line start, a
missing comma, a dangling key...) is handed to bibtexparser's own splitter, started at that block,
so it fails with the same error and the next block starts where it would. The blocks go into a
bibtexparser ``Library`` (which marks duplicate keys) as its splitter would put them, less the
implicit comments between blocks, the ``raw`` text of the entries read here and the lines of their
fields (litmap reads none of these); plus a :class:`StrayLine` failed block for each line between
blocks that starts with ``@`` (which BibTeX reads as a command) but starts no block, where
bibtexparser sees a comment.
"""

from __future__ import annotations

import re
from typing import Any

from bibtexparser import model
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.library import Library
from bibtexparser.splitter import _MARK_PATTERN, Splitter

_AT = r"@[\w]*( |\t)*(?=[{(])"
#: Where a block starts (as bibtexparser's splitter sees it: also inside text between blocks).
_BLOCK_START = re.compile(_AT)
#: The marks that matter between an entry's fields and in a bare value (line breaks are counted apart).
_FIELD_MARK = re.compile(r'(?<!\\)[{}",=]|' + _AT)
#: ... inside a braced value.
_IN_BRACES = re.compile(r"(?<!\\)[{}]|" + _AT)
#: ... inside a quoted value.
_IN_QUOTES = re.compile(r'(?<!\\)"|' + _AT)
_SPECIAL_BLOCKS = ("@comment", "@preamble", "@string")
#: A line between blocks starting with "@" (not ``@comment``, which BibTeX lets go without braces).
_STRAY_AT = re.compile(r"^[ \t]*(@(?!comment\b)[^\n]*)", re.MULTILINE | re.IGNORECASE)

# One field, ``name = value`` and the "," or "}" after it, in one match, when no "@" and no backslash
# before a character that is a mark there make it unusual: braces nest up to two deep, and a quoted
# value's closing quote is not one after "{" (bibtexparser reads {"} as a quote inside the value).
# Tokens are told apart by their first character, so possessive repeats lose nothing, never backtrack.
_ESCAPE = r'\\[^{}",\\@]'  # between the values: braces, quotes and commas are marks
_IN_GROUP = r"(?:[^{}@\\]++|\\[^{}\\@])"  # in braces: only braces are
_BRACED = r"\{(?:" + _IN_GROUP + r"|\{" + _IN_GROUP + r"*+\})*+\}"
_QUOTED = r'"(?:[^"@\\]++|\\[^"\\@])*+(?<!\{)"'  # in quotes: only quotes are
_FIELD = re.compile(r'([^{}",=@\\]*+)=((?:[^{}",@\\]++|' + _ESCAPE + "|" + _BRACED + "|" + _QUOTED + r")*+)([,}])")


class StrayLine(Exception):
    """A line between blocks that starts with ``@`` but is no entry, ``@comment``, ``@preamble`` or ``@string``."""


class _Unusual(Exception):
    """The entry is not one the fast reading handles: bibtexparser's splitter reads it instead."""


class _Lines:
    """The splitter's line of a position: the line breaks before it (not those after a backslash,
    which are no marks to bibtexparser), less the one it puts in front of the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.count = -1

    def at(self, position: int) -> int:
        """The line of ``position`` (counted on from the last position asked for, if not after it from the start)."""
        text, start = self.text, self.position
        if position < start:
            start, self.count = 0, -1
        self.count += text.count("\n", start, position) - text.count("\\\n", max(start - 1, 0), position)
        self.position = position
        return self.count


def _at_line_start(text: str, position: int) -> bool:
    """As bibtexparser's ``_is_at_line_start``: only whitespace between the line start and ``position``."""
    for i in range(position - 1, -1, -1):
        char = text[i]
        if char == "\n":
            return True
        if not char.isspace():
            return False
    return True


def split_bibtex(text: str) -> Library:
    """The blocks of ``text``, as ``bibtexparser.parse_string(text, parse_stack=[])`` gives them
    (less implicit comments, and the raw text and field lines of the entries read here)."""
    splitter = Splitter(text)
    bibstr = splitter.bibstr
    lines = _Lines(bibstr)
    library = Library()
    position = 0
    while (start := _BLOCK_START.search(bibstr, position)) is not None:
        _add_stray_lines(library, bibstr, position, start.start(), lines)
        line = lines.at(start.start())
        block: Any = None
        if bibstr[start.end()] == "{" and not start.group(0).lower().startswith(_SPECIAL_BLOCKS):
            try:
                block, position = _entry(bibstr, start, line)
            except _Unusual:
                block = None
        if block is None:
            block, position = _by_bibtexparser(splitter, start, line)
        library.add(block, fail_on_duplicate_key=False)
    _add_stray_lines(library, bibstr, position, len(bibstr), lines)
    return library


def _add_stray_lines(library: Library, bibstr: str, start: int, end: int, lines: _Lines) -> None:
    """A failed block for each line of ``bibstr[start:end]`` (text between blocks) starting with ``@``."""
    for stray in _STRAY_AT.finditer(bibstr, start, end):
        text = stray.group(1).strip()
        shown = text if len(text) <= 60 else text[:59] + "…"
        error = StrayLine(f"the line starts with '@' but is not an entry, @comment, @preamble or @string: '{shown}'")
        library.add(model.ParsingFailedBlock(start_line=lines.at(stray.start(1)), raw=text, error=error))


def _entry(bibstr: str, start: re.Match[str], line: int) -> tuple[Any, int]:
    """A well-formed ``{``-delimited entry starting at ``start`` and the position after it; else _Unusual."""
    comma = _FIELD_MARK.search(bibstr, start.end() + 1)
    if comma is None or comma.group(0) != ",":
        raise _Unusual
    key = bibstr[start.end() + 1 : comma.start()].strip()
    fields: list[model.Field] = []
    names: set[str] = set()
    twice: set[str] = set()
    name_start = comma.end()
    while True:
        field = _FIELD.match(bibstr, name_start)
        if field is not None:
            equals_at, value_end = field.start(2) - 1, field.end(2)
        else:
            equals = _FIELD_MARK.search(bibstr, name_start)
            if equals is None:
                raise _Unusual
            if equals.group(0) == "}":
                if bibstr[name_start : equals.start()].strip():
                    raise _Unusual
                end = equals.end()
                break
            if equals.group(0) != "=":
                raise _Unusual
            equals_at, value_end = equals.start(), _value_end(bibstr, equals.end())
        name = bibstr[name_start:equals_at].strip()
        if name in names:
            twice.add(name)
        names.add(name)
        value = bibstr[equals_at + 1 : value_end].strip()
        fields.append(model.Field(key=name, value=value))
        name_start = value_end + 1 if bibstr[value_end] == "," else value_end
    entry = model.Entry(start_line=line, entry_type=start.group(0).lower()[1:].strip(), key=key, fields=fields)
    return (model.DuplicateFieldKeyBlock(duplicate_keys=twice, entry=entry) if twice else entry), end


def _value_end(bibstr: str, position: int) -> int:
    """Where the value starting at ``position`` ends: the ``,`` or ``}`` after it; else _Unusual."""
    depth = 0
    quoted = False
    while True:
        pattern = _IN_BRACES if depth else _IN_QUOTES if quoted else _FIELD_MARK
        mark = pattern.search(bibstr, position)
        if mark is None:
            raise _Unusual  # the end of the file
        char, at = mark.group(0), mark.start()
        position = mark.end()
        if char[0] == "@":
            if _at_line_start(bibstr, at):
                raise _Unusual  # bibtexparser gives up on the entry here
        elif depth:
            depth += 1 if char == "{" else -1
        elif quoted:
            # {"} is a quote inside a quoted value (bibtexparser's rule, with its bounds check).
            if not (at > 0 and at + 2 < len(bibstr) and bibstr[at - 1] == "{" and bibstr[at + 1] == "}"):
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth = 1
        elif char != "=":
            return at  # a "," or the entry's closing "}"


def _by_bibtexparser(splitter: Any, start: re.Match[str], line: int) -> tuple[Any, int]:
    """The block starting at ``start`` as bibtexparser's splitter reads it (the body of its ``split``
    loop, less the logging), and the position its reading goes on from."""
    splitter._markiter = _MARK_PATTERN.finditer(splitter.bibstr, start.start())
    splitter._unaccepted_mark = None
    splitter._closing_delimiter = "}"
    splitter._current_line = line
    mark = splitter._next_mark(accept_eof=True)
    assert mark is not None and mark.start() == start.start()
    kind = mark.group(0).lower()
    block: Any
    try:
        splitter._open_block(mark)
        if kind.startswith("@comment"):
            block = splitter._handle_explicit_comment(mark)
        elif kind.startswith("@preamble"):
            block = splitter._handle_preamble(mark)
        elif kind.startswith("@string"):
            block = splitter._handle_string(mark)
        else:
            block = splitter._handle_entry(mark, kind)
    except BlockAbortedException as exc:
        # Without its traceback: its frames would hold the library, every block a garbage cycle.
        exc.with_traceback(None)
        block = model.ParsingFailedBlock(start_line=line, raw=splitter.bibstr[mark.start() : exc.end_index], error=exc)
    splitter._close_block()
    unaccepted = splitter._unaccepted_mark
    return block, unaccepted.start() if unaccepted is not None else splitter._current_char_index + 1
