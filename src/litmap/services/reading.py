"""Getting from a record to the paper: where to open it, and the reader's own notes file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from litmap.errors import LitmapError

if TYPE_CHECKING:
    from litmap.models import Paper
    from litmap.store import Library


class Rooted(Protocol):
    """A library, or where one is: what holds the notes folder."""

    @property
    def root(self) -> Path: ...


NOTES_DIR = "notes"
DOI_RESOLVER = "https://doi.org/"
ARXIV_ABS = "https://arxiv.org/abs/"

#: What ``open`` can open, best first when the user does not say which, with how a user names it.
TARGET_KINDS = {"pdf": "attached PDF", "url": "URL", "doi": "DOI", "arxiv": "arXiv id"}


class Target(NamedTuple):
    """One thing to open: a local file or a web address."""

    kind: str
    location: str


def targets(paper: Paper, library_root: Path) -> dict[str, Target]:
    """Every target the paper has, by kind (a PDF only when its file exists)."""
    found: dict[str, Target] = {}
    pdf = attached_pdf(paper, library_root)
    if pdf is not None:
        found["pdf"] = Target("pdf", str(pdf))
    if paper.url:
        found["url"] = Target("url", paper.url)
    if paper.doi:
        found["doi"] = Target("doi", DOI_RESOLVER + paper.doi)
    if paper.arxiv:
        found["arxiv"] = Target("arxiv", ARXIV_ABS + paper.arxiv)
    return found


def attached_pdf(paper: Paper, library_root: Path) -> Path | None:
    """The paper's attached PDF, if it has one that exists on disk."""
    for name in getattr(paper, "files", None) or []:
        path = (library_root / name) if not Path(name).is_absolute() else Path(name)
        if path.suffix.lower() == ".pdf" and path.is_file():
            return path
    return None


def open_target(paper: Paper, library_root: Path, kind: str | None = None) -> Target:
    """The target to open: the one of ``kind``, or the best the paper has."""
    found = targets(paper, library_root)
    if kind is not None:
        if kind not in found:
            have = ", ".join(TARGET_KINDS[k] for k in found) or "nothing to open"
            raise LitmapError(f"{paper.key} has no {TARGET_KINDS[kind]} (it has: {have})")
        return found[kind]
    for candidate in TARGET_KINDS:
        if candidate in found:
            return found[candidate]
    raise LitmapError(f"{paper.key} has no {', '.join(TARGET_KINDS.values())} to open")


def papers_to_show(
    root: Path, read_only: bool, keys: list[str], library: Callable[[], Library]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The JSON records of the papers ``keys`` (in order) and every category's shown path, for ``show``.

    Read from the index when it holds each file as it is now (one stat a file, no model loaded);
    else from the ``library`` (an alias resolves; UnknownKey for a key it lacks).
    """
    from litmap.store.index_read import indexed_records

    found = indexed_records(root, read_only, keys)
    if found is not None:
        return found
    opened = library()
    papers = opened.resolve_keys(keys)
    return [paper.to_json() for paper in papers], opened.taxonomy().shown_paths()


def note_path(library: Rooted, key: str) -> Path:
    """Where the reader's own notes on ``key`` live: ``notes/KEY.md`` in the library."""
    return library.root / NOTES_DIR / f"{key}.md"


def read_note(library: Rooted, key: str) -> str | None:
    """The reader's notes on ``key``, or None when there are none."""
    path = note_path(library, key)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise LitmapError(f"{path}: cannot be read ({exc})") from None


def ensure_note(library: Library, paper: Paper) -> Path:
    """The notes file of ``paper``, created with a heading when it does not exist yet."""
    library.ensure_writable()
    path = note_path(library, paper.key)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        heading = f"# {paper.title}\n\n<!-- Your notes on {paper.key}: litmap search note:WORD finds them. -->\n\n"
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(heading)
        except FileExistsError:
            pass
    return path
