"""`litmap dedupe`: groups of records of one paper with reasons and scores, and `--not` decisions."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from litmap.dedupe.distinct import DistinctPairs
from litmap.dedupe.groups import find_duplicates, suggest_keep
from litmap.models import Paper
from litmap.services.check import check_library
from litmap.store import Library

OLAH = ["Olah, Chris", "Cammarata, Nick", "Schubert, Ludwig"]


@pytest.fixture
def dup_library(empty_library: Path, make_paper_file) -> Path:  # type: ignore[no-untyped-def]
    """A library with a group of three records of one paper, a pair, a look-alike and a loner."""
    make = make_paper_file
    root = empty_library
    make(root, "olah2020zoom", title="Zoom In: An Introduction to Circuits", authors=OLAH, year=2020, venue="Distill")
    make(root, "olah2020zoomb", title="Zoom in: an introduction to circuits", authors=OLAH, year=2020, tags=["to-read"])
    make(
        root,
        "olah2020zoomc",
        title="Zoom In: An Introdution to Circuits",
        authors=OLAH,
        year=2020,
        venue="Distill",
        doi="10.23915/distill.00024.001",
    )
    make(
        root,
        "elhage2022toy",
        title="Toy Models of Superposition",
        authors=["Elhage, Nelson"],
        year=2022,
        arxiv="2209.10652",
    )
    make(root, "elhage2022toyb", title="Toy models", authors=["Elhage, N."], year=2022, doi="10.48550/ARXIV.2209.10652")
    make(root, "smith2020introduction", title="Introduction", authors=["Smith, John"], year=2020)
    make(root, "jones2020introduction", title="Introduction", authors=["Jones, Mary"], year=2020)
    make(
        root, "kaplan2020scaling", title="Scaling Laws for Neural Language Models", authors=["Kaplan, Jared"], year=2020
    )
    return root


def groups_json(invoke, *args: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    result = invoke("dedupe", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- the core ------------------------------------------------------------------------------------


def test_groups_join_every_record_of_a_paper_and_explain_each_link(dup_library: Path) -> None:
    groups = find_duplicates(Library(dup_library).papers())
    assert [sorted(g.keys) for g in groups] == [
        ["elhage2022toy", "elhage2022toyb"],
        ["olah2020zoom", "olah2020zoomb", "olah2020zoomc"],
    ]
    toy = groups[0]
    assert toy.score == 100.0
    assert [link.reason for link in toy.links] == ["same arXiv id 2209.10652"]
    zoom = groups[1]
    kinds = sorted(link.kind for link in zoom.links)
    assert kinds == ["fuzzy", "title"] or kinds == ["fuzzy", "fuzzy", "title"]
    assert 80 <= zoom.score < 100


def test_distinct_pairs_split_a_group_even_through_a_third_record(dup_library: Path) -> None:
    papers = Library(dup_library).papers()
    groups = find_duplicates(papers, DistinctPairs([("olah2020zoomb", "olah2020zoomc")]))
    zoom = [sorted(g.keys) for g in groups if g.keys[0].startswith("olah")]
    assert len(zoom) == 1 and len(zoom[0]) == 2  # zoomb and zoomc never end up together
    assert {"olah2020zoomb", "olah2020zoomc"} - set(zoom[0])


def test_the_suggested_keeper_is_the_most_complete_record() -> None:
    bare = Paper(key="a", title="T")
    published = Paper(key="b", title="T", venue="NeurIPS", doi="10.1234/x")
    fuller = Paper(key="c", title="T", year=2020, url="https://x.org", note="n", tags=["x"])
    assert suggest_keep([bare, fuller, published]).key == "b"
    assert suggest_keep([bare, fuller]).key == "c"


# -- the command ---------------------------------------------------------------------------------


def test_dedupe_lists_groups_with_reasons_and_scores(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("dedupe")
    assert result.exit_code == 0
    out = result.stdout
    assert "same arXiv id 2209.10652" in out
    assert "olah2020zoomc" in out and "similar title" in out
    assert "2 group(s) of duplicates (5 records)" in out
    assert "smith2020introduction" not in out and "jones2020introduction" not in out


def test_dedupe_json_gives_keys_scores_reasons_and_keeper(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    groups = groups_json(invoke)
    assert len(groups) == 2
    toy = groups[0]
    assert toy["keys"] == ["elhage2022toy", "elhage2022toyb"]
    assert toy["keep"] == "elhage2022toy" and toy["score"] == 100.0
    assert toy["links"] == [
        {
            "keys": ["elhage2022toy", "elhage2022toyb"],
            "reason": "same arXiv id 2209.10652",
            "score": 100.0,
            "kind": "arxiv",
        }
    ]
    assert groups[1]["keep"] == "olah2020zoomc"  # the most complete: venue and DOI


def test_threshold_drops_weaker_fuzzy_matches(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    strict = groups_json(invoke, "--threshold", "99.5")
    assert sorted(sorted(g["keys"]) for g in strict) == [  # type: ignore[arg-type]
        ["elhage2022toy", "elhage2022toyb"],
        ["olah2020zoom", "olah2020zoomb"],
    ]


def test_threshold_out_of_range_is_a_usage_error(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("dedupe", "--threshold", "120")
    assert result.exit_code == 2


def test_no_duplicates_says_so(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, "a", title="One paper", authors=["A, B"])
    result = invoke("dedupe")
    assert result.exit_code == 0 and "No duplicates found." in result.stdout
    assert groups_json(invoke) == []


def test_bundled_library_has_no_duplicates(invoke) -> None:  # type: ignore[no-untyped-def]
    assert groups_json(invoke) == []


# -- --not ---------------------------------------------------------------------------------------


def test_not_records_the_pair_in_a_tracked_file_and_later_runs_honour_it(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("dedupe", "--not", "elhage2022toyb", "elhage2022toy")
    assert result.exit_code == 0
    assert "Recorded" in result.stdout
    data = tomllib.loads((dup_library / "distinct.toml").read_text(encoding="utf-8"))
    assert data == {"pairs": [["elhage2022toy", "elhage2022toyb"]]}
    assert [g["keys"][0] for g in groups_json(invoke)] == ["olah2020zoomc"]
    again = invoke("dedupe", "--not", "elhage2022toy", "elhage2022toyb")
    assert again.exit_code == 0 and "Already recorded" in again.stdout
    assert check_library(Library(dup_library)) == []


def test_not_with_an_unknown_key_suggests_and_writes_nothing(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("dedupe", "--not", "elhage2022toy", "elhage2022tyo")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no paper with key 'elhage2022tyo'")
    assert "did you mean" in result.stderr
    assert not (dup_library / "distinct.toml").exists()


def test_not_with_the_same_paper_twice_is_refused(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("dedupe", "--not", "elhage2022toy", "elhage2022toy")
    assert result.exit_code == 1 and "are the same paper" in result.stderr


def test_not_on_the_read_only_bundled_library_is_refused(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("dedupe", "--not", "elhage2022toy", "olah2020zoom")
    assert result.exit_code == 1 and "read-only" in result.stderr


def test_not_cannot_be_combined_with_merge(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("dedupe", "--merge", "--not", "elhage2022toy", "olah2020zoom").exit_code == 2


def test_check_reports_a_broken_or_stale_distinct_file(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    path = dup_library / "distinct.toml"
    path.write_text('pairs = [\n  ["elhage2022toy", "elhage2022tyo"],\n  ["a"],\n]\n', encoding="utf-8")
    result = invoke("check")
    assert result.exit_code == 1
    assert f"{path}:2: no paper with key 'elhage2022tyo' (did you mean 'elhage2022toy'?)" in result.stderr
    assert "pairs[1] must be two citekeys" in result.stderr
    path.write_text("pairs = [[\n", encoding="utf-8")
    assert "invalid TOML" in invoke("check").stderr


def test_a_git_conflict_in_the_distinct_file_names_its_line(invoke, dup_library: Path) -> None:  # type: ignore[no-untyped-def]
    (dup_library / "distinct.toml").write_text("pairs = [\n<<<<<<< HEAD\n]\n", encoding="utf-8")
    result = invoke("dedupe")
    assert result.exit_code == 1
    assert "distinct.toml:2: unresolved git conflict marker" in result.stderr


def test_the_commands_default_threshold_is_the_matchers() -> None:
    from litmap.cli import dedupe_cmds
    from litmap.dedupe.matching import DEFAULT_THRESHOLD

    assert dedupe_cmds.DEFAULT_THRESHOLD == DEFAULT_THRESHOLD
