"""Attached files: a paper's PDFs (and other documents) kept in the library's documents folder.

A paper records its attachments as paths relative to the library root (``files = ["files/KEY.pdf"]``);
the folder is ``files/`` unless ``[files] folder`` in litmap.toml names another. Whether it is under
git is the user's choice (a ``.gitignore`` line keeps large PDFs out of the repository).
"""

from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from litmap.errors import InvalidValue, LitmapError

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.store import Library

DEFAULT_FOLDER = "files"
Mode = Literal["copy", "move", "link"]


def documents_folder(library: Library) -> Path:
    """The folder attachments are stored in."""
    folder = str(library.config.setting("files", "folder", default=DEFAULT_FOLDER) or DEFAULT_FOLDER)
    return library.root / folder


def attachment_path(library: Library, relative: str) -> Path:
    """The file an attachment entry of a paper names."""
    return library.root / relative


def _free_name(folder: Path, key: str, suffix: str) -> Path:
    candidate = folder / f"{key}{suffix}"
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{key}-{number}{suffix}"
        number += 1
    return candidate


def attach(library: Library, key: str, source: Path, mode: Mode = "copy") -> tuple[Paper, Path]:
    """Store ``source`` as an attachment of the paper ``key`` (copied, moved or linked); record it.

    The file is named after the key (``KEY.pdf``, then ``KEY-2.pdf``...). Returns the updated paper and
    the stored file's path. Nothing is recorded if the file cannot be stored.
    """
    source = Path(source).expanduser()
    if not source.is_file():
        raise InvalidValue(f"{source}: no such file")
    with library.writing() as changes:
        paper = library.get(key)
        folder = documents_folder(library)
        for existing in paper.files:
            stored = attachment_path(library, existing)
            if stored.exists() and (os.path.samefile(stored, source) or filecmp.cmp(stored, source, shallow=False)):
                raise InvalidValue(f"{source} is already attached to {paper.key} as {existing}")
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, paper.key, source.suffix.lower())
        try:
            if mode == "link":
                target.symlink_to(source.resolve())
            elif mode == "move":
                shutil.move(str(source), target)
            else:
                shutil.copy2(source, target)
        except OSError as exc:
            raise LitmapError(f"cannot store {source} as {target}: {exc.strerror or exc}") from None
        relative = target.relative_to(library.root).as_posix()
        paper.files = [*paper.files, relative]
        library.stage_paper(changes, paper)
    return paper, target


@dataclass(frozen=True)
class AttachmentProblem:
    """A paper's attachment that is missing, or a file in the documents folder no paper names."""

    path: str
    message: str
    key: str | None = None


def attachment_problems(library: Library, papers: list[Paper]) -> list[AttachmentProblem]:
    """Missing attachments (recorded, not on disk) and orphans (on disk, recorded by no paper)."""
    problems: list[AttachmentProblem] = []
    recorded: set[Path] = set()
    for paper in papers:
        for relative in paper.files:
            path = attachment_path(library, relative)
            recorded.add(path)
            if not path.exists():
                what = "a link to a file that is gone" if path.is_symlink() else "missing"
                problems.append(AttachmentProblem(relative, f"attached file of {paper.key} is {what}", paper.key))
    folder = documents_folder(library)
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if (path.is_file() or path.is_symlink()) and path not in recorded and not path.name.startswith("."):
                relative = path.relative_to(library.root).as_posix()
                problems.append(AttachmentProblem(relative, "no paper records this file (litmap attach KEY FILE)"))
    return problems


def remove_attachments(library: Library, papers: list[Paper]) -> list[str]:
    """Delete the stored attachments of removed ``papers`` (links, not their targets); return them."""
    removed: list[str] = []
    for paper in papers:
        for relative in paper.files:
            path = attachment_path(library, relative)
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise LitmapError(f"cannot remove {path}: {exc.strerror or exc}") from None
            removed.append(relative)
    return removed


def file_field_paths(value: str) -> list[str]:
    """The file paths a .bib ``file`` field names, in the forms Zotero, Better BibTeX, JabRef and
    Mendeley write: ``path;path`` or ``description:path:type`` entries (``\\:`` an escaped colon)."""
    import re

    paths: list[str] = []
    for entry in re.split(r"(?<!\\);", value):
        entry = entry.strip()
        if not entry:
            continue
        parts = re.split(r"(?<!\\):", entry)
        if len(parts) == 3:  # JabRef, Mendeley, Zotero's own export: description:path:type
            entry = parts[1]
        paths.append(entry.replace("\\:", ":").replace("\\\\", "\\").replace("\\_", "_").strip())
    return [p for p in paths if p]


def attach_imported_files(library: Library, papers: list[Paper], base: Path) -> list[tuple[str, Path]]:
    """Attach the PDFs that imported papers' ``file`` fields name and that exist (relative paths are
    read from ``base``, the .bib file's folder); return (key, stored file) pairs."""
    attached: list[tuple[str, Path]] = []
    for paper in papers:
        for name in file_field_paths(paper.extra.get("file", "")):
            path = Path(name).expanduser()
            path = path if path.is_absolute() else base / path
            if path.suffix.lower() != ".pdf" or not path.is_file():
                continue
            try:
                _paper, stored = attach(library, paper.key, path, "copy")
            except InvalidValue:
                continue  # the very file is attached already
            attached.append((paper.key, stored))
    return attached
