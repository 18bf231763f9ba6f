"""Converting plain command-line values without typer's pydantic adapters.

Recent typer versions convert every parameter that is not a flag through a pydantic TypeAdapter:
importing pydantic for that alone costs ~40 ms per invocation, which is most of what a warm
`litmap search` may spend. Text, lists of text and whole numbers need no pydantic; :func:`use_plain_conversion`
gives such parameters a small converter and leaves every other parameter (paths, floats, ...) to typer.
With a typer that has no such hook, it does nothing.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

import typer


class PlainValue:
    """Typer's runtime conversion of one parameter (the ``coerce`` it calls), without pydantic."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """The converted value: an empty tuple or None when nothing was given, as typer's own."""
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        try:
            converted = self.convert(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), ctx=ctx, param=param) from None
        if isinstance(converted, int) and not isinstance(converted, bool):
            _check_range(converted, getattr(param, "min", None), getattr(param, "max", None))
        return converted


def _check_range(value: int, low: int | None, high: int | None) -> None:
    if low is not None and value < low:
        raise typer.BadParameter(f"{value} is smaller than the minimum, {low}")
    if high is not None and value > high:
        raise typer.BadParameter(f"{value} is larger than the maximum, {high}")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _texts(value: Any) -> list[str]:
    return [_text(v) for v in value]


def _whole_number(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "y", "t"):
        return True
    if text in ("0", "false", "no", "off", "n", "f"):
        return False
    raise ValueError(f"{value!r} is not a valid boolean")


_CONVERTERS: dict[Any, Callable[[Any], Any]] = {str: _text, list[str]: _texts, int: _whole_number, bool: _flag}


def plain_converter(annotation: Any) -> Callable[[Any], Any] | None:
    """The converter for a str, list[str], int or bool annotation (optional or not), else None."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) != 1:
            return None
        annotation = members[0]
    return _CONVERTERS.get(annotation)


def use_plain_conversion(command: Any, ctx: Any) -> None:
    """Give ``command``'s text, text-list, whole-number and flag parameters the pydantic-free converter."""
    try:
        params = command.get_params(ctx)  # with the --help option it makes on demand
    except Exception:  # a command we do not know how to ask: leave it to typer
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or not hasattr(param, "_runtime_param") or param._runtime_param is not None:
            continue
        if getattr(descriptor, "file_annotation", None) is not None or getattr(descriptor, "is_choice", False):
            continue
        if getattr(descriptor.parameter_info, "parser", None) is not None:
            continue
        convert = plain_converter(descriptor.annotation)
        if convert is not None:
            param._runtime_param = PlainValue(convert)
