"""The Python API: one import, the README's snippet runs as written, and the facade does what the commands do."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import litmap
from conftest import REPO
from litmap.errors import InvalidValue, UnknownKey
from litmap.services.ingest import ManualEntry, add_manual
from sources_support import ARXIV_PATH, fixture_bytes, serve_arxiv

README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_snippet() -> str:
    section = README.split("## Using litmap from Python", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_snippet_runs(bundled_copy: Path, tmp_path: Path, httpserver: HTTPServer) -> None:
    """As a user would run it: a fresh interpreter, in a folder of theirs, arXiv replaced by a local server."""
    work = tmp_path / "work"
    work.mkdir()
    env = {
        **os.environ,
        "LITMAP_LIBRARY": str(bundled_copy),
        "LITMAP_ARXIV_API": httpserver.url_for(ARXIV_PATH),
        "LITMAP_ARXIV_DELAY": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", readme_snippet()], cwd=work, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("elhage2022toy 2022 Toy Models of Superposition")
    assert re.fullmatch(r"\d+ papers on attribution", lines[3])
    assert "already in the library as elhage2022toy" in lines
    bib = (work / "refs.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@\w+\{(\w+),", bib, re.M) == ["elhage2022toy", "olah2020zoom"]
    assert httpserver.log == []  # the paper was found in the library before anything was fetched


def test_importing_litmap_loads_nothing_heavy() -> None:
    code = (
        "import sys, litmap\n"
        "print(sorted(m for m in ('pydantic', 'litmap.api', 'litmap.store', 'typer', 'rich') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_add_arxiv_fetches_and_writes_a_new_paper(empty_library: Path, net: HTTPServer) -> None:
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    lib = litmap.open_library(empty_library)
    result = lib.add_arxiv("https://arxiv.org/abs/2209.10652", tags=["to-read"])
    assert [o.paper.key for o in result.added if o.paper] == ["elhage2022toy"]
    paper = lib.get("elhage2022toy")
    assert (paper.title, paper.tags) == ("Toy Models of Superposition", ["to-read"])
    assert (empty_library / "papers" / "elhage2022toy.toml").is_file()
    assert [p.key for p in litmap.open_library(empty_library).search("superposition")] == ["elhage2022toy"]


def test_papers_filter_as_list_does(bundled_copy: Path) -> None:
    lib = litmap.open_library(bundled_copy)
    superposition = lib.papers(category="superposition")
    assert "elhage2022toy" in {p.key for p in superposition}
    assert all(set(lib.taxonomy().descendants("superposition")) & set(p.categories) for p in superposition)
    assert [p.year for p in lib.papers(years="2022..2022", sort="year")] == [2022] * len(lib.papers(years="2022"))
    with pytest.raises(litmap.LitmapError, match="no category 'superpositon'"):
        lib.papers(category="superpositon")


def test_export_takes_every_selection_and_format_option(bundled_copy: Path, tmp_path: Path) -> None:
    lib = litmap.open_library(bundled_copy)
    draft = tmp_path / "draft.tex"
    draft.write_text("As shown \\citep{olah2020zoom}.\n", encoding="utf-8")
    assert re.findall(r"^@\w+\{(\w+),", lib.export("bibtex", drafts=[draft]), re.M) == ["olah2020zoom"]
    csl = lib.export("csl-json", query="author:elhage year:2022")
    assert '"id": "elhage2022toy"' in csl
    assert "abstract = {" in lib.export("bibtex", keys=["elhage2022toy"], abstracts=True)
    with pytest.raises(UnknownKey, match="did you mean 'elhage2022toy'"):
        lib.export("bibtex", keys=["elhage2022toi"])
    assert lib.export("bibtex", keys=["elhage2022toi", "olah2020zoom"], allow_missing=True).count("@") == 1
    with pytest.raises(InvalidValue, match="bibtex export has no option 'asci'"):
        lib.export("bibtex", asci=True)
    with pytest.raises(InvalidValue, match="unknown export format 'bibtx'"):
        lib.export("bibtx")


def test_errors_name_the_parameter_in_python_and_the_flag_on_the_command_line(empty_library: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    lib = litmap.open_library(empty_library)
    with pytest.raises(InvalidValue) as raised:
        lib.add("2209.10652", tags=[" "])
    assert str(raised.value) == "tags: a tag cannot be empty"
    assert invoke("add", "2209.10652", "--tag", " ").stderr == "Error: --tag: a tag cannot be empty\n"
    by_hand = ManualEntry("A Title", authors=["Doe, Jane"], year="soon")
    with pytest.raises(InvalidValue, match=r"^year: "):
        add_manual(lib.store, by_hand)
    typed = invoke("add", "--title", "A Title", "--author", "Doe, Jane", "--year", "soon")
    assert typed.exit_code == 1 and typed.stderr.startswith("Error: --year: ")
