"""Crossref: parsing a recorded work record, and fetching it politely from a local server."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from litmap.errors import SourceError
from litmap.models import Author
from litmap.sources.crossref import CrossrefSource, jats_to_text, parse_work
from litmap.sources.http import HttpClient, HttpSettings
from sources_support import CROSSREF_PATH, fixture_bytes, serve_crossref
from test_sources_http import FakeTime

NATURE = fixture_bytes("crossref/10.1038_nature03687.json").decode("utf-8")


def test_work_record_becomes_a_paper() -> None:
    paper = parse_work(NATURE)
    assert paper.title == "Invariant visual representation by single neurons in the human brain"
    assert paper.authors[0] == Author(family="Quiroga", given="R. Quian")
    assert [a.family for a in paper.authors] == ["Quiroga", "Reddy", "Kreiman", "Koch", "Fried"]
    assert (paper.year, paper.month) == (2005, 6)
    assert paper.venue == "Nature"
    assert (paper.volume, paper.pages) == ("435", "1102--1107")
    assert paper.extra["number"] == "7045"
    assert paper.doi == "10.1038/nature03687"
    assert paper.url == "https://doi.org/10.1038/nature03687"
    assert paper.type == "article"


def test_organisations_undated_records_subtitles_and_unknown_keys() -> None:
    message = json.loads(NATURE)
    work = message["message"]
    work["author"] = [{"name": "The ATLAS Collaboration", "sequence": "first"}]
    work["issued"] = {"date-parts": [[None]]}
    del work["published"], work["published-print"]
    work["subtitle"] = ["A Study"]
    work["type"] = "posted-content"
    work["indexed"] = {"date-parts": [[2026, 1, 1]]}
    paper = parse_work(json.dumps(message))
    assert paper.authors == [Author(family="The ATLAS Collaboration")]
    assert paper.year is None
    assert paper.title.endswith(": A Study")
    assert paper.type == "misc"


def test_jats_abstracts_become_plain_paragraphs() -> None:
    jats = (
        "<jats:title>Abstract</jats:title><jats:p>First &amp; <jats:italic>foremost</jats:italic>.</jats:p>"
        "<jats:p>Second.</jats:p>"
    )
    assert jats_to_text(jats) == "First & foremost.\n\nSecond."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"status":"ok","message-type":"work","message":{"title":["cut', "not valid JSON"),
        ("Resource not found.", "not valid JSON"),
        ('{"status":"failed","message-type":"validation-failure","message":[]}', "not a work record"),
        ('{"status":"ok","message-type":"work","message":{"title":[]}}', "has no title"),
    ],
)
def test_malformed_answers_raise_a_source_error(body: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_work(body)


def crossref(server: HTTPServer, contact: str | None = None) -> CrossrefSource:
    fake = FakeTime()
    http = HttpClient(HttpSettings(contact_email=contact), sleep=fake.sleep)
    return CrossrefSource(http, server.url_for(CROSSREF_PATH), contact, clock=fake.clock, sleep=fake.sleep)


def test_fetch_puts_the_doi_in_the_path_and_asks_for_the_polite_pool(httpserver: HTTPServer) -> None:
    serve_crossref(httpserver, "10.1038/nature03687", NATURE.encode())
    (lookup,) = crossref(httpserver, contact="me@example.org").fetch(["10.1038/nature03687"])
    assert lookup.paper is not None and lookup.paper.venue == "Nature"
    request = httpserver.log[0][0]
    assert request.path == f"{CROSSREF_PATH}/works/10.1038/nature03687"
    assert request.args["mailto"] == "me@example.org"
    assert "mailto:me@example.org" in request.headers["User-Agent"]


def test_unknown_doi_is_a_404_with_a_plain_text_body(httpserver: HTTPServer) -> None:
    serve_crossref(httpserver, "10.1038/nature99999999", fixture_bytes("crossref/not-found.txt"), status=404)
    (lookup,) = crossref(httpserver).fetch(["10.1038/nature99999999"])
    assert lookup.paper is None
    assert lookup.error is not None and lookup.error.startswith("Crossref has no record of this DOI")


def test_unsafe_characters_of_a_doi_are_escaped_in_the_path(httpserver: HTTPServer) -> None:
    source = crossref(httpserver)
    assert source.work_url("10.1002/(SICI)1097-4571#x?y").endswith("/works/10.1002/(SICI)1097-4571%23x%3Fy")


def test_a_server_error_names_the_status(httpserver: HTTPServer) -> None:
    serve_crossref(httpserver, "10.1038/nature03687", b"oops", status=500)
    (lookup,) = crossref(httpserver).fetch(["10.1038/nature03687"])
    assert lookup.error is not None and "HTTP 500" in lookup.error and "'oops'" in lookup.error
