"""`litmap export hayagriva`: Typst's bibliography format, entry by entry."""

from __future__ import annotations

from pathlib import Path

from conftest import BUNDLED
from litmap.formats.hayagriva import paper_to_hayagriva, papers_to_hayagriva
from litmap.formats.protect import ProtectedTerms
from litmap.models import Paper


def test_a_journal_article_has_its_venue_volume_and_issue_in_the_parent() -> None:
    paper = Paper(
        key="arora2018linear",
        type="article",
        title="Linear Algebraic Structure of Word Senses, with Applications to Polysemy",
        authors=["Arora, Sanjeev", "Li, Yuanzhi"],
        year=2018,
        month=7,
        venue="Transactions of the Association for Computational Linguistics",
        volume="6",
        pages="483--495",
        doi="10.1162/tacl_a_00034",
        arxiv="1601.03764",
        url="https://aclanthology.org/Q18-1034/",
        extra={"number": "2", "publisher": "MIT Press"},
    )
    assert paper_to_hayagriva(paper) == (
        '"arora2018linear":\n'
        "  type: article\n"
        '  title: "Linear Algebraic Structure of Word Senses, with Applications to Polysemy"\n'
        "  author:\n"
        '    - "Arora, Sanjeev"\n'
        '    - "Li, Yuanzhi"\n'
        '  date: "2018-07"\n'
        '  page-range: "483-495"\n'
        '  url: "https://aclanthology.org/Q18-1034/"\n'
        "  serial-number:\n"
        '    doi: "10.1162/tacl_a_00034"\n'
        '    arxiv: "1601.03764"\n'
        "  parent:\n"
        "    type: periodical\n"
        '    title: "Transactions of the Association for Computational Linguistics"\n'
        "    volume: 6\n"
        "    issue: 2\n"
        '    publisher: "MIT Press"\n'
    )


def test_types_follow_the_venue() -> None:
    def kinds(**fields: object) -> tuple[str, str | None]:
        text = paper_to_hayagriva(Paper(key="k", title="T", **fields))  # type: ignore[arg-type]
        lines = text.splitlines()
        parent = next((lines[i + 1] for i, line in enumerate(lines) if line == "  parent:"), None)
        return lines[1].split(": ")[1], parent.split(": ")[1] if parent else None

    assert kinds(type="inproceedings", venue="NeurIPS") == ("article", "proceedings")
    assert kinds(type="misc", arxiv="2209.10652") == ("article", "repository")
    assert kinds(type="misc", venue="Transformer Circuits Thread", url="https://x.org") == ("article", "blog")
    assert kinds(type="article", venue="Distill") == ("article", "periodical")
    assert kinds(type="misc", venue="OpenAI Blog") == ("article", "blog")
    assert kinds(type="book", venue="MIT Press") == ("book", None)
    assert kinds(type="phdthesis", venue="MIT") == ("thesis", None)
    assert kinds(type="misc", url="https://example.org") == ("web", None)


def test_case_is_kept_by_braces_and_literal_braces_are_escaped() -> None:
    paper = Paper(key="k", title="How does GPT-2 compute {x} in Python for $5?", authors=["van der Berg, Jan"])
    text = paper_to_hayagriva(paper, ProtectedTerms(terms=("Python",)))
    assert '  title: "How does {GPT}-2 compute \\\\{x\\\\} in {Python} for \\\\$5?"\n' in text
    assert '    - "van der Berg, Jan"\n' in text


def test_organisations_suffixes_and_names_with_commas() -> None:
    from litmap.models import Author

    authors = [Author(family="Anthropic Interpretability Team"), Author(family="Smith, Jones and Co")]
    authors.append(Author.parse("Doe, Jr., John"))
    text = paper_to_hayagriva(Paper(key="k", title="T", authors=authors))
    assert '    - "Anthropic Interpretability Team"\n' in text
    assert '    - { name: "Smith, Jones and Co" }\n' in text
    assert '    - { name: "Doe", given-name: "John", suffix: "Jr." }\n' in text


def test_same_library_same_bytes_sorted_by_key(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "refs.yml"
    first = invoke("--library", str(BUNDLED), "export", "hayagriva", "-o", str(out))
    assert first.exit_code == 0, first.stderr
    assert first.stderr.startswith("Wrote 75 entries to ")
    again = invoke("--library", str(BUNDLED), "export", "hayagriva")
    assert again.stdout == out.read_text(encoding="utf-8")
    keys = [line[1:-2] for line in again.stdout.splitlines() if line.startswith('"')]
    assert keys == sorted(keys) and len(keys) == len(list((BUNDLED / "papers").glob("*.toml")))
    assert "abstract:" not in again.stdout
    assert "  abstract: " in invoke("--library", str(BUNDLED), "export", "hayagriva", "--abstracts").stdout


def test_papers_to_hayagriva_separates_entries_by_a_blank_line() -> None:
    text = papers_to_hayagriva([Paper(key="b", title="B"), Paper(key="a", title="A")])
    assert text == '"a":\n  type: article\n  title: "A"\n\n"b":\n  type: article\n  title: "B"\n'
