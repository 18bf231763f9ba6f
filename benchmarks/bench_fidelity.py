"""BibTeX fidelity on real files: the share of (entry, field) values an import -> export keeps.

For each real ``.bib`` file of a corpus (by default ``../shared/realbib/``, see its SOURCES.md), a
fresh library is made, the file imported (``litmap import --keep-keys --force --json``: duplicates
are imported too, since finding them is the dedupe benchmark's business) and the library exported
(``litmap export bibtex --abstracts``). Both the original and the export are then read by an
independent parser, bibtexparser 2 with its LaTeX decoding (pylatexenc), and every (entry, field)
value of the original is looked up in the exported entry the import made of it (found by the
entry's line in ``import --json``). The entry type counts as one more value of each entry.

(The decoding keeps a macro pylatexenc does not know as written, instead of dropping it, and math as
typed.) A value counts as kept when it is equal after these normalisations, which is the contract the
README's "Fidelity" section states:

- values: LaTeX decoded to Unicode (so ``{\\"u}`` = ``ü``, case-protecting braces do not count, an
  accent on nothing is the accent: ``\\^{}`` = ``^``),
  whitespace squashed; ``\\url{x}`` = ``x``; the fields biber reads verbatim (``url``, ``doi``,
  ``eprint``, ``file``, ``verba``..., dates) are compared as written, not decoded;
- names: the same people in the same order, each compared as given + von + last + jr;
- ``month``: the month number (``jul`` = ``7`` = ``July``); ``pages``: any dash between numbers;
- ``doi``: case and a ``https://doi.org/`` prefix ignored; arXiv ids (``eprint``) without version
  or ``arXiv:`` prefix, a DOI's ``\\_`` its ``_``; ``url``: percent-encoding (``%20``) is the
  character it encodes;
- biber's own aliases are one field: ``journal``/``journaltitle``, ``address``/``location``,
  ``school``/``institution``, ``annote``/``annotation``, ``archiveprefix``/``eprinttype``,
  ``primaryclass``/``eprintclass``; entry types ``conference``/``inproceedings``,
  ``electronic``/``www``/``online``; a type neither BibTeX nor biblatex knows (``@unknown``) is ``misc``,
  as the import says it reads it;
- ``crossref``: the original is read with its cross-references resolved, as biber does (a child
  inherits its parent's fields, the parent's title becoming its booktitle); parents that only
  serve as containers are counted through their children, not as entries of their own.

Entries the import refused are counted as lost, every value of them.

Usage: python benchmarks/bench_fidelity.py [FILE.bib ...] [--details N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from litmap.models import ENTRY_TYPES

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "realbib"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/realbib")
BIN = Path(sys.executable).parent

ALIASES = {
    "journaltitle": "journal",
    "location": "address",
    "institution": "school",
    "annotation": "annote",
    "eprinttype": "archiveprefix",
    "eprintclass": "primaryclass",
}
TYPE_ALIASES = {"conference": "inproceedings", "electronic": "online", "www": "online"}
NAME_FIELDS = frozenset("author editor translator bookauthor annotator commentator introduction foreword".split())
VERBATIM = frozenset("url doi eprint file pdf verba verbb verbc date urldate eventdate origdate".split())
CONTAINERS = frozenset({"proceedings", "mvproceedings", "collection", "mvcollection"})
NOT_INHERITED = frozenset("title shorttitle subtitle doi url eprint abstract ids crossref pages isbn".split())
_DASHES = re.compile(r"\s*(?:-{1,3}|–|—)\s*")
_URL = re.compile(r"\\url\s*\{([^{}]*)\}")
_ARXIV_VERSION = re.compile(r"v\d+$")
#: An accent on nothing prints as the accent (LaTeX: ``\^{}`` is ^); pylatexenc would drop it.
_BARE_ACCENT = re.compile(r"\\([\^~])\{\}")
_TEXT_ESCAPES = [("textless", "<"), ("textgreater", ">"), ("textasciicircum", "^"), ("textasciitilde", "~")]
_BARE_ACCENT_TEXT = {"^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


@dataclass
class FileReport:
    """What survived of one file."""

    name: str
    entries: int = 0
    imported: int = 0
    values: int = 0
    kept: int = 0
    lost: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.kept / self.values if self.values else 1.0


def _parse(text: str) -> list[Any]:
    """Entries of ``text`` read by bibtexparser 2, strings resolved, LaTeX decoded, names split."""
    import logging

    import bibtexparser
    from bibtexparser import middlewares as m

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(
        _BARE_ACCENT.sub(lambda m: _BARE_ACCENT_TEXT[m.group(1)], text),
        append_middleware=[m.LatexDecodingMiddleware(decoder=_decoder()), m.SeparateCoAuthors(), m.SplitNameParts()],
    )
    return list(library.entries)


def _decoder() -> Any:
    """pylatexenc's LaTeX-to-text, except that a macro it does not know is kept as written, not dropped
    (dropping it would count a faithful copy of ``\\MaxMinAntSystem`` as a loss), and math is kept."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category(
        "bench", prepend=True, macros=[MacroTextSpec(name, text) for name, text in _TEXT_ESCAPES]
    )
    context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=lambda node, *_: node.latex_verbatim()))
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


def _raw_entries(text: str) -> list[Any]:
    """The same entries without LaTeX decoding: biber reads verbatim fields as written."""
    import bibtexparser

    return list(bibtexparser.parse_string(text).entries)


def _with_verbatim(entries: list[Any], raw: list[Any]) -> None:
    """Put the raw values of verbatim fields (url, file, doi, dates...) back into decoded entries."""
    by_line = {e.start_line: e for e in raw}
    for entry in entries:
        twin = by_line.get(entry.start_line)
        if twin is None:
            continue
        values = {f.key.lower(): f.value for f in twin.fields}
        for item in entry.fields:
            if item.key.lower() in VERBATIM:
                item.value = values.get(item.key.lower(), item.value)


def _norm_text(value: Any) -> str:
    return " ".join(_URL.sub(r"\1", str(value)).replace("{", "").replace("}", "").split())


def _norm_name(name: Any) -> str:
    parts = [*name.first, *name.von, *name.last, *name.jr] if hasattr(name, "first") else [str(name)]
    return _norm_text(" ".join(parts))


def _month(value: str) -> str:
    text = value.strip().lower()[:3]
    months = "jan feb mar apr may jun jul aug sep oct nov dec".split()
    return str(months.index(text) + 1) if text in months else value.strip().lstrip("0")


def normalise(name: str, value: Any) -> str:
    """A field value in its comparable form (see the module docstring)."""
    if name in NAME_FIELDS and isinstance(value, list):
        return " and ".join(_norm_name(n) for n in value)
    text = _norm_text(unquote(str(value)) if name == "url" else value)
    if name == "month":
        return _month(text)
    if name == "pages":
        return _DASHES.sub("–", text)
    if name == "doi":
        return re.sub(r"(?i)^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", text.replace("\\_", "_")).lower()
    if name == "eprint":
        return _ARXIV_VERSION.sub("", re.sub(r"(?i)^arxiv:", "", text))
    if name == "archiveprefix":
        return text.lower()
    return text


def _names(value: str) -> list[Any]:
    from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

    return [parse_single_name_into_parts(n, strict=False) for n in split_multiple_persons_names(value)]


def _fields(entry: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in entry.fields:
        name = item.key.strip().lower()
        value = item.value
        if name in NAME_FIELDS and isinstance(value, str):  # an upper-case AUTHOR = escapes the middleware
            value = _names(value)
        out[ALIASES.get(name, name)] = value
    return out


def _resolve(entries: list[Any]) -> tuple[dict[int, dict[str, Any]], set[int]]:
    """Each entry's fields by start line, crossrefs resolved; the lines of container parents."""
    by_key = {e.key.lower(): e for e in entries}
    resolved: dict[int, dict[str, Any]] = {}
    parents: set[int] = set()
    for entry in entries:
        fields = _fields(entry)
        parent_key = str(fields.pop("crossref", "")).strip().lower()
        parent = by_key.get(parent_key) if parent_key else None
        if parent is not None and parent is not entry:
            parents.add(parent.start_line)
            inherited = _fields(parent)
            for name, value in inherited.items():
                if name not in NOT_INHERITED and name not in fields:
                    fields[name] = value
            if "booktitle" not in fields and "title" in inherited:
                fields["booktitle"] = inherited["title"]
        resolved[entry.start_line] = fields
    containers = {e.start_line for e in entries if e.start_line in parents and e.entry_type.lower() in CONTAINERS}
    return resolved, containers


def _litmap(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LITMAP_LIBRARY": str(cwd / "lib")}
    return subprocess.run([str(BIN / "litmap"), *args], cwd=cwd, env=env, capture_output=True, text=True)


def round_trip(path: Path, work: Path) -> tuple[dict[int, str], str]:
    """Import ``path`` into a fresh library under ``work``; the key given to each line, and the export."""
    _litmap("init", str(work / "lib"), cwd=work)
    result = _litmap("import", str(path), "--keep-keys", "--force", "--json", cwd=work)
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise RuntimeError(f"litmap import {path.name} failed: {result.stderr.strip()}")
    outcome = json.loads(result.stdout)
    keys = {item["line"]: item["key"] for item in outcome.get("added", [])}
    exported = _litmap("export", "bibtex", "--abstracts", cwd=work)
    if exported.returncode != 0:
        raise RuntimeError(f"litmap export bibtex failed: {exported.stderr.strip()}")
    return keys, exported.stdout


def measure(path: Path) -> FileReport:
    """Import, export and compare one file."""
    report = FileReport(path.name)
    original_text = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="litmap-fidelity-") as tmp:
        keys, exported_text = round_trip(path, Path(tmp))
    originals = _parse(original_text)
    _with_verbatim(originals, _raw_entries(original_text))
    resolved, containers = _resolve(originals)
    exported_entries = _parse(exported_text)
    _with_verbatim(exported_entries, _raw_entries(exported_text))
    exported = {e.key: (e.entry_type.lower(), _fields(e)) for e in exported_entries}
    for entry in originals:
        line = entry.start_line
        if line in containers:
            continue
        report.entries += 1
        fields = resolved[line]
        key = keys.get(line + 1)
        got_type, got = exported.get(key, ("", {})) if key else ("", {})
        if key in exported:
            report.imported += 1
        want_type = entry.entry_type.lower()
        want_type = want_type if want_type in ENTRY_TYPES else "misc"
        values = [("ENTRYTYPE", TYPE_ALIASES.get(want_type, want_type), TYPE_ALIASES.get(got_type, got_type))]
        for name, value in fields.items():
            want = normalise(name, value)
            if not want:
                continue
            values.append((name, want, normalise(name, got[name]) if name in got else ""))
        for name, want, have in values:
            report.values += 1
            if want == have:
                report.kept += 1
            else:
                report.lost.append((entry.key, name, want, have))
    return report


def corpus_files() -> list[Path]:
    """The corpus's .bib files, by name."""
    return sorted(CORPUS.glob("*.bib"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="files to measure (default: the corpus)")
    parser.add_argument("--details", type=int, default=0, help="show up to N lost values per file")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args()
    reports = [measure(p) for p in (args.files or corpus_files())]
    if args.json:
        rows = [{"file": r.name, "entries": r.entries, "imported": r.imported, "values": r.values,
                 "kept": r.kept, "share": round(r.share, 4)} for r in reports]  # fmt: skip
        print(json.dumps(rows, indent=2))
        return
    print(f"{'file':<28} {'entries':>7} {'imported':>8} {'values':>7} {'kept':>7} {'share':>7}  most lost fields")
    total_values = total_kept = 0
    for r in reports:
        total_values += r.values
        total_kept += r.kept
        common = ", ".join(f"{n} {c}" for n, c in Counter(name for _k, name, _w, _h in r.lost).most_common(4))
        print(f"{r.name:<28} {r.entries:>7} {r.imported:>8} {r.values:>7} {r.kept:>7} {r.share:>7.2%}  {common}")
        for key, name, want, have in r.lost[: args.details]:
            print(f"    {key}.{name}: {want[:90]!r}\n    {'':>{len(key) + len(name) + 1}}  {have[:90]!r}")
    share = total_kept / total_values if total_values else 1.0
    print(f"{'all':<28} {'':>7} {'':>8} {total_values:>7} {total_kept:>7} {share:>7.2%}")


if __name__ == "__main__":
    main()
