"""`litmap refresh`: a record fetched again from its source, against a local server replaying arXiv's answer.

``add --arxiv`` records the paper's provenance; a field edited by hand since is the user's and is
never overwritten, while the source's own fields take the source's new values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

from litmap.store import Library
from sources_support import fixture_bytes, serve_arxiv

KEY = "elhage2022toy"
TITLE = "Toy Models of Superposition"


def add_toy_models(net: HTTPServer, invoke: Any, library: Path) -> Path:
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    assert invoke("add", "--arxiv", "2209.10652").exit_code == 0
    net.clear()
    return library / "papers" / f"{KEY}.toml"


def revised_answer(title: str) -> bytes:
    """arXiv's answer after the authors revised the title (the rest as recorded)."""
    return fixture_bytes("arxiv/2209.10652.atom").replace(
        f"<title>{TITLE}</title>".encode(), f"<title>{title}</title>".encode()
    )


def test_add_records_where_each_field_came_from(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    path = add_toy_models(net, invoke, empty_library)
    provenance = Library(empty_library).get(KEY).provenance
    assert provenance is not None
    assert (provenance["source"], provenance["id"]) == ("arxiv", "2209.10652")
    assert {"title", "authors", "year", "month", "released", "abstract", "arxiv", "url"} <= set(provenance["fields"])
    assert "tags" not in provenance["fields"] and "added" not in provenance["fields"]
    assert path.read_text(encoding="utf-8").count('\nprovenance = {source = "arxiv", id = "2209.10652"') == 1
    assert invoke("check").exit_code == 0


def test_refresh_takes_the_sources_changes_and_keeps_hand_edits(
    net: HTTPServer, empty_library: Path, invoke: Any
) -> None:
    path = add_toy_models(net, invoke, empty_library)
    text = path.read_text(encoding="utf-8")
    abstract = Library(empty_library).get(KEY).abstract or ""
    path.write_text(text.replace(abstract, "My own summary of the paper."), encoding="utf-8")  # a hand edit
    assert invoke("tag", KEY, "+to-read").exit_code == 0
    serve_arxiv(net, "2209.10652", revised_answer("Toy Models of Superposition, Revised"))

    dry = invoke("refresh", KEY, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout.splitlines()[0] == f"{KEY}: 1 field(s) changed; kept your edits of abstract"
    assert "    title     Toy Models of Superposition -> Toy Models of Superposition, Revised" in dry.stdout
    assert f"Would update {KEY}; nothing written." in dry.stdout
    assert Library(empty_library).get(KEY).title == TITLE

    serve_arxiv(net, "2209.10652", revised_answer("Toy Models of Superposition, Revised"))
    applied = invoke("refresh", KEY)
    assert applied.exit_code == 0, applied.stderr
    paper = Library(empty_library).get(KEY)
    assert paper.title == "Toy Models of Superposition, Revised"
    assert paper.abstract == "My own summary of the paper."
    assert paper.tags == ["to-read"]
    assert paper.provenance is not None and "abstract" not in paper.provenance["fields"]  # the user's from now on
    assert invoke("check").exit_code == 0

    serve_arxiv(net, "2209.10652", revised_answer("Toy Models of Superposition, Revised"))
    again = invoke("refresh", KEY, "--json")
    (result,) = json.loads(again.stdout)
    assert result == {"key": KEY, "changes": {}, "kept": ["abstract"], "error": None}


def test_an_upgraded_year_is_kept_and_papers_without_a_source_are_named(
    net: HTTPServer, empty_library: Path, invoke: Any, make_paper_file: Any
) -> None:
    path = add_toy_models(net, invoke, empty_library)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("year = 2022\n", "year = 2023\n"), encoding="utf-8")  # as `upgrade` would
    make_paper_file(empty_library, "typed2020byhand", year=2020)
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    result = invoke("refresh", KEY, "typed2020byhand")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{KEY}: up to date; kept your edits of year",
        "typed2020byhand: no recorded source (added by hand or imported)",
    ]
    assert Library(empty_library).get(KEY).year == 2023


def test_refresh_needs_papers(invoke: Any, empty_library: Path) -> None:
    result = invoke("refresh")
    assert result.exit_code != 0
    assert "name the papers to refresh: KEY... or --all" in result.stderr
