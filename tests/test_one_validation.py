"""What ``add`` accepts, ``check`` accepts, and the reverse: entry types, tags that differ in case,
misspelt field names."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest


def record(library: Path, key: str) -> dict[str, Any]:
    return tomllib.loads((library / "papers" / f"{key}.toml").read_text(encoding="utf-8"))


def add(invoke: Any, title: str, *more: str) -> str:
    result = invoke("add", "--title", title, "--author", "Doe, Jane", "--year", "2021", *more)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split("Added ", 1)[1].split(":", 1)[0]


# -- entry types ---------------------------------------------------------------------------------


def test_add_refuses_an_entry_type_with_the_message_check_gives(
    empty_library: Path, invoke: Any, make_paper_file: Any
) -> None:
    refused = invoke("add", "--title", "A weird one", "--author", "Doe, Jane", "--type", "weird")
    assert refused.exit_code == 1
    assert list((empty_library / "papers").iterdir()) == []
    make_paper_file(empty_library, "doe2021weird", type="weird")
    checked = invoke("check")
    assert checked.exit_code == 1
    check_message = checked.stderr.splitlines()[0].split(".toml:2: ", 1)[1]
    assert check_message.startswith("unknown entry type 'weird'")
    assert refused.stderr == f"Error: --type: {check_message}\n"


@pytest.mark.parametrize("entry_type", ["online", "thesis", "report", "software", "inproceedings"])
def test_add_and_check_accept_the_bibtex_and_biblatex_types(empty_library: Path, invoke: Any, entry_type: str) -> None:
    key = add(invoke, f"A {entry_type} entry", "--type", entry_type)
    assert record(empty_library, key)["type"] == entry_type
    assert invoke("check").exit_code == 0


# -- tags compare case-insensitively -------------------------------------------------------------


def test_a_tag_differing_only_in_case_is_the_same_tag(empty_library: Path, invoke: Any) -> None:
    first = add(invoke, "Grokking modular arithmetic", "--tag", "to-read")
    second = add(invoke, "Sparse probing of neurons")
    assert invoke("tag", first, "+To-Read").exit_code == 0
    assert record(empty_library, first)["tags"] == ["to-read"]
    assert invoke("tag", second, "+To-Read").exit_code == 0
    assert record(empty_library, second)["tags"] == ["to-read"]  # the library's spelling
    third = add(invoke, "Causal scrubbing of circuits", "--tag", "TO-READ", "--tag", "to-read")
    assert record(empty_library, third)["tags"] == ["to-read"]
    stats = json.loads(invoke("stats", "--json").stdout)
    assert stats["tags"] == [{"tag": "to-read", "papers": 3}]
    assert invoke("tag", third, "-To-Read").exit_code == 0
    assert "tags" not in record(empty_library, third)


def test_tagging_one_paper_takes_the_libraries_spelling_from_the_index_not_every_paper(
    empty_library: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litmap.store import Library

    first = add(invoke, "Grokking modular arithmetic", "--tag", "to-read")
    second = add(invoke, "Sparse probing of neurons")
    assert invoke("search", "grokking").exit_code == 0  # the library has an index

    def every_paper(self: Library) -> list[Any]:
        raise AssertionError("tagging one paper loaded every paper")

    monkeypatch.setattr(Library, "papers", every_paper)
    assert invoke("tag", second, "+To-Read").exit_code == 0
    assert record(empty_library, second)["tags"] == ["to-read"]  # the library's spelling
    assert record(empty_library, first)["tags"] == ["to-read"]


def test_tag_filters_ignore_case(empty_library: Path, invoke: Any, make_paper_file: Any) -> None:
    make_paper_file(empty_library, "lower2020one", tags=["to-read"])
    make_paper_file(empty_library, "upper2020two", tags=["To-Read"])
    make_paper_file(empty_library, "other2020three", tags=["done"])
    for spelling in ("to-read", "TO-READ"):
        listed = invoke("list", "--tag", spelling, "--keys")
        assert listed.stdout.split() == ["lower2020one", "upper2020two"], spelling
        found = invoke("search", f"tag:{spelling}", "--keys")
        assert sorted(found.stdout.split()) == ["lower2020one", "upper2020two"], spelling
    exported = invoke("export", "bibtex", "--tag", "To-read")
    assert "@article{lower2020one," in exported.stdout and "@article{upper2020two," in exported.stdout


def test_renaming_a_tag_renames_every_spelling(empty_library: Path, invoke: Any, make_paper_file: Any) -> None:
    make_paper_file(empty_library, "lower2020one", tags=["to-read"])
    make_paper_file(empty_library, "upper2020two", tags=["To-Read", "core"])
    assert invoke("tag", "--rename", "TO-READ", "reading-list").exit_code == 0
    assert record(empty_library, "lower2020one")["tags"] == ["reading-list"]
    assert record(empty_library, "upper2020two")["tags"] == ["reading-list", "core"]


def test_check_warns_about_two_spellings_of_one_tag(empty_library: Path, invoke: Any, make_paper_file: Any) -> None:
    path = make_paper_file(empty_library, "doe2021two", tags=["To-Read", "to-read"])
    result = invoke("check")
    assert result.exit_code == 0  # a warning, not an error
    assert f"{path}:" in result.stderr
    assert "warning: tags 'To-Read' and 'to-read' are one tag" in result.stderr
    assert "1 warning" in result.stdout


# -- misspelt fields -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "meant"),
    [("yaer", "year"), ("auther", "authors"), ("titel", "title"), ("jounral", "journal"), ("venu", "venue")],
)
def test_a_field_one_edit_from_a_known_one_is_a_warning_naming_the_file(
    empty_library: Path, invoke: Any, field: str, meant: str
) -> None:
    path = empty_library / "papers" / "doe2022typo.toml"
    path.write_text(f'key = "doe2022typo"\ntitle = "A typo"\n{field} = "2022"\n', encoding="utf-8")
    result = invoke("check")
    assert result.exit_code == 0
    assert f"{path}:3: warning: unknown field {field!r}; did you mean {meant!r}?\n" in result.stderr
    as_json = json.loads(invoke("check", "--json").stdout)
    assert as_json == [
        {
            "path": str(path),
            "line": 3,
            "message": f"unknown field {field!r}; did you mean {meant!r}?",
            "warning": True,
        }
    ]


def test_fields_other_tools_write_are_no_typos(empty_library: Path, invoke: Any) -> None:
    path = empty_library / "papers" / "doe2022tools.toml"
    fields = ["fjournal", "pmid", "pmcid", "bibsource", "editora", "isrn", "my_own_notes"]
    path.write_text(
        'key = "doe2022tools"\ntitle = "Tools"\n' + "".join(f'{f} = "x"\n' for f in fields), encoding="utf-8"
    )
    result = invoke("check")
    assert (result.exit_code, result.stderr) == (0, "")
