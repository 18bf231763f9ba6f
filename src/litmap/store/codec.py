"""TOML codec for library files: text <-> models. Pure: never touches the file system.

Reading uses the standard library's ``tomllib`` (fast); writing uses ``tomlkit`` so that a rewrite
keeps a user's own comments and formatting, and an unchanged paper is written back byte for byte.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from litmap.errors import InvalidFile
from litmap.models import Category, Paper, first_problem
from litmap.store.taxonomy_text import TAXONOMY_HEADER
from litmap.store.toml_write import record_to_toml, render_record, text_item

CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})(\s|$)", re.MULTILINE)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+)(?:, column (\d+))?\)")


# -- reading ---------------------------------------------------------------------------------


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """Parse TOML text; InvalidFile names the file and line of a syntax error or conflict marker."""
    marker = CONFLICT_MARKER.search(text)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        raise InvalidFile(path, "unresolved git conflict marker", line)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        detail = _TOML_POSITION.sub("", message).strip()
        if match and match.group(2):
            detail += f" at column {match.group(2)}"
        error_line: int | None = int(match.group(1)) if match else None
        if error_line is None and "end of document" in message:
            error_line = text.rstrip("\n").count("\n") + 1
        raise InvalidFile(path, f"invalid TOML: {detail[:1].lower()}{detail[1:]}", error_line) from None


def field_line(text: str, field: str, within: int | None = None) -> int | None:
    """The line on which ``field = ...`` is set in ``text`` (in the ``within``-th array table), if found."""
    start = 0
    if within is not None:
        tables = [m.start() for m in re.finditer(r"^\s*\[\[", text, re.MULTILINE)]
        if within < len(tables):
            start = tables[within]
    match = re.compile(rf"^\s*{re.escape(field)}\s*=", re.MULTILINE).search(text, start)
    if match is None and within is not None and start < len(text):
        return text.count("\n", 0, start) + 1
    return text.count("\n", 0, match.start()) + 1 if match else None


def misnamed(path: Path, text: str, key: str) -> InvalidFile | None:
    """The problem when the paper file ``path`` holds another key than its name says, else None."""
    if path.stem == key:
        return None
    return InvalidFile(
        str(path), f"file name does not match its citekey {key!r} (expected {key}.toml)", field_line(text, "key")
    )


def schema_error(
    exc: ValidationError, path: str, text: str, prefix: str = "", within: int | None = None
) -> InvalidFile:
    """Turn the first pydantic error into an InvalidFile naming the field (and its line).

    ``within``: the index of the ``[[category]]`` table the field belongs to, if any.
    """
    problem = first_problem(exc)
    loc = problem.location
    field = loc[0] if loc else ""
    if field == "extra" and len(loc) > 1:
        field = loc[1]
    message = problem.message
    if problem.kind == "missing":
        message = "required field is missing"
    where = f"{prefix}{field}" if field else prefix.rstrip(".") or "file"
    return InvalidFile(path, f"field {where!r}: {message}", field_line(text, field, within) if field else None)


def paper_from_toml(text: str, path: str) -> Paper:
    """Read a paper file's text into a Paper; InvalidFile on bad TOML or a bad field."""
    data = parse_toml(text, path)
    try:
        return Paper.from_record(data)
    except ValidationError as exc:
        raise schema_error(exc, path, text) from None


def categories_from_toml(text: str, path: str) -> list[Category]:
    """Read taxonomy.toml: an array of ``[[category]]`` tables, in file order."""
    data = parse_toml(text, path)
    unknown = sorted(set(data) - {"category"})
    if unknown:
        raise InvalidFile(path, f"unknown top-level key {unknown[0]!r} (expected [[category]] tables)")
    tables = data.get("category", [])
    if not isinstance(tables, list):
        raise InvalidFile(path, "'category' must be an array of tables ([[category]])")
    categories: list[Category] = []
    sibling_count: dict[str | None, int] = {}
    for index, table in enumerate(tables):
        parent = table.get("parent") if isinstance(table, dict) else None
        order = sibling_count.get(parent, 0)
        sibling_count[parent] = order + 1
        try:
            categories.append(Category(**table, order=order))
        except (ValidationError, TypeError) as exc:
            if isinstance(exc, ValidationError):
                raise schema_error(exc, path, text, prefix=f"category[{index}].", within=index) from None
            raise InvalidFile(path, f"category[{index}] is not a table") from None
    return categories


# -- writing ---------------------------------------------------------------------------------


def paper_to_toml(paper: Paper, previous: str | None = None) -> str:
    """TOML text for ``paper``.

    With the file's ``previous`` text, an unchanged paper returns it untouched, and a changed one
    is updated in place (only changed fields rewritten) so comments and formatting survive.
    """
    record = paper.to_record()
    if previous is None:
        return render_record(record)
    try:
        old_record = paper_from_toml(previous, "<previous>").to_record()
    except InvalidFile:
        return render_record(record)
    return record_to_toml(record, previous, old_record)


def _category_record(category: Category) -> dict[str, Any]:
    record: dict[str, Any] = {"id": category.id, "title": category.title}
    if category.parent:
        record["parent"] = category.parent
    if category.description:
        record["description"] = category.description
    return record


def _without_trailing_blank_lines(table: Any) -> Any:
    """A reused table minus its trailing blank lines (the array of tables adds its own separator)."""
    from tomlkit.items import Whitespace

    body = table.value.body
    while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace):
        body.pop()
    return table


def categories_to_toml(categories: list[Category], previous: str | None = None) -> str:
    """TOML text for the taxonomy (categories in the given order).

    With the file's ``previous`` text, an unchanged taxonomy is returned untouched, and the tables
    of categories that did not change keep their comments and formatting.
    """
    import tomlkit

    old_tables: dict[str, Any] = {}
    doc = None
    if previous is not None:
        try:
            old = categories_from_toml(previous, "<previous>")
        except InvalidFile:
            old = None
        if old == categories:
            return previous
        if old is not None:
            doc = tomlkit.parse(previous)
            old_records = {c.id: _category_record(c) for c in old}
            for table in doc.get("category", []):
                if old_records.get(table.get("id")) is not None:
                    old_tables[str(table["id"])] = (table, old_records[str(table["id"])])
    if doc is None:
        doc = tomlkit.document()
        for line in TAXONOMY_HEADER.splitlines():
            doc.add(tomlkit.comment(line.removeprefix("# ")))
    tables = tomlkit.aot()
    for category in categories:
        record = _category_record(category)
        kept = old_tables.get(category.id)
        if kept is not None and kept[1] == record:
            tables.append(_without_trailing_blank_lines(kept[0]))
            continue
        table = tomlkit.table()
        for name, value in record.items():
            table[name] = text_item(value) if name == "description" else value
        tables.append(table)
    if "category" in doc:
        del doc["category"]
    doc["category"] = tables
    return tomlkit.dumps(doc)
