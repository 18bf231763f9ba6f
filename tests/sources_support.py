"""Helpers for tests of the network sources: recorded answers served by a local pytest-httpserver."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
ARXIV_PATH = "/api/query"
CROSSREF_PATH = "/crossref"
DBLP_PATH = "/dblp/search/publ/api"
S2_PATH = "/s2"
CROSSREF_HEADERS = {
    "x-api-pool": "public",
    "x-rate-limit-limit": "5",
    "x-rate-limit-interval": "1s",
    "x-concurrency-limit": "1",
}


def fixture_bytes(name: str) -> bytes:
    """A recorded body, byte for byte."""
    return (FIXTURES / name).read_bytes()


def combined_feed(*names: str) -> bytes:
    """One arXiv feed holding the entries of several recorded answers, in the order given.

    arXiv returns the entries of ``id_list=a,b,c`` in no guaranteed order; tests pass the names in
    an order different from the request's to prove entries are matched by id.
    """
    texts = [fixture_bytes(f"arxiv/{name}").decode("utf-8") for name in names]
    head = texts[0].split("  <entry>", 1)[0]
    head = re.sub(r"<opensearch:totalResults>\d+<", f"<opensearch:totalResults>{len(names)}<", head)
    entries = ["  <entry>" + text.split("  <entry>", 1)[1].rsplit("</feed>", 1)[0] for text in texts]
    return (head + "".join(entries) + "</feed>\n").encode("utf-8")


def serve_arxiv(
    server: HTTPServer,
    id_list: str,
    body: bytes,
    status: int = 200,
    content_type: str = ATOM_TYPE,
    headers: dict[str, str] | None = None,
) -> None:
    """Answer ``GET /api/query?id_list=<id_list>&max_results=<n>`` with ``body``."""
    count = str(len(id_list.split(",")))
    server.expect_request(
        ARXIV_PATH, method="GET", query_string={"id_list": id_list, "max_results": count}
    ).respond_with_data(body, status=status, content_type=content_type, headers=headers)


def serve_crossref(server: HTTPServer, doi: str, body: bytes, status: int = 200, content_type: str = "") -> None:
    """Answer ``GET /crossref/works/<doi>`` with ``body``."""
    server.expect_request(f"{CROSSREF_PATH}/works/{doi}", method="GET").respond_with_data(
        body,
        status=status,
        content_type=content_type or ("application/json" if status == 200 else "text/plain"),
        headers=CROSSREF_HEADERS,
    )


def arxiv_requests(server: HTTPServer) -> list[str]:
    """The ``id_list`` of every request the arXiv endpoint received, in order."""
    return [req.args.get("id_list", "") for req, _resp in server.log if req.path == ARXIV_PATH]


def point_sources_at(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Send arXiv, Crossref, DBLP and Semantic Scholar requests to ``server``, with no polite delays."""
    monkeypatch.setenv("LITMAP_ARXIV_API", server.url_for(ARXIV_PATH))
    monkeypatch.setenv("LITMAP_CROSSREF_API", server.url_for(CROSSREF_PATH))
    monkeypatch.setenv("LITMAP_DBLP_API", server.url_for(DBLP_PATH))
    monkeypatch.setenv("LITMAP_S2_API", server.url_for(S2_PATH))
    for name in ("LITMAP_ARXIV_DELAY", "LITMAP_DBLP_DELAY", "LITMAP_S2_DELAY"):
        monkeypatch.setenv(name, "0")
