"""The bundled library is the seed reading list: every listing, every abstract, nothing more."""

from __future__ import annotations

import re

import pytest
from rapidfuzz import fuzz

from conftest import BUNDLED
from litmap.dedupe.matching import normalize_title
from litmap.models import Paper
from litmap.services.check import check_library
from litmap.store import Library
from seed import Seed, parse_seed, readable, squash

MENDED = {"Challengesand": "Challenges and", "correlationn": "correlation"}
# Seed titles that are not the published title: the seed links Distill's "Activation Atlas" under
# the title of Google's blog post announcing it.
RETITLED = {"Exploring Neural Networks with Activation Atlases": "Activation Atlas"}
# Links the dump shows as arXiv's link text ("this http URL"); the library has the URL the arXiv
# abstract gives (verified in copies of the arXiv abstracts).
RESTORED_LINKS = {
    "github.com/bioinf-jku/SNNs": "this http URL",
    "https://github.com/Hunter-DDM/knowledge-neurons": "this https URL",
    "https://github.com/AlignmentResearch/tuned-lens": "this https URL",
}


def as_dumped(abstract: str) -> str:
    """A library abstract as the seed dump shows it: restored links back to arXiv's link text."""
    for url, words in RESTORED_LINKS.items():
        abstract = abstract.replace(url, words)
    return abstract


def mend(text: str) -> str:
    """The seed's text with the dump's obvious typos mended (the only prose changes allowed)."""
    for typo, fixed in MENDED.items():
        text = text.replace(typo, fixed)
    return text


@pytest.fixture(scope="module")
def seed() -> Seed:
    return parse_seed()


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(BUNDLED, read_only=True)


@pytest.fixture(scope="module")
def by_abstract(library: Library) -> dict[str, Paper]:
    papers = {}
    for paper in library.papers():
        assert paper.abstract, f"{paper.key} has no abstract"
        papers[readable(as_dumped(paper.abstract))] = paper
    return papers


def seed_pairs(seed: Seed, library: Library, by_abstract: dict[str, Paper]) -> set[tuple[str, str]]:
    taxonomy = library.taxonomy()
    titles = {c.title: c.id for c in taxonomy}
    pairs = set()
    for sub in seed.subsections():
        for entry in sub.entries:
            paper = by_abstract.get(readable(entry.abstract))
            assert paper is not None, f"seed line {entry.line}: no paper has the abstract of {entry.title!r}"
            pairs.add((titles[mend(sub.title)], paper.key))
    return pairs


def test_taxonomy_is_the_seed_structure(seed: Seed, library: Library) -> None:
    taxonomy = library.taxonomy()
    (root,) = taxonomy.roots()
    assert root.title == seed.title
    assert squash(root.description or "") == squash(" ".join(seed.introduction))
    sections = taxonomy.children(root.id)
    assert [c.title for c in sections] == [mend(s.title) for s in seed.sections]
    for category, section in zip(sections, seed.sections, strict=True):
        assert squash(category.description or "") == squash(mend(section.description))
        subsections = taxonomy.children(category.id)
        assert [c.title for c in subsections] == [mend(s.title) for s in section.subsections]
        for sub_category, sub in zip(subsections, section.subsections, strict=True):
            assert squash(sub_category.description or "") == squash(mend(sub.description))
            assert taxonomy.children(sub_category.id) == []
    assert len(taxonomy) == 1 + len(seed.sections) + len(seed.subsections()) == 14


def test_every_seed_listing_is_a_paper_in_that_category_and_nothing_else(
    seed: Seed, library: Library, by_abstract: dict[str, Paper]
) -> None:
    expected = seed_pairs(seed, library, by_abstract)
    actual = {(category, p.key) for p in library.papers() for category in p.categories}
    assert actual == expected
    assert {key for _category, key in expected} == set(library.keys())
    assert len(library.keys()) == len(by_abstract) == 75


def test_titles_are_the_seed_titles_in_published_form(seed: Seed, by_abstract: dict[str, Paper]) -> None:
    for sub in seed.subsections():
        for entry in sub.entries:
            paper = by_abstract[readable(entry.abstract)]
            if entry.title is None:
                assert paper.title == "Scaling Laws for Neural Language Models"
                assert paper.authors[0].family == "Kaplan" and paper.year == 2020
                continue
            if entry.title in RETITLED:
                assert paper.title == RETITLED[entry.title]
                continue
            cleaned = re.sub(r"[{}]|\)$", "", entry.title).replace("Filtersin", "Filters in")
            score = fuzz.token_sort_ratio(normalize_title(cleaned), normalize_title(paper.title))
            assert score >= 80, f"seed {entry.title!r} vs library {paper.title!r}"


def test_every_paper_has_the_metadata_a_reader_needs(library: Library) -> None:
    for paper in library.papers():
        assert paper.authors, paper.key
        assert paper.year, paper.key
        assert paper.venue, paper.key
        assert paper.url and paper.url.startswith("https://"), paper.key
        assert paper.type in {"article", "inproceedings", "misc", "book", "techreport"}, paper.key


def test_papers_listed_twice_in_the_seed_are_one_paper(library: Library) -> None:
    induction = [p for p in library.papers() if "induction heads" in p.title.lower()]
    assert len(induction) == 1
    assert set(induction[0].categories) == {
        "circuit-analysis",
        "mapping-and-editing-learned-representations",
        "scalability",
    }


def test_check_passes_on_the_bundled_library(library: Library) -> None:
    assert check_library(library) == []


def test_show_toy_models_gives_its_arxiv_id(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "show", "elhage2022toy", "--json")
    assert result.exit_code == 0
    import json

    record = json.loads(result.stdout)
    assert record["arxiv"] == "2209.10652"
    assert record["title"] == "Toy Models of Superposition"
