"""The console script's fast path (litmap.cli.fast) prints what the typer app prints, for the same argv."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from litmap.cli.fast import parse

EXE = Path(sys.executable).with_name("litmap")


def run(args: list[str], library: Path, typer_path: bool, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_") and k not in ("COLUMNS", "FORCE_COLOR")}
    env["LITMAP_LIBRARY"] = str(library)
    if typer_path:
        env["LITMAP_NO_FAST_PATH"] = "1"
    return subprocess.run(
        [str(EXE), *args], env=env, cwd=library, input=stdin, capture_output=True, text=True, timeout=120
    )


def same(args: list[str], library: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``args`` both ways; both must print the same and exit alike. The fast run's result."""
    slow = run(args, library, typer_path=True, stdin=stdin)
    fast = run(args, library, typer_path=False, stdin=stdin)
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr), args
    return fast


READS = [
    ["search", "superposition"],
    ["search", "superposition", "-grokking", "--json"],
    ["search", "superpositon", "--keys", "-n", "2"],
    ["search", "circuits", "--limit=3", "-a", "--no-pager"],
    ["search", "author:olah", "-l"],
    ["search", "nothingmatchesthisword"],
    ["--library", ".", "list"],
    ["list", "--json", "--tag", "to-read"],
    ["list", "-c", "attribution", "-s", "year", "-r", "--keys", "-n", "3"],
    ["show", "elhage2022toy"],
    ["show", "elhage2022toy", "olah2020zoom", "--json"],
    ["stats"],
    ["stats", "--json"],
    ["export", "bibtex"],
    ["export", "bibtex", "--ascii", "--abstracts", "--prefer", "preprint"],
    ["export", "bibtex", "-c", "attribution", "--tag", "to-read", "--allow-missing"],
    ["export", "csl-json", "--query", "superposition"],
    ["export", "hayagriva", "--prefer=published"],
    ["dedupe", "--json"],
    ["dedupe", "--json", "--threshold", "90"],
]

MISTAKES = [
    ["search"],
    ["search", "author:"],
    ["search", "x", "--limit", "-1"],
    ["search", "x", "--limit", "many"],
    ["search", "x", "--bogus"],
    ["search", "--help"],
    ["list", "extra"],
    ["list", "--category", "no-such-category"],
    ["list", "--sort", "colour"],
    ["list", "--year", "soon"],
    ["show"],
    ["show", "nosuchkey"],
    ["show", "elhage2022toy", "--yaml"],
    ["stats", "more"],
    ["tag"],
    ["tag", "elhage2022toy"],
    ["tag", "nosuchkey", "+x"],
    ["tag", "elhage2022toy", "+bad,tag"],
    ["tag", "elhage2022toy", "+x", "-x"],
    ["-L", "/no/such/library", "search", "x"],
    ["export", "bibtex", "--bogus"],
    ["export", "bibtex", "--prefer", "newest"],
    ["export", "csl-json", "--ascii"],
    ["export", "nosuchformat"],
    ["export", "bibtex", "-c", "no-such-category"],
    ["export", "bibtex", "-o", "litmap.toml"],
    ["dedupe", "--json", "--threshold", "20"],
    ["dedupe", "--json", "--threshold", "many"],
    ["-L", "/no/such/library", "export", "bibtex"],
]


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_reading_commands_print_the_same_both_ways(bundled_copy: Path, args: list[str]) -> None:
    assert parse(args) is not None, "the fast path should take this argv"
    result = same(args, bundled_copy)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args", MISTAKES, ids=" ".join)
def test_mistakes_give_the_same_error_both_ways(bundled_copy: Path, args: list[str]) -> None:
    result = same(args, bundled_copy)
    assert result.returncode != 0 or "--help" in args
    assert "Traceback" not in result.stderr


def test_export_to_a_file_writes_alike_both_ways(bundled_copy: Path) -> None:
    texts = {}
    for typer_path in (True, False):
        out = bundled_copy / f"out-{typer_path}.bib"
        done = run(["export", "bibtex", "-o", str(out)], bundled_copy, typer_path)
        assert done.returncode == 0, done.stderr
        texts[typer_path] = (done.stdout, done.stderr.replace(str(out), "OUT"), out.read_text(encoding="utf-8"))
    assert texts[True] == texts[False]
    assert texts[False][1].startswith("Wrote ") and "@" in texts[False][2]


def test_tag_changes_the_file_alike_both_ways(bundled_copy: Path) -> None:
    paper = bundled_copy / "papers" / "elhage2022toy.toml"
    original = paper.read_text(encoding="utf-8")
    texts = {}
    for typer_path in (True, False):
        added = run(["tag", "elhage2022toy", "olah2020zoom", "+fast-path", "-no-such-tag"], bundled_copy, typer_path)
        texts[typer_path] = (added.returncode, added.stdout, added.stderr, paper.read_text(encoding="utf-8"))
        removed = run(["tag", "-", "-fast-path"], bundled_copy, typer_path, stdin="elhage2022toy olah2020zoom\n")
        assert removed.returncode == 0, removed.stderr
        assert paper.read_text(encoding="utf-8") == original
    assert texts[True] == texts[False]
    assert texts[False][1] == "+fast-path -no-such-tag: 2 papers changed\n"
    assert 'tags = ["' in texts[False][3] and '"fast-path"' in texts[False][3]


def test_hot_commands_do_not_load_typer(bundled_copy: Path) -> None:
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write(f\"\\nTYPER={'typer' in sys.modules}\\n\"))\n"
        "from litmap.cli import main\n"
        "sys.argv = ['litmap', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")} | {"LITMAP_LIBRARY": str(bundled_copy)}
    hot = (["search", "superposition"], False), (["stats"], False), (["export", "bibtex"], False), (["tree"], True)
    for args, loads_typer in hot:
        done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stderr.endswith(f"TYPER={loads_typer}\n"), (args, done.stderr)


def test_python_dash_m_takes_the_fast_path_too(bundled_copy: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")}
    args = ["-L", str(bundled_copy), "search", "superposition", "--keys"]
    via_m = subprocess.run([sys.executable, "-m", "litmap", *args], env=env, capture_output=True, text=True)
    assert via_m.returncode == 0, via_m.stderr
    assert via_m.stdout == run(args, bundled_copy, typer_path=True).stdout
    assert "elhage2022toy" in via_m.stdout.split()


def test_shell_completion_and_help_are_left_to_typer() -> None:
    assert parse(["--help"]) is None
    assert parse(["search", "-h"]) is None
    assert parse(["tag", "--rename", "a", "b"]) is None
    assert parse(["export", "bibtex", "-h"]) is None
    assert parse(["export", "bibtex", "elhage2022toy"]) is None
    assert parse(["export", "bibtex", "-o", "out.bib", "--watch"]) is None
    assert parse(["dedupe"]) is None
    assert parse(["dedupe", "--json", "--merge", "--yes"]) is None
    assert parse(["-L"]) is None
