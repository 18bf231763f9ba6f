"""The fast read path: papers rebuilt from the index's records without validating them again are the same papers."""

from __future__ import annotations

import datetime as dt
import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from litmap.cli.json_text import pretty_json
from litmap.models import Author, Paper
from litmap.store import Library
from litmap.store.discovery import bundled_library_path

_words = st.text(alphabet=string.ascii_letters + "äéøß -.'", min_size=1, max_size=12).filter(lambda s: s.strip())
_authors = st.one_of(
    st.builds(lambda f, g: f"{f.strip()}, {g.strip()}", _words, _words),
    _words,  # an organisation
    st.builds(lambda f, g: {"family": f"{f.strip()}, Jr.", "given": g}, _words, _words),  # a comma: a table
)
_slugs = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True)
_papers = st.builds(
    lambda key, title, authors, year, cats, tags, added, extra, abstract, arxiv: Paper.from_record(
        {
            "key": key,
            "title": title,
            "authors": authors,
            "year": year,
            "categories": cats,
            "tags": tags,
            "added": added,
            "abstract": abstract,
            "arxiv": arxiv,
            **extra,
        }
    ),
    st.from_regex(r"[a-z]{2,8}[0-9]{4}[a-z]{0,6}", fullmatch=True),
    _words,
    st.lists(_authors, max_size=5),
    st.one_of(st.none(), st.integers(1000, 2999)),
    st.lists(_slugs, max_size=3, unique=True),
    st.lists(_words.map(str.strip), max_size=3, unique=True),
    st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))),
    st.dictionaries(st.sampled_from(["isbn", "publisher", "school", "edition"]), _words.map(str.strip), max_size=2),
    st.one_of(st.none(), st.text(max_size=40)),
    st.one_of(st.none(), st.just("2209.10652")),
)


@settings(max_examples=200)
@given(_papers)
def test_a_paper_rebuilt_from_its_index_record_equals_the_validated_one(paper: Paper) -> None:
    record = json.loads(json.dumps(paper.to_json()))  # what the index stores and gives back
    rebuilt = Paper.from_index(record)
    assert rebuilt == paper
    assert rebuilt.to_json() == paper.to_json()
    assert rebuilt.first_author == paper.first_author


def test_every_bundled_paper_survives_the_index_record_unchanged() -> None:
    papers = [Library(bundled_library_path(), read_only=True).load_paper_file(p) for p in _bundled_files()]
    shared: dict[object, Author] = {}
    assert [Paper.from_index(json.loads(json.dumps(p.to_json())), shared) for p in papers] == papers


def _bundled_files() -> list:  # type: ignore[type-arg]
    return sorted((bundled_library_path() / "papers").glob("*.toml"))


def test_rebuilt_papers_do_not_share_their_lists_and_still_validate_changes() -> None:
    first = Paper.from_index({"key": "a2020", "title": "A"})
    second = Paper.from_index({"key": "b2020", "title": "B"})
    first.tags.append("x")
    first.extra["isbn"] = "1"
    assert second.tags == [] and second.extra == {}
    with pytest.raises(ValidationError):
        first.year = "soon"  # type: ignore[assignment]
    moved = first.model_copy(update={"key": "c2020"})
    assert (moved.key, first.key) == ("c2020", "a2020")


def test_one_author_object_serves_every_paper_naming_that_author() -> None:
    shared: dict[object, Author] = {}
    one = Paper.from_index({"key": "a2020", "title": "A", "authors": ["Olah, Chris"]}, shared)
    two = Paper.from_index({"key": "b2020", "title": "B", "authors": ["Olah, Chris", "OpenAI"]}, shared)
    assert one.authors[0] is two.authors[0]
    assert two.authors == [Author(family="Olah", given="Chris"), Author(family="OpenAI")]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(_json)
def test_pretty_json_writes_what_json_dumps_writes(data: object) -> None:
    assert pretty_json(data) == json.dumps(data, ensure_ascii=False, indent=2)
