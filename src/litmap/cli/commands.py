"""Building the typer app: importing the command modules registers their commands on it."""

from __future__ import annotations

from typing import Any

#: The modules whose import registers their commands on the app.
COMMAND_MODULES = (
    "category_cmds",
    "config_cmd",
    "curation_cmds",
    "dedupe_cmds",
    "export_cmds",
    "ingest_cmds",
    "library_cmds",
    "paper_cmds",
    "reading_cmds",
    "refresh_cmd",
    "search_cmd",
    "upgrade_cmd",
)


def load_app() -> Any:
    """The typer app with every command registered."""
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"litmap.cli.{name}")
    return importlib.import_module("litmap.cli.app").app
