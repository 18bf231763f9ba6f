"""A new source is one registration: a toy source, registered here, works through `litmap add` and `check`.

Nothing in litmap is edited for it: the option ``--toy``, recognising a bare ``toy:N``, the duplicate
check before fetching, the base URL from ``[sources] toy_api`` or ``$LITMAP_TOY_API`` and check's
validation of ``[sources]`` all come from the registration.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from litmap.keys import PLACEHOLDER_KEY
from litmap.models import Author, Paper
from litmap.sources import Lookup, Setting, SourceContext, SourceType, register_source, unregister_source
from litmap.sources.http import FetchError

_TOY_ID = re.compile(r"^toy:(\d+)$", re.IGNORECASE)


def _toy_ids(text: str) -> tuple[str, str]:
    match = _TOY_ID.match(text.strip())
    if not match:
        raise ValueError(f"not a toy id: {text!r}")
    bare = f"toy:{int(match.group(1))}"
    return bare, bare


class ToySource:
    """Fetches ``GET <toy_api>/<number>`` -> {"title": ..., "author": ...} from the local server."""

    def __init__(self, context: SourceContext) -> None:
        self.client = context.client
        self.api = context["toy_api"]

    def fetch(self, ids: Sequence[str]) -> Iterator[Lookup]:
        for toy in ids:
            try:
                record = json.loads(self.client.get(f"{self.api}/{toy.split(':')[1]}"))
            except FetchError as exc:
                yield Lookup(toy, error=f"the toy server says {exc.status}")
                continue
            paper = Paper(
                key=PLACEHOLDER_KEY,
                title=record["title"],
                authors=[Author.parse(record["author"])],
                year=2024,
                note=toy,
            )
            yield Lookup(toy, paper=paper)


TOY = SourceType(
    name="toy",
    label="Toy",
    normalize=_toy_ids,
    open=ToySource,
    noun="a toy id",
    expected="a toy id (expected e.g. toy:7)",
    help="A toy id, fetched from the toy server (repeatable).",
    settings=(Setting("toy_api", "https://toy.invalid", "LITMAP_TOY_API", "the toy server"),),
)


@pytest.fixture
def toy(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[HTTPServer]:
    register_source(TOY)
    monkeypatch.setenv("LITMAP_TOY_API", httpserver.url_for("/toy"))
    httpserver.expect_request("/toy/7").respond_with_json({"title": "Seven Toy Circuits", "author": "Olah, Chris"})
    httpserver.expect_request("/toy/8").respond_with_json({"title": "Eight Toy Features", "author": "Elhage, Nelson"})
    yield httpserver
    unregister_source("toy")


def test_a_registered_source_is_an_add_option(invoke, empty_library: Path, toy: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    assert "--toy" in invoke("add", "--help").stdout
    result = invoke("add", "--toy", "TOY:7", "--tag", "toys")
    assert result.exit_code == 0, result.stderr
    assert "Added olah2024seven: Seven Toy Circuits" in result.stdout
    text = (empty_library / "papers" / "olah2024seven.toml").read_text(encoding="utf-8")
    assert 'note = "toy:7"' in text and '"toys"' in text


def test_a_bare_identifier_is_recognised_by_its_source(invoke, empty_library: Path, toy: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    result = invoke("add", "toy:8", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"][0]["key"] == "elhage2024eight"


def test_a_malformed_id_names_what_the_source_expects(invoke, empty_library: Path, toy: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    result = invoke("add", "--toy", "seven")
    assert result.exit_code == 1
    assert "Error: Toy seven: not a toy id (expected e.g. toy:7)" in result.stderr
    assert "not an arXiv id, a DOI, a toy id or a .bib file" in invoke("add", "nonsense").stderr


def test_the_base_url_comes_from_the_library_settings(
    invoke, empty_library: Path, toy: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LITMAP_TOY_API")
    config = empty_library / "litmap.toml"
    config.write_text(config.read_text(encoding="utf-8") + f'toy_api = "{toy.url_for("/toy")}"\n', encoding="utf-8")
    result = invoke("add", "--toy", "toy:7")
    assert result.exit_code == 0, result.stderr
    assert invoke("check").exit_code == 0


def test_check_flags_settings_no_source_reads(invoke, empty_library: Path, toy: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    config = empty_library / "litmap.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'toy_apy = "http://127.0.0.1:9"\narxiv_delay = "slow"\n',
        encoding="utf-8",
    )
    result = invoke("check")
    assert result.exit_code == 1
    assert "[sources] toy_apy: unknown setting" in result.stderr
    assert "toy_api" in result.stderr  # the known keys include the toy source's
    assert "[sources] arxiv_delay: must be a non-negative number (got 'slow')" in result.stderr


def test_a_paper_already_held_is_not_added_twice(invoke, empty_library: Path, toy: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    assert invoke("add", "--toy", "toy:7").exit_code == 0
    again = invoke("add", "--toy", "toy:7")
    assert again.exit_code == 0
    assert "Already in the library: olah2024seven" in again.stdout
    assert len(list((empty_library / "papers").glob("*.toml"))) == 1
