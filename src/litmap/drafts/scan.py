"""What every draft scan returns, and the walk over a draft's files that every syntax shares.

A scan starts at one file, follows the files it includes (each once, however they nest), records
each cited key at its first citation, and lists what it could not follow and what it could not read
as a citation. It never fails on the draft's content, only on a missing or unreadable main file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from litmap.errors import InvalidValue

#: The key ``\nocite{*}`` (or pandoc's ``nocite: '@*'``) cites: every entry of the bibliography.
ALL = "*"
_MAX_DEPTH = 50
_NOT_NEWLINE = re.compile(r"[^\n]")


@dataclass(frozen=True)
class Citation:
    """One cited key and where it was first cited (file and line)."""

    key: str
    path: Path
    line: int

    @property
    def where(self) -> str:
        """``file:line``, as editors and compilers print locations."""
        return f"{self.path}:{self.line}"


@dataclass
class DraftScan:
    """What a scan found: citations in order of first appearance, and what it could not follow or read."""

    citations: list[Citation] = field(default_factory=list)
    #: Included files that are not there (``file:line: what``), e.g. TeX system files.
    unread: list[str] = field(default_factory=list)
    #: Text that may cite but was not read as a citation (``file:line: why``).
    warnings: list[str] = field(default_factory=list)
    #: Every file the scan read, the main file first (what ``--watch`` watches).
    files: list[Path] = field(default_factory=list)
    #: References that cite only if the library has the key (``@fig-plot`` may be a cross-reference).
    possible: list[Citation] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The cited keys, each once."""
        return [c.key for c in self.citations]


class DraftWalk:
    """The state of one scan: files entered, keys found; subclasses read one syntax."""

    what = "draft"

    def __init__(self, main: Path) -> None:
        self.main = main
        self.root = main.parent
        self.scan = DraftScan()
        self._found: dict[str, Citation] = {}
        self._stack: list[Path] = []
        self._maybe: dict[str, Citation] = {}

    def run(self, missing: str) -> DraftScan:
        """Scan from the main file; ``missing`` is the error when it is not there."""
        if not self.main.is_file():
            raise InvalidValue(missing)
        self.walk(self.main)
        self.finish()
        self.scan.citations = list(self._found.values())
        self.scan.possible = [c for key, c in self._maybe.items() if key not in self._found]
        return self.scan

    def finish(self) -> None:
        """Called once every file is read: decide what was pending (labels may come after their use)."""

    def walk(self, path: Path) -> None:
        """Read one file (and, through :meth:`read`, those it includes)."""
        text = self.enter(path)
        if text is None:
            return
        try:
            self.read(path, text)
        finally:
            self._stack.pop()

    def read(self, path: Path, text: str) -> None:  # pragma: no cover - every syntax overrides it
        """Record the citations in ``text``, the content of ``path``."""
        raise NotImplementedError

    def enter(self, path: Path) -> str | None:
        """The text of ``path``, pushed on the stack; None if already being read or nested too deep."""
        resolved = path.resolve()
        if resolved in self._stack or len(self._stack) > _MAX_DEPTH:
            return None
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise InvalidValue(f"cannot read the {self.what} {path}: {exc.strerror or exc}") from None
        self._stack.append(resolved)
        if path not in self.scan.files:
            self.scan.files.append(path)
        return text

    def cite(self, key: str, path: Path, line: int) -> None:
        """Record ``key`` as cited at ``path:line`` unless it was cited before."""
        if key not in self._found:
            self._found[key] = Citation(key, path, line)

    def maybe(self, key: str, path: Path, line: int) -> None:
        """Record ``key`` as a citation only if the library has it (it may be a cross-reference)."""
        if key not in self._maybe:
            self._maybe[key] = Citation(key, path, line)

    def follow(self, child: Path, where: str, shown: str) -> None:
        """Read the file an include names, or note ``where: shown (no such file)``."""
        if child.is_file():
            self.walk(child)
        else:
            self.scan.unread.append(f"{where}: {shown} (no such file)")


class LabelledWalk(DraftWalk):
    """A walk over a syntax in which ``@name`` cites a key or refers to a label of the draft itself.

    References wait until every file is read (a label may come after its use): a ``"ref"`` to a
    label of the draft is a cross-reference; a ``"crossref"`` (``@fig-plot``) that is not a label
    cites only if the library has the key; a ``"cite"`` (Typst's ``cite()``) always cites.
    """

    def __init__(self, main: Path) -> None:
        super().__init__(main)
        self.labels: set[str] = set()
        self._pending: list[tuple[str, Path, int, str]] = []

    def refer(self, key: str, path: Path, line: int, how: str = "ref") -> None:
        """Record a reference to ``key``, decided once every label is known."""
        self._pending.append((key, path, line, how))

    def finish(self) -> None:
        for key, path, line, how in self._pending:
            if how == "cite":
                self.cite(key, path, line)
            elif key in self.labels:
                continue
            elif how == "crossref":
                self.maybe(key, path, line)
            else:
                self.cite(key, path, line)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces, newlines kept (so offsets and lines still match)."""
    if not spans:
        return text
    pieces = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            start = position
        pieces.append(text[position:start])
        chunk = text[start:end]
        pieces.append(_NOT_NEWLINE.sub(" ", chunk) if "\n" in chunk else " " * len(chunk))
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


class LineIndex:
    """Line numbers of offsets in a text, counted on from the last offset asked for.

    Scans ask in increasing order, so the whole text is counted once, at C speed.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``."""
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line
