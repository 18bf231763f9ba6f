"""The citekeys a LaTeX draft cites, read from its ``.tex`` sources or from the ``.aux`` LaTeX wrote.

From ``.tex``: every citation command of LaTeX, natbib and biblatex (``\\cite``, ``\\citep``,
``\\citet``, ``\\citeauthor``, ``\\autocite``, ``\\parencite``, ``\\textcite``, ``\\footcite``, the
capitalised and starred forms, optional arguments, biblatex's multi-citations ``\\cites{a}[p.~3]{b}``)
and ``\\nocite``, following ``\\input``, ``\\include`` and ``\\subfile``; comments are skipped.
From ``.aux``: the ``\\citation`` lines of BibTeX and biblatex's ``\\abx@aux@cite``, following the
``\\@input`` lines that ``\\include`` leaves. ``\\nocite{*}`` is reported as :data:`ALL`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from litmap.errors import InvalidValue

#: The key ``\nocite{*}`` cites: every entry of the bibliography.
ALL = "*"

_CITE = re.compile(r"\\([A-Za-z]*cite[A-Za-z]*)\s*(\*?)")
#: Commands with "cite" in their name that do not take keys.
_NOT_CITATIONS = frozenset(
    {
        "citestyle",
        "citetext",
        "citesetup",
        "citereset",
        "citeindextype",
        "citeindextrue",
        "citeindexfalse",
        "citetrackertrue",
        "citetrackerfalse",
        "citeleft",
        "citeright",
        "citepunct",
        "citedash",
        "citecolon",
        "citeform",
        "citenumfont",
        "citeauthoryear",
        "citeyearpunct",
        "bibcitecolon",
        "pagetrackertrue",
    }
)
_INCLUDE = re.compile(r"\\(input|include|subfile|subfileinclude)\s*(?:\{([^}]*)\}|([^\s{}\\%]+))")
_AUX_CITE = re.compile(r"\\(?:citation|abx@aux@cite)\s*(?:\{\d+\})?\{([^}]*)\}")
_AUX_INPUT = re.compile(r"\\@input\{([^}]*)\}")
_COMMENT = re.compile(r"(?<!\\)%.*")
_MAX_DEPTH = 50


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
    """What a scan found: citations in order of first appearance, and inputs it could not follow."""

    citations: list[Citation] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The cited keys, each once."""
        return [c.key for c in self.citations]


def scan_tex(path: Path) -> DraftScan:
    """Every key cited by a ``.tex`` file and the files it inputs.

    Inputs are resolved as LaTeX does, from the main file's folder, ``.tex`` added when missing; an
    input that is not there (a TeX system file such as ``glyphtounicode``) is listed in ``unread``.
    """
    return _scan(Path(path), f"no such draft: {path}", _scan_tex)


def scan_aux(path: Path) -> DraftScan:
    """Every key in an ``.aux`` file and the ``.aux`` files it inputs (``\\include``)."""
    return _scan(Path(path), f"no such aux file: {path} (run LaTeX on the draft first)", _scan_aux)


def _scan(path: Path, missing: str, walk: Callable[..., None]) -> DraftScan:
    if not path.is_file():
        raise InvalidValue(missing)
    scan = DraftScan()
    found: dict[str, Citation] = {}
    walk(path, path.parent, found, [], scan.unread)
    scan.citations = list(found.values())
    return scan


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InvalidValue(f"cannot read the {what} {path}: {exc.strerror or exc}") from None


def _enter(path: Path, stack: list[Path], what: str) -> str | None:
    """Read ``path`` and push it on ``stack``; None if it is already being read or nesting is too deep."""
    resolved = path.resolve()
    if resolved in stack or len(stack) > _MAX_DEPTH:
        return None
    text = _read(path, what)
    stack.append(resolved)
    return text


def _scan_tex(path: Path, root: Path, found: dict[str, Citation], stack: list[Path], unread: list[str]) -> None:
    text = _enter(path, stack, "draft")
    if text is None:
        return
    body = "\n".join(_COMMENT.sub("", line) for line in text.splitlines())
    events: list[tuple[int, str, re.Match[str]]] = []
    events += [(m.start(), "cite", m) for m in _CITE.finditer(body)]
    events += [(m.start(), "include", m) for m in _INCLUDE.finditer(body)]
    for start, kind, match in sorted(events, key=lambda e: e[0]):
        line = body.count("\n", 0, start) + 1
        if kind == "include":
            name = (match.group(2) or match.group(3) or "").strip()
            child = _tex_file(root, name) if name else None
            if child is not None:
                _scan_tex(child, root, found, stack, unread)
            elif name:
                unread.append(f"{path}:{line}: \\{match.group(1)}{{{name}}} (no {name} or {name}.tex in {root})")
        elif match.group(1) not in _NOT_CITATIONS:
            for key in _cited_keys(body, match.end(), multi=match.group(1).endswith("cites")):
                found.setdefault(key, Citation(key, path, line))
    stack.pop()


def _tex_file(root: Path, name: str) -> Path | None:
    """The file ``\\input{name}`` reads: relative to the main file's folder, ``.tex`` added if needed."""
    candidate = root / name
    for option in (candidate.with_name(candidate.name + ".tex"), candidate):
        if option.is_file():
            return option
    return None


def _cited_keys(text: str, position: int, multi: bool) -> list[str]:
    """Keys of the citation whose arguments start at ``position`` (optional arguments skipped)."""
    keys: list[str] = []
    while True:
        position = _skip_optional(text, position)
        if position >= len(text) or text[position] != "{":
            return keys
        end = _closing(text, position, "{", "}")
        if end < 0:
            return keys
        keys.extend(_split_keys(text[position + 1 : end]))
        position = end + 1
        if not multi:
            return keys


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


def _split_keys(argument: str) -> list[str]:
    """Keys of one ``{a, b}`` argument; macro parameters (``#1``) and commands are not keys."""
    keys = [key.strip() for key in argument.split(",")]
    return [key for key in keys if key and "#" not in key and "\\" not in key]


def _scan_aux(path: Path, root: Path, found: dict[str, Citation], stack: list[Path], unread: list[str]) -> None:
    text = _enter(path, stack, "aux file")
    if text is None:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _AUX_CITE.finditer(line):
            for key in _split_keys(match.group(1)):
                found.setdefault(key, Citation(key, path, number))
        for match in _AUX_INPUT.finditer(line):
            child = root / match.group(1)
            if child.is_file():
                _scan_aux(child, root, found, stack, unread)
            else:
                unread.append(f"{path}:{number}: \\@input{{{match.group(1)}}} (no such file)")
    stack.pop()
