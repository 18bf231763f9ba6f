"""Merging records of one paper: the rules, the command, and that a merge is one atomic change."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from litmap.dedupe.merge import merge_records
from litmap.errors import InvalidValue
from litmap.models import Paper
from litmap.services.check import check_library
from litmap.store import Library

AUTHORS = ["Meng, Kevin", "Bau, David", "Andonian, Alex", "Belinkov, Yonatan"]

PREPRINT = Paper(
    key="meng2022locating",
    type="misc",
    title="Locating and Editing Factual Knowledge in GPT",
    # The same people, abbreviated: with the reworded title the matcher still finds one paper (score 80).
    authors=["Meng, K.", "Bau, D.", "Andonian, A.", "Belinkov, Y."],
    year=2022,
    month=2,
    venue="arXiv preprint arXiv:2202.05262",
    arxiv="2202.05262",
    url="https://arxiv.org/abs/2202.05262",
    categories=["model-editing"],
    tags=["to-read"],
    note="Read for the editing reading group.",
    added=dt.date(2023, 5, 1),
    abstract="Short abstract.",
    extra={"keywords": "editing"},
)
PUBLISHED = Paper(
    key="meng2023locating",
    type="inproceedings",
    title="Locating and Editing Factual Associations in GPT",
    authors=AUTHORS,
    year=2023,
    venue="Advances in Neural Information Processing Systems",
    volume="35",
    pages="17359--17372",
    doi="10.5555/3600270.3601532",
    categories=["causal-tracing"],
    tags=["classic", "to-read"],
    note="ROME.",
    added=dt.date(2022, 12, 1),
    abstract="A much longer abstract that says everything the short one says and more.",
    aliases=["rome"],
    extra={"keywords": "memory", "publisher": "Curran"},
)


def file_record(root: Path, key: str) -> dict[str, object]:
    return tomllib.loads((root / "papers" / f"{key}.toml").read_text(encoding="utf-8"))


# -- the rules -----------------------------------------------------------------------------------


def test_merge_keeps_every_label_and_the_most_complete_value_of_each_field() -> None:
    result = merge_records([PREPRINT, PUBLISHED])
    merged = result.paper
    assert merged.key == "meng2022locating"
    assert merged.categories == ["model-editing", "causal-tracing"]
    assert merged.tags == ["to-read", "classic"]
    assert merged.note == "Read for the editing reading group.\n\nROME."
    assert [a.as_text() for a in merged.authors] == AUTHORS  # the fuller names
    assert merged.abstract == PUBLISHED.abstract  # the longer one
    assert merged.added == dt.date(2022, 12, 1)  # the earliest
    assert merged.aliases == ["meng2023locating", "rome"]
    assert result.removed == ["meng2023locating"]


def test_merge_takes_the_published_form_and_keeps_the_arxiv_id() -> None:
    merged = merge_records([PREPRINT, PUBLISHED]).paper
    assert merged.venue == PUBLISHED.venue
    assert merged.doi == PUBLISHED.doi
    assert merged.arxiv == "2202.05262"
    assert (merged.type, merged.title) == ("inproceedings", PUBLISHED.title)
    assert (merged.volume, merged.pages) == ("35", "17359--17372")
    assert (merged.year, merged.month) == (2022, 2)  # first public release, as the library's keys have it
    assert merged.url == "https://arxiv.org/abs/2202.05262"


PUBLISHED_DROPPED = [
    ("title", "meng2022locating", "Locating and Editing Factual Knowledge in GPT"),
    ("year", "meng2023locating", "2023"),
    ("abstract", "meng2022locating", "Short abstract."),
    ("keywords", "meng2023locating", "memory"),
]


def test_merge_reports_every_value_it_could_not_keep() -> None:
    result = merge_records([PREPRINT, PUBLISHED])
    assert result.paper.extra == {"keywords": "editing", "publisher": "Curran"}
    # Not reported: the abbreviated authors (the fuller list names them), the arXiv venue (the arXiv id stays).
    assert [(d.field, d.key, d.value) for d in result.dropped] == PUBLISHED_DROPPED


def test_keep_chooses_the_key_and_an_alias_names_the_paper_too() -> None:
    assert merge_records([PREPRINT, PUBLISHED], keep="meng2023locating").paper.key == "meng2023locating"
    by_alias = merge_records([PREPRINT, PUBLISHED], keep="rome").paper
    assert by_alias.key == "meng2023locating" and by_alias.aliases == ["rome", "meng2022locating"]


def test_merge_refuses_one_paper_or_a_keeper_outside_the_merge() -> None:
    with pytest.raises(InvalidValue, match="at least two different papers"):
        merge_records([PREPRINT, PREPRINT])
    with pytest.raises(InvalidValue, match="--keep 'other' is not one of the papers"):
        merge_records([PREPRINT, PUBLISHED], keep="other")


# -- the command ---------------------------------------------------------------------------------


@pytest.fixture
def two_records(empty_library: Path) -> Path:
    """A library with the preprint and the published record (and their categories)."""
    library = Library(empty_library)
    from litmap.models import Category

    library.save_taxonomy(
        [Category(id="model-editing", title="Model editing"), Category(id="causal-tracing", title="Causal tracing")]
    )
    library.save_papers([PREPRINT, PUBLISHED])
    return empty_library


def test_merge_command_rewrites_the_kept_file_and_removes_the_other(invoke, two_records: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("merge", "meng2022locating", "meng2023locating")
    assert result.exit_code == 0, result.stderr
    assert "Merged meng2023locating into meng2022locating" in result.stdout
    assert "not kept: keywords = 'memory' of meng2023locating" in result.stderr
    assert not (two_records / "papers" / "meng2023locating.toml").exists()
    record = file_record(two_records, "meng2022locating")
    assert record["aliases"] == ["meng2023locating", "rome"]
    assert record["doi"] == PUBLISHED.doi and record["arxiv"] == "2202.05262"
    assert check_library(Library(two_records)) == []


def test_old_keys_still_resolve_in_show_tag_and_export(invoke, two_records: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("merge", "meng2022locating", "meng2023locating", "--keep", "meng2023locating").exit_code == 0
    shown = invoke("show", "meng2022locating", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["key"] == "meng2023locating"
    assert invoke("tag", "meng2022locating", "+merged").exit_code == 0
    assert "merged" in file_record(two_records, "meng2023locating")["tags"]  # type: ignore[operator]
    aux = tmp_path / "draft.aux"
    aux.write_text("\\citation{meng2022locating}\n\\bibdata{refs}\n", encoding="utf-8")
    exported = invoke("export", "bibtex", "--aux", str(aux))
    assert exported.exit_code == 0, exported.stderr
    assert "Factual Associations" in exported.stdout and "@inproceedings{meng2022locating," in exported.stdout


def test_merge_json_reports_the_kept_paper_and_what_went(invoke, two_records: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("merge", "meng2022locating", "meng2023locating", "--json")
    data = json.loads(result.stdout)
    assert data["kept"] == "meng2022locating" and data["removed"] == ["meng2023locating"]
    assert data["paper"]["categories"] == ["model-editing", "causal-tracing"]
    assert data["dropped"] == [{"field": f, "key": k, "value": v} for f, k, v in PUBLISHED_DROPPED]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["meng2022locating", "meng2023locatin"], "no paper with key 'meng2023locatin'; did you mean"),
        (["meng2023locating", "rome"], "a merge needs at least two different papers"),
        (["meng2022locating", "meng2023locating", "--keep", "nobody"], "no paper with key 'nobody'"),
    ],
)
def test_merge_mistakes_change_nothing(invoke, two_records: Path, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    before = {p.name: p.read_bytes() for p in (two_records / "papers").iterdir()}
    result = invoke("merge", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert {p.name: p.read_bytes() for p in (two_records / "papers").iterdir()} == before


def _files(root: Path) -> dict[str, bytes]:
    """Every file of the library (papers, taxonomy, distinct.toml...) and its bytes; not the lock directory."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".litmap" not in p.parts
    }


def test_a_preprint_and_its_published_version_merge_without_force(invoke, two_records: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("merge", "meng2023locating", "meng2022locating")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.stem for p in (two_records / "papers").glob("*.toml")) == ["meng2023locating"]


def _refused(invoke, root: Path, *args: str) -> str:  # type: ignore[no-untyped-def]
    """Run ``litmap merge ARGS``, check it exits 1 leaving every file of ``root`` as it was; its stderr."""
    before = _files(root)
    result = invoke("merge", *args)
    assert result.exit_code == 1
    assert _files(root) == before
    return str(result.stderr)


def test_merge_refuses_unrelated_papers_and_writes_nothing(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert _refused(invoke, bundled_copy, "elhage2022toy", "olah2020zoom", "--keep", "olah2020zoom") == (
        "Error: olah2020zoom and elhage2022toy do not look like the same paper (different titles and authors); "
        "use --force to merge anyway\n"
    )


def test_merge_names_the_record_that_is_not_the_kept_paper(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    library = Library(bundled_copy)
    library.save_paper(library.get("olah2020zoom").model_copy(update={"key": "olah2020zoomb", "aliases": []}))
    stderr = _refused(invoke, bundled_copy, "olah2020zoom", "olah2020zoomb", "elhage2022toy")
    assert "olah2020zoom and elhage2022toy do not look like the same paper" in stderr


def test_force_merges_unrelated_papers_and_warns_about_every_value_dropped(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    library = Library(bundled_copy)
    zoom, toy = library.get("olah2020zoom"), library.get("elhage2022toy")
    result = invoke("merge", "elhage2022toy", "olah2020zoom", "--keep", "olah2020zoom", "--force", "--json")
    assert result.exit_code == 0, result.stderr
    dropped = {(d["field"], d["key"]): d["value"] for d in json.loads(result.stdout)["dropped"]}
    assert dropped[("authors", "olah2020zoom")] == "; ".join(a.as_text() for a in zoom.authors)
    assert dropped[("abstract", "olah2020zoom")] == zoom.abstract
    assert dropped[("url", "elhage2022toy")] == toy.url
    assert dropped[("title", "elhage2022toy")] == toy.title
    assert f"Warning: not kept: url = {toy.url!r} of elhage2022toy" in result.stderr
    assert "Warning: not kept: authors = 'Olah, Chris; " in result.stderr
    assert "Warning: not kept: abstract = " in result.stderr
    assert not (bundled_copy / "papers" / "elhage2022toy.toml").exists()


def test_merge_on_the_bundled_library_is_refused(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("merge", "elhage2022toy", "olah2020zoom")
    assert result.exit_code == 1 and "read-only" in result.stderr


def test_merge_refuses_a_pair_declared_distinct(invoke, two_records: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("dedupe", "--not", "meng2022locating", "meng2023locating").exit_code == 0
    assert _refused(invoke, two_records, "meng2022locating", "meng2023locating") == (
        "Error: meng2022locating and meng2023locating do not look like the same paper "
        "(recorded as different papers in distinct.toml); use --force to merge anyway\n"
    )


def test_merging_a_pair_declared_distinct_with_force_forgets_the_pair(invoke, two_records: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("dedupe", "--not", "meng2022locating", "meng2023locating").exit_code == 0
    assert invoke("merge", "meng2022locating", "meng2023locating", "--force").exit_code == 0
    assert tomllib.loads((two_records / "distinct.toml").read_text(encoding="utf-8")) == {"pairs": []}


# -- dedupe --merge ------------------------------------------------------------------------------


@pytest.fixture
def two_groups(empty_library: Path, make_paper_file) -> Path:  # type: ignore[no-untyped-def]
    root = empty_library
    make_paper_file(root, "a2020", title="Zoom In: An Introduction to Circuits", authors=["Olah, C"], tags=["x"])
    make_paper_file(root, "a2020b", title="Zoom in: an introduction to circuits", authors=["Olah, C"], tags=["y"])
    make_paper_file(root, "b2022", title="Toy Models of Superposition", arxiv="2209.10652", authors=["Elhage, N"])
    make_paper_file(root, "b2022b", title="Toy models", doi="10.48550/arXiv.2209.10652", authors=["Elhage, N"])
    return root


def test_dedupe_merge_asks_per_group(invoke, two_groups: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("dedupe", "--merge", input="y\nn\n")
    assert result.exit_code == 0
    assert result.stdout.count("Merge these 2 records into") == 2
    assert "1 group(s) merged, 1 record(s) removed." in result.stdout
    remaining = sorted(p.stem for p in (two_groups / "papers").glob("*.toml"))
    assert remaining == ["a2020", "b2022", "b2022b"]  # the first group asked about was merged


def test_dedupe_merge_yes_merges_every_group_and_then_none_is_left(invoke, two_groups: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("dedupe", "--merge", "--yes", "--json")
    assert result.exit_code == 0
    merged = json.loads(result.stdout)
    assert sorted((m["kept"], m["removed"][0]) for m in merged) == [("a2020", "a2020b"), ("b2022", "b2022b")]
    assert file_record(two_groups, "a2020")["tags"] == ["x", "y"]
    assert json.loads(invoke("dedupe", "--json").stdout) == []
    assert check_library(Library(two_groups)) == []


def test_dedupe_merge_json_without_yes_is_a_usage_error(invoke, two_groups: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("dedupe", "--merge", "--json").exit_code == 2
    assert invoke("dedupe", "--yes").exit_code == 2


# -- one atomic change ---------------------------------------------------------------------------


def _fail_on_replace_call(monkeypatch: pytest.MonkeyPatch, failing_call: int) -> None:
    real = os.replace
    calls = 0

    def flaky(src: object, dst: object) -> None:
        nonlocal calls
        calls += 1
        if calls == failing_call:
            raise OSError(28, "No space left on device (simulated)")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", flaky)


def _labels(root: Path) -> tuple[set[str], set[str]]:
    library = Library(root)
    papers = library.papers()
    return {c for p in papers for c in p.categories}, {t for p in papers for t in p.tags}


@pytest.mark.parametrize(
    ("failing_call", "state"),
    # os.replace runs for the journal, then for each staged file: the kept paper, distinct.toml
    [(1, "old"), (2, "new"), (3, "new")],
)
def test_an_interrupted_merge_leaves_the_old_or_the_new_library(
    invoke, two_records: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int, state: str
) -> None:  # type: ignore[no-untyped-def]
    from litmap.services.dedupe import merge_in_library

    assert invoke("dedupe", "--not", "meng2022locating", "meng2023locating").exit_code == 0
    distinct_before = (two_records / "distinct.toml").read_text(encoding="utf-8")
    library = Library(two_records)
    papers = library.papers()
    _fail_on_replace_call(monkeypatch, failing_call)
    with pytest.raises(OSError, match="simulated"):
        merge_in_library(library, papers, "meng2022locating", force=True)
    monkeypatch.undo()

    reopened = Library(two_records)  # rolls an interrupted change forward
    assert check_library(reopened) == []
    keys = sorted(p.key for p in reopened.papers())
    distinct_after = (two_records / "distinct.toml").read_text(encoding="utf-8")
    if state == "old":
        assert keys == ["meng2022locating", "meng2023locating"]
        assert reopened.get("meng2022locating") == PREPRINT
        assert distinct_after == distinct_before
    else:
        assert keys == ["meng2022locating"]
        assert reopened.get("meng2023locating").key == "meng2022locating"
        assert reopened.get("rome").key == "meng2022locating"
        assert tomllib.loads(distinct_after) == {"pairs": []}
    assert _labels(two_records) == ({"model-editing", "causal-tracing"}, {"to-read", "classic"})
    assert not [p for p in two_records.rglob("*") if p.name.endswith(".litmap-tmp")]


def test_merge_through_the_installed_entry_point(two_records: Path) -> None:
    litmap = Path(sys.executable).parent / "litmap"
    env = {**os.environ, "LITMAP_LIBRARY": str(two_records)}
    result = subprocess.run(
        [str(litmap), "merge", "meng2023locating", "meng2022locating"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.stem for p in (two_records / "papers").glob("*.toml")) == ["meng2023locating"]
    shown = subprocess.run([str(litmap), "show", "meng2022locating", "--json"], env=env, capture_output=True, text=True)
    assert json.loads(shown.stdout)["key"] == "meng2023locating"
