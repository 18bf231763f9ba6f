"""The on-disk search index: where it lives, how it follows the files, and how it recovers."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from litmap.errors import InvalidFile
from litmap.store import Library
from litmap.store.index import Index
from litmap.store.index_db import INDEX_FILE
from litmap.store.index_read import load_papers


def keys(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def library_bytes(root: Path) -> dict[str, bytes]:
    """Every file of the library outside its .litmap/ state folder."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".litmap" not in p.relative_to(root).parts
    }


@pytest.fixture
def lib(empty_library: Path, make_paper_file) -> Path:  # type: ignore[no-untyped-def]
    """A small library: three papers."""
    make_paper_file(empty_library, "alpha2020", title="Alpha Features", year=2020, abstract="Polytopes everywhere.")
    make_paper_file(empty_library, "beta2021", title="Beta Circuits", year=2021)
    make_paper_file(empty_library, "gamma2022", title="Gamma Heads", year=2022)
    return empty_library


def test_index_lives_in_the_git_ignored_state_folder_and_leaves_the_files_alone(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    before = library_bytes(lib)
    assert keys(invoke("search", "alpha", "--keys")) == ["alpha2020"]
    assert (lib / ".litmap" / INDEX_FILE).is_file()
    assert ".litmap/" in (lib / ".gitignore").read_text(encoding="utf-8")
    assert library_bytes(lib) == before


def test_bundled_library_index_goes_to_the_user_cache(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from litmap.store.discovery import bundled_library_path

    bundled = bundled_library_path()
    before = sorted(p.name for p in bundled.iterdir())
    assert keys(invoke("search", "superposition", "--keys"))[0] == "elhage2022toy"
    digest = hashlib.sha256(str(bundled.resolve()).encode()).hexdigest()[:16]
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "litmap" / digest / INDEX_FILE
    assert cache.is_file()
    assert sorted(p.name for p in bundled.iterdir()) == before


def test_edit_in_place_with_the_same_size_is_seen_at_once(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "beta", "--keys")) == ["beta2021"]
    path = lib / "papers" / "beta2021.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Beta Circuits", "Kiwi Circuits"), encoding="utf-8")  # same size, same second
    assert keys(invoke("search", "kiwi", "--keys")) == ["beta2021"]
    assert keys(invoke("search", "beta", "--keys")) == []


def test_new_renamed_and_deleted_files_are_followed(lib: Path, invoke, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "year:2020..2022", "--keys")) == ["gamma2022", "beta2021", "alpha2020"]
    make_paper_file(lib, "delta2023", title="Delta Circuits", year=2023)
    (lib / "papers" / "alpha2020.toml").unlink()
    assert sorted(keys(invoke("search", "circuits", "--keys"))) == ["beta2021", "delta2023"]
    assert keys(invoke("search", "alpha", "--keys")) == []
    old = lib / "papers" / "gamma2022.toml"
    old.rename(lib / "papers" / "gamma2022x.toml")
    assert keys(invoke("search", "gamma", "--keys")) == ["gamma2022"]
    assert keys(invoke("search", "year:..2030", "--json", "--keys")) == ["delta2023", "gamma2022", "beta2021"]


def test_a_change_made_by_litmap_itself_is_seen(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "gamma", "--keys")) == ["gamma2022"]
    library = Library(lib)
    paper = library.get("gamma2022")
    paper.title = "Omega Heads"
    library.save_paper(paper)
    assert keys(invoke("search", "omega", "--keys")) == ["gamma2022"]


def test_corrupt_index_is_rebuilt_transparently(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "alpha", "--keys")) == ["alpha2020"]
    index = lib / ".litmap" / INDEX_FILE
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    index.write_bytes(b"this is not a database" * 100)
    result = invoke("search", "alpha", "--keys")
    assert keys(result) == ["alpha2020"]
    assert result.stderr == ""
    assert sqlite3.connect(index).execute("SELECT count(*) FROM papers").fetchone() == (3,)


def test_index_from_another_schema_version_is_rebuilt(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "alpha", "--keys")) == ["alpha2020"]
    index = lib / ".litmap" / INDEX_FILE
    with sqlite3.connect(index) as db:
        db.execute("UPDATE meta SET value = '0' WHERE name = 'schema'")
        db.execute("DELETE FROM fts")
    assert keys(invoke("search", "alpha", "--keys")) == ["alpha2020"]


def test_missing_index_is_rebuilt(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "alpha", "--keys")) == ["alpha2020"]
    for path in (lib / ".litmap").glob(f"{INDEX_FILE}*"):
        path.unlink()
    assert keys(invoke("search", "alpha", "--keys")) == ["alpha2020"]


def test_broken_paper_file_is_left_out_with_a_warning_until_fixed(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    path = lib / "papers" / "beta2021.toml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace('title = "Beta Circuits"', 'title = "Beta Circuits'), encoding="utf-8")
    result = invoke("search", "circuits", "--keys")
    assert keys(result) == []
    assert "beta2021.toml" in result.stderr and "litmap check" in result.stderr
    assert keys(invoke("search", "alpha", "--keys")) == ["alpha2020"]
    path.write_text(good, encoding="utf-8")
    result = invoke("search", "circuits", "--keys")
    assert keys(result) == ["beta2021"]
    assert result.stderr == ""


def test_taxonomy_title_change_reaches_the_index(lib: Path, invoke, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    (lib / "taxonomy.toml").write_text('[[category]]\nid = "heads"\ntitle = "Attention Heads"\n', encoding="utf-8")
    make_paper_file(lib, "eps2024", title="Epsilon", categories=["heads"])
    assert keys(invoke("search", "attention", "--keys")) == ["eps2024"]
    (lib / "taxonomy.toml").write_text('[[category]]\nid = "heads"\ntitle = "Head Zoo"\n', encoding="utf-8")
    assert keys(invoke("search", "zoo", "--keys")) == ["eps2024"]
    assert keys(invoke("search", "attention", "--keys")) == []


def test_broken_taxonomy_is_one_line(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    (lib / "taxonomy.toml").write_text("[[category]\n", encoding="utf-8")
    result = invoke("search", "alpha")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "taxonomy.toml" in result.stderr
    assert result.stderr.count("\n") == 1


def test_library_papers_read_through_a_fresh_index_equal_the_files(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    from_files = Library(bundled_copy).papers()
    assert load_papers(bundled_copy) is None  # no index yet: none is made behind the user's back
    assert not (bundled_copy / ".litmap" / INDEX_FILE).exists()
    keys(invoke("search", "superposition", "--keys"))
    through_index = load_papers(bundled_copy)
    assert through_index is not None
    assert sorted(through_index, key=lambda p: p.key) == from_files
    assert Library(bundled_copy).papers() == from_files


def test_library_papers_see_edits_and_broken_files_even_with_an_index(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    keys(invoke("search", "alpha", "--keys"))
    path = lib / "papers" / "alpha2020.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Alpha Features", "Alpha Changed"), encoding="utf-8")
    assert Library(lib).get("alpha2020").title == "Alpha Changed"
    assert Library(lib).papers()[0].title == "Alpha Changed"
    path.write_text("title = [", encoding="utf-8")
    library = Library(lib)
    assert "alpha2020" not in [p.key for p in library.papers()]
    assert str(library.broken[0]).startswith(str(path))
    with pytest.raises(InvalidFile, match=r"alpha2020\.toml"):
        Library(lib).every_paper()


def test_check_reads_the_files_not_the_index(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    keys(invoke("search", "alpha", "--keys"))
    (lib / "papers" / "beta2021.toml").write_text('key = "beta2021"\n', encoding="utf-8")
    result = invoke("check")
    assert result.exit_code == 1
    assert "beta2021.toml" in result.stderr


def test_index_refresh_reports_whether_anything_was_read(lib: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    with Index.open(lib) as index:
        assert index.paper_count() == 3
        assert [r["key"] for r in index.records()] == ["alpha2020", "beta2021", "gamma2022"]
        make_paper_file(lib, "zeta2030", title="Zeta")
        assert index.refresh() is True
        assert index.paper_count() == 4


def test_unwritable_index_location_falls_back_to_memory(lib: Path, invoke, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from litmap.store import index as index_module

    def nowhere(root: Path, read_only: bool = False) -> Path:
        raise index_module.IndexUnavailable("no place for an index")

    monkeypatch.setattr(index_module, "index_path", nowhere)
    assert keys(invoke("search", "alpha", "--keys")) == ["alpha2020"]
    assert not (lib / ".litmap" / INDEX_FILE).exists()


def test_warm_search_does_not_load_the_models(lib: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    time.sleep(1.1)  # files changed within a second of a refresh are read again: let them settle
    keys(invoke("search", "alpha", "--keys"))  # builds the index
    code = (
        "import sys\n"
        "from litmap.cli import main\n"
        "sys.argv = ['litmap', 'search', 'alpha']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'pydantic', 'litmap.models', 'litmap.store.library', 'tomlkit', 'rapidfuzz'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    env = {**os.environ, "LITMAP_LIBRARY": str(lib)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "alpha2020" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_installed_entry_point_searches(lib: Path) -> None:
    litmap = Path(sys.executable).parent / "litmap"
    env = {**os.environ, "LITMAP_LIBRARY": str(lib)}
    result = subprocess.run([str(litmap), "search", "gamma", "--keys"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "gamma2022\n"


def test_the_recorded_fingerprint_matches_what_the_index_holds(lib: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    from litmap.store.freshness import fingerprint, scan_papers

    time.sleep(1.1)  # every file settles (trusted by its stamp) ...
    for name in ("beta2021.toml", "gamma2022.toml"):  # ... but two that change now: too fresh
        (lib / "papers" / name).write_bytes((lib / "papers" / name).read_bytes())
    with Index.open(lib) as index:
        held = index.db.execute("SELECT file, stamp_ns, size FROM papers").fetchall()
        recorded = index.db.execute("SELECT value FROM meta WHERE name = 'files'").fetchone()[0]
        assert recorded == str(fingerprint(held))
        assert sorted(m for _f, m, _s in held).count(-1) == 2
    scan = scan_papers(lib / "papers")
    assert scan.sums == fingerprint((name, m, s) for name, (m, s) in scan.states().items())
    assert str(scan.sums) != recorded


def test_a_big_rebuild_read_by_several_processes_gives_the_same_index(
    bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litmap.store import entries as entries_module

    (bundled_copy / "papers" / "zz-broken.toml").write_text("title = [", encoding="utf-8")

    def contents() -> list[object]:
        with Index.open(bundled_copy) as index:
            db = index.db
            return [
                db.execute(
                    "SELECT file, error, key, year, type, first_author, record FROM papers ORDER BY file"
                ).fetchall(),
                db.execute("SELECT word, docs FROM words ORDER BY word").fetchall(),
                db.execute("SELECT key, title, authors, tags, categories, abstract FROM fts ORDER BY key").fetchall(),
            ]

    monkeypatch.setattr(entries_module, "PARALLEL_MIN", 10**9)
    one_process = contents()
    (bundled_copy / ".litmap" / INDEX_FILE).unlink()
    monkeypatch.setattr(entries_module, "PARALLEL_MIN", 1)
    assert contents() == one_process


def test_typo_correction_follows_the_words_papers_still_have(lib: Path, invoke, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(lib, "quokka2024", title="Quokka Circuits")
    result = invoke("search", "qokka", "--keys")
    assert keys(result) == ["quokka2024"]
    assert "quokka" in result.stderr
    (lib / "papers" / "quokka2024.toml").unlink()
    result = invoke("search", "qokka", "--keys")
    assert keys(result) == []
    assert result.stderr == ""
