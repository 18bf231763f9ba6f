"""``litmap config``: reading and changing the per-user settings (see :mod:`litmap.store.user_config`)."""

from __future__ import annotations

import re
from pathlib import Path

from litmap.errors import InvalidValue, did_you_mean
from litmap.store.user_config import USER_SETTINGS, read_user_config, write_user_setting

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def known_setting(name: str) -> str:
    """``name`` if it is a per-user setting; InvalidValue naming the known ones otherwise."""
    if name in USER_SETTINGS:
        return name
    from litmap.fuzzy import closest

    known = ", ".join(USER_SETTINGS)
    hint = did_you_mean(closest(name, list(USER_SETTINGS), limit=1))
    raise InvalidValue(f"unknown setting {name!r} (litmap config knows: {known}){hint}")


def get_setting(name: str) -> str | None:
    """The value of the per-user setting ``name``, or None when it is not set."""
    return read_user_config().get(known_setting(name)) or None


def list_settings() -> dict[str, str]:
    """Every per-user setting that is set, in the documented order."""
    stored = read_user_config()
    return {name: stored[name] for name in USER_SETTINGS if stored.get(name)}


def set_setting(name: str, value: str) -> str:
    """Check and store ``value`` as the setting ``name``; the value stored (a library as an absolute path)."""
    name = known_setting(name)
    value = value.strip()
    if name == "library":
        from litmap.store.discovery import library_root

        value = str(library_root(Path(value)))
    elif name == "contact_email" and not _EMAIL.match(value):
        raise InvalidValue(f"contact_email {value!r}: not an e-mail address (expected e.g. you@example.org)")
    write_user_setting(name, value)
    return value


def unset_setting(name: str) -> bool:
    """Remove the setting ``name``; whether it was set."""
    was_set = get_setting(name) is not None
    if was_set:
        write_user_setting(name, None)
    return was_set
