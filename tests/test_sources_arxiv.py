"""arXiv: parsing recorded Atom answers, and fetching them from a local server in polite batches."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from litmap.errors import SourceError
from litmap.models import Author
from litmap.sources.arxiv import ArxivSource, parse_feed, query_id, split_display_name
from litmap.sources.http import HttpClient, HttpSettings
from sources_support import ARXIV_PATH, arxiv_requests, combined_feed, fixture_bytes, serve_arxiv
from test_sources_http import FakeTime


def feed(name: str) -> str:
    return fixture_bytes(f"arxiv/{name}").decode("utf-8")


def test_toy_models_entry_has_every_field() -> None:
    paper = parse_feed(feed("2209.10652.atom")).papers["2209.10652"]
    assert paper.title == "Toy Models of Superposition"
    assert len(paper.authors) == 16
    assert paper.authors[0] == Author(family="Elhage", given="Nelson")
    assert paper.authors[6] == Author(family="Hatfield-Dodds", given="Zac")
    assert paper.authors[-1] == Author(family="Olah", given="Christopher")
    assert paper.year == 2022 and paper.month == 9
    assert paper.arxiv == "2209.10652"
    assert paper.url == "https://arxiv.org/abs/2209.10652"
    assert paper.extra["primaryclass"] == "cs.LG"
    assert paper.doi is None and paper.venue is None
    assert paper.type == "misc"
    assert paper.abstract is not None
    assert paper.abstract.startswith(
        "Neural networks often pack many unrelated concepts into a single neuron - a puzzling"
    )
    assert "\n" not in paper.abstract


def test_year_is_that_of_the_first_version_not_the_latest() -> None:
    paper = parse_feed(feed("2202.05262.atom")).papers["2202.05262"]
    assert paper.year == 2022  # published 2022-02-10; v5 is from 2023
    assert paper.extra["primaryclass"] == "cs.CL"
    assert [a.family for a in paper.authors] == ["Meng", "Bau", "Andonian", "Belinkov"]


def test_line_broken_title_doi_and_journal_reference() -> None:
    paper = parse_feed(feed("1710.08557.atom")).papers["1710.08557"]
    assert paper.title == "On Neuromechanical Approaches for the Study of Biological Grasp and Manipulation"
    assert paper.doi == "10.1186/s12984-017-0305-3"
    assert paper.venue == "Journal of NeuroEngineering and Rehabilitation, 2017"
    assert paper.type == "article"
    assert paper.authors[0] == Author(family="Valero-Cuevas", given="Francisco J")


def test_an_unknown_id_gives_an_empty_feed() -> None:
    result = parse_feed(feed("empty-result.atom"))
    assert result.papers == {} and result.error is None


def test_the_error_feed_is_recognised_with_its_message() -> None:
    result = parse_feed(feed("error-malformed.atom"))
    assert result.error == "incorrect id format for 2209-10652"
    assert result.papers == {}


def test_old_style_ids_keep_their_slash_and_tex_names_are_decoded() -> None:
    papers = parse_feed(feed("old-style-synthetic.atom")).papers
    assert set(papers) == {"math/0309136", "hep-th/9901001"}
    assert papers["math/0309136"].title == "Synthetic Record for an Old-Style Identifier with a Subject Class"
    assert papers["math/0309136"].url == "https://arxiv.org/abs/math/0309136"
    assert papers["hep-th/9901001"].authors == [
        Author(family="van der Probe", given="Jörg"),
        Author(family="OpenAI"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>cut off",
        "Rate exceeded.",
        "",
        "<html><body>Service Unavailable</body></html>",
    ],
)
def test_malformed_answers_raise_a_source_error(body: str) -> None:
    with pytest.raises(SourceError, match=r"not well-formed XML|not an Atom feed"):
        parse_feed(body)


def test_entity_expansion_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol2;</title></entry></feed>'
    )
    with pytest.raises(SourceError, match="refuses to expand"):
        parse_feed(bomb)


@pytest.mark.parametrize(
    ("pasted", "asked"),
    [
        ("2209.10652", "2209.10652"),
        ("2209.10652v2", "2209.10652v2"),
        ("arXiv:2209.10652", "2209.10652"),
        ("https://arxiv.org/abs/2209.10652v1", "2209.10652v1"),
        ("https://arxiv.org/pdf/2209.10652.pdf", "2209.10652"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("math.GT/0309136", "math/0309136"),
    ],
)
def test_pasted_forms_become_the_id_arxiv_matches(pasted: str, asked: str) -> None:
    assert query_id(pasted) == asked


def test_display_names_split_like_bibtex() -> None:
    assert split_display_name("Anna van der Berg") == Author(family="van der Berg", given="Anna")
    assert split_display_name(" OpenAI") == Author(family="OpenAI")
    assert split_display_name("Christopher  Olah") == Author(family="Olah", given="Christopher")


# -- fetching --------------------------------------------------------------------------------------


def source(server: HTTPServer, fake: FakeTime, batch_size: int = 50, delay: float = 3.0) -> ArxivSource:
    http = HttpClient(HttpSettings(retries=1), sleep=fake.sleep)
    return ArxivSource(
        http, server.url_for(ARXIV_PATH), delay=delay, batch_size=batch_size, clock=fake.clock, sleep=fake.sleep
    )


def test_several_ids_go_in_one_request_and_are_matched_by_id(httpserver: HTTPServer) -> None:
    serve_arxiv(
        httpserver,
        "2209.10652,2202.05262,1710.08557",
        combined_feed("1710.08557.atom", "2209.10652.atom", "2202.05262.atom"),
    )
    lookups = list(source(httpserver, FakeTime()).fetch(["2209.10652", "2202.05262", "1710.08557"]))
    assert len(httpserver.log) == 1
    found = {lookup.id: lookup.paper.title for lookup in lookups if lookup.paper}
    assert found == {
        "2209.10652": "Toy Models of Superposition",
        "2202.05262": "Locating and Editing Factual Associations in GPT",
        "1710.08557": "On Neuromechanical Approaches for the Study of Biological Grasp and Manipulation",
    }


def test_an_id_missing_from_the_answer_is_reported_alone(httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "2209.10652,2209.99999", fixture_bytes("arxiv/2209.10652.atom"))
    lookups = {lu.id: lu for lu in source(httpserver, FakeTime()).fetch(["2209.10652", "2209.99999"])}
    assert lookups["2209.10652"].paper is not None
    assert lookups["2209.99999"].paper is None
    assert lookups["2209.99999"].error == "arXiv has no paper with this id"


def test_batches_are_spaced_three_seconds_apart(httpserver: HTTPServer) -> None:
    fake = FakeTime()
    serve_arxiv(httpserver, "2209.10652,2202.05262", combined_feed("2202.05262.atom", "2209.10652.atom"))
    serve_arxiv(httpserver, "1710.08557,2209.99999", fixture_bytes("arxiv/1710.08557.atom"))
    serve_arxiv(httpserver, "hep-th/9901001", fixture_bytes("arxiv/old-style-synthetic.atom"))
    ids = ["2209.10652", "2202.05262", "1710.08557", "2209.99999", "hep-th/9901001"]
    lookups = list(source(httpserver, fake, batch_size=2).fetch(ids))
    assert arxiv_requests(httpserver) == ["2209.10652,2202.05262", "1710.08557,2209.99999", "hep-th/9901001"]
    assert fake.sleeps == [3.0, 3.0]  # before the 2nd and 3rd request, none before the 1st
    assert [lu.id for lu in lookups if lu.paper] == ["2209.10652", "2202.05262", "1710.08557", "hep-th/9901001"]


def test_a_400_error_feed_fails_the_batch_with_arxivs_message(httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "2209-10652", fixture_bytes("arxiv/error-malformed.atom"), status=400)
    (lookup,) = source(httpserver, FakeTime()).fetch(["2209-10652"])
    assert lookup.error is not None
    assert "HTTP 400" in lookup.error
    assert "incorrect id format for 2209-10652" in lookup.error
    assert len(httpserver.log) == 1


def test_an_error_feed_sent_with_200_is_still_an_error(httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "2209.10652", fixture_bytes("arxiv/error-malformed.atom"), status=200)
    (lookup,) = source(httpserver, FakeTime()).fetch(["2209.10652"])
    assert lookup.error == "arXiv refused the request: incorrect id format for 2209-10652"


def test_rate_limiting_is_retried_then_reported_with_arxivs_body(httpserver: HTTPServer) -> None:
    fake = FakeTime()
    serve_arxiv(
        httpserver, "2209.10652", fixture_bytes("arxiv/rate-limited.txt"), status=429, content_type="text/plain"
    )
    (lookup,) = source(httpserver, fake).fetch(["2209.10652"])
    assert len(httpserver.log) == 2  # one retry (retries=1), then give up
    assert fake.sleeps == [3.0]
    assert lookup.error is not None
    assert "rate limited" in lookup.error and "'Rate exceeded.'" in lookup.error
