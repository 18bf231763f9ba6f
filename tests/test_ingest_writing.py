"""Writing many new papers fast: the direct TOML writer matches tomlkit byte for byte; bulk commits are whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from litmap.models import Author, Paper
from litmap.store import Library
from litmap.store.codec import paper_from_toml
from litmap.store.files import BULK_SYNC_FILES
from litmap.store.toml_fast import render_fast
from litmap.store.toml_write import render_record_tomlkit

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list("\"'\\\n\t{}$~é–")), max_size=40
)
LINE = TEXT.map(lambda s: s.replace("\n", " ")).filter(lambda s: s.strip() != "")
NAME = st.from_regex(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ ,.'\-]{0,12}", fullmatch=True).filter(lambda s: s.strip(" ,") != "")
EXTRA_NAME = st.from_regex(r"[a-z][a-z0-9_\-]{0,10}", fullmatch=True).filter(
    lambda s: (
        s not in ("key", "type", "title", "authors", "year", "month", "venue", "volume", "pages", "arxiv")
        and s not in ("doi", "url", "categories", "tags", "note", "added", "aliases", "abstract")
    )
)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    authors = [
        Author(family=draw(NAME), given=draw(st.one_of(st.just(""), NAME))) for _ in range(draw(st.integers(0, 4)))
    ]
    return Paper(
        key=draw(st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)),
        type=draw(st.sampled_from(["article", "misc", "inproceedings"])),
        title=draw(LINE),
        authors=authors,
        year=draw(st.one_of(st.none(), st.integers(1000, 2999))),
        month=draw(st.one_of(st.none(), st.integers(1, 12))),
        venue=draw(st.one_of(st.none(), LINE)),
        pages=draw(st.one_of(st.none(), LINE)),
        note=draw(st.one_of(st.none(), TEXT.filter(str.strip))),
        abstract=draw(st.one_of(st.none(), TEXT)),
        tags=draw(st.lists(st.from_regex(r"[a-z][a-z\-]{0,6}", fullmatch=True), max_size=3)),
        aliases=draw(st.lists(st.from_regex(r"[a-z][a-z0-9:]{0,8}", fullmatch=True), max_size=5)),
        added=draw(st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)))),
        extra=draw(st.dictionaries(EXTRA_NAME, TEXT, max_size=3)),
    )


@given(papers())
def test_direct_writer_matches_tomlkit(paper: Paper) -> None:
    record = paper.to_record()
    fast = render_fast(record)
    if fast is not None:
        assert fast == render_record_tomlkit(record)
        # (A multi-line note or extra comes back with a trailing newline, by either writer: see the report.)
        if not any("\n" in text for text in [*paper.extra.values(), paper.note or ""]):
            assert paper_from_toml(fast, "x.toml") == paper


def test_direct_writer_covers_ordinary_records() -> None:
    paper = Paper(
        key="olah2020zoom",
        title='Zoom In: "Circuits" \\ à la carte',
        authors=["Olah, Chris", Author(family="King, Jr", given="Martin")],
        year=2020,
        abstract="Two\nlines",
        aliases=["a", "b", "c", "d"],
        added=dt.date(2024, 5, 6),
        extra={"file": "/x/y.pdf"},
    )
    fast = render_fast(paper.to_record())
    assert fast is not None
    assert fast == render_record_tomlkit(paper.to_record())


def test_a_large_import_is_written_in_full(empty_library: Path, tmp_path: Path, invoke: object) -> None:
    count = BULK_SYNC_FILES * 2
    bib = tmp_path / "many.bib"
    bib.write_text(
        "".join(
            f"@misc{{k{i}, title={{Paper number {i} on topic {i * 7}}}, author={{Doe, Jane}}, year=2020}}\n"
            for i in range(count)
        ),
        encoding="utf-8",
    )
    result = invoke("import", str(bib))  # type: ignore[operator]
    assert result.exit_code == 0, result.stderr
    library = Library(empty_library)
    assert len(library.keys()) == count
    assert not list((empty_library / "papers").glob(".*"))  # no temp file left behind
    assert not (empty_library / ".litmap" / "journal.json").exists()
    assert {p.title for p in library.papers()} == {f"Paper number {i} on topic {i * 7}" for i in range(count)}
