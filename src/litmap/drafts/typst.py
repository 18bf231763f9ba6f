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

from litmap.drafts.scan import DraftScan, LabelledWalk, LineIndex, blank

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


class _TypstWalk(LabelledWalk):
    """One scan of a Typst draft and the files it includes."""

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
                name = match.group(1)
                child = (self.root / name.lstrip("/")) if name.startswith("/") else path.parent / name
                self.follow(child, f"{path}:{lines.line(start)}", f'#include "{name}"')
            elif match.re is _CITE:
                key = match.group(1) or match.group(2).replace('\\"', '"')
                how = "cite" if _function_name(text, start) == "cite" else "ref"
                self.refer(key, path, lines.line(start), how)
            else:
                self.refer(match.group(1).rstrip(".:"), path, lines.line(start))


def _function_name(text: str, parenthesis: int) -> str:
    """The word just before the ``(`` at ``parenthesis``, if it is ``cite`` or ``ref`` and a whole word."""
    for name in ("cite", "ref"):
        start = parenthesis - len(name)
        if text.startswith(name, start) and (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")):
            return name
    return ""
