"""`litmap upgrade` on a copy of the bundled library, against a local server replaying each service's answers.

None of the bundled library's eleven preprints has a published (archival) version: the answers recorded
for them (tests/fixtures/README.md says how each was pinned down) are DBLP's CoRR records, Semantic
Scholar's arXiv.org records and, for two of them, a Crossref work by the same authors with another
title. Upgrade must propose nothing for them and write nothing. One bundled paper that *is* published
(ROME, NeurIPS 2022) is turned back into its arXiv preprint on the copy, as `add --arxiv` would have
recorded it, so the same run also shows a real upgrade applied.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from litmap.services.versions import as_preprint
from litmap.store import Library
from sources_support import (
    ARXIV_PATH,
    CROSSREF_PATH,
    DBLP_PATH,
    FIXTURES,
    S2_PATH,
    combined_feed,
    fixture_bytes,
    point_sources_at,
)

PREPRINTS = {  # the bundled preprints -> their arXiv ids
    "belrose2023eliciting": "2303.08112",
    "hendrycks2016gaussian": "1606.08415",
    "hod2021quantifying": "2110.08058",
    "kaplan2020scaling": "2001.08361",
    "karpathy2015visualizing": "1506.02078",
    "lieberum2023circuit": "2307.09458",
    "nguyen2016multifaceted": "1602.03616",
    "power2022grokking": "2201.02177",
    "vashishth2019attention": "1909.11218",
    "zhou2018revisiting": "1806.02891",
    "zou2023representation": "2310.01405",
}
PUBLISHED = "meng2022locating"  # published at NeurIPS 2022; the test makes the copy hold its preprint


class BundledReplay:
    """arXiv, Crossref, DBLP and Semantic Scholar, each answer chosen from the request as the services do."""

    def __init__(self, server: HTTPServer, library: Library) -> None:
        self.server = server
        titles = {p.key: p.title for p in library.papers()}
        self.dblp = {
            titles[k]: f"dblp/search-{k}.json" for k in [*PREPRINTS, PUBLISHED] if _has(f"dblp/search-{k}.json")
        }
        self.dblp[titles["kaplan2020scaling"]] = "dblp/search-kaplan.json"
        self.crossref = {titles[k]: f"crossref/search-{k}.json" for k in PREPRINTS if _has(f"crossref/search-{k}.json")}
        server.expect_request(ARXIV_PATH).respond_with_handler(self.arxiv)
        server.expect_request(f"{CROSSREF_PATH}/works").respond_with_handler(self.crossref_search)
        server.expect_request(DBLP_PATH).respond_with_handler(self.dblp_search)
        server.expect_request(re.compile(rf"^{S2_PATH}/paper/.+")).respond_with_handler(self.s2_paper)

    def arxiv(self, request: Request) -> Response:
        ids = request.args.get("id_list", "").split(",")
        found = [f"{i}.atom" for i in reversed(ids) if _has(f"arxiv/{i}.atom")]  # not in the order asked
        body = combined_feed(*found) if found else fixture_bytes("arxiv/empty-result.atom")
        return Response(body, content_type="application/atom+xml; charset=utf-8")

    def crossref_search(self, request: Request) -> Response:
        name = self.crossref.get(request.args.get("query.bibliographic", ""), "crossref/search-empty.json")
        return Response(fixture_bytes(name), content_type="application/json")

    def dblp_search(self, request: Request) -> Response:
        name = self.dblp.get(request.args.get("q", ""), "dblp/search-empty.json")
        return Response(fixture_bytes(name), content_type="application/json")

    def s2_paper(self, request: Request) -> Response:
        name = f"s2/{request.path.rsplit('/', 1)[-1].replace(':', '_')}.json"
        if _has(name):
            return Response(fixture_bytes(name), content_type="application/json")
        return Response(fixture_bytes("s2/not-found.json"), status=404, content_type="application/json")

    def asked(self, path: str) -> int:
        return sum(1 for request, _ in self.server.log if request.path.startswith(path))


def _has(name: str) -> bool:
    return (FIXTURES / name).is_file()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".litmap" not in p.relative_to(root).parts
    }


@pytest.fixture
def replay(bundled_copy: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> BundledReplay:
    point_sources_at(httpserver, monkeypatch)
    config = bundled_copy / "litmap.toml"
    config.write_text(config.read_text().replace("[sources]\n", "[sources]\ncrossref_delay = 0\n", 1))
    return BundledReplay(httpserver, Library(bundled_copy))


def test_no_bundled_preprint_is_given_a_false_published_version(
    invoke, replay: BundledReplay, bundled_copy: Path
) -> None:  # type: ignore[no-untyped-def]
    before = _snapshot(bundled_copy)
    dry = invoke("upgrade", "--all", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    out = dry.stdout
    assert "published as" not in out and "failed" not in out
    for key in PREPRINTS:
        assert re.search(rf"^{key}: no published version found", out, re.M), key
    assert out.rstrip().endswith("Published version found for 0 of 11 preprints.")
    # the evidence: DBLP's CoRR records are not publications, and works by the same authors are not namesakes
    assert (
        "    rejected DBLP: 'Visualizing and Understanding Recurrent Networks' (CoRR, 2015): "
        "it is a preprint record itself, not a published version\n" in out
    )
    assert re.search(
        r"^    rejected Crossref: 'Deep visual-semantic alignments for generating image descriptions' "
        r"\(2015 IEEE Conference on Computer Vision and Pattern Recognition \(CVPR\), 2015\): the title differs ",
        out,
        re.M,
    )
    assert re.search(
        r"^    rejected Crossref: 'Explaining neural scaling laws' \(Proceedings of the National Academy of "
        r"Sciences, 2024\): the title differs ",
        out,
        re.M,
    )
    assert (
        "rejected DBLP: 'Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets' (CoRR, 2022)" in out
    )
    # every source was asked about every preprint (arXiv once for all of them), and nothing was written
    assert replay.asked(ARXIV_PATH) == 1
    assert replay.asked(f"{CROSSREF_PATH}/works") == replay.asked(DBLP_PATH) == replay.asked(S2_PATH) == 11
    assert _snapshot(bundled_copy) == before

    applied = invoke("upgrade", "--all", "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert applied.stdout.rstrip().endswith("Published version found for 0 of 11 preprints.")
    assert _snapshot(bundled_copy) == before
    assert invoke("check").exit_code == 0


def test_a_bundled_paper_held_as_its_preprint_is_upgraded_and_keeps_what_is_the_users(  # type: ignore[no-untyped-def]
    invoke, replay: BundledReplay, bundled_copy: Path
) -> None:
    library = Library(bundled_copy)
    published = library.get(PUBLISHED)
    preprint = as_preprint(published).model_copy(update={"tags": ["to-read"]})
    library.save_papers([preprint])
    replay.dblp[published.title] = f"dblp/search-{PUBLISHED}.json"
    before = _snapshot(bundled_copy)

    dry = invoke("upgrade", "--all", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    findings = {f["key"]: f for f in json.loads(dry.stdout)["findings"]}
    assert sorted(findings) == sorted([*PREPRINTS, PUBLISHED])
    assert [k for k, f in findings.items() if f["found"]] == [PUBLISHED]  # exactly the one with a published version
    chosen = findings[PUBLISHED]["chosen"]
    assert (chosen["source"], chosen["venue"], chosen["year"]) == ("DBLP", "NeurIPS", 2022)
    assert chosen["reasons"][:2] == ["title 100%", "authors 4/4"]
    assert findings[PUBLISHED]["changes"]["type"] == {"old": "misc", "new": "inproceedings", "source": "DBLP"}
    assert [r["venue"] for r in findings[PUBLISHED]["rejected"]] == ["CoRR"]
    assert _snapshot(bundled_copy) == before

    applied = invoke("upgrade", "--all", "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert "Published version found for 1 of 12 preprints; updated meng2022locating." in applied.stdout
    paper = Library(bundled_copy).get(PUBLISHED)
    assert (paper.type, paper.venue, paper.year) == ("inproceedings", "NeurIPS", 2022)
    assert (
        paper.url
        == "http://papers.nips.cc/paper_files/paper/2022/hash/6f1d43d5a82a37e89b0665b33bf3a182-Abstract-Conference.html"
    )
    kept = ("key", "arxiv", "released", "categories", "note", "title", "authors", "abstract")
    assert {name: getattr(paper, name) for name in kept} == {name: getattr(published, name) for name in kept}
    assert paper.tags == ["to-read"]
    changed = {name for name, data in _snapshot(bundled_copy).items() if before[name] != data}
    assert changed == {f"papers/{PUBLISHED}.toml"}
    assert invoke("check").exit_code == 0
