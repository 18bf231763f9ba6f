"""The HTTP client: User-Agent, retries on 429/503 honouring Retry-After, no retry on 400, clear failures."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from litmap.sources.http import FetchError, HttpClient, HttpSettings, RateLimiter, retry_after_seconds


class FakeTime:
    """A clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def client(fake_time: FakeTime, **settings: object) -> HttpClient:
    return HttpClient(HttpSettings(**settings), sleep=fake_time.sleep)  # type: ignore[arg-type]


def test_user_agent_names_litmap_and_the_contact_address(httpserver: HTTPServer, fake_time: FakeTime) -> None:
    httpserver.expect_request("/x").respond_with_data("ok")
    with client(fake_time, contact_email="me@example.org") as http:
        assert http.get(httpserver.url_for("/x")) == "ok"
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert agent.startswith("litmap/")
    assert "mailto:me@example.org" in agent


def test_429_is_retried_after_the_retry_after_delay(httpserver: HTTPServer, fake_time: FakeTime) -> None:
    httpserver.expect_ordered_request("/x").respond_with_data(
        "Rate exceeded.", status=429, headers={"Retry-After": "7"}, content_type="text/plain"
    )
    httpserver.expect_ordered_request("/x").respond_with_data("feed")
    with client(fake_time) as http:
        assert http.get(httpserver.url_for("/x")) == "feed"
    assert fake_time.sleeps == [7.0]
    assert len(httpserver.log) == 2


def test_503_without_retry_after_backs_off_longer_each_time(httpserver: HTTPServer, fake_time: FakeTime) -> None:
    for _ in range(3):
        httpserver.expect_ordered_request("/x").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/x").respond_with_data("finally")
    with client(fake_time, backoff=3.0, retries=3) as http:
        assert http.get(httpserver.url_for("/x")) == "finally"
    assert fake_time.sleeps == [3.0, 6.0, 12.0]


def test_persistent_429_gives_up_after_the_retries_with_a_clear_message(
    httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    httpserver.expect_request("/x").respond_with_data("Rate exceeded.", status=429, content_type="text/plain")
    with client(fake_time, retries=2) as http, pytest.raises(FetchError) as caught:
        http.get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 3
    assert caught.value.status == 429
    assert caught.value.body == "Rate exceeded."
    assert "rate limited by localhost" in str(caught.value)
    assert "after 2 retries" in str(caught.value)


def test_a_400_is_never_retried(httpserver: HTTPServer, fake_time: FakeTime) -> None:
    httpserver.expect_request("/x").respond_with_data("bad", status=400)
    with client(fake_time) as http, pytest.raises(FetchError) as caught:
        http.get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 1
    assert fake_time.sleeps == []
    assert caught.value.status == 400
    assert "HTTP 400" in str(caught.value)


def test_a_retry_after_beyond_the_longest_wait_fails_at_once(httpserver: HTTPServer, fake_time: FakeTime) -> None:
    httpserver.expect_request("/x").respond_with_data("later", status=503, headers={"Retry-After": "3600"})
    with client(fake_time, max_wait=60) as http, pytest.raises(FetchError):
        http.get(httpserver.url_for("/x"))
    assert fake_time.sleeps == []
    assert len(httpserver.log) == 1


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_connection_refused_is_one_clear_line(fake_time: FakeTime) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (
        client(fake_time) as http,
        pytest.raises(FetchError, match=r"cannot connect to 127\.0\.0\.1:\d+: connection refused"),
    ):
        http.get(f"http://127.0.0.1:{port}/api/query")


def test_dns_failure_is_reported_as_such(fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with client(fake_time) as http, pytest.raises(FetchError, match=r"cannot resolve host export\.arxiv\.org"):
        http.get("https://export.arxiv.org/api/query?id_list=2209.10652")


def test_a_server_that_does_not_answer_in_time_is_a_timeout(httpserver: HTTPServer, fake_time: FakeTime) -> None:
    answered = threading.Event()  # the late answer must be logged before this test ends, not in the next one

    def slow(request: Request) -> Response:
        time.sleep(1.0)
        answered.set()
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with client(fake_time, read_timeout=0.2) as http, pytest.raises(FetchError, match=r"did not answer within 0\.2 s"):
        http.get(httpserver.url_for("/slow"))
    answered.wait(5)
    time.sleep(0.2)


def test_rate_limiter_spaces_calls_by_the_interval(fake_time: FakeTime) -> None:
    limiter = RateLimiter(3.0, clock=fake_time.clock, sleep=fake_time.sleep)
    limiter.wait()
    fake_time.now += 1.0  # one second of work between two requests
    limiter.wait()
    limiter.wait()
    assert fake_time.sleeps == [pytest.approx(2.0), pytest.approx(3.0)]


def test_rate_limiter_with_no_interval_never_sleeps(fake_time: FakeTime) -> None:
    limiter = RateLimiter(0.0, clock=fake_time.clock, sleep=fake_time.sleep)
    for _ in range(5):
        limiter.wait()
    assert fake_time.sleeps == []


def test_rate_limiter_holds_across_processes_through_its_stamp(fake_time: FakeTime, tmp_path: Path) -> None:
    stamp = tmp_path / "cache" / "arxiv-last-request"
    first = RateLimiter(3.0, clock=fake_time.clock, sleep=fake_time.sleep, stamp=stamp)
    first.wait()
    fake_time.now += 0.5
    second = RateLimiter(3.0, clock=fake_time.clock, sleep=fake_time.sleep, stamp=stamp)  # a new `litmap add`
    second.wait()
    assert fake_time.sleeps == [pytest.approx(2.5)]
    fake_time.now += 10.0
    RateLimiter(3.0, clock=fake_time.clock, sleep=fake_time.sleep, stamp=stamp).wait()
    assert len(fake_time.sleeps) == 1


def test_a_stamp_from_a_clock_set_back_never_stalls(fake_time: FakeTime, tmp_path: Path) -> None:
    stamp = tmp_path / "arxiv-last-request"
    stamp.write_text(repr(fake_time.now + 86400), encoding="ascii")
    RateLimiter(3.0, clock=fake_time.clock, sleep=fake_time.sleep, stamp=stamp).wait()
    assert fake_time.sleeps == [3.0]
