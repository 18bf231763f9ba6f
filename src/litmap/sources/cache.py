"""An on-disk cache of successful answers, so that asking again is instant and works offline.

Each answer is one file under the cache folder (the library's ``.litmap/cache/``), named by a hash of
the URL and its parameters, holding the body and the time it was fetched. Only successful answers
are kept; failures are asked again next time. Entries older than ``max_age`` seconds are fetched anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_MAX_AGE = 30 * 24 * 3600.0


class CachingClient:
    """Wraps an :class:`~litmap.sources.http.HttpClient`: ``get`` answers from the cache when it can."""

    def __init__(self, client: Any, folder: Path, max_age: float = DEFAULT_MAX_AGE) -> None:
        self.client = client
        self.folder = Path(folder)
        self.max_age = max_age
        self.hits = 0
        self.misses = 0

    @property
    def settings(self) -> Any:
        """The wrapped client's settings."""
        return self.client.settings

    def _path(self, url: str, params: Mapping[str, str] | None) -> Path:
        key = json.dumps([url, sorted((params or {}).items())], ensure_ascii=False)
        return self.folder / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".json")

    def cached(self, url: str, params: Mapping[str, str] | None = None) -> str | None:
        """The cached body for this request, if there is a fresh one."""
        path = self._path(url, params)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or time.time() - float(record.get("fetched", 0)) > self.max_age:
            return None
        body = record.get("body")
        return body if isinstance(body, str) else None

    def get(self, url: str, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None) -> str:
        """The body of a successful GET, from the cache or the network (then cached)."""
        body = self.cached(url, params)
        if body is not None:
            self.hits += 1
            return body
        self.misses += 1
        body = self.client.get(url, params=params, headers=headers)
        path = self._path(url, params)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"url": url, "fetched": time.time(), "body": body}), encoding="utf-8")
            os.replace(tmp, path)
        return body

    def close(self) -> None:
        """Close the wrapped client."""
        self.client.close()


def polite_get(client: Any, limiter: Any, url: str, params: Mapping[str, str] | None = None) -> str:
    """GET through ``client``, waiting for ``limiter`` only when the answer is not already cached."""
    from litmap.sources.http import asking, host_of

    cached = getattr(client, "cached", None)
    if cached is not None and cached(url, params) is not None:
        return str(client.get(url, params=params))
    with asking(host_of(url)):  # the pause between requests is part of the wait for the server
        limiter.wait()
        return str(client.get(url, params=params))
