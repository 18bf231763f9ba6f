"""Reading what a LaTeX draft cites, from its .tex sources and from the .aux LaTeX writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BUNDLED
from litmap.drafts.latex import ALL, scan_aux, scan_tex
from litmap.errors import InvalidValue

DRAFT = r"""\documentclass{article}
\input{glyphtounicode}
\newcommand{\mycite}[1]{\cite{#1}}
\citestyle{plainnat}
\begin{document}
See \cite{a,b} and \citep[p.~3]{c} and \citet*[see][ch.~2]{ d , e }.
% \cite{commented} is not a citation
50\% done \citeauthor{f}. \Textcite{g} \autocite[3]{h} \parencite*{i} \footcite{j}
\cites[see][1]{k}[2]{l}{m} \nocite{*} \citeyear {n}
\citep[{[}a bracket{]}]{o}
\input{chapters/one}
\include{chapters/two}
\end{document}
"""


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "main.tex").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "chapters" / "one.tex").write_text("In chapter one \\citealp{p, a}\n", encoding="utf-8")
    (tmp_path / "chapters" / "two.tex").write_text("\\parencite{q}\n\\input chapters/one\n", encoding="utf-8")
    return tmp_path / "main.tex"


def test_every_citation_command_form_is_read_in_order(draft: Path) -> None:
    scan = scan_tex(draft)
    assert scan.keys == [*"abcdefghijklm", ALL, "n", "o", "p", "q"]


def test_citations_know_their_file_and_line(draft: Path) -> None:
    by_key = {c.key: c for c in scan_tex(draft).citations}
    assert by_key["a"].where == f"{draft}:6"
    assert by_key["k"].line == 9
    assert by_key["p"].path == draft.parent / "chapters" / "one.tex"
    assert by_key["p"].line == 1
    assert by_key["q"].path.name == "two.tex"


def test_inputs_that_are_not_beside_the_draft_are_reported_not_fatal(draft: Path) -> None:
    scan = scan_tex(draft)
    assert len(scan.unread) == 1
    assert scan.unread[0].startswith(f"{draft}:2: \\input{{glyphtounicode}}")


def test_comments_macro_parameters_and_non_citing_commands_are_not_keys(draft: Path) -> None:
    keys = scan_tex(draft).keys
    assert "commented" not in keys
    assert "#1" not in keys
    assert "plainnat" not in keys


def test_an_input_cycle_does_not_loop(tmp_path: Path) -> None:
    (tmp_path / "a.tex").write_text("\\cite{x}\\input{b}", encoding="utf-8")
    (tmp_path / "b.tex").write_text("\\cite{y}\\input{a}", encoding="utf-8")
    assert scan_tex(tmp_path / "a.tex").keys == ["x", "y"]


def test_missing_draft_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="no such draft"):
        scan_tex(tmp_path / "nope.tex")
    with pytest.raises(InvalidValue, match="run LaTeX on the draft first"):
        scan_aux(tmp_path / "nope.aux")


def test_aux_files_of_bibtex_and_biblatex_and_their_includes(tmp_path: Path) -> None:
    (tmp_path / "main.aux").write_text(
        "\\relax\n\\citation{a,b}\n\\citation{a}\n\\abx@aux@cite{0}{c}\n\\abx@aux@cite{d}\n"
        "\\@input{chap.aux}\n\\@input{gone.aux}\n\\bibdata{refs}\n\\citation{*}\n",
        encoding="utf-8",
    )
    (tmp_path / "chap.aux").write_text("\\citation{e}\n", encoding="utf-8")
    scan = scan_aux(tmp_path / "main.aux")
    assert scan.keys == ["a", "b", "c", "d", "e", ALL]
    assert [c.line for c in scan.citations[:3]] == [2, 2, 4]
    assert scan.unread == [f"{tmp_path / 'main.aux'}:7: \\@input{{gone.aux}} (no such file)"]


# -- through the command ------------------------------------------------------------------------


def write_draft(folder: Path, body: str) -> Path:
    path = folder / "draft.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n", encoding="utf-8")
    return path


def exported_keys(bib: str) -> list[str]:
    return re.findall(r"^@\w+\{(.*),$", bib, re.MULTILINE)


def test_tex_exports_exactly_what_the_draft_cites(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = write_draft(tmp_path, "\\citep{elhage2022toy} \\citet[p.~2]{olah2020zoom,power2022grokking}")
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--tex", str(draft))
    assert result.exit_code == 0, result.stderr
    assert exported_keys(result.stdout) == ["elhage2022toy", "olah2020zoom", "power2022grokking"]


def test_nocite_star_exports_the_whole_library(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = write_draft(tmp_path, "\\nocite{*}")
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--tex", str(draft))
    assert result.exit_code == 0, result.stderr
    assert len(exported_keys(result.stdout)) == len(list((BUNDLED / "papers").glob("*.toml")))


def test_a_typo_in_a_draft_names_the_line_and_the_closest_keys(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = write_draft(tmp_path, "\\cite{elhage2022toy}\n\\cite{olah2020zom}")
    out = tmp_path / "refs.bib"
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--tex", str(draft), "-o", str(out))
    assert result.exit_code == 1
    assert f"{draft}:4: no paper with key 'olah2020zom'; did you mean 'olah2020zoom'?" in result.stderr
    assert exported_keys(out.read_text()) == ["elhage2022toy"]


def test_aux_and_tex_can_be_combined_with_keys(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = write_draft(tmp_path, "\\cite{elhage2022toy}")
    aux = tmp_path / "other.aux"
    aux.write_text("\\citation{olah2020zoom}\n", encoding="utf-8")
    result = invoke(
        "--library", str(BUNDLED), "export", "bibtex", "power2022grokking", "--tex", str(draft), "--aux", str(aux)
    )
    assert result.exit_code == 0, result.stderr
    assert exported_keys(result.stdout) == ["elhage2022toy", "olah2020zoom", "power2022grokking"]


def test_a_draft_citing_an_alias_gets_the_entry_under_that_key(invoke, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from litmap.store import Library

    library = Library(bundled_copy)
    library.save_paper(library.get("olah2020zoom").model_copy(update={"aliases": ["olah2020zoomin"]}))
    draft = write_draft(tmp_path, "\\cite{olah2020zoomin}")
    result = invoke("export", "bibtex", "--tex", str(draft))
    assert result.exit_code == 0, result.stderr
    assert exported_keys(result.stdout) == ["olah2020zoomin"]
    assert "Zoom In: An Introduction to Circuits" in result.stdout


def test_unread_inputs_are_noted_on_stderr(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = write_draft(tmp_path, "\\input{glyphtounicode}\\cite{elhage2022toy}")
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--tex", str(draft))
    assert result.exit_code == 0
    assert "Note: not followed:" in result.stderr and "glyphtounicode" in result.stderr
