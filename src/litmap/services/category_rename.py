"""``litmap category rename`` through the index, without the model.

Cheap to import: the commonest reshaping of the tree rewrites ``taxonomy.toml`` and one line of each
paper filed under the category, and their index rows, without loading pydantic or tomlkit.
:func:`litmap.services.curation.rename_category` is the full use case, which this one hands over to
whenever the index cannot answer (and for every mistake, which it explains). Never prints.
"""

from __future__ import annotations

from pathlib import Path

from litmap.services.tagging import Outcome


def rename_through_index(root: Path, read_only: bool, old: str, new: str, title: str | None = None) -> Outcome | None:
    """:func:`~litmap.services.curation.rename_category` as one atomic change under the library lock;
    None, with nothing written, when only the full use case can do it (see
    :func:`~litmap.store.refile.stage_rename`)."""
    from litmap.store.index_db import existing_index
    from litmap.store.index_write import locked_change
    from litmap.store.refile import stage_rename

    if read_only or existing_index(root) is None:
        return None
    with locked_change(root, read_only) as changes:
        keys = stage_rename(root, read_only, old, new, title, changes)  # None: nothing staged
    return None if keys is None else Outcome(changed=keys, unchanged=[])
