"""The citekeys a pandoc Markdown draft cites (``.md``, ``.qmd``, ``.Rmd``), read as pandoc reads them.

Bracketed citations (``[@key]``, ``[see @a, p. 3; @b]``, ``[-@key]``), bare ones in the text
(``@key says``, ``@key [p. 3]``), braced keys (``@{key.with.dots}``) and the ``nocite`` metadata of
the YAML front matter (``nocite: '@*'`` is :data:`ALL`). Keys follow pandoc's rule: a letter, digit or
``_`` first, then alphanumerics, ``_`` and internal punctuation (``:.#$%&-+?<>~/``).

Not citations: an ``@`` after a letter or digit (an e-mail address), in code (fenced blocks, inline
code), in URLs and HTML comments, and references to the draft's own labels (``{#fig-plot}``, Quarto's
``#| label: fig-plot``). Quarto's and pandoc-crossref's references (``@fig-plot``, ``@tbl:data``) count
only if the library has such a key. Quarto's ``{{< include file.qmd >}}`` is followed.
"""

from __future__ import annotations

import re
from pathlib import Path

from litmap.drafts.scan import ALL, DraftScan, LabelledWalk, LineIndex, blank

# Each pattern starts with a literal character, so the regex engine skips ahead to it: lookbehinds
# come after it, never first (a 300-page thesis scans in well under 0.2 s).
_KEY = r"\w(?:\w|[:.#$%&\-+?<>~/](?=\w))*"
_CITATION = re.compile(r"@(?<![\w\\]@)(?:\{([^{}\n]*)\}|(" + _KEY + "))")
_NOCITE_KEY = re.compile(r"@(\*|" + _KEY + ")")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HIDDEN = re.compile(
    r"<(?:!--.*?-->|(?:https?|ftp|mailto):[^>\s]*>)"
    r"|https?://(?<!@\{https://)(?<!@\{http://)[^\s<>)\]]+|ftp://(?<!@\{ftp://)[^\s<>)\]]+",
    re.S,
)
_ID = re.compile(r"\{[^{}\n]*?#([\w\-:.]+)")
_CHUNK_LABEL = re.compile(r"#\|[ \t]*label:[ \t]*['\"]?([\w\-:.]+)")
_INCLUDE = re.compile(r"\{\{<\s*include\s+['\"]?([^'\">\s]+)['\"]?\s*>\}\}")
#: Cross-reference prefixes of Quarto (``@fig-plot``) and pandoc-crossref (``@fig:plot``).
_CROSSREF = re.compile(
    r"(?:fig|tbl|eq|sec|lst|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem|alg|tip|nte|wrn|imp|cau)[-:]\w", re.I
)


def scan(path: Path) -> DraftScan:
    """Every key cited by a pandoc Markdown file and the files it includes."""
    return _PandocWalk(Path(path)).run(f"no such draft: {path}")


class _PandocWalk(LabelledWalk):
    """One scan of a Markdown draft and the files it includes."""

    def read(self, path: Path, text: str) -> None:
        lines = LineIndex(text)
        front = _FRONT_MATTER.match(text)
        if front:
            self._nocite(front.group(1), path)
            text = blank(text, [front.span()])
        if "```" in text or "~~~" in text:
            fences = list(_FENCE.finditer(text))
            self.labels.update(m.group(1) for fence in fences for m in _CHUNK_LABEL.finditer(fence.group(0)))
            text = blank(text, [m.span() for m in fences])
        if "`" in text:
            text = blank(text, [m.span() for m in _INLINE_CODE.finditer(text)])
        text = blank(text, [m.span() for m in _HIDDEN.finditer(text)])
        self.labels.update(m.group(1) for m in _ID.finditer(text))
        events = [(m.start(), m) for m in _CITATION.finditer(text)]
        events += [(m.start(), m) for m in _INCLUDE.finditer(text)]
        for start, match in sorted(events, key=lambda e: e[0]):
            if match.re is _INCLUDE:
                name = match.group(1)
                self.follow(path.parent / name, f"{path}:{lines.line(start)}", f"{{{{< include {name} >}}}}")
            else:
                key = match.group(1) or match.group(2)
                self.refer(key, path, lines.line(start), "crossref" if _CROSSREF.match(key) else "ref")

    def _nocite(self, front: str, path: Path) -> None:
        """The keys of the ``nocite`` field: its line and the more indented lines after it."""
        lines = front.split("\n")
        for number, line in enumerate(lines):
            if not re.match(r"nocite\s*:", line):
                continue
            value = [line.split(":", 1)[1]]
            value += [more for more in _continuation(lines[number + 1 :])]
            for match in _NOCITE_KEY.finditer("\n".join(value)):
                self.cite(ALL if match.group(1) == "*" else match.group(1), path, number + 2)


def _continuation(lines: list[str]) -> list[str]:
    """The lines that continue a YAML value: indented, or list items, up to the next field."""
    taken = []
    for line in lines:
        if line and not line[0].isspace() and not line.startswith("-"):
            break
        taken.append(line)
    return taken
