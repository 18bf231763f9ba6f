"""``litmap config``: a per-user default library and contact e-mail, and which library litmap uses."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from litmap.store.discovery import find_library

DRAFT = "\\documentclass{article}\n\\begin{document}\nAs shown by \\citet{researcher2024my}.\n\\end{document}\n"
HINT = "litmap searched the bundled library"


def config_file(home: Path) -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "litmap" / "config.toml"


@pytest.fixture
def own_library(tmp_path: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's library in tmp/my-papers, holding researcher2024my; the working directory is a draft folder."""
    library = tmp_path / "my-papers"
    assert invoke("init", str(library)).exit_code == 0
    added = invoke(
        "--library", str(library), "add", "--title", "My great result", "--author", "Researcher, Rae", "--year", "2024"
    )
    assert added.exit_code == 0, added.stderr
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "draft.tex").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(drafts)
    return library


def test_a_draft_elsewhere_exports_from_the_default_library(own_library: Path, invoke: Any) -> None:
    before = invoke("export", "bibtex", "--tex", "draft.tex")
    assert before.exit_code == 1
    assert "no paper with key 'researcher2024my'" in before.stderr
    error = before.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: ") and HINT in error and "`litmap config library PATH`" in error

    chosen = invoke("config", "library", str(own_library))
    assert chosen.exit_code == 0, chosen.stderr
    after = invoke("export", "bibtex", "--tex", "draft.tex")
    assert after.exit_code == 0, after.stderr
    assert "@misc{researcher2024my," in after.stdout
    assert invoke("config", "library").stdout == f"{own_library.resolve()}\n"


def test_the_installed_command_reads_the_default_from_xdg_config_home(own_library: Path, tmp_path: Path) -> None:
    exe = str(Path(sys.executable).with_name("litmap"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    drafts = tmp_path / "drafts"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], cwd=drafts, env=env, capture_output=True, text=True, timeout=60)

    before = run("export", "bibtex", "--tex", "draft.tex")
    assert before.returncode == 1 and HINT in before.stderr
    assert run("config", "library", "../my-papers").returncode == 0  # relative to the working directory
    stored = tomllib.loads((tmp_path / "xdg" / "litmap" / "config.toml").read_text(encoding="utf-8"))
    assert stored == {"library": str(own_library.resolve())}
    after = run("export", "bibtex", "--tex", "draft.tex")
    assert after.returncode == 0, after.stderr
    assert "@misc{researcher2024my," in after.stdout


def test_a_folder_that_is_no_library_is_refused_in_one_line(tmp_path: Path, invoke: Any) -> None:
    result = invoke("config", "library", str(tmp_path / "nothing-here"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'nothing-here'}: no litmap library here (no litmap.toml);"
        f" create one with `litmap init {tmp_path / 'nothing-here'}`\n"
    )
    assert not config_file(tmp_path).exists()


def test_an_ancestor_library_and_the_explicit_ones_come_before_the_default(
    own_library: Path, tmp_path: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("config", "library", str(own_library)).exit_code == 0
    other = tmp_path / "other"
    assert invoke("init", str(other)).exit_code == 0
    (other / "chapter").mkdir()
    assert find_library(cwd=other / "chapter").root == other.resolve()
    assert find_library(cwd=tmp_path).root == own_library.resolve()
    assert find_library(str(other), cwd=tmp_path).root == other.resolve()
    monkeypatch.setenv("LITMAP_LIBRARY", str(other))
    assert find_library(cwd=tmp_path).root == other.resolve()


def test_a_default_library_that_went_away_is_an_error_not_the_bundled_one(own_library: Path, invoke: Any) -> None:
    assert invoke("config", "library", str(own_library)).exit_code == 0
    (own_library / "litmap.toml").unlink()
    result = invoke("list")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {own_library.resolve()}: the default library set in ")
    assert "`litmap config --unset library`" in result.stderr
    assert invoke("config", "--unset", "library").exit_code == 0
    assert invoke("list", "--keys").exit_code == 0  # the bundled library again


def test_list_get_and_unset(tmp_path: Path, own_library: Path, invoke: Any) -> None:
    assert invoke("config", "--list").stdout == ""
    missing = invoke("config", "contact_email")
    assert missing.exit_code == 1 and "contact_email is not set" in missing.stderr
    assert invoke("config", "contact_email", "ana@uni.example").exit_code == 0
    assert invoke("config", "library", str(own_library)).exit_code == 0
    listed = invoke("config", "--list")
    assert listed.stdout == f"library={own_library.resolve()}\ncontact_email=ana@uni.example\n"
    assert invoke("config", "contact_email").stdout == "ana@uni.example\n"
    assert invoke("config", "--unset", "contact_email").exit_code == 0
    assert invoke("config", "--list").stdout == f"library={own_library.resolve()}\n"
    again = invoke("config", "--unset", "contact_email")
    assert again.exit_code == 1 and again.stderr == "Error: contact_email is not set\n"
    assert invoke("config", "--path").stdout == f"{config_file(tmp_path)}\n"


def test_comments_in_the_file_are_kept(invoke: Any, tmp_path: Path) -> None:
    path = config_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('# my settings\ncontact_email = "old@uni.example"  # work address\n', encoding="utf-8")
    assert invoke("config", "contact_email", "new@uni.example").exit_code == 0
    assert path.read_text(encoding="utf-8") == '# my settings\ncontact_email = "new@uni.example"  # work address\n'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("librari", "x"),
            "Error: unknown setting 'librari' (litmap config knows: library, contact_email); did you mean 'library'?\n",
        ),
        (
            ("contact_email", "not an address"),
            "Error: contact_email 'not an address': not an e-mail address (expected e.g. you@example.org)\n",
        ),
    ],
)
def test_bad_settings_are_refused(invoke: Any, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke("config", *args)
    assert (result.exit_code, result.stderr) == (1, message)
    assert not config_file(tmp_path).exists()


def test_a_broken_settings_file_is_named_and_kept(invoke: Any, tmp_path: Path) -> None:
    path = config_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("library = \n", encoding="utf-8")
    result = invoke("config", "contact_email", "ana@uni.example")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: invalid TOML")
    assert path.read_text(encoding="utf-8") == "library = \n"


def test_litmap_config_names_another_file(invoke: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITMAP_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert invoke("config", "contact_email", "ana@uni.example").exit_code == 0
    assert (tmp_path / "elsewhere.toml").read_text(encoding="utf-8") == 'contact_email = "ana@uni.example"\n'
    assert not config_file(tmp_path).exists()


@pytest.mark.parametrize(
    "command",
    [
        ("show", "researcher2024my"),
        ("open", "researcher2024my", "--print"),
        ("export", "bibtex", "researcher2024my"),
        ("export", "bibtex", "researcher2024my", "nosuchkey2"),
    ],
)
def test_an_unknown_key_in_the_bundled_library_says_where_it_looked(
    own_library: Path, invoke: Any, command: tuple[str, ...]
) -> None:
    result = invoke(*command)
    assert result.exit_code == 1
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: ") and HINT in error and "`litmap config library PATH`" in error
    assert invoke("config", "library", str(own_library)).exit_code == 0
    mine = invoke("show", "nosuchkey")
    assert mine.exit_code == 1 and HINT not in mine.stderr


@pytest.mark.parametrize(
    "command", [("tag", "researcher2024my", "+x"), ("rm", "researcher2024my"), ("edit", "researcher2024my")]
)
def test_a_change_to_the_bundled_library_says_how_to_use_ones_own(invoke: Any, command: tuple[str, ...]) -> None:
    result = invoke(*command)
    assert result.exit_code == 1
    assert "is read-only" in result.stderr and "`litmap config library DIR`" in result.stderr
