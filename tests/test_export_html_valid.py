"""The exported page is valid HTML5 by the Nu Html Checker (vnu.jar, the checker behind validator.w3.org/nu).

vnu.jar is the npm package ``vnu-jar``, installed by .ci/run into ``~/.cache/litmap/vnu``
(``npm install --prefix ~/.cache/litmap/vnu vnu-jar``) and run with Java (Debian's
``default-jre-headless``); $LITMAP_VNU_JAR names another copy. Without them these
tests skip on a laptop and fail when $CI is set. One checker run covers three pages: the bundled
library's, a 300-paper synthetic library's, and the same 300 papers as a long list (the papers in
the ``<template>`` store the script renders from).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED, REPO

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
VNU = Path(os.environ.get("LITMAP_VNU_JAR") or CACHE / "litmap/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
#: vnu cannot check a Content-Security-Policy hash, so it warns that the page's (hashed) inline style
#: and script are blocked; the browser tests show they run.
CSP_HASH_FALSE_ALARMS = tuple(f"Inline {what} violates Content Security Policy" for what in ("style", "script"))


def _checker() -> list[str]:
    java = shutil.which("java")
    missing = [] if java else ["java (apt-get install default-jre-headless)"]
    if not VNU.is_file():
        missing.append(f"{VNU} (npm install --prefix {CACHE / 'litmap/vnu'} vnu-jar)")
    if missing:
        message = "the Nu Html Checker needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + " ($CI is set: .ci/run installs them)")
        pytest.skip(message)
    return [str(java), "-Xss2m", "-jar", str(VNU)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from litmap.formats import html
    from litmap.services.export import export_papers
    from litmap.store import Library

    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import make_library

    folder = tmp_path_factory.mktemp("pages")
    synthetic = Library(make_library(folder / "lib300", 300), read_only=True)
    out = {"bundled": folder / "bundled.html", "300": folder / "300.html", "300-long": folder / "300-long.html"}
    out["bundled"].write_text(export_papers(Library(BUNDLED, read_only=True), "html").text, encoding="utf-8")
    out["300"].write_text(export_papers(synthetic, "html").text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html, "RENDER_ALL_UP_TO", 100)
        out["300-long"].write_text(export_papers(synthetic, "html").text, encoding="utf-8")
    return out


def test_pages_pass_the_nu_html_checker(pages: dict[str, Path]) -> None:
    command = _checker()
    assert "<template" in pages["300-long"].read_text(encoding="utf-8")
    run = subprocess.run([*command, "--format", "json", *map(str, pages.values())], capture_output=True, text=True)
    messages: list[dict[str, Any]] = json.loads(run.stderr)["messages"]
    checked = {m.get("url", "") for m in messages} - {""}
    problems = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if not (m.get("subType") == "warning" and m["message"].startswith(CSP_HASH_FALSE_ALARMS))
    ]
    assert problems == []
    assert run.returncode == 0
    # Each page draws the checker's CSP note: all three were read.
    assert {Path(u.removeprefix("file:")).name for u in checked} == {p.name for p in pages.values()}
