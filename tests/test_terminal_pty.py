"""`list` and `search` in real processes: tab-separated lines in a pipe, and on a real terminal (a pty)
a pager for long output, never for short output or with --no-pager."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

from conftest import BUNDLED


def litmap(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("litmap")
    full = {k: v for k, v in os.environ.items() if not k.startswith(("LITMAP_", "PAGER"))} | env
    return subprocess.run([str(exe), *args], env=full, capture_output=True, text=True, timeout=120)


def test_piped_list_is_tab_separated_and_never_paged(tmp_path: Path) -> None:
    marker = tmp_path / "paged"
    result = litmap("--library", str(BUNDLED), "list", LITMAP_PAGER=f"touch {marker}; cat", COLUMNS="80")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    keys = litmap("--library", str(BUNDLED), "list", "--keys").stdout.split()
    assert len(lines) == len(keys) > 50
    assert all(len(line.split("\t")) == 5 for line in lines)
    toy = next(line for line in lines if line.startswith("elhage2022toy\t"))
    assert toy.split("\t")[1:4] == ["2022", "Elhage et al.", "Toy Models of Superposition"]
    assert not marker.exists()


def test_piped_search_is_tab_separated(tmp_path: Path) -> None:
    result = litmap("--library", str(BUNDLED), "search", "superposition features")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split("\t")[:2] == ["elhage2022toy", "2022"]


def run_in_pty(args: list[str], env: dict[str, str], rows: int = 24, cols: int = 80) -> str:
    """Run litmap with a pty of ``rows`` x ``cols`` as its terminal; what it wrote there."""
    exe = Path(sys.executable).with_name("litmap")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full = {k: v for k, v in os.environ.items() if not k.startswith(("LITMAP_", "PAGER", "COLUMNS", "LINES"))}
    process = subprocess.Popen([str(exe), *args], stdin=slave, stdout=slave, stderr=slave, env=full | env)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    process.wait(timeout=60)
    os.close(master)
    return out.decode("utf-8", "replace")


def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    out = run_in_pty(["--library", str(BUNDLED), "list"], {"LITMAP_PAGER": f"cat > {paged}", "PAGER": "false"})
    text = paged.read_text(encoding="utf-8")
    assert "elhage2022toy" in text and "\x1b[36m" in text  # coloured for less -R
    assert "elhage2022toy" not in out
    assert all(len(line) <= 80 for line in text.replace("\x1b[36m", "").replace("\x1b[0m", "").splitlines())


def test_pager_falls_back_to_pager_and_is_off_with_no_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    run_in_pty(["--library", str(BUNDLED), "list"], {"PAGER": f"cat > {paged}"})
    assert "elhage2022toy" in paged.read_text(encoding="utf-8")
    paged.unlink()
    out = run_in_pty(["--library", str(BUNDLED), "list", "--no-pager"], {"PAGER": f"cat > {paged}"})
    assert not paged.exists() and "elhage2022toy" in out


def test_short_output_is_not_paged(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    out = run_in_pty(["--library", str(BUNDLED), "list", "-n", "3"], {"LITMAP_PAGER": f"cat > {paged}"})
    assert not paged.exists()
    assert "3 papers" not in out and ", first 3 shown" in out


def test_long_keys_and_authors_still_give_one_line_a_paper_at_80_columns(make_paper_file, empty_library: Path) -> None:  # type: ignore[no-untyped-def]
    import re

    for n in range(3):
        make_paper_file(
            empty_library,
            key=f"alicecollaboration2014measurement{n}",
            title="Measurement of prompt D-meson production in p-Pb collisions at 5.02 TeV",
            authors=["ALICE Collaboration Members"],
            year=2014,
        )
    for cols in (80, 60):
        out = run_in_pty(["--library", str(empty_library), "list", "--no-pager"], {}, cols=cols)
        lines = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line) for line in out.replace("\r", "").splitlines()]
        rows = [line for line in lines if line.strip() and line.strip() != "3 papers"]
        assert len(rows) == 3, rows  # one line a paper: nothing wrapped onto a second line
        assert all(len(line) <= cols for line in rows), rows
        assert all("…" in line and "2014" in line for line in rows)
