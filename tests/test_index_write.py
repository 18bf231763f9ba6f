"""litmap's own writes keep the search index in step (one transaction), and the index stays a faithful
copy of the files: what it holds after a change equals an index built from scratch from the files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from litmap.services import curation
from litmap.services.check import check_library
from litmap.store import Library
from litmap.store.codec import paper_from_toml, paper_to_toml
from litmap.store.index import Index
from litmap.store.index_read import load_papers

PAPERS = 1200
USERS = 1000


def _index_rows(root: Path) -> dict[str, tuple[object, ...]]:
    with Index.open(root) as index:
        rows = index.db.execute("SELECT file, key, categories, record, error FROM papers").fetchall()
        fts = dict(index.db.execute("SELECT rowid, categories FROM fts").fetchall())
        ids = dict(index.db.execute("SELECT file, id FROM papers").fetchall())
        labels = sorted(index.db.execute("SELECT p.file, kind, value FROM labels JOIN papers p ON p.id = paper"))
    return {row[0]: (*row[1:], fts.get(ids[row[0]]), [lab for lab in labels if lab[0] == row[0]]) for row in rows}


def _rebuilt_rows(root: Path, tmp_path: Path) -> dict[str, tuple[object, ...]]:
    """The rows of an index built from nothing but the files (a copy of the library, no .litmap/)."""
    copy = tmp_path / "rebuilt"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".litmap"))
    return _index_rows(copy)


@pytest.fixture
def big_library(empty_library: Path, make_paper_file) -> Path:  # type: ignore[no-untyped-def]
    library = Library(empty_library)
    curation.add_category(library, "old", "Old Things")
    curation.add_category(library, "other", "Other")
    for number in range(PAPERS):
        categories = (["old"] if number < USERS else []) + (["other"] if number % 3 == 0 else [])
        make_paper_file(empty_library, f"paper{number:04d}", year=2000 + number % 20, categories=categories)
    # One user's file carries a comment and odd layout: refiled through the careful path, comment kept.
    odd = empty_library / "papers" / "paper0007.toml"
    odd.write_text(
        "# keep me\n" + odd.read_text().replace('categories = ["old", "other"]', 'categories = [\n "old", "other"]')
    )
    assert load_papers(empty_library) is None  # no index yet: search builds it
    Index.open(empty_library).close()
    return empty_library


def test_rename_of_a_thousand_papers_leaves_files_index_and_check_consistent(
    invoke, big_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = invoke("category", "rename", "old", "new", "--title", "New Things")
    assert result.exit_code == 0, result.stderr
    assert f"{USERS} papers refiled" in result.stdout
    for number in range(PAPERS):
        path = big_library / "papers" / f"paper{number:04d}.toml"
        text = path.read_text()
        paper = paper_from_toml(text, str(path))
        expected = (["new"] if number < USERS else []) + (["other"] if number % 3 == 0 else [])
        assert paper.categories == expected, path
        if number != 7:  # a canonical file stays canonical: exactly what the codec writes for it
            assert text == paper_to_toml(paper)
    assert (big_library / "papers" / "paper0007.toml").read_text().startswith("# keep me\n")
    assert _index_rows(big_library) == _rebuilt_rows(big_library, tmp_path)
    assert check_library(Library(big_library)) == []
    found = invoke("search", "New Things", "--keys")
    assert found.exit_code == 0
    assert len(found.stdout.split()) == USERS
    assert invoke("search", "category:old", "--keys").stdout.strip() == ""


def test_rename_there_and_back_then_a_hand_edit_of_the_same_size_is_seen(
    invoke, big_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert invoke("category", "rename", "old", "new").exit_code == 0
    assert invoke("category", "rename", "new", "old").exit_code == 0
    path = big_library / "papers" / "paper0005.toml"
    text = path.read_text()
    edited = text.replace("A paper called paper0005", "A paper called zebra0005")
    assert len(edited) == len(text)
    path.write_text(edited)  # right after litmap wrote it: the same size, maybe the same mtime
    found = invoke("search", "zebra0005", "--keys")
    assert found.stdout.split() == ["paper0005"]
    assert _index_rows(big_library) == _rebuilt_rows(big_library, tmp_path)


def test_tag_remove_and_import_keep_the_index_equal_to_a_rebuilt_one(invoke, big_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("tag", "paper0001", "paper0002", "+fresh").exit_code == 0
    assert invoke("rm", "paper0003", "--yes").exit_code == 0
    bib = tmp_path / "one.bib"
    bib.write_text("@article{zz, title={Entirely Unlike The Others}, author={Quux, Ada}, year={2021}}\n")
    assert invoke("import", str(bib)).exit_code == 0
    assert _index_rows(big_library) == _rebuilt_rows(big_library, tmp_path)
    assert sorted(invoke("search", "tag:fresh", "--keys").stdout.split()) == ["paper0001", "paper0002"]


def test_remove_category_with_reassign_refiles_through_the_index(invoke, big_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("category", "remove", "old", "--reassign", "other").exit_code == 0
    papers = {p.key: p for p in Library(big_library).papers()}
    assert papers["paper0001"].categories == ["other"]
    assert papers["paper0003"].categories == ["other"]
    assert _index_rows(big_library) == _rebuilt_rows(big_library, tmp_path)
    assert check_library(Library(big_library)) == []
