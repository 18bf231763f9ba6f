"""biblatex in (issue 12): its entry types and fields, untitled entries, comments, every entry accounted for.

What ``import`` accepts, ``check`` accepts: biblatex's own example file (``biblatex-examples.bib``,
from TeX Live: skipped without it, failing under CI) and the biblatex files of the real corpus
(``../shared/realbib``) import, then check clean.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from litmap.formats.bibtex_read import parse_bibtex

REALBIB = Path(__file__).resolve().parents[2] / "shared" / "realbib"
if not REALBIB.is_dir():
    REALBIB = Path("/work/shared/realbib")


def _needed(what: str, why: str) -> None:
    message = f"{what} is missing ({why})"
    if os.environ.get("CI"):
        pytest.fail(message + " ($CI is set: CI has it)")
    pytest.skip(message)


def biblatex_examples() -> Path:
    """biblatex's own ``biblatex-examples.bib``, as TeX Live installs it."""
    found = ""
    if shutil.which("kpsewhich"):
        found = subprocess.run(["kpsewhich", "biblatex-examples.bib"], capture_output=True, text=True).stdout.strip()
    if not found:
        _needed("biblatex-examples.bib", "TeX Live's biblatex")
    return Path(found)


def realbib(name: str) -> Path:
    path = REALBIB / name
    if not path.is_file():
        _needed(str(path), "the real .bib corpus, ../shared/realbib")
    return path


def import_json(invoke, library: Path, bib: Path, *flags: str) -> dict:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(library), "import", str(bib), "--keep-keys", "--json", *flags)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def check_output(invoke, library: Path) -> str:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(library), "check")
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


# -- 1. biblatex's entry types and fields, in import and in check alike ---------------------------


@pytest.mark.parametrize("source", ["biblatex-examples.bib", "zotero-bbt-biblatex.bib", "cjk-gbt7714.bib"])
def test_a_biblatex_file_imports_and_then_checks_clean(invoke, tmp_path: Path, source: str) -> None:  # type: ignore[no-untyped-def]
    bib = biblatex_examples() if source == "biblatex-examples.bib" else realbib(source)
    library = tmp_path / "lib"
    assert invoke("init", str(library)).exit_code == 0
    report = import_json(invoke, library, bib)
    assert report["failed"] == []
    assert check_output(invoke, library).startswith("OK:")


def test_biblatex_types_and_fields_are_kept_as_they_are(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "b.bib"
    bib.write_text(
        "@mvbook{a, author = {Knuth, Donald}, title = {Computers and Typesetting}, date = {1984/1986},"
        " volumes = {5}}\n"
        "@jurisdiction{b, title = {Miranda v. Arizona}, date = {1966-06-13}, origdate = {1965},"
        " ids = {miranda}}\n"
        "@online{c, author = {Baez, John}, title = {Higher-Dimensional Algebra}, url = {https://x.org/b},"
        " urldate = {2006-10-01}, eventtitle = {Workshop}}\n"
        "@article{d, author = {A, B}, title = {T}, journaltitle = {J. Phys.}, date = {2020-01}}\n",
        encoding="utf-8",
    )
    report = import_json(invoke, empty_library, bib)
    assert [item["key"] for item in report["added"]] == ["a", "b", "c", "d"]
    assert check_output(invoke, empty_library).startswith("OK:")
    exported = invoke("export", "bibtex").stdout
    for line in ("@mvbook{a,", "@jurisdiction{b,", "@online{c,", "@article{d,", "date = {1984/1986},",
                 "eventtitle = {Workshop},", "urldate = {2006-10-01},"):  # fmt: skip
        assert line in exported, line


def test_an_entry_type_no_tool_knows_becomes_misc_and_says_so(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "u.bib"
    bib.write_text("@unknown{gab, title = {Gab corpus}, author = {Zannettou, S}, year = 2018, pages = {}}\n")
    result = invoke("import", str(bib), "--keep-keys")
    assert result.exit_code == 0, result.stderr
    assert "u.bib:1 (gab): entry type @unknown is neither BibTeX's nor biblatex's: imported as @misc" in result.stderr
    assert "@misc{gab," in invoke("export", "bibtex").stdout
    assert check_output(invoke, empty_library).startswith("OK:")


def test_check_still_flags_a_mistyped_entry_type(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, "k", type="artcle")
    result = invoke("check")
    assert result.exit_code == 1
    assert "unknown entry type 'artcle'" in result.stdout + result.stderr


def test_parse_reads_biblatex_types_without_a_note() -> None:
    items, _ = parse_bibtex("@mvbook{a, title = {T}}\n@report{b, title = {R}, type = {techreport}}")
    assert [(i.paper.type, i.notes) for i in items if i.paper] == [("mvbook", ()), ("report", ())]


# -- 2. untitled entries of types biblatex lets go without a title ---------------------------------

SETS = r"""@set{stdmodel, entryset = {glashow,weinberg}}
@article{glashow, author = {Glashow, Sheldon}, title = {Partial Symmetries of Weak Interactions},
  journaltitle = {Nucl. Phys.}, date = {1961}}
@article{weinberg, author = {Weinberg, Steven}, title = {A Model of Leptons},
  journaltitle = {Phys. Rev. Lett.}, date = {1967}}
@xdata{hup, publisher = {Harvard University Press}, location = {Cambridge, Mass.}}
@jurisdiction{court, date = {1966}, number = {384 U.S. 436}}
@misc{bare, year = 2020}
"""


def test_untitled_entries_biblatex_allows_are_kept_and_export_untitled(
    invoke, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "s.bib"
    bib.write_text(SETS, encoding="utf-8")
    result = invoke("import", str(bib), "--keep-keys", "--json")
    report = json.loads(result.stdout)
    assert sorted(item["key"] for item in report["added"]) == ["court", "glashow", "hup", "stdmodel", "weinberg"]
    # biblatex requires a title of a @misc: that one is still refused, with its line.
    assert [(f["line"], f["reason"]) for f in report["failed"]] == [(8, "the entry has no title")]
    shown = invoke("show", "stdmodel")
    assert "Set of glashow, weinberg" in shown.stdout
    exported = invoke("export", "bibtex").stdout
    entry = exported.split("@set{stdmodel,")[1].split("\n}\n")[0]
    assert "title" not in entry and "untitled" not in entry
    assert "entryset = {glashow,weinberg}," in entry
    assert "publisher = {Harvard University Press}," in exported.split("@xdata{hup,")[1]
    assert check_output(invoke, empty_library).startswith("OK:")


# -- 3. a %-commented entry is a comment ------------------------------------------------------------

COMMENTED = """% Encoding: UTF-8
% @article{old, title = {Commented out on one line}, author = {A, B}}
@article{kept, title = {Kept}, author = {Curie, Marie},
% note = {a field commented out},
  year = 1903}
%@misc{gone,
%   title = {Commented out as a block},
%}
@misc{percent, title = {50% off}, note = {100%}, author = {B, C}} % a comment after an entry
"""


def test_a_commented_entry_is_a_comment_not_an_entry_or_an_error(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "c.bib"
    bib.write_text(COMMENTED, encoding="utf-8")
    result = invoke("import", str(bib), "--keep-keys", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(item["line"], item["key"]) for item in report["added"]] == [(3, "kept"), (9, "percent")]
    assert report["failed"] == []
    exported = invoke("export", "bibtex").stdout
    assert "note" not in exported.split("@article{kept,")[1].split("}\n")[0]
    assert "title = {50\\% off}," in exported and "note = {100\\%}," in exported


# -- 4. import --json accounts for every entry of the file ----------------------------------------

ENTRY_LINE = re.compile(r"^@\s*(\w+)\s*[{(]", re.MULTILINE)


def entry_lines(text: str) -> list[int]:
    """The lines entries start on, counted as SOURCES.md counts them (not @string, @comment, @preamble)."""
    return [
        text.count("\n", 0, m.start()) + 1
        for m in ENTRY_LINE.finditer(text)
        if m.group(1).lower() not in ("string", "comment", "preamble")
    ]


def accounted(report: dict) -> dict[int, str]:
    """What happened to the entry of each line, as ``import --json`` tells it."""
    seen: dict[int, str] = {}
    for status in ("added", "present", "failed", "folded"):
        for item in report[status]:
            assert item["line"] not in seen, item
            seen[item["line"]] = status
    return seen


HANDMADE = r"""@string{proc = "Proceedings of Things"}
@string{proc = "Proceedings of Things 2020"}
@inproceedings{child, title = {Child Paper}, author = {Doe, Jane}, pages = {1--9}, crossref = {conf20}}
@inproceedings{sibling, title = {Sibling Paper}, author = {Roe, Rick}, pages = {10--19}, crossref = {conf20}}
@proceedings{conf20, title = proc, year = 2020, publisher = {PMLR}}
@article{again, title = {Child paper}, author = {Doe, Jane}, pages = {1--9}, year = 2020}
@article{broken, author = {Nobody, N}}
"""


def test_import_json_accounts_for_every_entry_of_a_handmade_file(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "h.bib"
    bib.write_text(HANDMADE, encoding="utf-8")
    result = invoke("import", str(bib), "--keep-keys", "--json")
    assert result.exit_code == 1  # one entry refused
    report = json.loads(result.stdout)
    assert accounted(report) == {3: "added", 4: "added", 5: "folded", 6: "present", 7: "failed"}
    assert report["entries"] == len(entry_lines(HANDMADE)) == 5
    (parent,) = report["folded"]
    assert (parent["key"], parent["into"]) == ("conf20", ["child", "sibling"])
    (present,) = report["present"]
    assert present["key"] == "child"  # skipped as a duplicate of child
    assert report["failed"][0]["reason"] == "the entry has no title"
    assert report["notes"] == ["h.bib:2: @string proc is defined again: this definition is used"]
    assert venue_of(empty_library, "child") == "Proceedings of Things 2020"


def venue_of(root: Path, key: str) -> str | None:
    from litmap.store import Library

    return Library(root).get(key).venue


@pytest.mark.parametrize("source", ["dblp-crypto.bib", "hott-math.bib", "handwritten-pl-strings.bib"])
def test_import_json_accounts_for_every_entry_of_a_real_file(invoke, tmp_path: Path, source: str) -> None:  # type: ignore[no-untyped-def]
    bib = realbib(source)
    library = tmp_path / "lib"
    assert invoke("init", str(library)).exit_code == 0
    report = import_json(invoke, library, bib)
    lines = entry_lines(bib.read_text(encoding="utf-8"))
    assert sorted(accounted(report)) == lines
    assert report["entries"] == len(lines)
    if source != "handwritten-pl-strings.bib":  # crossref parents, each folded into the papers of its children
        assert report["folded"] and all(parent["into"] for parent in report["folded"])


# -- 5. related versions are imported, and reported as possible versions ---------------------------

VERSIONS = r"""@misc{rome-arxiv, title = {Locating and Editing Factual Associations in {GPT}},
  author = {Meng, Kevin and Bau, David and Andonian, Alex and Belinkov, Yonatan}, year = 2022,
  eprint = {2202.05262}, archiveprefix = {arXiv}}
@inproceedings{rome, title = {Locating and Editing Factual Associations in {GPT}},
  author = {Meng, Kevin and Bau, David and Andonian, Alex and Belinkov, Yonatan}, year = 2022,
  booktitle = {Advances in Neural Information Processing Systems}, volume = {35}}
@techreport{sparse-tr, title = {Sparse Autoencoders for Circuit Discovery in Small Transformers},
  author = {Lovelace, Ada and Babbage, Charles}, year = 2021, institution = {University of Somewhere}}
@article{sparse, title = {Sparse Autoencoders for Circuit Discovery in Small Transformers},
  author = {Lovelace, Ada and Babbage, Charles}, year = 2022, journal = {Journal of Circuits}, doi = {10.1000/jc.1}}
@phdthesis{probe-thesis, title = {Probing Linear Structure in Language Model Representations},
  author = {Hopper, Grace}, year = 2023, school = {MIT}}
@article{probe, title = {Probing Linear Structure in Language Model Representations},
  author = {Hopper, Grace}, year = 2023, journal = {Transactions on Machine Learning Research}}
@inproceedings{grok-ws, title = {Grokking Modular Arithmetic with Small Transformers},
  author = {Turing, Alan and Noether, Emmy}, year = 2022, booktitle = {ICML Workshop on Mechanistic Interpretability}}
@inproceedings{grok, title = {Grokking Modular Arithmetic with Small Transformers},
  author = {Turing, Alan and Noether, Emmy}, year = 2023,
  booktitle = {International Conference on Learning Representations}}
@inproceedings{grok-copy, title = {Grokking modular arithmetic with small transformers},
  author = {Turing, A. and Noether, E.}, year = 2023,
  booktitle = {International Conference on Learning Representations}}
"""


def test_related_versions_are_imported_and_reported_as_possible_versions(
    invoke, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "v.bib"
    bib.write_text(VERSIONS, encoding="utf-8")
    report = json.loads(invoke("import", str(bib), "--keep-keys", "--json").stdout)
    added = {item["key"]: item for item in report["added"]}
    assert sorted(added) == sorted(
        ["rome-arxiv", "rome", "sparse-tr", "sparse", "probe-thesis", "probe", "grok-ws", "grok"]
    )
    assert [(p["key"], p["line"]) for p in report["present"]] == [("grok", 20)]  # the same version twice is one
    versions = {key: [v["key"] for v in item.get("versions", [])] for key, item in added.items()}
    assert versions == {
        "rome-arxiv": [], "rome": ["rome-arxiv"], "sparse-tr": [], "sparse": ["sparse-tr"],
        "probe-thesis": [], "probe": ["probe-thesis"], "grok-ws": [], "grok": ["grok-ws"],
    }  # fmt: skip
    assert added["sparse"]["versions"][0]["reason"].startswith("possible versions (publication and report)")

    again = tmp_path / "lib2"
    assert invoke("init", str(again)).exit_code == 0
    shown = invoke("--library", str(again), "import", str(bib), "--keep-keys")
    assert "Possible versions (4), added beside the papers they resemble" in shown.stdout
    assert "probe (v.bib:13 (probe)) and probe-thesis (possible versions (publication and thesis)" in " ".join(
        shown.stdout.split()
    )


def test_dedupe_lists_possible_versions_apart_and_does_not_merge_them(
    invoke, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "v.bib"
    bib.write_text(VERSIONS, encoding="utf-8")
    assert invoke("import", str(bib), "--keep-keys", "--force").exit_code == 0
    groups = json.loads(invoke("dedupe", "--json").stdout)
    same = [sorted(g["keys"]) for g in groups if not g["versions"]]
    versions = [sorted(g["keys"]) for g in groups if g["versions"]]
    assert same == [["grok", "grok-copy"]]
    assert sorted(versions) == [
        ["grok", "grok-copy", "grok-ws"], ["probe", "probe-thesis"], ["rome", "rome-arxiv"], ["sparse", "sparse-tr"]
    ]  # fmt: skip
    table = invoke("dedupe").stdout
    assert "Possible versions" in table and "4 group(s) of possible versions of one work" in " ".join(table.split())
    merged = invoke("dedupe", "--merge", "--yes", "--json")
    assert [m["removed"] for m in json.loads(merged.stdout)] == [["grok-copy"]]
    from litmap.store import Library

    assert {"rome", "rome-arxiv", "sparse", "sparse-tr", "probe", "probe-thesis", "grok-ws"} <= set(
        Library(empty_library).keys()
    )


# -- 6. what the compile comparison found ---------------------------------------------------------


def test_an_accent_on_nothing_is_the_accent_itself() -> None:
    # DBLP writes the caret of math as {\^{}}: E(\mathbb{F}_{q^{5}}), not E(\mathbb{F}_{q{5}}).
    (item,), _ = parse_bibtex(
        r"@article{k, title = {On {\textdollar}E({\textbackslash}mathbb\{F\}{\_}\{q{\^{}}\{5\}\}){\textdollar}},"
        r" note = {a\~{}b}}"
    )
    assert item.paper is not None
    assert item.paper.title == r"On $E(\mathbb{F}_{q^{5}})$"
    assert item.paper.extra["bibtex-note"] == "a~b"
