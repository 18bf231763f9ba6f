"""Usage errors are one line plus the usage hint (as git prints them), exit 2; help shows readable placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED, command_paths


@pytest.mark.parametrize(
    ("args", "first", "usage"),
    [
        (["list", "--yaer", "2020"], "litmap: unknown option '--yaer' for 'list' (did you mean '--year'?)", "litmap"),
        (["import"], "litmap: missing FILE.bib for 'import'", "litmap import [OPTIONS] FILE.bib"),
        (["show"], "litmap: missing KEY for 'show'", "litmap show [OPTIONS] KEY..."),
        (["list", "-n", "x"], "litmap: list --limit: 'x' is not a whole number", "litmap list [OPTIONS]"),
        (["list", "-n"], "litmap: list: option '-n' requires an argument", "litmap list [OPTIONS]"),
        (["lst"], "litmap: 'lst' is not a command of 'litmap' (did you mean 'list'?)", "litmap [OPTIONS] COMMAND"),
        (["export", "bibtx"], "litmap: 'bibtx' is not a command of 'export' (did you mean 'bibtex'?)", "litmap export"),
        (
            ["export", "bibtex", "--prefer", "newest"],
            "litmap: export bibtex --prefer: 'newest' is not one of 'published', 'preprint'.",
            "litmap export bibtex [OPTIONS] [KEY...]",
        ),
        (["category", "move", "attribution", "--bogus"], "litmap: unknown option '--bogus' for 'category move'", ""),
        (["add", "--author", "Olah, C"], "litmap: add --author: describes a paper added by hand: give --title too", ""),
    ],
)
def test_a_usage_error_is_one_line_then_the_usage_and_where_to_get_help(invoke, args, first, usage) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 3, result.stderr
    assert lines[0] == first
    assert lines[1].startswith(f"usage: {usage}")
    command = lines[1].removeprefix("usage: ").split(" [")[0]
    assert lines[2] == f"Try '{command} --help'"
    assert "╭" not in result.stderr and "│" not in result.stderr


def test_the_installed_entry_point_prints_usage_errors_the_same_way() -> None:
    exe = Path(sys.executable).with_name("litmap")
    result = subprocess.run(
        [str(exe), "--library", str(BUNDLED), "search", "superposition", "--limt", "3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "litmap: unknown option '--limt' for 'search' (did you mean '--limit'?)",
        "usage: litmap search [OPTIONS] QUERY...",
        "Try 'litmap search --help'",
    ]


PYTHON_TYPES = re.compile(r"<(bool|str|int|float|list\[.*?\]|Path|.*?range)>|\{[A-Za-z.]+\}")


def test_help_shows_no_python_types(invoke) -> None:  # type: ignore[no-untyped-def]
    for path in [[], *command_paths()]:
        result = invoke(*path, "--help")
        assert result.exit_code == 0, path
        found = PYTHON_TYPES.findall(result.stdout)
        assert not found, (path, found)
    shown = invoke("show", "--help").stdout
    assert "Usage: litmap show [OPTIONS] KEY..." in shown
    assert re.search(r"--json\s+The paper record", shown)  # a flag shows no placeholder
    assert re.search(r"--limit\s+-n\s+INTEGER", invoke("list", "--help").stdout)


def test_the_readme_shows_the_usage_error_as_it_is(invoke) -> None:  # type: ignore[no-untyped-def]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ litmap list --yaer 2020\n", 1)[1].split("```", 1)[0]
    assert invoke("list", "--yaer", "2020").stderr == shown
