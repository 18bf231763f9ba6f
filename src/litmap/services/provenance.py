"""Field provenance: which source a paper's fields came from, and a short digest of each as fetched.

Recorded in the paper file as ``provenance = {source = "arxiv", id = "2209.10652", fetched =
"2026-12-02", fields = {title = "1f2e3d4c", ...}}``; a field whose value no longer matches its
digest was edited by hand (see :mod:`litmap.services.refresh`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from litmap.models import Paper

#: Fields that are never a source's: they are the library's or the user's.
OWN_FIELDS = frozenset({"key", "categories", "tags", "note", "added", "aliases", "files", "provenance"})


def digest(value: Any) -> str:
    """A short, stable digest of a field's value as its record holds it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def source_fields(paper: Paper) -> dict[str, Any]:
    """The fields of a fetched paper that came from its source, as its record holds them."""
    return {name: value for name, value in paper.to_json().items() if name not in OWN_FIELDS}


def stamp(paper: Paper, source: str, identifier: str, today: dt.date | None = None) -> Paper:
    """``paper`` as fetched from ``source`` by ``identifier``, with its provenance recorded."""
    fetched = (today or dt.date.today()).isoformat()
    fields = {name: digest(value) for name, value in source_fields(paper).items()}
    return paper.model_copy(
        update={"provenance": {"source": source, "id": identifier, "fetched": fetched, "fields": fields}}
    )
