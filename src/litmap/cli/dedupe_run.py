"""The body of ``litmap dedupe --json``, without typer or rich: the groups of duplicates as JSON.

Both the typer command (:mod:`litmap.cli.dedupe_cmds`) and the fast dispatcher (:mod:`litmap.cli.fast`)
call :func:`run_dedupe_json`, so the two paths print the same bytes.
"""

from __future__ import annotations

import sys

from litmap.cli import state


def run_dedupe_json(threshold: float) -> None:
    """Every group of duplicates (then of possible versions) of the library, as pretty JSON on stdout."""
    from litmap.cli.json_text import pretty_json
    from litmap.services.dedupe import library_duplicates

    found = library_duplicates(state.library(), threshold)
    sys.stdout.write(pretty_json([group.to_json() for group in found]) + "\n")
