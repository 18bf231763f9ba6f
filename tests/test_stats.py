"""`litmap stats`: the real distribution of a library, checked against its files."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

from conftest import BUNDLED
from litmap.models import Author, Category, Paper
from litmap.services.stats import Facts, category_counts, library_stats, tag_counts
from litmap.taxonomy import Taxonomy


def bundled_records() -> list[dict[str, object]]:
    """The bundled library's paper files, read with tomllib (independently of litmap)."""
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted((BUNDLED / "papers").glob("*.toml"))]


def bundled_tables() -> list[dict[str, str]]:
    return tomllib.loads((BUNDLED / "taxonomy.toml").read_text(encoding="utf-8"))["category"]


def test_library_stats_counts_each_dimension() -> None:
    taxonomy = Taxonomy([Category(id="top", title="Top"), Category(id="leaf", title="Leaf", parent="top")])
    papers = [
        Paper(key="a", title="A", authors=[Author(family="X")], year=2020, venue="Distill", arxiv="2001.00001",
              abstract="Text.", categories=["leaf"], tags=["t1", "t2"]),
        Paper(key="b", title="B", year=2020, venue="Distill", doi="10.1234/x", categories=["top", "leaf"], tags=["t1"]),
        Paper(key="c", title="C", year=2023),
        Paper(key="d", title="D", authors=[Author(family="Y")]),
    ]  # fmt: skip
    stats = library_stats([Facts.of_paper(p) for p in papers], taxonomy.tree_rows())
    assert stats.papers == 4
    assert [(r.id, r.depth, r.direct, r.subtree) for r in stats.categories] == [("top", 0, 1, 2), ("leaf", 1, 2, 2)]
    assert stats.uncategorised == ["c", "d"]
    assert stats.years == {2020: 2, 2023: 1}
    assert stats.no_year == 1
    assert stats.tags == [("t1", 2), ("t2", 1)]
    assert stats.venues == [("Distill", 2)]
    assert stats.no_venue == 2
    assert stats.missing == {
        "authors": ["b", "c"],
        "year": ["d"],
        "doi_or_arxiv": ["c", "d"],
        "abstract": ["b", "c", "d"],
    }
    assert tag_counts(papers) == stats.tags


def test_category_counts_still_serve_the_tree() -> None:
    taxonomy = Taxonomy([Category(id="top", title="Top"), Category(id="leaf", title="Leaf", parent="top")])
    counts = category_counts([Paper(key="a", title="A", categories=["top", "leaf"])], taxonomy)
    assert (counts["top"].direct, counts["top"].subtree, counts["leaf"].subtree) == (1, 1, 1)


def test_stats_json_is_the_bundled_librarys_real_distribution(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("stats", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    records = bundled_records()
    assert data["papers"] == len(records)

    direct = Counter(c for r in records for c in r.get("categories", []))  # type: ignore[attr-defined]
    tables = bundled_tables()
    assert [c["id"] for c in data["categories"]] == [t["id"] for t in tables]  # the file is in tree order
    for row in data["categories"]:
        assert row["papers"] == direct[row["id"]], row["id"]
        below = {row["id"]}
        for table in tables:
            if table.get("parent") in below:
                below.add(table["id"])
        expected = sum(1 for r in records if below & set(r.get("categories", [])))  # type: ignore[arg-type]
        assert row["papers_in_subtree"] == expected, row["id"]
    roots = {t["id"] for t in tables if "parent" not in t}
    sections = {t["id"] for t in tables if t.get("parent") in roots}
    assert {c["id"] for c in data["categories"] if c["depth"] == 1} == sections

    years = Counter(r["year"] for r in records if "year" in r)
    assert data["years"] == [{"year": y, "papers": n} for y, n in sorted(years.items())]
    assert data["no_year"] == sum(1 for r in records if "year" not in r)
    venues = Counter(r["venue"] for r in records if "venue" in r)
    assert {v["venue"]: v["papers"] for v in data["venues"]} == venues
    assert [v["papers"] for v in data["venues"]] == sorted(venues.values(), reverse=True)
    tags = Counter(t for r in records for t in r.get("tags", []))  # type: ignore[attr-defined]
    assert {t["tag"]: t["papers"] for t in data["tags"]} == tags

    def lacking(*fields: str) -> list[str]:
        return sorted(str(r["key"]) for r in records if not any(r.get(f) for f in fields))

    assert data["missing"]["authors"]["keys"] == lacking("authors")
    assert data["missing"]["year"]["keys"] == lacking("year")
    assert data["missing"]["doi_or_arxiv"]["keys"] == lacking("doi", "arxiv")
    assert data["missing"]["abstract"]["keys"] == lacking("abstract")
    assert data["missing"]["abstract"]["papers"] == len(lacking("abstract"))


def test_stats_text_shows_sections_and_a_year_bar_chart(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("stats")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for table in bundled_tables():
        assert table["title"] in out
    years = Counter(int(r["year"]) for r in bundled_records() if "year" in r)  # type: ignore[call-overload]
    chart = out.split("Papers per year", 1)[1].split("\n\n", 1)[0]
    rows = {line.split()[0]: line for line in chart.splitlines() if line.strip()[:4].isdigit()}
    last = max(years)
    singles = {str(y) for y in range(max(min(years), last - 19), last + 1)}
    assert singles <= set(rows) and len(rows) - len(singles) <= 4  # older years by decade
    assert sum(int(line.split()[-1]) for line in rows.values()) == sum(years.values())
    busiest = max(years, key=lambda y: years[y])
    assert rows[str(busiest)].count("█") == 40
    assert rows[str(busiest)].split()[-1] == str(years[busiest])
    for year in singles:
        assert (rows[year].count("█") > 0) == (int(year) in years)
    for heading in ("Papers per section", "Papers per year", "Papers per venue", "Missing metadata"):
        assert heading in out


def test_stats_follow_curation(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("tag", "elhage2022toy", "olah2020zoom", "+to-read")
    data = json.loads(invoke("stats", "--json").stdout)
    assert data["tags"] == [{"tag": "to-read", "papers": 2}]
    text = invoke("stats").stdout
    assert "to-read" in text


def test_stats_on_an_empty_library(invoke, empty_library: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("stats")
    assert result.exit_code == 0, result.stderr
    data = json.loads(invoke("stats", "--json").stdout)
    assert data["papers"] == 0
    assert data["years"] == []
    assert all(m["papers"] == 0 for m in data["missing"].values())


def test_one_old_paper_does_not_make_the_year_chart_long(invoke, empty_library: Path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    for key, year in (("turing1950computing", 1950), ("hubel1962receptive", 1962), ("a2020", 2020), ("b2023", 2023)):
        make_paper_file(empty_library, key, year=year)
    out = invoke("stats").stdout
    chart = [line.split() for line in out.split("Papers per year", 1)[1].splitlines() if line.strip()[:4].isdigit()]
    assert [row[0] for row in chart][:2] == ["1950s", "1960s"]
    assert [row[-1] for row in chart][:2] == ["1", "1"]
    assert [row[0] for row in chart][2:] == [str(y) for y in range(2004, 2024)]
