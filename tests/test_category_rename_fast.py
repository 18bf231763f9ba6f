"""``litmap category rename`` through the index, without the model: it writes the bytes the full path
writes (taxonomy, papers, index), sees a hand edit made just before, and hands anything unusual over."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litmap.models import Category
from litmap.services import curation
from litmap.services.category_rename import rename_through_index
from litmap.store import Library, files
from litmap.store.codec import categories_to_toml
from litmap.store.index import Index, tree_info
from litmap.store.taxonomy_text import canonical_text, plain_categories, renamed_info, renamed_tables
from litmap.taxonomy import Taxonomy

IDS = ["a", "b-c", "d1", "e", "f-g-h", "i"]
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@st.composite
def trees(draw: st.DrawFn) -> list[Category]:
    """A valid category tree: each parent is an earlier category (or none)."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=len(IDS), unique=True))
    categories = []
    for number, category_id in enumerate(ids):
        parent = draw(st.none() | st.sampled_from(ids[:number])) if number else None
        title = " ".join(draw(_TEXT).split()) or "T"
        description = draw(st.none() | _TEXT.map(str.strip).filter(bool))
        categories.append(Category(id=category_id, title=title, parent=parent, description=description))
    return Taxonomy(categories).with_renamed(ids[0], ids[0], "Same").in_file_order()  # orders as read back


_COMMENT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(lambda t: f"#{t}\n")


@given(trees(), st.lists(_COMMENT, min_size=1, max_size=3), st.data())
def test_a_rename_in_the_text_is_what_the_full_path_writes(
    categories: list[Category], comments: list[str], data: st.DataObject
) -> None:
    written = categories_to_toml(categories)
    text = "".join(comments) + written[written.index("\n\n") + 1 :]  # the user's own comments on top
    plain = plain_categories(text)
    if canonical_text([{k: v for k, v in c.model_dump().items() if v and k != "order"} for c in categories]) is None:
        return  # a value only tomlkit spells (a ''' in a description): the full path's
    assert plain is not None
    head, tables = plain
    taxonomy = Taxonomy(categories)
    old = data.draw(st.sampled_from(taxonomy.ids))
    new = data.draw(st.sampled_from([old, "renamed", "x-y"]))
    title = data.draw(st.none() | st.just("New Title"))
    if new == old and title is None:
        assert renamed_tables(tables, old, new, title) is None
        return
    reshaped = taxonomy.with_renamed(old, new, title)
    renamed = renamed_tables(tables, old, new, title)
    assert renamed is not None
    assert canonical_text(renamed, head) == categories_to_toml(reshaped.in_file_order(), text)
    stored = json.loads(json.dumps(tree_info(taxonomy)))  # as the index holds it
    assert json.dumps(renamed_info(stored, old, new, title)) == json.dumps(tree_info(reshaped))


def test_text_the_model_would_change_or_that_has_comments_is_not_plain() -> None:
    text = categories_to_toml([Category(id="a", title="A"), Category(id="b", title="B", parent="a")])
    assert plain_categories(text) is not None
    assert plain_categories(text + "# a comment\n") is None
    assert plain_categories(text.replace('title = "A"', 'title = "  A  "')) is None
    assert plain_categories(text.replace('parent = "a"', 'parent = "zz"')) is None  # unknown parent
    assert plain_categories(text.replace('id = "b"', 'id = "a"')) is None  # the same id twice
    plain = plain_categories(text)
    assert plain is not None
    tables = plain[1]
    assert renamed_tables(tables, "a", "b", None) is None  # taken: the full path says so
    assert renamed_tables(tables, "a", "Bad_Id", None) is None
    assert renamed_tables(tables, "zz", "y", None) is None
    assert renamed_tables(tables, "a", "y", "  spaced  ") is None
    renamed = [{"id": "y", "title": "A"}, {"id": "b", "title": "B", "parent": "y"}]
    assert renamed_tables(tables, "a", "y", None) == renamed


@pytest.fixture
def indexed(empty_library: Path, make_paper_file) -> Path:  # type: ignore[no-untyped-def]
    library = Library(empty_library)
    curation.add_category(library, "old", "Old Things", description="About\nold things.")
    curation.add_category(library, "child", "Child", parent="old")
    curation.add_category(library, "other", "Other")
    for number in range(80):
        categories = (["old"] if number % 2 else []) + (["other"] if number % 3 == 0 else [])
        make_paper_file(empty_library, f"paper{number:03d}", year=2000 + number % 20, categories=categories)
    Index.open(empty_library).close()
    return empty_library


def _files(root: Path) -> dict[str, bytes]:
    kept = [p for p in sorted(root.rglob("*")) if p.is_file() and ".litmap" not in p.parts]
    return {str(p.relative_to(root)): p.read_bytes() for p in kept}


def _index(root: Path) -> tuple[object, ...]:
    with Index.open(root) as index:
        db = index.db
        return (
            db.execute("SELECT file, digest, key, categories, tags, has, record FROM papers ORDER BY file").fetchall(),
            db.execute(
                "SELECT p.file, kind, value FROM labels JOIN papers p ON p.id = paper ORDER BY 1, 2, 3"
            ).fetchall(),
            db.execute("SELECT p.file, f.* FROM fts f JOIN papers p ON p.id = f.rowid ORDER BY 1").fetchall(),
            db.execute("SELECT word, docs FROM words ORDER BY word").fetchall(),
            index.taxonomy(),
        )


@pytest.mark.parametrize("title", [None, "Older Things"])
def test_the_fast_rename_writes_what_the_full_path_writes_and_sees_a_hand_edit(
    indexed: Path, tmp_path: Path, title: str | None
) -> None:
    full = tmp_path / "full"
    shutil.copytree(indexed, full)
    for root in (indexed, full):  # a hand edit just before the rename: one more paper filed under "old"
        paper = root / "papers" / "paper000.toml"
        paper.write_text(paper.read_text().replace('categories = ["other"]', 'categories = ["other", "old"]'))
    outcome = rename_through_index(indexed, False, "old", "new", title)
    assert outcome is not None, "the index can answer"
    expected = curation.rename_category(Library(full), "old", "new", title)
    assert outcome == expected and "paper000" in outcome.changed
    assert _files(indexed) == _files(full)
    assert _index(indexed) == _index(full)


def test_a_hand_edited_taxonomy_is_left_to_the_full_path(indexed: Path, commits: list[files.Changes]) -> None:
    taxonomy = indexed / "taxonomy.toml"
    taxonomy.write_text(taxonomy.read_text() + "# my own note\n")
    Index.open(indexed).close()
    assert rename_through_index(indexed, False, "old", "new") is None
    assert not any(commits), "nothing written"
    assert 'id = "old"' in taxonomy.read_text()


def test_after_a_fast_rename_the_next_reader_does_not_parse_the_taxonomy(
    indexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert rename_through_index(indexed, False, "old", "new") is not None
    from litmap.store import codec

    def refuse(*_args: object) -> None:
        raise AssertionError("taxonomy.toml parsed again")

    monkeypatch.setattr(codec, "categories_from_toml", refuse)
    with Index.open(indexed) as index:  # its bytes are those the rename recorded
        assert index.taxonomy().titles["new"] == "Old Things"


def test_the_command_loads_neither_pydantic_nor_typer(indexed: Path) -> None:
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write(f\"\\nLOADED={sorted(m for m in ('pydantic', 'typer', 'tomlkit')"
        ' if m in sys.modules)}\\n"))\n'
        "from litmap.cli import main\n"
        "sys.argv = ['litmap', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")} | {"LITMAP_LIBRARY": str(indexed)}
    args = ["category", "rename", "old", "new", "--title", "New Things"]
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Renamed category old to new; 40 papers refiled.\n"
    assert done.stderr.endswith("LOADED=[]\n"), done.stderr


def test_a_change_of_many_files_replaces_them_all_and_leaves_no_temp_file(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    paths = [tmp_path / "papers" / f"p{n:03d}.toml" for n in range(files.PARALLEL_REPLACES + 10)]
    for path in paths:
        path.write_text("old\n")
    changes = files.Changes()
    for path in paths:
        changes.write(path, f"new {path.name}\n")
    with files.library_lock(tmp_path):
        files.commit(tmp_path, changes)
    assert [p.read_text() for p in paths] == [f"new {p.name}\n" for p in paths]
    assert sorted(p.name for p in (tmp_path / "papers").iterdir()) == [p.name for p in paths]
    assert not files.pending_journal(tmp_path)
