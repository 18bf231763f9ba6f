"""The exceptions litmap raises: their messages are what users read, one line each."""

from __future__ import annotations


class LitmapError(Exception):
    """Base of every error a user can cause; the CLI prints its message and exits 1."""


class LibraryNotFound(LitmapError):
    """No library where one was asked for."""


class ReadOnlyLibrary(LitmapError):
    """A write was attempted on the bundled, read-only library."""


class InvalidFile(LitmapError):
    """A library file that cannot be read: bad TOML, bad schema, conflict markers."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class UnknownKey(LitmapError):
    """A citekey the library does not hold."""

    def __init__(self, key: str, suggestions: list[str] | None = None) -> None:
        self.key = key
        self.suggestions = suggestions or []
        super().__init__(f"no paper with key {key!r}" + did_you_mean(self.suggestions))


class UnknownCategory(LitmapError):
    """A category id the taxonomy does not define."""

    def __init__(self, category: str, suggestions: list[str] | None = None) -> None:
        self.category = category
        self.suggestions = suggestions or []
        super().__init__(f"no category {category!r}" + did_you_mean(self.suggestions))


class InvalidValue(LitmapError):
    """A value given by the user that does not validate (an id, a year range, a key)."""


class InvalidOption(InvalidValue):
    """A bad value of one option of a use case, named where ``message`` says ``{option}``.

    Python code reads the parameter's name there (``key 'x y': ...``); the CLI puts the option's
    flag (``--key 'x y': ...``), so the core's messages never spell command-line flags.
    """

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        self.template = message
        super().__init__(message.replace("{option}", option))

    def naming(self, label: str) -> str:
        """The message with the option called ``label`` (a flag, for the CLI)."""
        return self.template.replace("{option}", label)


class UnknownKeys(InvalidValue):
    """Several citekeys the library does not hold (one message naming each)."""


class SourceError(LitmapError):
    """A network source failed: unreachable, timed out, answered with an error."""


def did_you_mean(suggestions: list[str]) -> str:
    """Render ' (did you mean 'a' or 'b'?)' for a list of close matches, or ''."""
    if not suggestions:
        return ""
    quoted = [repr(s) for s in suggestions]
    joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {joined}?"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run part way; ``kept`` says what it had written by then (``42 of 100 added``).

    A KeyboardInterrupt still, so that whatever catches Ctrl-C catches this too.
    """

    def __init__(self, kept: str) -> None:
        self.kept = kept
        super().__init__(kept)
