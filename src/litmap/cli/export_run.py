"""The body of ``litmap export <format>``, without typer: choose, render, write, report.

Both the typer command (:mod:`litmap.cli.export_cmds`) and the fast dispatcher (:mod:`litmap.cli.fast`,
for a whole-library export) call :func:`run_export`, so the two paths write the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from litmap.cli import state

if TYPE_CHECKING:
    from litmap.services.export import Exported, ExportScope, Selection


def run_export(
    format_name: str, selection: Selection, flags: dict[str, bool], output: Path | None, allow_missing: bool
) -> Exported:
    """Export ``selection`` in the format ``format_name``, write it to ``output`` (or stdout) and
    report what is missing (exit 1 on missing keys unless ``allow_missing``); the export made.
    A paper file that cannot be read is an error (LitmapError) before anything is written."""
    from litmap.formats import export_format
    from litmap.services.export import export_papers

    library = state.library()
    exported = export_papers(library, format_name, selection, flags)
    if library.broken:  # the export would be incomplete: nothing written, an existing -o FILE kept
        from litmap.cli.plain import said_left_out
        from litmap.errors import LitmapError

        where = f"nothing written to {output}" if output is not None else "nothing exported"
        raise LitmapError(f"{said_left_out(library.broken)}; {where} (run `litmap check`)")
    deliver(exported.text, output, exported.scope, export_format(format_name).wrote, allow_missing)
    return exported


def deliver(text: str, output: Path | None, scope: ExportScope, wrote: str, allow_missing: bool) -> None:
    """Write the export, then report what is missing; exit 1 on missing keys unless allowed."""
    write(text, output, scope.files)
    for line in scope.unread:
        note(f"Note: not followed: {line}")
    for line in scope.warnings:
        note(f"Warning: {line}")
    for paper_key, used, other in scope.double_cited:
        same = f"{used!r} and {other!r} are the same paper ({paper_key})"
        note(f"Warning: {same}; both keys are defined (cite one to list it once)")
    if output is not None:
        from litmap.cli.plain import one_in_singular

        count = len(scope.papers)
        note(f"Wrote {one_in_singular(wrote.format(count=count), count)} to {output}")
    if not scope.missing:
        return
    from litmap.errors import did_you_mean

    for missing in scope.missing:
        where = f"{missing.where}: " if missing.where else ""
        note(f"{where}no paper with key {missing.key!r}{did_you_mean(missing.suggestions)}")
    count = len(scope.missing)
    what = f"{count} key{'s are' if count > 1 else ' is'} not in the library"
    if allow_missing:
        note(f"Warning: {what} (exported the rest)")
        return
    from litmap.cli.app import bundled_hint, fail

    raise fail(f"{what}; the rest were exported (pass --allow-missing to accept this){bundled_hint()}")


def write(text: str, output: Path | None, inputs: list[Path]) -> None:
    """``text`` to ``output`` (atomically, unless it was edited by hand) or to standard output."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from litmap.store.user_files import write_user_file

    library = state.library()
    write_user_file(output, text, [*inputs, library.config_path, library.taxonomy_path])


def note(message: str) -> None:
    """One line on standard error."""
    sys.stderr.write(message + "\n")
