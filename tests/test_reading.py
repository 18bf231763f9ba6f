"""`litmap open` and `litmap note`: from a record to the paper, and the reader's own notes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from litmap.store import Library

LITMAP = Path(sys.executable).with_name("litmap")


def test_open_print_picks_the_best_target(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("open", "elhage2022toy", "--print")
    assert result.exit_code == 0
    assert result.stdout.strip() == "https://transformer-circuits.pub/2022/toy_model/index.html"


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("--url", "https://transformer-circuits.pub/2022/toy_model/index.html"),
        ("--arxiv", "https://arxiv.org/abs/2209.10652"),
    ],
)
def test_open_print_each_kind(invoke, bundled_copy: Path, flag: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("open", "elhage2022toy", flag, "--print")
    assert result.exit_code == 0
    assert result.stdout.strip() == expected


def test_open_doi_goes_through_the_resolver(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    paper = bundled_copy / "papers" / "meng2022locating.toml"
    doi = next(line.split('"')[1] for line in paper.read_text().splitlines() if line.startswith("doi ="))
    result = invoke("open", "meng2022locating", "--doi", "--print")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"https://doi.org/{doi}"


def test_open_a_kind_the_paper_lacks_says_what_it_has(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("open", "elhage2022toy", "--pdf", "--print")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: elhage2022toy has no attached PDF (it has: URL, arXiv id)"


def test_open_an_unknown_key_suggests(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("open", "elhage2022tyo", "--print")
    assert result.exit_code == 1
    assert "no paper with key 'elhage2022tyo'" in result.stderr and "elhage2022toy" in result.stderr


def test_open_runs_litmap_opener_with_the_target(bundled_copy: Path, tmp_path: Path) -> None:
    record = tmp_path / "opened.txt"
    opener = tmp_path / "opener.sh"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\n')
    opener.chmod(0o755)
    env = {**os.environ, "LITMAP_OPENER": str(opener), "LITMAP_LIBRARY": str(bundled_copy)}
    done = subprocess.run([str(LITMAP), "open", "elhage2022toy", "--arxiv"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert record.read_text().strip() == "https://arxiv.org/abs/2209.10652"


def test_open_with_a_missing_opener_is_one_line(bundled_copy: Path, tmp_path: Path) -> None:
    env = {**os.environ, "LITMAP_OPENER": str(tmp_path / "no-such-opener"), "LITMAP_LIBRARY": str(bundled_copy)}
    done = subprocess.run([str(LITMAP), "open", "elhage2022toy"], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "set $LITMAP_OPENER or use --print" in done.stderr


def test_note_creates_the_file_with_a_heading_and_keeps_what_the_editor_wrote(
    invoke, bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Superposition is compression.\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    assert invoke("note", "elhage2022toy").exit_code == 0
    text = (bundled_copy / "notes" / "elhage2022toy.md").read_text()
    assert text.startswith("# Toy Models of Superposition\n")
    assert text.endswith("Superposition is compression.\n")
    assert invoke("note", "elhage2022toy").exit_code == 0  # a second session appends, never resets
    assert (bundled_copy / "notes" / "elhage2022toy.md").read_text().count("Superposition is compression.") == 2
    printed = invoke("note", "elhage2022toy", "--print")
    assert printed.stdout.count("Superposition is compression.") == 2
    shown = invoke("show", "elhage2022toy")
    assert "Your notes (notes/elhage2022toy.md)" in shown.stdout
    assert shown.stdout.count("Superposition is compression.") == 2


def test_note_print_without_notes_says_how_to_start(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("note", "elhage2022toy", "--print")
    assert result.exit_code == 0
    assert "No notes on elhage2022toy yet" in result.stdout
    assert not (bundled_copy / "notes").exists()


def test_note_on_the_bundled_library_is_refused(invoke, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LITMAP_LIBRARY", raising=False)
    monkeypatch.chdir("/")
    monkeypatch.setenv("VISUAL", "true")
    result = invoke("note", "elhage2022toy")
    assert result.exit_code == 1
    assert "litmap init" in result.stderr


def _pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n% a test file: " + path.name.encode() + b"\n")
    return path


def test_attach_copies_the_file_records_it_and_open_prefers_it(invoke, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = _pdf(tmp_path / "download.pdf")
    result = invoke("attach", "elhage2022toy", str(source))
    assert result.exit_code == 0, result.stderr
    stored = bundled_copy / "files" / "elhage2022toy.pdf"
    assert stored.read_bytes() == source.read_bytes() and source.exists()
    assert 'files = ["files/elhage2022toy.pdf"]' in (bundled_copy / "papers" / "elhage2022toy.toml").read_text()
    assert invoke("open", "elhage2022toy", "--print").stdout.strip() == str(stored)
    assert "files/elhage2022toy.pdf" in invoke("show", "elhage2022toy").stdout
    assert invoke("check").exit_code == 0


def test_attach_move_and_link(invoke, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    moved = _pdf(tmp_path / "a.pdf")
    assert invoke("attach", "elhage2022toy", str(moved), "--move").exit_code == 0
    assert not moved.exists() and (bundled_copy / "files" / "elhage2022toy.pdf").is_file()
    linked = _pdf(tmp_path / "b.pdf")
    assert invoke("attach", "elhage2022toy", str(linked), "--link").exit_code == 0
    second = bundled_copy / "files" / "elhage2022toy-2.pdf"
    assert second.is_symlink() and second.resolve() == linked.resolve()
    again = invoke("attach", "elhage2022toy", str(linked))
    assert again.exit_code == 1 and "already attached" in again.stderr


def test_attach_a_missing_file_is_one_line_and_records_nothing(invoke, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = (bundled_copy / "papers" / "elhage2022toy.toml").read_bytes()
    result = invoke("attach", "elhage2022toy", str(tmp_path / "nope.pdf"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'nope.pdf'}: no such file"
    assert (bundled_copy / "papers" / "elhage2022toy.toml").read_bytes() == before


def test_check_reports_missing_and_orphaned_attachments(invoke, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("attach", "elhage2022toy", str(_pdf(tmp_path / "a.pdf"))).exit_code == 0
    (bundled_copy / "files" / "elhage2022toy.pdf").unlink()
    _pdf(bundled_copy / "files" / "stray.pdf")
    result = invoke("check")
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "files/elhage2022toy.pdf: attached file of elhage2022toy is missing" in out
    assert "files/stray.pdf: no paper records this file" in out


def test_rm_removes_the_attachments_with_the_paper(invoke, bundled_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = _pdf(tmp_path / "a.pdf")
    assert invoke("attach", "elhage2022toy", str(source), "--link").exit_code == 0
    result = invoke("rm", "elhage2022toy", "--yes")
    assert result.exit_code == 0
    assert "files/elhage2022toy.pdf" in result.stdout
    assert not (bundled_copy / "files" / "elhage2022toy.pdf").is_symlink()
    assert source.exists()  # a link goes, never the file it points to
    assert invoke("check").exit_code == 0


def test_a_paper_file_naming_a_file_outside_the_library_is_invalid(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    paper = bundled_copy / "papers" / "elhage2022toy.toml"
    paper.write_text(paper.read_text().replace('title = "', 'files = ["../../etc/passwd"]\ntitle = "', 1))
    result = invoke("check")
    assert result.exit_code == 1
    assert "must be a path inside the library" in result.stdout + result.stderr


def test_a_word_only_in_an_attached_pdf_is_found(invoke, bundled_copy: Path, tmp_path: Path, terminal) -> None:  # type: ignore[no-untyped-def]
    from pdfmaker import make_pdf

    body = ["Toy Models of Superposition", "We measure the zygomorphic structure of features in superposition."]
    pdf = make_pdf(tmp_path / "toy.pdf", [body, ["Appendix: more zygomorphic plots."]])
    assert invoke("search", "zygomorphic").stdout.strip().startswith("No papers")
    assert invoke("attach", "elhage2022toy", str(pdf)).exit_code == 0
    found = invoke("search", "zygomorphic", "--json")
    assert [(h["key"], h["matched_in"]) for h in json.loads(found.stdout)] == [("elhage2022toy", "pdf")]
    only = invoke("search", "fulltext:zygomorphic", "--keys")
    assert only.stdout.split() == ["elhage2022toy"]
    terminal(100)
    shown = invoke("search", "zygomorphic", "--abstract")
    assert "[in the PDF]" in shown.stdout and "zygomorphic" in shown.stdout
    # record matches rank first; the PDF-only match follows
    mixed = invoke("search", "superposition", "--keys", "--limit", "0")
    assert mixed.stdout.split()[0] != "" and "elhage2022toy" in mixed.stdout.split()
    # a changed PDF is read again; a removed one is forgotten
    (bundled_copy / "files" / "elhage2022toy.pdf").unlink()
    assert invoke("search", "fulltext:zygomorphic", "--keys").stdout.split() == []


def test_notes_are_searchable_with_note_field(
    invoke, bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Try to replicate the pentagon result.\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    assert invoke("note", "elhage2022toy").exit_code == 0
    assert invoke("search", "note:pentagon", "--keys").stdout.split() == ["elhage2022toy"]
    assert invoke("search", "pentagon", "--json").exit_code == 0
    hits = json.loads(invoke("search", "pentagon", "--json").stdout)
    assert [(h["key"], h.get("matched_in")) for h in hits] == [("elhage2022toy", "note")]
    assert invoke("search", "note:pentagon", "-note:pentagon", "--keys").stdout.split() == []


def test_markdown_export_carries_notes_when_asked(
    invoke, bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Replicated the pentagon figure.\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    assert invoke("note", "elhage2022toy").exit_code == 0
    plain = invoke("export", "markdown")
    assert plain.exit_code == 0 and "pentagon" not in plain.stdout
    page = invoke("export", "markdown", "--notes")
    assert page.exit_code == 0, page.stderr
    assert "  <details><summary>Notes</summary>\n\n  Replicated the pentagon figure.\n\n  </details>" in page.stdout
    assert "<!--" not in page.stdout.split("Notes</summary>", 1)[1].split("</details>", 1)[0]


def test_file_fields_in_the_forms_reference_managers_write() -> None:
    from litmap.services.attachments import file_field_paths

    assert file_field_paths("/Users/j/Zotero/storage/8K/A - 2024.pdf;/Users/j/Zotero/storage/ZG/2402.html") == [
        "/Users/j/Zotero/storage/8K/A - 2024.pdf",
        "/Users/j/Zotero/storage/ZG/2402.html",
    ]
    assert file_field_paths(":papers/smith2020.pdf:PDF") == ["papers/smith2020.pdf"]  # JabRef
    assert file_field_paths(r":C\:/Users/x/Mendeley/a.pdf:pdf") == ["C:/Users/x/Mendeley/a.pdf"]  # Mendeley
    assert file_field_paths("Full Text PDF:files/3/a.pdf:application/pdf") == ["files/3/a.pdf"]  # Zotero


def test_import_attaches_the_pdfs_its_file_fields_name(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "export"
    (folder / "pdfs").mkdir(parents=True)
    _pdf(folder / "pdfs" / "smith.pdf")
    bib = folder / "refs.bib"
    bib.write_text(
        "@article{smith2020, title={Deep nets for cats}, author={Smith, Ann}, year={2020}, journal={J},\n"
        "  file={:pdfs/smith.pdf:PDF}}\n"
        "@article{jones2021, title={A paper whose PDF is gone}, author={Jones, Bob}, year={2021}, journal={J},\n"
        "  file={/nowhere/jones.pdf}}\n"
    )
    result = invoke("import", str(bib))
    assert result.exit_code == 0, result.stderr
    assert "Attached 1 PDF named in the entries' file fields" in result.stderr
    papers = {p.key: p for p in Library(empty_library).papers()}
    (smith,) = [p for p in papers.values() if p.title == "Deep nets for cats"]
    (jones,) = [p for p in papers.values() if p.title == "A paper whose PDF is gone"]
    assert smith.files == [f"files/{smith.key}.pdf"] and jones.files == []
    assert smith.extra["file"] == ":pdfs/smith.pdf:PDF"  # the field itself is kept as it was
