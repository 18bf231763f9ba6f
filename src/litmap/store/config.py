"""``litmap.toml``: the file that marks a library's root, and the settings it holds."""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from litmap.keys import DEFAULT_PATTERN
from litmap.store.codec import parse_toml, schema_error
from litmap.store.layout import CONFIG_FILE as CONFIG_FILE
from litmap.store.layout import DEFAULT_LIBRARY_NAME
from litmap.store.user_config import USER_SETTINGS, user_setting

DEFAULT_CONFIG = """\
# A litmap library: this file marks its root. Papers live in papers/<citekey>.toml, the
# category tree in taxonomy.toml. See `litmap --help`.
name = "{name}"

# How new citekeys are made: {{author}} first author's family name, {{year}}, {{word}} first
# significant title word (all lower-case ASCII).
citekey_pattern = "{{author}}{{year}}{{word}}"

[sources]
# Contact address sent to Crossref and arXiv in the User-Agent (their "polite" pool); set it
# once for every library with `litmap config contact_email you@example.org`.
# contact_email = "you@example.org"
"""


class LibraryConfig(BaseModel):
    """Settings of one library. Unknown sections are kept for the features that read them."""

    model_config = ConfigDict(extra="allow")

    name: str = DEFAULT_LIBRARY_NAME
    description: str | None = None
    citekey_pattern: str = DEFAULT_PATTERN
    sources: dict[str, Any] = {}
    export: dict[str, Any] = {}

    @field_validator("citekey_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        from litmap.keys import base_key
        from litmap.models import Paper

        base_key(Paper.model_construct(key="x", title="Check"), value)
        return value

    def setting(self, section: str, name: str, env: str | None = None, default: Any = None) -> Any:
        """A setting: the env var ``env`` if set, else ``[section] name`` here, else the per-user
        setting of that name (``litmap config``, for ``[sources]`` settings), else ``default``."""
        if env and os.environ.get(env):
            return os.environ[env]
        table = getattr(self, section, None)
        if table is None and self.model_extra:
            table = self.model_extra.get(section)
        if isinstance(table, dict) and name in table:
            return table[name]
        if section == "sources" and name in USER_SETTINGS:
            value = user_setting(name)
            if value is not None:
                return value
        return default


def config_from_toml(text: str, path: str) -> LibraryConfig:
    """Read ``litmap.toml``; InvalidFile on bad TOML or bad settings."""
    data = parse_toml(text, path)
    try:
        return LibraryConfig(**data)
    except ValidationError as exc:
        raise schema_error(exc, path, text) from None
