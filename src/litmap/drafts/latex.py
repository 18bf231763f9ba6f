"""The citekeys a LaTeX draft cites, read from its ``.tex`` sources.

Every citation command of LaTeX, natbib and biblatex (see :mod:`litmap.drafts.latex_commands`):
capitalised and starred forms, pre- and post-notes, biblatex's multi-citations
(``\\cites(pre)(post)[a][b]{k1}[c]{k2}``), ``\\nocite`` (``\\nocite{*}`` is :data:`ALL`), and the
citation macros the draft defines itself (``\\newcommand{\\mycite}[1]{\\citep{#1}}``). Files named by
``\\input``, ``\\include`` and ``\\subfile`` are followed; comments are skipped. A command with "cite"
in its name that litmap does not know, given a braced argument, is a warning at its first use,
never a silent miss. Verbatim text (``verbatim``, ``lstlisting``, ``minted``, ``\\verb|...|``) holds
examples, not citations.
"""

from __future__ import annotations

import re
from pathlib import Path

from litmap.drafts.latex_commands import layout_of, takes_no_keys
from litmap.drafts.scan import ALL, Citation, DraftScan, DraftWalk, LineIndex, blank

__all__ = ["ALL", "Citation", "DraftScan", "scan_tex"]

_CITE = re.compile(r"\\([A-Za-z]*[Cc]ite[A-Za-z]*)\s*\*?")
_INCLUDE = re.compile(r"\\(input|include|subfile|subfileinclude)\s*(?:\{([^}]*)\}|([^\s{}\\%]+))")
_DEFINITION = re.compile(
    r"\\(?:(?:re|provide)?newcommand|DeclareRobustCommand)\*?\s*(?:\{\s*\\(?P<new>[A-Za-z]+)\s*\}|\\(?P<newb>[A-Za-z]+))"
    r"\s*(?:\[\s*(?P<count>\d)\s*\])?\s*(?P<default>\[)?"
    r"|\\[egx]?def\s*\\(?P<def>[A-Za-z]+)(?P<params>(?:#\d)*)\s*(?=\{)"
)
_COMMENT = re.compile(r"(?<!\\)%.*")
#: Verbatim text, where ``\cite{x}`` is an example, not a citation.
_VERBATIM = re.compile(
    r"\\begin\{(verbatim\*?|Verbatim\*?|lstlisting|minted|comment|alltt)\}.*?(?:\\end\{\1\}|\Z)"
    r"|\\(?:verb|lstinline|mintinline\{[^}]*\})\*?([^\w\s{])[^\n]*?\2",
    re.S,
)
_PARAMETER = re.compile(r"#(\d)")


def scan_tex(path: Path) -> DraftScan:
    """Every key cited by a ``.tex`` file and the files it inputs.

    Inputs are resolved as LaTeX does, from the main file's folder, ``.tex`` added when missing; an
    input that is not there (a TeX system file such as ``glyphtounicode``) is listed in ``unread``.
    """
    walk = _TexWalk(Path(path))
    scan = walk.run(f"no such draft: {path}")
    scan.warnings.extend(walk.unknown_commands())
    return scan


class _TexWalk(DraftWalk):
    """One scan of a ``.tex`` tree: citations, the macros the draft defines, unknown commands."""

    def __init__(self, main: Path) -> None:
        super().__init__(main)
        #: Macros the draft defines: name -> the mandatory argument that holds keys (None: no keys).
        self.macros: dict[str, int | None] = {}
        #: Unknown ``\...cite...{}`` commands: name -> (first place, uses).
        self.unknown: dict[str, tuple[str, int]] = {}

    def read(self, path: Path, text: str) -> None:
        if "\\begin{" in text or "\\verb" in text or "inline" in text:
            text = blank(text, [m.span() for m in _VERBATIM.finditer(text)])
        body = "\n".join(_COMMENT.sub("", line) for line in text.splitlines())
        lines = LineIndex(body)
        events: list[tuple[int, int, re.Match[str]]] = []
        events += [(m.start(), 0, m) for m in _DEFINITION.finditer(body)]
        events += [(m.start(), 1, m) for m in _INCLUDE.finditer(body)]
        events += [(m.start(), 2, m) for m in _CITE.finditer(body)]
        for start, kind, match in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 0:
                self._define(body, match)
            elif kind == 1:
                self._include(path, lines.line(start), match)
            else:
                self._cite(body, path, lines.line(start), match)

    def _include(self, path: Path, line: int, match: re.Match[str]) -> None:
        name = (match.group(2) or match.group(3) or "").strip()
        child = _tex_file(self.root, name) if name else None
        if child is not None:
            self.walk(child)
        elif name:
            self.scan.unread.append(
                f"{path}:{line}: \\{match.group(1)}{{{name}}} (no {name} or {name}.tex in {self.root})"
            )

    def _cite(self, body: str, path: Path, line: int, match: re.Match[str]) -> None:
        name = match.group(1)
        layout = layout_of(name)
        if layout is not None:
            arguments = _arguments(body, match.end(), 1 if layout == "single" else None)
            chosen = arguments[1::2] if layout == "volume" else arguments
            keys = [key for argument in chosen for key in _keys(argument)]
        elif name in self.macros:
            index = self.macros[name]
            arguments = _arguments(body, match.end(), index + 1) if index is not None else []
            keys = _keys(arguments[index]) if index is not None and len(arguments) > index else []
        else:
            if not takes_no_keys(name) and _arguments(body, match.end(), 1):
                where, uses = self.unknown.get(name, (f"{path}:{line}", 0))
                self.unknown[name] = (where, uses + 1)
            return
        for key in keys:
            self.cite(key, path, line)

    def _define(self, body: str, match: re.Match[str]) -> None:
        """Learn a macro the draft defines; one that passes an argument on as keys cites too."""
        name = match.group("new") or match.group("newb") or match.group("def")
        if match.group("def"):
            mandatory = [True] * match.group("params").count("#")
        else:
            count = int(match.group("count") or 0)
            mandatory = [not match.group("default")] + [True] * (count - 1) if count else []
        position = _skip_optional(body, match.start("default")) if match.group("default") else match.end()
        while position < len(body) and body[position].isspace():
            position += 1
        end = _closing(body, position, "{", "}") if body.startswith("{", position) else -1
        self.macros[name] = _key_parameter(body[position + 1 : end], mandatory) if end > 0 else None

    def unknown_commands(self) -> list[str]:
        """One warning per unknown citation command, at its first use."""
        lines = []
        for name, (where, uses) in self.unknown.items():
            count = "once" if uses == 1 else f"{uses} times"
            lines.append(
                f"{where}: \\{name} is not a citation command litmap knows (used {count}); its keys are not exported"
            )
        return lines


def _key_parameter(definition: str, mandatory: list[bool]) -> int | None:
    """The mandatory argument of a macro that its definition passes to a citation command as keys."""
    for match in _CITE.finditer(definition):
        if layout_of(match.group(1)) is None:
            continue
        for argument in _arguments(definition, match.end(), 1):
            parameter = _PARAMETER.fullmatch(argument.strip())
            number = int(parameter.group(1)) if parameter else 0
            if 0 < number <= len(mandatory) and mandatory[number - 1]:
                return sum(mandatory[: number - 1])
    return None


def _tex_file(root: Path, name: str) -> Path | None:
    """The file ``\\input{name}`` reads: relative to the main file's folder, ``.tex`` added if needed."""
    candidate = root / name
    for option in (candidate.with_name(candidate.name + ".tex"), candidate):
        if option.is_file():
            return option
    return None


def _arguments(text: str, position: int, limit: int | None) -> list[str]:
    """The consecutive braced arguments starting at ``position`` (notes in ``[]``/``()`` skipped)."""
    arguments: list[str] = []
    while limit is None or len(arguments) < limit:
        position = _skip_optional(text, position)
        if position >= len(text) or text[position] != "{":
            break
        end = _closing(text, position, "{", "}")
        if end < 0:
            break
        arguments.append(text[position + 1 : end])
        position = end + 1
    return arguments


def _skip_optional(text: str, position: int) -> int:
    """Past whitespace and any ``[...]`` / ``(...)`` arguments (biblatex's multicite uses both)."""
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position < len(text) and text[position] in "[(":
            opening = text[position]
            end = _closing(text, position, opening, "]" if opening == "[" else ")")
            if end < 0:
                return len(text)
            position = end + 1
        else:
            return position


def _closing(text: str, start: int, opening: str, closing: str) -> int:
    """Index of the delimiter that closes the one at ``start`` (nesting and braces respected)."""
    depth = 0
    brace = 0
    index = start
    while index < len(text):
        char = text[index]
        index += 1
        if char == "\\":
            index += 1
            continue
        if opening != "{" and char == "{":
            brace += 1
        elif opening != "{" and char == "}":
            brace -= 1
        elif brace == 0 and char == opening:
            depth += 1
        elif brace == 0 and char == closing:
            depth -= 1
            if depth == 0:
                return index - 1
    return -1


def _keys(argument: str) -> list[str]:
    """Keys of one ``{a, b}`` argument; macro parameters (``#1``) and commands are not keys."""
    keys = [key.strip() for key in argument.split(",")]
    return [key for key in keys if key and "#" not in key and "\\" not in key]
