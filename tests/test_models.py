"""The Paper and Category models validate and normalise what users write."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from litmap.keys import base_key, make_key
from litmap.models import Author, Category, Paper, validate_citekey


def test_paper_normalises_pasted_identifiers() -> None:
    paper = Paper(
        key="elhage2022toy",
        title="  Toy Models\n of Superposition ",
        arxiv="https://arxiv.org/abs/2209.10652v2",
        doi="https://doi.org/10.1038/nature03687",
        month="Sept",
        year="2022",
    )
    assert paper.title == "Toy Models of Superposition"
    assert paper.arxiv == "2209.10652"
    assert paper.doi == "10.1038/nature03687"
    assert paper.month == 9
    assert paper.year == 2022


@pytest.mark.parametrize("key", ["../etc/passwd", "a/b", ".hidden", "with space", "", "a..b", "x\\y"])
def test_unsafe_citekeys_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="invalid citekey"):
        validate_citekey(key)
    with pytest.raises(ValidationError):
        Paper(key=key, title="T")


@pytest.mark.parametrize("key", ["elhage2022toy", "Smith_2020", "doe:2019-a", "x.y"])
def test_safe_citekeys_are_kept(key: str) -> None:
    assert Paper(key=key, title="T").key == key


def test_authors_read_family_comma_given_and_organisations() -> None:
    paper = Paper(key="k", title="T", authors=["Olah, Chris", "OpenAI", {"family": "van Neumann", "given": "J."}])
    assert paper.authors == [
        Author(family="Olah", given="Chris"),
        Author(family="OpenAI"),
        Author(family="van Neumann", given="J."),
    ]
    assert paper.to_record()["authors"] == ["Olah, Chris", "OpenAI", "van Neumann, J."]


def test_author_with_comma_in_name_is_written_as_table() -> None:
    paper = Paper(key="k", title="T", authors=[{"family": "King, Jr.", "given": "Martin Luther"}])
    assert paper.to_record()["authors"] == [{"family": "King, Jr.", "given": "Martin Luther"}]
    assert Paper.from_record(paper.to_record()) == paper


def test_unknown_fields_are_kept_as_extra_bibtex_fields() -> None:
    paper = Paper.from_record({"key": "k", "title": "T", "publisher": "MIT Press", "isbn": "978-0"})
    assert paper.extra == {"publisher": "MIT Press", "isbn": "978-0"}
    assert list(paper.to_record()) == ["key", "type", "title", "isbn", "publisher"]


def test_record_order_is_stable_and_abstract_comes_last() -> None:
    paper = Paper(
        key="k",
        title="T",
        abstract="Text.",
        tags=["b"],
        year=2020,
        added=dt.date(2024, 1, 2),
        extra={"zzz": "1"},
    )
    assert list(paper.to_record()) == ["key", "type", "title", "year", "tags", "added", "zzz", "abstract"]
    assert paper.to_json()["added"] == "2024-01-02"


@pytest.mark.parametrize(
    ("field", "value"),
    [("year", "twenty"), ("year", 99), ("month", "Smarch"), ("arxiv", "nope"), ("doi", "nope"), ("title", "  ")],
)
def test_bad_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Paper(**{"key": "k", "title": "T", field: value})  # type: ignore[arg-type]


def test_category_ids_are_slugs() -> None:
    assert Category(id="circuit-analysis", title="Circuit Analysis").id == "circuit-analysis"
    with pytest.raises(ValidationError):
        Category(id="Circuit Analysis", title="x")


def test_citekey_scheme() -> None:
    paper = Paper(key="tmp", title="Toy Models of Superposition", authors=["Elhage, Nelson"], year=2022)
    assert base_key(paper) == "elhage2022toy"
    assert make_key(paper, {"elhage2022toy"}) == "elhage2022toyb"
    assert make_key(paper, {"elhage2022toy", "elhage2022toyb"}) == "elhage2022toyc"
    odd = Paper(key="tmp", title="In-context Learning and Induction Heads", authors=["Ölsson, Çatherine"])
    assert base_key(odd) == "olssonincontext"
    assert base_key(Paper(key="tmp", title="The Attention")) == "anonattention"
    assert base_key(paper, "{author}_{word}_{year}") == "elhage_toy_2022"


def test_multiline_extra_fields_and_notes_round_trip_exactly() -> None:
    from litmap.store.codec import paper_from_toml, paper_to_toml

    paper = Paper(key="k", title="T", note="line one\nline two", extra={"annote": "para 1\n\npara 2"})
    assert paper_from_toml(paper_to_toml(paper), "k.toml") == paper
