"""Reading identifiers and titles out of real PDFs (made here by tests/pdfmaker.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from litmap.errors import LitmapError
from litmap.sources.pdf import identifiers, read_pdf, title_on_page
from pdfmaker import make_pdf

TITLE = "Toy Models of Superposition"
BODY = [
    "Nelson Elhage, Tristan Hume, Catherine Olsson",
    "Abstract. Neural networks often pack many",
    "unrelated concepts into a single neuron.",
]


def test_the_arxiv_stamp_in_the_margin_is_found(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", [[TITLE, *BODY]], stamp="arXiv:2209.10652v3  [cs.LG]  21 Sep 2022")
    assert identifiers(read_pdf(pdf)) == [("arxiv", "2209.10652")]


def test_an_old_style_arxiv_stamp(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", [["A paper", *BODY]], stamp="arXiv:hep-th/9901001v2 5 Jan 1999")
    assert identifiers(read_pdf(pdf)) == [("arxiv", "hep-th/9901001")]


def test_a_doi_on_the_first_page_without_its_trailing_full_stop(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", [["Deep learning", "Nature 521, 436-444 (2015). doi:10.1038/nature14539."]])
    assert identifiers(read_pdf(pdf)) == [("doi", "10.1038/nature14539")]


def test_metadata_comes_before_the_text_and_arxiv_dois_become_arxiv_ids(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "a.pdf",
        [["Some title", "cites https://doi.org/10.1000/other"]],
        metadata={"Subject": "doi:10.48550/arXiv.2209.10652", "Title": "Some title"},
    )
    assert identifiers(read_pdf(pdf)) == [("arxiv", "2209.10652"), ("doi", "10.1000/other")]


def test_a_pdf_with_neither(tmp_path: Path) -> None:
    assert identifiers(read_pdf(make_pdf(tmp_path / "a.pdf", [["Just a title", *BODY]]))) == []


def test_not_a_pdf_is_one_line_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_text("this is not a PDF")
    with pytest.raises(LitmapError, match=r"notes\.pdf: not a readable PDF"):
        read_pdf(bad)


@pytest.mark.parametrize(
    ("title", "page", "expected"),
    [
        (TITLE, f"{TITLE}\n{BODY[0]}", True),
        ("Toy models of superposition", "TOY MODELS OF\nSUPER-\nPOSITION", True),
        ("Zoom In: An Introduction to Circuits", "Zoom In An Introduction to Circuits", True),
        (TITLE, "Deep learning\nYann LeCun, Yoshua Bengio, Geoffrey Hinton", False),
        ("Attention is all you need", "Attention is not explanation", False),
    ],
)
def test_title_on_page(title: str, page: str, expected: bool) -> None:
    assert title_on_page(title, page) is expected
