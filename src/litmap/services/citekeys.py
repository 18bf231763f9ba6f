"""Which key names which paper while papers come in: the rules that keep a .bib file's keys true.

Every key that appears in an imported file (an entry's key, its biblatex ``ids``) keeps naming its
own entry, as the paper's key or as an alias, and never another paper's:

- a key made from the citekey pattern avoids the keys of the library *and* every key of the file,
  so an earlier entry cannot take a later entry's key;
- an entry's own keys become aliases of its paper (with ``--keep-keys`` its key becomes the paper's
  key when it can name a file and is free); a key that cannot name a file (DBLP's
  ``DBLP:conf/sss/ShapiroPBZ11``) is an alias;
- the keys of an entry skipped as a duplicate become aliases of the paper it duplicates;
- a key that already names another paper stays that paper's, and the outcome says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from litmap.keys import make_key
from litmap.models import ALIAS_RE, Paper, citekey_problem


@dataclass(frozen=True)
class KeyChoice:
    """The key a new paper gets, the aliases it keeps, and the keys it could not keep (and why)."""

    key: str
    aliases: list[str]
    notes: list[str]


class KeyBook:
    """The keys and aliases of a library (each naming one paper) and the keys of a file yet to come."""

    def __init__(self, papers: Iterable[Paper], file_keys: Iterable[str] = ()) -> None:
        self.owner: dict[str, str] = {}
        for paper in papers:
            for key in paper.all_keys:
                self.owner.setdefault(key.lower(), paper.key)
        for key in file_keys:  # the names of paper files too, readable or not
            self.owner.setdefault(key.lower(), key)
        self.reserved: set[str] = set()

    def reserve(self, keys: Iterable[str]) -> None:
        """Hold the keys of a file for their own entries: no made key takes one of them."""
        self.reserved.update(key.lower() for key in keys)

    def is_taken(self, key: str, own: Sequence[str] = ()) -> bool:
        """Whether ``key`` names a paper, or is held for another entry than the one whose keys are ``own``."""
        low = key.lower()
        if low in self.owner:
            return True
        return low in self.reserved and low not in {k.lower() for k in own}

    def claim(self, paper: Paper) -> None:
        """Record that ``paper``'s key and aliases now name it."""
        for key in paper.all_keys:
            self.owner.setdefault(key.lower(), paper.key)

    def choose(self, paper: Paper, own: Sequence[str], pattern: str, keep_keys: bool) -> KeyChoice:
        """The key and aliases of a new paper whose entry has the keys ``own`` (its key first)."""
        notes: list[str] = []
        key = None
        if keep_keys and own:
            problem = citekey_problem(own[0]) or self._held_by(own[0])
            if problem is None:
                key = own[0]
            else:
                notes.append(f"could not keep the key {own[0]!r}: {problem}")
        if key is None:
            key = make_key(paper, lambda k: self.is_taken(k, own), pattern)
        aliases, more = self.aliases_for(key, [*own, *paper.aliases])
        return KeyChoice(key, aliases, notes + more)

    def aliases_for(self, key: str, wanted: Iterable[str]) -> tuple[list[str], list[str]]:
        """Which of ``wanted`` may become aliases of the paper ``key``; and why the others may not."""
        aliases: list[str] = []
        notes: list[str] = []
        seen = {key.lower()}
        for alias in wanted:
            low = alias.lower()
            if low in seen:
                continue
            seen.add(low)
            holder = self.owner.get(low)
            if holder == key:
                continue
            if holder is not None:
                notes.append(f"the key {alias!r} already names another paper ({holder}); cite this one as {key}")
            elif not ALIAS_RE.match(alias):
                notes.append(f"the key {alias!r} cannot be a citekey (spaces, commas, braces, quotes, % or #)")
            else:
                aliases.append(alias)
        return aliases, notes

    def _held_by(self, key: str) -> str | None:
        holder = self.owner.get(key.lower())
        if holder is None:
            return None
        if holder.lower() == key.lower():
            return f"it already names another paper in the library ({holder})"
        return f"it is already an alias of another paper ({holder})"
