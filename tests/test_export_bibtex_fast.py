"""The BibTeX writer's shortcuts give what the general path gives: titles, escaping, the author memo."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from litmap.formats.bibtex import BibtexOptions, _escaped_pieces, _title, paper_to_bibtex
from litmap.formats.latex_escape import escape, unchanged
from litmap.formats.protect import ProtectedTerms
from litmap.models import Author, Paper

_WORDS = st.sampled_from(["GPT", "ImageNet", "I", "a", "Deep", "2D", "GELUs", "x", "BERT's", "Ünïcode", "AI-safety"])
_TITLES = (
    st.lists(st.one_of(_WORDS, st.sampled_from([" ", "-", ": ", "_", "&", "{", "}", "~", "%"])), min_size=1)
    .map("".join)
    .filter(str.strip)
)


@given(st.text(), st.booleans())
def test_braced_words_is_the_split_pieces_joined(text: str, acronyms: bool) -> None:
    terms = ProtectedTerms(acronyms=acronyms)
    joined = "".join("{" + piece + "}" if protect else piece for piece, protect in terms.split(text))
    assert terms.braced_words(text) == joined


def test_braced_words_leaves_library_terms_to_split() -> None:
    assert ProtectedTerms(terms=("Python",)).braced_words("Python and GPT") is None


@given(st.text(), st.booleans(), st.booleans())
def test_unchanged_text_is_what_escape_gives_back(text: str, ascii_only: bool, keep_latex: bool) -> None:
    if unchanged(text):
        assert escape(text, ascii_only, keep_latex) == text


@given(_TITLES, st.booleans(), st.booleans())
def test_an_unescaped_title_is_written_as_its_pieces(title: str, ascii_only: bool, acronyms: bool) -> None:
    options = BibtexOptions(ascii_only=ascii_only, protected=ProtectedTerms(acronyms=acronyms))
    paper = Paper(key="k", title=title)
    assert _title(paper, options) == "".join(_escaped_pieces(paper.title, options, ()))


def test_the_author_memo_is_per_options_and_per_author() -> None:
    mueller, other = Author(family="Müller", given="Jörg"), Author(family="Smith", given="Ann")
    first = Paper(key="a", title="One", authors=[mueller, other])
    second = Paper(key="b", title="Two", authors=[other, mueller])
    options = BibtexOptions()
    assert "author = {Müller, Jörg and Smith, Ann}," in paper_to_bibtex(first, options)
    assert "author = {Smith, Ann and Müller, Jörg}," in paper_to_bibtex(second, options)
    in_ascii = dataclasses.replace(options, ascii_only=True)  # a fresh memo: the names are written again
    assert 'author = {M{\\"u}ller, J{\\"o}rg and Smith, Ann},' in paper_to_bibtex(first, in_ascii)
    assert "author = {Müller, Jörg and Smith, Ann}," in paper_to_bibtex(first, options)
