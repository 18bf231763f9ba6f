"""Exports through the real Typst compiler (the ``typst`` package bundles it): Hayagriva and BibTeX.

A run passes when Typst compiles without an error or warning and the PDF's reference list (read
with pdftotext) holds exactly the cited papers. Skipped without typst or pdftotext, except under CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BUNDLED
from litmap.store import Library
from test_export_bibtex import HOSTILE

CITED = ["elhage2022toy", "olah2020zoom", "power2022grokking", "arora2016linear", "wang2022interpretability"]

DRAFT = """#set page(width: 18cm, height: auto, margin: 1cm)
#set text(hyphenate: false)
#set heading(numbering: "1.")
= Introduction <intro>
CITATIONS
As @intro shows, write to jane\\@example.org.

#bibliography("BIB", title: "References", style: "ieee")
"""


@pytest.fixture(autouse=True)
def tools() -> None:
    missing = [] if shutil.which("pdftotext") else ["pdftotext"]
    try:
        import typst  # noqa: F401
    except ImportError:
        missing.append("the typst package")
    if missing:
        message = f"missing {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message + " ($CI is set: .ci/run installs them)")
        pytest.skip(message)


def words(text: str) -> str:
    """Letters and digits only, lower-cased: titles compared however the PDF breaks and quotes them."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def compile_typst(folder: Path) -> str:
    """Compile draft.typ; the PDF's text from the reference list on."""
    import typst

    pdf, warnings = typst.compile_with_warnings(str(folder / "draft.typ"), root=str(folder))
    assert not warnings, [w.message for w in warnings]
    (folder / "draft.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "draft.pdf", "-"], cwd=folder, capture_output=True, text=True, check=True)
    return text.stdout.split("References", 1)[1]


def export_and_compile(invoke, library: Path, folder: Path, format_: str, keys: list[str]) -> str:  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True, exist_ok=True)
    bib = "refs.yml" if format_ == "hayagriva" else "refs.bib"
    citations = "\n".join(f'Paper #cite(label("{key}")).' if "." in key else f"Paper @{key}." for key in keys)
    (folder / "draft.typ").write_text(DRAFT.replace("CITATIONS", citations).replace("BIB", bib), encoding="utf-8")
    result = invoke(
        "--library", str(library), "export", format_, "--draft", str(folder / "draft.typ"), "-o", str(folder / bib)
    )
    assert result.exit_code == 0, result.stderr
    return compile_typst(folder)


def entries(references: str) -> int:
    return len(re.findall(r"^\[\d+\]", references, re.MULTILINE))


@pytest.mark.parametrize("format_", ["hayagriva", "bibtex"])
def test_a_typst_draft_lists_exactly_what_it_cites(invoke, tmp_path: Path, format_: str) -> None:  # type: ignore[no-untyped-def]
    references = export_and_compile(invoke, BUNDLED, tmp_path, format_, CITED)
    library = Library(BUNDLED)
    assert entries(references) == len(CITED)
    for key in CITED:
        assert words(library.get(key).title) in words(references)
    assert words(library.get("meng2022locating").title) not in words(references)


def test_every_bundled_paper_compiles_from_hayagriva(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    keys = sorted(path.stem for path in (BUNDLED / "papers").glob("*.toml"))
    references = export_and_compile(invoke, BUNDLED, tmp_path, "hayagriva", keys)
    assert entries(references) == len(keys)
    # Braced words keep their case in a style that changes it; the venue and volume come from the parent.
    assert "vol. 6" in references and "Transactions of the Association for Computational Linguistics" in " ".join(
        references.split()
    )


@pytest.mark.parametrize("format_", ["hayagriva", "bibtex"])
def test_hostile_characters_compile(invoke, make_paper_file, empty_library: Path, tmp_path: Path, format_: str) -> None:  # type: ignore[no-untyped-def]
    for fields in HOSTILE:
        make_paper_file(empty_library, **fields)
    keys = sorted(str(fields["key"]) for fields in HOSTILE)
    references = export_and_compile(invoke, empty_library, tmp_path, format_, keys)
    assert entries(references) == len(keys)
    assert "Gödel" in references
    if format_ == "hayagriva":
        assert "{set}" in references and "$5" in references


SENTENCE_CASE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Sentence case</title><id>sentence-case</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="citation-number"/></layout></citation>
  <bibliography><layout><text variable="title" text-case="sentence"/></layout></bibliography>
</style>
"""


def test_case_protection_survives_a_sentence_case_style(
    invoke, make_paper_file, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, key="wang2022gpt", title="Interpretability of GPT-2 Small in the Wild", year=2022)
    (tmp_path / "sentence.csl").write_text(SENTENCE_CASE, encoding="utf-8")
    (tmp_path / "draft.typ").write_text(
        '@wang2022gpt\n#bibliography("refs.yml", title: "References", style: "sentence.csl")\n', encoding="utf-8"
    )
    result = invoke("export", "hayagriva", "--draft", str(tmp_path / "draft.typ"), "-o", str(tmp_path / "refs.yml"))
    assert result.exit_code == 0, result.stderr
    references = " ".join(compile_typst(tmp_path).split())
    # Without the braces the style would print "Gpt-2".
    assert "Interpretability of GPT-2 small in the wild" in references
