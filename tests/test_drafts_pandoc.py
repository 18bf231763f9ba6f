"""Reading what a pandoc Markdown draft cites (.md, .qmd, .Rmd), checked against pandoc itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED
from litmap.drafts import scan_draft
from litmap.drafts.scan import ALL

#: Citations in every form pandoc reads, and text that is not a citation to pandoc either.
DRAFT = """---
title: "A draft, by jane@example.org"
nocite: |
  @nocited1, @nocited2
---

# Introduction

As [@elhage2022toy] and [see @olah2020zoom, p. 3; @power2022grokking] show, and
[-@nanda2023progress] and @meng2022locating [p. 33] says, @{key.with.dots} too.
@Smith:2020 wrote (@under_score) and "@quoted" *@emphasised*; @1990numeric.
Mail me at someone@example.com. A trailing period @trailing. Colon @colon: yes.

```python
@decorator
def f(): pass
```

~~~
@tilde_fenced
~~~

Inline `@inline` code and ``@double `tick` code``.
<!-- @html_comment -->
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pandoc_citations(path: Path) -> list[str]:
    """The citation ids pandoc itself finds in ``path`` (body and metadata), in order."""
    if shutil.which("pandoc") is None:
        if os.environ.get("CI"):
            pytest.fail("pandoc is missing ($CI is set: .ci/run installs it)")
        pytest.skip("pandoc is not installed")
    out = subprocess.run(["pandoc", str(path), "-t", "json"], capture_output=True, text=True, check=True).stdout
    ids: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                ids.extend(c["citationId"] for c in node["c"][0] if c["citationId"] not in ids)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    document = json.loads(out)
    walk(document["meta"])
    walk(document["blocks"])
    return ids


def test_the_scan_finds_exactly_what_pandoc_finds(tmp_path: Path) -> None:
    draft = write(tmp_path, "draft.md", DRAFT)
    assert scan_draft(draft).keys == pandoc_citations(draft)


def test_every_form_is_read_with_its_line(tmp_path: Path) -> None:
    scan = scan_draft(write(tmp_path, "draft.md", DRAFT))
    assert scan.keys == [
        "nocited1",
        "nocited2",
        "elhage2022toy",
        "olah2020zoom",
        "power2022grokking",
        "nanda2023progress",
        "meng2022locating",
        "key.with.dots",
        "Smith:2020",
        "under_score",
        "quoted",
        "emphasised",
        "1990numeric",
        "trailing",
        "colon",
    ]
    lines = {c.key: c.line for c in scan.citations}
    assert lines["nocited1"] == 3 and lines["olah2020zoom"] == 9 and lines["Smith:2020"] == 11


def test_urls_and_cross_references_are_not_missing_keys(tmp_path: Path) -> None:
    draft = write(
        tmp_path,
        "paper.qmd",
        "See <https://example.org/@user> and https://medium.com/@author/post.\n\n"
        "![A map](map.png){#fig-map}\n\nAs @fig-map shows, and @tbl-results, and @sec-intro [@elhage2022toy].\n\n"
        "```{r}\n#| label: fig-plot\nplot(1)\n```\n\n@fig-plot and @eq:energy.\n",
    )
    scan = scan_draft(draft)
    assert scan.keys == ["elhage2022toy"]
    # Not labels of this draft: cited only if the library holds such keys.
    assert [c.key for c in scan.possible] == ["tbl-results", "sec-intro", "eq:energy"]


def test_nocite_star_and_quarto_includes(tmp_path: Path) -> None:
    draft = write(tmp_path, "paper.qmd", "---\nnocite: '@*'\n---\n\n{{< include _intro.qmd >}}\n\n[@b]\n")
    write(tmp_path, "_intro.qmd", "Intro [@a].\n")
    scan = scan_draft(draft)
    assert scan.keys == [ALL, "a", "b"]
    assert [p.name for p in scan.files] == ["paper.qmd", "_intro.qmd"]


def test_r_markdown_and_quarto_are_pandoc_by_extension(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("draft.Rmd", "draft.qmd", "draft.markdown"):
        draft = write(tmp_path, name, "As @elhage2022toy and [@olah2020zoom] show; mail a@b.org.\n")
        result = invoke("--library", str(BUNDLED), "export", "csl-json", "--draft", str(draft))
        assert result.exit_code == 0, result.stderr
        assert [item["id"] for item in json.loads(result.stdout)] == ["elhage2022toy", "olah2020zoom"]


def test_a_cross_reference_that_is_a_library_key_is_exported(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from litmap.store import Library

    library_path = tmp_path / "lib"
    shutil.copytree(BUNDLED, library_path)
    library = Library(library_path)
    library.save_paper(library.get("olah2020zoom").model_copy(update={"key": "sec-circuits", "aliases": []}))
    draft = write(tmp_path, "draft.md", "See @sec-circuits and @fig-unknown.\n")
    result = invoke("--library", str(library_path), "export", "csl-json", "--draft", str(draft))
    assert result.exit_code == 0, result.stderr
    assert [item["id"] for item in json.loads(result.stdout)] == ["sec-circuits"]
