"""Case protection for titles: the words a bibliography style must not lower-case.

Styles such as ``plain`` print titles in sentence case, lower-casing every letter BibTeX is not told
to keep: ``{BERT}`` keeps its capitals, ``BERT`` becomes "Bert". litmap protects word by word, never
a whole title: the terms a library lists in ``litmap.toml`` (``[export] protected_terms``, for proper
nouns such as "Python"), and, unless ``protect_acronyms = false``, every word with a capital after
its first character (acronyms and mixed case: ``GPT``, ``ImageNet``, ``GELUs``, ``2D``) and the
pronoun "I".

A paper may also bring its own braced words (``Paper.protected``: ``{Python}``, ``{A}rabic``, as an
imported entry had them); they are written exactly so, wherever their unbraced text occurs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from litmap.errors import InvalidValue

#: The words :func:`needs_protection` may accept: "I", or a word with something after its first
#: character that is neither an ASCII lower-case letter nor a digit (a word it does not match cannot
#: need protection, so only these are checked one by one).
_CANDIDATE = re.compile(r"(?<![^\W_])(?:[^\W_](?=[^\W_]*?[^\W\d_a-z])[^\W_]*|I(?![^\W_]))")


@dataclass(frozen=True)
class ProtectedTerms:
    """The library's protected terms (case-sensitive, matched as whole words) and the automatic rule."""

    terms: tuple[str, ...] = ()
    acronyms: bool = True

    @classmethod
    def from_settings(cls, export: Mapping[str, Any], where: str = "litmap.toml") -> ProtectedTerms:
        """Read ``protected_terms`` and ``protect_acronyms`` from a library's ``[export]`` table."""
        terms = export.get("protected_terms", [])
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise InvalidValue(f'{where}: [export] protected_terms must be a list of strings, e.g. ["Python"]')
        acronyms = export.get("protect_acronyms", True)
        if not isinstance(acronyms, bool):
            raise InvalidValue(f"{where}: [export] protect_acronyms must be true or false")
        cleaned = sorted({" ".join(t.split()) for t in terms} - {""}, key=lambda t: (-len(t), t))
        return cls(tuple(cleaned), acronyms)

    def split(self, text: str, own: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
        """``text`` cut into pieces, each flagged True when it must keep its case.

        ``own`` are a paper's braced forms (``{A}rabic``): their unbraced text is cut as they brace it.
        """
        if not own and not self.terms:  # the common case: acronyms only, never two unprotected pieces in a row
            return self._split_words(text)
        forms = {plain_form(form): form for form in own if plain_form(form)}
        terms = _longest_first(self.terms + tuple(forms))
        pieces: list[tuple[str, bool]] = []
        position = 0
        for match in _compile_terms(terms).finditer(text) if terms else ():
            pieces.extend(self._split_words(text[position : match.start()]))
            form = forms.get(match.group(0)) or forms.get(" ".join(match.group(0).split()))
            pieces.extend(form_pieces(form) if form else [(match.group(0), True)])
            position = match.end()
        pieces.extend(self._split_words(text[position:]))
        return _merged(pieces)

    def braced_words(self, text: str) -> str | None:
        """``text`` with the words that must keep their case in braces, when only the automatic rule
        applies (the library lists no terms): what joining :meth:`split`'s pieces gives; else None."""
        if self.terms:
            return None
        return _CANDIDATE.sub(_braced_if_needed, text) if self.acronyms else text

    def _split_words(self, text: str) -> list[tuple[str, bool]]:
        if not self.acronyms:
            return [(text, False)] if text else []
        pieces: list[tuple[str, bool]] = []
        position = 0
        for match in _CANDIDATE.finditer(text):
            word = match.group(0)
            if needs_protection(word):
                start = match.start()
                if start > position:
                    pieces.append((text[position:start], False))
                pieces.append((word, True))
                position = match.end()
        if position < len(text):
            pieces.append((text[position:], False))
        return pieces


def plain_form(form: str) -> str:
    """A braced form's text: ``{A}rabic`` -> ``Arabic``."""
    return " ".join(form.replace("{", "").replace("}", "").split())


def form_pieces(form: str) -> list[tuple[str, bool]]:
    """A braced form cut at its braces: ``{A}rabic`` -> ``[("A", True), ("rabic", False)]``."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(re.split(r"[{}]", form)) if piece]


def braced_form(pieces: list[tuple[str, bool]]) -> str:
    """The inverse of :func:`form_pieces`."""
    return "".join("{" + piece + "}" if flag else piece for piece, flag in pieces)


def _braced_if_needed(match: re.Match[str]) -> str:
    word = match.group(0)
    return "{" + word + "}" if needs_protection(word) else word


def needs_protection(word: str) -> bool:
    """Whether a word loses meaning in lower case: a capital after its first character, or "I"."""
    rest = word[1:]
    if rest.islower():  # the common case, decided in C: cased letters, none of them upper case
        return False
    return word == "I" or any(c.isupper() for c in rest)


@lru_cache(maxsize=1024)
def _longest_first(terms: tuple[str, ...]) -> tuple[str, ...]:
    """``terms`` without repeats, longest first (then alphabetically): the order the pattern tries them."""
    return tuple(sorted(set(terms), key=lambda t: (-len(t), t)))


@lru_cache(maxsize=1024)
def _compile_terms(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _merged(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Adjacent unprotected pieces joined into one."""
    out: list[tuple[str, bool]] = []
    for text, flag in pieces:
        if out and out[-1][1] == flag and not flag:
            out[-1] = (out[-1][0] + text, flag)
        else:
            out.append((text, flag))
    return out
