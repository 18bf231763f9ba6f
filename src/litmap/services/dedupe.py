"""Duplicates in a library: finding them, merging them, and the pairs declared different works.

The rules (matching, grouping, merging records, the pair set) are pure and live in
:mod:`litmap.dedupe`; this module applies them to a library: it reads ``distinct.toml``, writes
merges and new pairs as one atomic change each.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from litmap.dedupe.distinct import DistinctPairs
from litmap.dedupe.groups import DuplicateGroup, find_duplicates
from litmap.dedupe.matching import DEFAULT_THRESHOLD, Matcher
from litmap.dedupe.merge import MergeResult, ensure_same_paper, merge_records, ordered_for_merge
from litmap.errors import InvalidFile, InvalidValue, LitmapError
from litmap.fuzzy import closest
from litmap.models import Paper
from litmap.store import Library
from litmap.store.codec import field_line, parse_toml
from litmap.store.files import Changes, read_text
from litmap.store.layout import DISTINCT_FILE

HEADER = (
    "# Papers that look alike but are different works: `litmap dedupe`, `add` and `import` never\n"
    "# treat these pairs as duplicates. Written by `litmap dedupe --not KEY KEY`; edit freely.\n"
)


def parse_distinct(text: str, path: str) -> tuple[DistinctPairs, list[tuple[str, int | None]]]:
    """Read ``distinct.toml`` text: the pairs and the problems (message, line) of malformed entries.

    InvalidFile when the text is not TOML at all.
    """
    data: dict[str, Any] = parse_toml(text, path)
    problems: list[tuple[str, int | None]] = []
    pairs = DistinctPairs()
    line = field_line(text, "pairs")
    for name in sorted(set(data) - {"pairs"}):
        problems.append((f"unknown key {name!r} (expected pairs = [[KEY, KEY], ...])", field_line(text, name)))
    entries = data.get("pairs", [])
    if not isinstance(entries, list):
        return pairs, [*problems, ("'pairs' must be a list of [KEY, KEY] pairs", line)]
    for position, entry in enumerate(entries):
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(k, str) and k for k in entry)):
            problems.append((f"pairs[{position}] must be two citekeys, got {entry!r}", line))
        elif entry[0] == entry[1]:
            problems.append((f"pairs[{position}] names {entry[0]!r} twice", line))
        else:
            pairs.add(entry[0], entry[1])
    return pairs, problems


def distinct_to_toml(pairs: DistinctPairs) -> str:
    """The text of ``distinct.toml`` for ``pairs`` (sorted, one pair per line)."""
    lines = [HEADER.rstrip("\n"), "pairs = ["]
    lines += [f"    [{json.dumps(a, ensure_ascii=False)}, {json.dumps(b, ensure_ascii=False)}]," for a, b in pairs]
    lines.append("]")
    return "\n".join(lines) + "\n"


def text_problems(text: str, path: str, known_keys: Iterable[str]) -> list[tuple[str, int | None]]:
    """Problems of a ``distinct.toml`` text for ``litmap check``: malformed pairs and keys no paper answers to."""
    try:
        pairs, problems = parse_distinct(text, path)
    except InvalidFile as error:
        return [(error.detail, error.line)]
    known = set(known_keys)
    for key in sorted({k for pair in pairs for k in pair} - known):
        hint = closest(key, sorted(known), limit=1)
        suffix = f" (did you mean {hint[0]!r}?)" if hint else "; remove its pair"
        problems.append((f"no paper with key {key!r}{suffix}", _line_of(text, key)))
    return problems


def _line_of(text: str, key: str) -> int | None:
    position = text.find(f'"{key}"')
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def distinct_path(library: Library) -> Path:
    """Where ``library`` keeps its distinct pairs."""
    return library.root / DISTINCT_FILE


def load_distinct(library: Library) -> DistinctPairs:
    """The library's distinct pairs (none when the file is absent); InvalidFile if it is not TOML."""
    path = distinct_path(library)
    if not path.exists():
        return DistinctPairs()
    pairs, _problems = parse_distinct(read_text(path), str(path))
    return pairs


def stage_distinct(library: Library, changes: Changes, pairs: DistinctPairs) -> None:
    """Stage writing ``pairs`` to the library's ``distinct.toml`` (part of a ``library.writing()`` change)."""
    changes.write(distinct_path(library), distinct_to_toml(pairs))


def library_matcher(library: Library, threshold: float = DEFAULT_THRESHOLD) -> Matcher:
    """A matcher over every paper of ``library``, honouring its recorded distinct pairs."""
    return Matcher(library.papers(), distinct=load_distinct(library), threshold=threshold)


def library_duplicates(library: Library, threshold: float = DEFAULT_THRESHOLD) -> list[DuplicateGroup]:
    """Every group of duplicates in ``library``, honouring its distinct pairs."""
    return find_duplicates(library.papers(), load_distinct(library), threshold)


def mark_distinct(library: Library, one: str, other: str) -> tuple[Paper, Paper, bool]:
    """Record that papers ``one`` and ``other`` are different works; returns them and whether it is new.

    Keys (or aliases) resolve through the library; naming one paper twice is an InvalidValue.
    """
    library.ensure_writable()
    first, second = library.get(one), library.get(other)
    if first.key == second.key:
        raise InvalidValue(f"{one!r} and {other!r} are the same paper ({first.key})")
    with library.writing() as changes:
        pairs = load_distinct(library)
        if pairs.contains(first, second):
            return first, second, False
        pairs.add(first.key, second.key)
        stage_distinct(library, changes, pairs)
    return first, second, True


def distinct_problems(library: Library, known_keys: Iterable[str]) -> list[tuple[str, int | None]]:
    """Problems of ``distinct.toml`` for ``litmap check``: malformed pairs and keys no paper answers to."""
    path = distinct_path(library)
    if not path.exists():
        return []
    try:
        text = read_text(path)
    except InvalidFile as error:
        return [(error.detail, error.line)]
    return text_problems(text, str(path), known_keys)


def merge_in_library(
    library: Library, papers: Sequence[Paper], keep: str | None = None, *, force: bool = False
) -> MergeResult:
    """Merge ``papers`` of ``library`` into ``keep`` as one atomic change: the kept file rewritten,
    the others removed, and pairs of ``distinct.toml`` that now name one paper forgotten.

    The records are read again under the lock, so a change made meanwhile is not overwritten. Unless
    ``force``, a record the matcher does not find to be the kept paper, or one recorded as distinct
    from it, is refused (InvalidValue, nothing written).
    """
    library.ensure_writable()
    ordered_for_merge(papers, keep)
    with library.writing() as changes:
        fresh = []
        for paper in papers:
            path = library.paper_path(paper.key)
            if not path.is_file():
                raise LitmapError(f"{path} disappeared while merging (another litmap process?); run the merge again")
            fresh.append(library.load_paper_file(path))
        pairs = load_distinct(library)
        if not force:
            ensure_same_paper(fresh, keep, pairs)
        result = merge_records(fresh, keep)
        library.stage_paper(changes, result.paper)
        for key in result.removed:
            library.stage_delete(changes, key)
        if pairs.discard_within(result.paper.all_keys):
            stage_distinct(library, changes, pairs)
    return result
