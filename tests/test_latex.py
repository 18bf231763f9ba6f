"""Exported BibTeX through real LaTeX: pdflatex + bibtex (natbib) and pdflatex + biber (biblatex).

Each draft cites its papers with \\cite and is exported with ``litmap export bibtex --tex``, so the
draft integration is exercised too. A run passes when every tool exits 0, the .blg holds no warning,
the final .log no warning at all, and the .bbl holds exactly the cited entries. Covered: every
paper of the bundled library (however many it holds) and entries full of hostile characters.

Skipped when TeX Live is missing, except under CI (``$CI`` set), where a missing tool fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BUNDLED
from test_export_bibtex import HOSTILE

pytestmark = pytest.mark.latex

TOOLS = ("pdflatex", "bibtex", "biber", "kpsewhich")
PACKAGES = ("natbib.sty", "plainnat.bst", "biblatex.sty", "url.sty")
#: The only warning a clean run may log: -draftmode (no PDF is written, so no fonts are made).
BENIGN = re.compile(r"pdfTeX warning: \\pdfdraftmode enabled")


@pytest.fixture(autouse=True)
def tex_live() -> None:
    """Skip without TeX Live, but fail under CI so that CI cannot skip these silently."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        missing = [
            package
            for package in PACKAGES
            if not subprocess.run(["kpsewhich", package], capture_output=True, text=True).stdout.strip()
        ]
    if missing:
        message = f"TeX Live is incomplete: missing {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message + " ($CI is set: .ci/run installs TeX Live)")
        pytest.skip(message)


@dataclass
class Run:
    """What a LaTeX + bibliography run left behind."""

    log: str
    blg: str
    bbl: str

    def bibliography_keys(self, engine: str) -> list[str]:
        if engine == "biber":
            return re.findall(r"\\entry\{([^}]*)\}", self.bbl)
        return re.findall(r"\\bibitem(?:\[[^\]]*\])?\s*\{([^}]*)\}", self.bbl)

    def warnings(self) -> list[str]:
        lines = [line for line in self.log.splitlines() if re.search(r"(?i)warning:|undefined|rerun", line)]
        return [line for line in lines if not BENIGN.search(line)]


NATBIB = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{url}
\usepackage[numbers]{natbib}
\begin{document}
CITATIONS
\bibliographystyle{plainnat}
\bibliography{refs}
\end{document}
"""

BIBLATEX = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
CITATIONS
\printbibliography
\end{document}
"""


def run(command: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, errors="replace", check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
    return result


def compile_draft(folder: Path, engine: str) -> Run:
    """pdflatex, bibtex or biber, pdflatex twice: the usual cycle (-draftmode: no PDF needed)."""
    latex = ["pdflatex", "-draftmode", "-interaction=nonstopmode", "-halt-on-error", "draft.tex"]
    run(latex, folder)
    run([engine, "draft"], folder)
    run(latex, folder)
    run(latex, folder)
    read = lambda suffix: (folder / f"draft{suffix}").read_text(encoding="utf-8", errors="replace")  # noqa: E731
    return Run(log=read(".log"), blg=read(".blg"), bbl=read(".bbl"))


def write_draft(folder: Path, engine: str, keys: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    template = BIBLATEX if engine == "biber" else NATBIB
    citations = "\n".join(f"Paper \\cite{{{key}}}." for key in keys)
    path = folder / "draft.tex"
    path.write_text(template.replace("CITATIONS", citations), encoding="utf-8")
    return path


def export_and_compile(invoke, library: Path, folder: Path, engine: str, keys: list[str]) -> Run:  # type: ignore[no-untyped-def]
    draft = write_draft(folder, engine, keys)
    args = ["--library", str(library), "export", "bibtex", "--tex", str(draft), "-o", str(folder / "refs.bib")]
    if engine == "bibtex":
        args.append("--ascii")
    else:
        args.append("--abstracts")
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    compiled = compile_draft(folder, engine)
    assert_clean(compiled, engine, keys)
    return compiled


def assert_clean(compiled: Run, engine: str, keys: list[str]) -> None:
    if engine == "biber":
        assert not re.findall(r"^.*(?:WARN|ERROR).*$", compiled.blg, re.MULTILINE)
    else:
        assert "Warning--" not in compiled.blg, compiled.blg
        assert "error message" not in compiled.blg, compiled.blg
    assert compiled.warnings() == []
    assert sorted(compiled.bibliography_keys(engine)) == sorted(keys)


@pytest.mark.parametrize("engine", ["bibtex", "biber"])
def test_every_bundled_paper_compiles_cleanly(invoke, tmp_path: Path, engine: str) -> None:  # type: ignore[no-untyped-def]
    keys = sorted(path.stem for path in (BUNDLED / "papers").glob("*.toml"))
    assert keys
    compiled = export_and_compile(invoke, BUNDLED, tmp_path / engine, engine, keys)
    if engine == "bibtex":
        # plainnat lower-cases titles: the protected words kept their capitals.
        text = " ".join(compiled.bbl.split())
        assert "How does {GPT}-2 compute greater-than?: Interpreting mathematical" in text
        assert "A circuit for {Python} docstrings" in text
        assert "What does {BERT} look at? an analysis of {BERT}'s attention" in text


@pytest.mark.parametrize("engine", ["bibtex", "biber"])
def test_hostile_characters_compile_cleanly(
    invoke, make_paper_file, empty_library: Path, tmp_path: Path, engine: str
) -> None:  # type: ignore[no-untyped-def]
    for fields in HOSTILE:
        make_paper_file(empty_library, **fields)
    keys = sorted(str(fields["key"]) for fields in HOSTILE)
    compiled = export_and_compile(invoke, empty_library, tmp_path / engine, engine, keys)
    if engine == "bibtex":
        assert r"G{\"o}del" in compiled.bbl
    else:
        assert "family={Gödel}" in compiled.bbl


def test_math_in_a_title_keeps_its_case_through_plainnat(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "in.bib"
    bib.write_text(
        "@article{wild, title = {Wild ramification and {$K(\\pi, 1)$} spaces}, author = {Doe, Jane},"
        " journal = {J}, year = 2020}\n"
        "@article{decay, title = {The Decay {\\$}B{\\^{}}{\\{}0{\\}}{\\$} Seen}, author = {Roe, Ann},"
        " journal = {J}, year = 2003}\n"
        # Mendeley braces every title whole, math included.
        "@article{whole, title = {{Prompt D-Meson Production at $\\sqrt{s}$ = 5 TeV}}, author = {Poe, Al},"
        " journal = {J}, year = 2014}\n",
        encoding="utf-8",
    )
    assert invoke("--library", str(empty_library), "import", str(bib), "--keep-keys").exit_code == 0
    keys = ["decay", "whole", "wild"]
    compiled = export_and_compile(invoke, empty_library, tmp_path / "bibtex", "bibtex", keys)
    text = " ".join(compiled.bbl.split())
    assert r"Wild ramification and {$K(\pi, 1)$} spaces" in text  # not $k(\pi, 1)$
    assert r"The decay {{\$}B{\^{}}{\{}0{\}}{\$}} seen" in text  # Mendeley's escaped math, as it came
    assert r"{Prompt D-Meson Production at} {$\sqrt{s}$} {= 5 TeV}" in text  # the whole title keeps its case


def test_a_draft_with_a_typo_gets_five_entries_then_compiles_with_both(tmp_path: Path) -> None:
    """The issue's "done when": five bundled papers and a typo'd key, through the installed command."""
    import sys

    exe = str(Path(sys.executable).with_name("litmap"))
    keys = ["elhage2022toy", "olah2020zoom", "olsson2022incontext", "meng2022locating", "power2022grokking"]
    for engine in ("bibtex", "biber"):
        folder = tmp_path / engine
        draft = write_draft(folder, engine, [*keys, "nanda2023progres"])
        command = [exe, "--library", str(BUNDLED), "export", "bibtex", "--tex", "draft.tex", "-o", "refs.bib"]
        first = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        assert first.returncode == 1
        assert "no paper with key 'nanda2023progres'; did you mean 'nanda2023progress'?" in first.stderr
        assert len(re.findall(r"^@", (folder / "refs.bib").read_text(), re.MULTILINE)) == 5
        draft.write_text(draft.read_text().replace("nanda2023progres}", "nanda2023progress}"), encoding="utf-8")
        second = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        assert second.returncode == 0, second.stderr
        assert_clean(compile_draft(folder, engine), engine, [*keys, "nanda2023progress"])


def test_biber_resolves_both_keys_of_a_paper_cited_twice(invoke, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from litmap.store import Library

    library = Library(bundled_copy)
    library.save_paper(library.get("olah2020zoom").model_copy(update={"aliases": ["olah2020zoomin"]}))
    folder = tmp_path / "biber"
    draft = write_draft(folder, "biber", ["olah2020zoomin", "olah2020zoom", "elhage2022toy"])
    result = invoke("export", "bibtex", "--draft", str(draft), "-o", str(folder / "refs.bib"))
    assert result.exit_code == 0, result.stderr
    compiled = compile_draft(folder, "biber")
    assert not re.findall(r"^.*(?:WARN|ERROR).*$", compiled.blg, re.MULTILINE)
    assert compiled.warnings() == []
    assert sorted(compiled.bibliography_keys("biber")) == ["elhage2022toy", "olah2020zoomin"]


def test_biber_validates_the_bundled_export_against_its_data_model(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Every field is one biblatex's data model allows for its entry type: Distill is a journal with a
    # volume, issue, article number and DOI, no publisher sits on an @article, no issue on @inproceedings.
    bib = tmp_path / "refs.bib"
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--abstracts", "-o", str(bib))
    assert result.exit_code == 0, result.stderr
    run = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", str(tmp_path / "out.bib"), str(bib)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert not re.findall(r"^.*(?:WARN|ERROR).*$", run.stdout + run.stderr, re.MULTILINE)
    assert re.search(r"@article\{olah2020zoom,", (tmp_path / "out.bib").read_text(encoding="utf-8"), re.IGNORECASE)


def test_a_utf8_export_with_characters_pdflatex_lacks_compiles(  # type: ignore[no-untyped-def]
    invoke, make_paper_file, empty_library: Path, tmp_path: Path
) -> None:
    journal = {"venue": "Monatshefte für Mathematik", "year": 1931}
    # A combining breve (what {\u{s}} reads as), a caron pdflatex has no UTF-8 for after a dotless i,
    # Greek and arrows: pdflatex stops at each of them unless they go out as LaTeX.
    make_paper_file(
        empty_library, "fiser2020", title="Breves: \u0131\u030c and α → β", authors=["Fis\u0306er, Jakub"], **journal
    )
    make_paper_file(
        empty_library, "godel1931", title="Über formal unentscheidbare Sätze", authors=["Gödel, Kurt"], **journal
    )
    folder = tmp_path / "utf8"
    folder.mkdir()
    result = invoke("export", "bibtex", "-o", str(folder / "refs.bib"))
    assert result.exit_code == 0 and "Warning" not in result.stderr, result.stderr
    bib = (folder / "refs.bib").read_text(encoding="utf-8")
    assert "Fi{\\u{s}}er" in bib and "Gödel" in bib  # what pdflatex typesets stays UTF-8
    (folder / "draft.tex").write_text(NATBIB.replace("CITATIONS", "\\nocite{*}"), encoding="utf-8")
    compiled = compile_draft(folder, "bibtex")
    assert_clean(compiled, "bibtex", ["fiser2020", "godel1931"])


def test_every_character_litmap_leaves_to_pdflatex_compiles(tmp_path: Path) -> None:
    from litmap.formats.pdflatex import ACCENTS, ENCODED, TYPESET, pdflatex_form

    def chars(spec: str) -> list[str]:
        out = []
        for part in spec.split():
            first, _, last = part.partition("-")
            out.extend(chr(c) for c in range(int(first, 16), int(last or first, 16) + 1))
        return out

    lines = [*chars(TYPESET), *(pdflatex_form(c) for c in chars(ENCODED))]
    lines += [pdflatex_form(letter + mark) for letter in "aIs" for mark in ACCENTS]
    assert all(lines)
    body = "\n".join(f"{line}\\par" for line in lines)
    (tmp_path / "chars.tex").write_text(
        f"\\documentclass{{article}}\n\\usepackage[T1]{{fontenc}}\n\\begin{{document}}\n{body}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    run(["pdflatex", "-draftmode", "-interaction=nonstopmode", "-halt-on-error", "chars.tex"], tmp_path)
