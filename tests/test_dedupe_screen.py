"""The screens of a whole library's dedupe (:mod:`litmap.dedupe.neighbours`): leaving out pairs whose
years or title numbers contradict them changes no pair :meth:`Matcher.pairs` reports."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from litmap.dedupe.matching import MAX_YEAR_GAP, WINDOW, Matcher, compare, features
from litmap.dedupe.neighbours import apart, neighbour_pairs, screen_keys
from litmap.models import Paper

#: Titles near one another: a few works, each written with stopwords, a slip or a number added.
BASES = ["Toy models of superposition", "Zoom in: circuits", "Sparse circuits in toy models"]
ENDINGS = ["", " of", " in the", "s", " 2", " part II", "x"]
AUTHORS = ["Olah, Chris", "Elhage, Nelson", "Hume, Tristan", "Olha, Chris", "Bau, David"]


def unscreened_pairs(matcher: Matcher) -> list[tuple[str, str, str, float, str]]:
    """What :meth:`Matcher.pairs` reported before the screens: every exact-key group's pairs and every
    close neighbour's, each given to :func:`compare`."""
    entries = matcher._entries
    size = len(entries)
    codes: set[int] = set()
    for index in (matcher._by_arxiv, matcher._by_doi, matcher._by_title):
        for members in index.values():
            if len(members) > 1:
                codes.update(one * size + other for one, other in matcher._group_pairs(members))
    never_apart = [math.nan] * size
    texts = [e.content for e in entries]
    codes.update(neighbour_pairs(texts, matcher._sort_keys(), never_apart, matcher.threshold, WINDOW, MAX_YEAR_GAP))
    found = []
    for code in sorted(codes):
        match = compare(entries[code // size], entries[code % size], matcher.threshold)
        if match:
            found.append((entries[code // size].paper.key, match.existing.key, match.reason, match.score, match.kind))
    return found


def reported(matcher: Matcher) -> list[tuple[str, str, str, float, str]]:
    return [(p.key, m.existing.key, m.reason, m.score, m.kind) for p, m in matcher.pairs()]


papers = st.lists(
    st.builds(
        dict,
        title=st.tuples(st.sampled_from(BASES), st.sampled_from(ENDINGS)).map("".join),
        authors=st.lists(st.sampled_from(AUTHORS), min_size=1, max_size=3, unique=True),
        year=st.one_of(st.none(), st.integers(2018, 2021)),
        arxiv=st.one_of(st.none(), st.sampled_from(["2209.10652", "2301.00001"])),
        doi=st.one_of(st.none(), st.sampled_from(["10.1234/toy", "10.1234/TOY", "10.1234/zoom"])),
        volume=st.one_of(st.none(), st.sampled_from(["1", "2"])),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(papers)
def test_the_screens_keep_every_pair_the_unscreened_rule_reports(records: list[dict[str, object]]) -> None:
    library = [Paper(key=f"p{n}", **{k: v for k, v in r.items() if v is not None}) for n, r in enumerate(records)]  # type: ignore[arg-type]
    matcher = Matcher(library)
    assert reported(matcher) == unscreened_pairs(matcher)


def test_a_big_group_of_one_arxiv_id_still_matches_a_neighbour_of_another_year() -> None:
    # 70 records of one arXiv id by one first author: only the first is paired with the others as a
    # group (too big), so p01 and p04 (years ten apart) are found only as title neighbours.
    titles = ["Toy models of superposition", "Toy models of superposition x", "Toy models of superposition xx"]
    library = [
        Paper(
            key=f"p{n:02}", title=titles[n % 3], authors=["Olah, Chris"], year=2000 + 10 * (n % 2), arxiv="2209.10652"
        )
        for n in range(70)
    ]
    matcher = Matcher(library)
    found = reported(matcher)
    assert found == unscreened_pairs(matcher)
    assert ("p01", "p04", "same arXiv id 2209.10652", 100.0, "arxiv") in found


def test_screen_keys_part_papers_by_years_and_by_title_numbers() -> None:
    def entry(title: str, year: int | None) -> object:
        return features(Paper(key="k", title=title, year=year))

    entries = [entry("Toy models", 2020), entry("Toy models", 2022), entry("Toy models", 2023)]
    entries += [entry("Toy models part 2", 2020), entry("Toy models", None)]
    keys = screen_keys(entries, exempt=[2])  # type: ignore[arg-type]
    assert not apart(keys, 0, 1, MAX_YEAR_GAP)
    assert apart(keys, 1, 0, MAX_YEAR_GAP - 1)
    assert apart(keys, 0, 3, MAX_YEAR_GAP)  # other numbers in the title, the same year
    assert not apart(keys, 0, 4, MAX_YEAR_GAP)  # no year: never apart
    assert not apart(keys, 0, 2, MAX_YEAR_GAP)  # exempt: never apart
