"""Reading what a LaTeX draft cites, from its .tex sources and from the .aux LaTeX writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BUNDLED
from litmap.drafts.aux import scan_aux
from litmap.drafts.latex import scan_tex
from litmap.drafts.scan import ALL
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


# -- every natbib and biblatex citation command (issue 11, item 5) ------------------------------

NATBIB_AND_BIBLATEX = r"""
\Citet{k1} \Citep[p.~2]{k2} \Cite{k3} \Citet*{k4} \Citeauthor*{k5} \Citealt{k6} \Citealp*[see][]{k7}
\citealt{k8} \citeyearpar{k9} \citenum{k10} \citetalias{k11} \Citepalias{k12} \citefullauthor{k13}
\cites(see)(and more)[a][b]{k14}[c]{k15}{k16} \Cites{k17}{k18}
\autocites[1]{k19}[2]{k20} \Autocites{k21} \textcites{k22}{k23} \Textcites{k24}
\parencites[see][]{k25}{k26} \Parencites{k27} \footcites{k28}{k29} \smartcites{k30} \supercites{k31}
\footcite[3]{k32} \Footcite{k33} \smartcite{k34} \Smartcite{k35} \supercite{k36} \fullcite{k37}
\footfullcite{k38} \footcitetext{k39} \Parencite*{k40} \citetitle*{k41} \Citetitle{k42} \citedate{k43}
\citeurl{k44} \citeyear*{k45} \volcite[see]{2}[45]{k46} \Pvolcite{3}{k47} \notecite[pre][post]{k48}
\citename{k49}{author} \citefield{k50}[emph]{title} \citelist{k51}{publisher} \nocite{k52}
\Autocite*{k53} \Textcite[p.~3]{k54} \citeA{k55}
"""


def test_capitalised_starred_and_multi_cite_commands_are_all_read(tmp_path: Path) -> None:
    draft = tmp_path / "draft.tex"
    draft.write_text(NATBIB_AND_BIBLATEX, encoding="utf-8")
    scan = scan_tex(draft)
    assert scan.keys == [f"k{n}" for n in range(1, 56)]
    assert scan.warnings == []


def test_an_unknown_cite_command_is_a_warning_with_file_and_line(tmp_path: Path) -> None:
    draft = tmp_path / "draft.tex"
    draft.write_text(
        "\\citestyle{plainnat}\\DeclareCiteCommand{\\foo}{}{}{}{}\n"
        "Known \\cite{a}.\nOdd \\mycitefoo[p.~2]{b} and \\mycitefoo{c}.\n"
        "\\citeindextrue \\AtEveryCitekey{\\clearfield{note}}\n",
        encoding="utf-8",
    )
    scan = scan_tex(draft)
    assert scan.keys == ["a"]
    assert scan.warnings == [
        f"{draft}:3: \\mycitefoo is not a citation command litmap knows (used 2 times); its keys are not exported"
    ]


def test_a_citation_macro_the_draft_defines_is_followed(tmp_path: Path) -> None:
    draft = tmp_path / "draft.tex"
    draft.write_text(
        "\\newcommand{\\mycite}[1]{\\citep{#1}}\n\\newcommand\\pcite[2][]{\\parencite[#1]{#2}}\n"
        "\\def\\ocite#1{\\cite{#1}}\n\\newcommand{\\citeme}{\\textbf{me}}\n"
        "\\mycite{a,b} \\pcite[p.~3]{c} \\pcite{d} \\ocite{e} \\citeme{}\n",
        encoding="utf-8",
    )
    scan = scan_tex(draft)
    assert scan.keys == ["a", "b", "c", "d", "e"]
    assert scan.warnings == []


def test_capitalised_citations_are_exported_and_unknown_commands_warned(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = write_draft(tmp_path, "\\Citet{elhage2022toy} \\Citeauthor*{olah2020zoom}\n\\citeinline{power2022grokking}")
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--tex", str(draft))
    assert result.exit_code == 0, result.stderr
    assert exported_keys(result.stdout) == ["elhage2022toy", "olah2020zoom"]
    warning = f"Warning: {draft}:4: \\citeinline is not a citation command litmap knows (used once)"
    assert warning + "; its keys are not exported" in result.stderr


def test_verbatim_text_holds_examples_not_citations(tmp_path: Path) -> None:
    draft = tmp_path / "draft.tex"
    draft.write_text(
        "Use \\verb|\\cite{example}| or \\lstinline!\\mycite{x}!.\n\\begin{verbatim}\n\\cite{verbatim1} % not\n"
        "\\end{verbatim}\n\\begin{lstlisting}\n\\citep{listing}\n\\end{lstlisting}\nReal \\cite{real}.\n",
        encoding="utf-8",
    )
    scan = scan_tex(draft)
    assert scan.keys == ["real"]
    assert scan.citations[0].line == 8
    assert scan.warnings == []
