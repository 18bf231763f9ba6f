"""The only HTTP client litmap uses: timeouts, polite retries, rate limits, a descriptive User-Agent.

Every failure comes out as a :class:`FetchError` whose message says what went wrong in words a user
understands ("cannot resolve host ...", "did not answer within 20 s", "HTTP 503 ..."); callers add
the identifier it was about. ``httpx`` is imported only when a request is made.
"""

from __future__ import annotations

import contextlib
import email.utils
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from litmap import __version__
from litmap.errors import SourceError

if TYPE_CHECKING:
    import httpx

#: Statuses worth another try after a pause: throttling and passing outages.
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class FetchError(SourceError):
    """A request that failed: no answer, or an answer with an error status."""

    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class HttpSettings:
    """How the client behaves; built from the library's ``[sources]`` settings."""

    contact_email: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 3.0
    max_wait: float = 120.0

    @property
    def user_agent(self) -> str:
        """``litmap/0.1.0 (...; mailto:you@example.org)``: who is asking and how to reach them."""
        contact = f"mailto:{self.contact_email}" if self.contact_email else "no contact address configured"
        return f"litmap/{__version__} (command-line bibliography manager; {contact})"


@dataclass
class RateLimiter:
    """At most one :meth:`wait` per ``interval`` seconds, across processes when given a ``stamp`` file.

    The stamp holds the wall-clock time of the last request, so that a shell loop of
    ``litmap add --arxiv ...`` stays within the service's limit too. Clock and sleep are injectable.
    """

    interval: float
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    stamp: Path | None = None
    _last: float | None = field(default=None, init=False)

    def wait(self) -> None:
        """Block until ``interval`` seconds have passed since the previous request."""
        if self.interval > 0:
            last = max(self._last or 0.0, self._read_stamp()) or None
            if last is not None:
                remaining = last + self.interval - self.clock()
                if remaining > 0:
                    self.sleep(min(remaining, self.interval))  # a clock set back cannot stall us
        self._last = self.clock()
        self._write_stamp(self._last)

    def _read_stamp(self) -> float:
        if self.stamp is None:
            return 0.0
        try:
            return float(self.stamp.read_text(encoding="ascii"))
        except (OSError, ValueError):
            return 0.0

    def _write_stamp(self, when: float) -> None:
        if self.stamp is None or self.interval <= 0:
            return
        with contextlib.suppress(OSError):
            self.stamp.parent.mkdir(parents=True, exist_ok=True)
            self.stamp.write_text(repr(when), encoding="ascii")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), if valid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def describe_transport_error(exc: Exception, host: str, settings: HttpSettings) -> str:
    """One line saying why a request got no answer (DNS, refused, timeout, dropped connection)."""
    import httpx

    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect to {host} within {settings.connect_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"{host} did not answer within {settings.read_timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        if any(
            s in lowered
            for s in ("name or service not known", "nodename nor servname", "name resolution", "no address associated")
        ):
            return f"cannot resolve host {host} (DNS failure: is the network up?)"
        if "refused" in lowered:
            return f"cannot connect to {host}: connection refused"
        if "unreachable" in lowered:
            return f"cannot reach {host}: the network is unreachable"
        return f"cannot connect to {host}: {text or type(exc).__name__}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{host} closed the connection without a complete answer"
    return f"request to {host} failed: {text or type(exc).__name__}"


def short_body(text: str, limit: int = 120) -> str:
    """A response body squeezed to one short line, for error messages."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


_request_notice: list[Callable[[str | None], None]] = []


def set_request_notice(notice: Callable[[str | None], None] | None) -> None:
    """Call ``notice(host)`` when a request to ``host`` goes out (or waits its turn), ``notice(None)``
    when it is over. The sources never print: the command line shows which server it waits for."""
    _request_notice[:] = [notice] if notice else []


@contextlib.contextmanager
def asking(host: str) -> Iterator[None]:
    """Tell the request notice that ``host`` is being asked while the block runs."""
    for notice in _request_notice:
        notice(host)
    try:
        yield
    finally:
        for notice in _request_notice:
            notice(None)


def host_of(url: str) -> str:
    """``export.arxiv.org`` for a URL (with the port when it has one)."""
    return urlsplit(url).netloc or url


class HttpClient:
    """GET with timeouts and retries (429/502/503/504, honouring ``Retry-After``); never retries a 400."""

    def __init__(
        self,
        settings: HttpSettings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: Any = None,
    ) -> None:
        self.settings = settings or HttpSettings()
        self.sleep = sleep
        self._transport = transport
        self._client: httpx.Client | None = None

    def _session(self) -> httpx.Client:
        if self._client is None:
            import httpx

            timeout = httpx.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
            self._client = httpx.Client(
                timeout=timeout,
                headers={"User-Agent": self.settings.user_agent},
                follow_redirects=True,
                transport=self._transport,
            )
        return self._client

    def close(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None) -> str:
        """The body of a successful GET as text; FetchError (with status and body) otherwise."""
        host = host_of(url)
        self._session()  # made before the wait is announced: the wait is for the server
        with asking(host):
            return self._get(url, host, params, headers)

    def _get(self, url: str, host: str, params: Mapping[str, str] | None, headers: Mapping[str, str] | None) -> str:
        import httpx

        attempt = 0
        while True:
            try:
                response = self._session().get(url, params=params, headers=headers)
            except httpx.HTTPError as exc:
                raise FetchError(describe_transport_error(exc, host, self.settings)) from None
            if response.is_success:
                return response.text
            status = response.status_code
            if status in RETRY_STATUSES and attempt < self.settings.retries:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                if wait is None:
                    wait = self.settings.backoff * (2**attempt)
                if wait <= self.settings.max_wait:
                    attempt += 1
                    self.sleep(wait)
                    continue
            message = self._status_message(response, host, attempt)
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if status in RETRY_STATUSES and wait is not None and wait > self.settings.max_wait:
                message += f" (it asks to wait {wait:.0f} s; try again later)"
            raise FetchError(message, status, response.text)

    @staticmethod
    def _status_message(response: httpx.Response, host: str, attempts: int) -> str:
        status = response.status_code
        reason = response.reason_phrase or ""
        message = f"HTTP {status} {reason}".rstrip() + f" from {host}"
        if status == 429:
            message = f"rate limited by {host} (HTTP 429)"
        if status in RETRY_STATUSES and attempts:
            message += f" after {attempts} {'retry' if attempts == 1 else 'retries'}; try again later"
        return message
