"""`litmap upgrade`: the published version of preprints, found against a local server replaying answers."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from litmap.models import Author, Paper
from litmap.services.upgrade import Candidate, score
from litmap.store import Library
from sources_support import (
    ARXIV_PATH,
    CROSSREF_PATH,
    DBLP_PATH,
    S2_PATH,
    combined_feed,
    fixture_bytes,
    point_sources_at,
)

VALERO = Paper(
    key="valerocuevas2017neuromechanical",
    type="misc",
    title="On Neuromechanical Approaches for the Study of Biological Grasp and Manipulation",
    authors=[Author(family="Valero-Cuevas", given="Francisco J"), Author(family="Santello", given="Marco")],
    year=2017,
    month=10,
    venue="arXiv preprint",
    arxiv="1710.08557",
    url="https://arxiv.org/abs/1710.08557",
    tags=["to-read"],
    note="My own remark.",
)
RESNET = Paper(
    key="he2015deep",
    type="misc",
    title="Deep Residual Learning for Image Recognition",
    authors=[
        Author(family=f, given=g)
        for g, f in (("Kaiming", "He"), ("Xiangyu", "Zhang"), ("Shaoqing", "Ren"), ("Jian", "Sun"))
    ],
    year=2015,
    month=12,
    arxiv="1512.03385",
    url="https://arxiv.org/abs/1512.03385",
)
ADAM = Paper(
    key="kingma2014adam",
    type="misc",
    title="Adam: A Method for Stochastic Optimization",
    authors=[Author(family="Kingma", given="Diederik P."), Author(family="Ba", given="Jimmy")],
    year=2014,
    month=12,
    venue="arXiv preprint",
    arxiv="1412.6980",
)
KAPLAN = Paper(
    key="kaplan2020scaling",
    type="misc",
    title="Scaling Laws for Neural Language Models",
    authors=[Author(family="Kaplan", given="Jared"), Author(family="McCandlish", given="Sam")],
    year=2020,
    month=1,
    venue="arXiv preprint",
    arxiv="2001.08361",
)
DEEP_LEARNING = Paper(
    key="lecun2015deep",
    type="article",
    title="Deep learning",
    authors=[
        Author(family="LeCun", given="Yann"),
        Author(family="Bengio", given="Yoshua"),
        Author(family="Hinton", given="Geoffrey"),
    ],
    year=2015,
    venue="Nature",
    volume="521",
    pages="436--444",
    doi="10.1038/nature14539",
)


def _json(name: str, status: int = 200) -> Response:
    return Response(fixture_bytes(name), status=status, content_type="application/json")


class Replay:
    """The four services on one local server; each answer chosen from the request, as the real ones do."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.crossref_search: dict[str, str] = {}
        self.dblp: dict[str, str] = {}
        self.s2: dict[str, tuple[str, int]] = {}
        self.arxiv_entries: list[str] = []
        self.slow: set[str] = set()
        server.expect_request(ARXIV_PATH).respond_with_handler(self.arxiv)
        server.expect_request(f"{CROSSREF_PATH}/works").respond_with_handler(self.crossref)
        server.expect_request(f"{CROSSREF_PATH}/works/10.1186/s12984-017-0305-3").respond_with_data(
            fixture_bytes("crossref/10.1186_s12984-017-0305-3.json"), content_type="application/json"
        )
        server.expect_request(DBLP_PATH).respond_with_handler(self.dblp_search)
        server.expect_request(re.compile(rf"^{S2_PATH}/paper/.+"), method="GET").respond_with_handler(self.s2_paper)

    def arxiv(self, request: Request) -> Response:
        body = combined_feed(*self.arxiv_entries) if self.arxiv_entries else fixture_bytes("arxiv/empty-result.atom")
        return Response(body, content_type="application/atom+xml; charset=utf-8")

    def crossref(self, request: Request) -> Response:
        title = request.args.get("query.bibliographic", "")
        return _json(self.crossref_search.get(title, "crossref/search-empty.json"))

    def dblp_search(self, request: Request) -> Response:
        query = request.args.get("q", "")
        if query in self.slow:
            time.sleep(1.5)
        return _json(self.dblp.get(query, "dblp/search-empty.json"))

    def s2_paper(self, request: Request) -> Response:
        name, status = self.s2.get(request.path.rsplit("/", 1)[-1], ("s2/not-found.json", 404))
        return _json(name, status)

    def requests(self) -> list[str]:
        return [req.full_path for req, _ in self.server.log]


@pytest.fixture
def replay(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Replay:
    point_sources_at(httpserver, monkeypatch)
    monkeypatch.setenv("LITMAP_HTTP_TIMEOUT", "0.5")
    return Replay(httpserver)


@pytest.fixture
def lib(empty_library: Path) -> Path:
    config = empty_library / "litmap.toml"
    config.write_text(config.read_text() + "retries = 0\n")  # under [sources]: a 429 fails at once
    return empty_library


def _add(root: Path, *papers: Paper) -> None:
    Library(root).save_papers(papers)


def _file(root: Path, key: str) -> str:
    return (root / "papers" / f"{key}.toml").read_text()


def test_published_via_the_doi_on_arxiv_then_applied(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, VALERO)
    replay.arxiv_entries = ["1710.08557.atom"]
    before = _file(lib, VALERO.key)
    dry = invoke("upgrade", VALERO.key, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    out = dry.stdout
    assert "published as Journal of NeuroEngineering and Rehabilitation (2017)" in out
    assert "arXiv lists its DOI 10.1186/s12984-017-0305-3" in out
    assert re.search(
        r"\n    venue +arXiv preprint -> Journal of NeuroEngineering and Rehabilitation   \[Crossref\]\n", out
    )
    assert "nothing written" in out
    assert _file(lib, VALERO.key) == before

    applied = invoke("upgrade", VALERO.key, "--yes")
    assert applied.exit_code == 0, applied.stderr
    paper = Library(lib).get(VALERO.key)
    assert (paper.type, paper.venue, paper.volume, paper.doi) == (
        "article",
        "Journal of NeuroEngineering and Rehabilitation",
        "14",
        "10.1186/s12984-017-0305-3",
    )
    assert paper.extra["number"] == "1"
    # what the user owns stays: the key, the arXiv id, tags, notes
    assert (paper.key, paper.arxiv, paper.tags, paper.note) == (VALERO.key, "1710.08557", ["to-read"], "My own remark.")
    assert invoke("check").exit_code == 0


def test_published_via_crossref_search_when_arxiv_knows_nothing(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, RESNET)
    replay.crossref_search[RESNET.title] = "crossref/search-resnet.json"
    result = invoke("upgrade", RESNET.key, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Crossref, Crossref search; score 1.00: title 100%, authors 4/4, year +1, venue: conference" in result.stdout
    paper = Library(lib).get(RESNET.key)
    assert (paper.type, paper.year, paper.doi, paper.pages) == (
        "inproceedings",
        2016,
        "10.1109/CVPR.2016.90",
        "770--778",
    )
    assert paper.venue == "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert paper.url == "https://doi.org/10.1109/CVPR.2016.90"  # the arXiv link gave way to the published one
    assert paper.arxiv == "1512.03385"
    assert paper.released == "2015-12"  # the preprint's date is kept as the first release
    assert invoke("check").exit_code == 0  # the year is the DOI's (CVPR.2016): nothing to flag


def test_a_recorded_first_release_is_kept_as_it_is(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, RESNET.model_copy(update={"released": "2015-12-10"}))  # as `add --arxiv` records it
    replay.crossref_search[RESNET.title] = "crossref/search-resnet.json"
    dry = invoke("upgrade", RESNET.key, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "    year       2015 -> 2016   [Crossref]\n" in dry.stdout and "released" not in dry.stdout
    assert invoke("upgrade", RESNET.key, "--yes").exit_code == 0
    paper = Library(lib).get(RESNET.key)
    assert (paper.year, paper.released) == (2016, "2015-12-10")


def test_published_via_dblp_when_arxiv_and_crossref_know_nothing(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, ADAM)
    replay.dblp[ADAM.title] = "dblp/search-adam.json"
    result = invoke("upgrade", ADAM.key, "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["chosen"]["source"] == "DBLP"
    assert finding["changes"]["venue"] == {"old": "arXiv preprint", "new": "ICLR (Poster)", "source": "DBLP"}
    assert finding["changes"]["year"]["new"] == 2015
    assert finding["rejected"] == []  # DBLP files ICLR 2015 under a CoRR key: the venue decides, not the key


def test_a_false_friend_with_the_same_title_is_rejected(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, RESNET)
    before = _file(lib, RESNET.key)
    replay.crossref_search[RESNET.title] = "crossref/search-false-friend.json"
    result = invoke("upgrade", RESNET.key, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "he2015deep: no published version found; 1 candidate(s) rejected" in result.stdout
    assert "Journal of Constructed Test Records" in result.stdout and "different authors (authors 0/2)" in result.stdout
    assert _file(lib, RESNET.key) == before


def test_a_published_paper_is_never_replaced_by_a_namesake(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, DEEP_LEARNING)
    before = _file(lib, DEEP_LEARNING.key)
    result = invoke("upgrade", "--all", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Published version found for 0 of 0 preprints." in result.stdout
    assert replay.requests() == []  # nothing was even asked about it
    assert _file(lib, DEEP_LEARNING.key) == before
    named = invoke("upgrade", DEEP_LEARNING.key)
    assert "Not preprints (already published or no arXiv id): lecun2015deep" in named.stdout


def test_the_deep_learning_title_alone_is_not_enough() -> None:
    preprint = DEEP_LEARNING.model_copy(update={"venue": None, "doi": None, "volume": None, "pages": None})
    book = Paper(
        key="x",
        type="book",
        title="Deep Learning",
        authors=[
            Author(family="Goodfellow", given="Ian"),
            Author(family="Bengio", given="Yoshua"),
            Author(family="Courville", given="Aaron"),
        ],
        year=2016,
        venue="MIT Press",
    )
    verdict = score(preprint, Candidate("DBLP", book, "DBLP search"))
    assert not verdict.accepted and verdict.rejection == "different authors (authors 1/3)"


def test_no_published_version_is_left_alone_and_failures_are_one_line(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, KAPLAN)
    before = _file(lib, KAPLAN.key)
    replay.dblp[KAPLAN.title] = "dblp/search-kaplan.json"
    replay.s2["arXiv:2001.08361"] = ("s2/rate-limited.json", 429)
    result = invoke("upgrade", KAPLAN.key, "--yes")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "kaplan2020scaling: no published version found; 1 candidate(s) rejected" in lines[0]
    assert any("rejected DBLP: 'Scaling Laws for Neural Language Models' (CoRR, 2020)" in line for line in lines)
    failed = [line for line in lines if line.strip().startswith("failed")]
    assert failed == [
        f"    failed Semantic Scholar: rate limited by {replay.server.host}:{replay.server.port} (HTTP 429)"
    ]
    assert _file(lib, KAPLAN.key) == before


def test_a_timeout_is_one_line_and_the_other_papers_go_on(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, KAPLAN, ADAM)
    replay.slow.add(KAPLAN.title)
    replay.dblp[ADAM.title] = "dblp/search-adam.json"
    result = invoke("upgrade", "--all", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "    failed DBLP: " in result.stdout and "did not answer within 0.5 s" in result.stdout
    assert "kingma2014adam: published as ICLR (Poster) (2015)" in result.stdout
    assert "Published version found for 1 of 2 preprints" in result.stdout


def test_a_second_dry_run_is_answered_from_the_cache(invoke, replay: Replay, lib: Path) -> None:  # type: ignore[no-untyped-def]
    _add(lib, ADAM, RESNET)
    replay.dblp[ADAM.title] = "dblp/search-adam.json"
    replay.crossref_search[RESNET.title] = "crossref/search-resnet.json"
    first = invoke("upgrade", "--all", "--dry-run")
    asked = len(replay.requests())
    assert asked > 0
    second = invoke("upgrade", "--all", "--dry-run")
    assert second.stdout == first.stdout
    assert len(replay.requests()) == asked  # offline: nothing new was asked
    assert (lib / ".litmap" / "cache" / "http").is_dir()


def test_upgrade_needs_papers_to_work_on(invoke, lib: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("upgrade")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: name the papers to upgrade: KEY..., --all or --category ID"


def _findings(stdout: str) -> list[dict[str, Any]]:
    return list(json.loads(stdout)["findings"])


@pytest.mark.parametrize(
    ("journal_ref", "year"),
    [
        ("ICML 2018, PMLR 80:2668-2677", 2018),
        ("Phys. Rev. D 98, 030001 (2018)", 2018),
        ("Published in TACL vol. 6 (2018)", 2018),
        ("ICML 2016, PMLR 48:2014-2023", 2016),  # a page range is not a year
        ("Journal of Machine Learning Research 15(56):1929-1958, 2014", 2014),
        ("Accepted at NeurIPS 2022; extended version in TMLR 2023", 2022),  # the earliest, not the last
    ],
)
def test_the_year_of_a_journal_reference_on_arxiv(journal_ref: str, year: int) -> None:
    from litmap.services.upgrade import journal_ref_candidate

    preprint = ADAM.model_copy(update={"year": 2013})
    record = ADAM.model_copy(update={"venue": journal_ref, "type": "article"})
    candidate = journal_ref_candidate(preprint, record)
    assert candidate is not None and candidate.paper.year == year
