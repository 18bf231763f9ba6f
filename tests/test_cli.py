"""The foundation's commands, as a user runs them: init, show, list, tree, errors, start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED, REPO, command_paths
from litmap.cli import app


def test_help_lists_every_command_with_a_description(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--help")
    assert result.exit_code == 0
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help text"
        assert name in result.stdout


def test_every_command_help_shows_examples(invoke) -> None:  # type: ignore[no-untyped-def]
    for path in command_paths():
        result = invoke(*path, "--help")
        assert result.exit_code == 0
        assert "Examples" in result.stdout, f"litmap {' '.join(path)} shows no examples"


def test_version(invoke) -> None:  # type: ignore[no-untyped-def]
    from litmap import __version__

    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"litmap {__version__}"


def test_init_creates_a_library_that_check_accepts(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "mylib"
    result = invoke("init", str(target), "--name", "My reading")
    assert result.exit_code == 0, result.stderr
    assert (target / "litmap.toml").is_file()
    assert (target / "papers").is_dir()
    assert ".litmap/" in (target / ".gitignore").read_text()
    assert invoke("--library", str(target), "check").exit_code == 0
    again = invoke("init", str(target))
    assert again.exit_code == 1
    assert "already holds a litmap library" in again.stderr


def test_init_from_bundled_copies_the_reading_list(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "interp"
    result = invoke("init", str(target), "--from-bundled")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (target / "papers").iterdir()) == sorted(
        p.name for p in (BUNDLED / "papers").iterdir()
    )
    listed = invoke("--library", str(target), "list", "--keys")
    assert "elhage2022toy" in listed.stdout.split()


def test_show_renders_a_panel(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "show", "elhage2022toy")
    assert result.exit_code == 0
    assert "Toy Models of Superposition" in result.stdout
    assert "2209.10652" in result.stdout
    assert "Superposition" in result.stdout


def test_unknown_key_is_one_line_with_suggestion(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "show", "elhage2022tyo")
    assert result.exit_code == 1
    assert result.stderr == "Error: no paper with key 'elhage2022tyo'; did you mean 'elhage2022toy'?\n"


def test_unknown_category_is_one_line_with_suggestion(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "list", "--category", "atribution")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "no category 'atribution'; did you mean 'attribution'" in result.stderr


def test_malformed_paper_file_is_left_out_of_list_with_one_line(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, "good2020", title="Good")
    (empty_library / "papers" / "broken.toml").write_text('key = "broken"\ntitle = [\n', encoding="utf-8")
    result = invoke("list", "--keys")
    assert result.exit_code == 0
    assert result.stdout == "good2020\n"
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        f"Warning: left out unreadable paper file {empty_library / 'papers' / 'broken.toml'}:"
    )
    assert "litmap check" in result.stderr


def test_bad_year_range_is_one_line(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "list", "--year", "2023..2020")
    assert result.exit_code == 1
    assert "2023 is after 2020" in result.stderr


def test_list_filters_by_category_with_subcategories(invoke) -> None:  # type: ignore[no-untyped-def]
    section = invoke("--library", str(BUNDLED), "list", "--category", "challenges-and-criticisms", "--json")
    records = json.loads(section.stdout)
    keys = {r["key"] for r in records}
    subsections = {"superposition", "scalability", "focusing-on-toy-model-experiments"}
    expected = {
        p.stem
        for p in (BUNDLED / "papers").glob("*.toml")
        if subsections
        & set(json.loads(invoke("--library", str(BUNDLED), "show", p.stem, "--json").stdout)["categories"])
    }
    assert keys == expected
    assert "elhage2022toy" in keys


def test_list_year_range_and_sort(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "list", "--year", "2020..2021", "--sort", "year", "--json")
    years = [r["year"] for r in json.loads(result.stdout)]
    assert years and all(2020 <= y <= 2021 for y in years)
    assert years == sorted(years)


def test_list_json_uses_documented_field_names(invoke) -> None:  # type: ignore[no-untyped-def]
    records = json.loads(invoke("--library", str(BUNDLED), "list", "--json").stdout)
    allowed = {
        "key", "type", "title", "authors", "year", "month", "venue", "volume", "pages", "arxiv", "doi", "url",
        "abstract", "categories", "tags", "note", "added", "aliases",
    }  # fmt: skip
    toy = next(r for r in records if r["key"] == "elhage2022toy")
    assert toy["authors"][0] == "Elhage, Nelson"
    for record in records:
        unknown = set(record) - allowed
        assert all(name.islower() for name in unknown)  # extra BibTeX fields, lower-case


def test_list_tag_filter(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, "a", tags=["to-read"])
    make_paper_file(empty_library, "b", tags=["done"])
    result = invoke("list", "--tag", "to-read", "--keys")
    assert result.stdout.split() == ["a"]


def test_tree_counts_match_the_library(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "tree", "--json")
    data = json.loads(result.stdout)
    (root,) = data["categories"]
    assert [s["title"] for s in root["children"]] == [
        "Techniques to Analyze Neural Networks",
        "Making Interpretable Models",
        "Challenges and Criticisms",
    ]
    superposition = next(sub for s in root["children"] for sub in s["children"] if sub["id"] == "superposition")
    assert superposition["papers"] == 6
    pretty = invoke("--library", str(BUNDLED), "tree")
    assert "Superposition" in pretty.stdout and "6 papers" in pretty.stdout


def test_library_discovery_order(invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from litmap.services.admin import init_library

    here = init_library(tmp_path / "project" / "library", name="nearest")
    env = init_library(tmp_path / "env", name="from-env")
    flag = init_library(tmp_path / "flag", name="from-flag")
    (here.root.parent / "sub").mkdir()
    monkeypatch.chdir(here.root.parent / "sub")
    assert "nearest" in invoke("tree").stdout
    monkeypatch.setenv("LITMAP_LIBRARY", str(env.root))
    assert "from-env" in invoke("tree").stdout
    assert "from-flag" in invoke("--library", str(flag.root), "tree").stdout
    missing = invoke("--library", str(tmp_path / "nope"), "tree")
    assert missing.exit_code == 1
    assert "no litmap library here" in missing.stderr


def test_bundled_library_is_the_fallback(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("list", "--keys")
    assert result.exit_code == 0
    assert "elhage2022toy" in result.stdout.split()


def run_litmap(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("litmap")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")} | (env or {})
    return subprocess.run([str(exe), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60)


def test_installed_entry_point_runs_from_any_directory(tmp_path: Path) -> None:
    result = run_litmap("show", "elhage2022toy", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["arxiv"] == "2209.10652"


def test_installed_entry_point_errors_without_traceback(tmp_path: Path) -> None:
    result = run_litmap("show", "nosuchkey", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no paper with key 'nosuchkey'")
    assert "Traceback" not in result.stderr
    usage = run_litmap("list", "--no-such-option", cwd=tmp_path)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


def test_debug_env_shows_the_traceback(tmp_path: Path) -> None:
    result = run_litmap("show", "nosuchkey", cwd=tmp_path, env={"LITMAP_DEBUG": "1"})
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_core_imports_without_the_cli_or_heavy_modules() -> None:
    code = (
        "import sys, litmap.store, litmap.selection, litmap.services.check\n"
        "heavy = {'typer', 'rich', 'bibtexparser', 'httpx', 'rapidfuzz', 'tomlkit', 'sqlite3'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_core_never_imports_the_cli_toolkit() -> None:
    """Every core module works as a library: none of them pulls in typer or rich."""
    core = sorted(
        ".".join(path.relative_to(REPO / "src").with_suffix("").parts)
        for path in (REPO / "src" / "litmap").rglob("*.py")
        if "cli" not in path.parts and path.name not in ("__main__.py",)
    )
    code = f"import sys, importlib\nfor m in {core!r}: importlib.import_module(m)\n" + (
        "print(sorted({'typer', 'rich'} & {m.split('.')[0] for m in sys.modules}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_cli_startup_does_not_load_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from litmap.cli import app\n"
        "heavy = {'bibtexparser', 'httpx', 'rapidfuzz', 'tomlkit', 'defusedxml', 'pylatexenc'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_tree_refuses_a_taxonomy_with_a_cycle(invoke, empty_library: Path) -> None:  # type: ignore[no-untyped-def]
    (empty_library / "taxonomy.toml").write_text(
        '[[category]]\nid = "a"\ntitle = "A"\nparent = "b"\n\n[[category]]\nid = "b"\ntitle = "B"\nparent = "a"\n',
        encoding="utf-8",
    )
    result = invoke("tree")
    assert result.exit_code == 1
    assert "is part of a parent cycle; `litmap check` lists every problem" in result.stderr
