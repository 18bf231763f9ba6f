"""`litmap add` failures: each is one line naming the id and what went wrong, exit 1, nothing written."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sources_support import ARXIV_PATH, fixture_bytes, serve_arxiv, serve_crossref


def fails_cleanly(result: Any, library: Path, *expected: str) -> str:
    """Assert exit 1, a single ``Error:`` line containing ``expected``, and no paper written."""
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for text in expected:
        assert text in lines[0], lines[0]
    assert list((library / "papers").iterdir()) == []
    return lines[0]


def test_unknown_arxiv_id(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_arxiv(net, "2209.99999", fixture_bytes("arxiv/empty-result.atom"))
    fails_cleanly(
        invoke("add", "--arxiv", "2209.99999"), empty_library, "arXiv 2209.99999", "arXiv has no paper with this id"
    )


def test_malformed_arxiv_id_is_refused_before_any_request(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    fails_cleanly(invoke("add", "--arxiv", "2209-10652"), empty_library, "arXiv 2209-10652", "not a valid arXiv id")
    assert net.log == []


def test_malformed_doi(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    fails_cleanly(invoke("add", "--doi", "nature03687"), empty_library, "DOI nature03687", "not a valid DOI")
    assert net.log == []


def test_arxiv_rejecting_the_id_with_400(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    # An id litmap accepts but arXiv refuses: its error feed's message is shown.
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/error-malformed.atom"), status=400)
    line = fails_cleanly(invoke("add", "2209.10652"), empty_library, "arXiv 2209.10652", "HTTP 400")
    assert "incorrect id format for 2209-10652" in line
    assert len(net.log) == 1  # a 400 is never retried


def test_server_error(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_arxiv(net, "2209.10652", b"<html>Internal Server Error</html>", status=500, content_type="text/html")
    fails_cleanly(invoke("add", "2209.10652"), empty_library, "arXiv 2209.10652", "HTTP 500")


def test_persistent_rate_limiting(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_arxiv(
        net, "2209.10652", fixture_bytes("arxiv/rate-limited.txt"), status=429, content_type="text/plain",
        headers={"Retry-After": "0"},
    )  # fmt: skip
    line = fails_cleanly(
        invoke("add", "2209.10652"), empty_library, "arXiv 2209.10652", "rate limited", "Rate exceeded."
    )
    assert "after 3 retries" in line
    assert len(net.log) == 4


def test_a_503_that_clears_up_is_retried_and_succeeds(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    net.expect_ordered_request(ARXIV_PATH).respond_with_data("busy", status=503, headers={"Retry-After": "0"})
    net.expect_ordered_request(ARXIV_PATH).respond_with_data(
        fixture_bytes("arxiv/2209.10652.atom"), content_type="application/atom+xml; charset=utf-8"
    )
    result = invoke("add", "2209.10652")
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (empty_library / "papers").iterdir()] == ["elhage2022toy.toml"]


def test_malformed_xml(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    truncated = fixture_bytes("arxiv/2209.10652.atom")[:900]
    serve_arxiv(net, "2209.10652", truncated)
    fails_cleanly(invoke("add", "2209.10652"), empty_library, "arXiv 2209.10652", "not well-formed XML")


def test_malformed_json(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_crossref(net, "10.1038/nature03687", fixture_bytes("crossref/10.1038_nature03687.json")[:400])
    fails_cleanly(invoke("add", "10.1038/nature03687"), empty_library, "DOI 10.1038/nature03687", "not valid JSON")


def test_unknown_doi(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_crossref(net, "10.1038/nature99999999", fixture_bytes("crossref/not-found.txt"), status=404)
    fails_cleanly(
        invoke("add", "--doi", "10.1038/nature99999999"),
        empty_library,
        "DOI 10.1038/nature99999999",
        "Crossref has no record",
    )


def test_no_network_connection_refused(empty_library: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("LITMAP_ARXIV_API", f"http://127.0.0.1:{port}/api/query")
    fails_cleanly(invoke("add", "2209.10652"), empty_library, "arXiv 2209.10652", "connection refused")


def test_dns_failure(empty_library: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    fails_cleanly(
        invoke("add", "--doi", "10.1038/nature03687"), empty_library, "DOI 10.1038/nature03687",
        "cannot resolve host api.crossref.org",
    )  # fmt: skip


def test_timeout(net: HTTPServer, empty_library: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    answered = threading.Event()  # the late answer must be logged before this test ends, not in the next one

    def slow(request: Request) -> Response:
        time.sleep(1.0)
        answered.set()
        return Response(fixture_bytes("arxiv/2209.10652.atom"))

    net.expect_request(ARXIV_PATH).respond_with_handler(slow)
    monkeypatch.setenv("LITMAP_HTTP_TIMEOUT", "0.2")
    fails_cleanly(invoke("add", "2209.10652"), empty_library, "arXiv 2209.10652", "did not answer within 0.2 s")
    answered.wait(5)
    time.sleep(0.2)


def test_a_bad_setting_is_named(
    net: HTTPServer, empty_library: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITMAP_ARXIV_DELAY", "three")
    fails_cleanly(invoke("add", "2209.10652"), empty_library, "$LITMAP_ARXIV_DELAY", "not a number: 'three'")


def test_import_of_a_file_without_entries_says_so(invoke, empty_library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.bib"
    empty.write_text("% nothing here\n", encoding="utf-8")
    result = invoke("import", str(empty))
    assert result.exit_code == 1
    assert result.stderr == "Error: empty.bib: no BibTeX entries found\n"
    binary = tmp_path / "tool.bib"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    result = invoke("import", str(binary))
    assert result.exit_code == 1
    assert "not a BibTeX file" in result.stderr
    assert list((empty_library / "papers").iterdir()) == []
