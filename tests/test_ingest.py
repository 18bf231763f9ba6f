"""`litmap add`: by arXiv id (every pasted form), DOI, BibTeX and by hand, against a local server."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from litmap.models import Author, Paper
from litmap.services.ingest import IngestOptions, add_identifiers
from litmap.sources import PLACEHOLDER_KEY, Lookup
from litmap.store import Library
from sources_support import (
    ARXIV_PATH,
    arxiv_requests,
    combined_feed,
    fixture_bytes,
    serve_arxiv,
    serve_crossref,
)

TODAY = dt.date.today()


def papers(root: Path) -> dict[str, Paper]:
    return {p.key: p for p in Library(root).papers()}


# -- arXiv -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "asked", "fixture", "key", "title"),
    [
        ("2209.10652", "2209.10652", "2209.10652.atom", "elhage2022toy", "Toy Models of Superposition"),
        ("arXiv:2209.10652", "2209.10652", "2209.10652.atom", "elhage2022toy", "Toy Models of Superposition"),
        (
            "https://arxiv.org/abs/2209.10652v1",
            "2209.10652v1",
            "2209.10652.atom",
            "elhage2022toy",
            "Toy Models of Superposition",
        ),
        (
            "https://arxiv.org/pdf/2209.10652.pdf",
            "2209.10652",
            "2209.10652.atom",
            "elhage2022toy",
            "Toy Models of Superposition",
        ),
        (
            "2202.05262v5",
            "2202.05262v5",
            "2202.05262.atom",
            "meng2022locating",
            "Locating and Editing Factual Associations in GPT",
        ),
        (
            "hep-th/9901001",
            "hep-th/9901001",
            "old-style-synthetic.atom",
            "vanderprobe1999synthetic",
            "Synthetic Record for an Old-Style Identifier",
        ),
        (
            "math.GT/0309136",
            "math/0309136",
            "old-style-synthetic.atom",
            "testa2003synthetic",
            "Synthetic Record for an Old-Style Identifier with a Subject Class",
        ),
    ],
)
def test_each_pasted_arxiv_form_adds_the_right_paper(
    net: HTTPServer, empty_library: Path, invoke: Any, pasted: str, asked: str, fixture: str, key: str, title: str
) -> None:
    serve_arxiv(net, asked, fixture_bytes(f"arxiv/{fixture}"))
    result = invoke("add", "--arxiv", pasted)
    assert result.exit_code == 0, result.stderr
    assert arxiv_requests(net) == [asked]
    assert f"Added {key}: {title}" in result.stdout
    (paper,) = papers(empty_library).values()
    assert (paper.key, paper.title) == (key, title)
    assert paper.arxiv == asked.split("v")[0] if "/" not in asked else asked
    assert paper.url == f"https://arxiv.org/abs/{paper.arxiv}"
    assert paper.added == TODAY


def test_arxiv_record_keeps_all_it_says(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_arxiv(net, "1710.08557", fixture_bytes("arxiv/1710.08557.atom"))
    assert invoke("add", "1710.08557").exit_code == 0  # recognised as an arXiv id without --arxiv
    paper = papers(empty_library)["valerocuevas2017neuromechanical"]
    assert paper.title == "On Neuromechanical Approaches for the Study of Biological Grasp and Manipulation"
    assert paper.authors == [
        Author(family="Valero-Cuevas", given="Francisco J"),
        Author(family="Santello", given="Marco"),
    ]
    assert (paper.year, paper.month) == (2017, 10)
    assert paper.doi == "10.1186/s12984-017-0305-3"
    assert paper.venue == "Journal of NeuroEngineering and Rehabilitation, 2017"
    assert paper.extra == {"primaryclass": "cs.RO"}
    assert paper.abstract is not None and paper.abstract.endswith("in these important areas.")


def test_several_ids_one_request_and_a_summary(
    net: HTTPServer, empty_library: Path, invoke: Any, make_paper_file: Any
) -> None:
    make_paper_file(
        empty_library, "meng2022rome", title="Locating and Editing Factual Associations in GPT", arxiv="2202.05262"
    )
    serve_arxiv(net, "2209.10652,1710.08557,2209.99999", combined_feed("1710.08557.atom", "2209.10652.atom"))
    result = invoke("add", "--arxiv", "2209.10652", "2202.05262v2", "1710.08557", "2209.99999", "2209-10652")
    assert result.exit_code == 1
    assert arxiv_requests(net) == ["2209.10652,1710.08557,2209.99999"]  # the known and the malformed are not asked
    assert "Added elhage2022toy: Toy Models of Superposition" in result.stdout
    assert "Added valerocuevas2017neuromechanical" in result.stdout
    assert "Already in the library: meng2022rome" in result.stdout
    assert "Error: arXiv 2209.99999: arXiv has no paper with this id" in result.stderr
    assert "Error: arXiv 2209-10652: not a valid arXiv id" in result.stderr
    assert "2 added, 1 already present, 2 failed." in result.stdout
    assert sorted(papers(empty_library)) == ["elhage2022toy", "meng2022rome", "valerocuevas2017neuromechanical"]


def test_json_outcome(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    report = json.loads(invoke("add", "2209.10652", "--json").stdout)
    assert report["added"] == [
        {"source": "arXiv 2209.10652", "key": "elhage2022toy", "title": "Toy Models of Superposition"}
    ]
    assert report["present"] == [] and report["failed"] == [] and report["written"] is True
    again = json.loads(invoke("add", "2209.10652", "--json").stdout)
    assert again["present"][0]["key"] == "elhage2022toy"
    assert "arXiv id" in again["present"][0]["reason"]
    assert len(net.log) == 1  # the second run answered from the library, without a request


# -- Crossref ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given", ["--doi=10.1038/nature03687", "https://doi.org/10.1038/nature03687", "doi:10.1038/NATURE03687"]
)
def test_a_doi_adds_its_paper(net: HTTPServer, empty_library: Path, invoke: Any, given: str) -> None:
    serve_crossref(net, "10.1038/nature03687", fixture_bytes("crossref/10.1038_nature03687.json"))
    serve_crossref(net, "10.1038/NATURE03687", fixture_bytes("crossref/10.1038_nature03687.json"))
    result = invoke("add", given)
    assert result.exit_code == 0, result.stderr
    paper = papers(empty_library)["quiroga2005invariant"]
    assert paper.title == "Invariant visual representation by single neurons in the human brain"
    assert (paper.venue, paper.volume, paper.pages, paper.year) == ("Nature", "435", "1102--1107", 2005)
    assert paper.doi == "10.1038/nature03687"
    assert paper.added == TODAY


def test_arxivs_own_doi_is_fetched_from_arxiv(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    assert invoke("add", "--doi", "10.48550/arXiv.2209.10652").exit_code == 0
    assert list(papers(empty_library)) == ["elhage2022toy"]


def test_contact_address_from_settings_reaches_crossref(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    config = empty_library / "litmap.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            '# contact_email = "you@example.org"', 'contact_email = "ana@uni.example"'
        ),
        encoding="utf-8",
    )
    serve_crossref(net, "10.1038/nature03687", fixture_bytes("crossref/10.1038_nature03687.json"))
    assert invoke("add", "--doi", "10.1038/nature03687").exit_code == 0
    request = net.log[0][0]
    assert "mailto:ana@uni.example" in request.headers["User-Agent"]
    assert request.args["mailto"] == "ana@uni.example"


def test_contact_address_from_litmap_config_reaches_crossref_unless_the_env_var_is_set(
    net: HTTPServer, empty_library: Path, invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("config", "contact_email", "rae@uni.example").exit_code == 0
    serve_crossref(net, "10.1038/nature03687", fixture_bytes("crossref/10.1038_nature03687.json"))
    assert invoke("add", "--doi", "10.1038/nature03687").exit_code == 0
    request = net.log[-1][0]
    assert "mailto:rae@uni.example" in request.headers["User-Agent"]
    assert request.args["mailto"] == "rae@uni.example"
    assert invoke("rm", "quiroga2005invariant", "--yes").exit_code == 0
    monkeypatch.setenv("LITMAP_CONTACT_EMAIL", "env@uni.example")
    assert invoke("add", "--doi", "10.1038/nature03687").exit_code == 0
    assert net.log[-1][0].args["mailto"] == "env@uni.example"


# -- BibTeX and by hand ---------------------------------------------------------------------------


def test_bibtex_from_stdin_with_a_chosen_key(empty_library: Path, invoke: Any) -> None:
    entry = '@article{x, title={{\\"U}ber Circuits}, author={M{\\"u}ller, J{\\"o}rg}, year=2021, journal={Distill}}'
    result = invoke("add", "--bibtex", "-", "--key", "muller-circuits", input=entry)
    assert result.exit_code == 0, result.stderr
    paper = papers(empty_library)["muller-circuits"]
    assert (paper.title, paper.venue, paper.aliases) == ("Über Circuits", "Distill", ["x"])
    taken = invoke("add", "--bibtex", "-", "--key", "muller-circuits", "--force", input=entry)
    assert taken.exit_code == 1
    assert "--key 'muller-circuits': that key is already used" in taken.stderr


def test_by_hand_with_every_field(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    result = invoke(
        "add", "--title", "Zoom In: An Introduction to Circuits",
        "--author", "Olah, Chris", "--author", "Cammarata, Nick",
        "--year", "2020", "--venue", "Distill", "--url", "https://distill.pub/2020/circuits/zoom-in",
        "--doi", "10.23915/distill.00024.001", "--abstract", "By studying the connections between neurons...",
        "--tag", "to-read",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    paper = papers(empty_library)["olah2020zoom"]
    assert paper.authors == [Author(family="Olah", given="Chris"), Author(family="Cammarata", given="Nick")]
    assert (paper.year, paper.venue, paper.type, paper.doi) == (
        2020,
        "Distill",
        "article",
        "10.23915/distill.00024.001",
    )
    assert paper.tags == ["to-read"] and paper.added == TODAY
    assert net.log == []  # by hand: nothing fetched


def test_by_hand_mistakes_name_the_option(empty_library: Path, invoke: Any) -> None:
    result = invoke("add", "--title", "T", "--year", "soon")
    assert result.exit_code == 1
    assert result.stderr == "Error: --year: not a year: 'soon'\n"
    assert invoke("add", "--author", "Olah, Chris").exit_code == 2  # --author without --title is a usage error
    assert invoke("add").exit_code == 2
    assert papers(empty_library) == {}


# -- options and the library ---------------------------------------------------------------------


def test_category_is_checked_with_did_you_mean(net: HTTPServer, bundled_copy: Path, invoke: Any) -> None:
    result = invoke("add", "--arxiv", "1710.08557", "--category", "superpositon")
    assert result.exit_code == 1
    assert "no category 'superpositon'; did you mean 'superposition'" in result.stderr
    assert net.log == []  # checked before any request


def test_category_and_tags_go_on_the_new_paper(net: HTTPServer, bundled_copy: Path, invoke: Any) -> None:
    serve_arxiv(net, "1710.08557", fixture_bytes("arxiv/1710.08557.atom"))
    result = invoke("add", "1710.08557", "-c", "superposition", "-t", "to-read", "-t", "grasp")
    assert result.exit_code == 0, result.stderr
    paper = Library(bundled_copy).get("valerocuevas2017neuromechanical")
    assert (paper.categories, paper.tags) == (["superposition"], ["to-read", "grasp"])


def test_a_paper_already_there_is_named_and_force_adds_it_anyway(
    net: HTTPServer, bundled_copy: Path, invoke: Any
) -> None:
    before = sorted(p.name for p in (bundled_copy / "papers").iterdir())
    result = invoke("add", "--arxiv", "https://arxiv.org/abs/2209.10652v1")
    assert result.exit_code == 0
    assert "Already in the library: elhage2022toy: Toy Models of Superposition" in result.stdout
    assert "Nothing written; use --force" in result.stdout
    assert sorted(p.name for p in (bundled_copy / "papers").iterdir()) == before
    serve_arxiv(net, "2209.10652v1", fixture_bytes("arxiv/2209.10652.atom"))
    forced = invoke("add", "--arxiv", "2209.10652v1", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "Added elhage2022toyb: Toy Models of Superposition" in forced.stdout


def test_duplicate_by_title_is_found_after_fetching(
    net: HTTPServer, empty_library: Path, invoke: Any, make_paper_file: Any
) -> None:
    make_paper_file(empty_library, "toy", title="Toy models of superposition", authors=["Elhage, Nelson"], year=2022)
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    result = invoke("add", "2209.10652")
    assert result.exit_code == 0
    assert "Already in the library: toy" in result.stdout
    assert sorted(papers(empty_library)) == ["toy"]


def test_bundled_library_answers_with_the_key_it_holds(invoke: Any, httpserver: HTTPServer) -> None:
    result = invoke("add", "--arxiv", "2209.10652")
    assert result.exit_code == 0
    assert "Already in the library: elhage2022toy: Toy Models of Superposition" in result.stdout
    assert httpserver.log == []


def test_bundled_library_refuses_a_new_paper_before_fetching(net: HTTPServer, invoke: Any) -> None:
    result = invoke("add", "--arxiv", "1710.08557")
    assert result.exit_code == 1
    assert "read-only" in result.stderr and result.stderr.count("\n") == 1
    assert net.log == []


def test_installed_entry_point_adds_from_the_local_server(net: HTTPServer, tmp_path: Path) -> None:
    from litmap.services.admin import init_library

    init_library(tmp_path / "lib")
    serve_arxiv(net, "2209.10652", fixture_bytes("arxiv/2209.10652.atom"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMAP_")}
    env |= {
        "LITMAP_LIBRARY": str(tmp_path / "lib"),
        "LITMAP_ARXIV_API": net.url_for(ARXIV_PATH),
        "LITMAP_ARXIV_DELAY": "0",
    }
    litmap = Path(sys.executable).parent / "litmap"
    run = subprocess.run([str(litmap), "add", "--arxiv", "arXiv:2209.10652"], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "Added elhage2022toy: Toy Models of Superposition" in run.stdout
    bundled = subprocess.run(
        [str(litmap), "add", "--arxiv", "2209.10652"],
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if k != "LITMAP_LIBRARY"},
        cwd=tmp_path,
    )
    assert bundled.returncode == 0, bundled.stderr
    assert "Already in the library: elhage2022toy" in bundled.stdout


# -- the service, with a stand-in source ----------------------------------------------------------


class StubSource:
    """A source answering from a dict, recording what it was asked."""

    label = "arXiv"

    def __init__(self, papers: dict[str, Paper]) -> None:
        self.papers = papers
        self.asked: list[list[str]] = []

    def normalize(self, text: str) -> str:
        return text

    def fetch(self, ids: Sequence[str]) -> Iterator[Lookup]:
        self.asked.append(list(ids))
        for query in ids:
            paper = self.papers.get(query)
            yield Lookup(query, paper=paper, error=None if paper else "arXiv has no paper with this id")


def test_service_reports_progress_and_dates_new_papers(empty_library: Path) -> None:
    stub = StubSource(
        {
            f"2101.0000{i}": Paper(
                key=PLACEHOLDER_KEY, title=f"Paper number {i}", authors=["Doe, Jane"], year=2021, arxiv=f"2101.0000{i}"
            )
            for i in range(1, 4)
        }
    )
    ticks: list[tuple[str, int, int | None, str]] = []
    result = add_identifiers(
        Library(empty_library),
        [("arxiv", "2101.00001"), ("arxiv", "2101.00002"), ("auto", "2101.00003"), ("arxiv", "2101.00009")],
        IngestOptions(tags=("batch",), today=dt.date(2030, 1, 2)),
        sources={"arxiv": stub},
        progress=lambda step: ticks.append((step.phase, step.done, step.total, step.about)),
    )
    assert stub.asked == [["2101.00001", "2101.00002", "2101.00003", "2101.00009"]]
    assert ticks == [
        ("fetching", 0, 4, "2101.00001, 2101.00002 and 2 more"),
        ("fetching", 1, 4, "2101.00002, 2101.00003 and 1 more"),
        ("fetching", 2, 4, "2101.00003 and 2101.00009"),
        ("fetching", 3, 4, "2101.00009"),
        ("fetching", 4, 4, ""),
        ("writing", 3, 3, ""),
    ]
    assert [o.status for o in result.outcomes] == ["added", "added", "added", "failed"]
    assert {p.added for p in papers(empty_library).values()} == {dt.date(2030, 1, 2)}
    assert sorted(papers(empty_library)) == ["doe2021paper", "doe2021paperb", "doe2021paperc"]


def test_service_dry_run_writes_nothing(empty_library: Path) -> None:
    stub = StubSource({"2101.00001": Paper(key=PLACEHOLDER_KEY, title="P", arxiv="2101.00001")})
    result = add_identifiers(
        Library(empty_library), [("arxiv", "2101.00001")], IngestOptions(dry_run=True), sources={"arxiv": stub}
    )
    assert [o.status for o in result.added] == ["added"] and not result.written
    assert papers(empty_library) == {}


def test_service_does_not_import_the_cli() -> None:
    code = (
        "import sys, litmap.services.ingest, litmap.sources.arxiv, litmap.sources.crossref, "
        "litmap.formats.bibtex_read; "
        "print(sorted(m for m in ('typer', 'rich', 'click', 'httpx', 'bibtexparser') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_options_are_checked_before_anything_is_fetched(net: HTTPServer, empty_library: Path, invoke: Any) -> None:
    bad_key = invoke("add", "2209.10652", "--key", "../escape")
    assert bad_key.exit_code == 1 and bad_key.stderr.startswith("Error: --key: invalid citekey")
    empty_tag = invoke("add", "2209.10652", "--tag", " ")
    assert empty_tag.exit_code == 1 and empty_tag.stderr == "Error: --tag: a tag cannot be empty\n"
    two_keys = invoke("add", "2209.10652", "1710.08557", "--key", "k")
    assert two_keys.exit_code == 1 and "--key names one paper" in two_keys.stderr
    assert net.log == []
    assert papers(empty_library) == {}
