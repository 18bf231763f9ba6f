"""A fast writer for paper records, byte-identical to the tomlkit rendering of ``toml_write.render_record``.

tomlkit builds a document model for every file, which costs about 0.3 ms a paper: most of a
10k-entry import. Records hold only strings, integers, dates and lists of strings (or of author
tables), so their canonical text is easy to write directly. Anything outside that shape (control
characters, a ``'''`` in a long text, unusual keys or values) returns None and is left to tomlkit;
a property test checks that both writers agree.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LITERAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
#: Fields written as multi-line text even without a line break.
TEXT_FIELDS = ("abstract", "description")


def _basic(value: str) -> str | None:
    if _CONTROL.search(value):
        return None
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _inline(value: Any) -> str | None:
    if isinstance(value, str):
        return _basic(value)
    if isinstance(value, dict) and value:
        parts: list[str] = []
        for key, item in value.items():
            text = _basic(item) if isinstance(item, str) and isinstance(key, str) and _BARE_KEY.match(key) else None
            if text is None:
                return None
            parts.append(f"{key} = {text}")
        return "{" + ", ".join(parts) + "}"
    return None


def _value(name: str, value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        if "\n" in value or name in TEXT_FIELDS:
            if "'''" in value or _LITERAL_UNSAFE.search(value):
                return None
            return "'''\n" + value + "\n'''"
        return _basic(value)
    if isinstance(value, list):
        array = name == "authors" or (name == "aliases" and len(value) > 3)
        if not array and any(not isinstance(v, str) for v in value):
            return None
        items = [_inline(v) for v in value]
        if any(item is None for item in items):
            return None
        if array and len(value) > 1:
            return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
        return "[" + ", ".join(str(item) for item in items) + "]"
    return None


def render_fast(record: dict[str, Any]) -> str | None:
    """The canonical TOML text of ``record``, or None when only tomlkit can say."""
    lines: list[str] = []
    for name, value in record.items():
        if not _BARE_KEY.match(name):
            return None
        text = _value(name, value)
        if text is None:
            return None
        lines.append(f"{name} = {text}\n")
    return "".join(lines)
