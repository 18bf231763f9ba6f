"""Validation of a whole library: every problem found, each naming its file (and line)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litmap.errors import InvalidFile
from litmap.models import KNOWN_FIELDS, Paper, entry_type_problem
from litmap.store.codec import categories_from_toml, field_line, misnamed, paper_from_toml
from litmap.store.config import config_from_toml
from litmap.store.files import read_text
from litmap.store.library import Library
from litmap.taxonomy import Taxonomy


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the library."""

    path: str
    message: str
    line: int | None = None
    #: A warning (a likely mistake, such as a misspelt field) does not make ``check`` fail.
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


def _problem(error: InvalidFile) -> Problem:
    return Problem(error.path, error.detail, error.line)


def _settings_problems(path: str, text: str, table: dict[str, Any]) -> list[Problem]:
    """``[sources]`` keys no registered source reads, and values of the wrong kind."""
    from litmap.sources import settings_problems

    return [Problem(path, message, field_line(text, key)) for key, message in settings_problems(table)]


_NAMED_BY = {"doi": "its DOI", "venue": "its venue", "volume": "its volume", "url": "its URL"}


def year_problems(path: str, text: str, paper: Paper) -> list[Problem]:
    """A ``year`` earlier than the one the paper's DOI, venue, volume or URL names; a ``released`` after it.

    ``year``/``month`` are those of the version the record describes; the first release is ``released``.
    """
    from litmap.dates import named_years

    if paper.year is None:
        return []
    named = named_years(
        doi=paper.doi, venue=paper.venue, volume=paper.volume, url=paper.url, publisher=paper.extra.get("publisher")
    )
    later = [n for n in named if n.year > paper.year]
    problems = []
    if later:
        field, year = later[0]
        named_by = f"{_NAMED_BY[field]} names ({getattr(paper, field)})"
        problems.append(
            Problem(
                path,
                f"year {paper.year} is earlier than {year}, the year {named_by}:"
                " year and month are the described version's; the first release goes in `released`",
                field_line(text, "year"),
            )
        )
    if paper.released and paper.released[:7] > f"{paper.year}-{paper.month or 12:02d}":
        month = f" and month {paper.month}" if paper.month else ""
        problems.append(
            Problem(
                path,
                f"released {paper.released} is later than the year {paper.year}{month} the record gives:"
                " `released` is the first public release",
                field_line(text, "released"),
            )
        )
    return problems


#: A BibTeX field a suggestion names as the record field litmap keeps it in.
_RECORD_NAME = {"author": "authors", "file": "files"}


def field_warnings(path: str, text: str, paper: Paper) -> list[Problem]:
    """Warnings for likely slips: a field one edit from a known one (``yaer``), two spellings of one tag."""
    from rapidfuzz.distance import DamerauLevenshtein

    from litmap.formats.bibtex_fields import STANDARD_FIELDS, VERBATIM_FIELDS

    warnings = []
    known = STANDARD_FIELDS | VERBATIM_FIELDS
    for name in paper.extra:
        if name in known or len(name) < 3 or name.startswith("bibtex-") or name.endswith("-text"):
            continue
        close = [f for f in (*KNOWN_FIELDS, *sorted(known)) if DamerauLevenshtein.distance(name, f) == 1]
        if close:
            meant = _RECORD_NAME.get(close[0], close[0])
            warnings.append(
                Problem(path, f"unknown field {name!r}; did you mean {meant!r}?", field_line(text, name), warning=True)
            )
    spellings: dict[str, list[str]] = {}
    for tag in paper.tags:
        spellings.setdefault(tag.casefold(), []).append(tag)
    for same in spellings.values():
        if len(same) > 1:
            listed = " and ".join(repr(t) for t in same)
            message = f"tags {listed} are one tag (tags ignore case): keep one spelling"
            warnings.append(Problem(path, message, field_line(text, "tags"), warning=True))
    return warnings


def check_library(library: Library) -> list[Problem]:
    """Every problem in ``library``: bad TOML, bad fields, unknown categories, key clashes."""
    problems: list[Problem] = []
    try:
        config_text = read_text(library.config_path)
        config = config_from_toml(config_text, str(library.config_path))
    except InvalidFile as error:
        problems.append(_problem(error))
    else:
        problems += _settings_problems(str(library.config_path), config_text, config.sources)

    taxonomy = Taxonomy()
    taxonomy_readable = False
    if library.taxonomy_path.exists():
        try:
            text = read_text(library.taxonomy_path)
            categories = categories_from_toml(text, str(library.taxonomy_path))
            taxonomy = Taxonomy(categories)
            taxonomy_readable = True
            seen: set[str] = set()
            for category in categories:
                if category.id in seen:
                    problems.append(Problem(str(library.taxonomy_path), f"category {category.id!r} is defined twice"))
                seen.add(category.id)
            problems += [Problem(str(library.taxonomy_path), m) for m in taxonomy.problems()]
        except InvalidFile as error:
            problems.append(_problem(error))

    if not library.papers_dir.is_dir():
        problems.append(
            Problem(str(library.papers_dir), "the papers folder is missing (a library keeps one file per paper there)")
        )
    owners: dict[str, Path] = {}
    loaded: list[tuple[Path, str, Paper]] = []
    for path in library.paper_files():
        try:
            text = read_text(path)
            paper = paper_from_toml(text, str(path))
        except InvalidFile as error:
            problems.append(_problem(error))
            continue
        loaded.append((path, text, paper))
        type_problem = entry_type_problem(paper.type)
        if type_problem:
            problems.append(Problem(str(path), type_problem, field_line(text, "type")))
        problems += field_warnings(str(path), text, paper)
        problems += year_problems(str(path), text, paper)
        if mismatch := misnamed(path, text, paper.key):
            problems.append(_problem(mismatch))
    for path, _text, paper in loaded:
        for key in paper.all_keys:
            if key in owners and owners[key] != path:
                problems.append(Problem(str(path), f"duplicate citekey {key!r}: also used by {owners[key].name}"))
            else:
                owners[key] = path
    filed = [(path, text, paper) for path, text, paper in loaded if paper.categories]
    if filed and not library.taxonomy_path.exists():
        problems.append(
            Problem(str(library.taxonomy_path), f"missing, but {len(filed)} papers are filed in categories")
        )
    elif taxonomy_readable:  # when it cannot be read, its own problem says so (not one line per paper)
        for path, text, paper in filed:
            for category_id in paper.categories:
                if category_id not in taxonomy:
                    suggestions = taxonomy.suggest(category_id, limit=1)
                    hint = f" (did you mean {suggestions[0]!r}?)" if suggestions else ""
                    problems.append(
                        Problem(
                            str(path),
                            f"category {category_id!r} is not defined in taxonomy.toml{hint}",
                            field_line(text, "categories"),
                        )
                    )
    from litmap.services.attachments import attachment_problems
    from litmap.services.dedupe import distinct_path, distinct_problems

    problems += [
        Problem(str(library.root / a.path), a.message) for a in attachment_problems(library, [p for *_, p in loaded])
    ]

    known = set(owners) | {path.stem for path in library.paper_files()}
    where = str(distinct_path(library))
    problems += [Problem(where, message, line) for message, line in distinct_problems(library, known)]
    return problems
