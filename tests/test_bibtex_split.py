"""The fast splitter gives the blocks bibtexparser's splitter gives, on well-formed and broken .bib text."""

from __future__ import annotations

import logging
import random
from typing import Any

import bibtexparser
import pytest
from bibtexparser import model

from litmap.formats import bibtex_split
from litmap.formats.bibtex_split import split_bibtex

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def _described(block: Any) -> Any:
    """What litmap reads of a block (field lines and the raw text of entries left out)."""
    if block is None:
        return None
    name = type(block).__name__
    if isinstance(block, model.Entry):
        return (name, block.start_line, block.entry_type, block.key, [(f.key, f.value) for f in block.fields])
    if isinstance(block, model.String):
        return (name, block.start_line, block.key, block.value, block.raw)
    if isinstance(block, model.DuplicateFieldKeyBlock):
        return (name, block.start_line, sorted(block.duplicate_keys), _described(block.ignore_error_block))
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return (name, block.start_line, block.key, _described(block.ignore_error_block))
    if isinstance(block, model.ParsingFailedBlock):
        return (name, block.start_line, block.raw, str(block.error), getattr(block.error, "abort_reason", None))
    return (name, block.start_line, block.raw)


def _stray(block: Any) -> bool:
    return isinstance(block, model.ParsingFailedBlock) and isinstance(block.error, bibtex_split.StrayLine)


def _blocks(library: Any) -> list[Any]:
    """The blocks, less implicit comments and the stray "@" lines split_bibtex adds (tested apart)."""
    return [_described(b) for b in library.blocks if not isinstance(b, model.ImplicitComment) and not _stray(b)]


def _same_as_bibtexparser(text: str) -> None:
    expected = bibtexparser.parse_string(text, parse_stack=[])
    got = split_bibtex(text)
    assert _blocks(got) == _blocks(expected)
    assert [_described(b) for b in got.entries] == [_described(b) for b in expected.entries]
    assert [_described(b) for b in got.failed_blocks if not _stray(b)] == [
        _described(b) for b in expected.failed_blocks
    ]
    assert [_described(b) for b in got.strings] == [_described(b) for b in expected.strings]


CASES = {
    "plain": '@article{a, title = {A {B} {{C}} d}, year = 2020, note = "x, {y}"}\n',
    "trailing comma, odd spacing": "@Article { a ,\n  title={T},\n\n  year = {1}  ,\n}\n",
    "three deep braces": "@misc{a, title = {a {b {c {d}}}}, year = 1}\n",
    "escaped braces and quotes": '@misc{a, title = {x \\{ y}}, note = "a \\" b", x = {\\"o}}\n@misc{b, t = {T}}\n',
    "quote inside quotes": '@misc{a, title = "Say {"}hi{"}", y = 1}\n',
    "at sign in a value": "@misc{a, email = {x@y.org}, note = {LeQua @ {CLEF}}}\n",
    "at a line start in a value": "@misc{a, title = {Open\n@article{b, title = {B}}\n",
    "unclosed quote": '@misc{a, title = "Open,\n  year = 2000}\n@misc{b, title = {B}}\n',
    "missing comma after key": "@misc{a title = {T}}\n@misc{b, title = {B}}\n",
    "dangling key": "@misc{a, title = {T}, year}\n@misc{b, t = {x}}\n",
    "missing equals": "@misc{a, title {T}}\n@misc{b, t = {x}}\n",
    "duplicate field": "@misc{a, title = {T}, Title = {U}, title = {V}}\n",
    "duplicate key": "@misc{a, title = {T}}\n@misc{a, title = {U}}\n",
    "no fields": "@misc{a}\n@misc{b,}\n",
    "strings and comments": (
        '@string{x = "X"}\n@STRING{x = {Y}}\n@comment{a {b} c}\n@preamble{"p"}\n@misc{a, t = x # {1}}\n'
    ),
    "parentheses": "@misc(a, title = {T (1)}, y = 2)\n@misc{b, t = {x}}\n",
    "escaped line breaks": "@misc{a, t = {x\\\ny}}\n\n\n@misc{b, t = {x}}\n",
    "end of file": "@misc{a, title = {T}, year = 2",
    "text between": 'junk @ here\n{ } " =\n@misc{a, t = {x}}trailing',
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_blocks_as_bibtexparser_splits_them(text: str) -> None:
    _same_as_bibtexparser(text)


def test_random_breakage_splits_the_same() -> None:
    rng = random.Random(13)
    base = "".join(CASES.values())
    pieces = ["{", "}", '"', ",", "=", "@", "\n", "\\", "(", ")", "@misc{", "\n@book(", '{"}', "#", " ", "x"]
    for _ in range(400):
        text = list(base)
        for _ in range(rng.randrange(1, 6)):
            text.insert(rng.randrange(len(text) + 1), rng.choice(pieces))
        _same_as_bibtexparser("".join(text))


def test_well_formed_entries_do_not_go_through_bibtexparser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise AssertionError("read by bibtexparser")

    monkeypatch.setattr(bibtex_split, "_by_bibtexparser", refused)
    text = CASES["plain"] + CASES["three deep braces"].replace("{a,", "{b,")
    library = split_bibtex(text + '@misc{c, title = "Say {"}hi{"}", y = 1}\n')
    assert [(e.key, [f.key for f in e.fields]) for e in library.entries] == [
        ("a", ["title", "year", "note"]),
        ("b", ["title", "year"]),
        ("c", ["title", "y"]),
    ]


def test_lines_starting_with_at_between_blocks_are_stray_blocks() -> None:
    text = '@ first\n@misc{a, t = {x}}\n  @ stray\nwords @ inside\n@Comment bare\n@string{s = "S"} @ same line\n@end'
    library = split_bibtex(text)
    assert [(b.start_line, b.raw) for b in library.failed_blocks if _stray(b)] == [
        (0, "@ first"),
        (2, "@ stray"),
        (6, "@end"),
    ]
    assert [e.key for e in library.entries] == ["a"]
