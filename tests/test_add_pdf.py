"""`litmap add paper.pdf`: the identifier read from the PDF, the record fetched and confirmed, the PDF attached."""

from __future__ import annotations

import json
from pathlib import Path

from pytest_httpserver import HTTPServer

from litmap.store import Library
from pdfmaker import make_pdf
from sources_support import fixture_bytes, serve_arxiv, serve_crossref

TOY = "Toy Models of Superposition"
NATURE = "Invariant visual representation by single neurons in the human brain"
BODY = ["Some authors", "Abstract. A paragraph of text about the work."]


def _toy_pdf(folder: Path, name: str = "2209.10652v1.pdf") -> Path:
    return make_pdf(folder / name, [[TOY, *BODY]], stamp="arXiv:2209.10652v1  [cs.LG]  21 Sep 2022")


def test_an_arxiv_stamp_adds_the_paper_and_attaches_the_pdf(
    invoke, net: HTTPServer, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    pdf = _toy_pdf(tmp_path)
    result = invoke("add", str(pdf))
    assert result.exit_code == 0, result.stderr
    assert "elhage2022toy" in result.stdout
    paper = Library(empty_library).get("elhage2022toy")
    assert paper.arxiv == "2209.10652" and paper.files == ["files/elhage2022toy.pdf"]
    assert (empty_library / "files" / "elhage2022toy.pdf").read_bytes() == pdf.read_bytes()
    assert invoke("check").exit_code == 0


def test_a_doi_on_the_first_page_is_fetched_from_crossref(
    invoke, net: HTTPServer, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    serve_crossref(net, "10.1038/nature03687", fixture_bytes("crossref/10.1038_nature03687.json"))
    pdf = make_pdf(tmp_path / "quiroga.pdf", [[NATURE, "Nature 435, 1102-1107 (2005) doi:10.1038/nature03687"]])
    result = invoke("add", str(pdf), "--json")
    assert result.exit_code == 0, result.stderr
    (added,) = json.loads(result.stdout)["added"]
    paper = Library(empty_library).get(added["key"])
    assert paper.doi == "10.1038/nature03687" and paper.files == [f"files/{paper.key}.pdf"]


def test_a_doi_whose_title_is_not_on_the_first_page_adds_nothing(
    invoke, net: HTTPServer, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    serve_crossref(net, "10.1038/nature03687", fixture_bytes("crossref/10.1038_nature03687.json"))
    pdf = make_pdf(tmp_path / "other.pdf", [["A Different Paper Altogether", "cites doi:10.1038/nature03687"]])
    result = invoke("add", str(pdf))
    assert result.exit_code == 1
    assert (
        f"found DOI 10.1038/nature03687 but its title ({NATURE!r}) does not match the first page"
        in result.stderr + result.stdout
    )
    assert Library(empty_library).papers() == []
    assert not (empty_library / "files").exists()


def test_a_pdf_with_no_identifier_is_one_clear_line(
    invoke, net: HTTPServer, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pdf = make_pdf(tmp_path / "scan.pdf", [["Notes from a talk", *BODY]])
    result = invoke("add", str(pdf))
    assert result.exit_code == 1
    assert "scan.pdf" in result.stderr + result.stdout
    assert "no arXiv id or DOI found in it" in result.stderr + result.stdout
    assert net.log == []


def test_by_hand_with_the_pdf_attached(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = make_pdf(tmp_path / "scan.pdf", [["Notes from a talk", *BODY]])
    result = invoke("add", str(pdf), "--title", "Notes from a talk", "--author", "Doe, Jane", "--year", "2024")
    assert result.exit_code == 0, result.stderr
    (paper,) = Library(empty_library).papers()
    assert paper.files == [f"files/{paper.key}.pdf"]


def test_a_folder_of_pdfs_and_a_paper_already_held(invoke, net: HTTPServer, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "downloads"
    folder.mkdir()
    _toy_pdf(folder)
    make_pdf(folder / "scan.pdf", [["Notes from a talk", *BODY]])
    result = invoke("add", str(folder))
    assert result.exit_code == 1  # one of the two failed
    out = result.stdout + result.stderr
    assert "elhage2022toy" in out and "no arXiv id or DOI found in it" in out
    assert net.log == []  # the library holds 2209.10652: nothing fetched
    assert Library(bundled_copy).get("elhage2022toy").files == ["files/elhage2022toy.pdf"]
    again = invoke("add", str(folder / "2209.10652v1.pdf"))
    assert again.exit_code == 0
    assert Library(bundled_copy).get("elhage2022toy").files == ["files/elhage2022toy.pdf"]  # not twice


def test_not_a_pdf_is_named(invoke, net: HTTPServer, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    result = invoke("add", str(fake))
    assert result.exit_code == 1
    assert "fake.pdf" in result.stderr + result.stdout and "not a readable PDF" in result.stderr + result.stdout
