"""The console script's fast path: the hot reading commands without typer.

Building the typer app (importing typer and click, and turning every command's signature into
click parameters) costs more than a warm ``litmap search`` itself. :func:`main` reads argv for the
commonest forms of ``search``, ``list``, ``show``, ``stats``, ``tag``, ``export``, ``dedupe --json`` and
``category rename`` (global ``--library``, the commands' own options and arguments) and runs the same
bodies as the typer commands (:mod:`litmap.cli.reads`, :mod:`litmap.cli.export_run`,
:mod:`litmap.cli.dedupe_run`), with the same error handling. Anything else (``--help``, a mistake in
the arguments, another command, shell completion, an option spelt in a rarer form) is left to the
typer app, so help and usage errors are typer's own. ``LITMAP_NO_FAST_PATH=1`` turns the fast
path off (tests compare both).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

NO_FAST_PATH = "LITMAP_NO_FAST_PATH"
_EXCLUSION = re.compile(r"^-[^-\s].")
_LIMIT_CLUSTER = re.compile(r"^-n\d+$")
_WHOLE = re.compile(r"^[0-9]+$")

Body = Callable[[], object]


def exclusions_last(args: list[str]) -> list[str]:
    """Move ``-word`` exclusions after a ``--`` so they reach the query instead of failing as unknown options.

    Only arguments of two or more characters after the dash move (``-h``, ``-n 5``, ``-a`` stay options).
    """
    end = args.index("--") if "--" in args else len(args)
    head, tail = args[:end], args[end + 1 :]
    moved = [a for a in head if _EXCLUSION.match(a) and not _LIMIT_CLUSTER.match(a)]
    if not moved:
        return args
    kept = [a for a in head if a not in moved]
    return [*kept, "--", *moved, *tail]


def main() -> None:
    """Console-script entry point."""
    from litmap.collector import short_lived_process

    short_lived_process()
    found = None
    if not os.environ.get(NO_FAST_PATH) and "_LITMAP_COMPLETE" not in os.environ:
        found = parse(sys.argv[1:])
    if found is None:
        from litmap.cli.commands import load_app

        load_app()(prog_name="litmap")
        return
    sys.exit(run(*found))


def parse(argv: list[str]) -> tuple[str | None, Body] | None:
    """``(--library value, the command to run)`` for argv the fast path handles, else None."""
    library = None
    index = 0
    while index < len(argv):
        token = argv[index]
        if token in ("-L", "--library"):
            if index + 1 >= len(argv) or argv[index + 1].startswith("-"):
                return None
            library, index = argv[index + 1], index + 2
        elif token.startswith("--library="):
            library, index = token.removeprefix("--library="), index + 1
        else:
            break
    if index >= len(argv) or argv[index] not in _COMMANDS:
        return None
    body = _COMMANDS[argv[index]](argv[index + 1 :])
    return None if body is None else (library, body)


def _options(
    args: list[str], flags: dict[str, tuple[str, Any]], valued: dict[str, str], many: tuple[str, ...] = ()
) -> tuple[dict[str, Any], list[str]] | None:
    """Options and positional arguments, or None for anything unusual (typer then parses it).

    ``flags``: option -> (name, value); ``valued``: option taking the next argument (or ``--opt=v``) -> name.
    """
    values: dict[str, Any] = {name: [] for name in many}
    positional: list[str] = []
    index = 0
    while index < len(args):
        token = args[index]
        index += 1
        if token in flags:
            name, value = flags[token]
            values[name] = value
            continue
        option, equals, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if option in valued:
            if not equals:
                if index >= len(args) or args[index].startswith("-"):
                    return None
                value, index = args[index], index + 1
            name = valued[option]
            if name in many:
                values[name].append(value)
            else:
                values[name] = value
        elif token.startswith("-"):
            return None
        else:
            positional.append(token)
    return values, positional


def _limit(values: dict[str, Any]) -> bool:
    """Turn ``limit`` into a whole number; False if it is not one typer would take silently."""
    if "limit" in values:
        if not _WHOLE.match(values["limit"]):
            return False
        values["limit"] = int(values["limit"])
    return True


_PAGER = {"--pager": ("pager", True), "--no-pager": ("pager", False)}
_LONG = {"-l": ("long", True), "--long": ("long", True)}
_JSON = {"--json": ("as_json", True)}
_KEYS = {"--keys": ("keys_only", True)}


def _search(args: list[str]) -> Body | None:
    if "--" in args:
        return None
    words = [a for a in args if not (_EXCLUSION.match(a) and not _LIMIT_CLUSTER.match(a))]
    excluded = [a for a in args if a not in words]
    flags = {"-a": ("abstract", True), "--abstract": ("abstract", True), **_JSON, **_KEYS, **_LONG, **_PAGER}
    parsed = _options(words, flags, {"-n": "limit", "--limit": "limit"})
    if parsed is None or not _limit(parsed[0]) or not (parsed[1] or excluded):
        return None
    from litmap.cli.reads import run_search

    return partial(run_search, [*parsed[1], *excluded], **parsed[0])


def _list(args: list[str]) -> Body | None:
    flags = {"-r": ("reverse", True), "--reverse": ("reverse", True), **_JSON, **_KEYS, **_LONG, **_PAGER}
    valued = {"-c": "category", "--category": "category", "-t": "tag", "--tag": "tag", "-y": "year"}
    valued |= {"--year": "year", "-s": "sort", "--sort": "sort", "-n": "limit", "--limit": "limit"}
    parsed = _options(args, flags, valued, many=("tag",))
    if parsed is None or parsed[1] or not _limit(parsed[0]):
        return None
    from litmap.cli.reads import run_list

    return partial(run_list, **parsed[0])


def _show(args: list[str]) -> Body | None:
    parsed = _options(args, _JSON, {})
    if parsed is None or not parsed[1]:
        return None
    from litmap.cli.reads import run_show

    return partial(run_show, parsed[1], **parsed[0])


def _stats(args: list[str]) -> Body | None:
    parsed = _options(args, _JSON, {})
    if parsed is None or parsed[1]:
        return None
    from litmap.cli.reads import run_stats

    return partial(run_stats, **parsed[0])


def _tag(args: list[str]) -> Body | None:
    # Keys, +TAG and -TAG (and - for stdin) only; --category, --rename and help go through typer.
    if not args or any(a.startswith("--") or a == "-h" for a in args):
        return None
    from litmap.cli.reads import run_tag

    return partial(run_tag, list(args), [], [])


def _export(args: list[str]) -> Body | None:
    # A whole library (or its --category/--tag/--query part) in a built-in format, to stdout or -o FILE:
    # keys, drafts, --watch and help go through typer.
    if not args or args[0].startswith("-"):
        return None
    from litmap.formats import export_formats

    chosen = next((f for f in export_formats() if f.name == args[0]), None)
    if chosen is None:
        return None
    flags = {f.flag: (f.name, True) for f in chosen.flags} | {"--allow-missing": ("allow_missing", True)}
    valued = {"-c": "category", "--category": "category", "-t": "tag", "--tag": "tag", "-q": "query"}
    valued |= {"--query": "query", "--prefer": "prefer", "-o": "output", "--output": "output"}
    parsed = _options(args[1:], flags, valued, many=("tag",))
    if parsed is None or parsed[1] or parsed[0].get("prefer", "published") not in ("published", "preprint"):
        return None
    from pathlib import Path

    from litmap.cli.export_run import run_export
    from litmap.services.export import Selection

    values = parsed[0]
    selection = Selection(
        category=values.get("category"),
        tags=values["tag"],
        query=values.get("query"),
        prefer=values.get("prefer", "published"),
    )
    output = Path(values["output"]) if "output" in values else None
    chosen_flags = {f.name: bool(values.get(f.name)) for f in chosen.flags}
    return partial(run_export, chosen.name, selection, chosen_flags, output, bool(values.get("allow_missing")))


def _dedupe(args: list[str]) -> Body | None:
    # Only the groups as JSON (with --threshold): the tables, --merge and --not go through typer.
    parsed = _options(args, _JSON, {"--threshold": "threshold"})
    if parsed is None or parsed[1] or not parsed[0].get("as_json"):
        return None
    from litmap.dedupe.matching import DEFAULT_THRESHOLD  # the command imports it anyway

    try:
        threshold = float(parsed[0].get("threshold", DEFAULT_THRESHOLD))
    except ValueError:
        return None
    if not 50 <= threshold <= 100:
        return None
    from litmap.cli.dedupe_run import run_dedupe_json

    return partial(run_dedupe_json, threshold)


def _category(args: list[str]) -> Body | None:
    # Only ``category rename OLD NEW`` (with --title): the other reshapings and help go through typer.
    parsed = _options(args[1:], {}, {"-t": "title", "--title": "title"}) if args[:1] == ["rename"] else None
    if parsed is None or len(parsed[1]) != 2:
        return None
    from litmap.cli.reads import run_category_rename

    return partial(run_category_rename, *parsed[1], **parsed[0])


_COMMANDS: dict[str, Callable[[list[str]], Body | None]] = {
    "search": _search,
    "list": _list,
    "show": _show,
    "stats": _stats,
    "tag": _tag,
    "export": _export,
    "dedupe": _dedupe,
    "category": _category,
}


def run(library: str | None, body: Body) -> int:
    """Run one command as the typer app would (global options, errors as one line): its exit status."""
    from litmap.cli import state
    from litmap.cli.plain import message_of, reset_warnings, say_waiting, warn_left_out
    from litmap.errors import LitmapError
    from litmap.store.files import set_lock_wait_notice

    state.set_library_option(library)
    set_lock_wait_notice(say_waiting)
    reset_warnings()
    debug = os.environ.get("LITMAP_DEBUG") == "1"
    try:
        try:
            try:
                body()
            finally:
                opened = state.opened_library()
                if opened is not None:
                    warn_left_out(opened.broken)
            sys.stdout.flush()
        except LitmapError as exc:
            if debug:
                raise
            return _error(message_of(exc))
        except OSError as exc:
            if debug or exc.errno == 32:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            return _error(f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno != 32:
            raise
        # A closed pipe (``| head``): stop quietly, as click does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


def _error(message: str) -> int:
    sys.stderr.write(f"Error: {message}\n")
    sys.stderr.flush()
    return 1
