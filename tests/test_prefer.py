"""``export --prefer published|preprint``: a paper with both versions is written as the one asked for.

The bundled library's published papers keep their arXiv id and first release (``released``), so each
can be exported as its preprint: an arXiv entry dated by the release, without the publication.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED
from litmap.formats.bibtex_read import parse_bibtex
from litmap.models import Paper
from litmap.services.versions import arxiv_id_year, as_preprint

PUBLISHED_FIELDS = ("booktitle", "journal", "volume", "pages", "doi", "publisher", "number", "issue")


def entries(text: str) -> dict[str, Paper]:
    items, _ = parse_bibtex(text)
    return {item.key: item.paper for item in items if item.paper is not None}


def test_bibtex_writes_a_published_paper_as_its_preprint_when_asked(invoke: Any) -> None:
    keys = ["kim2017interpretability", "rauker2022transparent", "hendrycks2016gaussian", "caruana2015intelligible"]
    published = invoke("--library", str(BUNDLED), "export", "bibtex", *keys)
    preprint = invoke("--library", str(BUNDLED), "export", "bibtex", "--prefer", "preprint", *keys)
    assert published.exit_code == preprint.exit_code == 0, published.stderr + preprint.stderr
    default = invoke("--library", str(BUNDLED), "export", "bibtex", "--prefer", "published", *keys)
    assert published.stdout == default.stdout
    before, after = entries(published.stdout), entries(preprint.stdout)

    kim, published_kim = after["kim2017interpretability"], before["kim2017interpretability"]
    assert (published_kim.type, published_kim.year) == ("inproceedings", 2018)
    assert (kim.type, kim.year, kim.month) == ("misc", 2017, 11)
    assert (kim.arxiv, kim.url, kim.volume, kim.pages) == ("1711.11279", "https://arxiv.org/abs/1711.11279", None, None)
    assert (kim.title, kim.authors) == (published_kim.title, published_kim.authors)
    entry = preprint.stdout.split("@misc{kim2017interpretability,")[1].split("\n}\n")[0]
    assert "  howpublished = {arXiv preprint},\n" in entry
    assert not [name for name in PUBLISHED_FIELDS if f"  {name} = " in entry], entry

    rauker = after["rauker2022transparent"]
    assert (rauker.year, rauker.month, rauker.doi) == (2022, 7, None)  # the SaTML 2023 DOI is the publication's
    # A preprint is its own first release; a paper with no arXiv version has no preprint to prefer.
    assert after["hendrycks2016gaussian"] == before["hendrycks2016gaussian"]
    assert after["caruana2015intelligible"] == before["caruana2015intelligible"]


def test_csl_json_and_the_python_api_take_the_preference(invoke: Any) -> None:
    result = invoke("--library", str(BUNDLED), "export", "csl-json", "--prefer", "preprint", "meng2022locating")
    assert result.exit_code == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["issued"] == {"date-parts": [[2022, 2]]}
    assert "container-title" not in item and "page" not in item and "DOI" not in item
    assert item["URL"] == "https://arxiv.org/abs/2202.05262"

    import litmap

    library = litmap.open_library(BUNDLED)
    text = library.export("bibtex", keys=["kim2017interpretability"], prefer="preprint")
    assert "@misc{kim2017interpretability," in text and "year = {2017}" in text


def test_a_draft_export_takes_the_preference_too(invoke: Any, tmp_path: Path) -> None:
    draft = tmp_path / "draft.tex"
    draft.write_text("As shown by \\citet{bahdanau2014neural} and \\cite{wang2014falling}.\n", encoding="utf-8")
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--tex", str(draft), "--prefer", "preprint")
    assert result.exit_code == 0, result.stderr
    papers = entries(result.stdout)
    assert sorted(papers) == ["bahdanau2014neural", "wang2014falling"]
    assert [(p.type, p.year, p.month) for p in papers.values()] == [("misc", 2014, 9), ("misc", 2014, 11)]


def test_an_unknown_preference_is_a_usage_error(invoke: Any) -> None:
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "--prefer", "newest")
    assert result.exit_code == 2
    assert "'newest'" in result.stderr and "--prefer" in result.stderr


def test_without_a_recorded_release_the_arxiv_id_dates_the_preprint() -> None:
    paper = Paper(key="k", type="article", title="T", year=2019, venue="Journal", volume="3", arxiv="1812.01234")
    preprint = as_preprint(paper)
    assert (preprint.year, preprint.month, preprint.type) == (2018, None, "misc")
    assert [arxiv_id_year(i) for i in ("1711.11279", "0704.0001", "hep-th/9901001", "math/0309136")] == [
        2017,
        2007,
        1999,
        2003,
    ]


@pytest.mark.latex
@pytest.mark.parametrize("engine", ["bibtex", "biber"])
def test_the_bundled_library_as_preprints_compiles_cleanly(invoke: Any, tmp_path: Path, engine: str) -> None:
    from test_latex import TOOLS, assert_clean, compile_draft, write_draft

    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:  # CI installs TeX Live: there a missing tool is a failure, not a skip
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"TeX Live is incomplete: missing {missing}")
    keys = [p.stem for p in sorted((BUNDLED / "papers").glob("*.toml"))]
    draft = write_draft(tmp_path, engine, keys)
    args = ["--library", str(BUNDLED), "export", "bibtex", "--prefer", "preprint", "--tex", str(draft)]
    result = invoke(*args, "-o", str(tmp_path / "refs.bib"), *(["--ascii"] if engine == "bibtex" else []))
    assert result.exit_code == 0, result.stderr
    assert_clean(compile_draft(tmp_path, engine), engine, keys)
