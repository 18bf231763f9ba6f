"""The fast read path: papers rebuilt from the index's records without validating them again are the same papers."""

from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from litmap.cli.json_text import pretty_json
from litmap.models import Author, Paper
from litmap.selection import select, sort_papers
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


# -- `litmap list` from the index ------------------------------------------------------------------


def _file_papers(root: Path) -> list[Paper]:
    library = Library(root)
    return [library.load_paper_file(p) for p in library.paper_files()]


def test_list_json_is_exactly_the_records_of_the_files(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    expected = json.dumps([p.to_json() for p in _file_papers(bundled_copy)], ensure_ascii=False, indent=2) + "\n"
    for _ in range(2):  # the first run builds the index, the second reads it as it is
        result = invoke("list", "--json")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == expected


@pytest.mark.parametrize(
    "options",
    [
        {"category": "interpretability", "sort": "year"},
        {"tags": [], "years": "2020..2023", "sort": "author", "reverse": True},
        {"category": "superposition", "sort": "title"},
        {"years": "..2021", "sort": "added"},
    ],
)
def test_list_filters_and_sorts_as_the_selection_rules_do(bundled_copy: Path, invoke, options: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    library = Library(bundled_copy)
    taxonomy = library.taxonomy()
    chosen = select(_file_papers(bundled_copy), taxonomy, category=options.get("category"), years=options.get("years"))
    expected = [p.key for p in sort_papers(chosen, options["sort"], reverse=options.get("reverse", False))]
    args = ["list", "--keys", "--sort", options["sort"]]
    args += ["--category", options["category"]] if "category" in options else []
    args += ["--year", options["years"]] if "years" in options else []
    args += ["--reverse"] if options.get("reverse") else []
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == expected
    assert expected  # each case selects something


def test_list_by_tag_needs_every_tag(empty_library: Path, invoke, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, "a2020", tags=["to-read", "classic"])
    make_paper_file(empty_library, "b2020", tags=["to-read"])
    make_paper_file(empty_library, "c2020")
    assert invoke("list", "--keys", "--tag", "to-read").stdout.split() == ["a2020", "b2020"]
    assert invoke("list", "--keys", "-t", "to-read", "-t", "classic").stdout.split() == ["a2020"]


def test_list_sees_an_edit_in_place_and_files_added_and_removed(empty_library: Path, invoke, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, "a2020", title="Alpha")
    make_paper_file(empty_library, "b2020", title="Beta")
    assert invoke("list").stdout.splitlines()[0].split("\t")[3] == "Alpha"
    path = empty_library / "papers" / "a2020.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Alpha", "Gamma"), encoding="utf-8")  # same size
    (empty_library / "papers" / "b2020.toml").unlink()
    make_paper_file(empty_library, "c2020", title="Delta")
    lines = invoke("list").stdout.splitlines()
    assert [line.split("\t")[3] for line in lines] == ["Gamma", "Delta"]


def test_list_to_a_pipe_is_one_tab_separated_line_per_paper(bundled_copy: Path) -> None:
    import subprocess
    import sys

    litmap = Path(sys.executable).parent / "litmap"
    done = subprocess.run([str(litmap), "list"], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    papers = _file_papers(bundled_copy)
    assert len(lines) == len(papers)
    first = papers[0]
    taxonomy = Library(bundled_copy).taxonomy()
    titles = ", ".join(taxonomy.get(c).title for c in first.categories)
    assert lines[0] == f"{first.key}\t{first.year or ''}\t{first.first_author}\t{first.title}\t{titles}"
    assert all(line.count("\t") == 4 for line in lines)
