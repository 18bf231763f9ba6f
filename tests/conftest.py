"""Shared fixtures: every test runs hermetically (no real home, no internet, a tmp library)."""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from typer.testing import CliRunner

from litmap.cli import app
from litmap.cli import state as cli_state

# Every property test's example count is set here, not per test, so all of them (and every xdist
# worker) run the same budget. CI runs a fixed set of examples, so a run is repeatable; locally they explore.
hypothesis_settings.register_profile(
    "litmap", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "ci", parent=hypothesis_settings.get_profile("litmap"), derandomize=True, print_blob=True
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "litmap")

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "library"
DATA = Path(__file__).resolve().parent / "data"
#: The project's shared material (real .bib files, CSL styles, fixtures): ``../shared`` next to the checkout.
SHARED = next((p for p in (REPO.parent / "shared", Path("/work/shared")) if p.is_dir()), REPO.parent / "shared")


def shared_file(relative: str) -> Path:
    """``../shared/<relative>``; the test skips without it, but fails under CI, which has it."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is missing"
        if os.environ.get("CI"):
            pytest.fail(message + " ($CI is set: CI has ../shared)")
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point HOME and caches at tmp, unset LITMAP_* settings, start from a neutral directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in (
        "LITMAP_LIBRARY",
        "LITMAP_DEBUG",
        "LITMAP_ARXIV_API",
        "LITMAP_CROSSREF_API",
        "LITMAP_ARXIV_DELAY",
        "LITMAP_HTTP_TIMEOUT",
        "LITMAP_CONTACT_EMAIL",
        "LITMAP_CONFIG",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(home)
    cli_state.set_library_option(None)


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that reaches for an address off this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or self.family == socket.AF_UNIX
        ):
            raise RuntimeError(f"test tried to reach the internet: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run litmap in this process as if ten seconds had passed since the files were written, so the
    index trusts their stamps at once (a file changed within a second of a refresh is not trusted)."""
    real = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: real() + 10_000_000_000)


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner; stderr is kept apart from stdout."""
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner):  # type: ignore[no-untyped-def]
    """Run ``litmap ARGS`` in-process; returns the click Result."""

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        cli_state.set_library_option(None)
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def bundled_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the bundled library, selected through $LITMAP_LIBRARY."""
    target = tmp_path / "lib"
    shutil.copytree(BUNDLED, target, ignore=shutil.ignore_patterns(".litmap"))
    monkeypatch.setenv("LITMAP_LIBRARY", str(target))
    return target


@pytest.fixture
def empty_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new empty library (made by `litmap init`'s core), selected through $LITMAP_LIBRARY."""
    from litmap.services.admin import init_library

    target = tmp_path / "empty"
    init_library(target, name="test")
    monkeypatch.setenv("LITMAP_LIBRARY", str(target))
    return target


@pytest.fixture
def make_paper_file():  # type: ignore[no-untyped-def]
    """Write a paper file into a library: make_paper_file(root, key, **fields) -> Path."""
    from litmap.models import Paper
    from litmap.store.codec import paper_to_toml

    def make(root: Path, key: str, **fields: object) -> Path:
        fields.setdefault("title", f"A paper called {key}")
        paper = Paper(key=key, **fields)  # type: ignore[arg-type]
        path = root / "papers" / f"{key}.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(paper_to_toml(paper), encoding="utf-8")
        return path

    return make


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The Changes of every atomic commit made during the test, in order (store.files.commit is wrapped)."""
    from litmap.store import files

    seen: list[object] = []
    real_commit = files.commit

    def spy(root: Path, changes: files.Changes) -> None:
        seen.append(changes)
        real_commit(root, changes)

    monkeypatch.setattr(files, "commit", spy)
    return seen


@pytest.fixture
def net(httpserver, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The local HTTP server stands in for arXiv and Crossref; no pause between arXiv requests."""
    from sources_support import ARXIV_PATH, CROSSREF_PATH

    monkeypatch.setenv("LITMAP_ARXIV_API", httpserver.url_for(ARXIV_PATH))
    monkeypatch.setenv("LITMAP_CROSSREF_API", httpserver.url_for(CROSSREF_PATH))
    monkeypatch.setenv("LITMAP_ARXIV_DELAY", "0")
    return httpserver


def command_paths() -> list[list[str]]:
    """Every leaf command of the CLI, as its words (``["export", "bibtex"]``)."""
    import typer.main

    def walk(command, path):  # type: ignore[no-untyped-def]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, command

    return [path for path, _command in walk(typer.main.get_command(app), [])]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Commands write as to a terminal of the given width (``terminal(80)``), with no pager."""
    from litmap.cli import render

    def use(width: int) -> None:
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("NO_COLOR", "1")
        monkeypatch.setenv("LITMAP_PAGER", "")
        monkeypatch.setattr(render.console, "width", width)

    return use


@pytest.fixture
def pandoc() -> None:
    """Skip without pandoc, but fail under CI (.ci/run installs it)."""
    if shutil.which("pandoc") is None:
        if os.environ.get("CI"):
            pytest.fail("pandoc is missing ($CI is set: .ci/run installs it)")
        pytest.skip("pandoc is not installed")
