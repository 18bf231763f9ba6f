"""litmap: a command-line bibliography and taxonomy manager, usable from Python in one import::

    import litmap

    lib = litmap.open_library()          # the library the CLI would use (or pass a path)
    for paper in lib.search("superposition"):
        print(paper.key, paper.title)
    bib = lib.export("bibtex", keys=["elhage2022toy"])

Importing ``litmap`` is cheap: the names below are loaded on first use (see :mod:`litmap.api`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from litmap.api import Library, init_library, open_library
    from litmap.errors import LitmapError
    from litmap.models import Author, Category, Paper

__all__ = ["Author", "Category", "Library", "LitmapError", "Paper", "__version__", "init_library", "open_library"]

_LAZY = {
    "open_library": "litmap.api",
    "init_library": "litmap.api",
    "Library": "litmap.api",
    "LitmapError": "litmap.errors",
    "Paper": "litmap.models",
    "Author": "litmap.models",
    "Category": "litmap.models",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'litmap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
