"""`litmap open` and `litmap note`: from a record to the paper, and the reader's own notes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LITMAP = Path(sys.executable).with_name("litmap")


def test_open_print_picks_the_best_target(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("open", "elhage2022toy", "--print")
    assert result.exit_code == 0
    assert result.stdout.strip() == "https://transformer-circuits.pub/2022/toy_model/index.html"


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("--url", "https://transformer-circuits.pub/2022/toy_model/index.html"),
        ("--arxiv", "https://arxiv.org/abs/2209.10652"),
    ],
)
def test_open_print_each_kind(invoke, bundled_copy: Path, flag: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("open", "elhage2022toy", flag, "--print")
    assert result.exit_code == 0
    assert result.stdout.strip() == expected


def test_open_doi_goes_through_the_resolver(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    paper = bundled_copy / "papers" / "meng2022locating.toml"
    doi = next(line.split('"')[1] for line in paper.read_text().splitlines() if line.startswith("doi ="))
    result = invoke("open", "meng2022locating", "--doi", "--print")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"https://doi.org/{doi}"


def test_open_a_kind_the_paper_lacks_says_what_it_has(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("open", "elhage2022toy", "--pdf", "--print")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: elhage2022toy has no attached PDF (it has: URL, arXiv id)"


def test_open_an_unknown_key_suggests(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("open", "elhage2022tyo", "--print")
    assert result.exit_code == 1
    assert "no paper with key 'elhage2022tyo'" in result.stderr and "elhage2022toy" in result.stderr


def test_open_runs_litmap_opener_with_the_target(bundled_copy: Path, tmp_path: Path) -> None:
    record = tmp_path / "opened.txt"
    opener = tmp_path / "opener.sh"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\n')
    opener.chmod(0o755)
    env = {**os.environ, "LITMAP_OPENER": str(opener), "LITMAP_LIBRARY": str(bundled_copy)}
    done = subprocess.run([str(LITMAP), "open", "elhage2022toy", "--arxiv"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert record.read_text().strip() == "https://arxiv.org/abs/2209.10652"


def test_open_with_a_missing_opener_is_one_line(bundled_copy: Path, tmp_path: Path) -> None:
    env = {**os.environ, "LITMAP_OPENER": str(tmp_path / "no-such-opener"), "LITMAP_LIBRARY": str(bundled_copy)}
    done = subprocess.run([str(LITMAP), "open", "elhage2022toy"], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "set $LITMAP_OPENER or use --print" in done.stderr


def test_note_creates_the_file_with_a_heading_and_keeps_what_the_editor_wrote(
    invoke, bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Superposition is compression.\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    assert invoke("note", "elhage2022toy").exit_code == 0
    text = (bundled_copy / "notes" / "elhage2022toy.md").read_text()
    assert text.startswith("# Toy Models of Superposition\n")
    assert text.endswith("Superposition is compression.\n")
    assert invoke("note", "elhage2022toy").exit_code == 0  # a second session appends, never resets
    assert (bundled_copy / "notes" / "elhage2022toy.md").read_text().count("Superposition is compression.") == 2
    printed = invoke("note", "elhage2022toy", "--print")
    assert printed.stdout.count("Superposition is compression.") == 2


def test_note_print_without_notes_says_how_to_start(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("note", "elhage2022toy", "--print")
    assert result.exit_code == 0
    assert "No notes on elhage2022toy yet" in result.stdout
    assert not (bundled_copy / "notes").exists()


def test_note_on_the_bundled_library_is_refused(invoke, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LITMAP_LIBRARY", raising=False)
    monkeypatch.chdir("/")
    monkeypatch.setenv("VISUAL", "true")
    result = invoke("note", "elhage2022toy")
    assert result.exit_code == 1
    assert "litmap init" in result.stderr
