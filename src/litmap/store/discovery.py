"""Finding the library: --library, then $LITMAP_LIBRARY, then the working directory's ancestors,
then the per-user default (``litmap config library PATH``), then the bundled interpretability
library (read-only)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from litmap.errors import LibraryNotFound
from litmap.store.layout import CONFIG_FILE

ENV_VAR = "LITMAP_LIBRARY"
#: ``LibraryLocation.found_by`` of the bundled library, and of the per-user default library.
BUNDLED = "bundled"
USER_DEFAULT = "litmap config"


class LibraryLocation(NamedTuple):
    """Where a library is, whether it may be written, and how it was found."""

    root: Path
    read_only: bool
    found_by: str


def bundled_library_path() -> Path:
    """The interpretability library shipped with litmap (inside the wheel, or the source tree)."""
    package_dir = Path(__file__).resolve().parent.parent
    installed = package_dir / "bundled_library"
    if (installed / CONFIG_FILE).is_file():
        return installed
    source_tree = package_dir.parent.parent / "library"
    if (source_tree / CONFIG_FILE).is_file():
        return source_tree
    raise LibraryNotFound("the bundled library is missing from this installation of litmap")


def library_root_in(directory: Path) -> Path | None:
    """``directory`` itself or its ``library/`` subfolder, whichever holds ``litmap.toml``."""
    for candidate in (directory, directory / "library"):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    return None


def find_library(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> LibraryLocation:
    """Locate the library to use, in the documented order of precedence."""
    if explicit:
        return _named(Path(explicit), "--library")
    if os.environ.get(ENV_VAR):
        return _named(Path(os.environ[ENV_VAR]), f"${ENV_VAR}")
    start = (cwd or Path.cwd()).resolve()
    for directory in (start, *start.parents):
        root = library_root_in(directory)
        if root is not None:
            return LibraryLocation(root, read_only=_is_bundled(root), found_by="working directory")
    from litmap.store.user_config import user_config_path, user_setting

    default = user_setting("library")
    if default:
        root = library_root_in(Path(default).expanduser())
        if root is None:
            raise LibraryNotFound(
                f"{default}: the default library set in {user_config_path()} is not a litmap library"
                f" (no {CONFIG_FILE}); set another with `litmap config library PATH`"
                " or forget it with `litmap config --unset library`"
            )
        return LibraryLocation(root.resolve(), read_only=_is_bundled(root), found_by=USER_DEFAULT)
    return LibraryLocation(bundled_library_path(), read_only=True, found_by=BUNDLED)


def library_root(path: Path) -> Path:
    """The absolute root of the library at ``path`` (or in its ``library/``); LibraryNotFound otherwise."""
    path = path.expanduser()
    root = library_root_in(path)
    if root is None:
        raise LibraryNotFound(
            f"{path}: no litmap library here (no {CONFIG_FILE}); create one with `litmap init {path}`"
        )
    return root.resolve()


def _named(path: Path, how: str) -> LibraryLocation:
    root = library_root(path)
    return LibraryLocation(root, read_only=_is_bundled(root), found_by=how)


def _is_bundled(root: Path) -> bool:
    return root.resolve().parent.name == "litmap" and root.name == "bundled_library"
