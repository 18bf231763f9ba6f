"""Pairs of look-alike papers a user has declared different works (``litmap dedupe --not A B``).

They live in ``distinct.toml`` at the library root, tracked by git so the decision is shared
(read and written by :mod:`litmap.services.dedupe`):

    pairs = [
        ["hanna2023gpt2", "hanna2023gpt2b"],
    ]

A key in a pair may be an alias left by a merge: it still names the paper it was merged into.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from litmap.models import Paper


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

    def contains(self, one: Paper, other: Paper) -> bool:
        """Whether the two papers (under any of their keys and aliases) were declared different."""
        if not self._partners:
            return False
        other_keys = set(other.all_keys)
        return any(not self._partners.get(key, set()).isdisjoint(other_keys) for key in one.all_keys)

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
