"""The one duplicate matcher: each kind of duplicate it must find, each look-alike it must not."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litmap.dedupe import matching
from litmap.dedupe.distinct import DistinctPairs
from litmap.dedupe.matching import Match, Matcher, normalize_title
from litmap.models import Paper
from litmap.services.dedupe import library_matcher

ROME_AUTHORS = ["Meng, Kevin", "Bau, David", "Andonian, Alex", "Belinkov, Yonatan"]


def paper(key: str, title: str, **fields: object) -> Paper:
    fields.setdefault("authors", ["Elhage, Nelson", "Hume, Tristan", "Olah, Christopher"])
    fields.setdefault("year", 2022)
    return Paper(key=key, title=title, **fields)  # type: ignore[arg-type]


def find(existing: list[Paper], candidate: Paper) -> Match | None:
    return Matcher(existing).find(candidate)


TOY = paper("elhage2022toy", "Toy Models of Superposition", arxiv="2209.10652")
PUBLISHED = paper(
    "kim2018tcav",
    "Interpretability Beyond Feature Attribution: Quantitative Testing with Concept Activation Vectors (TCAV)",
    authors=["Kim, Been", "Wattenberg, Martin", "Gilmer, Justin"],
    year=2018,
    doi="10.5555/3327546.3327681",
)


# -- duplicates it must find ---------------------------------------------------------------------


@pytest.mark.parametrize("form", ["2209.10652v2", "arXiv:2209.10652v1", "https://arxiv.org/abs/2209.10652v3"])
def test_same_arxiv_id_in_any_version_is_a_duplicate(form: str) -> None:
    match = find([TOY], paper("x", "A different working title", arxiv=form, authors=[]))
    assert match is not None and match.existing.key == "elhage2022toy"
    assert (match.kind, match.score) == ("arxiv", 100.0)
    assert "2209.10652" in match.reason


def test_arxiv_datacite_doi_counts_as_the_arxiv_id_both_ways() -> None:
    datacite = paper("x", "Toy models", doi="10.48550/arXiv.2209.10652", authors=[])
    assert find([TOY], datacite).kind == "arxiv"  # type: ignore[union-attr]
    assert find([datacite], TOY).existing.key == "x"  # type: ignore[union-attr]


def test_a_shared_id_belied_by_the_other_id_and_the_title_is_no_duplicate() -> None:
    # mendeley-physics.bib gives a paper in Aging and a meta-regression thesis the arXiv id 1011.1669.
    aging = paper(
        "fallis2013",
        "Association analysis of IGF-1 axis parameters with survival",
        arxiv="1011.1669",
        doi="10.1017/CBO9781107415324.004",
        authors=["van der Spoel, Evie"],
        year=2015,
    )
    thesis = paper(
        "kleinjan2014",
        "Using multiple imputation to estimate missing data in meta-regression",
        arxiv="1011.1669v3",
        doi="10.1111/2041-210X.12322",
        authors=["Ellington, E. Hance"],
        year=2015,
    )
    assert find([thesis], aging) is None
    assert find([aging.model_copy(update={"doi": None})], thesis).kind == "arxiv"  # type: ignore[union-attr]
    same_title = thesis.model_copy(update={"key": "x", "doi": "10.1111/other"})
    assert find([thesis], same_title) is not None  # one title: the DOIs do not make two works of it


@pytest.mark.parametrize("doi", ["10.5555/3327546.3327681", "10.5555/3327546.3327681".upper()])
def test_same_doi_ignoring_case_is_a_duplicate(doi: str) -> None:
    match = find([PUBLISHED], paper("x", "Quite another title", doi=f"https://doi.org/{doi}", authors=[]))
    assert match is not None and (match.kind, match.existing.key) == ("doi", "kim2018tcav")


@pytest.mark.parametrize(
    "title",
    [
        "toy models of superposition",
        "TOY MODELS OF SUPERPOSITION",
        "Toy Models of Superposition.",
        "  Toy   models of\tsuperposition ",
        "{T}oy {M}odels of {S}uperposition",
        "Toy Models of Superposition!",
    ],
)
def test_same_normalised_title_by_the_same_authors_is_a_duplicate(title: str) -> None:
    match = find([TOY], paper("x", title))
    assert match is not None and (match.kind, match.score) == ("title", 100.0)


def test_latex_accents_and_unicode_forms_fold_to_one_title() -> None:
    plain = paper("a", "Gödel's theorem and naïve neural networks", authors=["Müller, Jürgen"])
    for title, author in [
        (r"G{\"o}del's theorem and na{\"\i}ve neural networks", r"M{\"u}ller, J{\"u}rgen"),
        (r"G\"{o}del's theorem and na\"{i}ve neural networks", "Muller, J."),
        (unicodedata.normalize("NFD", plain.title), unicodedata.normalize("NFD", "Müller, Jürgen")),
    ]:
        match = find([plain], paper("b", title, authors=[author]))
        assert match is not None and match.kind == "title", title


def test_ligatures_and_compatibility_forms_fold() -> None:
    assert normalize_title("Eﬃcient ﬁne-tuning") == normalize_title("Efficient fine tuning")
    assert normalize_title("Ｆｕｌｌ width") == "full width"


def test_a_typo_in_the_title_is_still_the_same_paper() -> None:
    match = find([TOY], paper("x", "Toy Modles of Superpositon"))
    assert match is not None and match.kind == "fuzzy"
    assert match.score >= matching.DEFAULT_THRESHOLD
    assert "similar title" in match.reason


def test_preprint_and_published_version_are_found_as_possible_versions() -> None:
    """Modelled on ROME, whose arXiv title said "Factual Knowledge" and the published one "Factual
    Associations": one title word changed, a year later, initials only, a DOI and venue added."""
    preprint = Paper(
        key="meng2022locating",
        title="Locating and Editing Factual Knowledge in GPT",
        authors=ROME_AUTHORS,
        year=2021,
        arxiv="2202.05262",
        venue="arXiv",
    )
    published = Paper(
        key="meng2022locatingb",
        title="Locating and editing factual associations in GPT",
        authors=["Meng, K.", "Bau, D.", "Andonian, A.", "Belinkov, Y."],
        year=2022,
        venue="Advances in Neural Information Processing Systems",
        doi="10.5555/3600270.3601532",
    )
    match = find([preprint], published)
    assert match is not None and match.existing.key == "meng2022locating"
    assert match.kind == "version"
    assert match.reason.startswith("possible versions (publication and preprint): similar title")
    assert "years 2021 and 2022" in match.reason


def test_a_subtitle_dropped_by_the_preprint_still_matches() -> None:
    published = paper("a", "Towards Monosemanticity: Decomposing Language Models With Dictionary Learning", year=2023)
    preprint = paper("b", "Decomposing language models with dictionary learning", year=2023)
    assert find([published], preprint) is not None


def test_an_author_written_without_a_comma_or_with_a_slip_still_agrees() -> None:
    one = paper("a", "Toy models of superposition in small networks", authors=["Christopher Olah", "Schmidhuber, J."])
    other = paper("b", "Toy models of superpositions in small networks", authors=["Olah, C.", "Schmidthuber, Jurgen"])
    match = find([one], other)
    assert match is not None and "same authors" in match.reason


# -- look-alikes it must not match ----------------------------------------------------------------


@pytest.mark.parametrize("title", ["Introduction", "Attention", "On Attention", "Preface."])
def test_generic_titles_by_different_authors_do_not_match(title: str) -> None:
    one = paper("a", title, authors=["Smith, John"], year=2020)
    other = paper("b", title, authors=["Jones, Mary", "Brown, Ann"], year=2020)
    assert find([one], other) is None


def test_generic_title_with_unknown_authors_does_not_match() -> None:
    assert find([paper("a", "Introduction", authors=[])], paper("b", "Introduction", authors=["Smith, J"])) is None


def test_generic_title_by_the_same_authors_matches_only_in_the_same_year() -> None:
    one = paper("a", "Attention", authors=["Smith, John"], year=2020)
    assert find([one], paper("b", "attention", authors=["Smith, J."], year=2020)) is not None
    assert find([one], paper("c", "Attention", authors=["Smith, John"], year=2021)) is None


def test_same_title_by_different_authors_is_not_a_duplicate() -> None:
    assert find([TOY], paper("x", "Toy models of superposition", authors=["Nguyen, An", "Park, Jin"])) is None


def test_a_shared_surname_with_another_initial_is_another_person() -> None:
    one = paper("a", "Sparse probing of language model neurons", authors=["Wang, Alice", "Li, Bo"])
    other = paper("b", "Sparse probing of language model neurons", authors=["Wang, Wei", "Chen, Yu"])
    assert find([one], other) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Deep learning theory, Part I", "Deep learning theory, Part II"),
        ("Scaling laws for GPT-2 models", "Scaling laws for GPT-3 models"),
        ("The 2019 benchmark of interpretability methods", "The 2020 benchmark of interpretability methods"),
    ],
)
def test_titles_that_differ_in_a_number_are_different_papers(first: str, second: str) -> None:
    assert find([paper("a", first)], paper("b", second)) is None


def test_conflicting_identifiers_veto_a_title_match() -> None:
    assert find([paper("a", TOY.title, doi="10.1234/a")], paper("b", TOY.title, doi="10.1234/b")) is None
    assert find([paper("a", TOY.title, arxiv="2209.00001")], paper("b", TOY.title, arxiv="2209.00002")) is None


def test_years_further_apart_than_a_publication_delay_do_not_match() -> None:
    assert find([paper("a", TOY.title, year=2015)], paper("b", TOY.title, year=2022)) is None


def test_a_different_word_with_only_the_first_author_in_common_is_not_enough() -> None:
    one = paper("a", "Sparse dictionaries for vision transformers", authors=["Olah, C.", "Nanda, N."])
    other = paper("b", "Sparse dictionaries for speech transformers", authors=["Olah, C.", "Geva, M.", "Bau, D."])
    assert find([one], other) is None


def test_threshold_controls_fuzzy_matches_only() -> None:
    typo = paper("x", "Toy Modles of Superposition")
    assert Matcher([TOY], threshold=99.5).find(typo) is None
    assert Matcher([TOY], threshold=99.5).find(paper("y", "toy models of superposition")) is not None


# -- the interface add/import use -----------------------------------------------------------------


def test_matcher_add_makes_later_finds_see_the_paper() -> None:
    matcher = Matcher([PUBLISHED])
    assert matcher.find(TOY) is None
    matcher.add(TOY)
    match = matcher.find(paper("new", "Toy models of superposition"))
    assert match is not None and match.existing is TOY
    assert isinstance(match.reason, str) and match.score == 100.0


def test_find_all_lists_every_match_surest_first() -> None:
    typo = paper("typo", "Toy Modles of Superposition")
    matches = Matcher([typo, TOY]).find_all(paper("x", "Toy models of superposition", arxiv="2209.10652"))
    assert [m.existing.key for m in matches] == ["elhage2022toy", "typo"]


def test_find_skips_pairs_declared_distinct_including_through_aliases() -> None:
    merged = TOY.model_copy(update={"aliases": ["elhage2022toyold"]})
    lookalike = paper("olah2022toy", "Toy models of superposition")
    assert Matcher([merged]).find(lookalike) is not None
    distinct = DistinctPairs([("elhage2022toyold", "olah2022toy")])
    assert Matcher([merged], distinct=distinct).find(lookalike) is None


def test_matcher_for_library_reads_the_distinct_pairs(tmp_path, make_paper_file) -> None:  # type: ignore[no-untyped-def]
    from litmap.services.admin import init_library

    library = init_library(tmp_path / "lib")
    make_paper_file(library.root, "a", title="Attention patterns in toy models", authors=["Smith, J"], year=2020)
    make_paper_file(library.root, "b", title="Attention patterns in toy model", authors=["Smith, J"], year=2020)
    candidate = library.get("b")  # its own record is found too: re-importing it is a duplicate
    assert {m.existing.key for m in library_matcher(library).find_all(candidate)} == {"a", "b"}
    (library.root / "distinct.toml").write_text('pairs = [["a", "b"]]\n', encoding="utf-8")
    assert {m.existing.key for m in library_matcher(library).find_all(candidate)} == {"b"}


# -- scale: candidates, never all pairs ------------------------------------------------------------


def test_a_whole_library_is_scored_on_candidates_not_all_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    words = "sparse dense causal linear deep toy robust neural circuit feature probe model layer head".split()
    papers = [
        Paper(
            key=f"p{i}",
            title=f"{words[i % 14]} {words[(i // 14) % 14]} {words[(i // 196) % 14]} analysis number {i}",
            authors=[f"Author{i % 97}, A"],
            year=2000 + i % 20,
        )
        for i in range(3000)
    ]
    calls = 0
    real = matching.compare

    def counting(*args: object, **kwargs: object) -> Match | None:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(matching, "compare", counting)
    Matcher(papers).pairs()
    assert calls < 3000 * 50  # all pairs would be 4.5 million


# -- properties -----------------------------------------------------------------------------------

title_words = st.lists(st.text("abcdefghijklmnopqrstuvwxyzé", min_size=3, max_size=9), min_size=3, max_size=8)


@given(title_words)
def test_case_braces_and_unicode_form_never_change_the_normalised_title(words: list[str]) -> None:
    title = " ".join(words)
    variants = [
        title.upper(),
        " ".join("{" + w.capitalize() + "}" for w in words),
        unicodedata.normalize("NFD", title),
        title + ".",
    ]
    assert all(normalize_title(v) == normalize_title(title) for v in variants)
    assert normalize_title(normalize_title(title)) == normalize_title(title)


VOCABULARY = (
    "attention transformer circuits neurons sparse features superposition interpretability language models "
    "learning representations probing gradients attribution visualization editing memory factual knowledge "
    "induction heads grokking scaling laws dictionary monosemantic polysemantic network convolutional "
    "recurrent analysis mechanistic causal intervention activation patching embedding semantic syntax"
).split()
real_title_words = st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=8, unique=True)


@given(real_title_words, st.integers(min_value=0, max_value=100))
def test_one_typo_in_a_long_enough_title_still_matches(words: list[str], where: int) -> None:
    title = " ".join(words)
    if len(normalize_title(title).replace(" ", "")) < 25:
        return
    position = where % len(title)
    if title[position] == " ":  # a typo inside a word (one that glues two words is another kind of edit)
        position = max(position - 1, 0)
    typo = title[:position] + ("x" if title[position] != "x" else "y") + title[position + 1 :]
    if any(c.isdigit() for c in typo):
        return
    original = paper("a", title)
    assert find([original], paper("b", typo)) is not None


@pytest.mark.parametrize(
    ("author", "key"),
    [
        ("Olah, Christopher", ("olah", "c")),
        ("Christopher Olah", ("olah", "c")),
        ("van der Maaten, Laurens", ("maaten", "l")),
        ("van der Maaten", ("maaten", "")),
        ("Hatfield-Dodds", ("dodds", "")),
        ("King Jr., Martin", ("king", "m")),
        (r"G{\"o}del, Kurt", ("godel", "k")),
    ],
)
def test_author_keys_compare_surname_and_initial(author: str, key: tuple[str, str]) -> None:
    from litmap.models import Author

    assert matching.author_key(Author.parse(author)) == key


@pytest.mark.parametrize(
    ("field", "one", "other"),
    [("volume", "100", "104"), ("number", "3", "4"), ("pages", "1--20", "45--60"), ("edition", "2nd", "Third")],
)
def test_a_different_volume_number_first_page_or_edition_vetoes_a_match(field: str, one: str, other: str) -> None:
    def paper(key: str, value: str) -> Paper:
        base = {"key": key, "title": "Rigidity of Nilpotent Group Actions on Trees", "authors": ["Popescu, Ana"]}
        if field in ("volume", "pages"):
            return Paper(**base, year=2020, **{field: value})
        return Paper(**base, year=2020, extra={field: value})

    assert Matcher([paper("a", one)]).find(paper("b", other)) is None
    assert Matcher([paper("a", one)]).find(paper("b", one)) is not None  # the same locator still matches
    assert (
        Matcher([paper("a", one)]).find(Paper(key="c", title=paper("a", one).title, authors=["Popescu, A."]))
        is not None
    )


def test_a_short_authorless_title_whose_key_names_the_paper_is_it() -> None:
    old = paper("anon1952hideki", "{Hideki Yukawa}", authors=[], year=1952, aliases=["YukawaPhoto1952"])
    new = paper("x", "Hideki Yukawa", authors=[], year=1952)
    assert find([old], new) is None  # by title alone: too short to tell
    match = matching.compare_keyed(matching.features(new), matching.features(old))
    assert match is not None and match.existing is old and match.kind == "title"
    assert "the entry's key names it" in match.reason


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Enrico Fermi"},
        {"year": 1960},
        {"doi": "10.1000/other", "_old": {"doi": "10.1000/one"}},
        {"title": "Hideki Yukawa 2"},
        {"authors": ["Fermi, Enrico"], "_old": {"authors": ["Yukawa, Hideki"]}},
    ],
    ids=["other title", "years apart", "other DOI", "other number", "other authors"],
)
def test_a_key_is_no_match_when_the_records_disagree(changes: dict[str, object]) -> None:
    old_changes = changes.pop("_old", {})
    base: dict[str, object] = {"title": "Hideki Yukawa", "authors": [], "year": 1952}
    old = Paper(key="anon1952hideki", **{**base, **old_changes})  # type: ignore[arg-type, dict-item]
    new = Paper(key="x", **{**base, **changes})  # type: ignore[arg-type]
    assert matching.compare_keyed(matching.features(new), matching.features(old)) is None
