"""BibTeX fidelity (issue 12): what an import brings, an export gives back.

Two kinds of evidence: the real-world corpus in ``../shared/realbib/`` (imported and exported by the
installed ``litmap``, both files read back by bibtexparser with LaTeX decoding: see
``benchmarks/bench_fidelity.py`` for what is compared and which normalisations count as kept), and
one entry for each way a value used to be lost. Corpus tests skip without ``../shared`` and fail
under CI, which has it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from conftest import REPO
from litmap.formats.bibtex import papers_to_bibtex
from litmap.formats.bibtex_read import parse_bibtex
from litmap.formats.csl import papers_to_csl
from litmap.formats.hayagriva import papers_to_hayagriva
from litmap.formats.latex_text import readable
from litmap.models import Paper
from test_export_bibtex import fields_of

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_fidelity

CORPUS_FILES = sorted(bench_fidelity.CORPUS.glob("*.bib"))


def _corpus_or_skip() -> None:
    if not CORPUS_FILES:
        message = f"the real .bib corpus is missing ({bench_fidelity.CORPUS})"
        if os.environ.get("CI"):
            pytest.fail(message + " ($CI is set: CI has ../shared)")
        pytest.skip(message)


@pytest.mark.parametrize("name", [p.name for p in CORPUS_FILES] or ["(no corpus)"])
def test_a_real_file_keeps_its_values_through_import_and_export(name: str) -> None:
    _corpus_or_skip()
    report = bench_fidelity.measure(bench_fidelity.CORPUS / name)
    assert report.entries > 0
    assert report.imported == report.entries, f"{report.entries - report.imported} entries not exported"
    lost = "\n".join(f"{key}.{field}: {want[:80]!r} -> {have[:80]!r}" for key, field, want, have in report.lost[:10])
    assert report.share >= 0.995, f"{report.share:.2%} of {report.values} values kept; lost:\n{lost}"


def papers(bib: str) -> list[Paper]:
    items, _containers = parse_bibtex(bib)
    failed = [item.error for item in items if item.paper is None]
    assert not failed, failed
    return [item.paper for item in items if item.paper is not None]


def exported(bib: str, key: str = "k") -> tuple[str, dict[str, str]]:
    """The entry type and fields that an import -> export of ``bib`` writes for the paper ``key``."""
    found = [p.model_copy(update={"key": key}) for p in papers(bib)]
    text = papers_to_bibtex(found)
    assert text.startswith("@")
    return text.split("{", 1)[0][1:], fields_of(text)


def test_math_passes_through_verbatim_in_every_field() -> None:
    _kind, fields = exported(
        r"@article{k, title = {Wild ramification and {$K(\pi, 1)$} spaces}, journal = {On \(\Sigma\)},"
        r" author = {A, B}, abstract = {For $A^*$ and $x\Phi(x)$.}}"
    )
    assert fields["title"] == r"{Wild ramification and {$K(\pi, 1)$} spaces}"  # braced: a style keeps its case
    assert fields["journal"] == r"{On \(\Sigma\)}"


def test_escaped_dollars_stay_dollars_and_never_become_math() -> None:
    # Mendeley writes math as escaped text; prices pair up the same way. Neither is math to LaTeX.
    found = papers(
        r"""@misc{a, title = {Decay {\$}B{\^{}}{\{}0{\}} \backslashto \backslashpi{\^{}}{\{}0{\}}{\$}}}
        @misc{b, title = {From \$5--\$10 a day}}
        @misc{c, title = {A \$5 fee and $x^2$}}"""
    )
    text = papers_to_bibtex(found)
    # Escaped math goes back out as it came (braced in a title, as math is): what LaTeX made of the original.
    assert r"title = {Decay {{\$}B{\^{}}{\{}0{\}} \backslashto \backslashpi{\^{}}{\{}0{\}}{\$}}}," in text
    assert r"title = {From {\$5--\$}10 a day}," in text
    assert r"title = {A \$5 fee and {$x^2$}}," in text
    assert [readable(p.title) for p in found] == [
        r"Decay $B^{0} \backslashto \backslashpi{\^{}}{0}$",
        "From $5–$10 a day",
        "A $5 fee and x^2",
    ]
    csl = json.loads(papers_to_csl([p.model_copy(update={"key": "b"}) for p in found[1:2]]))
    assert re.sub(r"<[^>]+>", "", csl[0]["title"]) == "From $5–$10 a day"  # escaped math is nocase
    typst = papers_to_hayagriva([p.model_copy(update={"key": "b"}) for p in found[1:2]])
    assert 'title: "From \\\\$5–\\\\$10 a day"' in typst  # Typst's escaped dollars, no backslash


def test_known_macros_become_text_and_unknown_ones_are_kept() -> None:
    found = papers(
        r"""@preamble{"\newcommand{\MaxMinAntSystem}{MMAS}"}
        @book{a, title = {The {\TeX book}}, author = {Knuth, Donald}, publisher = {{AAAI} Press\slash {MIT} Press}}
        @misc{b, title = {{\MaxMinAntSystem}}, howpublished = {\href{https://x.org/a~b}{the site}}}"""
    )
    assert found[0].title == "The TeXbook"
    assert found[0].venue == "AAAI Press/MIT Press"
    assert found[1].title == r"{\MaxMinAntSystem}"  # kept, and the entry is not refused as untitled
    text = papers_to_bibtex(found)
    assert r"title = {{\MaxMinAntSystem}}," in text
    assert r"howpublished = {\href{https://x.org/a~b}{the site}}," in text


def test_the_entrys_note_is_a_field_of_its_own_and_goes_back_out() -> None:
    (paper,) = papers("@misc{k, title = {T}, note = {(in Russian)}}")
    assert paper.note is None  # the curator's note stays the curator's
    assert paper.extra["bibtex-note"] == "(in Russian)"
    assert fields_of(papers_to_bibtex([paper]))["note"] == "{(in Russian)}"
    mine = paper.model_copy(update={"note": "read this first"})
    assert "read this first" not in papers_to_bibtex([mine])


def test_no_field_is_clobbered_by_another() -> None:
    kind, fields = exported("@phdthesis{k, title = {T}, author = {A, B}, booktitle = {Proc X}, school = {MIT}}")
    assert (kind, fields["school"], fields["booktitle"]) == ("phdthesis", "{MIT}", "{Proc X}")
    kind, fields = exported(
        r"@misc{k, title = {T}, journal = {GitHub repository}, howpublished = {\url{https://github.com/a/b}}}"
    )
    assert (fields["journal"], fields["howpublished"]) == ("{GitHub repository}", r"{\url{https://github.com/a/b}}")
    kind, fields = exported("@book{k, title = {T}, editor = {Ed, A}, publisher = {Springer}}")
    assert (kind, fields["publisher"], fields["editor"]) == ("book", "{Springer}", "{Ed, A}")
    kind, fields = exported("@misc{k, title = {T}, type = {Software}, key = {zhang1 kun1}, related = {a,b}}")
    assert (fields["type"], fields["key"], fields["related"]) == ("{Software}", "{zhang1 kun1}", "{a,b}")
    _kind, fields = exported('@article{k, title = {T}, author = {M{\\"u}ller, J{\\"o}rg and others}}')
    assert fields["author"] == "{Müller, Jörg and others}"


def test_verbatim_fields_and_dates_are_kept_exactly() -> None:
    kind, fields = exported(
        r"""@online{k, title = {T}, file = {/Users/me/Zotero/storage/AB C/x y.pdf;/Users/me/z.html},
        eprint = {A.V. Club}, eprinttype = {jstor}, date = {-3000~}, urldate = {2024-01-02T10:00:00Z},
        year = {1963/1966}, url = {https://example.org/a~b}, verba = {\x{}}}"""
    )
    assert kind == "online"
    assert fields["file"] == "{/Users/me/Zotero/storage/AB C/x y.pdf;/Users/me/z.html}"
    assert fields["eprint"] == "{A.V. Club}"
    assert fields["date"] == "{-3000~}"
    assert fields["year"] == "{1963/1966}"
    assert fields["url"] == "{https://example.org/a~b}"
    assert fields["verba"] == r"{\x{}}"


def test_braced_words_an_entry_brings_are_kept_with_it() -> None:
    bib = "@article{k, title = {A circuit for {Python} docstrings in {A}rabic with {BERT}}, author = {A, B}}"
    (paper,) = papers(bib)
    assert paper.title == "A circuit for Python docstrings in Arabic with BERT"
    assert paper.protected == ["{Python}", "{A}rabic"]  # BERT is braced anyway
    _kind, fields = exported(bib)
    assert fields["title"] == "{A circuit for {Python} docstrings in {A}rabic with {BERT}}"


def test_a_word_in_a_formatting_macro_keeps_its_capitals() -> None:
    # BibTeX leaves the braced argument of \textsc (a group at depth 1) as it is when a style lower-cases.
    bib = r"@article{k, title = {Encoding Flow in \textsc{Aura} and \emph{Coq}}, author = {A, B}}"
    (paper,) = papers(bib)
    assert paper.title == "Encoding Flow in Aura and Coq"
    assert paper.protected == ["{Aura}", "{Coq}"]
    assert exported(bib)[1]["title"] == "{Encoding Flow in {Aura} and {Coq}}"
    csl = json.loads(papers_to_csl([paper.model_copy(update={"key": "k"})]))
    assert csl[0]["title"] == 'Encoding flow in <span class="nocase">Aura</span> and <span class="nocase">Coq</span>'


def test_a_title_braced_whole_keeps_its_case_around_math() -> None:
    bib = r"@article{k, title = {{Observation of the Decay $B$ in Pb}}, author = {A, B}}"
    (paper,) = papers(bib)
    assert paper.protected == ["{Observation of the Decay}", "{in Pb}"]
    assert exported(bib)[1]["title"] == "{{Observation of the Decay} {$B$} {in Pb}}"
    csl = json.loads(papers_to_csl([paper.model_copy(update={"key": "k"})]))
    assert re.sub(r"<[^>]+>", "", csl[0]["title"]) == "Observation of the Decay B in Pb"  # not "...decay B in pb"


def test_the_bundled_library_round_trips_byte_for_byte(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from conftest import BUNDLED
    from litmap.store import Library

    first = invoke("--library", str(BUNDLED), "export", "bibtex", "--abstracts", "-o", str(tmp_path / "a.bib"))
    assert first.exit_code == 0, first.stderr
    target = tmp_path / "fresh"
    assert invoke("init", str(target)).exit_code == 0  # a fresh library: none of the bundled settings
    imported = invoke("--library", str(target), "import", str(tmp_path / "a.bib"), "--keep-keys")
    assert imported.exit_code == 0, imported.stderr
    again = invoke("--library", str(target), "export", "bibtex", "--abstracts")
    assert again.stdout == (tmp_path / "a.bib").read_text(encoding="utf-8")
    csl = [invoke("--library", str(root), "export", "csl-json").stdout for root in (BUNDLED, target)]
    assert csl[0] == csl[1]
    assert len(Library(target).papers()) == len(Library(BUNDLED, read_only=True).papers())


def test_markdown_and_csl_show_latex_as_text() -> None:
    from litmap.formats.markdown import paper_line

    paper = Paper(
        key="k",
        title=r"Wild ramification and $K(\pi, 1)$ spaces",
        abstract=r"The GELU is $x\Phi(x)$, as \cite{a} shows; code at \url{https://x.org/a}.",
    )
    assert "K(π, 1)" in paper_line(paper) and "$" not in paper_line(paper)
    (item,) = __import__("json").loads(papers_to_csl([paper]))
    assert item["title"] == 'Wild ramification and <span class="nocase">K(π, 1)</span> spaces'
    assert item["abstract"] == "The GELU is xΦ(x), as shows; code at https://x.org/a."
