"""The data model: papers, authors and categories (pydantic v2). No I/O here.

A paper's *record* is the plain dict stored in ``papers/<key>.toml`` and printed by ``--json``:
the same field names in both places, known fields in a stable order, then any other BibTeX field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from litmap.dates import parse_released
from litmap.identifiers import normalize_arxiv_id, normalize_doi
from litmap.records import CATEGORY_ID_RE as CATEGORY_ID_RE
from litmap.records import CITEKEY_RE as CITEKEY_RE
from litmap.records import KNOWN_FIELDS as KNOWN_FIELDS
from litmap.records import RECORD_FIELDS as RECORD_FIELDS
from litmap.records import TRAILING_FIELDS as TRAILING_FIELDS
from litmap.records import author_names, first_author, one_line, text_or_none
from litmap.records import unique_tags as unique_tags

#: An alias needs no file name, only to be a key LaTeX, BibTeX and biber read: DBLP's
#: ``DBLP:conf/sss/ShapiroPBZ11`` is one. No spaces, commas, braces, quotes, ``%``, ``#`` or ``\``.
ALIAS_RE = re.compile(r"^[^\s,{}()\"'%#\\=~]+$")
EXTRA_FIELD_RE = re.compile(r"^[a-z][a-z0-9_\-]*$")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: biblatex's entry types whose data model (``blx-dm.def``) requires a title.
TITLED_TYPES = frozenset(
    "article book mvbook inbook bookinbook suppbook booklet collection mvcollection incollection suppcollection "
    "reference mvreference inreference dataset manual misc software online patent periodical suppperiodical "
    "proceedings mvproceedings inproceedings report thesis unpublished".split()
)
#: biblatex's other types (its non-standard ones, ``set``, ``xdata``, ``custom[a-f]``): no title required.
UNTITLED_TYPES = frozenset(
    "set xdata artwork audio bibnote commentary image jurisdiction legal legislation letter movie music "
    "performance review standard video customa customb customc customd custome customf".split()
)
#: The classic BibTeX types biber reads as aliases (``conference`` -> ``inproceedings``...).
BIBTEX_ALIASES = {
    "conference": "inproceedings",
    "electronic": "online",
    "www": "online",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
}
#: Entry types BibTeX and biblatex know: the one list import, ``add --type`` and ``check`` go by.
ENTRY_TYPES = TITLED_TYPES | UNTITLED_TYPES | frozenset(BIBTEX_ALIASES)


def entry_type_problem(value: str) -> str | None:
    """Why ``value`` is not an entry type BibTeX or biblatex knows (None if it is one)."""
    if value.strip().lower() in ENTRY_TYPES:
        return None
    return f"unknown entry type {value!r} (BibTeX and biblatex types: article, inproceedings, misc, book, ...)"


def needs_title(entry_type: str) -> bool:
    """Whether biblatex requires a title of an entry of this type (a type it does not know: yes)."""
    entry_type = entry_type.strip().lower()
    return BIBTEX_ALIASES.get(entry_type, entry_type) not in UNTITLED_TYPES


def spelled_as_in(papers: Iterable[Paper], tags: Iterable[str]) -> list[str]:
    """``tags`` spelled as ``papers`` already spell them (``To-Read`` is ``to-read`` if a paper has that)."""
    known: dict[str, str] = {}
    for paper in papers:
        for tag in paper.tags:
            known.setdefault(tag.casefold(), tag)
    return unique_tags(known.get(tag.casefold(), tag) for tag in tags)


@dataclass(frozen=True)
class ValidationProblem:
    """The first problem of a failed validation: where (field names and indexes), what, its pydantic type."""

    location: tuple[str, ...]
    message: str
    kind: str = ""


def first_problem(exc: ValueError) -> ValidationProblem:
    """What a pydantic ValidationError (or any ValueError) says, as one message without pydantic's wording.

    Every place that turns a validation error into words starts here: a paper file (``file:line:
    field 'year': ...``), a BibTeX entry, an option typed by hand, a category.
    """
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return ValidationProblem((), str(exc))
    first = errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    return ValidationProblem(tuple(str(part) for part in first["loc"]), message, str(first["type"]))


def validate_citekey(key: str) -> str:
    """Check a citekey against the safe alphabet (it names a file); return it stripped."""
    key = key.strip()
    if not key or len(key) > 120 or not CITEKEY_RE.match(key) or ".." in key:
        raise ValueError(f"invalid citekey {key!r}: use letters, digits and - _ : . (no leading dot, no '..')")
    return key


def validate_alias(key: str) -> str:
    """Check an alias (a key a paper also answers to; it names no file); return it stripped."""
    key = key.strip()
    if not key or len(key) > 200 or not ALIAS_RE.match(key):
        raise ValueError(f"invalid alias {key!r}: a citekey without spaces, commas, braces, quotes, % or #")
    return key


def citekey_problem(key: str) -> str | None:
    """Why ``key`` cannot be a paper's key (it names the paper's file), or None if it can."""
    try:
        validate_citekey(key)
    except ValueError:
        bad = sorted({c for c in key if not re.match(r"[A-Za-z0-9_:.\-]", c)})
        if bad:
            return f"{' '.join(repr(c) for c in bad)} cannot be in a file name"
        return "not a valid file name (letters, digits and - _ : . only, no leading dot, no '..')"
    return None


def parse_month(value: Any) -> int | None:
    """Month as 1-12 from an int, a digit string, or an English name/abbreviation."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        month = value
    else:
        text = str(value).strip().lower().rstrip(".")
        if text.isdigit():
            month = int(text)
        elif text[:3] in MONTHS:
            month = MONTHS.index(text[:3]) + 1
        else:
            raise ValueError(f"not a month: {value!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"not a month: {value!r}")
    return month


PROVENANCE_KEYS = ("source", "id", "fetched", "fields")


def check_provenance(value: Any) -> dict[str, Any] | None:
    """Where a paper's fetched fields came from: ``{source, id, fetched, fields = {name = digest}}``."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict) or set(value) != set(PROVENANCE_KEYS):
        raise ValueError(f"provenance must be a table of {', '.join(PROVENANCE_KEYS)}")
    out = {k: value[k] for k in PROVENANCE_KEYS}
    if isinstance(out["fetched"], dt.date):
        out["fetched"] = out["fetched"].isoformat()
    for name in ("source", "id", "fetched"):
        if not isinstance(out[name], str) or not out[name].strip():
            raise ValueError(f"provenance {name} must be text")
    fields = out["fields"]
    if not isinstance(fields, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and re.fullmatch(r"[0-9a-f]{8}", v) for k, v in fields.items()
    ):
        raise ValueError("provenance fields must map field names to 8-digit hex digests")
    out["fields"] = dict(fields)
    return out


class Author(BaseModel):
    """One author: family name and given names (an organisation has only ``family``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    family: str
    given: str = ""

    @field_validator("family", "given")
    @classmethod
    def _strip(cls, value: str) -> str:
        return " ".join(value.split())

    @model_validator(mode="after")
    def _needs_family(self) -> Author:
        if not self.family:
            raise ValueError("an author needs a family name")
        return self

    @classmethod
    def parse(cls, text: str) -> Author:
        """Read ``"Family, Given"``; a name without a comma is kept whole (organisation)."""
        family, sep, given = text.partition(",")
        if not sep:
            return cls(family=text)
        return cls(family=family, given=given)

    def as_text(self) -> str:
        """``"Family, Given"`` (or just the family name), the inverse of :meth:`parse`."""
        return f"{self.family}, {self.given}" if self.given else self.family

    def is_text_safe(self) -> bool:
        """Whether :meth:`as_text` round-trips through :meth:`parse`."""
        return "," not in self.family and "," not in self.given

    @property
    def display(self) -> str:
        """``"Given Family"``, as a name is read aloud."""
        return f"{self.given} {self.family}" if self.given else self.family


class Paper(BaseModel):
    """One bibliography entry. ``extra`` keeps every other BibTeX field (lower-case names)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    key: str
    type: str = "article"
    title: str
    #: The title's own braced words, as BibTeX writes them (``{Python}``, ``{A}rabic``): kept in their case.
    protected: list[str] = Field(default_factory=list)
    authors: list[Author] = Field(default_factory=list)
    year: int | None = None
    month: int | None = None
    released: str | None = None
    venue: str | None = None
    volume: str | None = None
    pages: str | None = None
    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None
    abstract: str | None = None
    categories: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    note: str | None = None
    added: dt.date | None = None
    aliases: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)
    provenance: dict[str, Any] | None = None
    extra: dict[str, str] = Field(default_factory=dict)

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        return validate_citekey(value)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: list[str]) -> list[str]:
        return _unique([validate_alias(v) for v in value])

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        value = value.strip().lower()
        if not re.fullmatch(r"[a-z]+", value):
            raise ValueError(f"invalid entry type {value!r}")
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return one_line(value, "a paper")

    @field_validator("authors", mode="before")
    @classmethod
    def _authors(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [Author.parse(v) if isinstance(v, str) else v for v in value]
        return value

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not value.isdigit():
                raise ValueError(f"not a year: {value!r}")
            return int(value)
        return value

    @field_validator("year")
    @classmethod
    def _year_range(cls, value: int | None) -> int | None:
        if value is not None and not 1000 <= value <= 2999:
            raise ValueError(f"not a plausible year: {value}")
        return value

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> int | None:
        return parse_month(value)

    @field_validator("released", mode="before")
    @classmethod
    def _released(cls, value: Any) -> str | None:
        return parse_released(value)

    @field_validator("arxiv", mode="before")
    @classmethod
    def _arxiv(cls, value: Any) -> str | None:
        return normalize_arxiv_id(str(value)) if value not in (None, "") else None

    @field_validator("doi", mode="before")
    @classmethod
    def _doi(cls, value: Any) -> str | None:
        return normalize_doi(str(value)) if value not in (None, "") else None

    @field_validator("venue", "volume", "pages", "url", "note", "abstract", mode="before")
    @classmethod
    def _optional_text(cls, value: Any) -> Any:
        return text_or_none(value)

    @field_validator("protected")
    @classmethod
    def _protected(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(v.split()) for v in value]
        for v in cleaned:
            depth = 0
            for char in v:
                depth += {"{": 1, "}": -1}.get(char, 0)
                if depth not in (0, 1):
                    break
            if depth != 0 or "{" not in v or not v.replace("{", "").replace("}", "").strip():
                raise ValueError(f"protected word {v!r} must brace what keeps its case, like {{Python}} or {{A}}rabic")
        return _unique(cleaned)

    @field_validator("categories", "tags")
    @classmethod
    def _labels(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value]
        if any(not v for v in cleaned):
            raise ValueError("empty category or tag")
        return _unique(cleaned)  # a file holding two spellings of a tag keeps them: `litmap check` warns

    @field_validator("files")
    @classmethod
    def _files(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value]
        for v in cleaned:
            if not v or v.startswith("/") or ".." in v.replace("\\", "/").split("/"):
                raise ValueError(f"attached file {v!r} must be a path inside the library (like files/KEY.pdf)")
        return _unique(cleaned)

    @field_validator("categories")
    @classmethod
    def _category_ids(cls, value: list[str]) -> list[str]:
        for v in value:
            if not CATEGORY_ID_RE.match(v):
                raise ValueError(f"invalid category id {v!r}")
        return value

    @field_validator("provenance", mode="before")
    @classmethod
    def _provenance(cls, value: Any) -> Any:
        return check_provenance(value)

    @field_validator("extra", mode="before")
    @classmethod
    def _extra(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[str, str] = {}
        for name, field_value in value.items():
            lname = str(name).strip().lower()
            if lname in KNOWN_FIELDS or not EXTRA_FIELD_RE.match(lname):
                raise ValueError(f"invalid extra field name {name!r}")
            if isinstance(field_value, bool) or not isinstance(field_value, (str, int)):
                raise ValueError(f"field {name!r} must be text")
            out[lname] = str(field_value).strip()
        return out

    # -- records -----------------------------------------------------------------------------

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Paper:
        """Build a paper from its record (TOML table or JSON object); unknown keys are extras."""
        known = {k: v for k, v in record.items() if k in KNOWN_FIELDS}
        extra = {k: v for k, v in record.items() if k not in KNOWN_FIELDS}
        return cls(**known, extra=extra)

    @classmethod
    def from_index(cls, record: dict[str, Any], authors: dict[Any, Author] | None = None) -> Paper:
        """Rebuild a paper from a record that :meth:`to_json` gave for a valid paper, without validating it again.

        The search index keeps such records (every file is validated when it is read into the index),
        so reading the whole library costs a dict copy per paper instead of a full validation.
        ``authors`` (a dict kept by the caller) shares one Author between papers that name the same
        person: authors are immutable. Never use this on input from outside: use :meth:`from_record`.
        """
        template, mutable, dates, fields = _construction_template(cls)
        values = template.copy()
        values.update(record)
        for name in mutable:
            if name not in record:
                values[name] = type(template[name])()
        fields_set = record.keys() & fields  # a set
        unknown = record.keys() - fields_set  # extra BibTeX fields (one may be named "extra")
        if unknown:
            for name in unknown - {"extra"}:
                del values[name]
            values["extra"] = {name: value for name, value in record.items() if name in unknown}
            fields_set.add("extra")
        if values["authors"]:
            known = {} if authors is None else authors
            values["authors"] = [
                known.get(a) or known.setdefault(a, _stored_author(a)) if isinstance(a, str) else _stored_author(a)
                for a in values["authors"]
            ]
        for name in dates:
            if values[name] is not None:
                values[name] = dt.date.fromisoformat(values[name])
        return _constructed(cls, values, fields_set)

    def to_record(self) -> dict[str, Any]:
        """The paper as its record: stable field order, empty fields left out."""
        record: dict[str, Any] = {}
        for name in RECORD_FIELDS:
            value = getattr(self, name)
            if name == "authors":
                value = [a.as_text() if a.is_text_safe() else a.model_dump() for a in value]
            if value in (None, "", []):
                continue
            record[name] = value
        for name in sorted(self.extra):
            record[name] = self.extra[name]
        if self.abstract:
            record["abstract"] = self.abstract
        return record

    def to_json(self) -> dict[str, Any]:
        """The record with JSON-safe values (dates as ISO strings)."""
        record = self.to_record()
        if "added" in record:
            record["added"] = record["added"].isoformat()
        return record

    # -- conveniences -----------------------------------------------------------------------

    @property
    def first_author(self) -> str:
        """Family name of the first author, ``"et al."`` added when there are more."""
        return first_author([a.family for a in self.authors[:3]])

    @property
    def first_family(self) -> str:
        """Family name of the first author ("" without authors): what ``--sort author`` orders by."""
        return self.authors[0].family if self.authors else ""

    @property
    def all_keys(self) -> list[str]:
        """The key and every alias it answers to."""
        return [self.key, *self.aliases]


class Category(BaseModel):
    """A node of the taxonomy; ``order`` is its position among its siblings (file order)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    id: str
    title: str
    description: str | None = None
    parent: str | None = None
    order: int = 0

    @field_validator("id", "parent")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not CATEGORY_ID_RE.match(value):
            raise ValueError(f"invalid category id {value!r}: use lower-case letters, digits and single hyphens")
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return one_line(value, "a category")

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: Any) -> Any:
        return text_or_none(value)


_TEMPLATES: dict[type, tuple[dict[str, Any], tuple[str, ...], tuple[str, ...], frozenset[str]]] = {}
_set = object.__setattr__


def _construction_template(
    cls: type[BaseModel],
) -> tuple[dict[str, Any], tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """Every field's default, the fields whose default is a fresh list or dict, the date fields, and the
    names a record uses for fields (all but ``extra``, whose fields a record holds at top level)."""
    if cls not in _TEMPLATES:
        fields = cls.model_fields
        template = {name: info.get_default(call_default_factory=True) for name, info in fields.items()}
        mutable = tuple(name for name, value in template.items() if isinstance(value, (list, dict)))
        dates = tuple(name for name, info in fields.items() if info.annotation in (dt.date, dt.date | None))
        _TEMPLATES[cls] = template, mutable, dates, frozenset(fields) - {"extra"}
    return _TEMPLATES[cls]


def _constructed(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> Any:
    """An instance of a model holding ``values`` as they are (what ``model_construct`` does, minus its overhead)."""
    instance = object.__new__(cls)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", fields_set)
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


def _stored_author(value: str | dict[str, str]) -> Author:
    """An author as a record stores it: ``"Family, Given"`` (no other comma) or a table."""
    family, given = author_names(value)
    return _constructed(
        Author, {"family": family, "given": given}, {"family", "given"} if isinstance(value, str) else set(value)
    )


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
