"""`litmap edit KEY`: $EDITOR on a copy, validated before the library keeps it.

The editor is a small Python script: it applies the replacements given as JSON in $EDIT_STEPS, one
list per run of the editor (so a test can make a bad edit first and fix it on the second run).
"""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
from pathlib import Path

import pytest

from litmap.services.check import check_library
from litmap.store import Library

EDITOR_SCRIPT = """\
import json, os, pathlib, sys
draft = pathlib.Path(sys.argv[1])
state = pathlib.Path(os.environ["EDIT_STATE"])
run = int(state.read_text()) if state.exists() else 0
state.write_text(str(run + 1))
steps = json.loads(os.environ["EDIT_STEPS"])
text = draft.read_text(encoding="utf-8")
for old, new in steps[min(run, len(steps) - 1)]:
    assert old in text, old
    text = text.replace(old, new, 1)
draft.write_text(text, encoding="utf-8")
also = os.environ.get("EDIT_ALSO_TOUCH")
if also:
    pathlib.Path(also).write_text(pathlib.Path(also).read_text() + "# touched\\n")
"""


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """editor(steps) points $EDITOR at the script; returns how many times it ran, via runs()."""
    script = tmp_path / "fake_editor.py"
    script.write_text(EDITOR_SCRIPT, encoding="utf-8")
    state = tmp_path / "editor_runs"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    monkeypatch.setenv("EDIT_STATE", str(state))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # drafts (and a kept one) stay in the test's folder

    class Editor:
        def set(self, *steps: list[tuple[str, str]]) -> None:
            monkeypatch.setenv("EDIT_STEPS", json.dumps(steps))

        def runs(self) -> int:
            return int(state.read_text()) if state.exists() else 0

    return Editor()


def paper_file(root: Path, key: str) -> Path:
    return root / "papers" / f"{key}.toml"


def test_edit_saves_a_valid_change_as_written(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = paper_file(bundled_copy, "elhage2022toy")
    original = path.read_text(encoding="utf-8")
    editor.set([('title = "Toy Models of Superposition"', 'title = "Toy Models of Superposition"  # checked')])
    result = invoke("edit", "elhage2022toy")
    assert result.exit_code == 0, result.stderr
    assert "Saved" in result.stdout
    assert path.read_text(encoding="utf-8") == original.replace(
        'title = "Toy Models of Superposition"', 'title = "Toy Models of Superposition"  # checked'
    )
    editor.set([("year = 2022", "year = 2021")])
    assert invoke("edit", "elhage2022toy").exit_code == 0
    assert Library(bundled_copy).get("elhage2022toy").year == 2021


def test_unchanged_edit_writes_nothing(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = paper_file(bundled_copy, "elhage2022toy")
    before = path.stat().st_mtime_ns
    editor.set([])
    result = invoke("edit", "elhage2022toy")
    assert result.exit_code == 0
    assert "No changes" in result.stdout
    assert path.stat().st_mtime_ns == before


def test_invalid_edit_is_shown_and_can_be_discarded(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = paper_file(bundled_copy, "elhage2022toy")
    original = path.read_bytes()
    editor.set([("year = 2022", 'year = "soon"')])
    result = invoke("edit", "elhage2022toy", input="n\n")
    assert result.exit_code == 1
    assert "field 'year': not a year: 'soon'" in result.stderr
    assert f"{path}:" in result.stderr  # names the file and line
    assert "edit discarded" in result.stderr
    assert path.read_bytes() == original
    assert editor.runs() == 1


def test_invalid_toml_is_offered_again_and_the_fix_is_kept(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = paper_file(bundled_copy, "elhage2022toy")
    editor.set(
        [("year = 2022", "year = = 2022")],  # first run: broken TOML
        [("year = = 2022", "year = 2021")],  # second run: the user fixes it
    )
    result = invoke("edit", "elhage2022toy", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "invalid TOML" in result.stderr
    assert editor.runs() == 2
    assert Library(bundled_copy).get("elhage2022toy").year == 2021
    assert "year = 2021" in path.read_text(encoding="utf-8")


def test_key_change_renames_the_file(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    editor.set([('key = "elhage2022toy"', 'key = "elhage2022superposition"')])
    result = invoke("edit", "elhage2022toy")
    assert result.exit_code == 0, result.stderr
    assert "renamed from elhage2022toy" in result.stdout
    assert not paper_file(bundled_copy, "elhage2022toy").exists()
    assert Library(bundled_copy).get("elhage2022superposition").title == "Toy Models of Superposition"
    assert check_library(Library(bundled_copy)) == []


def test_key_change_to_a_taken_key_is_refused(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    before = {p.name: p.read_bytes() for p in (bundled_copy / "papers").iterdir()}
    editor.set([('key = "elhage2022toy"', 'key = "olah2020zoom"')])
    result = invoke("edit", "elhage2022toy", input="n\n")
    assert result.exit_code == 1
    assert "'olah2020zoom' is already used by the paper 'olah2020zoom'" in result.stderr
    assert {p.name: p.read_bytes() for p in (bundled_copy / "papers").iterdir()} == before


def test_new_unknown_category_is_an_invalid_edit(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = paper_file(bundled_copy, "elhage2022toy")
    original = path.read_bytes()
    editor.set([('categories = ["superposition"]', 'categories = ["superposition", "atribution"]')])
    result = invoke("edit", "elhage2022toy", input="n\n")
    assert result.exit_code == 1
    assert "did you mean 'attribution'?" in result.stderr
    assert path.read_bytes() == original


def test_failing_editor_changes_nothing(invoke, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    original = paper_file(bundled_copy, "elhage2022toy").read_bytes()
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} -c 'raise SystemExit(3)'")
    result = invoke("edit", "elhage2022toy")
    assert result.exit_code == 1
    assert "exited with status 3" in result.stderr
    monkeypatch.setenv("EDITOR", "no-such-editor-anywhere")
    missing = invoke("edit", "elhage2022toy")
    assert missing.exit_code == 1
    assert "cannot run the editor 'no-such-editor-anywhere'" in missing.stderr
    assert paper_file(bundled_copy, "elhage2022toy").read_bytes() == original


def test_file_changed_meanwhile_is_not_overwritten(invoke, bundled_copy: Path, editor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = paper_file(bundled_copy, "elhage2022toy")
    monkeypatch.setenv("EDIT_ALSO_TOUCH", str(path))  # someone else edits the file meanwhile
    editor.set([("year = 2022", "year = 2021")])
    result = invoke("edit", "elhage2022toy")
    assert result.exit_code == 1
    assert "changed on disk while you were editing it" in result.stderr
    assert path.read_text(encoding="utf-8").endswith("# touched\n")
    assert "year = 2022" in path.read_text(encoding="utf-8")
    kept = Path(result.stderr.split("it is kept in ")[1].rstrip(")\n"))
    assert "year = 2021" in kept.read_text(encoding="utf-8")
    assert kept.is_relative_to(tempfile.gettempdir())


def test_edit_unknown_key_and_bundled_library(invoke, editor) -> None:  # type: ignore[no-untyped-def]
    editor.set([("year = 2022", "year = 2021")])
    result = invoke("edit", "elhage2022toy")
    assert result.exit_code == 1
    assert "read-only" in result.stderr
    assert editor.runs() == 0


def test_edit_unknown_key_suggests(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    editor.set([])
    result = invoke("edit", "elhage2022tyo")
    assert result.exit_code == 1
    assert "did you mean 'elhage2022toy'?" in result.stderr
    assert editor.runs() == 0


def test_a_broken_file_can_be_mended_with_edit(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = paper_file(bundled_copy, "elhage2022toy")
    path.write_text(path.read_text(encoding="utf-8").replace("year = 2022", "year = = 2022"), encoding="utf-8")
    assert check_library(Library(bundled_copy)) != []
    editor.set([("year = = 2022", "year = 2022")])
    result = invoke("edit", "elhage2022toy")
    assert result.exit_code == 0, result.stderr
    assert check_library(Library(bundled_copy)) == []


def test_edit_of_an_alias_opens_its_paper(invoke, bundled_copy: Path, editor, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(bundled_copy, "kept2020paper", aliases=["old2019paper"], year=2020)
    editor.set([("year = 2020", "year = 2019")])
    result = invoke("edit", "old2019paper")
    assert result.exit_code == 0, result.stderr
    assert Library(bundled_copy).get("kept2020paper").year == 2019


def test_an_unknown_entry_type_is_an_invalid_edit_with_checks_message(invoke, bundled_copy: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = paper_file(bundled_copy, "elhage2022toy")
    original = path.read_bytes()
    editor.set([('type = "article"', 'type = "weird"')])
    result = invoke("edit", "elhage2022toy", input="n\n")
    assert result.exit_code == 1
    expected = "field 'type': unknown entry type 'weird' (BibTeX and biblatex types: article, inproceedings, misc"
    assert expected in result.stderr
    assert path.read_bytes() == original
    editor.set([('type = "article"', 'type = "online"')])  # a biblatex type is one
    assert invoke("edit", "elhage2022toy").exit_code == 0
    assert 'type = "online"' in path.read_text(encoding="utf-8")
