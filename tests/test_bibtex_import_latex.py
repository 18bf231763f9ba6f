"""LaTeX to Unicode: the fast path gives exactly what pylatexenc gives, on every mix of common constructs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litmap.formats.latex_text import latex_to_paragraphs, latex_to_text, pylatexenc_reading

FRAGMENTS = [
    "a", "Z", "ber", " ", "  ", "\n", ",", ".", "'", "-", "--", "---", "~", "``", "''", "5%",
    "\\&", "\\%", "\\_", "\\#",
    "\\'e", "\\'{E}", "\\' e", "{\\'e}", "\\`a", "\\^o", '\\"u', '\\"{U}', '{\\"o}', '\\"{\\i}', "\\'\\i", "\\'{\\i}",
    "\\~n", "\\=a", "\\.z", "\\u{a}", "\\v{s}", "\\v s", "\\v{S}", "\\H{o}", "\\c{c}", "\\c c", "\\k{a}", "\\r{a}",
    "\\d{a}", "\\ss", "\\ss{}", "{\\ss}", "\\o", "\\o{}", "\\O ", "\\l{}", "\\L", "\\aa", "\\AA{}", "\\ae", "\\OE",
    "\\emph{x}", "\\textit{In vivo}", "$k$", "$\\alpha$", "\\{", "\\}", "\\url{http://x.org/a_b}", "\\i", "\\^{}",
]  # fmt: skip


def _texts() -> st.SearchStrategy[str]:
    fragment = st.sampled_from(FRAGMENTS)
    return st.recursive(
        st.lists(fragment, max_size=6).map("".join),
        lambda inner: st.lists(st.one_of(inner, inner.map(lambda t: "{" + t + "}")), max_size=4).map("".join),
        max_leaves=12,
    )


@given(_texts())
def test_fast_path_agrees_with_pylatexenc(text: str) -> None:
    assert latex_to_text(text) == pylatexenc_reading(text)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("{\\\"U}ber {\\'e}l\\'{e}gance", "Über élégance"),
        ('G\\"odel--Escher---Bach', "Gödel–Escher—Bach"),
        ("Br\\o nsted and S{\\o}ren", "Brønsted and Søren"),
        ('Na\\"{\\i}ve {BERT}', "Naïve BERT"),
        ("5% better \\& 50\\% cheaper", "5% better & 50% cheaper"),
        ("$k$-sparse {C}odes", "$k$-sparse Codes"),
        ("Caf\\'e~au lait", "Café au lait"),
    ],
)
def test_common_encodings(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


def test_paragraphs_are_kept() -> None:
    assert (
        latex_to_paragraphs("First  line\ncontinued.\n\n  Second \\& last.")
        == "First line continued.\n\nSecond & last."
    )
