"""Writing paper records as TOML: the canonical text of a record, and a changed record written over
its file's previous text keeping the user's comments and formatting. No model needed (records only).
"""

from __future__ import annotations

import re
from typing import Any

from litmap.records import TRAILING_FIELDS


def text_item(value: str) -> Any:
    """A multi-line string item: literal when the text allows it (backslashes stay readable)."""
    import tomlkit
    from tomlkit.items import String, StringType, Trivia

    if "'''" in value or re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value):
        return tomlkit.string(value, multiline=True)
    return String(StringType.MLL, value, "\n" + value + "\n", Trivia())


def _item(name: str, value: Any) -> Any:
    import tomlkit

    if isinstance(value, dict):  # provenance: an inline table (a table would have to come last)
        table = tomlkit.inline_table()
        for key, entry in value.items():
            table[key] = _item(key, entry) if isinstance(entry, dict) else entry
        return table

    if name == "authors" or (name == "aliases" and len(value) > 3):
        array = tomlkit.array()
        for entry in value:
            if isinstance(entry, dict):
                table = tomlkit.inline_table()
                table.update(entry)
                array.append(table)
            else:
                array.append(entry)
        array.multiline(len(value) > 1)
        return array
    if isinstance(value, str) and ("\n" in value or name in ("abstract", "description")):
        return text_item(value)
    return tomlkit.item(value)


def render_record(record: dict[str, Any]) -> str:
    """Canonical TOML text for a record (fields in record order)."""
    from litmap.store.toml_fast import render_fast

    fast = render_fast(record)
    return fast if fast is not None else render_record_tomlkit(record)


def render_record_tomlkit(record: dict[str, Any]) -> str:
    """:func:`render_record` through tomlkit: the reference ``toml_fast`` must match byte for byte."""
    import tomlkit

    doc = tomlkit.document()
    for name, value in record.items():
        doc[name] = _item(name, value)
    return tomlkit.dumps(doc)


def _update_in_place(previous: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    import tomlkit

    doc = tomlkit.parse(previous)
    for name in list(doc.keys()):
        if name not in new:
            del doc[name]
    # Only a changed field is written: one the file leaves out and the model fills in (a default
    # ``type``) stays out, so a tag change does not add ``type = "article"``.
    changed = [name for name in new if name not in old or old[name] != new[name]]
    added = [name for name in changed if name not in doc and name not in TRAILING_FIELDS]
    trailing = {name: doc[name] for name in TRAILING_FIELDS if name in doc} if added else {}
    for name in trailing:  # new fields go before the abstract, which stays last
        del doc[name]
    for name in changed:
        if name not in trailing:
            doc[name] = _item(name, new[name])
    for name, item in trailing.items():
        doc[name] = item if old.get(name) == new.get(name) else _item(name, new[name])
    return tomlkit.dumps(doc)


def record_to_toml(record: dict[str, Any], previous: str, old_record: dict[str, Any]) -> str:
    """TOML text for ``record`` over a file whose ``previous`` text holds ``old_record`` (records as
    :meth:`~litmap.models.Paper.to_record` gives them): the file untouched if the record is the same,
    the canonical text if the file was canonical, else only the changed fields rewritten in place."""
    if old_record == record:
        return previous
    if previous == render_record(old_record):
        return render_record(record)
    return _update_in_place(previous, old_record, record)
