"""`litmap export ... --watch` as a user runs it: a real process, a real editor's saves, Ctrl-C.

The watcher is the installed `litmap` in a subprocess; the tests edit files and wait (with a
generous deadline) for the output to change, or give the watcher a moment and check it did not.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

DEADLINE = 10.0  # seconds to wait for something that happens in well under a second
SETTLE = 1.5  # seconds to give the watcher before checking that nothing happened


class Watcher:
    """A running ``litmap export bibtex --draft draft.tex -o refs.bib --watch`` in ``folder``."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.folder = folder
        self.output = folder / "refs.bib"
        self.log = folder / "watch.log"
        exe = str(Path(sys.executable).with_name("litmap"))
        command = [exe, "export", "bibtex", *args, "-o", "refs.bib", "--watch"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
        self.wait_for(lambda: "Watching" in self.text())

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def keys(self) -> list[str]:
        return re.findall(r"^@\w+\{(.*),$", self.output.read_text(encoding="utf-8"), re.MULTILINE)

    def wait_for(self, condition, what: str = "") -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            if condition():
                return
            assert self.process.poll() is None, f"the watcher stopped:\n{self.text()}"
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what or 'the watcher'}:\n{self.text()}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=DEADLINE)


@pytest.fixture
def watcher(bundled_copy: Path, tmp_path: Path) -> Iterator[Watcher]:
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "draft.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\cite{elhage2022toy}\n\\input{intro}\n\\end{document}\n",
        encoding="utf-8",
    )
    (folder / "intro.tex").write_text("Intro.\n", encoding="utf-8")
    running = Watcher(folder, "--draft", "draft.tex")
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_new_citation_rewrites_the_output_and_says_so(watcher: Watcher) -> None:
    assert watcher.keys() == ["elhage2022toy"]
    edit(watcher.folder / "draft.tex", "\\cite{elhage2022toy}", "\\cite{elhage2022toy,olah2020zoom,power2022grokking}")
    watcher.wait_for(lambda: len(watcher.keys()) == 3, "the new citations")
    assert watcher.keys() == ["elhage2022toy", "olah2020zoom", "power2022grokking"]
    watcher.wait_for(lambda: "refs.bib: +2 entries (olah2020zoom, power2022grokking)" in watcher.text())
    assert watcher.stop() == 0
    assert watcher.text().rstrip().endswith("Stopped watching.")


def test_touching_a_draft_without_new_citations_leaves_the_output_alone(watcher: Watcher) -> None:
    before = watcher.output.stat().st_mtime_ns
    content = watcher.output.read_bytes()
    os.utime(watcher.folder / "draft.tex")
    edit(watcher.folder / "intro.tex", "Intro.", "A longer introduction, still citing nothing new.")
    time.sleep(SETTLE)
    assert watcher.output.stat().st_mtime_ns == before
    assert watcher.output.read_bytes() == content
    assert "refs.bib:" not in watcher.text()
    assert watcher.stop() == 0


def test_an_included_file_and_an_unknown_key(watcher: Watcher) -> None:
    edit(watcher.folder / "intro.tex", "Intro.", "Intro \\citep{nanda2023progres}.")
    watcher.wait_for(lambda: "unknown key" in watcher.text(), "the unknown key")
    assert "intro.tex:1: unknown key 'nanda2023progres'; did you mean 'nanda2023progress'?" in watcher.text()
    edit(watcher.folder / "intro.tex", "progres}", "progress}")
    watcher.wait_for(lambda: "nanda2023progress" in watcher.keys(), "the fixed key")  # noqa: SIM118
    # A file the draft comes to include is watched too.
    edit(watcher.folder / "draft.tex", "\\input{intro}", "\\input{intro}\n\\input{method}")
    (watcher.folder / "method.tex").write_text("\\citet{meng2022locating}\n", encoding="utf-8")
    watcher.wait_for(lambda: "meng2022locating" in watcher.keys(), "the new chapter's citation")  # noqa: SIM118
    assert watcher.stop() == 0


def test_an_editors_save_dance_is_survived(watcher: Watcher) -> None:
    draft = watcher.folder / "draft.tex"
    text = draft.read_text(encoding="utf-8")
    # vim-style: the draft is moved away, then written anew in two steps.
    draft.rename(watcher.folder / "draft.tex~")
    time.sleep(0.3)
    half = text.index("\\begin{document}")
    with draft.open("w", encoding="utf-8") as handle:
        handle.write(text[:half])
        handle.flush()
        time.sleep(0.05)
        handle.write(text[half:].replace("\\cite{elhage2022toy}", "\\cite{elhage2022toy,olah2020zoom}"))
    watcher.wait_for(lambda: "olah2020zoom" in watcher.keys(), "the saved citation")  # noqa: SIM118
    assert "-1 entry" not in watcher.text()  # the half-saved draft did not rewrite the output
    # Git-style: the file is replaced through a rename.
    replacement = watcher.folder / ".draft.tex.tmp"
    replacement.write_text(text.replace("\\cite{elhage2022toy}", "\\cite{power2022grokking}"), encoding="utf-8")
    replacement.replace(draft)
    watcher.wait_for(lambda: watcher.keys() == ["power2022grokking"], "the replaced draft")
    assert "Error" not in watcher.text()
    assert watcher.process.poll() is None
    assert watcher.stop() == 0


def test_a_change_in_the_library_rewrites_the_entry(watcher: Watcher, bundled_copy: Path) -> None:
    paper = bundled_copy / "papers" / "elhage2022toy.toml"
    edit(paper, 'title = "Toy Models of Superposition"', 'title = "Toy Models of Superposition, Revisited"')
    watcher.wait_for(lambda: "Revisited" in watcher.output.read_text(encoding="utf-8"), "the edited title")
    watcher.wait_for(lambda: "refs.bib: 1 entry changed (elhage2022toy)" in watcher.text())
    assert watcher.stop() == 0


def test_watch_needs_an_output_file(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from conftest import BUNDLED

    draft = tmp_path / "draft.tex"
    draft.write_text("\\cite{elhage2022toy}\n", encoding="utf-8")
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--draft", str(draft), "--watch")
    assert result.exit_code == 2
    assert "--watch" in result.stderr and "needs -o FILE" in result.stderr
