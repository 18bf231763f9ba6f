"""The index-backed fast paths of ``show``, ``tag`` and ``stats`` give what the model-based paths give.

``show`` reads a paper's record from the index when its file is as indexed, ``tag`` rewrites one
file from the indexed record, ``stats`` counts from the index's columns. Each is compared here with
the path through the models (pydantic), on papers with unicode, missing and extra fields, tags
that differ only in case, hand-edited files the index has not seen yet, and a missing index.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from litmap.store.freshness import stamp_of
from litmap.store.index import Index
from litmap.store.index_db import INDEX_FILE
from litmap.store.index_read import indexed_records

EDGE_PAPERS: dict[str, dict[str, object]] = {
    "uber2024strasse": {
        "title": "Über die Straße — 量子 circuits",
        "authors": [
            {"family": "Łukasz", "given": "Kaiser"},
            {"family": "Müller"},
            {"family": "O'Neil", "given": "Ada"},
        ],
        "year": 2024,
        "abstract": "Ünïcödé abstract with a very long line " * 8,
        "tags": ["Émigré", "foo"],
        "categories": ["superposition"],
        "extra": {"publisher": "ACM", "isbn": "978-3-16"},
        "note": "line one\nline two",
    },
    "bare2020": {"title": "Only a title", "type": "misc"},
    "casey2021tags": {"title": "Tags in another case", "tags": ["FOO", "Theory"], "doi": "10.1000/xyz"},
    "linked2019": {
        "title": "Links everywhere",
        "arxiv": "1901.00001",
        "url": "https://example.org/a/very/long/url/that/wraps/" + "x" * 150,
        "aliases": ["Linked:2019", "old-key"],
        "files": ["files/linked2019.pdf"],
        "released": "2018-12",
        "volume": "12",
        "pages": "1--10",
        "venue": "Journal of Links",
    },
}


@pytest.fixture
def edge_library(bundled_copy: Path, make_paper_file, settled) -> Path:  # type: ignore[no-untyped-def]
    """The bundled copy plus papers with the edge cases above, a paper in an undefined category, and
    notes; the files are trusted by their stamps at once (``settled``)."""
    for key, fields in EDGE_PAPERS.items():
        make_paper_file(bundled_copy, key, **fields)
    (bundled_copy / "papers" / "stray2022.toml").write_text(
        'key = "stray2022"\ntitle = "Filed nowhere known"\ncategories = ["no-such-category"]\n', encoding="utf-8"
    )
    (bundled_copy / "notes").mkdir(exist_ok=True)
    (bundled_copy / "notes" / "bare2020.md").write_text("# Only a title\n\nMy own notes.\n", encoding="utf-8")
    return bundled_copy


SHOWN = [[key] for key in [*EDGE_PAPERS, "stray2022", "elhage2022toy"]] + [["bare2020", "elhage2022toy"]]


def _drop_index(root: Path) -> None:
    for name in os.listdir(root / ".litmap"):
        if name.startswith(INDEX_FILE):
            os.unlink(root / ".litmap" / name)


def _index(root: Path) -> None:
    with Index.open(root):
        pass


@pytest.mark.parametrize("keys", SHOWN, ids=" ".join)
@pytest.mark.parametrize("as_json", [False, True], ids=["panel", "json"])
def test_show_from_the_index_prints_what_the_models_print(edge_library: Path, invoke, keys, as_json) -> None:  # type: ignore[no-untyped-def]
    args = ["show", *keys] + (["--json"] if as_json else [])
    _index(edge_library)
    assert indexed_records(edge_library, False, keys) is not None, "the index should answer"
    from_index = invoke(*args)
    _drop_index(edge_library)
    assert indexed_records(edge_library, False, keys) is None
    from_models = invoke(*args)
    assert from_index.exit_code == from_models.exit_code == 0
    assert from_index.output == from_models.output


def test_show_sees_a_hand_edit_the_index_has_not_seen(edge_library: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    _index(edge_library)
    path = edge_library / "papers" / "bare2020.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Only a title", "Edited by hand"), encoding="utf-8")
    assert indexed_records(edge_library, False, ["bare2020"]) is None, "a changed file is not taken from the index"
    edited = invoke("show", "bare2020").output
    assert "Edited by hand" in edited
    _index(edge_library)
    assert indexed_records(edge_library, False, ["bare2020"]) is not None
    assert invoke("show", "bare2020").output == edited


def test_show_sees_a_hand_edit_of_the_taxonomy(edge_library: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    _index(edge_library)
    taxonomy = edge_library / "taxonomy.toml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace('title = "Superposition"', 'title = "Overlap"'), encoding="utf-8"
    )
    assert indexed_records(edge_library, False, ["uber2024strasse"]) is None
    assert "Overlap" in invoke("show", "uber2024strasse").output


# -- tag ------------------------------------------------------------------------------------------

TAGGINGS = [
    ["uber2024strasse", "+Theory"],  # the library spells it "theory": written so
    ["uber2024strasse", "-FOO", "+Brand-New"],
    ["casey2021tags", "+foo"],  # already there as FOO: already so
    ["casey2021tags", "-foo", "-theory"],  # the last tags go: the field goes
    ["bare2020", "+first", "+First"],
    ["bare2020", "uber2024strasse", "bare2020", "+shared"],
    ["elhage2022toy", "-nosuchtag"],
]


def _tag_both_ways(library: Path, tmp_path: Path, args: list[str]) -> tuple[Path, object, object]:
    """Tag ``library`` through the index and a copy of it through the models (the files must agree);
    the library and both outcomes. The fast path runs in place: a copy's files have new change times,
    which its copied index has not seen."""
    from litmap.services.curation import tag_papers
    from litmap.services.tagging import split_tag_args, tag_through_index
    from litmap.store.library import Library

    before, full = tmp_path / "before", tmp_path / "full"
    shutil.copytree(library, before)
    shutil.copytree(library, full)
    request = split_tag_args(args)
    fast_outcome = tag_through_index(library, False, request.keys, request.add, request.remove)
    full_outcome = tag_papers(Library(full), request.keys, request.add, request.remove)
    expected = full if fast_outcome is not None else before  # handing over, the fast path writes nothing
    for name in sorted(os.listdir(expected / "papers")):
        assert (library / "papers" / name).read_bytes() == (expected / "papers" / name).read_bytes(), name
    return library, fast_outcome, full_outcome


def _index_contents(root: Path) -> list[object]:
    with Index.open(root) as index:
        db = index.db
        return [
            db.execute("SELECT file, error, key, year, first_author, categories, record FROM papers ORDER BY file")
            .fetchall(),
            db.execute("SELECT l.value, l.kind, p.file FROM labels l JOIN papers p ON p.id = l.paper ORDER BY 1, 2, 3")
            .fetchall(),
            db.execute("SELECT word, docs FROM words ORDER BY word").fetchall(),
        ]  # fmt: skip


@pytest.mark.parametrize("args", TAGGINGS, ids=" ".join)
def test_tag_through_the_index_writes_what_the_models_write(edge_library: Path, tmp_path: Path, args) -> None:  # type: ignore[no-untyped-def]
    _index(edge_library)
    fast, fast_outcome, full_outcome = _tag_both_ways(edge_library, tmp_path, args)
    assert fast_outcome is not None, "the index should answer"
    assert fast_outcome == full_outcome
    kept = _index_contents(fast)  # the index as the fast path left it ...
    _drop_index(fast)
    assert _index_contents(fast) == kept  # ... is the index a rebuild from the files gives


def test_tag_keeps_a_hand_edited_files_comments(edge_library: Path, tmp_path: Path) -> None:
    path = edge_library / "papers" / "bare2020.toml"
    path.write_text("# my own comment\n" + path.read_text(encoding="utf-8") + "# and one at the end\n")
    _index(edge_library)
    fast, fast_outcome, full_outcome = _tag_both_ways(edge_library, tmp_path, ["bare2020", "+Foo"])
    assert fast_outcome is not None and fast_outcome == full_outcome
    text = (fast / "papers" / "bare2020.toml").read_text(encoding="utf-8")
    assert "# my own comment" in text and "# and one at the end" in text
    assert 'tags = ["FOO"]' in text  # as casey2021tags spells it


def test_tag_hands_over_when_the_index_cannot_answer(edge_library: Path, tmp_path: Path) -> None:
    from litmap.services.tagging import tag_through_index

    # no index at all
    fast, fast_outcome, _ = _tag_both_ways(edge_library, tmp_path / "a", ["bare2020", "+x"])
    assert fast_outcome is None
    # a file edited by hand since it was indexed: removing a tag does not refresh the index, so the
    # full path reads the file as it is now; adding one refreshes it first, and the fast path sees it
    _index(edge_library)
    path = edge_library / "papers" / "uber2024strasse.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Über die", "Retitled"), encoding="utf-8")
    fast, fast_outcome, full_outcome = _tag_both_ways(edge_library, tmp_path / "b", ["uber2024strasse", "-foo"])
    assert fast_outcome is None
    fast, fast_outcome, full_outcome = _tag_both_ways(edge_library, tmp_path / "c", ["uber2024strasse", "+x"])
    assert fast_outcome is not None and fast_outcome == full_outcome
    assert "Retitled" in (fast / "papers" / "uber2024strasse.toml").read_text(encoding="utf-8")
    # an alias is not a file name
    assert tag_through_index(edge_library, False, ["old-key"], ["x"], []) is None


def test_tag_spells_a_tag_as_a_hand_edit_the_index_has_not_seen(edge_library: Path, tmp_path: Path) -> None:
    _index(edge_library)
    path = edge_library / "papers" / "linked2019.toml"
    path.write_text(path.read_text(encoding="utf-8") + 'tags = ["Quux"]\n', encoding="utf-8")
    fast, fast_outcome, full_outcome = _tag_both_ways(edge_library, tmp_path, ["bare2020", "+quux"])
    assert fast_outcome is not None and fast_outcome == full_outcome
    assert 'tags = ["Quux"]' in (fast / "papers" / "bare2020.toml").read_text(encoding="utf-8")


# -- stats ----------------------------------------------------------------------------------------


def test_stats_from_the_index_count_what_the_models_count(edge_library: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    from litmap.services.stats import Facts, library_stats
    from litmap.store.library import Library

    (edge_library / "papers" / "broken.toml").write_text("title = [", encoding="utf-8")
    library = Library(edge_library)
    papers = library.papers()
    expected = library_stats([Facts.of_paper(p) for p in papers], library.taxonomy().tree_rows()).to_json()
    result = invoke("stats", "--json")
    import json

    assert json.loads(result.stdout) == expected
    assert "broken.toml" in result.output  # left out, and said so


def test_the_panel_names_authors_and_categories_as_the_model_does(edge_library: Path) -> None:
    from io import StringIO

    from rich.console import Console

    from litmap.cli.render import paper_panel
    from litmap.store.library import Library

    library = Library(edge_library)
    taxonomy = library.taxonomy()
    for key in [*EDGE_PAPERS, "stray2022"]:
        paper = library.get(key)
        out = StringIO()
        Console(file=out, width=400).print(paper_panel(paper.to_json(), taxonomy.shown_paths()))
        text = out.getvalue()
        assert "; ".join(a.display for a in paper.authors) in text
        for category in paper.categories:
            shown = " › ".join(c.title for c in taxonomy.path(category)) if category in taxonomy else category
            assert shown in text
        for name, value in paper.extra.items():
            assert f"{name}  " in text and value in text


# -- confirming litmap's own writes ---------------------------------------------------------------


def test_the_next_reader_confirms_litmaps_own_writes_without_comparing_every_row(
    edge_library: Path, invoke, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _index(edge_library)
    invoke("tag", "bare2020", "uber2024strasse", "+confirmed")
    written = edge_library / "papers" / "bare2020.toml"  # trusted once confirmed by its digest (settled)
    real = Index._update_papers

    def every_row(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("compared every row")

    monkeypatch.setattr(Index, "_update_papers", every_row)
    _index(edge_library)  # confirmed by digest alone
    with Index.open(edge_library) as index:
        held = dict(index.db.execute("SELECT file, stamp_ns FROM papers WHERE file LIKE 'bare2020%'"))
    assert held == {"bare2020.toml": stamp_of(written.stat())}
    # a hand edit beside litmap's write is not explained by the written files: every row is compared
    invoke("tag", "bare2020", "+again")
    other = edge_library / "papers" / "linked2019.toml"
    other.write_text(other.read_text(encoding="utf-8").replace("Links everywhere", "Edited links"), encoding="utf-8")
    with pytest.raises(AssertionError, match="compared every row"):
        _index(edge_library)
    monkeypatch.setattr(Index, "_update_papers", real)
    assert "Edited links" in invoke("show", "linked2019").output
    kept = _index_contents(edge_library)
    _drop_index(edge_library)
    assert _index_contents(edge_library) == kept


def test_tag_hands_over_when_the_taxonomy_is_not_as_indexed(edge_library: Path) -> None:
    from litmap.services.tagging import tag_through_index

    _index(edge_library)
    with (edge_library / "taxonomy.toml").open("a", encoding="utf-8") as handle:
        handle.write("title = [\n")  # broken: the full path says so, even for a tag
    assert tag_through_index(edge_library, False, ["uber2024strasse"], [], ["foo"]) is None
    assert tag_through_index(edge_library, False, ["uber2024strasse"], ["bar"], []) is None
