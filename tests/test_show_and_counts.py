"""What people copy from the terminal is whole: `show` wraps instead of cutting and links identifiers;
counts read right ("Wrote 1 entry"); joined spellings of hyphenated title words are found."""

from __future__ import annotations

from pathlib import Path

from conftest import BUNDLED


def test_show_wraps_instead_of_cutting_at_80_columns(invoke, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from litmap.cli import render

    monkeypatch.setattr(render.console, "width", 80)
    out = invoke("--library", str(BUNDLED), "show", "heimersheim2023circuit").stdout
    inside = "".join(line[1:-1].strip() for line in out.splitlines() if line.startswith("│"))
    url = "https://www.alignmentforum.org/posts/u6KXXmKFbXfWzoAXn/a-circuit-for-python-docstrings-in-a-4-layer-attention-only"
    assert url in inside and "…" not in out
    assert "A circuit for Python docstrings in a 4-layer attention-only transformer" in out
    assert "heimersheim2023circuit" in out.splitlines()[0]
    assert all(len(line) <= 80 for line in out.splitlines())


def test_show_links_identifiers_on_a_terminal() -> None:
    from io import StringIO

    from rich.console import Console

    from litmap.cli.render import paper_panel
    from litmap.store.library import Library

    library = Library(BUNDLED, read_only=True)
    out = StringIO()
    Console(file=out, force_terminal=True, width=120).print(
        paper_panel(library.get("elhage2022toy").to_json(), library.taxonomy().shown_paths())
    )
    assert "\x1b]8;id=" in out.getvalue() and "https://arxiv.org/abs/2209.10652" in out.getvalue()


def test_wrote_one_entry_in_the_singular(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    one = invoke("--library", str(BUNDLED), "export", "bibtex", "elhage2022toy", "-o", str(tmp_path / "one.bib"))
    assert one.stderr == f"Wrote 1 entry to {tmp_path / 'one.bib'}\n"
    args = ["export", "csl-json", "elhage2022toy", "olah2020zoom", "-o", str(tmp_path / "t")]
    two = invoke("--library", str(BUNDLED), *args)
    assert two.stderr == f"Wrote 2 items to {tmp_path / 't'}\n"


def test_a_joined_spelling_finds_a_hyphenated_title_word(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, "olsson2022context", title="In-context Learning and Induction Heads")
    make_paper_file(empty_library, "other2022", title="Context windows of small models")
    assert invoke("search", "incontext", "--keys").stdout.split() == ["olsson2022context"]
    assert invoke("search", "in-context", "--keys").stdout.split() == ["olsson2022context"]
