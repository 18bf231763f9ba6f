"""`export -o` never destroys a file: not an input, not a link, not a device; a full disk is an error."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

LITMAP = str(Path(sys.executable).with_name("litmap"))
KEY = "elhage2022toy"


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    (tmp_path / "intro.tex").write_text(f"See \\cite{{{KEY}}}.\n", encoding="utf-8")
    path = tmp_path / "draft.tex"
    path.write_text("\\documentclass{article}\\begin{document}\\input{intro}\\end{document}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["draft.tex", "intro.tex", "draft.aux"])
def test_an_input_of_the_command_is_never_written_over(invoke, bundled_copy: Path, draft: Path, target: str) -> None:  # type: ignore[no-untyped-def]
    aux = draft.with_suffix(".aux")
    aux.write_text(f"\\relax\n\\citation{{{KEY}}}\n", encoding="utf-8")
    output = draft.parent / target
    before = output.read_bytes()
    result = invoke("export", "bibtex", "--tex", str(draft), "--aux", str(aux), "-o", str(output))
    assert result.exit_code == 1
    assert output.read_bytes() == before
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and "input" in errors[0] and target in errors[0]


def test_an_input_reached_through_a_link_is_refused_too(invoke, bundled_copy: Path, draft: Path) -> None:  # type: ignore[no-untyped-def]
    link = draft.parent / "out.bib"
    link.symlink_to(draft)
    before = draft.read_bytes()
    result = invoke("export", "bibtex", "--tex", str(draft), "-o", str(link))
    assert result.exit_code == 1
    assert draft.read_bytes() == before and link.is_symlink()


def test_a_symlink_is_written_through(invoke, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "shared").mkdir()
    real = tmp_path / "shared" / "refs.bib"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    result = invoke("export", "bibtex", KEY, "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert f"@article{{{KEY}" in real.read_text(encoding="utf-8") or KEY in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_fifo_stays_a_fifo(bundled_copy: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    env = {**os.environ, "LITMAP_LIBRARY": str(bundled_copy)}
    done = subprocess.run([LITMAP, "export", "bibtex", KEY, "-o", str(fifo)], env=env, capture_output=True, timeout=120)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert KEY.encode() in received[0]


def test_dev_stdout_is_written_as_a_stream(bundled_copy: Path) -> None:
    env = {**os.environ, "LITMAP_LIBRARY": str(bundled_copy)}
    done = subprocess.run(
        [LITMAP, "export", "bibtex", KEY, "-o", "/dev/stdout"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert KEY in done.stdout
    assert Path("/dev/stdout").is_symlink()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_is_an_error_never_wrote(bundled_copy: Path) -> None:
    env = {**os.environ, "LITMAP_LIBRARY": str(bundled_copy)}
    done = subprocess.run(
        [LITMAP, "export", "bibtex", "-o", "/dev/full"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "Wrote" not in done.stderr
    assert "/dev/full" in done.stderr and "space" in done.stderr.lower()
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_failed_write_leaves_the_old_file_whole(invoke, bundled_copy: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from litmap.store import files

    output = tmp_path / "refs.bib"
    output.write_text("precious\n", encoding="utf-8")

    def no_space(path: Path, text: str, sync: bool = True) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_temp", no_space)
    result = invoke("export", "bibtex", KEY, "-o", str(output))
    assert result.exit_code == 1
    assert "Wrote" not in result.stderr and "No space left" in result.stderr
    assert output.read_text(encoding="utf-8") == "precious\n"


@pytest.mark.parametrize("installed", [False, True], ids=["runner", "entry point"])
def test_an_unreadable_paper_file_fails_the_export_and_keeps_the_output(  # type: ignore[no-untyped-def]
    invoke, bundled_copy: Path, tmp_path: Path, installed: bool
) -> None:

    (bundled_copy / "papers" / "broken.toml").write_text('key = "broken"\ntitle = \n', encoding="utf-8")
    out = tmp_path / "refs.bib"
    out.write_text("% the complete one\n", encoding="utf-8")
    runs = []
    for args in (["export", "bibtex", "-o", str(out)], ["export", "bibtex"]):
        if installed:
            env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")}
            exe = str(Path(sys.executable).with_name("litmap"))
            done = subprocess.run(
                [exe, "--library", str(bundled_copy), *args], env=env, capture_output=True, text=True, timeout=60
            )
            runs.append((done.returncode, done.stdout, done.stderr))
        else:
            result = invoke(*args)
            runs.append((result.exit_code, result.stdout, result.stderr))
    for code, stdout, stderr in runs:
        assert code == 1
        assert stdout == ""
        (line,) = stderr.splitlines()
        assert line.startswith("Error: unreadable paper file ") and "broken.toml:2" in line
    assert f"nothing written to {out}" in runs[0][2]
    assert out.read_text(encoding="utf-8") == "% the complete one\n"
