"""The docs are checked: every command has help and a README example; the README's tour runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from conftest import REPO, command_paths

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_has_a_readme_example() -> None:
    missing = [" ".join(path) for path in command_paths() if f"litmap {' '.join(path)}" not in README]
    assert missing == []


def test_every_command_is_in_the_changelog() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    missing = [path[0] for path in command_paths() if not re.search(rf"(litmap |`){re.escape(path[0])}\b", changelog)]
    assert missing == []


def test_readme_starts_with_install_and_test_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert "litmap search superposition" in blocks[0]
    assert "pip install -e '.[test]'" in blocks[1] and "pytest" in blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_command = blocks[1].strip().split("&& ")[-1]
    assert test_command in ci


def test_quick_tour_commands_work(invoke, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tour = README.split("## Quick tour", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("HOME", str(tmp_path))
    for line in tour.splitlines():
        command = line.split("#", 1)[0].strip()
        if not command:
            continue
        args = [a.replace("~", str(tmp_path)) for a in shlex.split(command)]
        assert args[0] == "litmap"
        result = invoke(*args[1:])
        assert result.exit_code == 0, f"{command}: {result.stderr}"
        assert result.stdout.strip(), command


def test_pages_workflow_installs_litmap_from_git_and_its_export_runs(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """litmap has no PyPI release: the README's GitHub Pages workflow installs it from its git repository."""
    workflow = README.split("**GitHub Pages**", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert not re.search(r"pipx? install litmap", README)
    assert re.search(r'LITMAP: "git\+https://\S+@\S+"', workflow)
    (run,) = [line for line in workflow.splitlines() if "litmap export" in line]
    assert 'pip install "$LITMAP" && mkdir site && litmap export html -o site/index.html' in run
    (tmp_path / "site").mkdir()
    result = invoke("--library", str(REPO / "library"), "export", "html", "-o", str(tmp_path / "site/index.html"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site/index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
