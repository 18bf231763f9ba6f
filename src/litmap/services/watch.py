"""``litmap export ... --watch``: keep an export in step with its drafts and the library.

After the first export, the folders of the drafts (and of every file they include) and the
library's files are watched (watchfiles: the operating system's change notifications, not a
polling loop). A change to a draft, an included file, a file that a draft may come to include, or
a paper re-runs the export; the output is rewritten (atomically, by the caller's ``write``) only
when its bytes change, so ``latexmk -pvc``, ``typst watch`` and git see no churn. Each change is
described in one line. An editor's save dance (the draft briefly missing, or written in two steps)
is absorbed: changes are taken once the folder has been quiet for a moment, and a draft that is
missing is looked for again before it is reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litmap.errors import LitmapError
from litmap.services.export import Exported, ExportScope, Selection, export_papers
from litmap.store import Library

if TYPE_CHECKING:
    from threading import Event

#: Changes are taken once a watched folder has been quiet this long (ms): an editor's save is one change.
QUIET_MS = 120
#: The watcher says it is ready (and catches up with changes made while it started) after this long (ms).
STARTUP_MS = 300
#: How long a draft that vanished (mid-save) is looked for before it is reported missing (s).
MISSING_GRACE_S = 1.0


@dataclass
class _Seen:
    """What the last export was made of, to say what changed since."""

    papers: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)
    files: list[Path] = field(default_factory=list)

    @classmethod
    def of(cls, scope: ExportScope) -> _Seen:
        papers = {p.key: p.model_dump(mode="json") for p in scope.papers}
        for key, others in scope.also_cited_as.items():
            papers.update({other: papers.get(key, {}) for other in others})
        notes = {*scope.unread, *scope.warnings}
        return cls(papers, {m.key for m in scope.missing}, notes, list(scope.files))


def watch_export(
    library: Library,
    format_name: str,
    selection: Selection,
    flags: Mapping[str, bool],
    output: Path,
    first: Exported,
    write: Callable[[str], None],
    stop: Event | None = None,
) -> Iterator[str]:
    """After ``first`` was written to ``output``: one line per change, until ``stop`` is set (or Ctrl-C).

    The first line, ``Watching ...``, comes once the watcher runs: every change after it is seen.
    """
    from watchfiles import watch

    seen = _Seen.of(first.scope)
    announced = False
    while True:
        folders = _folders(library, selection, seen.files)
        relevant = _relevance(library, selection, seen.files, output)
        restart = False
        started = False
        for changes in watch(
            *folders,
            debounce=QUIET_MS * 4,
            step=QUIET_MS,
            stop_event=stop,
            recursive=False,
            watch_filter=None,
            rust_timeout=STARTUP_MS,
            yield_on_timeout=True,
        ):
            if not started:
                # The watcher runs from here on; what changed while it started is caught up with now.
                started = True
                lines, seen = _rerun(library, format_name, selection, flags, output, write, seen)
                if not announced:
                    announced = True
                    lines.insert(0, _watching(seen.files))
                yield from lines
            elif any(relevant(Path(path)) for _change, path in changes):
                lines, seen = _rerun(library, format_name, selection, flags, output, write, seen)
                yield from lines
            else:
                continue
            if _folders(library, selection, seen.files) != folders:
                restart = True
                break
        if not restart:
            return


def _watching(files: list[Path]) -> str:
    count = len(files)
    what = f"{count} draft file{'s' if count != 1 else ''} and the library" if count else "the library"
    return f"Watching {what} (Ctrl-C stops)"


def _rerun(
    library: Library,
    format_name: str,
    selection: Selection,
    flags: Mapping[str, bool],
    output: Path,
    write: Callable[[str], None],
    seen: _Seen,
) -> tuple[list[str], _Seen]:
    """Export again; write and describe what changed. A failure is a line, and the output is kept."""
    try:
        exported = _export_when_drafts_exist(library, format_name, selection, flags, seen.files)
    except LitmapError as exc:
        return [f"Error: {exc}"], seen
    lines = []
    if _current(output) != exported.text:
        write(exported.text)
        lines.append(f"{output}: {describe(seen.papers, _Seen.of(exported.scope).papers)}")
    now = _Seen.of(exported.scope)
    from litmap.errors import did_you_mean

    for missing in exported.scope.missing:
        if missing.key not in seen.missing:
            where = f"{missing.where}: " if missing.where else ""
            lines.append(f"{where}unknown key {missing.key!r}{did_you_mean(missing.suggestions)}")
    lines.extend(f"Note: {note}" for note in sorted(now.notes - seen.notes))
    return lines, now


def _export_when_drafts_exist(
    library: Library, format_name: str, selection: Selection, flags: Mapping[str, bool], files: list[Path]
) -> Exported:
    """The export, from a fresh read of the library, once the drafts are there and no longer changing.

    An editor that moves the draft away and writes it anew, or writes it in two steps, is waited
    for (up to :data:`MISSING_GRACE_S`), so a half-saved draft does not rewrite the output.
    """
    paths = [draft.path for draft in selection.drafts] + [path for path in files if path.exists()]
    deadline = time.monotonic() + MISSING_GRACE_S
    before = _stamps(paths)
    while time.monotonic() < deadline:
        time.sleep(QUIET_MS / 1000)
        now = _stamps(paths)
        if now == before and all(stamp is not None for stamp in now[: len(selection.drafts)]):
            break
        before = now
    return export_papers(Library(library.root, read_only=library.read_only), format_name, selection, flags)


def _stamps(paths: list[Path]) -> list[tuple[int, int] | None]:
    """Size and stamp (change time: see :mod:`litmap.store.freshness`) of each path (None: not there)."""
    from litmap.store.freshness import stamp_of

    stamps: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((stat.st_size, stamp_of(stat)))
    return stamps


def describe(before: Mapping[str, object], after: Mapping[str, object]) -> str:
    """``+2 entries (a, b); -1 entry (c); 1 entry changed (d)``, or ``rewritten`` if no entry changed."""
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(key for key in set(before) & set(after) if before[key] != after[key])
    parts = [
        f"{sign}{_entries(len(keys))} ({', '.join(keys)})" for sign, keys in (("+", added), ("-", removed)) if keys
    ]
    if changed:
        parts.append(f"{_entries(len(changed))} changed ({', '.join(changed)})")
    return "; ".join(parts) or "rewritten"


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def _current(output: Path) -> str | None:
    try:
        return output.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _folders(library: Library, selection: Selection, files: list[Path]) -> tuple[Path, ...]:
    """The folders to watch: the library's, and those of the drafts and every file they include."""
    folders = {library.root.resolve(), library.papers_dir.resolve()}
    folders |= {draft.path.resolve().parent for draft in selection.drafts}
    folders |= {path.resolve().parent for path in files}
    return tuple(sorted(folder for folder in folders if folder.is_dir()))


def _relevance(library: Library, selection: Selection, files: list[Path], output: Path) -> Callable[[Path], bool]:
    """Which changed paths call for a new export: drafts and their inputs (present or to come),
    paper files and the library's settings; never the output itself."""
    from litmap.drafts import draft_syntaxes

    inputs = {path.resolve() for path in files} | {draft.path.resolve() for draft in selection.drafts}
    draft_folders = {path.parent for path in inputs}
    extensions = {ext for syntax in draft_syntaxes() for ext in syntax.extensions}
    papers = library.papers_dir.resolve()
    settings = {(library.root / name).resolve() for name in ("litmap.toml", "taxonomy.toml")}
    target = output.resolve()

    def relevant(path: Path) -> bool:
        path = path.resolve()
        if path == target:
            return False
        if path in inputs or path in settings or (path.parent == papers and path.suffix == ".toml"):
            return True
        return path.parent in draft_folders and path.suffix.lower() in extensions

    return relevant
