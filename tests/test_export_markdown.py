"""`litmap export markdown`: the reading list as a GitHub page, checked by parsing it as CommonMark.

The page is read back with markdown-it-py (CommonMark, plus GitHub's tables and strikethrough), so
the checks are on what a reader sees: headings, links, anchors, list items, folded abstracts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import BUNDLED
from litmap.formats.latex_text import readable as readable_text
from litmap.formats.markdown import Anchors, papers_to_markdown
from litmap.models import Paper
from litmap.store import Library
from seed import Seed, parse_seed, readable, squash
from test_seed_library import as_dumped, seed_pairs


@dataclass
class Item:
    """A paper as the page shows it."""

    title: str
    href: str | None
    line: str
    abstract: str | None = None


@dataclass
class Heading:
    level: int
    text: str
    anchor: str
    items: list[Item] = field(default_factory=list)
    mermaid: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Rendered:
    headings: list[Heading]
    contents: list[tuple[str, str]]
    html: str

    def heading(self, text: str) -> Heading:
        (found,) = [h for h in self.headings if h.text == text]
        return found


def text_of(token: Token) -> str:
    """What a reader sees of an inline token: escapes resolved, markup dropped."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def render(markdown: str) -> Rendered:
    """Parse the page and collect headings (with GitHub anchors), contents links and paper items."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(markdown)
    anchors = Anchors()
    headings: list[Heading] = []
    contents: list[tuple[str, str]] = []
    in_item = 0
    details = False
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = text_of(tokens[index + 1])
            headings.append(Heading(int(token.tag[1]), text, anchors.add(text)))
        elif token.type == "fence" and token.info == "mermaid":
            headings[-1].mermaid = token.content.splitlines()
        elif token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "html_block" and "<details>" in token.content:
            details = True
        elif token.type == "html_block" and "</details>" in token.content:
            details = False
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            links = [c for c in token.children or [] if c.type == "link_open"]
            if headings and headings[-1].text == "Contents" and links:
                contents.append((text_of(token), str(links[0].attrs["href"])))
            elif details:
                item = headings[-1].items[-1]
                item.abstract = text_of(token) if item.abstract is None else f"{item.abstract}\n\n{text_of(token)}"
            elif in_item and headings:
                children = token.children or []
                start = next(i for i, c in enumerate(children) if c.type == "strong_open")
                end = next(i for i, c in enumerate(children) if c.type == "strong_close")
                title = "".join(c.content for c in children[start:end] if c.type == "text")
                headings[-1].items.append(Item(title, links[0].attrs["href"] if links else None, text_of(token)))
            elif headings:
                headings[-1].paragraphs.append(text_of(token))
    return Rendered(headings, contents, md.render(markdown))


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(BUNDLED, read_only=True)


@pytest.fixture(scope="module")
def page(library: Library) -> str:
    return papers_to_markdown(
        library.papers(),
        library.taxonomy(),
        library_name=library.config.name,
        library_description=library.config.description,
    )


@pytest.fixture(scope="module")
def rendered(page: str) -> Rendered:
    return render(page)


def test_the_page_follows_the_taxonomy_with_descriptions(library: Library, rendered: Rendered) -> None:
    taxonomy = library.taxonomy()
    (root,) = taxonomy.roots()
    expected = [(1, root.title), (2, "Contents")]
    for section in taxonomy.children(root.id):
        expected.append((2, section.title))
        expected += [(3, sub.title) for sub in taxonomy.children(section.id)]
    assert [(h.level, h.text) for h in rendered.headings] == expected
    assert squash(" ".join(rendered.headings[0].paragraphs)) == squash(root.description or "")
    for category in taxonomy:
        if category.id != root.id:
            heading = rendered.heading(category.title)
            assert squash(category.description or "") in squash(" ".join(heading.paragraphs))


def test_the_page_shows_every_subsection_paper_pair_of_the_seed(library: Library, rendered: Rendered) -> None:
    seed: Seed = parse_seed()
    by_abstract = {readable(as_dumped(p.abstract or "")): p for p in library.papers()}
    by_title = {p.title: p for p in library.papers()}
    ids = {c.title: c.id for c in library.taxonomy()}
    shown = {(ids[heading.text], by_title[item.title].key) for heading in rendered.headings for item in heading.items}
    assert shown == seed_pairs(seed, library, by_abstract)


def test_each_paper_is_a_linked_title_with_authors_year_venue_and_folded_abstract(
    library: Library, rendered: Rendered
) -> None:
    items = {item.title: item for heading in rendered.headings for item in heading.items}
    assert len(items) == len(library.keys())
    for paper in library.papers():
        item = items[paper.title]
        assert item.href == paper.url
        assert paper.authors[0].display in item.line
        assert f"({paper.year})" in item.line
        assert item.line.endswith(f"{paper.venue}.")
        assert squash(item.abstract or "") == squash(readable_text(paper.abstract or ""))  # math read as text
        assert "$" not in (item.abstract or "") and "\\" not in (item.abstract or "")
    assert rendered.html.count("<details><summary>Abstract</summary>") == sum(len(h.items) for h in rendered.headings)


def test_contents_links_and_mermaid_clicks_land_on_headings(rendered: Rendered) -> None:
    anchors = {h.anchor for h in rendered.headings}
    assert len(anchors) == len(rendered.headings)
    assert rendered.contents
    for text, href in rendered.contents:
        assert href.startswith("#") and href[1:] in anchors, (text, href)
    assert ("Challenges and Criticisms", "#challenges-and-criticisms") in rendered.contents
    sections = [h for h in rendered.headings if h.level == 2 and h.text != "Contents"]
    for section in sections:
        assert section.mermaid[0] == "graph LR", section.text
        clicks = [line.split('"')[1] for line in section.mermaid if line.strip().startswith("click ")]
        assert clicks and all(target[1:] in anchors for target in clicks)
        assert any(f'["{section.text}"]' in line for line in section.mermaid)
    first = sections[0].mermaid
    assert "  subgraph here [We are here]" in first
    assert any('["Circuit Analysis"]' in line for line in first[first.index("  subgraph here [We are here]") :])


@pytest.mark.parametrize(
    ("headings", "anchors"),
    [
        (["Challenges and Criticisms"], ["challenges-and-criticisms"]),
        (["Q&A: Stuff", "C++ (2020)"], ["qa-stuff", "c-2020"]),
        (["Attribution", "Attribution", "Attribution"], ["attribution", "attribution-1", "attribution-2"]),
        (["Überblick", "snake_case-and-kebab"], ["überblick", "snake_case-and-kebab"]),
    ],
)
def test_anchors_are_githubs(headings: list[str], anchors: list[str]) -> None:
    slugger = Anchors()
    assert [slugger.add(h) for h in headings] == anchors


def test_markdown_and_html_in_titles_and_abstracts_are_shown_as_text(tmp_path: Path) -> None:
    from litmap.taxonomy import Taxonomy

    paper = Paper(
        key="x",
        title="Stars *and* _unders_ [brackets] <script>alert(1)</script> | pipes ~~strike~~ & #hash",
        authors=["O'Neil, Cathy"],
        year=2020,
        venue="The *Venue*",
        url="https://example.org/a (b)",
        abstract="1. not a list\n\n# not a heading\n\n- not an item <b>bold</b> `code` \\ backslash &amp;",
    )
    page = render(papers_to_markdown([paper], Taxonomy(), library_name="Lib <1>"))
    assert page.headings[0].text == "Lib <1>"
    (item,) = page.heading("Uncategorised").items
    assert item.title == paper.title
    assert item.href == "https://example.org/a%20%28b%29"
    assert item.line.endswith("(2020). The *Venue*.")
    assert item.abstract == paper.abstract
    assert "<script>" not in page.html and "<b>" not in page.html and "<del>" not in page.html


def test_several_roots_and_uncategorised_papers(tmp_path: Path) -> None:
    from litmap.models import Category
    from litmap.taxonomy import Taxonomy

    taxonomy = Taxonomy(
        [
            Category(id="alpha", title="Alpha", description="First.", order=0),
            Category(id="beta", title="Beta", order=1),
            Category(id="beta-one", title="Beta One", parent="beta", order=0),
        ]
    )
    papers = [
        Paper(key="a", title="In Alpha", categories=["alpha"], year=2001),
        Paper(key="b", title="In Beta One", categories=["beta-one"], year=2002),
        Paper(key="c", title="Nowhere", year=2003),
        Paper(key="d", title="Lost", categories=["gone"], year=2004),
    ]
    page = render(papers_to_markdown(papers, taxonomy, library_name="My list", library_description="Mine."))
    assert [(h.level, h.text) for h in page.headings] == [
        (1, "My list"),
        (2, "Contents"),
        (2, "Alpha"),
        (2, "Beta"),
        (3, "Beta One"),
        (2, "Uncategorised"),
    ]
    assert page.headings[0].paragraphs == ["Mine."]
    assert [i.title for i in page.heading("Alpha").items] == ["In Alpha"]
    assert [i.title for i in page.heading("Uncategorised").items] == ["Nowhere", "Lost"]
    assert page.heading("Alpha").mermaid[:2] == ["graph LR", '  n0["My list"] --> n1["Alpha"]']


# -- the command ----------------------------------------------------------------------------------


def test_command_writes_the_page_deterministically(invoke, tmp_path: Path, page: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "READING-LIST.md"
    result = invoke("--library", str(BUNDLED), "export", "markdown", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == page
    again = invoke("--library", str(BUNDLED), "export", "markdown")
    assert again.stdout == page


def test_category_option_makes_that_subtree_the_page(invoke, library: Library) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "export", "markdown", "--category", "challenges-and-criticisms")
    assert result.exit_code == 0, result.stderr
    page = render(result.stdout)
    assert page.headings[0].text == "Challenges and Criticisms"
    assert [h.text for h in page.headings if h.level == 2] == [
        "Contents",
        "Superposition",
        "Scalability",
        "Focusing on Toy Model Experiments",
    ]
    wanted = set(library.taxonomy().descendants("challenges-and-criticisms"))
    expected = {p.title for p in library.papers() if wanted.intersection(p.categories)}
    assert {i.title for h in page.headings for i in h.items} == expected
    typo = invoke("--library", str(BUNDLED), "export", "markdown", "--category", "scalabilty")
    assert typo.exit_code == 1
    assert "did you mean 'scalability'" in typo.stderr


def test_a_leaf_category_page_is_its_papers_without_an_empty_contents(invoke, library: Library) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "export", "markdown", "--category", "superposition")
    assert result.exit_code == 0, result.stderr
    page = render(result.stdout)
    assert [(h.level, h.text) for h in page.headings] == [(1, "Superposition")]
    expected = {p.title for p in library.papers() if "superposition" in p.categories}
    assert {i.title for i in page.headings[0].items} == expected
