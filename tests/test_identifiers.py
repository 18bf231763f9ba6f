"""arXiv ids and DOIs as people paste them normalise to the bare identifier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litmap.identifiers import arxiv_id_from_doi, arxiv_version, normalize_arxiv_id, normalize_doi


@pytest.mark.parametrize(
    ("pasted", "bare"),
    [
        ("2209.10652", "2209.10652"),
        ("2209.10652v2", "2209.10652"),
        ("arXiv:2209.10652v2", "2209.10652"),
        ("ARXIV:2209.10652", "2209.10652"),
        ("https://arxiv.org/abs/2209.10652v1", "2209.10652"),
        ("https://arxiv.org/pdf/2209.10652.pdf", "2209.10652"),
        ("https://arxiv.org/pdf/2209.10652v3", "2209.10652"),
        ("http://export.arxiv.org/abs/2209.10652", "2209.10652"),
        ("  1412.6980 ", "1412.6980"),
        ("0704.0001", "0704.0001"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("math.GT/0309136", "math/0309136"),
        ("CS/0501001", "cs/0501001"),
        ("https://arxiv.org/abs/astro-ph/9812133v1", "astro-ph/9812133"),
        ("10.48550/arXiv.2209.10652", "2209.10652"),
        ("https://doi.org/10.48550/arXiv.2209.10652", "2209.10652"),
    ],
)
def test_arxiv_forms_normalise_to_bare_id(pasted: str, bare: str) -> None:
    assert normalize_arxiv_id(pasted) == bare


@pytest.mark.parametrize("bad", ["", "2209-10652", "22091.0652", "hello", "https://example.org/abs/2209.10652"])
def test_malformed_arxiv_ids_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not an arXiv id"):
        normalize_arxiv_id(bad)


def test_arxiv_version_is_read_from_pasted_id() -> None:
    assert arxiv_version("arXiv:2209.10652v2") == 2
    assert arxiv_version("https://arxiv.org/pdf/2209.10652v3.pdf") == 3
    assert arxiv_version("2209.10652") is None


@pytest.mark.parametrize(
    ("pasted", "bare"),
    [
        ("10.1038/nature03687", "10.1038/nature03687"),
        ("https://doi.org/10.1038/nature03687", "10.1038/nature03687"),
        ("http://dx.doi.org/10.1038/nature03687", "10.1038/nature03687"),
        ("doi:10.1038/nature03687", "10.1038/nature03687"),
        ("DOI: 10.1038/nature03687", "10.1038/nature03687"),
        ("https://doi.org/10.1007%2FBF01700692", "10.1007/BF01700692"),
    ],
)
def test_doi_forms_normalise_to_bare_doi(pasted: str, bare: str) -> None:
    assert normalize_doi(pasted) == bare


@pytest.mark.parametrize("bad", ["", "nature03687", "11.1038/x", "https://doi.org/"])
def test_malformed_dois_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a DOI"):
        normalize_doi(bad)


def test_datacite_doi_maps_to_arxiv_id() -> None:
    assert arxiv_id_from_doi("10.48550/ARXIV.2209.10652") == "2209.10652"
    assert arxiv_id_from_doi("10.1038/nature03687") is None


@given(
    st.integers(min_value=7, max_value=30),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=99999),
    st.one_of(st.none(), st.integers(min_value=1, max_value=30)),
    st.sampled_from(["{}", "arXiv:{}", "https://arxiv.org/abs/{}", "https://arxiv.org/pdf/{}.pdf"]),
)
def test_any_new_style_id_in_any_form_normalises(yy: int, mm: int, number: int, version: int | None, form: str) -> None:
    digits = 5 if yy >= 15 else 4
    bare = f"{yy:02d}{mm:02d}.{number % 10**digits:0{digits}d}"
    pasted = form.format(bare + (f"v{version}" if version else ""))
    assert normalize_arxiv_id(pasted) == bare
