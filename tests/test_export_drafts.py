"""`litmap export FORMAT --draft FILE`: one option for every draft syntax, and keys a draft cites twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import BUNDLED
from litmap.drafts import draft_syntaxes, syntax_for
from litmap.errors import InvalidValue


def bib_keys(text: str) -> list[str]:
    return re.findall(r"^@\w+\{(.*),$", text, re.MULTILINE)


def yaml_keys(text: str) -> list[str]:
    return re.findall(r'^"(.*)":$', text, re.MULTILINE)


@pytest.fixture
def drafts(tmp_path: Path) -> dict[str, Path]:
    """The same two citations written in each syntax."""
    files = {
        "draft.tex": "\\begin{document}\\citet{elhage2022toy} \\Cite{olah2020zoom}\\end{document}",
        "draft.aux": "\\relax\n\\citation{elhage2022toy}\n\\abx@aux@cite{0}{olah2020zoom}\n",
        "draft.typ": "@elhage2022toy and #cite(<olah2020zoom>)\n",
        "draft.md": "[@elhage2022toy; @olah2020zoom]\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return {name.split(".")[1]: tmp_path / name for name in files}


@pytest.mark.parametrize("syntax", ["tex", "aux", "typ", "md"])
@pytest.mark.parametrize("format_", ["bibtex", "csl-json", "hayagriva"])
def test_draft_reads_each_syntax_by_extension(invoke, drafts: dict[str, Path], syntax: str, format_: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "export", format_, "--draft", str(drafts[syntax]))
    assert result.exit_code == 0, result.stderr
    if format_ == "bibtex":
        keys = bib_keys(result.stdout)
    elif format_ == "csl-json":
        keys = [item["id"] for item in json.loads(result.stdout)]
    else:
        keys = yaml_keys(result.stdout)
    assert keys == ["elhage2022toy", "olah2020zoom"]


def test_draft_is_repeatable_and_tex_and_aux_stay_synonyms(invoke, drafts: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "more.md").write_text("@power2022grokking\n", encoding="utf-8")
    (tmp_path / "more.tex").write_text("\\cite{meng2022locating}\n", encoding="utf-8")
    (tmp_path / "more.aux").write_text("\\citation{nanda2023progress}\n", encoding="utf-8")
    result = invoke(
        "--library", str(BUNDLED), "export", "bibtex",
        "--draft", str(drafts["typ"]), "-d", str(tmp_path / "more.md"),
        "--tex", str(tmp_path / "more.tex"), "--aux", str(tmp_path / "more.aux"),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert bib_keys(result.stdout) == [
        "elhage2022toy",
        "meng2022locating",
        "nanda2023progress",
        "olah2020zoom",
        "power2022grokking",
    ]


def test_draft_syntax_overrides_the_extension(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.txt"
    notes.write_text("As [@elhage2022toy] shows.\n", encoding="utf-8")
    refused = invoke("--library", str(BUNDLED), "export", "bibtex", "--draft", str(notes))
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        f"Error: {notes}: not a draft litmap can read (drafts end in .tex, .ltx, .aux, .typ, .md, .markdown, .qmd,"
        " .rmd; or pass --draft-syntax latex|aux|typst|pandoc)"
    )
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--draft", str(notes), "--draft-syntax", "pandoc")
    assert result.exit_code == 0, result.stderr
    assert bib_keys(result.stdout) == ["elhage2022toy"]
    unknown = invoke("--library", str(BUNDLED), "export", "bibtex", "--draft", str(notes), "--draft-syntax", "word")
    assert unknown.exit_code == 1
    assert "unknown draft syntax 'word' (known: latex, aux, typst, pandoc)" in unknown.stderr


def test_every_syntax_is_registered_once_by_extension() -> None:
    extensions = [ext for syntax in draft_syntaxes() for ext in syntax.extensions]
    assert len(extensions) == len(set(extensions))
    assert syntax_for(Path("Paper.TEX")).name == "latex"
    assert syntax_for(Path("analysis.Rmd")).name == "pandoc"
    with pytest.raises(InvalidValue):
        syntax_for(Path("Makefile"))


def test_a_missing_draft_is_one_line(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "export", "hayagriva", "--draft", str(tmp_path / "gone.typ"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no such draft: {tmp_path / 'gone.typ'}"


# -- one paper cited under two keys -------------------------------------------------------------


@pytest.fixture
def aliased(bundled_copy: Path) -> Path:
    from litmap.store import Library

    library = Library(bundled_copy)
    library.save_paper(library.get("olah2020zoom").model_copy(update={"aliases": ["olah2020zoomin"]}))
    return bundled_copy


def test_a_paper_cited_under_two_keys_has_both_defined_in_every_format(invoke, aliased: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.md"
    draft.write_text("[@olah2020zoomin] and later [@olah2020zoom], [@elhage2022toy].\n", encoding="utf-8")
    bib = invoke("export", "bibtex", "--draft", str(draft))
    assert bib.exit_code == 0, bib.stderr
    assert bib_keys(bib.stdout) == ["elhage2022toy", "olah2020zoomin"]
    assert "  ids = {olah2020zoom},\n" in bib.stdout
    assert "'olah2020zoomin' and 'olah2020zoom' are the same paper (olah2020zoom); both keys are defined" in bib.stderr
    csl = invoke("export", "csl-json", "--draft", str(draft))
    assert [item["id"] for item in json.loads(csl.stdout)] == ["elhage2022toy", "olah2020zoom", "olah2020zoomin"]
    hayagriva = invoke("export", "hayagriva", "--draft", str(draft))
    assert yaml_keys(hayagriva.stdout) == ["elhage2022toy", "olah2020zoom", "olah2020zoomin"]


def test_a_paper_cited_under_an_alias_lists_its_own_key_in_ids(invoke, aliased: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.tex"
    draft.write_text("\\cite{olah2020zoomin}\n", encoding="utf-8")
    result = invoke("export", "bibtex", "--draft", str(draft))
    assert result.exit_code == 0, result.stderr
    assert bib_keys(result.stdout) == ["olah2020zoomin"]
    assert "  ids = {olah2020zoom},\n" in result.stdout
    plain = invoke("export", "bibtex", "olah2020zoom")
    assert "ids =" not in plain.stdout
