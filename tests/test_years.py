"""The year rule: ``year``/``month`` are the described version's, ``released`` the first release.

`check` flags a year earlier than the one the record's DOI, venue, volume or URL names; the
``released`` field is validated, stored beside year and month, shown, exported (biblatex
``origdate``, CSL ``original-date``) and read back from biblatex; arXiv fills it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from litmap.dates import named_years
from litmap.formats.bibtex import paper_to_bibtex
from litmap.formats.bibtex_read import parse_bibtex
from litmap.formats.csl import paper_to_csl
from litmap.models import Paper
from litmap.sources.arxiv import parse_feed
from litmap.store.codec import paper_from_toml, paper_to_toml
from sources_support import fixture_bytes, serve_arxiv

PREPRINT_YEARS = [  # (fields, the year they name): each is a real record's metadata
    ({"doi": "10.1109/SaTML54575.2023.00039"}, 2023),
    ({"doi": "10.1109/CVPR.2015.7298640"}, 2015),
    ({"doi": "10.18653/v1/2022.acl-long.581"}, 2022),
    ({"doi": "10.18653/v1/W19-4828"}, 2019),
    ({"doi": "10.24963/ijcai.2019/123"}, 2019),
    ({"doi": "10.1609/aaai.v35i14.17533"}, 2021),
    ({"venue": "International Conference on Learning Representations (ICLR 2015)"}, 2015),
    ({"venue": "Proceedings of Machine Learning Research", "volume": "80"}, 2018),
    ({"venue": "Advances in Neural Information Processing Systems", "volume": "32"}, 2019),
    ({"venue": "Proceedings of the AAAI Conference on Artificial Intelligence", "volume": "35"}, 2021),
    ({"venue": "ICML", "url": "https://proceedings.mlr.press/v162/ravfogel22a.html"}, 2022),
    ({"venue": "TACL", "url": "https://aclanthology.org/Q18-1034/"}, 2018),
    ({"venue": "NeurIPS", "url": "https://papers.nips.cc/paper_files/paper/2023/hash/efbba77-Abstract.html"}, 2023),
]


@pytest.mark.parametrize(("fields", "year"), PREPRINT_YEARS)
def test_the_year_a_records_metadata_names(fields: dict[str, str], year: int) -> None:
    assert [n.year for n in named_years(**fields)] == [year]


@pytest.mark.parametrize(
    "fields",
    [
        {"doi": "10.1145/2783258.2788613"},  # ACM: no year in the DOI
        {"doi": "10.1162/tacl_a_00034"},
        {"doi": "10.1007/978-3-319-10590-1_53"},
        {"venue": "Transactions on Machine Learning Research"},
        {"venue": "Proceedings of Machine Learning Research", "volume": "9999"},  # a volume not in the table
        {"venue": "Journal of Machine Learning Research", "volume": "21"},  # not a proceedings series
        {"venue": "Advances in Neural Information Processing Systems", "volume": "e12"},
        {"venue": "Phys. Rev. 102/2020-03"},  # digits in a reference, not a year
    ],
)
def test_metadata_without_a_stated_year_names_none(fields: dict[str, str]) -> None:
    assert named_years(**fields) == []


def test_a_venue_naming_several_years_counts_its_earliest() -> None:
    assert named_years(venue="QPL 2008 (Electronic Notes, 2011)") == [("venue", 2008)]


def write(root: Path, key: str, text: str) -> Path:
    path = root / "papers" / f"{key}.toml"
    path.write_text(f'key = "{key}"\ntitle = "A paper called {key}"\n{text}', encoding="utf-8")
    return path


def test_check_flags_a_year_before_the_published_one(invoke: Any, empty_library: Path) -> None:
    papers = empty_library / "papers"
    write(empty_library, "rauker2022transparent", 'year = 2022\ndoi = "10.1109/SaTML54575.2023.00039"\n')
    write(empty_library, "bahdanau2014neural", 'year = 2014\nmonth = 9\nvenue = "ICLR 2015"\n')
    write(empty_library, "kim2017interpretability", 'year = 2017\nvenue = "PMLR"\nvolume = "80"\npublisher = "PMLR"\n')
    write(empty_library, "late", 'year = 2018\nmonth = 7\nreleased = "2019-01"\n')
    write(empty_library, "published", 'year = 2023\nreleased = "2022-07"\ndoi = "10.1109/SaTML54575.2023.00039"\n')
    write(empty_library, "journal", 'year = 2019\nreleased = "2018-04"\ndoi = "10.1109/TVCG.2018.2865044"\n')
    write(empty_library, "undated", 'doi = "10.1109/SaTML54575.2023.00039"\n')
    result = invoke("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{papers / 'bahdanau2014neural.toml'}:3: year 2014 is earlier than 2015, the year its venue names "
        "(ICLR 2015): year and month are the described version's; the first release goes in `released`"
    )
    assert lines[1].startswith(f"{papers / 'kim2017interpretability.toml'}:3: year 2017 is earlier than 2018,")
    assert "its volume names (80)" in lines[1]
    assert lines[2] == (
        f"{papers / 'late.toml'}:5: released 2019-01 is later than the year 2018 and month 7 the record gives: "
        "`released` is the first public release"
    )
    assert lines[3].startswith(f"{papers / 'rauker2022transparent.toml'}:3: year 2022 is earlier than 2023,")
    assert "its DOI names (10.1109/SaTML54575.2023.00039)" in lines[3]
    assert lines[4:] == [f"4 problem(s) in {empty_library}"]


def test_released_must_be_a_date(invoke: Any, empty_library: Path) -> None:
    write(empty_library, "bad", 'year = 2018\nreleased = "2017-13"\n')
    result = invoke("check")
    assert result.exit_code == 1
    assert "bad.toml:4: field 'released': not a date: '2017-13' (use YYYY, YYYY-MM or YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(
    ("value", "stored"), [('"2017"', "2017"), ('"2017-11"', "2017-11"), ("2017-11-30", "2017-11-30")]
)
def test_released_takes_a_year_a_month_or_a_day(value: str, stored: str) -> None:
    paper = paper_from_toml(f'key = "k"\ntitle = "T"\nyear = 2018\nreleased = {value}\n', "k.toml")
    assert paper.released == stored


def test_released_is_written_beside_year_and_month_and_round_trips() -> None:
    paper = Paper(key="k", title="T", year=2018, month=7, released="2017-11", venue="ICML", arxiv="1711.11279")
    text = paper_to_toml(paper)
    assert 'year = 2018\nmonth = 7\nreleased = "2017-11"\nvenue = "ICML"\n' in text
    assert paper_from_toml(text, "k.toml") == paper
    assert paper_to_toml(paper_from_toml(text, "k.toml"), previous=text) == text


def test_show_and_list_json_give_the_first_release(invoke: Any, empty_library: Path) -> None:
    write(empty_library, "kim2017interpretability", 'year = 2018\nmonth = 7\nreleased = "2017-11"\nvenue = "ICML"\n')
    shown = invoke("show", "kim2017interpretability")
    assert shown.exit_code == 0
    assert [line.split() for line in shown.stdout.splitlines() if "released" in line] == [
        ["│", "First", "released", "2017-11", "│"]
    ]
    listed = json.loads(invoke("list", "--json").stdout)
    assert [(p["year"], p["month"], p["released"]) for p in listed] == [(2018, 7, "2017-11")]


PUBLISHED = Paper(
    key="kim2017interpretability",
    type="inproceedings",
    title="Interpretability Beyond Feature Attribution",
    authors=["Kim, Been"],
    year=2018,
    month=7,
    released="2017-11",
    venue="Proceedings of the 35th International Conference on Machine Learning",
    arxiv="1711.11279",
)
PREPRINT = Paper(
    key="hendrycks2016gaussian",
    type="misc",
    title="Gaussian Error Linear Units",
    authors=["Hendrycks, Dan"],
    year=2016,
    month=6,
    released="2016-06-27",
    venue="arXiv preprint",
    arxiv="1606.08415",
)


def test_exports_carry_an_earlier_release_and_skip_a_preprints_own_date() -> None:
    assert "  origdate = {2017-11},\n" in paper_to_bibtex(PUBLISHED)
    assert "origdate" not in paper_to_bibtex(PREPRINT)
    assert paper_to_csl(PUBLISHED)["original-date"] == {"date-parts": [[2017, 11]]}
    assert paper_to_csl(PUBLISHED)["issued"] == {"date-parts": [[2018, 7]]}
    assert "original-date" not in paper_to_csl(PREPRINT)
    same_year = PUBLISHED.model_copy(update={"year": 2017, "month": None})  # the month is the release's news
    assert "  origdate = {2017-11},\n" in paper_to_bibtex(same_year)


def test_biblatex_origdate_is_read_as_released() -> None:
    text = (
        "@inproceedings{kim2018, title={TCAV}, author={Kim, Been}, booktitle={ICML}, date={2018-07},"
        " origdate={2017-11}}\n"
        "@misc{odd, title={Odd}, year={2020}, origdate={Spring 2019}}\n"
    )
    (kim, odd), _ = parse_bibtex(text)
    assert kim.paper is not None and (kim.paper.year, kim.paper.month, kim.paper.released) == (2018, 7, "2017-11")
    assert odd.paper is not None and odd.paper.released is None
    assert odd.paper.extra["origdate"] == "Spring 2019"  # not a date: kept as it was written
    assert paper_to_bibtex(kim.paper).count("origdate = {2017-11}") == 1


def test_arxiv_fills_released_with_the_first_versions_date() -> None:
    feed = parse_feed(fixture_bytes("arxiv/2202.05262.atom").decode("utf-8"))
    paper = feed.papers["2202.05262"]
    assert (paper.year, paper.month, paper.released) == (2022, 2, "2022-02-10")


def test_a_journal_reference_naming_a_later_year_gives_the_year() -> None:
    text = fixture_bytes("arxiv/1710.08557.atom").decode("utf-8")
    text = text.replace("Journal of NeuroEngineering and Rehabilitation, 2017", "Proc. ICLR 2018, Vancouver")
    paper = parse_feed(text).papers["1710.08557"]
    assert (paper.year, paper.month, paper.released, paper.venue) == (
        2018,
        None,
        "2017-10-24",
        "Proc. ICLR 2018, Vancouver",
    )


def test_add_arxiv_records_the_release_and_check_is_clean(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    assert invoke("add", "--arxiv", "2209.10652").exit_code == 0
    (path,) = (empty_library / "papers").glob("*.toml")
    text = path.read_text(encoding="utf-8")
    assert 'year = 2022\nmonth = 9\nreleased = "2022-09-21"\n' in text
    assert invoke("check").exit_code == 0


@pytest.mark.latex
def test_biber_validates_origdate_and_bibtex_passes_it_by(tmp_path: Path) -> None:
    from litmap.formats.bibtex import papers_to_bibtex
    from test_latex import BIBLATEX, NATBIB, TOOLS, compile_draft

    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:  # CI installs TeX Live: there a missing tool is a failure, not a skip
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"TeX Live is incomplete: missing {missing}")
    citations = r"\cite{kim2017interpretability} \cite{hendrycks2016gaussian}"
    for engine, template in (("biber", BIBLATEX), ("bibtex", NATBIB)):
        folder = tmp_path / engine
        folder.mkdir()
        (folder / "refs.bib").write_text(papers_to_bibtex([PUBLISHED, PREPRINT]), encoding="utf-8")
        (folder / "draft.tex").write_text(template.replace("CITATIONS", citations), encoding="utf-8")
        compiled = compile_draft(folder, engine)
        assert compiled.warnings() == []
        if engine == "biber":
            checked = subprocess.run(
                ["biber", "--validate-datamodel", "draft"], cwd=folder, capture_output=True, text=True, check=True
            )
            assert "WARN" not in checked.stdout and "ERROR" not in checked.stdout, checked.stdout
            assert "\\field{origyear}{2017}" in compiled.bbl and "\\field{origmonth}{11}" in compiled.bbl
        else:
            assert "Warning--" not in compiled.blg, compiled.blg
