"""`litmap check` finds every kind of problem in a deliberately broken library."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BUNDLED


def break_library(root: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    (root / "taxonomy.toml").write_text(
        '[[category]]\nid = "methods"\ntitle = "Methods"\n\n'
        '[[category]]\nid = "probing"\ntitle = "Probing"\nparent = "methods"\n',
        encoding="utf-8",
    )
    make_paper_file(root, "good2020paper", categories=["probing"])
    (root / "papers" / "syntax.toml").write_text('key = "syntax"\ntitle = "T\n', encoding="utf-8")
    (root / "papers" / "schema.toml").write_text('key = "schema"\ntitle = "T"\nyear = "soon"\n', encoding="utf-8")
    make_paper_file(root, "uncat", categories=["probbing"])
    renamed = make_paper_file(root, "right-key")
    renamed.rename(root / "papers" / "wrong-name.toml")
    make_paper_file(root, "twin", title="One")
    twin = make_paper_file(root, "twin2", title="Two")
    twin.write_text(twin.read_text().replace('key = "twin2"', 'key = "twin"'), encoding="utf-8")
    (root / "papers" / "conflict.toml").write_text(
        'key = "conflict"\n<<<<<<< HEAD\ntitle = "Mine"\n=======\ntitle = "Theirs"\n>>>>>>> branch\n',
        encoding="utf-8",
    )


def test_check_reports_every_problem_with_file_and_line(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    break_library(empty_library, make_paper_file)
    result = invoke("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    papers = empty_library / "papers"

    def reported(fragment: str) -> str:
        hits = [line for line in lines if fragment in line]
        assert hits, f"{fragment!r} not reported in:\n{result.stderr}"
        return hits[0]

    assert reported("syntax.toml").startswith(f"{papers / 'syntax.toml'}:2: invalid TOML")
    assert reported("schema.toml").startswith(f"{papers / 'schema.toml'}:3: field 'year'")
    assert "category 'probbing' is not defined" in reported("uncat.toml")
    assert "did you mean 'probing'" in reported("uncat.toml")
    assert "file name does not match its citekey 'right-key'" in reported("wrong-name.toml")
    assert "duplicate citekey 'twin'" in reported("duplicate citekey")
    assert reported("conflict.toml").startswith(f"{papers / 'conflict.toml'}:2: unresolved git conflict marker")
    assert "good2020paper" not in result.stderr
    assert lines[-1].startswith("7 problem(s)")


def test_check_json_lists_problems(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    break_library(empty_library, make_paper_file)
    result = invoke("check", "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert len(problems) == 7
    assert {"path", "line", "message", "warning"} == set(problems[0])
    assert not any(p["warning"] for p in problems)


def test_check_finds_taxonomy_cycles_and_unknown_parents(invoke, empty_library: Path) -> None:  # type: ignore[no-untyped-def]
    (empty_library / "taxonomy.toml").write_text(
        '[[category]]\nid = "a"\ntitle = "A"\nparent = "b"\n\n'
        '[[category]]\nid = "b"\ntitle = "B"\nparent = "a"\n\n'
        '[[category]]\nid = "c"\ntitle = "C"\nparent = "nowhere"\n',
        encoding="utf-8",
    )
    result = invoke("check")
    assert result.exit_code == 1
    assert "category 'c' has unknown parent 'nowhere'" in result.stderr
    assert "category 'a' is part of a parent cycle" in result.stderr


def test_check_passes_on_a_clean_library(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK")
    assert "75 papers" in result.stdout


def test_a_broken_taxonomy_is_one_problem_not_one_per_paper(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    path = bundled_copy / "taxonomy.toml"
    text = path.read_text(encoding="utf-8")
    last = text.rindex('id = "focusing-on-toy-model-experiments"')
    line = text.count("\n", 0, last) + 1
    path.write_text(text.replace('id = "focusing-on-toy-model-experiments"', 'id = "Bad ID"'), encoding="utf-8")
    result = invoke("check")
    assert result.exit_code == 1
    problems = result.stderr.splitlines()[:-1]
    assert problems == [f"{path}:{line}: field 'category[13].id': invalid category id 'Bad ID': "
                        "use lower-case letters, digits and single hyphens"]  # fmt: skip


def test_a_missing_taxonomy_is_one_problem(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    (bundled_copy / "taxonomy.toml").unlink()
    result = invoke("check")
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0]
        == f"{bundled_copy / 'taxonomy.toml'}: missing, but 75 papers are filed in categories"
    )
    assert len(result.stderr.splitlines()) == 2


def test_check_flags_an_unknown_entry_type(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    path = make_paper_file(empty_library, "odd2020paper", type="nonsense")
    make_paper_file(empty_library, "fine2020paper", type="online")
    result = invoke("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:2: unknown entry type 'nonsense' (BibTeX and biblatex types: article, inproceedings, misc, book, ...)"
    )


def test_a_library_without_its_papers_folder_is_an_error(invoke, empty_library: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    shutil.rmtree(empty_library / "papers")
    result = invoke("check")
    assert result.exit_code == 1
    assert "papers" in result.stderr + result.stdout and "missing" in result.stderr + result.stdout
    assert "OK" not in result.stdout
