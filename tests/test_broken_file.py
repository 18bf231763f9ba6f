"""One unreadable paper file does not block the library: reading commands leave it out and say so;
an export, which would be incomplete, refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

BROKEN = "broken2020"
CONFLICT = '<<<<<<< HEAD\ntitle = "Mine"\n=======\ntitle = "Theirs"\n>>>>>>> branch\n'


@pytest.fixture
def broken_library(bundled_copy: Path) -> Path:
    (bundled_copy / "papers" / f"{BROKEN}.toml").write_text(CONFLICT, encoding="utf-8")
    return bundled_copy


@pytest.mark.parametrize(
    "command",
    [["list"], ["tree"], ["stats"], ["dedupe"], ["show", "elhage2022toy"], ["search", "toy"]],
)
def test_reading_commands_skip_the_broken_file(invoke, broken_library: Path, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if f"{BROKEN}.toml" in line]
    if command[0] != "show":
        assert len(warnings) == 1 and warnings[0].startswith("Warning:")


def test_export_refuses_to_leave_the_broken_file_out(invoke, broken_library: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("export", "bibtex")
    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: unreadable paper file ") and f"{BROKEN}.toml:1" in line


def test_writing_beside_a_broken_file_works(invoke, broken_library: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("tag", "elhage2022toy", "+to-read").exit_code == 0
    added = invoke("add", "--title", "A paper beside a broken one", "--author", "Doe, Jo", "--year", "2024")
    assert added.exit_code == 0, added.output


def test_a_change_that_touches_the_broken_file_is_refused_naming_it(invoke, broken_library: Path) -> None:  # type: ignore[no-untyped-def]
    before = (broken_library / "papers" / f"{BROKEN}.toml").read_bytes()
    result = invoke("tag", BROKEN, "+x")
    assert result.exit_code == 1 and f"{BROKEN}.toml" in result.stderr
    # A rename of a tag everywhere cannot know what the broken file holds: it refuses too.
    invoke("tag", "elhage2022toy", "+old")
    renamed = invoke("tag", "--rename", "old", "new")
    assert renamed.exit_code == 1 and f"{BROKEN}.toml" in renamed.stderr
    assert (broken_library / "papers" / f"{BROKEN}.toml").read_bytes() == before


def test_a_draft_citing_the_broken_paper_fails_naming_it(invoke, broken_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.tex"
    draft.write_text(f"\\cite{{elhage2022toy,{BROKEN}}}\n", encoding="utf-8")
    result = invoke("export", "bibtex", "--tex", str(draft))
    assert result.exit_code == 1
    assert f"{BROKEN}.toml" in result.stderr
