"""Export -> import into an empty library -> the same papers (through `litmap import`, issue 4 and 12).

What BibTeX cannot carry is left out of the comparison, each for a stated reason: the library's
private fields (note, categories, tags, added date, aliases) are not exported; the words the
library's ``protected_terms`` brace come back as the paper's own ``protected`` words (checked
apart); the importer writes page ranges with a hyphen where the export writes ``--``; a URL goes
out percent-encoded where it is not plain ASCII (the same URL); a ``released`` date that only
repeats the year and month is not written twice.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from conftest import BUNDLED
from litmap.dates import distinct_release
from litmap.formats.protect import plain_form
from litmap.models import Paper
from litmap.store import Library
from test_export_bibtex import HOSTILE

PRIVATE = ("note", "categories", "tags", "added", "aliases", "primaryclass")


def comparable(paper: Paper) -> dict[str, Any]:
    """A paper's record as far as BibTeX carries it (see the module docstring)."""
    record = paper.to_json()
    if distinct_release(paper.released, paper.year, paper.month) is None:
        record.pop("released", None)  # a preprint's own release date is its year and month: not written twice
    for name in (*PRIVATE, "protected"):
        record.pop(name, None)
    if "pages" in record:
        record["pages"] = re.sub(r"\s*(?:-{1,3}|–|—)\s*", "-", record["pages"])
    if "url" in record:
        record["url"] = unquote(record["url"])
    return record


def roundtrip(invoke, source: Path, folder: Path, *options: str) -> tuple[Library, str]:  # type: ignore[no-untyped-def]
    """Export ``source`` (with ``options``), import the file into a new library; that library and the .bib."""
    bib = folder / "export.bib"
    exported = invoke("--library", str(source), "export", "bibtex", "--abstracts", *options, "-o", str(bib))
    assert exported.exit_code == 0, exported.stderr
    target = folder / "imported"
    assert invoke("init", str(target)).exit_code == 0
    (target / "litmap.toml").write_text((source / "litmap.toml").read_text(encoding="utf-8"), encoding="utf-8")
    imported = invoke("--library", str(target), "import", str(bib), "--keep-keys")
    assert imported.exit_code == 0, imported.stderr + imported.stdout
    return Library(target), bib.read_text(encoding="utf-8")


def assert_same_papers(original: list[Paper], imported: Library) -> None:
    again = {p.key: p for p in imported.papers()}
    assert sorted(again) == sorted(p.key for p in original)
    for paper in original:
        assert comparable(again[paper.key]) == comparable(paper), paper.key
        terms = {plain_form(form) for form in again[paper.key].protected}
        assert terms <= set(imported.config.export.get("protected_terms", [])) | {
            plain_form(f) for f in paper.protected
        }


@pytest.mark.parametrize("options", [(), ("--ascii",)], ids=["utf8", "ascii"])
def test_the_bundled_library_comes_back_the_same(invoke, tmp_path: Path, options: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    imported, _bib = roundtrip(invoke, BUNDLED, tmp_path, *options)
    assert_same_papers(Library(BUNDLED, read_only=True).papers(), imported)


def test_hostile_entries_come_back_the_same(invoke, make_paper_file, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for fields in HOSTILE:
        make_paper_file(empty_library, **fields)
    imported, _bib = roundtrip(invoke, empty_library, tmp_path)
    assert_same_papers(Library(empty_library).papers(), imported)


@pytest.mark.parametrize("source", ["bundled", "hostile"])
def test_exporting_the_imported_library_gives_the_same_bibtex(  # type: ignore[no-untyped-def]
    invoke, make_paper_file, empty_library: Path, tmp_path: Path, source: str
) -> None:
    if source == "hostile":
        for fields in HOSTILE:
            make_paper_file(empty_library, **fields)
    library = BUNDLED if source == "bundled" else empty_library
    imported, first = roundtrip(invoke, library, tmp_path)
    second = invoke("--library", str(imported.root), "export", "bibtex", "--abstracts")
    assert second.exit_code == 0
    if source == "bundled":  # the quote ligatures typed into three abstracts come back as quotes
        first = first.replace("``", "“")
    assert second.stdout == first
