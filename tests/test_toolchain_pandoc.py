"""A pandoc Markdown draft through ``pandoc --citeproc`` against the CSL-JSON export.

The rendered reference list (the ``ref-KEY`` entries of pandoc's HTML) must hold exactly the cited
papers, and citeproc must not warn. Skipped without pandoc, except under CI.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED

DRAFT = """---
title: A draft
nocite: |
  @power2022grokking
---

As [@elhage2022toy] and [see @olah2020zoom, p. 3; @arora2016linear] show, @wang2022interpretability
[p. 2] argues, and [-@meng2022locating] too. Write to jane@example.org, see
<https://example.org/@someone>.

```python
@decorator
def f(): pass
```

# References
"""
CITED = ["arora2016linear", "elhage2022toy", "meng2022locating", "olah2020zoom", "power2022grokking"]


pytestmark = pytest.mark.usefixtures("pandoc")


def render(folder: Path, bibliography: str) -> subprocess.CompletedProcess[str]:
    command = ["pandoc", "draft.md", "--citeproc", "--bibliography", bibliography, "-s", "-t", "html"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=True)


def test_pandoc_lists_exactly_the_cited_papers(tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    exe = str(Path(sys.executable).with_name("litmap"))
    command = [exe, "--library", str(BUNDLED), "export", "csl-json", "--draft", "draft.md", "-o", "refs.json"]
    export = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert export.returncode == 0, export.stderr
    assert export.stderr.strip() == "Wrote 6 items to refs.json"
    rendered = render(tmp_path, "refs.json")
    assert "WARNING" not in rendered.stderr, rendered.stderr
    listed = sorted(re.findall(r'<div id="ref-([^"]+)"', rendered.stdout))
    assert listed == sorted([*CITED, "wang2022interpretability"])
    assert "Toy Models of Superposition" in " ".join(rendered.stdout.split())


def test_a_paper_cited_under_two_keys_renders_without_a_missing_citation(bundled_copy: Path, tmp_path: Path) -> None:
    from litmap.store import Library

    library = Library(bundled_copy)
    library.save_paper(library.get("olah2020zoom").model_copy(update={"aliases": ["olah2020zoomin"]}))
    (tmp_path / "draft.md").write_text("[@olah2020zoomin] and [@olah2020zoom].\n", encoding="utf-8")
    exe = str(Path(sys.executable).with_name("litmap"))
    command = [exe, "export", "csl-json", "--draft", "draft.md", "-o", "refs.json"]
    export = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert export.returncode == 0, export.stderr
    rendered = render(tmp_path, "refs.json")
    assert "not found" not in rendered.stderr, rendered.stderr
    assert "???" not in rendered.stdout
