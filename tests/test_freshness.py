"""The freshness check: the sums of a big folder, shared with a forked child, and what they notice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from litmap.store import freshness
from litmap.store.freshness import Listing, Sums, current_sums, scan_papers

FORKS = sys.platform == "linux" and (os.cpu_count() or 1) >= 2
LATER = time.time_ns() + 10**12  # a refresh long after every file here was written


def sums(folder: Path) -> Sums:
    return current_sums(folder)[0]


def kept_listing(folder: Path) -> Listing:
    """The listing a refresh long after the folder last changed keeps."""
    listing = current_sums(folder, None, LATER)[1]
    assert listing is not None
    return listing


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    papers = tmp_path / "papers"
    papers.mkdir()
    for number in range(60):
        (papers / f"p{number:02d}.toml").write_text(f'key = "p{number:02d}"\n' + "x" * number, encoding="utf-8")
    (papers / "notes.txt").write_text("not a paper", encoding="utf-8")
    (papers / ".p99.toml").write_text("an editor's temporary file", encoding="utf-8")
    return papers


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every folder is shared with a child; the list records each fork this process made."""
    made: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(freshness, "SPLIT_FROM", 2)
    monkeypatch.setattr(os, "fork", counting_fork)
    # Another test may have left a thread running in this process (litmap itself forks only without
    # one); the child here only stats files and leaves through os._exit, which is safe either way.
    monkeypatch.setattr(freshness, "forking_helps", lambda: True)
    return made


@pytest.mark.skipif(not FORKS, reason="forking is only used on Linux with two cores")
def test_sums_shared_with_a_child_equal_one_process_stating_every_file(folder: Path, forks: list[int]) -> None:
    assert sums(folder) == scan_papers(folder).sums
    assert len(forks) == 1
    assert sums(folder).files == 60  # the text file and the dot file are not papers


@pytest.mark.skipif(not FORKS, reason="forking is only used on Linux with two cores")
def test_an_edit_in_either_half_changes_the_sums(folder: Path, forks: list[int]) -> None:
    listing = [name for name in os.listdir(folder) if name.endswith(".toml") and not name.startswith(".")]
    for name in (listing[0], listing[-1]):  # the first half is summed here, the second by the child
        before = sums(folder)
        path = folder / name
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1))
        assert sums(folder) != before
        assert sums(folder) == scan_papers(folder).sums
    (folder / listing[-1]).unlink()
    assert sums(folder) == scan_papers(folder).sums
    assert sums(folder).files == 59


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps no change time: the stamp is the mtime")
@pytest.mark.parametrize("split", [False, True], ids=["one process", "shared with a child"])
def test_an_edit_that_keeps_the_size_and_puts_the_mtime_back_changes_the_sums(
    folder: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    if not split:
        monkeypatch.setattr(freshness, "SPLIT_FROM", 10**9)
    path = folder / "p30.toml"
    before, summed = path.stat(), sums(folder)
    time.sleep(0.01)  # past the timestamp granularity of any file system litmap runs on
    path.write_text(path.read_text(encoding="utf-8").replace("x", "y"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert sums(folder) != summed
    assert sums(folder) == scan_papers(folder).sums
    assert len(forks) == (3 if split else 0)


def test_without_a_fork_the_sums_are_the_same(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = scan_papers(folder).sums
    monkeypatch.setattr(freshness, "SPLIT_FROM", 2)

    def no_fork() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert sums(folder) == expected


@pytest.mark.skipif(not FORKS, reason="forking is only used on Linux with two cores")
def test_a_child_that_dies_without_answering_is_replaced_by_this_process(
    folder: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = scan_papers(folder).sums
    parent = os.getpid()
    summed = freshness._summed

    def dies_in_the_child(names: list[str], fd: int) -> tuple[int, int, int, int]:
        if os.getpid() != parent:
            raise MemoryError
        return summed(names, fd)

    monkeypatch.setattr(freshness, "_summed", dies_in_the_child)
    assert sums(folder) == expected
    assert len(forks) == 1


def test_a_search_of_ten_thousand_files_sees_an_edit_a_new_file_and_a_removed_one(tmp_path: Path) -> None:
    """The freshness guarantee at 10k files, through the installed command (a real process, which
    shares the stats with a forked child on Linux)."""
    library = tmp_path / "lib"
    papers = library / "papers"
    papers.mkdir(parents=True)
    (library / "litmap.toml").write_text('name = "big"\n', encoding="utf-8")
    for number in range(10_000):
        key = f"paper{number:05d}"
        text = f'key = "{key}"\ntype = "article"\ntitle = "Paper number {number:05d}"\nyear = 2020\n'
        path = papers / f"{key}.toml"
        path.write_text(text, encoding="utf-8")
    time.sleep(1.1)  # settled files, which the index trusts by their stat
    litmap = Path(sys.executable).parent / "litmap"

    def found(query: str) -> list[str]:
        result = subprocess.run(
            [str(litmap), "-L", str(library), "search", query, "--keys"], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert found("00042") == ["paper00042"]  # builds the index
    listing = [name for name in os.listdir(papers) if name.endswith(".toml")]
    edited = []
    for name in (listing[0], listing[-1]):  # one in each half of the folder's listing
        path = papers / name
        before = path.stat()
        path.write_text(path.read_text(encoding="utf-8").replace("Paper", "Quoll"), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p, rsync -t or touch -d would
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        edited.append(name.removesuffix(".toml"))
        assert sorted(found("quoll")) == sorted(edited)
    (papers / "added.toml").write_text('key = "added"\ntype = "misc"\ntitle = "Wombat pulled in"\n', encoding="utf-8")
    assert found("wombat") == ["added"]
    (papers / "added.toml").unlink()
    assert found("wombat") == []


@pytest.mark.skipif(os.name == "nt", reason="the listing is kept on POSIX systems only")
@pytest.mark.parametrize("split", [False, True], ids=["one process", "shared with a child"])
def test_a_kept_listing_spares_reading_the_folder_until_the_folder_changes(
    folder: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    if not split:
        monkeypatch.setattr(freshness, "SPLIT_FROM", 10**9)
    listing = kept_listing(folder)
    assert sorted(listing.names) == sorted(scan_papers(folder).names)
    real_listdir = os.listdir

    def no_listdir(path: object) -> list[str]:
        raise AssertionError("read the folder")

    expected = scan_papers(folder).sums
    monkeypatch.setattr(os, "listdir", no_listdir)
    monkeypatch.setattr(os, "supports_fd", os.supports_fd | {no_listdir})
    assert current_sums(folder, listing, LATER) == (expected, None)
    path = folder / "p30.toml"
    path.write_text(path.read_text(encoding="utf-8") + "edited in place\n", encoding="utf-8")
    edited = current_sums(folder, listing, LATER)[0]
    monkeypatch.setattr(os, "listdir", real_listdir)
    assert edited == scan_papers(folder).sums != expected  # the edit counts
    time.sleep(0.01)  # past the timestamp granularity of any file system litmap runs on
    for change in (
        lambda: (folder / "new.toml").write_text('key = "new"\n', encoding="utf-8"),  # git pull adds one
        lambda: (folder / "new.toml").rename(folder / "renamed.toml"),  # same bytes, another name
        lambda: (folder / "renamed.toml").unlink(),
    ):
        before = current_sums(folder, listing, LATER)[0]
        change()
        now, relisted = current_sums(folder, listing, LATER)
        assert now == scan_papers(folder).sums != before
        assert relisted is not None and sorted(relisted.names) == sorted(scan_papers(folder).names)
        listing = relisted


def test_a_folder_changed_just_now_gives_no_listing_to_keep(folder: Path) -> None:
    assert current_sums(folder, None, time.time_ns())[1] is None  # its next change might share its stamp
    assert current_sums(folder, None, LATER)[1] is not None


def test_a_kept_listing_is_read_back_as_it_was() -> None:
    listing = Listing("64768:1234:1700000000000000000:1700000000000000000:4096", ["a.toml", "b c.toml"], 99)
    assert Listing.parse(str(listing)) == listing
    assert Listing.parse(str(Listing("1:2:3:4:5", [], 0))) == Listing("1:2:3:4:5", [], 0)
    assert Listing.parse("garbage") is None
