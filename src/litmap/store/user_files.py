"""Writing a file the user named (``export -o``): never over an input, never destroying anything.

- A path that is one of the command's inputs (a draft, an ``.aux``, an ``\\input``-ed file, a
  library file) is refused before anything is written.
- A symlink is written through: its target gets the text, the link stays a link.
- A character device or FIFO (``/dev/stdout``, ``/dev/null``, a named pipe) is written directly,
  so it stays what it is.
- A regular file is replaced atomically (temp file + rename, keeping its permissions), so a failed
  write (a full disk) leaves the old file whole.
Every failure is a LitmapError naming the path; nothing is reported written that was not.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from litmap.errors import LitmapError


def write_user_file(path: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    """Write ``text`` to ``path`` as described above; LitmapError when it cannot or must not."""
    clash = input_at(path, inputs)
    if clash is not None:
        named = "" if _same_name(path, clash) else f" ({clash})"
        raise LitmapError(f"{path}: is an input of this command{named}; write the output to another file")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise LitmapError(f"{path}: {exc.strerror or exc}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise LitmapError(f"{path}: is a folder; give a file name, e.g. {path / 'refs.bib'}")
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_stream(path, text)
        return
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        raise LitmapError(f"{target.parent}: no such folder")
    _replace(path, target, text, info)


def input_at(path: Path, inputs: Iterable[Path]) -> Path | None:
    """The input that ``path`` is (the same file, through any link), or None."""
    real = os.path.realpath(path)
    for candidate in inputs:
        if os.path.realpath(candidate) == real:
            return candidate
        with contextlib.suppress(OSError):
            if os.path.samefile(candidate, path):
                return candidate
    return None


def _same_name(path: Path, other: Path) -> bool:
    return os.path.abspath(path) == os.path.abspath(other)


def _write_stream(path: Path, text: str) -> None:
    """Write to a device or pipe in place (it cannot be replaced, and must not be)."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise LitmapError(f"{path}: could not write: {exc.strerror or exc}") from None


def _replace(path: Path, target: Path, text: str, info: os.stat_result | None) -> None:
    from litmap.store.files import atomic_write

    try:
        # The file's permissions are kept: the temp file is made with the default ones.
        atomic_write(target, text, mode=stat.S_IMODE(info.st_mode) if info is not None else None)
    except OSError as exc:
        raise LitmapError(f"{path}: could not write: {exc.strerror or exc}; the file is unchanged") from None
