"""The command-line interface: typer commands that parse, call the core, and render."""

from litmap.cli import library_cmds, paper_cmds  # noqa: F401  (registers the commands)
from litmap.cli import category_cmds, curation_cmds  # noqa: F401  (curation: tag, tags, rm, edit, stats, category)
from litmap.cli import ingest_cmds  # noqa: F401  (ingest: add, import)
from litmap.cli import dedupe_cmds  # noqa: F401  (dedupe, merge)
from litmap.cli import export_cmds  # noqa: F401  (export bibtex, csl-json, markdown)
from litmap.cli import search_cmd  # noqa: F401  (search)
from litmap.cli.app import app, main

__all__ = ["app", "main"]
