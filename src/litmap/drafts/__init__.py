"""Draft scanning: which keys a document cites, with the file and line of each citation.

A draft syntax is one module with a ``scan(path) -> DraftScan`` function (see :mod:`litmap.drafts.scan`
for the walk every syntax shares) plus one :func:`register_syntax` call naming the file extensions it
reads. :func:`scan_draft` then picks the syntax by extension (or by name), and the export commands
find a draft's citations without knowing its syntax. Built-in: ``latex`` (``.tex``), ``aux`` (the
``.aux`` LaTeX writes), ``typst`` (``.typ``) and ``pandoc`` (``.md``, ``.qmd``, ``.Rmd``). Importing this
package does not import the syntaxes' modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from litmap.errors import InvalidValue
from litmap.registry import Registry, resolve

if TYPE_CHECKING:
    from litmap.drafts.scan import DraftScan

__all__ = ["DraftSyntax", "draft_syntaxes", "register_syntax", "scan_draft", "syntax_for"]


@dataclass(frozen=True)
class DraftSyntax:
    """The registration of a draft syntax: its name, the extensions it reads, its scan function.

    ``scan`` is a callable or ``"module:function"`` (imported on first use).
    """

    name: str
    extensions: tuple[str, ...]
    scan: Callable[[Path], DraftScan] | str
    description: str = ""

    def scanner(self) -> Callable[[Path], DraftScan]:
        """The scan function (importing its module if it is named as text)."""
        scan: Callable[[Path], DraftScan] = resolve(self.scan)
        return scan


_SYNTAXES: Registry[DraftSyntax] = Registry()


def register_syntax(syntax: DraftSyntax) -> DraftSyntax:
    """Add (or replace) a draft syntax; files with its extensions are scanned with it."""
    return _SYNTAXES.add(syntax.name, syntax)


def unregister_syntax(name: str) -> None:
    """Forget a registered syntax (tests register toy ones and clean up)."""
    _SYNTAXES.remove(name)


def draft_syntaxes() -> list[DraftSyntax]:
    """The registered syntaxes, in registration order."""
    return list(_SYNTAXES)


def syntax_for(path: Path, name: str | None = None) -> DraftSyntax:
    """The syntax called ``name``, else the one reading ``path``'s extension; InvalidValue if none."""
    if name is not None:
        if name.lower() not in _SYNTAXES:
            raise InvalidValue(f"unknown draft syntax {name!r} (known: {', '.join(_SYNTAXES.names())})")
        return _SYNTAXES[name.lower()]
    suffix = Path(path).suffix.lower()
    for syntax in _SYNTAXES:
        if suffix in syntax.extensions:
            return syntax
    known = ", ".join(ext for s in _SYNTAXES for ext in s.extensions)
    names = "|".join(_SYNTAXES.names())
    raise InvalidValue(f"{path}: not a draft litmap can read (drafts end in {known}; or pass --draft-syntax {names})")


def scan_draft(path: Path, syntax: str | None = None) -> DraftScan:
    """The citations of the draft at ``path``, read with ``syntax`` (default: chosen by extension)."""
    return syntax_for(path, syntax).scanner()(Path(path))


register_syntax(DraftSyntax("latex", (".tex", ".ltx"), "litmap.drafts.latex:scan_tex", "LaTeX sources"))
register_syntax(DraftSyntax("aux", (".aux",), "litmap.drafts.aux:scan_aux", "the .aux file LaTeX writes"))
register_syntax(DraftSyntax("typst", (".typ",), "litmap.drafts.typst:scan", "Typst: @key, #cite(<key>)"))
register_syntax(
    DraftSyntax(
        "pandoc",
        (".md", ".markdown", ".qmd", ".rmd"),
        "litmap.drafts.pandoc:scan",
        "pandoc Markdown, Quarto, R Markdown",
    )
)
