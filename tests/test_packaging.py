"""The wheel carries the bundled library, so an installed litmap works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_wheel_ships_the_bundled_library_and_runs_from_anywhere(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("litmap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    papers = sorted(n for n in names if n.startswith("litmap/bundled_library/papers/"))
    assert len(papers) == len(list((REPO / "library" / "papers").glob("*.toml")))
    assert "litmap/bundled_library/litmap.toml" in names
    assert "litmap/bundled_library/taxonomy.toml" in names
    assert not [n for n in names if "/.litmap" in n]
    assets = {"page.html", "style.css", "search.js"}
    assert {f"litmap/formats/html_assets/{name}" for name in assets} <= set(names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")} | {"PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", "from litmap.cli import main; main()", "check"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert str(site / "litmap" / "bundled_library") in result.stdout

    page = subprocess.run(
        [sys.executable, "-c", "from litmap.cli import main; main()", "export", "html"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("<!DOCTYPE html>") and 'data-key="elhage2022toy"' in page.stdout
