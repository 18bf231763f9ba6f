"""The command-line interface: typer commands that parse, call the core, and render.

Importing this package is cheap: the typer app (``litmap.cli.app``, with every command registered)
is built on first use, so that the console script's fast dispatcher (:mod:`litmap.cli.fast`) can
run the hot reading commands without loading typer at all.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from litmap.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point: the hot commands through the fast dispatcher, the rest through typer."""
    from litmap.cli.fast import main as run

    run()


class _Package(types.ModuleType):
    """This package, whose ``app`` attribute is the typer app (built on first use), not the submodule
    ``litmap.cli.app`` that the import system would otherwise bind to that name."""

    @property
    def app(self) -> Any:
        from litmap.cli.commands import load_app

        return load_app()

    @app.setter
    def app(self, _submodule: Any) -> None:
        pass


sys.modules[__name__].__class__ = _Package
