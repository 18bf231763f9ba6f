"""The library facade: papers, taxonomy and settings of one library folder, read and written safely."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from litmap.collector import collector_paused
from litmap.errors import InvalidFile, ReadOnlyLibrary, UnknownKey
from litmap.models import Category, Paper
from litmap.records import file_key
from litmap.store import files
from litmap.store.codec import categories_from_toml, categories_to_toml, misnamed, paper_from_toml, paper_to_toml
from litmap.store.config import LibraryConfig, config_from_toml
from litmap.store.files import read_text
from litmap.store.layout import CONFIG_FILE, PAPERS_DIR, TAXONOMY_FILE
from litmap.taxonomy import Taxonomy

__all__ = ["Library", "collector_paused", "read_text"]


class Library:
    """One library folder. Reads are cached for the life of the object; writes are atomic."""

    def __init__(self, root: Path, read_only: bool = False) -> None:
        self.root = Path(root)
        self.read_only = read_only
        self._config: LibraryConfig | None = None
        self._taxonomy: Taxonomy | None = None
        self._papers: dict[str, Paper] | None = None
        self._broken: list[InvalidFile] = []
        if not read_only:
            files.recover(self.root)

    def __repr__(self) -> str:
        return f"Library({str(self.root)!r}, read_only={self.read_only})"

    # -- locations -----------------------------------------------------------------------------

    @property
    def papers_dir(self) -> Path:
        """The folder holding one TOML file per paper."""
        return self.root / PAPERS_DIR

    @property
    def taxonomy_path(self) -> Path:
        """The category tree's file."""
        return self.root / TAXONOMY_FILE

    @property
    def config_path(self) -> Path:
        """``litmap.toml``."""
        return self.root / CONFIG_FILE

    def paper_path(self, key: str) -> Path:
        """The file that holds (or would hold) the paper ``key``."""
        return self.papers_dir / f"{key}.toml"

    def paper_files(self) -> list[Path]:
        """Every paper file, sorted by name."""
        if not self.papers_dir.is_dir():
            return []
        return sorted(p for p in self.papers_dir.glob("*.toml") if not p.name.startswith("."))

    # -- reading -------------------------------------------------------------------------------

    @property
    def config(self) -> LibraryConfig:
        """Settings from ``litmap.toml``."""
        if self._config is None:
            self._config = config_from_toml(read_text(self.config_path), str(self.config_path))
        return self._config

    def taxonomy(self) -> Taxonomy:
        """The category tree (empty when there is no ``taxonomy.toml``)."""
        if self._taxonomy is None:
            if self.taxonomy_path.exists():
                text = read_text(self.taxonomy_path)
                self._taxonomy = Taxonomy(categories_from_toml(text, str(self.taxonomy_path)))
            else:
                self._taxonomy = Taxonomy()
        return self._taxonomy

    def load_paper_file(self, path: Path) -> Paper:
        """Read one paper file; InvalidFile if it is broken."""
        return paper_from_toml(read_text(path), str(path))

    def papers(self) -> list[Paper]:
        """Every readable paper, sorted by key; unreadable files are left out and listed in :attr:`broken`.

        Read through the search index when the library has one (kept fresh: only changed files are
        parsed), else file by file.
        """
        if self._papers is None:
            from litmap.store.index_read import load_papers

            loaded = {}
            broken: list[InvalidFile] = []
            with collector_paused():
                indexed = load_papers(self.root, self.read_only)
                if indexed is None:
                    indexed = []
                    for path in self.paper_files():
                        try:
                            indexed.append(self.load_paper_file(path))
                        except InvalidFile as error:
                            broken.append(error)
                for paper in indexed:
                    loaded[paper.key] = paper
            self._papers = loaded
            self._broken = broken
        return sorted(self._papers.values(), key=lambda p: p.key)

    def tags_spelled_as_held(self, tags: Iterable[str]) -> list[str]:
        """``tags`` spelled as the library already spells them (see :func:`litmap.models.spelled_as_in`),
        read from the index when there is one, so a one-paper tag does not load every paper."""
        from litmap.models import spelled_as_in, unique_tags
        from litmap.store.index_read import indexed_tag_spellings

        tags = list(tags)
        spellings = None if self._papers is not None else indexed_tag_spellings(self.root, self.read_only, tags)
        if spellings is None:
            return spelled_as_in(self.papers(), tags)
        return unique_tags(spellings.get(tag.casefold(), tag) for tag in tags)

    @property
    def broken(self) -> list[InvalidFile]:
        """The paper files :meth:`papers` left out because they cannot be read (empty before it ran)."""
        return list(self._broken)

    def every_paper(self) -> list[Paper]:
        """Every paper, for a change that must see them all (renaming a tag or a category everywhere):
        the first unreadable file raises InvalidFile, so the change cannot miss the papers it holds."""
        papers = self.papers()
        if self._broken:
            raise self._broken[0]
        return papers

    def keys(self) -> list[str]:
        """Every citekey, from the file names (no file is parsed)."""
        return [p.stem for p in self.paper_files()]

    def has_key(self, key: str) -> bool:
        """Whether ``key`` names a paper file."""
        return self.paper_path(key).is_file()

    def get(self, key: str) -> Paper:
        """The paper ``key`` (an alias left by a merge resolves too); UnknownKey otherwise."""
        path = self.paper_path(key) if file_key(key) else None
        if path is not None and path.is_file():
            text = read_text(path)
            paper = paper_from_toml(text, str(path))
            if mismatch := misnamed(path, text, paper.key):
                # A copied file: writing it back would go to the other paper's file, over that paper.
                raise mismatch
            return paper
        for paper in self.papers():
            if key in paper.aliases:
                return paper
        raise UnknownKey(key, self.suggest_keys(key))

    def resolve_keys(self, keys: Iterable[str]) -> list[Paper]:
        """Papers for ``keys`` in order; UnknownKey for the first one that is missing."""
        return [self.get(key) for key in keys]

    def suggest_keys(self, key: str, limit: int = 3) -> list[str]:
        """Existing keys close to a mistyped one."""
        from litmap.fuzzy import closest

        return closest(key, self.keys(), limit=limit)

    # -- writing -------------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyLibrary(
                f"the bundled library ({self.root}) is read-only: make your own with `litmap init DIR`, "
                "or copy this one with `litmap init DIR --from-bundled`, then cd there, "
                "pass --library DIR or make it your default with `litmap config library DIR`"
            )

    def ensure_writable(self) -> None:
        """Raise ReadOnlyLibrary now (before asking the user anything) if this library cannot be written."""
        self._writable()

    @contextlib.contextmanager
    def writing(self) -> Iterator[files.Changes]:
        """Stage changes under the library lock and commit them as one atomic change on exit."""
        from litmap.store.index_write import locked_change

        self._writable()
        with locked_change(self.root, self.read_only) as changes:
            self._forget()  # what is read from here on is what other writers left
            yield changes
        self._forget()

    def commit_staged(self, changes: files.Changes) -> None:
        """Inside :meth:`writing`: commit what is staged so far as one atomic change, and go on staging.

        A long run (an import) writes its papers in parts, so that Ctrl-C keeps the parts written.
        """
        files.commit(self.root, changes)
        changes.clear()
        self._forget()

    def stage_paper(self, changes: files.Changes, paper: Paper, old_key: str | None = None) -> None:
        """Stage writing ``paper`` (keeping the file's comments); a key change removes the old file.

        A paper file that does not exist yet is created exclusively: the change fails rather than
        write over a file that appears at that name meanwhile.
        """
        path = self.paper_path(paper.key)
        exists = path.is_file()
        previous = read_text(path) if exists else None
        if old_key and old_key != paper.key:
            old_path = self.paper_path(old_key)
            if old_path.is_file():
                previous = read_text(old_path)
                changes.delete(old_path)
        text = paper_to_toml(paper, previous)
        if not exists:
            changes.create(path, text, paper)
        elif text != previous or old_key not in (None, paper.key):
            changes.write(path, text, paper)

    def stage_refile(self, changes: files.Changes, mapping: Mapping[str, str]) -> list[str]:
        """Stage every paper filed under a key of ``mapping`` refiled under its value; their keys, sorted.

        Through the index when the library has one: only the papers filed there are read, and a
        file still as indexed gets only its ``categories`` line rewritten (its index record, refiled,
        staged with it). An unreadable paper file raises InvalidFile (the change must not miss the
        papers it holds).
        """
        from litmap.store.index_read import through_index
        from litmap.store.refile import refiled, rows_in_categories

        rows = through_index(self.root, self.read_only, lambda index: rows_in_categories(index, sorted(mapping)), 5.0)
        if rows is None:
            using = [p for p in self.every_paper() if any(c in mapping for c in p.categories)]
            return [self._stage_refiled(changes, paper, mapping) for paper in using]
        keys = []
        for name, digest, record in rows:
            path = self.papers_dir / name
            paper = refiled(path, digest, record, mapping)
            if paper is not None:
                changes.write(path, paper[0], record=paper[1])
                keys.append(record["key"])
                continue
            model = self.load_paper_file(path)  # changed since it was indexed: read it as it is now
            if any(c in mapping for c in model.categories):
                keys.append(self._stage_refiled(changes, model, mapping))
        return keys

    def _stage_refiled(self, changes: files.Changes, paper: Paper, mapping: Mapping[str, str]) -> str:
        """Stage ``paper`` refiled through ``mapping`` (the whole file rewritten as needed); its key."""
        categories = list(dict.fromkeys(mapping.get(c, c) for c in paper.categories))
        self.stage_paper(changes, paper.model_copy(update={"categories": categories}))
        return paper.key

    def stage_delete(self, changes: files.Changes, key: str) -> None:
        """Stage removing the paper ``key``."""
        changes.delete(self.paper_path(key))

    def stage_taxonomy(self, changes: files.Changes, categories: list[Category]) -> None:
        """Stage writing the category tree."""
        previous = read_text(self.taxonomy_path) if self.taxonomy_path.exists() else None
        text = categories_to_toml(categories, previous)
        if text != previous:
            changes.write(self.taxonomy_path, text)

    def save_paper(self, paper: Paper, old_key: str | None = None) -> None:
        """Write one paper atomically (under the lock)."""
        with self.writing() as changes:
            self.stage_paper(changes, paper, old_key)

    def save_papers(self, papers: Iterable[Paper]) -> None:
        """Write several papers as one atomic change."""
        with self.writing() as changes:
            for paper in papers:
                self.stage_paper(changes, paper)

    def save_taxonomy(self, categories: list[Category]) -> None:
        """Write the category tree atomically."""
        with self.writing() as changes:
            self.stage_taxonomy(changes, categories)

    def _forget(self) -> None:
        self._papers = None
        self._broken = []
        self._taxonomy = None
