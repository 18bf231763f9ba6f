"""The command-line interface: typer commands that parse, call the core, and render."""

# Importing the command modules registers their commands on the app.
from litmap.cli import (  # noqa: F401
    category_cmds,
    config_cmd,
    curation_cmds,
    dedupe_cmds,
    export_cmds,
    ingest_cmds,
    library_cmds,
    paper_cmds,
    reading_cmds,
    refresh_cmd,
    search_cmd,
    upgrade_cmd,
)
from litmap.cli.app import app, main

__all__ = ["app", "main"]
