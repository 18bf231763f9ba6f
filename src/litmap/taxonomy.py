"""The category tree: lookups, paths, descendants and the rules that keep it a tree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import ValidationError

from litmap.errors import InvalidOption, InvalidValue, UnknownCategory
from litmap.models import Category, first_problem
from litmap.records import CATEGORY_ID_RE


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

    def shown_paths(self) -> dict[str, str]:
        """Every category's path from its root, by title (``A › B › C``): how ``show`` names it."""
        return {c.id: " › ".join(a.title for a in self.path(c.id)) for c in self._by_id.values()}

    def tree_rows(self) -> list[tuple[str, str, str | None, list[str]]]:
        """(id, title, parent, ids of its path from the root) of every category, in tree order."""
        return [(c.id, c.title, c.parent, [a.id for a in self.path(c.id)]) for c in self]

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

    # -- reshaping: each returns a new Taxonomy and leaves this one as it was ------------------

    def in_file_order(self) -> list[Category]:
        """All categories in the order ``taxonomy.toml`` stores them (what a rewrite keeps)."""
        return list(self._by_id.values())

    def is_within(self, category_id: str, ancestor_id: str) -> bool:
        """Whether ``category_id`` is ``ancestor_id`` or lies anywhere below it."""
        return any(c.id == ancestor_id for c in self.path(category_id))

    def with_added(self, category: Category) -> Taxonomy:
        """A copy with ``category`` added as the last child of its parent (stored after its parent's subtree)."""
        if category.id in self:
            raise InvalidValue(f"category {category.id!r} already exists")
        stored = self.in_file_order()
        if category.parent is None:
            return _renumbered([*stored, category])
        self.get(category.parent)
        return _renumbered(_insert_after_subtree(self, stored, category.parent, [category]))

    def with_renamed(self, old_id: str, new_id: str, title: str | None = None) -> Taxonomy:
        """A copy where ``old_id`` is called ``new_id`` (its subcategories follow), optionally retitled."""
        self.get(old_id)
        new_id = validate_category_id(new_id)
        if new_id == old_id and title is None:
            raise InvalidValue(f"category {old_id!r} already has that id")
        if new_id != old_id and new_id in self:
            raise InvalidValue(f"cannot rename {old_id!r} to {new_id!r}: that category already exists")
        updated = []
        for category in self.in_file_order():
            fields: dict[str, object] = {}
            if category.id == old_id:
                fields["id"] = new_id
                if title is not None:
                    fields["title"] = title
            if category.parent == old_id:
                fields["parent"] = new_id
            updated.append(_changed(category, fields) if fields else category)
        return _renumbered(updated)

    def with_moved(self, category_id: str, parent: str | None) -> Taxonomy:
        """A copy with ``category_id`` (and its subtree) under ``parent`` (None: top level).

        Refuses a move that would make a cycle: a category under itself or under one of its own
        subcategories.
        """
        category = self.get(category_id)
        if parent is not None:
            self.get(parent)
            if self.is_within(parent, category_id):
                where = "itself" if parent == category_id else f"its own subcategory {parent!r}"
                raise InvalidValue(f"cannot move {category_id!r} under {where}: that would make a cycle")
        if category.parent == parent:
            where = f"under {parent!r}" if parent else "at the top level"
            raise InvalidValue(f"category {category_id!r} is already {where}")
        subtree = set(self.descendants(category_id))
        block = [_changed(c, {"parent": parent}) if c.id == category_id else c for c in self.in_file_order()]
        moving = [c for c in block if c.id in subtree]
        rest = [c for c in block if c.id not in subtree]
        if parent is None:
            return _renumbered([*rest, *moving])
        return _renumbered(_insert_after_subtree(Taxonomy(rest), rest, parent, moving))

    def without(self, category_id: str, reassign_to: str | None = None) -> Taxonomy:
        """A copy without ``category_id``; its subcategories move under ``reassign_to``.

        Refuses while it has subcategories and no ``reassign_to`` is given, and refuses a
        ``reassign_to`` inside the category being removed.
        """
        self.get(category_id)
        children = self.children(category_id)
        if reassign_to is not None:
            self.get(reassign_to)
            if self.is_within(reassign_to, category_id):
                raise InvalidValue(
                    f"cannot reassign {category_id!r} to {reassign_to!r}: it is {category_id!r} itself "
                    "or one of its subcategories"
                )
        elif children:
            names = ", ".join(repr(c.id) for c in children)
            raise InvalidOption(
                "reassign_to",
                f"category {category_id!r} has subcategories ({names}): move or remove them first, "
                "or pass {option} OTHER",
            )
        kept = [
            _changed(c, {"parent": reassign_to}) if c.parent == category_id else c
            for c in self.in_file_order()
            if c.id != category_id
        ]
        return _renumbered(kept)


def validate_category_id(category_id: str) -> str:
    """``category_id`` if it is a valid slug; InvalidValue saying what a slug is otherwise."""
    if not CATEGORY_ID_RE.match(category_id):
        raise InvalidValue(
            f"invalid category id {category_id!r}: use lower-case letters, digits and single hyphens "
            "(e.g. sparse-autoencoders)"
        )
    return category_id


def _changed(category: Category, fields: dict[str, object]) -> Category:
    """A validated copy of ``category`` with ``fields`` replaced."""
    try:
        return Category(**{**category.model_dump(), **fields})
    except ValidationError as exc:
        raise InvalidValue(first_problem(exc).message) from None


def _insert_after_subtree(
    taxonomy: Taxonomy, stored: list[Category], parent: str, new: list[Category]
) -> list[Category]:
    """``stored`` with ``new`` inserted just after the last stored member of ``parent``'s subtree."""
    subtree = set(taxonomy.descendants(parent))
    last = max(i for i, c in enumerate(stored) if c.id in subtree)
    return [*stored[: last + 1], *new, *stored[last + 1 :]]


def _renumbered(categories: list[Category]) -> Taxonomy:
    """A Taxonomy of ``categories`` whose ``order`` is their position among siblings, as when read back."""
    seen: dict[str | None, int] = {}
    out = []
    for category in categories:
        position = seen.get(category.parent, 0)
        seen[category.parent] = position + 1
        out.append(category if category.order == position else category.model_copy(update={"order": position}))
    return Taxonomy(out)
