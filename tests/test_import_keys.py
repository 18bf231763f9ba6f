"""Import keeps every key of the file naming its own entry: as the paper's key or as an alias."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from litmap.store import Library

REALBIB = Path("/work/shared/realbib")

CATS_AND_DOGS = """\
@article{Smith2020,
  title = {Deep nets for cats},
  author = {Smith, Jane},
  year = {2020},
  journal = {Journal of Cats}
}

@article{smith2020deep,
  title = {Deep learning of dogs},
  author = {Smith, Jane},
  year = {2020},
  journal = {Journal of Dogs}
}
"""


def _entry(key: str, title: str, author: str, year: int, **fields: str) -> str:
    more = "".join(f", {name} = {{{value}}}" for name, value in fields.items())
    return f"@article{{{key}, title = {{{title}}}, author = {{{author}}}, year = {{{year}}}{more}}}\n"


def _titles_by_key(root: Path) -> dict[str, str]:
    """Every key and alias of the library -> the title of the paper it names."""
    named: dict[str, str] = {}
    for paper in Library(root).papers():
        for key in paper.all_keys:
            assert key.lower() not in {k.lower() for k in named}, f"{key} names two papers"
            named[key] = paper.title
    return named


def _import(invoke, tmp_path: Path, text: str, *options: str):  # type: ignore[no-untyped-def]
    bib = tmp_path / "in.bib"
    bib.write_text(text, encoding="utf-8")
    return invoke("import", str(bib), *options)


def test_a_file_key_never_names_another_entry(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = _import(invoke, tmp_path, CATS_AND_DOGS)
    assert result.exit_code == 0, result.output
    named = _titles_by_key(empty_library)
    assert named["Smith2020"] == "Deep nets for cats"
    assert named["smith2020deep"] == "Deep learning of dogs"


def test_the_draft_citing_the_file_keys_exports_the_right_papers(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert _import(invoke, tmp_path, CATS_AND_DOGS).exit_code == 0
    draft = tmp_path / "draft.tex"
    draft.write_text("Dogs \\cite{smith2020deep}, cats \\citep{Smith2020}.\n", encoding="utf-8")
    result = invoke("export", "bibtex", "--tex", str(draft))
    assert result.exit_code == 0, result.output
    entries = re.split(r"\n(?=@)", result.stdout.strip())
    assert len(entries) == 2
    dogs = next(e for e in entries if "dogs" in e)
    cats = next(e for e in entries if "cats" in e)
    assert re.search(r"\bsmith2020deep\b", dogs)
    assert not re.search(r"\bsmith2020deep\b", cats)
    assert "Smith2020" in cats


def test_dblp_keys_resolve_as_aliases(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bib = REALBIB / "dblp-crypto.bib"
    if not bib.exists():
        if os.environ.get("CI"):
            pytest.fail("/work/shared/realbib is missing")
        pytest.skip("needs /work/shared/realbib")
    result = invoke("import", str(bib))
    assert result.exit_code == 0, result.output
    text = bib.read_text(encoding="utf-8")
    keys = re.findall(r"^@(?!proceedings)\w+\{(DBLP:[^,]+),", text, flags=re.MULTILINE)
    assert len(keys) > 20
    named = _titles_by_key(empty_library)
    for key in keys:
        assert key in named, f"{key} does not resolve"
    # A draft citing DBLP keys exports them, and `show` finds one.
    draft = tmp_path / "draft.tex"
    draft.write_text(f"\\cite{{{keys[0]}, {keys[1]}}}\n", encoding="utf-8")
    exported = invoke("export", "bibtex", "--tex", str(draft))
    assert exported.exit_code == 0, exported.output
    assert exported.stdout.count("\n@") + exported.stdout.startswith("@") == 2
    assert keys[0] in exported.stdout
    assert invoke("show", keys[2]).exit_code == 0
    aux = tmp_path / "draft.aux"
    aux.write_text(f"\\relax\n\\citation{{{keys[3]}}}\n", encoding="utf-8")
    from_aux = invoke("export", "bibtex", "--aux", str(aux))
    assert from_aux.exit_code == 0, from_aux.output
    assert keys[3] in from_aux.stdout
    assert invoke("check").exit_code == 0


def test_a_skipped_duplicate_leaves_its_key_as_an_alias(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _entry("mine", "Sparse autoencoders find features", "Lee, Ann", 2023, doi="10.1234/sae")
    assert _import(invoke, tmp_path, first).exit_code == 0
    again = _entry("LeeSAE23", "Sparse Autoencoders Find Features", "Lee, A.", 2023, doi="10.1234/SAE") + _entry(
        "lee2023sparse_copy", "Sparse autoencoders find features", "Lee, Ann", 2023
    )
    result = _import(invoke, tmp_path, again)
    assert result.exit_code == 0, result.output
    assert "LeeSAE23" in result.output
    named = _titles_by_key(empty_library)
    assert len(Library(empty_library).papers()) == 1
    assert named["LeeSAE23"] == named["mine"] == named["lee2023sparse_copy"]


def test_a_duplicate_key_that_names_another_paper_is_not_moved(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = _entry("alpha", "Circuits in small transformers", "Kim, Bo", 2021) + _entry(
        "beta", "A completely different topic", "Ng, Al", 2019
    )
    assert _import(invoke, tmp_path, base).exit_code == 0
    # The same circuits paper, but under the key the library uses for the other paper.
    result = _import(
        invoke,
        tmp_path,
        _entry("beta", "Circuits in small transformers", "Kim, Bo", 2021),
    )
    assert result.exit_code == 0, result.output
    named = _titles_by_key(empty_library)
    assert named["beta"] == "A completely different topic"
    assert "beta" in result.output and "another paper" in result.output


def test_biblatex_ids_become_aliases(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = _entry("main2020", "Probing classifiers", "Belinkov, Yonatan", 2020, ids="old2019, DBLP:journals/x/Old19")
    assert _import(invoke, tmp_path, text).exit_code == 0
    named = _titles_by_key(empty_library)
    for key in ("main2020", "old2019", "DBLP:journals/x/Old19"):
        assert named[key] == "Probing classifiers"
    assert invoke("show", "old2019").exit_code == 0


def test_keep_keys_keeps_every_valid_key_and_says_which_it_could_not(
    invoke, empty_library: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert _import(invoke, tmp_path, _entry("taken", "Earlier work on probes", "Ng, Al", 2018)).exit_code == 0
    text = (
        CATS_AND_DOGS
        + _entry("DBLP:conf/sss/ShapiroPBZ11", "Conflict-free replicated data types", "Shapiro, Marc", 2011)
        + _entry("taken", "Attention heads that copy", "Olsson, Catherine", 2022)
    )
    dry = _import(invoke, tmp_path, text, "--keep-keys", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "could not keep the key 'DBLP:conf/sss/ShapiroPBZ11'" in dry.output
    result = _import(invoke, tmp_path, text, "--keep-keys", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    keys = {o["key"] for o in report["added"]}
    assert {"Smith2020", "smith2020deep"} <= keys
    notes = {o["source"]: " ".join(o.get("notes", [])) for o in report["added"]}
    dblp = next(v for s, v in notes.items() if "Shapiro" in s)
    assert "file name" in dblp
    clash = next(v for s, v in notes.items() if "(taken)" in s)
    assert "already names" in clash
    named = _titles_by_key(empty_library)
    assert named["DBLP:conf/sss/ShapiroPBZ11"] == "Conflict-free replicated data types"
    assert named["taken"] == "Earlier work on probes"


YUKAWA = """\
@article{YukawaPhoto1952,
  journal = {The Mainichi Graphic},
  month = {sep},
  title = {{Hideki Yukawa}},
  year = {1952}
}
"""


@pytest.mark.parametrize("options", [(), ("--keep-keys",)], ids=["alias", "key"])
def test_a_reimported_authorless_short_title_is_the_paper_its_key_names(  # type: ignore[no-untyped-def]
    invoke, empty_library: Path, tmp_path: Path, options: tuple[str, ...]
) -> None:
    first = _import(invoke, tmp_path, YUKAWA, *options)
    assert first.exit_code == 0, first.output
    files = {p.name: p.read_bytes() for p in (empty_library / "papers").iterdir()}
    assert len(files) == 1
    again = _import(invoke, tmp_path, YUKAWA, *options, "--json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["added"] == []
    assert len(report["present"]) == 1
    assert {p.name: p.read_bytes() for p in (empty_library / "papers").iterdir()} == files


def test_a_short_title_under_a_key_of_another_title_is_not_that_paper(  # type: ignore[no-untyped-def]
    invoke, empty_library: Path, tmp_path: Path
) -> None:
    assert _import(invoke, tmp_path, YUKAWA).exit_code == 0
    other = YUKAWA.replace("{{Hideki Yukawa}}", "{{Enrico Fermi}}")
    result = _import(invoke, tmp_path, other, "--json")
    assert len(json.loads(result.stdout)["added"]) == 1
    # Another journal's short authorless title under the same key in another year: not the same either.
    later = YUKAWA.replace("1952", "1960").replace("Mainichi Graphic", "Asahi Graph")
    assert len(json.loads(_import(invoke, tmp_path, later, "--json").stdout)["added"]) == 1


def test_reimporting_a_real_file_adds_nothing(invoke, empty_library: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bib = REALBIB / "mendeley-physics.bib"
    if not bib.exists():
        if os.environ.get("CI"):
            pytest.fail("/work/shared/realbib is missing")
        pytest.skip("needs /work/shared/realbib")
    assert invoke("import", str(bib)).exit_code == 0
    count = len(Library(empty_library).keys())
    again = invoke("import", str(bib), "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["added"] == []
    assert len(Library(empty_library).keys()) == count
