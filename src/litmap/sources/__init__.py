"""Network sources of bibliographic records (arXiv, Crossref, ...) behind one small registry.

A source is one module plus one :func:`register_source` call. The registration says which
identifiers the source recognises (:attr:`SourceType.normalize`), how it fetches
(:attr:`SourceType.open` builds a :class:`Source` from a :class:`SourceContext`), and which
``[sources]`` settings it reads (each with its env var, e.g. ``LITMAP_ARXIV_API``). Everything else
follows from it: ``litmap add --<name>``, guessing the source of a bare identifier, the duplicate
check before fetching, and ``litmap check``'s validation of ``[sources]``.

A source turns identifiers into papers: :meth:`Source.fetch` yields one :class:`Lookup` per
identifier, in any order, each with a paper or the reason there is none. Fetched papers carry the
placeholder key :data:`PLACEHOLDER_KEY`; the ingest service gives them their real key. Parsing is
pure (``parse_*`` functions); only ``http.py`` talks to the network.

Importing this package is cheap: built-in sources name their opener as ``"module:function"`` and
their module is imported only when a paper is fetched from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from litmap.errors import InvalidValue
from litmap.identifiers import arxiv_id_from_doi, arxiv_query_id, normalize_arxiv_id, normalize_doi
from litmap.keys import PLACEHOLDER_KEY
from litmap.registry import Registry, resolve

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.sources.http import HttpClient

__all__ = [
    "PLACEHOLDER_KEY",
    "Lookup",
    "Setting",
    "Source",
    "SourceContext",
    "SourceSettings",
    "SourceType",
    "guess_source",
    "register_source",
    "source_types",
]


@dataclass(frozen=True)
class Lookup:
    """The answer for one identifier: a paper, or the reason there is none."""

    id: str
    paper: Paper | None = None
    error: str | None = None


class Source(Protocol):
    """What the ingest service needs from an open source."""

    def fetch(self, ids: Sequence[str]) -> Iterator[Lookup]:
        """One Lookup per identifier in ``ids`` (ids to fetch, from :attr:`SourceType.normalize`), in any order."""
        ...


@dataclass(frozen=True)
class Setting:
    """One ``[sources]`` setting of litmap.toml: a text (a base URL...) or a non-negative number."""

    key: str
    default: str | float | None
    env: str | None = None
    help: str = ""

    @property
    def is_number(self) -> bool:
        """Numbers (delays, timeouts) are checked as such; everything else is text."""
        return isinstance(self.default, int | float)


@dataclass(frozen=True)
class SourceContext:
    """What a source is opened with: the shared HTTP client and its resolved settings."""

    client: HttpClient
    settings: Mapping[str, Any]
    contact_email: str | None
    cache_dir: Path

    def __getitem__(self, key: str) -> Any:
        return self.settings[key]


@dataclass(frozen=True)
class SourceType:
    """The registration of a source.

    ``name`` is the kind of identifier (``litmap add --<name> ID``), ``label`` how one is shown
    (``arXiv 2209.10652``), ``noun`` and ``expected`` how errors name it; ``normalize`` turns what a
    user pasted into ``(id to fetch, bare id)`` or raises ValueError; ``field`` is the Paper field
    that holds the bare id (so the library is searched before anything is fetched); ``open`` builds
    the fetcher (a callable, or ``"module:function"`` imported on first use); ``settings`` are its
    ``[sources]`` keys. ``handover`` may pass an identifier to another source that serves it
    better: it returns ``(source name, text)`` or None (arXiv's own DOIs go to arXiv).
    """

    name: str
    label: str
    normalize: Callable[[str], tuple[str, str]]
    open: Callable[[SourceContext], Source] | str
    noun: str
    expected: str
    help: str
    metavar: str = "ID"
    field: str | None = None
    settings: tuple[Setting, ...] = ()
    handover: Callable[[str], tuple[str, str] | None] | None = None

    def opener(self) -> Callable[[SourceContext], Source]:
        """The function that opens this source (importing its module if named as text)."""
        opener: Callable[[SourceContext], Source] = resolve(self.open)
        return opener

    def recognises(self, text: str) -> bool:
        """Whether ``text`` is an identifier of this source."""
        try:
            self.normalize(text)
        except ValueError:
            return False
        return True


_REGISTRY: Registry[SourceType] = Registry()


def register_source(source: SourceType) -> SourceType:
    """Add (or replace) a source; it becomes ``litmap add --<name>`` and is guessed for bare ids."""
    return _REGISTRY.add(source.name, source)


def unregister_source(name: str) -> None:
    """Forget a registered source (tests register toy sources and clean up)."""
    _REGISTRY.remove(name)


def source_types() -> list[SourceType]:
    """The registered sources, in registration order (the order bare identifiers are guessed in)."""
    return list(_REGISTRY)


def source_type(name: str) -> SourceType:
    """The source registered as ``name``; KeyError if none is."""
    return _REGISTRY[name]


def guess_source(text: str) -> str | None:
    """The name of the first registered source that recognises ``text``, if any."""
    return next((s.name for s in _REGISTRY if s.recognises(text)), None)


#: Settings every source shares (the HTTP client's).
COMMON_SETTINGS = (
    Setting("contact_email", None, "LITMAP_CONTACT_EMAIL", "address sent in the User-Agent (polite pools)"),
    Setting("timeout", 30.0, "LITMAP_HTTP_TIMEOUT", "seconds to wait for an answer"),
    Setting("retries", 3.0, None, "attempts after a failed request"),
)


#: Settings of the sources that are searched rather than asked for an identifier (``upgrade``).
_SEARCH_SETTINGS: dict[str, tuple[Setting, ...]] = {}


def register_search_settings(name: str, settings: tuple[Setting, ...]) -> None:
    """Declare the ``[sources]`` settings of a searched source (DBLP, Semantic Scholar), for ``check``."""
    _SEARCH_SETTINGS[name] = settings


def known_settings() -> list[Setting]:
    """Every ``[sources]`` setting litmap reads: the common ones, then each source's."""
    searched = (s for settings in _SEARCH_SETTINGS.values() for s in settings)
    return [*COMMON_SETTINGS, *(s for source in _REGISTRY for s in source.settings), *searched]


def _where(setting: Setting) -> str:
    return f"${setting.env} or " if setting.env else ""


def setting_value(config: Any, setting: Setting) -> Any:
    """The value of ``setting`` through ``config.setting(...)`` (a LibraryConfig), checked; InvalidValue."""
    value = config.setting("sources", setting.key, env=setting.env, default=setting.default)
    if not setting.is_number:
        return None if value is None else str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidValue(
            f"{_where(setting)}[sources] {setting.key} in litmap.toml: not a number: {value!r}"
        ) from None
    if number < 0:
        raise InvalidValue(f"[sources] {setting.key}: must not be negative (got {value!r})")
    return number


def settings_problems(table: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Problems of a ``[sources]`` table for ``litmap check``: (key, message) for unknown keys and bad values."""
    known = {s.key: s for s in known_settings()}
    problems: list[tuple[str, str]] = []
    for key, value in table.items():
        setting = known.get(key)
        if setting is None:
            problems.append((key, f"[sources] {key}: unknown setting (known: {', '.join(sorted(known))})"))
        elif setting.is_number and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
            problems.append((key, f"[sources] {key}: must be a non-negative number (got {value!r})"))
        elif not setting.is_number and not isinstance(value, str):
            problems.append((key, f"[sources] {key}: must be text (got {value!r})"))
    return problems


@dataclass(frozen=True)
class SourceSettings:
    """The ``[sources]`` settings of litmap.toml and the environment, every key resolved and checked."""

    values: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Any) -> SourceSettings:
        """Read every known setting through ``config.setting(section, name, env, default)`` (a LibraryConfig)."""
        return cls({s.key: setting_value(config, s) for s in known_settings()})

    def __getitem__(self, key: str) -> Any:
        if key in self.values:
            return self.values[key]
        return next(s.default for s in known_settings() if s.key == key)

    @property
    def contact_email(self) -> str | None:
        """The address sent to the sources' polite pools, if set."""
        value = self["contact_email"]
        return str(value) if value else None


# -- the built-in sources --------------------------------------------------------------------------


def _arxiv_ids(text: str) -> tuple[str, str]:
    query = arxiv_query_id(text)
    return query, normalize_arxiv_id(query)


def _doi_ids(text: str) -> tuple[str, str]:
    doi = normalize_doi(text)
    return doi, doi


def _arxiv_doi_to_arxiv(text: str) -> tuple[str, str] | None:
    if "10.48550" not in text:
        return None
    arxiv = arxiv_id_from_doi(text.strip().removeprefix("doi:").strip())
    return ("arxiv", arxiv) if arxiv else None


register_source(
    SourceType(
        name="arxiv",
        label="arXiv",
        normalize=_arxiv_ids,
        open="litmap.sources.arxiv:open_source",
        field="arxiv",
        noun="an arXiv id",
        expected="a valid arXiv id (expected e.g. 2209.10652, arXiv:2209.10652v2, hep-th/9901001 or an arxiv.org link)",
        help="An arXiv id: 2209.10652, 2209.10652v2, arXiv:…, an abs/pdf link, hep-th/9901001 (repeatable).",
        settings=(
            Setting("arxiv_api", "https://export.arxiv.org/api/query", "LITMAP_ARXIV_API", "arXiv's query API"),
            Setting("arxiv_delay", 3.0, "LITMAP_ARXIV_DELAY", "seconds between two arXiv requests"),
        ),
    )
)
register_source(
    SourceType(
        name="doi",
        label="DOI",
        normalize=_doi_ids,
        open="litmap.sources.crossref:open_source",
        field="doi",
        metavar="DOI",
        noun="a DOI",
        expected="a valid DOI (expected e.g. 10.1038/nature03687 or https://doi.org/10.1038/nature03687)",
        help="A DOI, fetched from Crossref (repeatable).",
        settings=(
            Setting("crossref_api", "https://api.crossref.org", "LITMAP_CROSSREF_API", "Crossref's REST API"),
            Setting("crossref_delay", 0.2, None, "seconds between two Crossref requests"),
        ),
        handover=_arxiv_doi_to_arxiv,
    )
)

# Searched by ``litmap upgrade`` for the published version of a preprint (see services/upgrade.py).
register_search_settings(
    "dblp",
    (
        Setting("dblp_api", "https://dblp.org/search/publ/api", "LITMAP_DBLP_API", "DBLP's publication search"),
        Setting("dblp_delay", 1.0, "LITMAP_DBLP_DELAY", "seconds between two DBLP requests"),
    ),
)
register_search_settings(
    "s2",
    (
        Setting("s2_api", "https://api.semanticscholar.org/graph/v1", "LITMAP_S2_API", "Semantic Scholar's Graph API"),
        Setting("s2_delay", 1.0, "LITMAP_S2_DELAY", "seconds between two Semantic Scholar requests"),
    ),
)
