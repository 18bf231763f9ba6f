"""Tagging, filing and removing papers: `litmap tag`, `litmap tags`, `litmap rm` and their core."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from litmap.errors import InvalidValue, UnknownKey
from litmap.services import curation
from litmap.services.check import check_library
from litmap.store import Library
from litmap.store import files as store_files


def record(root: Path, key: str) -> dict[str, object]:
    """A paper file read straight from disk (independently of litmap's model)."""
    return tomllib.loads((root / "papers" / f"{key}.toml").read_text(encoding="utf-8"))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every library file's bytes, to prove a refused command changed nothing."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.toml"))}


def keys_under(root: Path, category: str) -> list[str]:
    """Keys of the papers filed in ``category`` or below it, read from the library's files."""
    tables = tomllib.loads((root / "taxonomy.toml").read_text(encoding="utf-8"))["category"]
    wanted = {category}
    while True:
        more = {t["id"] for t in tables if t.get("parent") in wanted} - wanted
        if not more:
            break
        wanted |= more
    out = []
    for path in sorted((root / "papers").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if wanted & set(data.get("categories", [])):
            out.append(data["key"])
    return sorted(out)


def tags_of(root: Path, key: str) -> list[str]:
    return list(record(root, key).get("tags", []))  # type: ignore[call-overload]


# -- parsing the arguments ---------------------------------------------------------------------


def test_split_tag_args_sorts_keys_plus_and_minus() -> None:
    request = curation.split_tag_args(["a2020", "+to-read", "-", "-done", "b2021", "+x"])
    assert request.keys == ["a2020", "-", "b2021"]
    assert request.add == ["to-read", "x"]
    assert request.remove == ["done"]


@pytest.mark.parametrize("token", ["+", "-  ", "+to read", "+a,b"])
def test_bad_tags_are_refused(token: str) -> None:
    with pytest.raises(InvalidValue):
        curation.split_tag_args(["a2020", token])


def test_tag_minus_args_that_look_like_options(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    # -hard would be -h (help) for a plain click command; -c... and -t... bundles of short options.
    result = invoke("tag", "elhage2022toy", "+hard", "+todo", "+core")
    assert result.exit_code == 0, result.stderr
    assert tags_of(bundled_copy, "elhage2022toy") == ["hard", "todo", "core"]
    result = invoke("tag", "elhage2022toy", "-hard", "-todo")
    assert result.exit_code == 0, result.stderr
    assert tags_of(bundled_copy, "elhage2022toy") == ["core"]


def test_options_may_come_anywhere_among_keys_and_tags(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("tag", "elhage2022toy", "-nothing", "--category", "attribution", "+a", "olah2020zoom", "--", "-b")
    assert result.exit_code == 0, result.stderr
    for key in ("elhage2022toy", "olah2020zoom"):
        data = record(bundled_copy, key)
        assert data["tags"] == ["a"]
        assert "attribution" in data["categories"]  # type: ignore[operator]


def test_unknown_option_is_still_a_usage_error(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(bundled_copy)
    result = invoke("tag", "elhage2022toy", "--categroy", "attribution")
    assert result.exit_code == 2
    assert "--categroy" in result.stderr
    assert snapshot(bundled_copy) == before


# -- tagging -----------------------------------------------------------------------------------


def test_tag_reports_what_changed(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("tag", "elhage2022toy", "+to-read")
    result = invoke("tag", "elhage2022toy", "olah2020zoom", "+to-read")
    assert result.exit_code == 0
    assert "1 paper changed, 1 already so" in result.stdout
    assert tags_of(bundled_copy, "olah2020zoom") == ["to-read"]


def test_unknown_key_gets_did_you_mean_and_changes_nothing(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(bundled_copy)
    result = invoke("tag", "olah2020zoom", "elhage2022tyo", "+to-read")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no paper with key 'elhage2022tyo'; did you mean 'elhage2022toy'?"
    assert snapshot(bundled_copy) == before


def test_several_unknown_keys_are_named_together(bundled_copy: Path) -> None:
    library = Library(bundled_copy)
    with pytest.raises(InvalidValue) as info:
        curation.tag_papers(library, ["olah2020zom", "elhage2022tyo"], add=["x"])
    message = str(info.value)
    assert message.startswith("2 unknown keys:")
    assert "'olah2020zom' (did you mean 'olah2020zoom'?)" in message
    assert "'elhage2022tyo' (did you mean 'elhage2022toy'?)" in message


def test_unknown_category_gets_did_you_mean_and_changes_nothing(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(bundled_copy)
    result = invoke("tag", "elhage2022toy", "+x", "--category", "atribution")
    assert result.exit_code == 1
    assert "no category 'atribution'; did you mean 'attribution'?" in result.stderr
    assert snapshot(bundled_copy) == before


def test_category_and_uncategory(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = record(bundled_copy, "olah2020zoom")["categories"]
    assert "circuit-analysis" in before  # type: ignore[operator]
    result = invoke("tag", "olah2020zoom", "--uncategory", "circuit-analysis", "--category", "attribution")
    assert result.exit_code == 0, result.stderr
    after = record(bundled_copy, "olah2020zoom")["categories"]
    assert after == [c for c in before if c != "circuit-analysis"] + ["attribution"]  # type: ignore[attr-defined]


def test_nothing_to_do_is_an_error(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("tag", "elhage2022toy")
    assert result.exit_code == 1
    assert "nothing to do" in result.stderr
    both = invoke("tag", "elhage2022toy", "+x", "-x")
    assert both.exit_code == 1
    assert "both added and removed" in both.stderr


def test_alias_resolves_to_its_paper(bundled_copy: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(bundled_copy, "kept2020paper", aliases=["old2019paper"])
    outcome = curation.tag_papers(Library(bundled_copy), ["old2019paper", "kept2020paper"], add=["x"])
    assert outcome.changed == ["kept2020paper"]
    assert tags_of(bundled_copy, "kept2020paper") == ["x"]


def test_only_changed_files_are_written_in_one_commit(bundled_copy: Path, commits: list[store_files.Changes]) -> None:
    library = Library(bundled_copy)
    curation.tag_papers(library, ["elhage2022toy"], add=["x"])
    outcome = curation.tag_papers(library, ["elhage2022toy", "olah2020zoom", "nanda2023othellogpt"], add=["x"])
    assert len(commits) == 2  # one atomic change per command
    written = sorted(p.name for p in commits[-1].writes)
    assert written == ["nanda2023othellogpt.toml", "olah2020zoom.toml"]
    assert outcome.unchanged == ["elhage2022toy"]


def test_keys_from_stdin(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("tag", "-", "+to-read", input="elhage2022toy\n\nolah2020zoom\n")
    assert result.exit_code == 0, result.stderr
    assert tags_of(bundled_copy, "elhage2022toy") == ["to-read"]
    assert tags_of(bundled_copy, "olah2020zoom") == ["to-read"]


def test_empty_stdin_is_an_error(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("tag", "-", "+to-read", input="")
    assert result.exit_code == 1
    assert "no citekeys given" in result.stderr


def litmap_exe() -> str:
    return str(Path(sys.executable).with_name("litmap"))


def run_shell(command: str, root: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")} | {"LITMAP_LIBRARY": str(root)}
    return subprocess.run(command, shell=True, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_pipe_from_list_into_tag(bundled_copy: Path) -> None:
    exe = litmap_exe()
    result = run_shell(f"'{exe}' list --category superposition --keys | '{exe}' tag - +to-read", bundled_copy)
    assert result.returncode == 0, result.stderr
    expected = keys_under(bundled_copy, "superposition")
    assert expected
    tagged = run_shell(f"'{exe}' list --tag to-read --keys", bundled_copy)
    assert tagged.stdout.split() == expected


def test_pipe_from_search_into_tag(bundled_copy: Path) -> None:
    import typer.main

    from litmap.cli import app

    if "search" not in typer.main.get_command(app).commands:  # type: ignore[attr-defined]
        pytest.skip("litmap search is not in this build yet")
    exe = litmap_exe()
    found = run_shell(f"'{exe}' search superposition --keys", bundled_copy).stdout.split()
    assert "elhage2022toy" in found
    result = run_shell(f"'{exe}' search superposition --keys | '{exe}' tag - +to-read", bundled_copy)
    assert result.returncode == 0, result.stderr
    assert all(tags_of(bundled_copy, key) == ["to-read"] for key in found)


def test_bundled_library_refuses_tagging(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("tag", "elhage2022toy", "+to-read")
    assert result.exit_code == 1
    assert "read-only" in result.stderr


# -- tag names ---------------------------------------------------------------------------------


def test_tags_lists_counts(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("tag", "elhage2022toy", "olah2020zoom", "+to-read")
    invoke("tag", "olah2020zoom", "+classic")
    result = invoke("tags", "--json")
    assert json.loads(result.stdout) == [{"tag": "to-read", "papers": 2}, {"tag": "classic", "papers": 1}]
    table = invoke("tags")
    assert "to-read" in table.stdout and "classic" in table.stdout


def test_tags_on_a_library_without_tags(invoke, empty_library: Path) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(invoke("tags", "--json").stdout) == []
    assert "No tags yet" in invoke("tags").stdout


def test_rename_tag_everywhere(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("tag", "elhage2022toy", "olah2020zoom", "+to-read")
    invoke("tag", "olah2020zoom", "+queue", "+z")
    result = invoke("tag", "--rename", "to-read", "queue")
    assert result.exit_code == 0, result.stderr
    assert "2 papers changed" in result.stdout
    assert tags_of(bundled_copy, "elhage2022toy") == ["queue"]
    assert tags_of(bundled_copy, "olah2020zoom") == ["queue", "z"]


def test_rename_unknown_tag_suggests(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("tag", "elhage2022toy", "+to-read")
    before = snapshot(bundled_copy)
    result = invoke("tag", "--rename", "to-raed", "queue")
    assert result.exit_code == 1
    assert "no paper has the tag 'to-raed'; did you mean 'to-read'?" in result.stderr
    assert snapshot(bundled_copy) == before
    mixed = invoke("tag", "elhage2022toy", "--rename", "to-read", "queue")
    assert mixed.exit_code == 2


# -- removing papers -----------------------------------------------------------------------------


def test_rm_lists_and_asks_first(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    declined = invoke("rm", "elhage2022toy", "olah2020zoom", input="n\n")
    assert declined.exit_code == 1
    assert "elhage2022toy" in declined.stdout and "olah2020zoom" in declined.stdout
    assert "Nothing removed" in declined.stdout
    assert (bundled_copy / "papers" / "elhage2022toy.toml").exists()
    accepted = invoke("rm", "elhage2022toy", "olah2020zoom", input="y\n")
    assert accepted.exit_code == 0
    assert not (bundled_copy / "papers" / "elhage2022toy.toml").exists()
    assert not (bundled_copy / "papers" / "olah2020zoom.toml").exists()
    assert check_library(Library(bundled_copy)) == []


def test_rm_yes_and_stdin(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("rm", "elhage2022toy", "--yes").exit_code == 0
    assert not (bundled_copy / "papers" / "elhage2022toy.toml").exists()
    refused = invoke("rm", "-", input="olah2020zoom\n")
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr
    assert (bundled_copy / "papers" / "olah2020zoom.toml").exists()
    assert invoke("rm", "-", "--yes", input="olah2020zoom\n").exit_code == 0
    assert not (bundled_copy / "papers" / "olah2020zoom.toml").exists()


def test_rm_forgets_the_removed_papers_distinct_pairs(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("dedupe", "--not", "elhage2022toy", "olah2020zoom").exit_code == 0
    assert invoke("dedupe", "--not", "olsson2022incontext", "olah2020zoom").exit_code == 0
    assert invoke("rm", "elhage2022toy", "--yes").exit_code == 0
    distinct = (bundled_copy / "distinct.toml").read_text(encoding="utf-8")
    assert "elhage2022toy" not in distinct
    assert "olsson2022incontext" in distinct
    assert check_library(Library(bundled_copy)) == []


def test_rm_unknown_key_removes_nothing(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(bundled_copy)
    result = invoke("rm", "olah2020zoom", "elhage2022tyo", "--yes")
    assert result.exit_code == 1
    assert "did you mean 'elhage2022toy'?" in result.stderr
    assert snapshot(bundled_copy) == before


def test_rm_on_bundled_library_refuses_before_asking(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("rm", "elhage2022toy", input="y\n")
    assert result.exit_code == 1
    assert "read-only" in result.stderr
    assert "Remove th" not in result.stdout


def test_resolve_papers_all_or_nothing(bundled_copy: Path) -> None:
    library = Library(bundled_copy)
    with pytest.raises(UnknownKey):
        curation.remove_papers(library, ["elhage2022toy", "nosuch"])
    assert library.has_key("elhage2022toy")


def test_curation_core_imports_no_cli_modules() -> None:
    code = (
        "import sys, litmap.services.curation, litmap.services.stats\n"
        "print(sorted({'typer', 'rich'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_rm_by_an_alias_says_which_paper_goes(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    path = bundled_copy / "papers" / "olah2020zoom.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("type =", 'aliases = ["zoomin"]\ntype ='), encoding="utf-8"
    )
    result = invoke("rm", "zoomin", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "zoomin is an old key (alias) of olah2020zoom: the whole paper goes." in result.stdout
    assert not path.exists()


@pytest.mark.parametrize("indexed", [False, True])
def test_a_copied_paper_file_is_refused_and_the_original_kept(invoke, empty_library: Path, indexed: bool) -> None:  # type: ignore[no-untyped-def]
    """A paper file copied as a template still says the original's key: writing it back would go over
    the original paper's file."""
    papers = empty_library / "papers"
    (papers / "alpha.toml").write_text(
        'key = "alpha"\ntitle = "Original Alpha Title"\ntype = "article"\nyear = 2020\ntags = ["keepme"]\n',
        encoding="utf-8",
    )
    (papers / "copy.toml").write_text(
        (papers / "alpha.toml").read_text(encoding="utf-8").replace("Original Alpha", "Stray Copy"), encoding="utf-8"
    )
    if indexed:
        assert invoke("--library", str(empty_library), "search", "alpha").exit_code == 0
    before = snapshot(empty_library)
    for command in (["tag", "copy", "+new"], ["rm", "copy", "--yes"], ["tag", "copy", "-keepme"]):
        result = invoke("--library", str(empty_library), *command)
        assert result.exit_code == 1, (command, result.stdout)
        assert "copy.toml:1: file name does not match its citekey 'alpha' (expected alpha.toml)" in result.stderr
        assert snapshot(empty_library) == before
    assert invoke("--library", str(empty_library), "tag", "alpha", "+new").exit_code == 0
    assert record(empty_library, "alpha")["title"] == "Original Alpha Title"


# -- a single-field edit touches that field only -------------------------------------------------------

NO_TYPE = 'key = "doe2020typeless"\n# a comment of mine\ntitle = "A paper whose file names no type"\nyear = 2020\n'


def _without(text: str, *fields: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith(fields))


@pytest.mark.parametrize(
    "steps",
    [
        [("tag", "doe2020typeless", "+mine"), ("tag", "doe2020typeless", "-mine")],
        [("tag", "doe2020typeless", "+mine"), ("tag", "--rename", "mine", "ours")],
        [("tag", "doe2020typeless", "--category", "superposition")],
        [
            ("tag", "doe2020typeless", "--category", "superposition"),
            ("category", "rename", "superposition", "superposition-x"),
            ("tag", "doe2020typeless", "--uncategory", "superposition-x"),
        ],
    ],
    ids=["tag", "rename a tag", "category", "category renamed and removed"],
)
def test_an_edit_of_tags_or_categories_leaves_the_rest_of_the_file_as_it_was(  # type: ignore[no-untyped-def]
    invoke, bundled_copy: Path, steps: list[tuple[str, ...]]
) -> None:
    path = bundled_copy / "papers" / "doe2020typeless.toml"
    path.write_text(NO_TYPE, encoding="utf-8")
    for step in steps:
        result = invoke(*step)
        assert result.exit_code == 0, result.output
        assert _without(path.read_text(encoding="utf-8"), "tags = ", "categories = ") == NO_TYPE
    installed = Path(sys.executable).with_name("litmap")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")}
    done = subprocess.run(
        [str(installed), "--library", str(bundled_copy), "tag", "doe2020typeless", "+again"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _without(path.read_text(encoding="utf-8"), "tags = ", "categories = ") == NO_TYPE
