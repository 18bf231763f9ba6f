"""`litmap export html`: the reading list as one self-contained page, read back as a browser parses it.

html5lib parses the page with the HTML5 algorithm (strict: any parse error fails), so the checks
are on the document a browser builds: sections in taxonomy order, papers with their hooks, links,
abstracts and BibTeX, the map, and nothing that would make a request. The browser tests
(test_export_html_browser.py) run the page's script in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest

from conftest import BUNDLED
from litmap.formats.bibtex import BibtexOptions, paper_to_bibtex
from litmap.formats.outline import reading_order
from litmap.store import Library

Element = ET.Element


def parse(page: str) -> Element:
    """The document, as a browser builds it; fails on any HTML5 parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)


def text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_class(root: Element, css_class: str) -> list[Element]:
    return [e for e in root.iter() if css_class in (e.get("class") or "").split()]


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(BUNDLED, read_only=True)


@pytest.fixture(scope="module")
def page(library: Library) -> str:
    from litmap.services.export import export_papers

    return export_papers(library, "html").text


@pytest.fixture(scope="module")
def doc(page: str) -> Element:
    return parse(page)


def test_the_page_is_valid_html5_with_the_library_title(doc: Element, library: Library) -> None:
    (root,) = library.taxonomy().roots()
    assert doc.find("head/title").text == root.title  # type: ignore[union-attr]
    assert text(doc.find(".//h1")) == root.title  # type: ignore[arg-type]
    assert "makes machine learning systems" in text(by_class(doc, "introduction")[0])
    assert doc.find(".//meta[@name='viewport']") is not None


def test_sections_follow_the_taxonomy_with_their_descriptions(doc: Element, library: Library) -> None:
    taxonomy = library.taxonomy()
    (root,) = taxonomy.roots()
    expected = [c.id for c in taxonomy if c.id != root.id]
    sections = [s for s in by_class(doc, "category") if s.get("data-category") != root.id]
    assert [s.get("data-category") for s in sections] == expected
    for section in sections:
        category = taxonomy.get(section.get("data-category") or "")
        heading = next(e for e in section if re.fullmatch(r"h[2-6]", e.tag))
        assert text(heading) == category.title
        assert heading.tag == f"h{taxonomy.depth(category.id) + 1}"
        if category.description:
            assert " ".join(category.description.split()) in text(section)


def test_a_paper_in_several_categories_is_in_each_and_counts_once(doc: Element, library: Library) -> None:
    papers = library.papers()
    assert any(len(p.categories) > 1 for p in papers)
    for paper in papers:
        listed = [
            s.get("data-category")
            for s in by_class(doc, "category")
            for li in by_class(s, "paper")
            if li.get("data-key") == paper.key
        ]
        assert sorted(listed) == sorted(paper.categories), paper.key
    total = len(papers)
    assert doc.find(".//main").get("data-total") == str(total)  # type: ignore[union-attr]
    assert text(doc.find(".//*[@id='count']")) == f"{total} papers"  # type: ignore[arg-type]
    assert text(by_class(doc, "summary")[0]).startswith(f"{total} papers in ")


def test_papers_are_in_reading_order_within_a_section(doc: Element, library: Library) -> None:
    for section in by_class(doc, "category"):
        keys = [li.get("data-key") for li in by_class(section, "paper")]
        wanted = section.get("data-category")
        in_it = [p for p in library.papers() if wanted in p.categories]
        assert keys == [p.key for p in reading_order(in_it)]


def test_a_paper_shows_its_title_authors_year_venue_links_abstract_and_bibtex(doc: Element, library: Library) -> None:
    paper = library.get("elhage2022toy")
    (li, *_) = [e for e in by_class(doc, "paper") if e.get("data-key") == paper.key]
    title = by_class(li, "title")[0].find("a")
    assert title is not None and text(title) == "Toy Models of Superposition"
    assert title.get("href") == paper.url
    meta = text(by_class(li, "meta")[0])
    assert "Nelson Elhage" in meta and "2022" in meta and "Transformer Circuits Thread" in meta
    links = {text(a): a.get("href") for a in by_class(li, "links")[0].iter("a")}
    assert links["arXiv"] == "https://arxiv.org/abs/2209.10652"
    abstract = by_class(li, "abstract")[0]
    toggle, shown = list(abstract)
    assert toggle.tag == "button" and text(toggle) == "Abstract" and toggle.get("aria-expanded") == "false"
    assert shown.get("hidden") is not None
    assert " ".join((paper.abstract or "").split()) == text(shown)
    bibtex = by_class(li, "bibtex")[0]
    assert [text(b) for b in bibtex if b.tag == "button"] == ["BibTeX"]
    options = BibtexOptions.from_settings(library.config.export)
    assert "".join(bibtex.find(".//pre").itertext()) == paper_to_bibtex(paper, options).rstrip()  # type: ignore[union-attr]
    assert [text(b) for b in bibtex.iter("button")] == ["BibTeX", "Copy BibTeX"]


def test_a_long_author_list_is_shortened_but_searchable(doc: Element, library: Library) -> None:
    paper = next(p for p in library.papers() if len(p.authors) > 6)
    li = next(e for e in by_class(doc, "paper") if e.get("data-key") == paper.key)
    authors = by_class(li, "authors")[0]
    assert by_class(authors, "rest")[0].get("hidden") is not None
    assert paper.authors[-1].display in text(authors)


def test_the_map_links_every_category_with_its_distinct_paper_count(doc: Element, library: Library) -> None:
    taxonomy = library.taxonomy()
    links = [a for a in doc.find(".//nav[@id='map']").iter("a")]  # type: ignore[union-attr]
    ids = {s.get("id") for s in by_class(doc, "category")}
    (root,) = taxonomy.roots()
    assert [a.get("data-category") for a in links] == [c.id for c in taxonomy if c.id != root.id]
    for link in links:
        assert (link.get("href") or "")[1:] in ids
        category = link.get("data-category") or ""
        under = set(taxonomy.descendants(category))
        distinct = {p.key for p in library.papers() if under & set(p.categories)}
        assert text(by_class(link, "n")[0]) == str(len(distinct))


def test_hooks_search_box_count_and_chips(doc: Element, library: Library) -> None:
    search = doc.find(".//input[@id='search']")
    assert search is not None and search.get("type") == "search"
    assert doc.find(".//*[@id='count']") is not None
    chips = {c.get("data-category") for c in by_class(doc, "chip")}
    (root,) = library.taxonomy().roots()
    assert chips == {""} | {c.id for c in library.taxonomy() if c.id != root.id}


def test_nothing_in_the_page_can_make_a_request(page: str, doc: Element) -> None:
    for element in doc.iter():
        assert element.tag not in ("link", "img", "iframe", "object", "embed", "base"), element.tag
        assert element.get("src") is None, element.tag
        assert not (element.tag == "meta" and element.get("http-equiv", "").lower() == "refresh")
    policy = doc.find(".//meta[@http-equiv='Content-Security-Policy']")
    assert policy is not None
    csp = dict(d.strip().split(" ", 1) for d in (policy.get("content") or "").split(";"))
    assert csp["default-src"] == "'none'"
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        (block,) = doc.iter(tag)
        digest = base64.b64encode(hashlib.sha256((block.text or "").encode()).digest()).decode()
        assert csp[directive] == f"'sha256-{digest}'"
    assert "url(" not in "".join(doc.find(".//style").itertext())  # type: ignore[union-attr]
    assert "@import" not in page


def test_bundled_page_is_under_two_megabytes(page: str) -> None:
    assert len(page.encode("utf-8")) < 2_000_000


def test_html_css_restyles_the_page(bundled_copy: Path, invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = bundled_copy / "litmap.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[export]", "[export]\nhtml_css = ':root { --accent: teal; }'"),
        encoding="utf-8",
    )
    out = tmp_path / "page.html"
    result = invoke("export", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Wrote the reading list (75 papers)" in result.stderr
    style = "".join(parse(out.read_text(encoding="utf-8")).find(".//style").itertext())  # type: ignore[union-attr]
    assert style.rstrip().endswith(":root { --accent: teal; }")


def test_html_css_that_would_end_the_style_sheet_is_refused(bundled_copy: Path, invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = bundled_copy / "litmap.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[export]", "[export]\nhtml_css = '</style><script>'"),
        encoding="utf-8",
    )
    out = tmp_path / "page.html"
    result = invoke("export", "html", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: {config}: [export] html_css must not contain")
    assert not out.exists()


def test_category_option_makes_that_subtree_the_page(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "criticisms.html"
    result = invoke("export", "html", "--category", "challenges-and-criticisms", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    doc = parse(out.read_text(encoding="utf-8"))
    assert text(doc.find(".//h1")) == "Challenges and Criticisms"  # type: ignore[arg-type]
    assert [s.get("data-category") for s in by_class(doc, "category")] == [
        "superposition",
        "scalability",
        "focusing-on-toy-model-experiments",
    ]


def test_text_is_escaped(tmp_path: Path) -> None:
    from litmap.formats.html import papers_to_html
    from litmap.models import Paper
    from litmap.taxonomy import Taxonomy

    paper = Paper(key="x2024a", title="<script>alert(1)</script> & Co", year=2024, abstract="a < b")
    page = papers_to_html([paper], Taxonomy(), library_name="Mine & <yours>")
    doc = parse(page)
    assert len(list(doc.iter("script"))) == 1  # the page's own; the title's is text
    assert "<script>alert(1)" not in page
    assert text(by_class(doc, "title")[0]) == "<script>alert(1)</script> & Co"
    assert text(doc.find(".//h1")) == "Mine & <yours>"  # type: ignore[arg-type]
    assert [s.get("id") for s in by_class(doc, "category")] == ["c--uncategorised"]


def test_a_long_list_holds_each_paper_once_in_the_store_and_sections_point_into_it(library: Library) -> None:
    from litmap.formats.html import papers_to_html

    papers = library.papers()
    page = papers_to_html(papers, library.taxonomy(), library_name="Long", render_all_up_to=len(papers) - 1)
    doc = parse(page)
    (store,) = [e for e in doc.iter("template") if e.get("id") == "store"]
    stored = [li.get("data-key") for li in by_class(store, "paper")]
    assert sorted(stored) == sorted(p.key for p in papers)  # once each
    for section in by_class(doc, "category"):
        wanted = section.get("data-category")
        listed = [p.key for p in reading_order([p for p in papers if wanted in p.categories])]
        if not listed:
            assert by_class(section, "papers") == []
            continue
        (listing,) = by_class(section, "papers")
        assert list(listing) == []  # the script renders them
        assert [stored[int(i)] for i in (listing.get("data-papers") or "").split()] == listed
        assert [b.get("hidden") is not None for b in by_class(section, "more")] == [True]
    assert len(page.encode()) < len(papers_to_html(papers, library.taxonomy(), library_name="Long").encode())
    assert list(parse(papers_to_html(papers, library.taxonomy(), library_name="x")).iter("template")) == []
