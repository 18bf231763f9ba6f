"""Pairs of look-alike papers a user has declared different works (``litmap dedupe --not A B``).

They live in ``distinct.toml`` at the library root, tracked by git so the decision is shared:

    pairs = [
        ["hanna2023gpt2", "hanna2023gpt2b"],
    ]

A key in a pair may be an alias left by a merge: it still names the paper it was merged into.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litmap.errors import InvalidFile
from litmap.models import Paper

if TYPE_CHECKING:
    from litmap.store.files import Changes
    from litmap.store.library import Library

DISTINCT_FILE = "distinct.toml"
HEADER = (
    "# Papers that look alike but are different works: `litmap dedupe`, `add` and `import` never\n"
    "# treat these pairs as duplicates. Written by `litmap dedupe --not KEY KEY`; edit freely.\n"
)


class DistinctPairs:
    """A set of unordered key pairs, with look-ups that follow each paper's aliases."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._partners: dict[str, set[str]] = defaultdict(set)
        for one, other in pairs:
            self.add(one, other)

    def __len__(self) -> int:
        return sum(len(p) for p in self._partners.values()) // 2

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Each pair once, sorted, in sorted order."""
        return iter(sorted({tuple(sorted((a, b))) for a, bs in self._partners.items() for b in bs}))  # type: ignore[misc]

    def add(self, one: str, other: str) -> bool:
        """Record that ``one`` and ``other`` are different papers; False if already recorded."""
        if other in self._partners.get(one, ()):
            return False
        self._partners[one].add(other)
        self._partners[other].add(one)
        return True

    def has(self, one: str, other: str) -> bool:
        """Whether this exact pair of keys is recorded."""
        return other in self._partners.get(one, ())

    def contains(self, one: Paper, other: Paper) -> bool:
        """Whether the two papers (under any of their keys and aliases) were declared different."""
        if not self._partners:
            return False
        other_keys = set(other.all_keys)
        return any(not self._partners.get(key, set()).isdisjoint(other_keys) for key in one.all_keys)

    def partners(self, keys: Iterable[str]) -> set[str]:
        """Every key recorded as different from one of ``keys``."""
        found: set[str] = set()
        for key in keys:
            found |= self._partners.get(key, set())
        return found

    def discard_within(self, keys: Iterable[str]) -> bool:
        """Forget pairs with both keys among ``keys`` (they were merged into one paper); True if any."""
        inside = set(keys)
        changed = False
        for key in inside & set(self._partners):
            stale = self._partners[key] & inside
            if stale:
                self._partners[key] -= stale
                changed = True
        return changed

    def discard_keys(self, keys: Iterable[str]) -> bool:
        """Forget every pair naming one of ``keys`` (those papers were removed); True if any."""
        changed = False
        for key in set(keys):
            for partner in self._partners.pop(key, set()):
                self._partners[partner].discard(key)
                changed = True
        return changed


def parse_distinct(text: str, path: str) -> tuple[DistinctPairs, list[tuple[str, int | None]]]:
    """Read ``distinct.toml`` text: the pairs and the problems (message, line) of malformed entries.

    InvalidFile when the text is not TOML at all.
    """
    from litmap.store.codec import field_line, parse_toml

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
    import json

    lines = [HEADER.rstrip("\n"), "pairs = ["]
    lines += [f"    [{json.dumps(a, ensure_ascii=False)}, {json.dumps(b, ensure_ascii=False)}]," for a, b in pairs]
    lines.append("]")
    return "\n".join(lines) + "\n"


def distinct_path(library: Library) -> Path:
    """Where ``library`` keeps its distinct pairs."""
    return library.root / DISTINCT_FILE


def load_distinct(library: Library) -> DistinctPairs:
    """The library's distinct pairs (none when the file is absent); InvalidFile if it is not TOML."""
    from litmap.store.library import read_text

    path = distinct_path(library)
    if not path.exists():
        return DistinctPairs()
    pairs, _problems = parse_distinct(read_text(path), str(path))
    return pairs


def stage_distinct(library: Library, changes: Changes, pairs: DistinctPairs) -> None:
    """Stage writing ``pairs`` to the library's ``distinct.toml`` (part of a ``library.writing()`` change)."""
    changes.write(distinct_path(library), distinct_to_toml(pairs))


def mark_distinct(library: Library, one: str, other: str) -> tuple[Paper, Paper, bool]:
    """Record that papers ``one`` and ``other`` are different works; returns them and whether it is new.

    Keys (or aliases) resolve through the library; naming one paper twice is an InvalidValue.
    """
    from litmap.errors import InvalidValue

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
    from litmap.store.library import read_text

    path = distinct_path(library)
    if not path.exists():
        return []
    try:
        text = read_text(path)
        pairs, problems = parse_distinct(text, str(path))
    except InvalidFile as error:
        return [(error.detail, error.line)]
    from litmap.fuzzy import closest

    known = set(known_keys)
    for key in sorted({k for pair in pairs for k in pair} - known):
        hint = closest(key, sorted(known), limit=1)
        suffix = f" (did you mean {hint[0]!r}?)" if hint else "; remove its pair"
        problems.append((f"no paper with key {key!r}{suffix}", _line_of(text, key)))
    return problems


def _line_of(text: str, key: str) -> int | None:
    position = text.find(f'"{key}"')
    return text.count("\n", 0, position) + 1 if position >= 0 else None
