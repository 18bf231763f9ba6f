"""Creating libraries: ``litmap init``, empty or as a copy of the bundled one."""

from __future__ import annotations

import shutil
from pathlib import Path

from litmap.errors import LitmapError
from litmap.store import Library
from litmap.store.config import DEFAULT_CONFIG
from litmap.store.discovery import bundled_library_path
from litmap.store.files import atomic_write
from litmap.store.layout import CONFIG_FILE, PAPERS_DIR, STATE_DIR, TAXONOMY_FILE

GITIGNORE = f"# litmap's lock, journal and search index: rebuilt as needed, never committed\n{STATE_DIR}/\n"


def init_library(path: Path, name: str | None = None, from_bundled: bool = False) -> Library:
    """Create a library at ``path`` (empty, or a copy of the bundled one); refuse to overwrite one."""
    path = path.expanduser()
    if (path / CONFIG_FILE).exists():
        raise LitmapError(f"{path} already holds a litmap library ({CONFIG_FILE} exists)")
    if path.exists() and not path.is_dir():
        raise LitmapError(f"{path} exists and is not a folder")
    if from_bundled:
        source = bundled_library_path()
        path.mkdir(parents=True, exist_ok=True)
        for item in sorted(source.iterdir()):
            if item.name == STATE_DIR:
                continue
            target = path / item.name
            if item.is_dir():
                shutil.copytree(item, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(STATE_DIR))
            else:
                shutil.copy2(item, target)
    else:
        (path / PAPERS_DIR).mkdir(parents=True, exist_ok=True)
        title = name or path.resolve().name or "litmap library"
        atomic_write(path / CONFIG_FILE, DEFAULT_CONFIG.format(name=title.replace('"', "'")))
        atomic_write(
            path / TAXONOMY_FILE,
            "# The category tree: add [[category]] tables here,\n# or use `litmap category add`.\n",
        )
    if not (path / ".gitignore").exists():
        atomic_write(path / ".gitignore", GITIGNORE)
    return Library(path)
