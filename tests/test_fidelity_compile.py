"""Issue 12's "done when", through LaTeX: each real file of ``../shared/realbib`` compiles against
litmap's export no worse than against itself.

For each file a ``\\nocite{*}`` document is compiled twice, once against the original and once
against litmap's export of it (``import --keep-keys --force`` into a fresh library, then ``export
bibtex --abstracts`` of every original key, so entries go out under the keys the file gave them):
with classic bibtex (natbib, plainnat) for classic files, with biber (biblatex) for files that use
biblatex's entry types or fields, as the other LaTeX tests do. The export may not give more
bibtex/biber warnings nor more LaTeX errors than the original, and every entry key of the original
is in the export's ``.bbl`` (except crossref parents, which litmap folds into their children, and an
entry without a key, which nothing can cite). The documents load ``amssymb``, as a document citing
math papers does (``\\mathbb`` is in several titles).

Each document is compiled once per module run (``compiled``). Skipped without ``../shared`` or TeX
Live, failing under CI, which has both.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from test_biblatex_import import REALBIB

pytestmark = pytest.mark.latex

TOOLS = ("pdflatex", "bibtex", "biber", "kpsewhich")
FILES = sorted(p.name for p in REALBIB.glob("*.bib")) if REALBIB.is_dir() else []
#: Entry types only biblatex knows: a file using one is compiled with biber.
BIBLATEX_ONLY_TYPES = frozenset(
    "online report thesis mvbook mvcollection mvproceedings bookinbook suppbook collection suppcollection "
    "reference mvreference inreference dataset software patent periodical suppperiodical set xdata "
    "artwork audio bibnote commentary image jurisdiction legal legislation letter movie music performance "
    "review standard video".split()
)
_TYPE = re.compile(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s]*)", re.MULTILINE)
_CROSSREF = re.compile(r"^\s*crossref\s*=\s*[{\"]([^}\"]+)[}\"]", re.MULTILINE | re.IGNORECASE)
CONTAINERS = frozenset({"proceedings", "mvproceedings", "collection", "mvcollection"})

NATBIB = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{url}
\usepackage{amssymb}
\usepackage[numbers]{natbib}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{refs}
\end{document}
"""
BIBLATEX = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{amssymb}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


@dataclass(frozen=True)
class Compiled:
    """What one run left: the bibliography tool's warnings, LaTeX's errors, the keys in the .bbl."""

    warnings: list[str]
    errors: list[str]
    keys: set[str]


def engine_for(text: str) -> str:
    """biber for a file using biblatex's entry types or ``journaltitle``, else bibtex."""
    types = {m.group(1).lower() for m in _TYPE.finditer(text)}
    if types & BIBLATEX_ONLY_TYPES or re.search(r"^\s*journaltitle\s*=", text, re.MULTILINE | re.IGNORECASE):
        return "biber"
    return "bibtex"


def entry_keys(text: str) -> list[str]:
    """The keys of the file's entries, without crossref parents (folded into their children) and empty keys."""
    parents = {m.group(1).strip().lower() for m in _CROSSREF.finditer(text)}
    keys = []
    for m in _TYPE.finditer(text):
        kind, key = m.group(1).lower(), m.group(2).strip()
        if kind in ("string", "comment", "preamble") or not key:
            continue
        if kind in CONTAINERS and key.lower() in parents:
            continue
        keys.append(key)
    return list(dict.fromkeys(keys))


def compile_against(folder: Path, bib: str, engine: str) -> Compiled:
    """pdflatex, bibtex or biber, pdflatex: warnings of the .blg, errors of the last .log, the .bbl's keys."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    (folder / "doc.tex").write_text(BIBLATEX if engine == "biber" else NATBIB, encoding="utf-8")
    latex = ["pdflatex", "-draftmode", "-interaction=nonstopmode", "doc.tex"]
    run = lambda command: subprocess.run(command, cwd=folder, capture_output=True, text=True, errors="replace")  # noqa: E731
    run(latex)
    run([engine, "doc"])
    run(latex)
    read = lambda suffix: (folder / f"doc{suffix}").read_text(encoding="utf-8", errors="replace")  # noqa: E731
    blg, log = read(".blg"), read(".log")
    bbl = read(".bbl") if (folder / "doc.bbl").exists() else ""
    if engine == "biber":
        warnings = [re.sub(r"^\[\d+\] ", "", w) for w in re.findall(r"^.*(?:WARN|ERROR) - .*$", blg, re.MULTILINE)]
        keys = set(re.findall(r"\\entry\{([^}]*)\}", bbl))
    else:
        warnings = re.findall(r"^Warning--.*$", blg, re.MULTILINE) + re.findall(
            r"^.*error message.*$", blg, re.MULTILINE
        )
        keys = set(re.findall(r"\\bibitem(?:\[(?:[^\[\]]|\[[^\]]*\])*\])?\s*\{([^}]*)\}", bbl))
    errors = re.findall(r"^! .*$", log, re.MULTILINE)
    return Compiled(warnings, errors, keys)


def exported_by_litmap(source: Path, work: Path, keys: list[str]) -> str:
    """``source`` imported into a fresh library and exported again, every key of it under its own name."""
    exe = str(Path(sys.executable).with_name("litmap"))
    env = {**os.environ, "LITMAP_LIBRARY": str(work / "lib")}
    litmap = lambda *args, **kw: subprocess.run([exe, *args], cwd=work, env=env, capture_output=True, text=True, **kw)  # noqa: E731
    assert litmap("init", str(work / "lib")).returncode == 0
    imported = litmap("import", str(source), "--keep-keys", "--force", "--json")
    assert imported.returncode in (0, 1), imported.stderr
    assert json.loads(imported.stdout)["failed"] == [], imported.stdout
    exported = litmap("export", "bibtex", "--abstracts", "-", input="\n".join(keys) + "\n")
    assert exported.returncode == 0, exported.stderr
    return exported.stdout


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, list[str], Compiled, Compiled]]:
    """Every corpus file compiled once against the original and once against the export."""
    if not FILES:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"the real .bib corpus is missing ({REALBIB})")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"TeX Live is incomplete: missing {missing}")
    root = tmp_path_factory.mktemp("realbib-compile")
    out = {}
    for name in FILES:
        text = (REALBIB / name).read_text(encoding="utf-8")
        engine, keys = engine_for(text), entry_keys(text)
        work = root / name.removesuffix(".bib")
        (work / "export").mkdir(parents=True)
        original = compile_against(work / "original", text, engine)
        export = compile_against(work / "export", exported_by_litmap(REALBIB / name, work / "export", keys), engine)
        out[name] = (engine, keys, original, export)
    return out


@pytest.mark.parametrize("name", FILES or ["(no corpus)"])
def test_the_export_compiles_no_worse_than_the_original(compiled, name: str) -> None:  # type: ignore[no-untyped-def]
    engine, _keys, original, export = compiled[name]
    assert len(export.warnings) <= len(original.warnings), (
        f"{engine}: {len(export.warnings)} warnings against the export, {len(original.warnings)} against the "
        f"original; new ones:\n" + "\n".join(w for w in export.warnings if w not in original.warnings)[:3000]
    )
    assert len(export.errors) <= len(original.errors), "\n".join(export.errors)[:3000]


@pytest.mark.parametrize("name", FILES or ["(no corpus)"])
def test_every_key_of_the_original_resolves_in_the_export(compiled, name: str) -> None:  # type: ignore[no-untyped-def]
    _engine, keys, _original, export = compiled[name]
    assert keys
    missing = [key for key in keys if key not in export.keys]
    assert not missing, f"{len(missing)} of {len(keys)} keys not in the .bbl: {missing[:10]}"


def test_the_engine_follows_the_files_nature() -> None:
    assert engine_for("@online{a, title={T}, url={u}}") == "biber"
    assert engine_for("@article{a,\n  journaltitle = {J}}") == "biber"
    assert engine_for("@article{a, journal={J}, date={2016}}\n@inproceedings{b, crossref={c}}") == "bibtex"
