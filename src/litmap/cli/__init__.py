"""The command-line interface: typer commands that parse, call the core, and render."""

from litmap.cli import library_cmds, paper_cmds  # noqa: F401  (registers the commands)
from litmap.cli.app import app, main

__all__ = ["app", "main"]
