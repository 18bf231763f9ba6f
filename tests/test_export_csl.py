"""`litmap export csl-json`: CSL-JSON items that pandoc (citeproc) and Zotero read."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BUNDLED
from litmap.formats.csl import paper_to_csl, papers_to_csl
from litmap.models import Paper
from litmap.store import Library
from test_export_bibtex import hostile_papers

#: The item types of the CSL 1.0.2 specification.
CSL_TYPES = set(
    "article article-journal article-magazine article-newspaper bill book broadcast chapter classic collection "
    "dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing interview "
    "legal_case legislation manuscript map motion_picture musical_score pamphlet paper-conference patent "
    "performance periodical personal_communication post post-weblog regulation report review review-book "
    "software song speech standard thesis treaty webpage".split()
)
#: CSL variables this exporter may write, with the JSON type each must have.
VARIABLES = {
    "id": str,
    "type": str,
    "title": str,
    "author": list,
    "issued": dict,
    "original-date": dict,
    "container-title": str,
    "publisher": str,
    "publisher-place": str,
    "volume": str,
    "issue": str,
    "number": str,
    "page": str,
    "edition": (int, str),
    "genre": str,
    "DOI": str,
    "URL": str,
    "abstract": str,
}


def check_item(item: dict[str, object]) -> None:
    """The shape CSL-JSON requires: known variables, valid type, names and date-parts."""
    assert set(item) <= set(VARIABLES), set(item) - set(VARIABLES)
    for name, value in item.items():
        assert isinstance(value, VARIABLES[name]), (name, value)
    assert item["type"] in CSL_TYPES
    for name in item.get("author", []):  # type: ignore[attr-defined]
        assert set(name) in ({"family", "given"}, {"literal"}), name
    if "issued" in item:
        (parts,) = item["issued"]["date-parts"]  # type: ignore[index]
        assert all(isinstance(p, int) for p in parts) and 1 <= len(parts) <= 2
    if "original-date" in item:
        (parts,) = item["original-date"]["date-parts"]  # type: ignore[index]
        assert all(isinstance(p, int) for p in parts) and 1 <= len(parts) <= 3


def test_every_bundled_paper_is_a_valid_item(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "export", "csl-json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    library = Library(BUNDLED, read_only=True)
    assert [i["id"] for i in items] == library.keys()
    for item in items:
        check_item(item)
    by_id = {i["id"]: i for i in items}
    meng = by_id["meng2022locating"]
    assert meng["type"] == "paper-conference"
    assert meng["container-title"].startswith("Advances in Neural Information Processing Systems")
    assert meng["page"] == "17359-17372"
    assert meng["issued"] == {"date-parts": [[2022]]}  # NeurIPS 2022; the arXiv version came first:
    assert meng["original-date"] == {"date-parts": [[2022, 2, 10]]}
    assert meng["author"][0] == {"family": "Meng", "given": "Kevin"}
    preprint = by_id["belrose2023eliciting"]
    assert (preprint["type"], preprint["publisher"], preprint["number"]) == ("article", "arXiv", "arXiv:2303.08112")
    assert by_id["olah2017feature"]["DOI"] == "10.23915/distill.00007"
    assert by_id["olah2017feature"]["issue"] == "11"
    assert by_id["purves2001neuroscience"]["publisher"] == "Sinauer Associates"
    assert by_id["erhan2009visualizing"]["type"] == "report"
    assert by_id["nanda2023attribution"]["type"] == "post-weblog"
    assert all(i["abstract"] for i in items)


def test_same_library_same_bytes_and_file_output(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "refs.json"
    first = invoke("--library", str(BUNDLED), "export", "csl-json", "-o", str(out))
    second = invoke("--library", str(BUNDLED), "export", "csl-json")
    assert first.exit_code == second.exit_code == 0
    assert out.read_text(encoding="utf-8") == second.stdout
    assert "Wrote" in first.stderr and "items" in first.stderr


def test_unicode_stays_unicode_and_organisations_are_literal() -> None:
    items = json.loads(papers_to_csl(hostile_papers()))
    for item in items:
        check_item(item)
    costs = next(i for i in items if i["id"] == "hostile2020costs")
    assert costs["title"].startswith("Costs & benefits: 100% of $5")
    assert {"literal": "Brontë & Sons Ltd."} in costs["author"]
    assert {"family": "Gödel", "given": "Kurt"} in costs["author"]
    assert costs["publisher-place"] == "Kraków"
    thesis = next(i for i in items if i["id"] == "hostile2017thesis")
    assert (thesis["type"], thesis["genre"], thesis["publisher"]) == ("thesis", "PhD thesis", "Universität Zürich")


def test_keys_and_missing_keys_work_as_for_bibtex(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "export", "csl-json", "elhage2022toy", "olah2020zom")
    assert result.exit_code == 1
    assert [i["id"] for i in json.loads(result.stdout)] == ["elhage2022toy"]
    assert "did you mean 'olah2020zoom'" in result.stderr


def test_a_paper_without_a_url_links_its_arxiv_page() -> None:
    item = paper_to_csl(Paper(key="k", title="T", type="misc", arxiv="2209.10652", venue="arXiv preprint"))
    assert item["URL"] == "https://arxiv.org/abs/2209.10652"
    assert item["type"] == "article"


def test_titles_are_sentence_case_with_protected_words_in_nocase_spans(invoke) -> None:  # type: ignore[no-untyped-def]
    # APA prints a title as the data has it: CSL-JSON carries sentence case, and the words that keep
    # their case (acronyms, the library's protected_terms) in nocase spans, which no style changes.
    result = invoke("--library", str(BUNDLED), "export", "csl-json")
    assert result.exit_code == 0, result.stderr
    by_id = {i["id"]: i for i in json.loads(result.stdout)}
    nocase = '<span class="nocase">{}</span>'.format
    bert = nocase("BERT")
    assert by_id["clark2019bert"]["title"] == f"What does {bert} look at? An analysis of {bert}'s attention"
    python = nocase("Python")
    assert (
        by_id["heimersheim2023circuit"]["title"]
        == f"A circuit for {python} docstrings in a 4-layer attention-only transformer"
    )
    # A subtitle after a colon starts with a capital, as APA wants, even where the library has none.
    assert by_id["wang2022interpretability"]["title"] == (
        f"Interpretability in the wild: A circuit for indirect object identification in {nocase('GPT')}-2 small"
    )
    assert by_id["geva2022lmdebugger"]["title"].startswith(f"{nocase('LM-Debugger')}: An interactive tool")
    # Container titles stay as the library has them (title case): APA title-cases them itself.
    assert by_id["clark2019bert"]["container-title"].startswith("Proceedings of the 2019 ACL Workshop BlackboxNLP")


def test_sentence_case_keeps_math_a_papers_own_braces_and_other_languages() -> None:
    paper = Paper(key="k", title=r"The Rank of $K(\pi, 1)$ Spaces in Arabic Texts", protected=["{A}rabic"])
    title = paper_to_csl(paper)["title"]
    assert title == 'The rank of <span class="nocase">K(π, 1)</span> spaces in <span class="nocase">A</span>rabic texts'
    subtitled = Paper(key="s", title="Intuitionistic Type Theory", extra={"subtitle": "notes by Giovanni Sambin"})
    assert paper_to_csl(subtitled)["title"] == "Intuitionistic type theory: Notes by giovanni sambin"
    assert paper_to_csl(Paper(key="u", title="Standard_model_complete"))["title"] == "Standard_model_complete"
    german = Paper(key="g", title="Über Die Theorie", extra={"langid": "ngerman"})
    assert paper_to_csl(german)["title"] == "Über Die Theorie"
    assert paper_to_csl(german.model_copy(update={"extra": {"langid": "english"}}))["title"] == "Über die theorie"


def test_an_edition_that_is_a_number_is_numeric_and_reports_and_theses_have_a_genre(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "export", "csl-json", "purves2001neuroscience", "erhan2009visualizing")
    assert result.exit_code == 0, result.stderr
    book, report = sorted(json.loads(result.stdout), key=lambda item: item["id"] != "purves2001neuroscience")
    assert book["edition"] == 2  # the library says "Second": APA prints "(2nd ed.)"
    assert (report["type"], report["genre"], report["number"]) == ("report", "Technical report", "1341")


def test_editions_and_genres_from_imported_entries(empty_library: Path, invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "in.bib"
    bib.write_text(
        "@book{a, title = {A}, author = {X, Y}, publisher = {P}, year = 2001, edition = {2nd}}\n"
        "@book{b, title = {B}, author = {X, Y}, publisher = {P}, year = 2001, edition = {Third Edition}}\n"
        "@book{c, title = {C}, author = {X, Y}, publisher = {P}, year = 2004, edition = {2014}}\n"
        "@book{d, title = {D}, author = {X, Y}, publisher = {P}, year = 2004, edition = {Revised}}\n"
        "@techreport{e, title = {E}, author = {X, Y}, institution = {U}, year = 2009, type = {Research Memo}}\n"
        "@report{f, title = {F}, author = {X, Y}, institution = {U}, year = 2009, type = {techreport}}\n"
        "@phdthesis{g, title = {G}, author = {X, Y}, school = {S}, year = 2009, type = {Habilitation}}\n",
        encoding="utf-8",
    )
    assert invoke("import", str(bib), "--keep-keys").exit_code == 0
    items = {i["id"]: i for i in json.loads(invoke("export", "csl-json").stdout)}
    for item in items.values():
        check_item(item)
    assert [items[k]["edition"] for k in "abcd"] == [2, 3, "2014", "Revised"]
    assert [items[k]["genre"] for k in "efg"] == ["Research Memo", "Technical report", "Habilitation"]
