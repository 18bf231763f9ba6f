"""Dependencies point one way and never in a circle, read from the source with ``ast``.

Every import counts, at module level, inside functions (where cycles hide) and under
``TYPE_CHECKING``. The layers, top to bottom::

    cli, the Python API (litmap/__init__.py, litmap/api.py)
    services                              the use cases
    store  sources  formats  dedupe  drafts   (side by side: see ALLOWED_SIDEWAYS)
    models errors identifiers dates keys taxonomy pages selection fuzzy collector

A module may import its own package, and any layer below its own; nothing imports upwards. Among
the middle packages, only ``sources`` and ``dedupe`` use ``formats`` (LaTeX to text, page ranges).
(The companion test that the core never imports typer or rich is in test_cli.py.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "litmap"

LAYERS: list[set[str]] = [
    {"cli", "__main__", "api", ""},
    {"services"},
    {"store", "sources", "formats", "dedupe", "drafts"},
    {
        "models",
        "records",
        "errors",
        "identifiers",
        "dates",
        "keys",
        "taxonomy",
        "pages",
        "selection",
        "fuzzy",
        "collector",
        "registry",
    },
]
MIDDLE = 2
#: Imports between packages of the middle layer that are part of the design.
ALLOWED_SIDEWAYS = {("sources", "formats"), ("dedupe", "formats")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> Iterator[tuple[str, int]]:
    """The litmap modules ``name`` imports (``from litmap.x import y`` is litmap.x.y if that is a module)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
            if base == "litmap" and all(a.name == "__version__" for a in node.names):
                continue  # the version string, not the package's API
        else:
            continue
        for target in targets:
            if target == "litmap" or target.startswith("litmap."):
                while target not in MODULES:
                    target = target.rpartition(".")[0]
                yield target, node.lineno


def top(name: str) -> str:
    """The top-level part of a litmap module's name: ``litmap.store.index`` -> ``store``."""
    return name.split(".")[1] if "." in name else ""


def layer(name: str) -> int:
    part = top(name)
    for index, members in enumerate(LAYERS):
        if part in members:
            return index
    raise AssertionError(f"{name} is in no layer: add {part!r} to LAYERS in {__file__}")


def test_every_module_is_in_a_layer() -> None:
    for name in MODULES:
        layer(name)


def test_imports_point_down_the_layers() -> None:
    wrong = []
    for name in sorted(MODULES):
        for target, line in imports_of(name):
            mine, theirs = top(name), top(target)
            if mine == theirs:
                continue
            if layer(target) < layer(name):
                wrong.append(f"{MODULES[name].relative_to(SRC)}:{line}: {name} imports {target} (a layer above)")
            elif layer(target) == layer(name) == MIDDLE and (mine, theirs) not in ALLOWED_SIDEWAYS:
                wrong.append(f"{MODULES[name].relative_to(SRC)}:{line}: {name} imports {target} (same layer)")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    graph = {name: sorted({t for t, _ in imports_of(name) if t != name}) for name in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in graph[name]:
            if state.get(target) == 1:
                cycles.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from litmap.store import files\n", ["litmap.store.files"]),
        ("from litmap.store.library import Library\n", ["litmap.store.library"]),
        ("def f():\n    from litmap.services.search import search\n", ["litmap.services.search"]),
        ("from . import scan\n", ["litmap.drafts.scan"]),
    ],
)
def test_the_import_reader_sees_every_kind_of_import(
    source: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = PACKAGE / "drafts" / "__init__.py"
    monkeypatch.setitem(MODULES, "litmap.drafts", tmp_path / "__init__.py")
    (tmp_path / "__init__.py").write_text(source, encoding="utf-8")
    assert fake.exists()
    assert [target for target, _line in imports_of("litmap.drafts")] == expected
