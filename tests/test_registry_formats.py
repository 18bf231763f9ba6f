"""A new export format, or a new draft syntax, is one registration: toy ones registered here work through the CLI.

Nothing in litmap is edited for them: ``litmap export toy`` gets every selection option the built-in
formats have (keys, ``-``, ``--category``, ``--tag``, ``--query``, drafts, ``-o``, ``--allow-missing``)
and its own flag; a draft ending in ``.toy`` is scanned by the toy syntax wherever drafts are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from litmap.drafts import DraftSyntax, register_syntax, unregister_syntax
from litmap.drafts.scan import Citation, DraftScan
from litmap.formats import ExportContext, ExportFormat, FormatFlag, register_format, unregister_format
from litmap.models import Paper


def render_toy(papers: Sequence[Paper], context: ExportContext) -> str:
    """One line per paper: ``key | title`` (upper-cased with --shout), under the library's name."""
    lines = [f"# {context.library_name} ({context.category or 'all'})"]
    for paper in papers:
        title = paper.title.upper() if context.flags.get("shout") else paper.title
        lines.append(f"{paper.key} | {title}")
    return "\n".join(lines) + "\n"


def scan_toy(path: Path) -> DraftScan:
    """A toy draft cites with ``@cite(key)``."""
    scan = DraftScan(files=[path])
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for key in re.findall(r"@cite\(([^)]+)\)", line):
            if all(c.key != key for c in scan.citations):
                scan.citations.append(Citation(key, path, number))
    return scan


@pytest.fixture
def toy_format() -> Iterator[None]:
    register_format(
        ExportFormat(
            name="toy",
            render=render_toy,
            help="Export papers as toy lines.",
            examples=("litmap export toy --shout",),
            flags=(FormatFlag("shout", "--shout", "Upper-case the titles."),),
            wrote="{count} toy lines",
        )
    )
    yield
    unregister_format("toy")


@pytest.fixture
def toy_syntax() -> Iterator[None]:
    register_syntax(DraftSyntax("toy", (".toy",), scan_toy, "toy drafts"))
    yield
    unregister_syntax("toy")


def test_a_registered_format_is_an_export_command(invoke, bundled_copy: Path, toy_format: None) -> None:  # type: ignore[no-untyped-def]
    listing = invoke("export", "--help").stdout
    assert "toy" in listing and "Export papers as toy lines." in listing
    help_text = invoke("export", "toy", "--help").stdout
    for option in ("--category", "--tag", "--query", "--tex", "--aux", "--output", "--allow-missing", "--shout"):
        assert option in help_text
    result = invoke("export", "toy", "elhage2022toy", "--shout")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "elhage2022toy | TOY MODELS OF SUPERPOSITION"


def test_the_format_shares_the_selection_options(invoke, bundled_copy: Path, tmp_path: Path, toy_format: None) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "papers.toy"
    result = invoke("export", "toy", "--category", "superposition", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith("(superposition)")
    assert "elhage2022toy | Toy Models of Superposition" in lines
    assert f"Wrote {len(lines) - 1} toy lines to {out}" in result.stderr
    piped = invoke("export", "toy", "-", input="olah2020zoom, elhage2022toy\n")
    assert [line.split(" | ")[0] for line in piped.stdout.splitlines()[1:]] == ["elhage2022toy", "olah2020zoom"]
    missing = invoke("export", "toy", "elhage2022toi")
    assert missing.exit_code == 1
    assert "no paper with key 'elhage2022toi'; did you mean 'elhage2022toy'?" in missing.stderr


def test_a_registered_draft_syntax_is_read_by_its_extension(tmp_path: Path, toy_syntax: None) -> None:
    from litmap.drafts import scan_draft, syntax_for

    draft = tmp_path / "paper.toy"
    draft.write_text("As @cite(elhage2022toy) shows,\nand @cite(olah2020zoom).\n", encoding="utf-8")
    assert syntax_for(draft).name == "toy"
    scan = scan_draft(draft)
    assert [(c.key, c.line) for c in scan.citations] == [("elhage2022toy", 1), ("olah2020zoom", 2)]


def test_a_registered_draft_syntax_works_through_export(
    invoke, bundled_copy: Path, tmp_path: Path, toy_format: None, toy_syntax: None
) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "paper.toy"
    draft.write_text("See @cite(olah2020zoom) and @cite(elhage2022toi).\n", encoding="utf-8")
    result = invoke("export", "toy", "--draft", str(draft))
    assert result.exit_code == 1  # one cited key is not in the library
    assert [line.split(" | ")[0] for line in result.stdout.splitlines()[1:]] == ["olah2020zoom"]
    assert f"{draft}:1: no paper with key 'elhage2022toi'; did you mean 'elhage2022toy'?" in result.stderr


def test_a_draft_of_an_unknown_syntax_is_one_clear_error(tmp_path: Path) -> None:
    from litmap.drafts import scan_draft
    from litmap.errors import InvalidValue

    with pytest.raises(InvalidValue, match=r"paper\.docx: not a draft litmap can read \(drafts end in \.tex"):
        scan_draft(tmp_path / "paper.docx")
