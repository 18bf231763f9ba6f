"""Reading what a Typst draft cites: references, cite(), #include, and what only looks like a citation."""

from __future__ import annotations

from pathlib import Path

from conftest import BUNDLED
from litmap.drafts import scan_draft

DRAFT = """#set heading(numbering: "1.")
= Introduction <intro>
As @elhage2022toy shows, and @olah2020zoom[p. 7] too; see @intro and @fig-map.
#figure(image("map.png"), caption: [A map]) <fig-map>
#cite(<power2022grokking>) and #cite(label("key with spaces"), form: "prose").
Write to jane@example.org or visit https://example.org/@someone, not \\@escaped.
// @commented out
/* @block
   comment @more */ `@inline` code and
```python
@decorator
def f(): pass
```
Ends with a period @nanda2023progress. And a colon @meng2022locating: fine.
#include "chapters/one.typ"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_references_and_cite_calls_are_read_in_order_with_lines(tmp_path: Path) -> None:
    draft = write(tmp_path, "paper.typ", DRAFT)
    write(tmp_path, "chapters/one.typ", 'In chapter one @conmy2023towards.\n#include "/chapters/two.typ"\n')
    write(tmp_path, "chapters/two.typ", "@olah2020zoom again, and @wang2022interpretability\n")
    scan = scan_draft(draft)
    assert scan.keys == [
        "elhage2022toy",
        "olah2020zoom",
        "power2022grokking",
        "key with spaces",
        "nanda2023progress",
        "meng2022locating",
        "conmy2023towards",
        "wang2022interpretability",
    ]
    where = {c.key: (c.path.name, c.line) for c in scan.citations}
    assert where["olah2020zoom"] == ("paper.typ", 3)
    assert where["power2022grokking"] == ("paper.typ", 5)
    assert where["conmy2023towards"] == ("one.typ", 1)
    assert where["wang2022interpretability"] == ("two.typ", 1)
    assert [p.name for p in scan.files] == ["paper.typ", "one.typ", "two.typ"]


def test_labels_mail_urls_code_and_comments_are_not_citations(tmp_path: Path) -> None:
    keys = scan_draft(write(tmp_path, "paper.typ", DRAFT)).keys
    for not_a_key in ("intro", "fig-map", "example.org", "someone", "escaped", "commented", "block", "more"):
        assert not_a_key not in keys
    assert "inline" not in keys and "decorator" not in keys


def test_a_missing_include_is_noted_not_fatal(tmp_path: Path) -> None:
    draft = write(tmp_path, "paper.typ", '@a\n#include "gone.typ"\n')
    scan = scan_draft(draft)
    assert scan.keys == ["a"]
    assert scan.unread == [f'{draft}:2: #include "gone.typ" (no such file)']


def test_export_reads_a_typst_draft_and_names_unknown_keys(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = write(tmp_path, "paper.typ", "= Intro <intro>\n@elhage2022toy and @intro.\n\n@nanda2023progres\n")
    result = invoke("--library", str(BUNDLED), "export", "hayagriva", "--draft", str(draft))
    assert result.exit_code == 1
    assert result.stdout.startswith('"elhage2022toy":\n  type: article\n')
    assert result.stdout.count('\n"') == 0  # one entry
    assert f"{draft}:4: no paper with key 'nanda2023progres'; did you mean 'nanda2023progress'?" in result.stderr
    assert "intro" not in result.stderr
