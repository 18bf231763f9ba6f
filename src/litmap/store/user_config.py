"""The per-user settings file (``litmap config``): settings a user sets once, for every library.

It lives in the platform's config folder: ``$LITMAP_CONFIG`` if set, else
``$XDG_CONFIG_HOME/litmap/config.toml`` (default ``~/.config/litmap/config.toml``; on macOS
``~/Library/Application Support/litmap/config.toml``, on Windows ``%APPDATA%\\litmap\\config.toml``).
Reading it stays cheap (``tomllib`` only): library discovery reads it outside a library folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from litmap.errors import InvalidFile

ENV_VAR = "LITMAP_CONFIG"

#: The settings the file may hold, each with what it is for (``litmap config --list`` order).
USER_SETTINGS: dict[str, str] = {
    "library": "the library used outside a library folder (when no --library or $LITMAP_LIBRARY is given)",
    "contact_email": "address sent to Crossref and arXiv in the User-Agent (their polite pool), for every library",
}


def user_config_path() -> Path:
    """Where the per-user settings file is (it may not exist)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    if os.environ.get("XDG_CONFIG_HOME"):
        base = Path(os.environ["XDG_CONFIG_HOME"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif sys.platform == "win32" and os.environ.get("APPDATA"):
        base = Path(os.environ["APPDATA"])
    else:
        base = Path.home() / ".config"
    return base / "litmap" / "config.toml"


def read_user_config() -> dict[str, str]:
    """The settings in the per-user file ({} when there is none); InvalidFile when it cannot be read."""
    import tomllib

    path = user_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise InvalidFile(str(path), "not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidFile(str(path), f"invalid TOML: {exc}") from None
    return {key: str(value) for key, value in data.items() if isinstance(value, str | int | float)}


def user_setting(name: str) -> str | None:
    """One per-user setting, or None when it is not set."""
    return read_user_config().get(name) or None


def write_user_setting(name: str, value: str | None) -> None:
    """Set ``name`` to ``value`` (``None`` removes it), keeping the rest of the file and its comments."""
    import tomlkit

    from litmap.store.files import atomic_write

    path = user_config_path()
    read_user_config()  # a file that cannot be read is reported, never overwritten
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    if value is None:
        document.pop(name, None)
    else:
        document[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, tomlkit.dumps(document))
