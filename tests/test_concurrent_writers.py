"""Real litmap processes writing one library at once: every paper kept, each under its own key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LITMAP = str(Path(sys.executable).with_name("litmap"))


def _env(library: Path) -> dict[str, str]:
    return {**os.environ, "LITMAP_LIBRARY": str(library)}


def _paper_keys(library: Path) -> list[str]:
    return sorted(p.stem for p in (library / "papers").glob("*.toml"))


def _check_clean(library: Path) -> None:
    done = subprocess.run([LITMAP, "check"], env=_env(library), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_four_writers_adding_at_once_keep_all_sixty_papers(empty_library: Path, tmp_path: Path) -> None:
    # Same first author, year and first title word: every paper wants the key writer2020concurrent.
    # The numbers differ across writers too, so no two titles are the same paper to the duplicate check.
    script = tmp_path / "writer.sh"
    script.write_text(
        "set -e\n"
        "for i in $(seq 0 14); do\n"
        '  "$LITMAP" add --title "Concurrent paper $1 $(($2 + i))" --author "Writer, A" --year 2020\n'
        "done\n",
        encoding="utf-8",
    )
    env = {**_env(empty_library), "LITMAP": LITMAP}
    writers = [
        subprocess.Popen(
            ["sh", str(script), name, str(100 * n)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for n, name in enumerate("ABCD")
    ]
    outputs = [w.communicate(timeout=600) for w in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, out + err
    lines = [line for out, _err in outputs for line in out.splitlines()]
    reported = [line.split()[1].rstrip(":") for line in lines if line.startswith("Added ")]
    assert len(reported) == 60
    assert len(set(reported)) == 60, "two writers reported the same key"
    keys = _paper_keys(empty_library)
    assert sorted(reported) == keys
    titles = set()
    for key in keys:
        text = (empty_library / "papers" / f"{key}.toml").read_text(encoding="utf-8")
        titles.update(line for line in text.splitlines() if line.startswith("title"))
    assert len(titles) == 60
    _check_clean(empty_library)


def _bib(prefix: str, start: int, count: int) -> str:
    # Same author, year and first title word in both files (every entry wants importer2019parallel);
    # numbers differ, so no entry duplicates another.
    return "".join(
        f"@article{{{prefix}{i},\n  title = {{Parallel {prefix} import study number {i}}},\n"
        f"  author = {{Importer, Ida}},\n  year = {{2019}},\n  journal = {{Journal of Imports}}\n}}\n\n"
        for i in range(start, start + count)
    )


def test_two_imports_at_once_keep_all_six_hundred_papers(empty_library: Path, tmp_path: Path) -> None:
    files = []
    for prefix, start in (("left", 0), ("right", 1000)):
        path = tmp_path / f"{prefix}.bib"
        path.write_text(_bib(prefix, start, 300), encoding="utf-8")
        files.append(path)
    imports = [
        subprocess.Popen(
            [LITMAP, "import", str(path)],
            env=_env(empty_library),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    for proc in imports:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, out + err
    assert len(_paper_keys(empty_library)) == 600
    _check_clean(empty_library)


def test_a_writer_waiting_for_the_lock_says_so(empty_library: Path) -> None:
    from filelock import FileLock

    lock = FileLock(str(empty_library / ".litmap" / "lock"))
    (empty_library / ".litmap").mkdir(exist_ok=True)
    with lock:
        writer = subprocess.Popen(
            [LITMAP, "add", "--title", "Patience", "--author", "Waiting, W", "--year", "2021"],
            env=_env(empty_library),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Wait until the writer has said that it waits (it does so after about a second).
        assert writer.stderr is not None
        line = writer.stderr.readline()
    out, err = writer.communicate(timeout=120)
    assert "waiting for another litmap writing to this library" in line
    assert writer.returncode == 0, out + err
    assert "Added waiting2021patience" in out


def test_a_new_paper_never_replaces_an_existing_file(empty_library: Path) -> None:
    """Exclusive creation: a file that appears at the chosen path is never overwritten."""
    from litmap.errors import LitmapError
    from litmap.models import Paper
    from litmap.store import Library

    existing = "taken2020paper"
    library = Library(empty_library)
    target = library.paper_path(existing)
    with pytest.raises(LitmapError, match=existing), library.writing() as changes:
        library.stage_paper(changes, Paper(key=existing, title="Mine"))
        target.write_text('title = "Theirs"\n', encoding="utf-8")  # another program got there first
    assert target.read_text(encoding="utf-8") == 'title = "Theirs"\n'


def test_the_library_lock_keeps_out_a_filelock_holder_and_is_given_back(empty_library: Path) -> None:
    """litmap takes its lock with flock, as the filelock package does on Unix: each keeps the other out."""
    from litmap.store.files import library_lock

    probe = (
        "import sys; from filelock import FileLock, Timeout\n"
        "try:\n    FileLock(sys.argv[1]).acquire(timeout=0.3); print('taken')\n"
        "except Timeout:\n    print('locked')\n"
    )
    path = str(empty_library / ".litmap" / "lock")

    def other_process() -> str:
        return subprocess.run([sys.executable, "-c", probe, path], capture_output=True, text=True).stdout.strip()

    with library_lock(empty_library):
        assert other_process() == "locked"
    assert other_process() == "taken"
