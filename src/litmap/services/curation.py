"""Curation: tagging and filing papers, reshaping the category tree, removing and hand-editing papers.

Every use case validates the whole request before anything is written (an unknown key or category
changes nothing), then writes what changed as one atomic change under the library lock, reading
the library under that lock so that two litmap processes never lose each other's changes.
Never prints, prompts or exits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from litmap.errors import (
    InvalidFile,
    InvalidOption,
    InvalidValue,
    LitmapError,
    UnknownCategory,
    UnknownKey,
    UnknownKeys,
    did_you_mean,
)
from litmap.models import Category, Paper, entry_type_problem, first_problem, unique_tags
from litmap.records import merged_labels
from litmap.services.tagging import Outcome as Outcome
from litmap.services.tagging import TagRequest as TagRequest
from litmap.services.tagging import checked_request, validate_tag
from litmap.services.tagging import split_tag_args as split_tag_args
from litmap.store import Library
from litmap.store.files import Changes
from litmap.taxonomy import validate_category_id


class EditConflict(LitmapError):
    """The paper file changed on disk while the user was editing a copy of it."""


# -- keys and tags -----------------------------------------------------------------------------


def resolve_papers(library: Library, keys: Iterable[str]) -> list[Paper]:
    """The papers for ``keys`` (aliases resolve; repeats count once), all or nothing.

    One unknown key raises UnknownKey with suggestions; several raise one InvalidValue naming each.
    """
    papers: dict[str, Paper] = {}
    unknown: list[UnknownKey] = []
    for key in keys:
        try:
            paper = library.get(key)
        except UnknownKey as exc:
            unknown.append(exc)
            continue
        papers.setdefault(paper.key, paper)
    if len(unknown) == 1:
        raise unknown[0]
    if unknown:
        named = ", ".join(
            repr(exc.key) + (f" (did you mean {exc.suggestions[0]!r}?)" if exc.suggestions else "") for exc in unknown
        )
        raise UnknownKeys(f"{len(unknown)} unknown keys: {named}")
    if not papers:
        raise InvalidValue("no citekeys given")
    return list(papers.values())


def _check_categories(library: Library, add: Iterable[str], remove: Iterable[str], papers: list[Paper]) -> None:
    taxonomy = library.taxonomy()
    for category_id in add:
        taxonomy.get(category_id)
    for category_id in remove:
        # An id the taxonomy lacks may still be removed from papers that carry it (a stale id).
        if category_id not in taxonomy and not any(category_id in p.categories for p in papers):
            taxonomy.get(category_id)


def tag_papers(
    library: Library,
    keys: Iterable[str],
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    categorize: Iterable[str] = (),
    uncategorize: Iterable[str] = (),
) -> Outcome:
    """Add and remove tags and categories on the papers ``keys``, as one atomic change."""
    add, remove, categorize, uncategorize = checked_request(add, remove, categorize, uncategorize)
    outcome = Outcome([], [])
    with library.writing() as changes:
        papers = resolve_papers(library, keys)
        add = library.tags_spelled_as_held(add) if add else add
        _check_categories(library, categorize, uncategorize, papers)
        for paper in papers:
            tags = merged_labels(paper.tags, add, remove)
            categories = merged_labels(paper.categories, categorize, uncategorize)
            if tags == paper.tags and categories == paper.categories:
                outcome.unchanged.append(paper.key)
                continue
            library.stage_paper(changes, paper.model_copy(update={"tags": tags, "categories": categories}))
            outcome.changed.append(paper.key)
    return outcome


def rename_tag(library: Library, old: str, new: str) -> Outcome:
    """Rename the tag ``old`` to ``new`` on every paper that has it, as one atomic change."""
    from litmap.fuzzy import closest
    from litmap.services.stats import tag_counts

    old, new = validate_tag(old), validate_tag(new)
    if old == new:
        raise InvalidValue(f"the tag {old!r} already has that name")
    outcome = Outcome([], [])
    with library.writing() as changes:
        papers = library.every_paper()
        using = [p for p in papers if old.casefold() in {t.casefold() for t in p.tags}]
        if not using:
            in_use = [tag for tag, _count in tag_counts(papers)]
            raise InvalidValue(f"no paper has the tag {old!r}" + did_you_mean(closest(old, in_use)))
        for paper in using:
            tags = unique_tags(new if t.casefold() == old.casefold() else t for t in paper.tags)
            library.stage_paper(changes, paper.model_copy(update={"tags": tags}))
            outcome.changed.append(paper.key)
    return outcome


# -- the category tree -------------------------------------------------------------------------


def _refile(library: Library, changes: Changes, mapping: Mapping[str, str]) -> Outcome:
    """Stage every paper filed under a key of ``mapping`` refiled under its value."""
    return Outcome(library.stage_refile(changes, mapping), [])


def add_category(
    library: Library, category_id: str, title: str, parent: str | None = None, description: str | None = None
) -> Category:
    """Add a category (the last child of ``parent``, or a new top-level category)."""
    validate_category_id(category_id)
    try:
        category = Category(id=category_id, title=title, parent=parent, description=description)
    except ValidationError as exc:
        raise InvalidValue(first_problem(exc).message) from None
    with library.writing() as changes:
        reshaped = library.taxonomy().with_added(category)
        library.stage_taxonomy(changes, reshaped.in_file_order())
    return reshaped.get(category_id)


def rename_category(library: Library, old: str, new: str, title: str | None = None) -> Outcome:
    """Give the category ``old`` the id ``new`` (and optionally a new title), refiling every paper
    and subcategory that uses it, all in one atomic change."""
    with library.writing() as changes:
        reshaped = library.taxonomy().with_renamed(old, new, title)
        library.stage_taxonomy(changes, reshaped.in_file_order())
        return _refile(library, changes, {old: new}) if new != old else Outcome([], [])


def move_category(library: Library, category_id: str, parent: str | None) -> Category:
    """Put ``category_id`` (with its subtree) under ``parent``, or at the top level; refuses cycles."""
    with library.writing() as changes:
        reshaped = library.taxonomy().with_moved(category_id, parent)
        library.stage_taxonomy(changes, reshaped.in_file_order())
    return reshaped.get(category_id)


def remove_category(library: Library, category_id: str, reassign: str | None = None) -> Outcome:
    """Remove a category. While papers or subcategories use it this is refused, unless ``reassign``
    names the category that takes them over (one atomic change)."""
    with library.writing() as changes:
        taxonomy = library.taxonomy()
        taxonomy.get(category_id)
        users = [p.key for p in library.every_paper() if category_id in p.categories]
        children = [c.id for c in taxonomy.children(category_id)]
        if reassign is None and (users or children):
            uses = []
            if users:
                uses.append(f"{len(users)} paper{'s' if len(users) > 1 else ''} ({_listed(users)})")
            if children:
                uses.append(f"{len(children)} subcategor{'ies' if len(children) > 1 else 'y'} ({_listed(children)})")
            raise InvalidOption(
                "reassign",
                f"category {category_id!r} is used by {' and '.join(uses)}: pass {{option}} OTHER to hand them "
                "to another category",
            )
        reshaped = taxonomy.without(category_id, reassign)
        library.stage_taxonomy(changes, reshaped.in_file_order())
        return _refile(library, changes, {category_id: reassign}) if reassign else Outcome([], [])


def _listed(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", and {len(items) - limit} more" if len(items) > limit else "")


@dataclass
class CategoryReport:
    """Everything ``litmap category show`` tells about one category."""

    category: Category
    path: list[Category]
    children: list[tuple[Category, int]]
    papers: list[Paper]
    subtree_papers: list[Paper]


def category_report(library: Library, category_id: str) -> CategoryReport:
    """The category, its place in the tree, its subcategories (with paper counts) and its papers."""
    from litmap.selection import select
    from litmap.services.stats import category_counts

    taxonomy = library.taxonomy()
    category = taxonomy.get(category_id)
    papers = library.every_paper()
    counts = category_counts(papers, taxonomy)
    return CategoryReport(
        category=category,
        path=taxonomy.path(category_id),
        children=[(c, counts[c.id].subtree) for c in taxonomy.children(category_id)],
        papers=[p for p in papers if category_id in p.categories],
        subtree_papers=select(papers, taxonomy, category=category_id),
    )


# -- removing and editing papers -----------------------------------------------------------------


def papers_to_remove(library: Library, keys: Iterable[str]) -> list[Paper]:
    """The papers ``litmap rm`` would remove (checked before asking: writable library, known keys)."""
    library.ensure_writable()
    return resolve_papers(library, keys)


def remove_papers(library: Library, keys: Iterable[str]) -> list[str]:
    """Remove the papers ``keys`` as one atomic change (with their distinct pairs); return their keys.

    Their attached files go with them, once the papers are gone (see :mod:`litmap.services.attachments`).
    """
    from litmap.services.attachments import remove_attachments
    from litmap.services.dedupe import load_distinct, stage_distinct

    with library.writing() as changes:
        papers = resolve_papers(library, keys)
        for paper in papers:
            library.stage_delete(changes, paper.key)
        pairs = load_distinct(library)
        if pairs.discard_keys(key for paper in papers for key in paper.all_keys):
            stage_distinct(library, changes, pairs)
    remove_attachments(library, papers)
    return [p.key for p in papers]


@dataclass(frozen=True)
class EditSession:
    """A paper file handed to the user's editor: its key, path and text when the edit began."""

    key: str
    path: Path
    original: str


def begin_edit(library: Library, key: str) -> EditSession:
    """Start editing the paper ``key`` (an alias resolves to its paper).

    A file that does not parse can be edited too: that is how a broken file gets mended.
    """
    from litmap.models import validate_citekey
    from litmap.store.files import read_text

    library.ensure_writable()
    try:
        path = library.paper_path(validate_citekey(key))
    except ValueError:
        path = None
    if path is None or not path.is_file():
        path = library.paper_path(library.get(key).key)
    return EditSession(path.stem, path, read_text(path))


def finish_edit(library: Library, session: EditSession, text: str) -> Paper:
    """Validate the edited ``text`` and, only if it is valid, write it in place of the paper's file.

    The text is kept as written (comments and layout too). A changed key renames the file, if no
    other paper holds that key. Raises InvalidFile (naming the field and line) on an invalid edit,
    UnknownCategory for a new category the taxonomy lacks, EditConflict if the file changed meanwhile.
    """
    from litmap.store.codec import field_line, paper_from_toml
    from litmap.store.files import read_text

    where = str(session.path)
    paper = paper_from_toml(text, where)
    try:
        before: Paper | None = paper_from_toml(session.original, where)
    except InvalidFile:
        before = None  # the edit mends a broken file
    with library.writing() as changes:
        current = read_text(session.path) if session.path.is_file() else None
        if current != session.original:
            raise EditConflict(f"{where} changed on disk while you were editing it; your edit was not saved")
        taxonomy = library.taxonomy()
        for category_id in paper.categories:
            if category_id not in taxonomy and (before is None or category_id not in before.categories):
                error = UnknownCategory(category_id, taxonomy.suggest(category_id))
                raise InvalidFile(where, f"field 'categories': {error}", field_line(text, "categories"))
        problem = entry_type_problem(paper.type)
        if problem and (before is None or paper.type != before.type):
            raise InvalidFile(where, f"field 'type': {problem}", field_line(text, "type"))
        if before is None or paper.all_keys != before.all_keys:
            _check_keys_free(library, paper, session, text)
        if paper.key != session.key:
            changes.delete(session.path)
        changes.write(library.paper_path(paper.key), text)
    return paper


def _check_keys_free(library: Library, paper: Paper, session: EditSession, text: str) -> None:
    """InvalidFile if the edited key or an alias is another paper's key or alias (or file name)."""
    from litmap.store.codec import field_line

    owners: dict[str, str] = {}
    for path in library.paper_files():
        if path == session.path:
            continue
        owners.setdefault(path.stem, path.stem)
        try:
            other = library.load_paper_file(path)
        except InvalidFile:
            continue  # `litmap check` reports it; it cannot stop this edit
        for key in other.all_keys:
            owners.setdefault(key, path.stem)
    for field_name, key in [("key", paper.key)] + [("aliases", alias) for alias in paper.aliases]:
        if key in owners:
            raise InvalidFile(
                str(session.path),
                f"field {field_name!r}: {key!r} is already used by the paper {owners[key]!r}",
                field_line(text, field_name),
            )
