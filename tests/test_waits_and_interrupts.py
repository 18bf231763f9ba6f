"""Long waits show what they wait for on a terminal (never in a pipe), and Ctrl-C says what was kept.

Real processes of the entry point: `add` against a local server that answers slowly or not at all,
`import` of a generated .bib of a few thousand entries; SIGINT is sent as Ctrl-C would send it.
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sources_support import ARXIV_PATH, fixture_bytes

EXE = Path(sys.executable).with_name("litmap")
WAIT = 60.0


def as_in_a_terminal() -> None:
    """Ctrl-C reaches a command run in a terminal: undo a SIGINT ignored by whatever started the tests
    in the background (a child inherits that, and Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def environment(**extra: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")} | extra


class Terminal:
    """litmap running on a pty of 100 columns: what it wrote there, read as it comes."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.process = subprocess.Popen(
            [str(EXE), *args], stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=as_in_a_terminal
        )
        os.close(slave)
        self.started = time.monotonic()
        self.out = b""

    def text(self) -> str:
        return self.out.decode("utf-8", "replace")

    def wait_for(self, pattern: str) -> float:
        """Read until ``pattern`` (a regex) shows; the seconds since the start."""
        deadline = time.monotonic() + WAIT
        while not re.search(pattern, self.text()):
            assert time.monotonic() < deadline, f"never showed {pattern!r}: {self.text()!r}"
            assert self._read(deadline - time.monotonic()), f"ended before {pattern!r}: {self.text()!r}"
        return time.monotonic() - self.started

    def finish(self) -> int:
        while self._read(WAIT):
            pass
        code = self.process.wait(timeout=WAIT)
        os.close(self.master)
        return code

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        self.out += chunk
        return bool(chunk)


@pytest.fixture
def slow_arxiv(net) -> Iterator[tuple[threading.Event, str]]:  # type: ignore[no-untyped-def]
    """arXiv that takes its time: it answers only once the test lets it (or after a minute)."""
    asked, answer = threading.Event(), threading.Event()

    def handler(request):  # type: ignore[no-untyped-def]
        from werkzeug import Response

        asked.set()
        answer.wait(WAIT)
        return Response(fixture_bytes("arxiv/2209.10652.atom"), content_type="application/atom+xml")

    net.expect_request(ARXIV_PATH).respond_with_handler(handler)
    from urllib.parse import urlsplit

    yield asked, urlsplit(net.url_for("/")).netloc
    answer.set()


def test_add_shows_which_server_it_asks_and_ctrl_c_writes_nothing(slow_arxiv, empty_library: Path) -> None:  # type: ignore[no-untyped-def]
    _asked, host = slow_arxiv
    terminal = Terminal(["add", "--arxiv", "2209.10652"], environment())
    shown = terminal.wait_for(re.escape(f"Asking {host} for 2209.10652…"))
    assert shown >= 0.5
    terminal.process.send_signal(signal.SIGINT)
    assert terminal.finish() == 130
    text = terminal.text()
    assert text.rstrip().endswith("interrupted: nothing written")
    assert "Traceback" not in text and "Aborted" not in text
    assert list((empty_library / "papers").iterdir()) == []


def test_a_pipe_gets_no_spinner_only_the_interrupted_line(slow_arxiv, empty_library: Path) -> None:  # type: ignore[no-untyped-def]
    asked, _host = slow_arxiv
    process = subprocess.Popen(
        [str(EXE), "add", "--arxiv", "2209.10652", "--json"],
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_in_a_terminal,
    )
    assert asked.wait(WAIT)
    time.sleep(1.0)  # longer than a terminal would wait before showing the spinner
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 130
    assert err == "interrupted: nothing written\n"
    assert out == ""


def test_a_short_wait_shows_nothing_a_long_one_names_the_server_and_the_line_is_erased() -> None:
    from litmap.cli.progress import Activity
    from litmap.services.progress import Step

    stream = io.StringIO()
    with Activity(stream, enabled=True) as activity:
        activity(Step("fetching", 0, 1, about="2209.10652"))
        activity.asking("export.arxiv.org")
        time.sleep(0.2)
        activity.asking(None)  # answered quickly
        time.sleep(0.5)
        assert stream.getvalue() == ""
        activity.asking("export.arxiv.org")
        time.sleep(1.0)
        assert "⠙ Asking export.arxiv.org for 2209.10652…" in stream.getvalue().split("\r\x1b[2K")
    assert stream.getvalue().endswith("\r\x1b[2K")  # erased before anything else is printed


def big_bib(path: Path, n: int) -> Path:
    """``n`` distinct @article entries."""
    words = "sparse circuits features heads probing grokking neurons attention tracing patching".split()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            title = " ".join(words[(i >> s) % len(words)] for s in (0, 3, 6, 9, 12)) + f" number {i}"
            out.write(
                f"@article{{e{i},\n  title = {{{title}}},\n  author = {{Author{i % 97}, A. and Other{i}, B.}},\n"
                f"  journal = {{Journal {i % 13}}},\n  year = {{{1990 + i % 35}}},\n  volume = {{{i}}},\n}}\n\n"
            )
    return path


def papers_in(root: Path) -> list[Path]:
    return [p for p in (root / "papers").iterdir() if p.suffix == ".toml" and not p.name.startswith(".")]


def leftovers(root: Path) -> list[Path]:
    """Temp files or a journal a change left behind."""
    return [p for p in root.rglob("*") if p.name.endswith(".litmap-tmp") or p.name == "journal.json"]


N = 500
#: Entries for the phases test: checking 12,000 takes seconds (3,000 can end within the half second).
N_PHASES = 12000


def interrupt_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not ready():
        assert process.poll() is None, "the import ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)


def test_ctrl_c_while_writing_keeps_the_whole_papers_written_so_far(empty_library: Path, tmp_path: Path) -> None:
    bib = big_bib(tmp_path / "big.bib", N)
    process = subprocess.Popen(
        [str(EXE), "import", str(bib)],
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_in_a_terminal,
    )
    interrupt_when(process, lambda: bool(papers_in(empty_library)))
    _out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    match = re.fullmatch(rf"interrupted: (\d+) of {N} added", last)
    assert match, err
    kept = int(match[1])
    assert 0 < kept < N
    assert len(papers_in(empty_library)) == kept
    assert leftovers(empty_library) == []
    check = subprocess.run([str(EXE), "check"], env=environment(), capture_output=True, text=True, timeout=WAIT)
    assert check.returncode == 0, check.stdout + check.stderr
    again = subprocess.run(
        [str(EXE), "import", str(bib)], env=environment(), capture_output=True, text=True, timeout=WAIT * 2
    )
    assert again.returncode == 0, again.stderr
    assert f"{N - kept} added, {kept} already present." in again.stdout
    assert len(papers_in(empty_library)) == N


def test_an_import_shows_its_phases_on_a_terminal_and_ctrl_c_before_writing_keeps_nothing(
    empty_library: Path, tmp_path: Path
) -> None:
    # Big enough that checking lasts well past the half second before a phase shows, on a quiet machine too.
    bib = big_bib(tmp_path / "big.bib", N_PHASES)
    terminal = Terminal(["import", str(bib)], environment())
    terminal.wait_for(rf"Checking for duplicates +━*─* +[\d,]+ of {N_PHASES:,} entries")
    terminal.process.send_signal(signal.SIGINT)
    assert terminal.finish() == 130
    text = terminal.text()
    assert text.rstrip().endswith("interrupted: nothing written")
    assert not re.search(r"\d:\d\d", text)  # no time estimate
    assert papers_in(empty_library) == []
    assert leftovers(empty_library) == []


def test_the_readme_shows_the_lines_as_litmap_draws_them() -> None:
    from conftest import REPO
    from litmap.cli.progress import FRAMES, Activity
    from litmap.services.progress import Step

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    activity = Activity(io.StringIO(), enabled=False)
    activity(Step("fetching", 0, 1, about="2209.10652"))
    activity.asking("export.arxiv.org")
    assert f"{FRAMES[4]} {activity._describe()}\n" in readme
    activity.asking(None)
    activity(Step("writing", 4700, 9334))
    assert f"{FRAMES[5]} {activity._describe()}\n" in readme
    said = re.findall(r"^interrupted: .*$", readme, re.M)
    assert said and all(re.fullmatch(r"interrupted: (nothing written|\d+ of \d+ added)", line) for line in said)
