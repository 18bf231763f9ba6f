"""Shell completion through the real entry point, as bash, zsh and fish ask for it (typer's protocol):
citekeys, tags and category ids come from the library the command line points at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED

EXE = Path(sys.executable).with_name("litmap")


def complete(line: str, shell: str = "bash", **env: str) -> list[str]:
    """What ``litmap`` answers to a Tab at the end of ``line`` (``"litmap show elh"``)."""
    words = line.split(" ")
    extra = {"_LITMAP_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        extra |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        extra |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    full = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")} | extra | env
    result = subprocess.run([str(EXE)], env=full, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def tagged(bundled_copy: Path) -> Path:
    """A library with tags, and an index that has seen them (tags are completed from the index as it stands)."""
    for args in (["tag", "elhage2022toy", "olah2020zoom", "+to-read", "+toy"], ["list", "--tag", "to-read"]):
        result = subprocess.run([str(EXE), "--library", str(bundled_copy), *args], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    return bundled_copy


def test_citekeys_complete_for_every_command_that_takes_them() -> None:
    keys = sorted(p.stem for p in (BUNDLED / "papers").glob("elhage*.toml"))
    assert keys
    for command in ("show", "edit", "rm", "open", "note", "refresh", "upgrade", "merge", "export bibtex"):
        assert complete(f"litmap --library {BUNDLED} {command} elhage") == keys, command
    assert complete(f"litmap --library {BUNDLED} show elhage2022toy elhage") == keys  # each key of several


def test_tags_and_categories_complete(tagged: Path) -> None:
    lib = f"litmap --library {tagged}"
    assert complete(f"{lib} list --tag to") == ["to-read", "toy"]
    assert complete(f"{lib} search grokking --tag to") == []  # search filters by tag:...; no --tag
    assert complete(f"{lib} list --category attrib") == ["attribution"]
    assert complete(f"{lib} export markdown --category attrib") == ["attribution"]
    assert complete(f"{lib} category move attrib") == ["attribution"]
    assert complete(f"{lib} tag elhage2022toy +to") == ["+to-read", "+toy"]
    assert complete(f"{lib} tag elhage2022toy -to-") == ["-to-read"]
    assert "elhage2022toy" in complete(f"{lib} tag elhage")


def test_zsh_and_fish_get_the_titles_and_counts(tagged: Path) -> None:
    zsh = complete(f"litmap --library {tagged} list --category attrib", shell="zsh")
    assert zsh == ['_arguments \'*: :(("attribution":"Attribution"))\'']
    assert complete(f"litmap --library {tagged} list --tag to-rea", shell="fish") == ["to-read\t2 papers"]


def test_the_library_is_the_one_the_line_names(tmp_path: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    from litmap.services.admin import init_library

    init_library(tmp_path / "mine", name="mine")
    make_paper_file(tmp_path / "mine", "zuse1941only")
    assert complete(f"litmap --library {tmp_path / 'mine'} show zu") == ["zuse1941only"]
    assert complete("litmap show zu", LITMAP_LIBRARY=str(tmp_path / "mine")) == ["zuse1941only"]
    assert complete(f"litmap --library {tmp_path / 'missing'} show zu") == []  # no library: no answers, no error


def test_the_completion_scripts_call_the_entry_point_back() -> None:
    for shell in ("bash", "zsh", "fish"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")} | {
            "_LITMAP_COMPLETE": f"source_{shell}"
        }
        result = subprocess.run([str(EXE)], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert f"_LITMAP_COMPLETE=complete_{shell}" in result.stdout
