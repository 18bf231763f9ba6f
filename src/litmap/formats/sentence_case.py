"""Titles in sentence case for CSL, with the words that keep their case in ``<span class="nocase">``.

CSL styles such as APA print titles as the data gives them, so CSL-JSON carries titles in sentence
case (CSL 1.0.2, "Sentence case conversion"). The rule is the one pandoc's citeproc applies to a
BibTeX title, so that a bibliography rendered from litmap's CSL-JSON and from its BibTeX reads the
same: a capitalised word (``Look``) is lower-cased, except the first word of the title and the first
after ``.`` ``?`` ``!`` or ``:`` (a subtitle, which APA capitalises, as citeproc-js does); a word in
upper or mixed case (``BERT``, ``ImageNet``, ``GPT``-2) is kept. Protected words (acronyms, the
library's ``protected_terms``, the paper's own braced words) and math go in nocase spans, which no
style changes; the markup's own characters (``&`` ``<`` ``>``) are written as entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from litmap.formats.protect import ProtectedTerms

#: pandoc's chunks: runs of letters and digits, of spaces, of punctuation; any other character alone.
_CHUNK = re.compile(r"[^\W_]+|\s+|.", re.DOTALL)
_SENTENCE_END = frozenset(".?!:")
_WORD_BREAK = frozenset("-/\u2013\u2014")
_START, _WORD, _END, _AFTER_WORD = range(4)
#: ``langid``/``language`` values that are English (a title in another language keeps its case).
_ENGLISH = re.compile(r"(?i)(en|eng|english|american|british|canadian|australian|newzealand|usenglish|ukenglish)\b")


def csl_title(title: str, protected: ProtectedTerms, own: Iterable[str] = (), language: str | None = None) -> str:
    """``title`` (text as the library keeps it, LaTeX included) as a CSL title in sentence case."""
    from litmap.formats.latex_islands import dollars
    from litmap.formats.latex_text import latex_islands, readable

    pieces: list[tuple[str, bool]] = []
    own = tuple(own)
    islands = latex_islands(title) if "$" in title or "\\" in title else [(title, False)]
    for segment, is_latex in islands:
        if is_latex:
            pieces.append((readable(segment), True))
        else:
            pieces.extend(protected.split(dollars(segment), own))
    change_case = language is None or bool(_ENGLISH.match(language.strip()))
    cased = _sentence_case(pieces, change_case)
    return "".join(f'<span class="nocase">{text}</span>' if keep else text for text, keep in cased)


def _sentence_case(pieces: list[tuple[str, bool]], change_case: bool) -> list[tuple[str, bool]]:
    state = _START
    out: list[tuple[str, bool]] = []
    for text, keep in pieces:
        if keep or not change_case:
            out.append((text, keep))
            state = _next_state(state, text)
            continue
        words: list[str] = []
        for chunk in _CHUNK.findall(text):
            words.append(_cased(chunk, state) if chunk.isalnum() else chunk)
            state = _next_state(state, chunk)
        out.append(("".join(words), False))
    return out


def _cased(word: str, state: int) -> str:
    capitalised = word[0].isupper() and all(c.islower() for c in word[1:])
    if state == _START:
        if capitalised or all(c.islower() for c in word):
            return word[0].upper() + word[1:].lower()
        return word
    return word.lower() if capitalised else word


def _next_state(state: int, text: str) -> int:
    if not text:
        return state
    last = text[-1]
    if last in _SENTENCE_END:
        return _END
    if last.isalnum():
        return _WORD
    if last.isspace() and state == _END:
        return _START
    if last.isspace() or last in _WORD_BREAK:
        return _AFTER_WORD
    return state
