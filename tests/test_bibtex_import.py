"""BibTeX in: macros, months, crossref, accents, unknown fields, malformed entries; `litmap import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from litmap.formats.bibtex_read import evaluate_value, page_range, parse_bibtex, parse_names
from litmap.models import Author, Paper
from litmap.store import Library
from sources_support import FIXTURES

ZOTERO = FIXTURES / "zotero-library.bib"
TRUTH: list[dict[str, Any]] = json.loads((FIXTURES / "zotero-library.expected.json").read_text(encoding="utf-8"))


def one(text: str) -> Paper:
    items, _containers = parse_bibtex(text)
    assert len(items) == 1, items
    assert items[0].paper is not None, items[0].error
    return items[0].paper


# -- values and fields -----------------------------------------------------------------------------


def test_string_macros_are_case_insensitive_and_concatenate() -> None:
    macros = {"acl": "Proc. of ACL"}
    assert evaluate_value('"In " # ACL # { 2020}', macros) == "In Proc. of ACL 2020"
    assert evaluate_value("jun", {}) == "June"
    assert evaluate_value("2020", {}) == "2020"


def test_latex_accents_become_unicode_in_every_encoding() -> None:
    paper = one(
        r"""@article{k, title = {{\"U}ber {\'e}l\'{e}gance: G\"odel, {\ss}, \c{c}a, Na\"{\i}ve \& {BERT}},
        author = {M{\"u}ller, J{\"o}rg and \v{S}imon, Kry{\v{s}}tof}, year = 2020}"""
    )
    assert paper.title == "Über élégance: Gödel, ß, ça, Naïve & BERT"
    assert paper.authors == [Author(family="Müller", given="Jörg"), Author(family="Šimon", given="Kryštof")]


def test_month_macros_and_month_names() -> None:
    assert one("@article{k, title={T}, year=2020, month=sep}").month == 9
    assert one("@article{k, title={T}, year=2020, month={June}}").month == 6
    assert one("@article{k, title={T}, year=2020, month=Sept}").month == 9


def test_names_with_particles_suffixes_organisations_and_others() -> None:
    assert parse_names("{Google Brain Team} and van der Berg, Anna and King, Jr, Martin and others") == [
        Author(family="Google Brain Team"),
        Author(family="van der Berg", given="Anna"),
        Author(family="King, Jr", given="Martin"),
        Author(family="others"),
    ]


def test_crossref_children_inherit_and_the_proceedings_is_not_a_paper() -> None:
    items, containers = parse_bibtex(
        """@inproceedings{child, title={Child}, author={Doe, J}, pages={1--9}, crossref={proc}}
        @proceedings{proc, title={Proceedings of Things 2020}, year=2020, publisher={PMLR}, doi={10.1/proc}}"""
    )
    assert len(containers) == 1
    (item,) = items
    assert item.paper is not None
    assert item.paper.venue == "Proceedings of Things 2020"
    assert item.paper.year == 2020
    assert item.paper.extra == {"publisher": "PMLR"}
    assert item.paper.doi is None  # the proceedings' DOI is not the paper's
    assert item.paper.pages == "1--9"


def test_unknown_fields_are_kept_and_identifiers_found_where_tools_put_them() -> None:
    paper = one(
        r"""@online{k, title={T}, author={A, B}, date={2022-09-21}, eprint={2209.10652v2}, eprinttype={arxiv},
        eprintclass={cs.LG}, langid={english}, file={/home/a/Zotero/storage/X/paper_v2.pdf}, urldate={2024-01-02},
        doi={https://doi.org/10.1000/ABC}}"""
    )
    assert paper.arxiv == "2209.10652"
    assert (paper.year, paper.month) == (2022, 9)
    assert paper.doi == "10.1000/ABC"
    assert paper.extra == {
        "date": "2022-09-21",
        "eprint": "2209.10652v2",  # not the bare id: kept as written (an export writes it back)
        "eprinttype": "arxiv",
        "eprintclass": "cs.LG",
        "file": "/home/a/Zotero/storage/X/paper_v2.pdf",
        "langid": "english",
        "urldate": "2024-01-02",
    }
    assert one("@misc{k, title={T}, arxivId={1706.03762}}").arxiv == "1706.03762"
    assert one("@misc{k, title={T}, url={https://arxiv.org/abs/1706.03762v5}}").arxiv == "1706.03762"


def test_values_litmap_cannot_read_are_kept_as_text() -> None:
    paper = one("@article{k, title={T}, year={in press}, month={Summer}, doi={n/a}}")
    assert paper.year is None and paper.month is None and paper.doi is None
    assert paper.extra == {"year-text": "in press", "month-text": "Summer", "doi-text": "n/a"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@article{a, title = {Unclosed, year = 2019}\n", "not closed before the next @"),
        ("@article{a, title = {A}\n year = 2020}", "malformed value"),
        ("@article{a, title = {A}, title = {B}}", "field given twice: title"),
        ("@article{a, author = {Doe, J}}", "the entry has no title"),
    ],
)
def test_malformed_entries_are_failures_with_their_line(text: str, reason: str) -> None:
    items, _ = parse_bibtex("% first line\n\n" + text + "\n@misc{ok, title={Still read}}\n")
    assert [(item.line, item.key, bool(item.paper)) for item in items] == [(3, "a", False), (items[1].line, "ok", True)]
    assert reason in (items[0].error or "")


# -- the Zotero-style library ------------------------------------------------------------------------


@pytest.fixture
def imported(empty_library: Path, make_paper_file: Any, invoke: Any) -> tuple[Any, Library]:
    make_paper_file(empty_library, "elhage2022toy", title="Toy Models of Superposition", arxiv="2209.10652")
    result = invoke("import", str(ZOTERO), "--json")
    return result, Library(empty_library)


def _record_authors(paper: Paper) -> list[Any]:
    return paper.to_record().get("authors", [])


def test_zotero_library_imports_with_every_outcome_as_expected(imported: tuple[Any, Library]) -> None:
    result, library = imported
    assert result.exit_code == 1  # the file has malformed entries
    report = json.loads(result.stdout)
    assert len(TRUTH) > 300
    by_line = {entry["line"]: entry for status in ("added", "present", "failed") for entry in report[status]}
    assert len(report["added"]) == sum(1 for t in TRUTH if t["status"] == "added")
    new_key_of = {}  # bib key -> litmap key, through the alias kept for drafts (or the same key)
    for paper in library.papers():
        for alias in paper.all_keys:
            new_key_of[alias] = paper.key
    for truth in TRUTH:
        outcome = by_line[truth["line"]]
        assert truth["key"] in outcome["source"], (truth, outcome)
        if truth["status"] == "failed":
            assert outcome in report["failed"], (truth, outcome)
            assert truth["reason"] in outcome["reason"], (truth, outcome)
        elif truth["status"] == "present":
            assert outcome in report["present"], (truth, outcome)
            duplicate_of = truth["duplicate_of"]
            expected = (
                duplicate_of.split(":", 1)[1] if duplicate_of.startswith("library:") else new_key_of[duplicate_of]
            )
            assert outcome["key"] == expected, (truth, outcome)
        else:
            assert outcome in report["added"], (truth, outcome)


def test_zotero_library_keeps_every_field(imported: tuple[Any, Library]) -> None:
    _result, library = imported
    by_alias = {alias: paper for paper in library.papers() for alias in paper.all_keys}
    checked = 0
    for truth in TRUTH:
        if truth["status"] != "added":
            continue
        paper = by_alias[truth["key"]]
        expect = truth.get("expect", {})
        assert paper.title == expect["title"]
        for name in ("year", "month", "venue", "doi", "arxiv", "url", "type"):
            if name in expect:
                assert getattr(paper, name) == expect[name], (truth["key"], name)
        if "note" in expect:  # the entry's note is bibliographic, kept apart from the curator's own
            assert paper.extra.get("bibtex-note") == expect["note"] and paper.note is None, truth["key"]
        if "authors" in expect:
            assert _record_authors(paper) == expect["authors"], truth["key"]
        if "pages_start" in expect:
            assert paper.pages is not None and paper.pages.startswith(expect["pages_start"])
        if "abstract_end" in expect:
            assert paper.abstract is not None and paper.abstract.endswith(expect["abstract_end"])
        for name, value in expect.get("extra", {}).items():
            assert paper.extra.get(name) == value, (truth["key"], name, paper.extra)
        assert paper.added is not None
        checked += 1
    assert checked > 250


def test_import_is_idempotent(imported: tuple[Any, Library], invoke: Any) -> None:
    _first, library = imported
    count = len(library.keys())
    again = invoke("import", str(ZOTERO), "--json")
    report = json.loads(again.stdout)
    assert report["added"] == []
    assert len(Library(library.root).keys()) == count


def test_import_reports_lines_of_failures_on_stderr(empty_library: Path, tmp_path: Path, invoke: Any) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{good, title={A Good Entry}, author={Doe, Jane}, year=2020}\n\n"
        "@article{bad, title={Broken\n\n"
        "@article{good2, title={Another Good Entry}, author={Roe, Richard}, year=2021}\n",
        encoding="utf-8",
    )
    result = invoke("import", str(bib))
    assert result.exit_code == 1
    assert "Error: refs.bib:3 (bad): the entry is not closed" in result.stderr
    assert "2 added, 0 already present, 1 failed." in result.stdout
    assert sorted(Library(empty_library).keys()) == ["doe2020good", "roe2021another"]


def test_import_keep_keys_force_and_dry_run(empty_library: Path, tmp_path: Path, invoke: Any) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{Doe:2020, title={A Good Entry}, author={Doe, Jane}, year=2020}\n"
        "@article{again, title={A good entry}, author={Doe, Jane}, year=2020}\n",
        encoding="utf-8",
    )
    dry = invoke("import", str(bib), "--dry-run")
    assert dry.exit_code == 0
    assert "Would add" in dry.stdout
    assert Library(empty_library).keys() == []
    kept = invoke("import", str(bib), "--keep-keys", "--tag", "from-zotero")
    assert kept.exit_code == 0, kept.stderr
    assert Library(empty_library).keys() == ["Doe:2020"]
    assert Library(empty_library).get("Doe:2020").tags == ["from-zotero"]
    forced = invoke("import", str(bib), "--force", "--json")
    assert len(json.loads(forced.stdout)["added"]) == 2
    assert len(Library(empty_library).keys()) == 3


def test_import_checks_the_category_before_reading_anything(empty_library: Path, invoke: Any) -> None:
    result = invoke("import", str(ZOTERO), "--category", "superpositon")
    assert result.exit_code == 1
    assert "no category 'superpositon'" in result.stderr
    assert Library(empty_library).keys() == []


def test_import_of_a_missing_file_is_one_line(empty_library: Path, invoke: Any) -> None:
    result = invoke("import", "nowhere.bib")
    assert result.exit_code == 1
    assert result.stderr == "Error: nowhere.bib: no such file\n"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("1102-1107", "1102--1107"),
        ("1102 – 1107", "1102--1107"),
        ("1102---1107", "1102--1107"),
        ("S12-S20", "S12--S20"),
        ("e00024.003", "e00024.003"),
        ("A-1", "A-1"),
        ("A-1--A-9", "A-1--A-9"),
    ],
)
def test_page_ranges_take_bibtex_form(given: str, kept: str) -> None:
    assert page_range(given) == kept


# -- a stray "@" line between entries ------------------------------------------------------------------

STRAY = (
    "@article{one, title={First}, author={Doe, Jane}, year=2020}\n\n"
    "@ stray\n\n"
    "@article{two, title={Second}, author={Roe, Rick}, year=2021}\n"
)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (STRAY, 3),
        (STRAY.replace("@ stray", "  @article no brace here"), 3),
        ("@ stray at the start\n" + STRAY.replace("@ stray\n", ""), 1),
        (STRAY.replace("@ stray\n", "") + "\n@@\n", 6),
    ],
    ids=["between", "entry type without a brace", "first line", "last line"],
)
def test_a_line_starting_with_at_that_is_no_block_is_a_failure(text: str, line: int) -> None:
    items, _ = parse_bibtex(text)
    failures = [(item.line, item.key, item.error) for item in items if item.paper is None]
    assert len(failures) == 1, failures
    assert failures[0][:2] == (line, "")
    assert "starts with '@' but is not an entry" in (failures[0][2] or "")
    assert sorted(item.key for item in items if item.paper is not None) == ["one", "two"]


@pytest.mark.parametrize(
    "between",
    [
        "Some words about the entries below, even an address: x@y.org\n",
        "@comment without braces is a comment in BibTeX\n",
        "% @ stray in a % comment\n",
        '  { } " = , stray marks\n',
    ],
)
def test_text_between_entries_not_starting_with_at_stays_a_comment(between: str) -> None:
    items, _ = parse_bibtex(STRAY.replace("@ stray\n", between))
    assert [(item.key, item.error) for item in items] == [("one", None), ("two", None)]


def test_an_at_line_inside_a_value_is_no_stray_line() -> None:
    paper = one("@misc{k, title={T}, abstract={Line one\n@ line two, said @someone}}\n")
    assert paper.abstract is not None and "@ line two" in paper.abstract


def test_import_reports_a_stray_at_line_with_file_and_line(empty_library: Path, tmp_path: Path, invoke: Any) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(STRAY, encoding="utf-8")
    result = invoke("import", str(bib))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: refs.bib:3: the line starts with '@' but is not an entry, @comment, @preamble or @string: '@ stray'"
    ]
    assert "2 added, 0 already present, 1 failed." in result.stdout


def test_installed_import_reports_a_stray_at_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from litmap.services.admin import init_library

    init_library(tmp_path / "lib", name="test")
    (tmp_path / "refs.bib").write_text(STRAY, encoding="utf-8")
    exe = Path(sys.executable).with_name("litmap")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")}
    args = [str(exe), "--library", str(tmp_path / "lib"), "import", "refs.bib", "--dry-run"]
    result = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Error: refs.bib:3: the line starts with '@' but is not an entry" in result.stderr
    assert "Traceback" not in result.stderr
