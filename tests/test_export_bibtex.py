"""`litmap export bibtex`: entry types, escaping, case protection, determinism, key selection.

Real bibtex/biber runs over these entries are in test_latex.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import BUNDLED
from litmap.formats.bibtex import BibtexOptions, entry_type, paper_to_bibtex, papers_to_bibtex
from litmap.formats.latex_escape import escape, verbatim
from litmap.formats.protect import ProtectedTerms, needs_protection
from litmap.models import Paper
from litmap.store import Library

#: Entries with every character LaTeX treats specially, accents, non-ASCII names, odd authors.
HOSTILE: list[dict[str, object]] = [
    {
        "key": "hostile2020costs",
        "type": "article",
        "title": "Costs & Benefits: 100% of $5 for #1 in a_b {set} ~tilde ^hat back\\ slash with ImageNet and LSTM",
        "authors": [
            "Gödel, Kurt",
            "Łukasiewicz, Jan",
            "Müller-Świątek, Zoë",
            "Brontë & Sons Ltd.",
            "van der Berg, Jan",
            "Straße, Ærøskøbing",
            "Johnson and Johnson",
        ],
        "year": 2020,
        "month": 3,
        "venue": "Journal of R&D {Ops} 50% _x_ #3",
        "volume": "3",
        "pages": "1–10",
        "doi": "10.1002/(SICI)1097-4636(199706)35:4<455::AID-JBM5>3.0.CO;2-X",
        "url": "https://example.org/a_b%20c?x=1&y=~2#frag",
        "extra": {"publisher": "Wiley & Sons", "address": "Kraków"},
        "abstract": "An abstract with $math$ & 50% {braces} ~ ^ \\ — “quotes” and ≥ → α 中文.",
    },
    {
        "key": "hostile2021unbalanced",
        "type": "inproceedings",
        "title": "A lone } brace, then a lone { brace: BERT-style GPT-2 for 2D Net2Vec",
        "authors": ["Çelik, Ayşe", "Øster, Søren", "Ñúñez, José", "de la Cruz, María"],
        "year": 2021,
        "venue": "Proceedings of the 1st Workshop on Costs & Benefits",
        "pages": "100--120",
        "extra": {"publisher": "ACL"},
        "arxiv": "2101.00001",
        "url": "https://arxiv.org/abs/2101.00001",
    },
    {
        "key": "hostile2022blog",
        "type": "misc",
        "title": "Naïve café résumé — “quoted” ‘single’ … and 100% {balanced} braces",
        "authors": ["O'Neil, Cathy", "Ångström, Åsa"],
        "year": 2022,
        "venue": "Blog post (example.org)",
        "url": "https://example.org/ünïcode path",
    },
    {
        "key": "hostile2019book",
        "type": "book",
        "title": "The Book of $ & % # _",
        "authors": ["Ørsted, Hans Christian"],
        "year": 2019,
        "venue": "Éditions Ça & Là",
        "extra": {"edition": "Second"},
    },
    {
        "key": "hostile2018report",
        "type": "techreport",
        "title": "A Report on ~ and ^",
        "authors": ["Šimůnek, Jiří"],
        "year": 2018,
        "venue": "Université de Montréal",
        "extra": {"number": "1341"},
    },
    {
        "key": "hostile2017thesis",
        "type": "phdthesis",
        "title": "On Ł and ß",
        "authors": ["Weiß, Jürgen"],
        "year": 2017,
        "venue": "Universität Zürich",
    },
    {
        "key": "hostile2016preprint",
        "type": "misc",
        "title": "An arXiv Preprint with an Old-Style Id",
        "authors": ["Witten, Edward"],
        "year": 1999,
        "venue": "arXiv preprint",
        "arxiv": "hep-th/9901001",
    },
]


def hostile_papers() -> list[Paper]:
    return [Paper(**fields) for fields in HOSTILE]  # type: ignore[arg-type]


def fields_of(entry: str) -> dict[str, str]:
    """``name = value`` lines of one exported entry (values as written)."""
    return dict(re.findall(r"^  (\w+) = (.*),$", entry, re.MULTILINE))


def braces_balance(text: str) -> bool:
    """BibTeX's own brace count: every brace counts, backslash or not."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# -- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R&D", r"R\&D"),
        ("50%", r"50\%"),
        ("$5", r"\$5"),
        ("#1", r"\#1"),
        ("a_b", r"a\_b"),
        ("{x}", r"\{x\}"),
        ("a { b", r"a {\textbraceleft} b"),
        ("a } b {", r"a {\textbraceright} b {\textbraceleft}"),
        ("~", r"{\textasciitilde}"),
        ("^", r"{\textasciicircum}"),
        ("a\\1b", r"a{\textbackslash}1b"),
        ("Gödel", "Gödel"),
    ],
)
def test_escape_writes_every_latex_special_so_it_prints_as_itself(text: str, expected: str) -> None:
    assert escape(text) == expected
    assert braces_balance(escape(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gödel", r"G{\"o}del"),
        ("Łukasiewicz", r"{\L}ukasiewicz"),
        ("Straße", r"Stra{\ss}e"),
        ("a — b", r"a {\textemdash} b"),
        ("Ω", r"{\ensuremath{\Omega}}"),
        ("中", "Zhong"),
    ],
)
def test_ascii_mode_latex_encodes_non_ascii(text: str, expected: str) -> None:
    assert escape(text, ascii_only=True) == expected
    assert escape(text, ascii_only=True).isascii()


def test_verbatim_fields_keep_url_characters_and_encode_only_what_breaks_bibtex() -> None:
    assert verbatim("https://ex.org/a_b%20c?x=1&y=~2#frag") == "https://ex.org/a_b%20c?x=1&y=~2#frag"
    assert verbatim("https://ex.org/ü {x}\\") == "https://ex.org/%C3%BC%20%7Bx%7D%5C"


# -- case protection ----------------------------------------------------------------------------


def protect(title: str, **settings: object) -> str:
    options = BibtexOptions(protected=ProtectedTerms.from_settings(settings))
    return fields_of(paper_to_bibtex(Paper(key="k", title=title), options))["title"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("What Does BERT Look at?", "{What Does {BERT} Look at?}"),
        ("How does GPT-2 compute greater-than?", "{How does {GPT}-2 compute greater-than?}"),
        ("Training on ImageNet with an LSTM", "{Training on {ImageNet} with an {LSTM}}"),
        ("Gaussian Error Linear Units (GELUs)", "{Gaussian Error Linear Units ({GELUs})}"),
        ("Net2Vec in 2D", "{{Net2Vec} in {2D}}"),
        ("Future Work I Am Excited About", "{Future Work {I} Am Excited About}"),
        ("Toy Models of Superposition", "{Toy Models of Superposition}"),
    ],
)
def test_acronyms_and_mixed_case_words_are_protected_never_the_whole_title(title: str, expected: str) -> None:
    assert protect(title) == expected


#: Characters where the word rules have edge cases: case, digits, "I", non-ASCII letters with and
#: without case, title-case digraphs, a combining accent, braces and LaTeX specials (no math or macros).
_TRICKY = st.text(alphabet=list("aAzZiI09 _-'.:{}&%#~^éÉßǅΣσ中²İıﬁ\u0301"), max_size=12)


@given(_TRICKY)
def test_protection_finds_the_words_checking_each_word_would(text: str) -> None:
    """Only the words that may need protection are looked at: the pieces are those of checking every word."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for word in re.finditer(r"[^\W_]+", text):
        if needs_protection(word.group(0)):
            pieces += [(text[position : word.start()], False), (word.group(0), True)]
            position = word.end()
    pieces.append((text[position:], False))
    assert ProtectedTerms()._split_words(text) == [piece for piece in pieces if piece[0]]


@given(_TRICKY)
def test_a_title_without_math_or_macros_is_what_escaping_all_of_it_gives(title: str) -> None:
    """Such a title skips the check that its braces pair up: escaped piece by piece it always gives what
    escaping all of it (the fallback when they do not pair) gives, balanced braces or not."""
    options = BibtexOptions(protected=ProtectedTerms(("Ab",)))
    paper = Paper(key="k", title=title.strip() or "x", protected=["{A}z"])
    pieces = options.protected.split(paper.title, tuple(paper.protected))
    whole = "".join(
        "{" + escape(p, keep_latex=False) + "}" if protect else escape(p, keep_latex=False) for p, protect in pieces
    )
    assert fields_of(paper_to_bibtex(paper, options))["title"] == "{" + whole + "}"


def test_protected_terms_from_the_library_are_braced_as_whole_words() -> None:
    settings = {"protected_terms": ["Python", "Othello", "Integrated Gradients"]}
    assert protect("A circuit for Python docstrings", **settings) == "{A circuit for {Python} docstrings}"
    assert protect("Othello-GPT and Pythonic code", **settings) == "{{Othello}-{GPT} and Pythonic code}"
    assert protect("On Integrated Gradients", **settings) == "{On {Integrated Gradients}}"


def test_automatic_protection_can_be_turned_off() -> None:
    assert protect("BERT and Python", protected_terms=["Python"], protect_acronyms=False) == "{BERT and {Python}}"


def test_bad_protected_terms_setting_is_one_clear_error(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    config = bundled_copy / "litmap.toml"
    text = re.sub(r"(?m)^protected_terms = .*$", 'protected_terms = "Python"', config.read_text())
    config.write_text(text, encoding="utf-8")
    result = invoke("export", "bibtex")
    assert result.exit_code == 1
    assert result.stderr == f'Error: {config}: [export] protected_terms must be a list of strings, e.g. ["Python"]\n'
    assert "Traceback" not in result.stderr


def test_bundled_library_protects_its_proper_nouns(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "heimersheim2023circuit", "nanda2023othellogpt")
    assert result.exit_code == 0, result.stderr
    assert "{Python} docstrings" in result.stdout
    assert "{Othello}-{GPT}" in result.stdout


# -- entry types and fields ---------------------------------------------------------------------


def test_entry_types_and_container_fields_of_the_bundled_library() -> None:
    library = Library(BUNDLED, read_only=True)
    text = papers_to_bibtex(library.papers(), BibtexOptions.from_settings(library.config.export))
    entries = {m.group(2): (m.group(1), m.group(0)) for m in re.finditer(r"@(\w+)\{([^,]+),\n(?:  .*\n)*\}", text)}
    assert set(entries) == set(library.keys())
    for paper in library.papers():
        kind, entry = entries[paper.key]
        fields = fields_of(entry)
        required = {
            "article": {"author", "title", "journal", "year"},
            "inproceedings": {"author", "title", "booktitle", "year"},
            "book": {"author", "title", "publisher", "year"},
            "techreport": {"author", "title", "institution", "year"},
            "misc": {"title", "howpublished", "url"},
        }[kind]
        assert required <= set(fields), (paper.key, kind, sorted(fields))
        if paper.arxiv:
            assert fields["eprint"] == "{" + paper.arxiv + "}"
            assert fields["archivePrefix"] == "{arXiv}"
        assert fields["author"].count(" and ") == len(paper.authors) - 1
        assert "note" not in fields  # the library's note is a curator's note, not a bibliographic one
        assert braces_balance(entry)
    assert entries["meng2022locating"][0] == "inproceedings"
    assert fields_of(entries["meng2022locating"][1])["booktitle"].startswith("{Advances in Neural")
    assert entries["belinkov2021probing"][0] == "article"
    assert fields_of(entries["belinkov2021probing"][1])["journal"] == "{Computational Linguistics}"
    # Distill and the Transformer Circuits Thread are journals (volume, issue, DOI); blogs are @misc.
    for web_article in ("elhage2022toy", "olah2020zoom"):
        assert entries[web_article][0] == "article", web_article
    for post in ("nanda2023attribution", "mordvintsev2015inceptionism"):
        assert entries[post][0] == "misc", post
    assert fields_of(entries["olah2020zoom"][1])["doi"] == "{10.23915/distill.00024.001}"


def test_an_article_entry_in_full() -> None:
    paper = Paper(
        key="quianquiroga2005invariant",
        type="article",
        title="Invariant visual representation by single neurons in the human brain",
        authors=["Quian Quiroga, R.", "Reddy, L.", "Kreiman, G.", "Koch, C.", "Fried, I."],
        year=2005,
        month=6,
        venue="Nature",
        volume="435",
        pages="1102-1107",
        doi="10.1038/nature03687",
        url="https://www.nature.com/articles/nature03687",
        extra={"number": "7045"},
        note="not exported",
    )
    assert paper_to_bibtex(paper) == (
        "@article{quianquiroga2005invariant,\n"
        "  author = {Quian Quiroga, R. and Reddy, L. and Kreiman, G. and Koch, C. and Fried, I.},\n"
        "  title = {Invariant visual representation by single neurons in the human brain},\n"
        "  journal = {Nature},\n"
        "  year = {2005},\n"
        "  month = jun,\n"
        "  volume = {435},\n"
        "  number = {7045},\n"
        "  pages = {1102--1107},\n"
        "  doi = {10.1038/nature03687},\n"
        "  url = {https://www.nature.com/articles/nature03687},\n"
        "}\n"
    )


def test_hostile_entries_escape_specials_and_keep_utf8_or_encode_ascii() -> None:
    papers = hostile_papers()
    utf8 = papers_to_bibtex(papers)
    ascii_text = papers_to_bibtex(papers, BibtexOptions(ascii_only=True))
    assert ascii_text.isascii()
    assert "Gödel, Kurt" in utf8 and r"G{\"o}del, Kurt" in ascii_text
    first = fields_of(paper_to_bibtex(papers[0]))
    assert first["title"] == (
        r"{Costs \& Benefits: 100\% of \$5 for \#1 in a\_b \{set\} {\textasciitilde}tilde "
        r"{\textasciicircum}hat back{\textbackslash} slash with {ImageNet} and {LSTM}}"
    )
    assert first["author"].endswith(
        r"{Brontë \& Sons Ltd.} and van der Berg, Jan and Straße, Ærøskøbing and {Johnson and Johnson}}"
    )
    assert first["pages"] == "{1--10}"
    assert first["doi"] == "{10.1002/(SICI)1097-4636(199706)35:4<455::AID-JBM5>3.0.CO;2-X}"
    assert first["url"] == "{https://example.org/a_b%20c?x=1&y=~2#frag}"
    second = fields_of(paper_to_bibtex(papers[1]))
    assert second["title"].startswith(
        r"{A lone {\textbraceright} brace, then a lone {\textbraceleft} brace: {BERT}-style"
    )
    third = fields_of(paper_to_bibtex(papers[2]))
    assert third["url"] == "{https://example.org/%C3%BCn%C3%AFcode%20path}"
    assert fields_of(paper_to_bibtex(papers[-1]))["primaryClass"] == "{hep-th}"
    for text in (utf8, ascii_text):
        for entry in text.split("\n\n"):
            assert braces_balance(entry), entry


def test_abstracts_only_on_request() -> None:
    paper = hostile_papers()[0]
    assert "abstract" not in fields_of(paper_to_bibtex(paper))
    abstract = fields_of(paper_to_bibtex(paper, BibtexOptions(abstracts=True)))["abstract"]
    assert abstract.startswith(r"{An abstract with $math$ \& 50\% \{braces\}")  # math as typed


def test_entry_types_are_kept_as_recorded() -> None:
    # An entry keeps its type even without its container: a missing journal is what the original said.
    assert entry_type(Paper(key="a", title="T", type="article", authors=["A, B"])) == ("article", "journal")
    assert entry_type(Paper(key="a", title="T", type="online", venue="Site")) == ("online", "howpublished")
    assert entry_type(Paper(key="a", title="T", type="report", venue="MIT")) == ("report", "institution")
    assert entry_type(Paper(key="a", title="T", type="phdthesis", venue="MIT")) == ("phdthesis", "school")


# -- the command ----------------------------------------------------------------------------------


def test_same_library_same_bytes(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = invoke("--library", str(BUNDLED), "export", "bibtex", "-o", str(tmp_path / "a.bib"))
    second = invoke("--library", str(BUNDLED), "export", "bibtex")
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "a.bib").read_text(encoding="utf-8") == second.stdout
    count = len(Library(BUNDLED).keys())
    assert f"Wrote {count} entries" in first.stderr
    assert second.stdout.count("\n@") + 1 == count


def test_keys_category_and_tag_select_papers(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    keys = invoke("export", "bibtex", "olah2020zoom", "elhage2022toy")
    assert re.findall(r"^@\w+\{(.*),$", keys.stdout, re.MULTILINE) == ["elhage2022toy", "olah2020zoom"]
    category = invoke("export", "bibtex", "--category", "superposition")
    library = Library(bundled_copy)
    expected = sorted(p.key for p in library.papers() if "superposition" in p.categories)
    assert re.findall(r"^@\w+\{(.*),$", category.stdout, re.MULTILINE) == expected
    assert "meng2022locating" not in expected
    assert invoke("tag", "elhage2022toy", "meng2022locating", "+draft").exit_code == 0
    tagged = invoke("export", "bibtex", "--tag", "draft", "--category", "superposition")
    assert re.findall(r"^@\w+\{(.*),$", tagged.stdout, re.MULTILINE) == ["elhage2022toy"]
    unknown = invoke("export", "bibtex", "--category", "superpositon")
    assert unknown.exit_code == 1
    assert "did you mean 'superposition'" in unknown.stderr


def test_keys_from_stdin(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "--library", str(BUNDLED), "export", "bibtex", "-", input="elhage2022toy\nolah2020zoom, power2022grokking\n"
    )
    assert result.exit_code == 0, result.stderr
    assert re.findall(r"^@\w+\{(.*),$", result.stdout, re.MULTILINE) == [
        "elhage2022toy",
        "olah2020zoom",
        "power2022grokking",
    ]
    empty = invoke("--library", str(BUNDLED), "export", "bibtex", "-", input="")
    assert empty.exit_code == 1
    assert "no keys on standard input" in empty.stderr


def test_missing_keys_get_did_you_mean_and_exit_1_unless_allowed(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "refs.bib"
    result = invoke("--library", str(BUNDLED), "export", "bibtex", "elhage2022toy", "olah2020zom", "-o", str(out))
    assert result.exit_code == 1
    assert "no paper with key 'olah2020zom'; did you mean 'olah2020zoom'?" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: 1 key is not in the library")
    assert re.findall(r"^@\w+\{(.*),$", out.read_text(), re.MULTILINE) == ["elhage2022toy"]
    allowed = invoke("--library", str(BUNDLED), "export", "bibtex", "elhage2022toy", "olah2020zom", "--allow-missing")
    assert allowed.exit_code == 0
    assert "did you mean 'olah2020zoom'" in allowed.stderr
    assert "@article{elhage2022toy," in allowed.stdout


def test_an_alias_left_by_a_merge_exports_under_the_key_asked_for(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    library = Library(bundled_copy)
    paper = library.get("elhage2022toy")
    library.save_paper(paper.model_copy(update={"aliases": ["elhage2022superposition"]}))
    result = invoke("export", "bibtex", "elhage2022superposition")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("@article{elhage2022superposition,\n")
    assert "Toy Models of Superposition" in result.stdout
    both = invoke("export", "bibtex", "elhage2022superposition", "elhage2022toy")
    assert both.exit_code == 0
    assert both.stdout.count("@article{") == 1
    assert "are the same paper" in both.stderr


def test_export_from_the_installed_entry_point(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("litmap")
    result = subprocess.run(
        [str(exe), "--library", str(BUNDLED), "export", "bibtex", "-"],
        input="meng2022locating\n",
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("@inproceedings{meng2022locating,\n")
    assert "title = {Locating and Editing Factual Associations in {GPT}}," in result.stdout


def test_query_selects_what_litmap_search_finds(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    searched = invoke("search", "grokking", "--keys")
    assert searched.exit_code == 0, searched.stderr
    piped = invoke("export", "bibtex", "-", input=searched.stdout)
    queried = invoke("export", "bibtex", "--query", "grokking")
    assert queried.exit_code == piped.exit_code == 0
    assert queried.stdout == piped.stdout
    assert re.findall(r"^@\w+\{(.*),$", queried.stdout, re.MULTILINE) == sorted(searched.stdout.split())
    narrowed = invoke("export", "bibtex", "--query", "author:olah", "--category", "visualization")
    keys = re.findall(r"^@\w+\{(.*),$", narrowed.stdout, re.MULTILINE)
    library = Library(bundled_copy)
    assert keys and all(
        any(a.family == "Olah" for a in library.get(k).authors) and "visualization" in library.get(k).categories
        for k in keys
    )
    bad = invoke("export", "bibtex", "--query", "author:")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: ") and "author:" in bad.stderr


def test_output_to_a_folder_or_a_missing_folder_is_one_clear_line(invoke, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import BUNDLED

    folder = invoke("--library", str(BUNDLED), "export", "bibtex", "elhage2022toy", "-o", str(tmp_path))
    assert folder.exit_code == 1
    assert folder.stderr == f"Error: {tmp_path}: is a folder; give a file name, e.g. {tmp_path / 'refs.bib'}\n"
    missing = invoke(
        "--library", str(BUNDLED), "export", "bibtex", "elhage2022toy", "-o", str(tmp_path / "no" / "x.bib")
    )
    assert missing.exit_code == 1
    assert missing.stderr == f"Error: {tmp_path / 'no'}: no such folder\n"
    assert not (tmp_path / "no").exists()


def test_a_character_without_a_latex_form_pdflatex_takes_is_named_with_a_hint(  # type: ignore[no-untyped-def]
    invoke, make_paper_file, empty_library: Path
) -> None:
    make_paper_file(empty_library, "li2020", title="Zhongwen 中文 and Fis\u0306er")
    result = invoke("export", "bibtex")
    assert result.exit_code == 0
    assert "Fis\u0306er" not in result.stdout and "Fi{\\u{s}}er" in result.stdout
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    assert "2 character(s)" in line and "中 (U+4E2D)" in line and "--ascii" in line
    ascii_export = invoke("export", "bibtex", "--ascii")
    assert ascii_export.stdout.isascii() and "Warning" not in ascii_export.stderr
