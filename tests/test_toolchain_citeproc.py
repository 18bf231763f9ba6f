"""The bundled library through ``pandoc --citeproc`` in APA style, from its CSL-JSON and from its BibTeX.

pandoc reads a BibTeX title as title case and puts it in sentence case itself; litmap's CSL-JSON
carries sentence case already. Both bibliographies must print every paper with the same authors,
year and title. Needs pandoc and ``../shared/csl/apa.csl``: skipped without them, except under CI.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED, shared_file
from litmap.store import Library

#: An APA reference: authors, (year[letter][, month day]). then the title and the rest.
APA = re.compile(r"^(?P<authors>.+?) \((?P<year>\d{4})[a-z]?(?:, [^)]*)?\)\. (?P<rest>.+)$")


pytestmark = pytest.mark.usefixtures("pandoc")


def _text(node: Any) -> str:
    """The plain text of pandoc JSON inlines (quotes as curly quotes)."""
    if isinstance(node, list):
        return "".join(_text(n) for n in node)
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        return str(content)
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Quoted":
        marks = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
        return marks[0] + _text(content[1]) + marks[1]
    if kind in ("Span", "Link"):
        return _text(content[1])
    if kind in ("Emph", "Strong", "SmallCaps", "Underline", "Superscript", "Subscript", "Strikeout"):
        return _text(content)
    if kind in ("Para", "Plain"):
        return _text(content)
    return ""


def rendered(folder: Path, bibliography: str) -> dict[str, str]:
    """Key -> the APA reference pandoc prints for it (every entry of ``bibliography``)."""
    (folder / "all.md").write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    command = ["pandoc", "all.md", "--citeproc", "--csl", str(shared_file("csl/apa.csl"))]
    run = subprocess.run(
        [*command, "--bibliography", bibliography, "-t", "json"], cwd=folder, capture_output=True, text=True
    )
    assert run.returncode == 0 and "WARNING" not in run.stderr, run.stderr
    entries: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Div" and node["c"][0][0].startswith("ref-"):
                entries[node["c"][0][0].removeprefix("ref-")] = " ".join(_text(node["c"][1]).split())
                return
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads(run.stdout)["blocks"])
    return entries


def test_apa_from_csl_json_and_from_bibtex_gives_the_same_authors_years_and_titles(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name, target in (("bibtex", "refs.bib"), ("csl-json", "refs.json")):
        result = invoke("--library", str(BUNDLED), "export", name, "-o", str(tmp_path / target))
        assert result.exit_code == 0, result.stderr
    from_bibtex = rendered(tmp_path, "refs.bib")
    from_csl = rendered(tmp_path, "refs.json")
    library = Library(BUNDLED, read_only=True)
    keys = library.keys()
    assert sorted(from_bibtex) == sorted(from_csl) == keys
    titles = {item["id"]: item["title"] for item in json.loads((tmp_path / "refs.json").read_text(encoding="utf-8"))}
    differ = []
    for key in keys:
        bib, csl = APA.match(from_bibtex[key]), APA.match(from_csl[key])
        assert bib and csl, (from_bibtex[key], from_csl[key])
        title = re.sub(r"<[^>]+>", "", titles[key]).replace("'", "’")
        same = (
            bib["authors"] == csl["authors"]
            and bib["year"] == csl["year"] == str(library.get(key).year)
            and bib["rest"].startswith(title)
            and csl["rest"].startswith(title)
        )
        if not same:
            differ.append(f"{key}:\n  bibtex: {from_bibtex[key]}\n  csl:    {from_csl[key]}")
    assert not differ, "\n".join(differ)
    # What a reader of an APA reference list sees: sentence case, acronyms and a subtitle capitalised.
    assert "What does BERT look at? An analysis of BERT’s attention." in from_csl["clark2019bert"]
    assert (
        "Interpretability in the wild: A circuit for indirect object identification in GPT-2 small"
        in (from_csl["wang2022interpretability"])
    )
