"""`litmap search`: the query language, ranking, typo tolerance and output, on small libraries built here
and on (a copy of) the bundled interpretability library."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from litmap.errors import InvalidValue
from litmap.services.search import QueryError, Term, parse_query, query_from_args

TAXONOMY = """\
[[category]]
id = "interp"
title = "Interpretability"

[[category]]
id = "circuits"
title = "Circuit Analysis"
parent = "interp"

[[category]]
id = "induction"
title = "Induction Mechanisms"
parent = "circuits"

[[category]]
id = "vision"
title = "Computer Vision"
"""


@pytest.fixture
def small(empty_library: Path, make_paper_file) -> Path:  # type: ignore[no-untyped-def]
    """A library of six papers whose words, fields and categories the tests below rely on."""
    root = empty_library
    (root / "taxonomy.toml").write_text(TAXONOMY, encoding="utf-8")
    make_paper_file(
        root,
        "smith2022sparse",
        title="Sparse Superposition in Toy Networks",
        authors=["Smith, Ann", "Olah, Chris"],
        year=2022,
        venue="Distill",
        categories=["interp"],
        tags=["to-read"],
        abstract="We study how features are packed into neurons.",
    )
    make_paper_file(
        root,
        "jones2021features",
        title="Features and Neurons",
        authors=["Jones, Bob"],
        year=2021,
        venue="NeurIPS",
        categories=["circuits"],
        abstract="A long discussion of neurons in which superposition is mentioned once, among many other "
        "words about activations, weights, layers, gradients and training dynamics.",
    )
    make_paper_file(
        root,
        "lee2023induction",
        title="Induction Heads in Small Transformers",
        authors=["Lee, Carol", "Olah, Chris"],
        year=2023,
        type="inproceedings",
        categories=["induction"],
        tags=["to-read", "classic"],
        abstract="Heads that perform induction copy earlier tokens.",
    )
    make_paper_file(
        root,
        "kim2020heads",
        title="Which Heads Matter for Induction?",
        authors=["Kim, Dan"],
        year=2020,
        categories=["circuits"],
        abstract="Attention heads are pruned; the induction behaviour survives.",
    )
    make_paper_file(
        root,
        "park2019edges",
        title="Edge Detectors in Convolutional Networks",
        authors=["Park, Eve"],
        year=2019,
        categories=["vision"],
        note="Read with the saliency reading group.",
    )
    make_paper_file(root, "nodate", title="An Undated Grokking Note", authors=["Nobody, N."])
    return root


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that nothing is cut."""
    from litmap.cli import render

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("LITMAP_PAGER", "")
    monkeypatch.setattr(render.console, "width", 240)


def keys(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


# -- the query language ------------------------------------------------------------------------


def test_parse_query_reads_words_phrases_prefixes_exclusions_and_fields() -> None:
    query = parse_query('toy "induction heads" circ* -grokking author:olah -tag:read cat:x year:2020..2023')
    assert query.terms == (
        Term("toy"),
        Term("induction heads", phrase=True),
        Term("circ", prefix=True),
        Term("grokking", negated=True),
        Term("olah", field="author"),
        Term("read", field="tag", negated=True),
        Term("x", field="cat"),
        Term("2020..2023", field="year"),
    )


def test_parse_query_accepts_field_aliases_and_quoted_field_values() -> None:
    query = parse_query('category:vision authors:"chris olah"')
    assert query.terms == (Term("vision", field="cat"), Term("chris olah", field="author", phrase=True))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"induction heads', "unterminated quote"),
        ("auther:olah", "unknown field 'auther:' in 'auther:olah'; did you mean 'author:'?"),
        ("author:", "'author:' needs a value"),
        ("year:22", "invalid year or range '22'"),
        ("year:2024..2020", "2024 is after 2020"),
        ("", "empty query"),
        ("  - ", "empty query"),
    ],
)
def test_malformed_queries_get_one_clear_message(text: str, message: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_query(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_query_errors_are_litmap_errors() -> None:
    assert issubclass(QueryError, InvalidValue)


def test_words_in_a_quoted_argument_are_words_and_a_phrase_needs_its_own_quotes() -> None:
    assert query_from_args(["induction heads"]) == "induction heads"
    assert query_from_args(['"induction heads"']) == '"induction heads"'
    assert query_from_args(["grokking", "year:2022..2023"]) == "grokking year:2022..2023"
    assert query_from_args(["grokking year:2022..2023"]) == "grokking year:2022..2023"
    assert query_from_args(["superposition -grokking"]) == "superposition -grokking"


# -- matching and ranking on a small library ------------------------------------------------------


def test_words_are_anded(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert sorted(keys(invoke("search", "neurons", "--keys"))) == ["jones2021features", "smith2022sparse"]
    assert keys(invoke("search", "neurons", "superposition", "sparse", "--keys")) == ["smith2022sparse"]


def test_a_title_match_ranks_above_a_passing_mention(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "superposition", "--keys")) == ["smith2022sparse", "jones2021features"]


def test_phrase_requires_the_words_together(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert sorted(keys(invoke("search", "induction", "heads", "--keys"))) == ["kim2020heads", "lee2023induction"]
    # one quoted shell argument holds words, as people and scripts quote every query; the paper
    # holding them as a phrase ranks first
    assert keys(invoke("search", "induction heads", "--keys")) == ["lee2023induction", "kim2020heads"]
    assert keys(invoke("search", '"induction heads"', "--keys")) == ["lee2023induction"]


def test_prefix_and_stemmed_plural(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert sorted(keys(invoke("search", "convolution*", "--keys"))) == ["park2019edges"]
    assert keys(invoke("search", "detector", "--keys")) == ["park2019edges"]


def test_minus_word_excludes_without_needing_double_dash(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "superposition", "-sparse", "--keys")) == ["jones2021features"]
    assert keys(invoke("search", "induction", "-tag:classic", "--keys")) == ["kim2020heads"]
    assert keys(invoke("search", "superposition", "-n", "1", "--keys")) == ["smith2022sparse"]


def test_field_filters(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert sorted(keys(invoke("search", "author:olah", "--keys"))) == ["lee2023induction", "smith2022sparse"]
    assert keys(invoke("search", "title:neurons", "--keys")) == ["jones2021features"]
    assert keys(invoke("search", "abstract:pruned", "--keys")) == ["kim2020heads"]
    assert keys(invoke("search", "venue:distill", "--keys")) == ["smith2022sparse"]
    assert sorted(keys(invoke("search", "tag:to-read", "--keys"))) == ["lee2023induction", "smith2022sparse"]
    assert keys(invoke("search", "type:inproceedings", "--keys")) == ["lee2023induction"]
    assert keys(invoke("search", "neurons", "year:2022", "--keys")) == ["smith2022sparse"]


def test_year_ranges_leave_out_undated_papers(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "year:2020..2021", "--keys")) == ["jones2021features", "kim2020heads"]
    assert keys(invoke("search", "year:2023..", "--keys")) == ["lee2023induction"]
    assert "nodate" not in keys(invoke("search", "year:..2023", "--keys"))
    assert "nodate" in keys(invoke("search", "-year:..2023", "--keys"))


def test_cat_takes_subcategories_and_category_titles_are_searchable(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert sorted(keys(invoke("search", "cat:circuits", "--keys"))) == [
        "jones2021features",
        "kim2020heads",
        "lee2023induction",
    ]
    assert keys(invoke("search", "cat:induction", "--keys")) == ["lee2023induction"]
    assert keys(invoke("search", "mechanisms", "--keys")) == ["lee2023induction"]


def test_citekey_and_note_are_searched(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "kim2020heads", "--keys")) == ["kim2020heads"]
    assert keys(invoke("search", "saliency", "--keys")) == ["park2019edges"]


def test_misspelt_word_finds_its_papers_and_says_so(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("search", "superpositon", "--keys")
    assert keys(result) == ["smith2022sparse", "jones2021features"]
    assert "superposition" in result.stderr
    assert keys(invoke("search", "author:olha", "--keys")) == ["lee2023induction", "smith2022sparse"]


def test_nonsense_finds_nothing(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("search", "zzyzx")
    assert result.exit_code == 0
    assert "No papers match." in result.stdout
    assert invoke("search", "zzyzx", "--keys").stdout == ""
    assert json.loads(invoke("search", "zzyzx", "--json").stdout) == []


# -- output --------------------------------------------------------------------------------------


def test_table_shows_hits_with_authors_and_category_titles(small: Path, invoke, wide) -> None:  # type: ignore[no-untyped-def]
    result = invoke("search", "induction")
    assert result.exit_code == 0
    out = result.stdout
    assert "lee2023induction" in out and "kim2020heads" in out
    assert "Lee & Olah" in out
    assert "Induction Mechanisms" in out
    assert "2 matches" in out


def test_limit_and_caption(small: Path, invoke, wide) -> None:  # type: ignore[no-untyped-def]
    result = invoke("search", "neurons", "--limit", "1")
    assert result.exit_code == 0
    assert "2 matches, best 1 shown" in result.stdout
    assert len(keys(invoke("search", "neurons", "--keys", "--limit", "1"))) == 1


def test_abstract_shows_the_matching_snippet(small: Path, invoke, wide) -> None:  # type: ignore[no-untyped-def]
    result = invoke("search", "pruned", "--abstract")
    assert result.exit_code == 0
    assert "heads are pruned" in result.stdout
    assert "heads are pruned" not in invoke("search", "pruned").stdout


def test_json_is_ranked_records_with_scores(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(invoke("search", "superposition", "--json").stdout)
    assert [h["key"] for h in hits] == ["smith2022sparse", "jones2021features"]
    assert hits[0]["score"] > hits[1]["score"] > 0
    shown = json.loads(invoke("show", "smith2022sparse", "--json").stdout)
    assert {k: v for k, v in hits[0].items() if k != "score"} == shown


def test_json_of_a_filter_only_query_has_no_score(small: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    hits = json.loads(invoke("search", "tag:classic", "--json").stdout)
    assert [(h["key"], h["score"]) for h in hits] == [("lee2023induction", None)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cat:circuit"], "Error: no category 'circuit'; did you mean 'circuits'?"),
        (['"induction heads'], "Error: unterminated quote"),
        (["year:20"], "Error: invalid year or range '20'"),
        (["auther:olah"], "Error: unknown field 'auther:'"),
    ],
)
def test_user_mistakes_exit_1_with_one_line(small: Path, invoke, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("search", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.parametrize(("value", "message"), [("abc", "'abc' is not a whole number"), ("-1", "smaller than")])
def test_limit_must_be_a_whole_number(small: Path, invoke, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("search", "neurons", "--limit", value)
    assert result.exit_code == 2
    assert message in result.stderr


def test_help_documents_the_query_language(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("search", "--help")
    assert result.exit_code == 0
    for piece in ("author:olah", "cat:attribution", "year:2020..2023", "-grokking", '"induction heads"', "tag:"):
        assert piece in result.stdout


# -- the bundled library (the "Done when") ----------------------------------------------


def bundled_records(root: Path) -> dict[str, dict[str, object]]:
    """Every paper record of a library, read straight from its TOML files."""
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in (root / "papers").glob("*.toml")}


def test_bundled_superposition_ranks_toy_models_first(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    found = keys(invoke("search", "superposition", "--keys"))
    assert found[0] == "elhage2022toy"
    assert bundled_records(bundled_copy)["elhage2022toy"]["title"] == "Toy Models of Superposition"


def test_bundled_misspelt_superposition_still_ranks_toy_models_first(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "superpositon", "--keys"))[0] == "elhage2022toy"
    assert keys(invoke("search", "interpretabilty", "--keys"))[:1] != []


def test_bundled_induction_heads_phrase(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    found = keys(invoke("search", '"induction heads"', "--keys"))
    records = bundled_records(bundled_copy)
    titled = [k for k, r in records.items() if "induction head" in str(r["title"]).lower()]
    assert titled, "the bundled library should hold the induction heads paper"
    assert set(found[: len(titled)]) == set(titled)
    for key in found:
        text = " ".join(str(records[key].get(f, "")) for f in ("title", "abstract", "note")).lower()
        assert "induction head" in text


def test_bundled_author_olah(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    found = set(keys(invoke("search", "author:olah", "--keys")))
    records = bundled_records(bundled_copy)
    expected = {k for k, r in records.items() if any(str(a).startswith("Olah,") for a in r.get("authors", []))}
    assert {"elhage2022toy", "olah2020zoom"} <= expected
    assert found == expected


def test_bundled_grokking_2022_to_2023(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    found = keys(invoke("search", "grokking", "year:2022..2023", "--keys"))
    records = bundled_records(bundled_copy)
    expected = {
        k
        for k, r in records.items()
        if 2022 <= int(r.get("year", 0)) <= 2023 and "grokking" in json.dumps(r).lower()  # type: ignore[call-overload]
    }
    assert "power2022grokking" in expected
    assert set(found) == expected


def test_bundled_cat_attribution_takes_its_subtree(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    found = set(keys(invoke("search", "cat:attribution", "--keys")))
    listed = set(keys(invoke("list", "--category", "attribution", "--keys")))
    assert found and found == listed


def test_bundled_edited_paper_is_found_by_its_new_words(bundled_copy: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    assert keys(invoke("search", "quokka", "--keys")) == []
    path = bundled_copy / "papers" / "olah2020zoom.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title = "', 'title = "Quokka ', 1), encoding="utf-8")
    assert keys(invoke("search", "quokka", "--keys")) == ["olah2020zoom"]


def test_quoted_words_digits_keys_and_most_words_on_the_bundled_library(invoke, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LITMAP_LIBRARY", raising=False)
    monkeypatch.chdir("/")
    # a quoted argument is words, not a phrase: the Toy Models paper holds both
    assert "elhage2022toy" in keys(invoke("search", "superposition features", "--keys"))
    # "gpt2" finds "How does GPT-2 compute greater-than?", and a citekey's start finds its paper
    assert "hanna2023gpt2" in keys(invoke("search", "gpt2", "--keys"))
    assert keys(invoke("search", "hanna2023", "--keys")) == ["hanna2023gpt2"]
    # no paper holds every word: the papers holding most of them, with one line saying so
    result = invoke("search", "superposition", "zzyzxnotaword", "toy")
    assert result.exit_code == 0
    assert "No paper holds all 3 words; showing the papers that hold the most (2 of 3)." in result.stderr
    assert "elhage2022toy" in result.stdout


def test_a_filter_every_paper_passes_leaves_the_ranking_as_it_was(empty_library: Path, invoke, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    """Without filters the best hits are ranked in the full-text table alone; with one, through every
    paper row. Both give the same hits in the same order, ties (same words, same score) included."""
    for number in range(12):
        make_paper_file(
            empty_library,
            f"twin{number:02d}",
            title="Superposition in toy models" if number % 3 else "Toy models of superposition",
            abstract="Features in superposition." * (1 + number % 2),
            year=2018 + number % 4,
        )
    make_paper_file(empty_library, "other", title="Grokking", year=2020)
    for query in ("superposition", "toy superposition", "models superposition -grokking", "toy*"):
        unfiltered = invoke("search", query, "--json", "-n", "0").stdout
        for limit in ("1", "2", "5", "7", "12", "20"):
            best = invoke("search", query, "--keys", "-n", limit)
            filtered = invoke("search", query, "year:1900..2100", "--keys", "-n", limit)
            assert best.exit_code == 0, best.stderr
            assert best.stdout == filtered.stdout, (query, limit)
            assert best.stdout.split() == [hit["key"] for hit in json.loads(unfiltered)][: int(limit)], (query, limit)
