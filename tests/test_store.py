"""Paper files: stable, byte-identical round trips, comments kept, atomic writes, journals."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litmap.errors import InvalidFile, ReadOnlyLibrary
from litmap.models import Author, Paper
from litmap.store import Library
from litmap.store import files as store_files
from litmap.store.codec import paper_from_toml, paper_to_toml

# -- property: any valid paper survives save -> load unchanged --------------------------------

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")
name = st.text(alphabet=st.characters(whitelist_categories=("L",)), min_size=1, max_size=12)
key = st.from_regex(r"[A-Za-z0-9_:\-][A-Za-z0-9_:\-]{0,20}", fullmatch=True)
slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
multiline = st.lists(text, min_size=1, max_size=4).map(lambda parts: "\n\n".join(p.strip() or "x" for p in parts))


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    return Paper(
        key=draw(key),
        type=draw(st.sampled_from(["article", "inproceedings", "misc", "book"])),
        title=" ".join(draw(text).split()) or "T",
        authors=[Author(family=f, given=g) for f, g in draw(st.lists(st.tuples(name, name | st.just("")), max_size=5))],
        year=draw(st.none() | st.integers(1000, 2999)),
        month=draw(st.none() | st.integers(1, 12)),
        venue=draw(st.none() | text),
        volume=draw(st.none() | st.from_regex(r"[0-9]{1,3}", fullmatch=True)),
        pages=draw(st.none() | st.just("1--10")),
        arxiv=draw(st.none() | st.from_regex(r"2[0-9]0[1-9]\.[0-9]{5}", fullmatch=True)),
        doi=draw(st.none() | st.from_regex(r"10\.[0-9]{4}/[a-z0-9.]{1,10}", fullmatch=True)),
        url=draw(st.none() | st.just("https://example.org/p?a=1&b=2")),
        abstract=draw(st.none() | multiline),
        categories=draw(st.lists(slug, max_size=3, unique=True)),
        tags=draw(st.lists(name, max_size=3, unique=True)),
        note=draw(st.none() | multiline),
        added=draw(st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))),
        extra=draw(st.dictionaries(st.from_regex(r"x[a-z]{1,6}", fullmatch=True), text, max_size=3)),
    )


@given(papers())
def test_any_valid_paper_survives_save_and_load(paper: Paper) -> None:
    written = paper_to_toml(paper)
    loaded = paper_from_toml(written, "p.toml")
    assert loaded == paper
    assert paper_to_toml(loaded, previous=written) == written


def test_abstract_is_a_readable_multiline_string() -> None:
    paper = Paper(key="k", title="T", abstract="First \\textit{para}.\n\nSecond para.")
    written = paper_to_toml(paper)
    assert "abstract = '''\nFirst \\textit{para}.\n\nSecond para.\n'''" in written


def test_saving_an_unchanged_paper_is_byte_identical(bundled_copy: Path) -> None:
    library = Library(bundled_copy)
    before = {p: p.read_bytes() for p in library.paper_files()}
    library.save_papers(library.papers())
    assert {p: p.read_bytes() for p in library.paper_files()} == before


def test_rewrite_keeps_user_comments_and_formatting(empty_library: Path) -> None:
    path = empty_library / "papers" / "x2020y.toml"
    path.write_text(
        "# my reading notes: great paper\nkey = \"x2020y\"\ntitle = 'Y'   # short title\nyear = 2020\ntags = ['a']\n",
        encoding="utf-8",
    )
    library = Library(empty_library)
    paper = library.get("x2020y")
    paper.tags = ["a", "b"]
    library.save_paper(paper)
    written = path.read_text(encoding="utf-8")
    assert written.startswith("# my reading notes: great paper\n")
    assert "title = 'Y'   # short title" in written
    assert library.get("x2020y").tags == ["a", "b"]


def test_malformed_paper_file_is_named_with_its_line(empty_library: Path) -> None:
    path = empty_library / "papers" / "bad.toml"
    path.write_text('key = "bad"\ntitle = "T"\nyear = = 2020\n', encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        Library(empty_library).every_paper()
    assert str(caught.value).startswith(f"{path}:3: invalid TOML")


def test_bad_field_is_named_with_its_line(empty_library: Path) -> None:
    path = empty_library / "papers" / "bad.toml"
    path.write_text('key = "bad"\ntitle = "T"\narxiv = "not-an-id"\n', encoding="utf-8")
    with pytest.raises(InvalidFile, match=r"bad\.toml:3: field 'arxiv': not an arXiv id"):
        Library(empty_library).every_paper()


def test_crash_between_temp_write_and_rename_leaves_old_file(
    empty_library: Path, make_paper_file, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path = make_paper_file(empty_library, "a2020b", title="Original")
    original = path.read_bytes()
    library = Library(empty_library)
    paper = library.get("a2020b")
    paper.title = "Changed"

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        library.save_paper(paper)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert Library(empty_library).get("a2020b").title == "Original"
    assert not list((empty_library / "papers").glob(".*litmap-tmp"))


def test_interrupted_multi_file_change_is_rolled_forward(
    empty_library: Path, make_paper_file, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    for name in ("a", "b", "c"):
        make_paper_file(empty_library, name, title=f"Old {name}")
    library = Library(empty_library)
    real_replace = os.replace
    calls = {"n": 0}

    def crash_after_first(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # the journal, then the first paper; crash on the second
            raise KeyboardInterrupt
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", crash_after_first)
    with pytest.raises(KeyboardInterrupt), library.writing() as changes:
        for name in ("a", "b"):
            paper = library.get(name)
            paper.title = f"New {name}"
            library.stage_paper(changes, paper)
        library.stage_delete(changes, "c")
    monkeypatch.undo()
    assert store_files.pending_journal(empty_library)
    reopened = Library(empty_library)
    assert [p.title for p in reopened.papers()] == ["New a", "New b"]
    assert not store_files.pending_journal(empty_library)


def test_rolling_forward_new_files_links_each_once_and_keeps_a_file_found_there(empty_library: Path) -> None:
    """A journal of new files (an import) rolled forward after a crash: a new file is linked into place,
    one linked before the crash (its temp file gone) is left as it is, a file found at a new name is kept,
    and no temp file is left."""
    import json

    papers = empty_library / "papers"
    papers.mkdir(exist_ok=True)
    renames = []
    for name in ("new", "done", "taken"):
        final = papers / f"{name}.toml"
        tmp = store_files.temp_path_for(final)
        tmp.write_text(f"# {name}\n", encoding="utf-8")
        renames.append([str(tmp), str(final)])
    os.link(renames[1][0], renames[1][1])
    os.unlink(renames[1][0])  # linked, then the crash: the temp file's removal was not lost here
    (papers / "taken.toml").write_text("# a stranger's file\n", encoding="utf-8")
    journal = store_files.state_dir(empty_library) / store_files.JOURNAL
    journal.parent.mkdir(exist_ok=True)
    journal.write_text(json.dumps({"renames": renames, "creates": [r[1] for r in renames], "deletes": []}))
    assert store_files.roll_forward(empty_library, sweep=False)  # no sweep: each temp file removed by name
    assert (papers / "new.toml").read_text(encoding="utf-8") == "# new\n"
    assert (papers / "done.toml").read_text(encoding="utf-8") == "# done\n"
    assert (papers / "taken.toml").read_text(encoding="utf-8") == "# a stranger's file\n"
    assert not [p for p in papers.iterdir() if p.name.endswith(store_files.TMP_SUFFIX)]
    assert not journal.exists()


def test_crash_before_journal_leaves_old_state(
    empty_library: Path, make_paper_file, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    for name in ("a", "b"):
        make_paper_file(empty_library, name, title=f"Old {name}")
    library = Library(empty_library)

    def fail_journal(root: Path) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_files, "roll_forward", fail_journal)
    monkeypatch.setattr(store_files, "atomic_write", lambda path, text: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt), library.writing() as changes:
        for name in ("a", "b"):
            paper = library.get(name)
            paper.title = f"New {name}"
            library.stage_paper(changes, paper)
    monkeypatch.undo()
    reopened = Library(empty_library)
    assert [p.title for p in reopened.papers()] == ["Old a", "Old b"]


def test_bundled_library_refuses_writes() -> None:
    from conftest import BUNDLED

    library = Library(BUNDLED, read_only=True)
    with pytest.raises(ReadOnlyLibrary, match="litmap init DIR --from-bundled"):
        library.save_paper(library.get("elhage2022toy"))


def test_two_writers_never_interleave(empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    """Many concurrent processes each add a tag; none of the updates is lost."""
    import subprocess
    import sys

    make_paper_file(empty_library, "shared", title="Shared")
    script = (
        "import sys\n"
        "from litmap.store import Library\n"
        "lib = Library(sys.argv[1])\n"
        "with lib.writing() as changes:\n"
        "    p = Library(sys.argv[1]).get('shared')\n"
        "    p.tags = [*p.tags, sys.argv[2]]\n"
        "    lib.stage_paper(changes, p)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(empty_library), f"t{i}"]) for i in range(6)]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    assert sorted(Library(empty_library).get("shared").tags) == [f"t{i}" for i in range(6)]


def test_taxonomy_rewrite_keeps_comments_of_unchanged_categories(empty_library: Path) -> None:
    (empty_library / "taxonomy.toml").write_text(
        '# my taxonomy\n\n[[category]]\nid = "a"  # the root\ntitle = "A"\n\n[[category]]\nid = "b"\ntitle = "B"\n',
        encoding="utf-8",
    )
    library = Library(empty_library)
    categories = library.taxonomy().categories()
    categories[1] = categories[1].model_copy(update={"title": "Bee"})
    library.save_taxonomy(categories)
    written = (empty_library / "taxonomy.toml").read_text(encoding="utf-8")
    assert written.startswith("# my taxonomy\n")
    assert 'id = "a"  # the root' in written
    assert [c.title for c in Library(empty_library).taxonomy()] == ["A", "Bee"]


def test_taxonomy_changes_touch_only_the_changed_lines(bundled_copy: Path) -> None:
    import difflib

    path = bundled_copy / "taxonomy.toml"
    original = path.read_text(encoding="utf-8")
    library = Library(bundled_copy)
    for title in ("Attr", "Attribution methods", "Attr"):
        categories = [
            c.model_copy(update={"title": title}) if c.id == "attribution" else c
            for c in library.taxonomy().categories()
        ]
        library.save_taxonomy(categories)
    written = path.read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(original.splitlines(), written.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ['-title = "Attribution"', '+title = "Attr"']


def test_writer_killed_before_its_journal_leaves_no_stray_files(empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    """kill -9 while staging: the old state stands, and the next writer sweeps the temp files."""
    import subprocess
    import sys

    for name in ("a", "b", "c"):
        make_paper_file(empty_library, name, title=f"Old {name}")
    script = (
        "import os, sys\n"
        "from litmap.store import Library, files\n"
        "files.atomic_write = lambda path, text: os._exit(9)  # dies as the journal would be written\n"
        "lib = Library(sys.argv[1])\n"
        "with lib.writing() as changes:\n"
        "    for key in ('a', 'b', 'c'):\n"
        "        p = lib.get(key); p.title = 'New ' + key; lib.stage_paper(changes, p)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(empty_library)], timeout=60)
    assert result.returncode == 9
    papers = empty_library / "papers"
    assert len(list(papers.glob(".*litmap-tmp"))) == 3
    library = Library(empty_library)
    assert [p.title for p in library.papers()] == ["Old a", "Old b", "Old c"]
    paper = library.get("a")
    paper.tags = ["x"]
    library.save_paper(paper)
    assert list(papers.glob(".*litmap-tmp")) == []


def test_fields_added_to_a_hand_written_file_go_before_the_abstract(empty_library: Path) -> None:
    path = empty_library / "papers" / "x2020y.toml"
    path.write_text('# mine\nkey = "x2020y"\ntitle = "Y"  # short\nabstract = """\nSome text.\n"""\n', encoding="utf-8")
    library = Library(empty_library)
    paper = library.get("x2020y")
    paper.tags = ["to-read"]
    library.save_paper(paper)
    written = path.read_text(encoding="utf-8")
    assert written.index("tags =") < written.index("abstract =")
    assert written.startswith('# mine\nkey = "x2020y"\ntitle = "Y"  # short\n')
    assert 'abstract = """\nSome text.\n"""' in written
    assert Library(empty_library).get("x2020y") == paper
