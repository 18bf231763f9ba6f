"""The category tree: lookups, paths, descendants and the rules that keep it a tree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from litmap.errors import UnknownCategory
from litmap.models import Category


class Taxonomy:
    """An ordered tree (or forest) of categories, keyed by id."""

    def __init__(self, categories: Iterable[Category] = ()) -> None:
        self._by_id: dict[str, Category] = {}
        for category in categories:
            self._by_id[category.id] = category

    def __contains__(self, category_id: object) -> bool:
        return category_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Category]:
        """Categories in tree order: depth first, siblings by ``order``."""
        for root in self.roots():
            yield from self._walk(root)

    def _walk(self, category: Category) -> Iterator[Category]:
        yield category
        for child in self.children(category.id):
            yield from self._walk(child)

    @property
    def ids(self) -> list[str]:
        """All ids, in tree order."""
        return [c.id for c in self]

    def get(self, category_id: str) -> Category:
        """The category ``category_id``; UnknownCategory (with suggestions) if there is none."""
        try:
            return self._by_id[category_id]
        except KeyError:
            raise UnknownCategory(category_id, self.suggest(category_id)) from None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Close category ids for a mistyped one."""
        from litmap.fuzzy import closest

        return closest(text, list(self._by_id), limit=limit)

    def roots(self) -> list[Category]:
        """Top-level categories (no parent, or a parent that does not exist), in order."""
        roots = [c for c in self._by_id.values() if c.parent is None or c.parent not in self._by_id]
        return sorted(roots, key=lambda c: c.order)

    def children(self, category_id: str) -> list[Category]:
        """Direct subcategories of ``category_id``, in order."""
        kids = [c for c in self._by_id.values() if c.parent == category_id and c.id != category_id]
        return sorted(kids, key=lambda c: c.order)

    def descendants(self, category_id: str) -> list[str]:
        """``category_id`` and every category below it (the set a ``--category`` filter matches)."""
        self.get(category_id)
        out: list[str] = []
        stack = [category_id]
        while stack:
            current = stack.pop()
            if current in out:
                continue
            out.append(current)
            stack.extend(c.id for c in reversed(self.children(current)))
        return out

    def path(self, category_id: str) -> list[Category]:
        """The categories from the root down to ``category_id``."""
        chain: list[Category] = []
        current: str | None = category_id
        while current is not None and current in self._by_id:
            category = self._by_id[current]
            if category in chain:
                break
            chain.append(category)
            current = category.parent
        return list(reversed(chain))

    def depth(self, category_id: str) -> int:
        """0 for a root, 1 for its children, ..."""
        return len(self.path(category_id)) - 1

    def problems(self) -> list[str]:
        """What makes this taxonomy invalid: unknown parents and cycles."""
        found: list[str] = []
        for category in self._by_id.values():
            if category.parent is not None and category.parent not in self._by_id:
                found.append(f"category {category.id!r} has unknown parent {category.parent!r}")
        for category in self._by_id.values():
            seen: set[str] = set()
            current: str | None = category.id
            while current is not None and current in self._by_id:
                if current in seen:
                    found.append(f"category {category.id!r} is part of a parent cycle")
                    break
                seen.add(current)
                current = self._by_id[current].parent
        return found

    def categories(self) -> list[Category]:
        """All categories in tree order (a list copy)."""
        return list(self)
