"""Network sources of bibliographic records (arXiv, Crossref) behind one small interface.

A source turns identifiers into papers: :meth:`Source.normalize` checks and canonicalises what a
user pasted (ValueError if it is not an identifier of that source), :meth:`Source.fetch` yields one
:class:`Lookup` per identifier, in any order, each with a paper or the reason there is none.
Fetched papers carry the placeholder key :data:`PLACEHOLDER_KEY`; the ingest service gives them
their real key. Parsing is pure (``parse_*`` functions); only ``http.py`` talks to the network.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from litmap.errors import InvalidValue

if TYPE_CHECKING:
    from litmap.models import Paper

#: Key of a fetched paper until the library gives it one (no real key looks like it).
PLACEHOLDER_KEY = ":new:"

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_CROSSREF_API = "https://api.crossref.org"


@dataclass(frozen=True)
class Lookup:
    """The answer for one identifier: a paper, or the reason there is none."""

    id: str
    paper: Paper | None = None
    error: str | None = None


class Source(Protocol):
    """What the ingest service needs from a source."""

    label: str

    def normalize(self, text: str) -> str:
        """The canonical identifier for ``text``; ValueError if it is not one."""
        ...

    def fetch(self, ids: Sequence[str]) -> Iterator[Lookup]:
        """One Lookup per identifier in ``ids`` (already normalised), in any order."""
        ...


@dataclass(frozen=True)
class SourceSettings:
    """Endpoints, politeness and timeouts, from ``[sources]`` in litmap.toml and the environment."""

    arxiv_api: str = DEFAULT_ARXIV_API
    crossref_api: str = DEFAULT_CROSSREF_API
    arxiv_delay: float = 3.0
    crossref_delay: float = 0.2
    contact_email: str | None = None
    timeout: float = 30.0
    retries: int = 3

    @classmethod
    def from_config(cls, config: Any) -> SourceSettings:
        """Read the settings through ``config.setting(section, name, env, default)`` (a LibraryConfig)."""

        def number(name: str, env: str | None, default: float) -> float:
            value = config.setting("sources", name, env=env, default=default)
            try:
                number = float(value)
            except (TypeError, ValueError):
                where = f"${env} or " if env else ""
                raise InvalidValue(f"{where}[sources] {name} in litmap.toml: not a number: {value!r}") from None
            if number < 0:
                raise InvalidValue(f"[sources] {name}: must not be negative (got {value!r})")
            return number

        contact = config.setting("sources", "contact_email", env="LITMAP_CONTACT_EMAIL", default=None)
        return cls(
            arxiv_api=str(config.setting("sources", "arxiv_api", env="LITMAP_ARXIV_API", default=DEFAULT_ARXIV_API)),
            crossref_api=str(
                config.setting("sources", "crossref_api", env="LITMAP_CROSSREF_API", default=DEFAULT_CROSSREF_API)
            ).rstrip("/"),
            arxiv_delay=number("arxiv_delay", "LITMAP_ARXIV_DELAY", 3.0),
            crossref_delay=number("crossref_delay", None, 0.2),
            contact_email=str(contact) if contact else None,
            timeout=number("timeout", "LITMAP_HTTP_TIMEOUT", 30.0),
            retries=int(number("retries", None, 3)),
        )
