"""The citekeys a Typst draft (``.typ``) cites, following ``#include``.

References (``@key``, ``@key[p. 7]``; a trailing ``.`` or ``:`` ends the key, as in Typst) and the
``cite`` function (``#cite(<key>)``, ``#cite(label("key with spaces"), form: "prose")``). A reference
to a label the draft defines (``= Intro <intro>`` ... ``@intro``) is a cross-reference, not a
citation. Not citations either: ``@`` after a letter or digit (an e-mail address), escaped (``\\@``),
in raw text (```` ``` ```` blocks, `` `inline` ``), in comments and in URLs.
"""

from __future__ import annotations

import re
from pathlib import Path

from litmap.drafts.scan import DraftScan, DraftWalk, LineIndex, blank

# Each pattern starts with a literal character, so the regex engine skips ahead to it: lookbehinds
# come after it, never first (a 300-page thesis scans in well under 0.2 s).
_HIDDEN = re.compile(
    r"`(?:``.*?(?:```|\Z)|[^`]*`)|/(?:\*.*?(?:\*/|\Z)|/(?<!://)[^\n]*)|https?://[^\s<>()\[\]\"]+", re.S
)
_REFERENCE = re.compile(r"@(?<![\w\\@]@)(\w[\w\-:.]*)")
_CITE = re.compile(r"\((?:(?<=cite\()|(?<=ref\())\s*(?:<([^>\s]+)>|label\(\s*\"((?:[^\"\\]|\\.)*)\"\s*\))")
_LABEL = re.compile(r"<(?<![\w(<]<)([\w\-:.]+)>")
_INCLUDE = re.compile(r"include(?<!\winclude)\s*\(?\s*\"([^\"]+)\"")


def scan(path: Path) -> DraftScan:
    """Every key cited by a Typst file and the files it includes."""
    return _TypstWalk(Path(path)).run(f"no such draft: {path}")


class _TypstWalk(DraftWalk):
    def __init__(self, main: Path) -> None:
        super().__init__(main)
        self.labels: set[str] = set()
        #: (key, file, line, cited with ``cite()``): references wait until every label is known.
        self.pending: list[tuple[str, Path, int, bool]] = []

    def read(self, path: Path, text: str) -> None:
        lines = LineIndex(text)
        text = blank(text, [m.span() for m in _HIDDEN.finditer(text)])
        calls = [m for m in _CITE.finditer(text) if _function_name(text, m.start()) in ("cite", "ref")]
        text = blank(text, [m.span() for m in calls])
        self.labels.update(m.group(1) for m in _LABEL.finditer(text))
        events = [(m.start(), m) for m in calls]
        events += [(m.start(), m) for m in _REFERENCE.finditer(text)]
        events += [(m.start(), m) for m in _INCLUDE.finditer(text)]
        for start, match in sorted(events, key=lambda e: e[0]):
            if match.re is _INCLUDE:
                self._include(path, lines.line(start), match.group(1))
            elif match.re is _CITE:
                key = match.group(1) or match.group(2).replace('\\"', '"')
                cited = _function_name(text, start) == "cite"
                self.pending.append((key, path, lines.line(start), cited))
            else:
                self.pending.append((match.group(1).rstrip(".:"), path, lines.line(start), False))

    def finish(self) -> None:
        for key, path, line, cited in self.pending:
            if cited or key not in self.labels:
                self.cite(key, path, line)

    def _include(self, path: Path, line: int, name: str) -> None:
        child = (self.root / name.lstrip("/")) if name.startswith("/") else path.parent / name
        if child.is_file():
            self.walk(child)
        else:
            self.scan.unread.append(f'{path}:{line}: #include "{name}" (no such file)')


def _function_name(text: str, parenthesis: int) -> str:
    """The word just before the ``(`` at ``parenthesis``, if it is ``cite`` or ``ref`` and a whole word."""
    for name in ("cite", "ref"):
        start = parenthesis - len(name)
        if text.startswith(name, start) and (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")):
            return name
    return ""
