"""Synthetic .bib files in the styles real tools export, with hostile cases and their ground truth.

    python benchmarks/synth_bib.py --fixture            # tests/fixtures/zotero-library.bib (+ .expected.json)
    python benchmarks/synth_bib.py -n 10000 -o big.bib  # a benchmark input

Entries rotate through the shapes Zotero (BibTeX and Better BibTeX/biblatex), JabRef and Mendeley
write, plus hand-written ones: ``@string`` macros and ``#`` concatenation, month macros, ``crossref``
to ``@proceedings`` parents, ``@comment``/``@preamble``/``%`` lines, LaTeX accents in names and
titles, organisations, particles and suffixes, unknown fields, and duplicates (same DOI in another
case or form, the same arXiv id written four ways, the same title in other braces, a repeated key, a
paper the test library already holds) and malformed entries. Deterministic for a given seed.

The ground truth (``--fixture``) lists every entry: its line, key, the outcome an import must give
(added / present / failed), the entry it duplicates, and the values the paper must end up with.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "zotero-library.bib"

WORDS = (
    "sparse dictionary features circuits attention heads induction transformer residual stream neurons "
    "polysemantic superposition probing linear representations causal tracing activation patching "
    "attribution saliency gradients integrated concept vectors interpretable models mechanistic analysis "
    "language vision autoencoders steering editing memory retrieval factual knowledge localization "
    "ablation pruning lottery tickets grokking phase transitions scaling laws emergent abilities reward "
    "models preference learning adversarial robustness spurious correlations shortcut generalization "
    "compositional syntax semantics tokens embeddings geometry manifolds clustering curvature dynamics "
    "training stability optimization loss landscapes modular arithmetic algorithms automata planning "
    "reasoning chains thought faithfulness explanations counterfactual evaluation benchmarks datasets"
).split()
#: (family as written in the .bib, given as written, family in Unicode, given in Unicode)
NAMES = [
    ('M{\\"u}ller', 'J{\\"o}rg', "Müller", "Jörg"),
    ('G\\"{o}del', "Kurt", "Gödel", "Kurt"),
    ("Dvo{\\v{r}}{\\'a}k", "Anton{\\'\\i}n", "Dvořák", "Antonín"),
    ("{\\L}ukasiewicz", "Jan", "Łukasiewicz", "Jan"),
    ('{\\AA}ngstr{\\"o}m', "Anders", "Ångström", "Anders"),
    ("N{\\'u}{\\~n}ez", "Mar{\\'\\i}a", "Núñez", "María"),
    ("{\\c{C}}elik", "Ay{\\c{s}}e", "Çelik", "Ayşe"),
    ("Stra{\\ss}e", 'G{\\"u}nther', "Straße", "Günther"),
    ("\\v{S}imon", "Kry{\\v{s}}tof", "Šimon", "Kryštof"),
    ("Br{\\o}nsted", "S{\\o}ren", "Brønsted", "Søren"),
    ("Olah", "Chris", "Olah", "Chris"),
    ("Elhage", "Nelson", "Elhage", "Nelson"),
    ("Nanda", "Neel", "Nanda", "Neel"),
    ("Bau", "David", "Bau", "David"),
    ("Belinkov", "Yonatan", "Belinkov", "Yonatan"),
    ("Geiger", "Atticus", "Geiger", "Atticus"),
    ("Conmy", "Arthur", "Conmy", "Arthur"),
    ("Wang", "Kevin", "Wang", "Kevin"),
    ("Li", "Kenneth", "Li", "Kenneth"),
    ("Meng", "Kevin", "Meng", "Kevin"),
    ("Kim", "Been", "Kim", "Been"),
    ("Sundararajan", "Mukund", "Sundararajan", "Mukund"),
    ("Zhang", "Wei", "Zhang", "Wei"),
    ("Chen", "Carol", "Chen", "Carol"),
    ("Smith", "Jane Q.", "Smith", "Jane Q."),
    ("Garc{\\'\\i}a", "Luc{\\'\\i}a", "García", "Lucía"),
    ("Hern{\\'a}ndez", "Jos{\\'e}", "Hernández", "José"),
    ("Fran{\\c{c}}ois", "Val{\\'e}rie", "François", "Valérie"),
    ("{\\O}stergaard", "Mette", "Østergaard", "Mette"),
    ('Sch{\\"o}lkopf', "Bernhard", "Schölkopf", "Bernhard"),
]
SYLLABLES = (
    "ka lo mi ne ru sa ti vo ze an el in or us ar en ion tra pro con ver sta gen lex morph graph "
    "phon tic ment ral ive ous ity ing ed al ics ber ton mar vel dis cor fin lat nor"
).split()
COMMON_SURNAMES = "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Kim Lee Park Nguyen Singh Kumar Patel".split()
#: (macro, value): venues written as @string macros.
MACROS = [
    ("nips", "Advances in Neural Information Processing Systems"),
    ("icml", "Proceedings of the International Conference on Machine Learning"),
    ("iclr", "International Conference on Learning Representations"),
    ("jmlr", "Journal of Machine Learning Research"),
    ("tacl", "Transactions of the Association for Computational Linguistics"),
]
JOURNALS = ["Distill", "Nature Machine Intelligence", "Transformer Circuits Thread", "Neural Computation"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
STYLES = ("zotero", "bbt", "jabref", "mendeley", "hand")


@dataclass
class Spec:
    """One entry to write and what an import must make of it."""

    key: str
    type: str
    fields: list[tuple[str, str]]
    expect: dict[str, Any]
    style: str = "zotero"
    raw: str | None = None  # written verbatim instead of ``fields`` (malformed entries)
    status: str = "added"
    duplicate_of: str | None = None
    reason: str | None = None
    generated: bool = False  # made by Generator.article (the kind duplicates are made of)


@dataclass
class Generator:
    """Builds specs; every random choice comes from one seeded Random."""

    seed: int = 4
    rng: random.Random = field(init=False)
    counter: int = 0
    used_titles: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        # A real library's vocabulary and author list are large and Zipf-distributed: a few words and
        # names are everywhere, most are rare. Pseudo-words and pseudo-names stand in for them.
        self.vocabulary = sorted({self._pseudo_word(2, 4) for _ in range(6000)})
        self.rng.shuffle(self.vocabulary)
        self.word_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(self.vocabulary))]
        invented = sorted({self._pseudo_word(2, 3).capitalize() for _ in range(2500)})
        givens = sorted({self._pseudo_word(2, 3).capitalize() for _ in range(400)})
        self.people = list(NAMES) + [
            (f, g, f, g) for f, g in zip(invented, self.rng.choices(givens, k=len(invented)), strict=True)
        ]
        self.people += [(f, g, f, g) for f in COMMON_SURNAMES for g in self.rng.sample(givens, 8)]
        self.people_weights = [3.0] * len(NAMES) + [1.0] * len(invented) + [2.0] * (8 * len(COMMON_SURNAMES))

    def _pseudo_word(self, low: int, high: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(low, high)))

    # -- pieces ------------------------------------------------------------------------------------

    def title(self) -> tuple[str, str]:
        """A new title: (as written in the .bib, as Unicode)."""
        while True:
            common = self.rng.sample(WORDS, self.rng.randint(2, 4))
            rare = self.rng.choices(self.vocabulary, weights=self.word_weights, k=self.rng.randint(2, 5))
            words = common + rare
            self.rng.shuffle(words)
            plain = " ".join(words).capitalize()
            if plain not in self.used_titles:
                self.used_titles.add(plain)
                break
        written_words, plain_words = [], []
        for index, word in enumerate(plain.split(" ")):
            roll = self.rng.random()
            if index > 0 and roll < 0.08:
                written_words.append("{" + word.upper() + "}")  # a protected acronym
                plain_words.append(word.upper())
            elif index > 0 and roll < 0.12:
                written_words.append("{" + word.capitalize() + "}")  # BBT case protection
                plain_words.append(word.capitalize())
            else:
                written_words.append(word)
                plain_words.append(word)
        written, unicode = " ".join(written_words), " ".join(plain_words)
        extra = self.rng.random()
        if extra < 0.06:
            written += ' and Na\\"{\\i}ve {B}ayes'
            unicode += " and Naïve Bayes"
        elif extra < 0.10:
            written += ": Theory \\& Practice"
            unicode += ": Theory & Practice"
        elif extra < 0.13:
            written += " with $k$-Sparse Codes"
            unicode += " with $k$-Sparse Codes"
        elif extra < 0.16:
            written += " in 1990--2020"
            unicode += " in 1990–2020"
        return written, unicode

    def authors(self) -> tuple[str, list[str]]:
        """An author field and the expected "Family, Given" list."""
        people = [self.rng.choices(self.people, weights=self.people_weights)[0] for _ in range(self.rng.randint(1, 5))]
        people = list(dict.fromkeys(people))
        written, expected = [], []
        for family_tex, given_tex, family, given in people:
            if self.rng.random() < 0.3:
                written.append(f"{given_tex} {family_tex}")
            else:
                written.append(f"{family_tex}, {given_tex}")
            expected.append(f"{family}, {given}")
        return " and ".join(written), expected

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    # -- entries -----------------------------------------------------------------------------------

    def article(self, style: str | None = None) -> Spec:
        """A well-formed entry in one of the tools' styles."""
        style = style or self.rng.choice(STYLES)
        n = self.next_id()
        title_tex, title = self.title()
        author_tex, authors = self.authors()
        year = self.rng.randint(1995, 2025)
        first = authors[0].split(",")[0]
        key = {
            "zotero": f"{first.lower()}_{title.split()[0].lower()}_{year}",
            "bbt": f"{first.lower()}{year}{title.split()[0].capitalize()}",
            "jabref": f"{first}{year}",
            "mendeley": f"{first}{year}",
            "hand": f"{first.lower()}{year}x{n}",
        }[style]
        key = "".join(ch for ch in key if ch.isascii() and (ch.isalnum() or ch in "_-:")) + f"_{n}"
        doi = f"10.{5000 + n % 400}/synth.{year}.{n:05d}"
        arxiv = f"{year % 100 if year >= 2007 else 7:02d}{self.rng.randint(1, 12):02d}.{10000 + n:05d}"
        expect: dict[str, Any] = {"title": title, "authors": authors, "year": year}
        fields: list[tuple[str, str]] = [("title", "{" + title_tex + "}"), ("author", "{" + author_tex + "}")]
        kind = self.rng.random()
        if style == "bbt":
            fields.append(("date", "{" + f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}" + "}"))
            if kind < 0.5:
                fields += [("eprint", "{" + arxiv + "}"), ("eprinttype", "{arxiv}"), ("eprintclass", "{cs.LG}")]
                fields.append(("journaltitle", "{arXiv}"))
                expect |= {"arxiv": arxiv, "venue": "arXiv", "extra": {"eprintclass": "cs.LG"}}
            else:
                venue = self.rng.choice(JOURNALS)
                fields += [("journaltitle", "{" + venue + "}"), ("doi", "{" + doi + "}")]
                expect |= {"doi": doi, "venue": venue}
            fields += [("langid", "{english}"), ("urldate", "{2024-03-0" + str(self.rng.randint(1, 9)) + "}")]
            fields.append(("file", "{/home/ana/Zotero/storage/" + f"K{n:06d}" + "/paper_v2.pdf}"))
            expect.setdefault("extra", {})["langid"] = "english"
            expect["extra"]["file"] = f"/home/ana/Zotero/storage/K{n:06d}/paper_v2.pdf"
        elif style == "mendeley":
            fields += [("year", "{" + str(year) + "}"), ("archivePrefix", "{arXiv}"), ("arxivId", "{" + arxiv + "}")]
            fields += [("eprint", "{" + arxiv + "}"), ("url", "{http://arxiv.org/abs/" + arxiv + "}")]
            fields += [("mendeley-groups", "{Interpretability/Core}"), ("file", "{:home/ana/Mendeley/x.pdf:pdf}")]
            expect |= {"arxiv": arxiv, "url": f"http://arxiv.org/abs/{arxiv}"}
            expect["extra"] = {"mendeley-groups": "Interpretability/Core"}
        else:
            fields.append(("year", str(year) if style == "hand" else "{" + str(year) + "}"))
            if kind < 0.4:
                macro, venue = self.rng.choice(MACROS)
                fields.append(("booktitle" if macro != "jmlr" else "journal", macro))
                expect["venue"] = venue
            else:
                venue = self.rng.choice(JOURNALS)
                fields.append(("journal", "{" + venue + "}"))
                expect["venue"] = venue
            month = self.rng.randrange(12)
            fields.append(("month", MONTHS[month]))
            expect["month"] = month + 1
            fields += [("volume", "{" + str(self.rng.randint(1, 40)) + "}")]
            first_page = self.rng.randint(1, 900)
            fields.append(("pages", "{" + f"{first_page}--{first_page + self.rng.randint(5, 30)}" + "}"))
            expect["pages_start"] = f"{first_page}--"
            if kind < 0.7:
                fields.append(("doi", "{" + doi + "}"))
                expect["doi"] = doi
            if style == "zotero":
                fields += [
                    ("urldate", "{2023-11-20}"),
                    ("language", "{en}"),
                    ("keywords", "{interpretability, probing}"),
                ]
                fields.append(("copyright", "{All rights reserved}"))
                expect["extra"] = {"keywords": "interpretability, probing", "copyright": "All rights reserved"}
            elif style == "jabref":
                fields += [("owner", "{ana}"), ("timestamp", "{2021.05.04}"), ("number", "{3}")]
                expect["extra"] = {"owner": "ana", "timestamp": "2021.05.04", "number": "3"}
        if self.rng.random() < 0.3:
            abstract = "We study " + " ".join(self.rng.sample(WORDS, 12)) + ". Results improve by 5\\% overall."
            fields.append(("abstract", "{" + abstract + "}"))
            expect["abstract_end"] = "improve by 5% overall."
        entry_type = "inproceedings" if any(name == "booktitle" for name, _ in fields) else "article"
        if style == "bbt" and "arxiv" in expect:
            entry_type = "online"
        expect["type"] = entry_type
        return Spec(key, entry_type, fields, expect, style, generated=True)

    def malformed(self, kind: int) -> Spec:
        """An entry an import must report (with its line) and skip."""
        n = self.next_id()
        key = f"broken{n}"
        raws = [
            (
                f"@article{{{key},\n  title = {{Unclosed {{brace in title}},\n"
                f"  author = {{Doe, John}},\n  year = 2019\n}}\n",
                "not closed",
            ),
            (f"@article{{{key},\n  title = {{Missing comma}}\n  year = {{2019}}\n}}\n", "malformed value"),
            (
                f"@article{{{key},\n  title = {{Twice}},\n  title = {{Twice again}},\n  year = 2020\n}}\n",
                "field given twice: title",
            ),
            (f"@misc{{{key},\n  author = {{Nobody, A.}},\n  year = {{2021}},\n}}\n", "no title"),
            (f'@article{{{key},\n  title = "Unterminated quote,\n  year = 2018\n}}\n', "not closed"),
            (f"@article{{{key},\n  title = {{Year gone wrong}},\n  year = {{20201}},\n  doi = {{10.1/x}}\n}}\n", None),
        ]
        raw, reason = raws[kind % len(raws)]
        if reason is None:
            # Not malformed for BibTeX: litmap keeps what it cannot read as <field>-text.
            expect = {"title": "Year gone wrong", "extra": {"year-text": "20201", "doi-text": "10.1/x"}}
            return Spec(key, "article", [], expect, "hand", raw=raw)
        return Spec(key, "article", [], {}, "hand", raw=raw, status="failed", reason=reason)

    def special_cases(self) -> list[Spec]:
        """Hand-picked shapes: organisations, particles, suffixes, odd years, concatenation, types."""
        cases = [
            Spec(
                "openai2023gpt4",
                "techreport",
                [
                    ("title", "{{GPT}-4 Technical Report}"),
                    ("author", "{{OpenAI}}"),
                    ("institution", "{OpenAI}"),
                    ("type", "{Technical Report}"),
                    ("year", "2023"),
                    ("number", "{2303.08774}"),
                ],
                {
                    "title": "GPT-4 Technical Report",
                    "authors": ["OpenAI"],
                    "venue": "OpenAI",
                    "extra": {"bibtex-type": "Technical Report", "number": "2303.08774"},
                },
            ),
            Spec(
                "vanderberg2019",
                "article",
                [
                    ("title", "{Particles in Names}"),
                    ("author", "{van der Berg, Anna and Ludwig van Beethoven and King, Jr, Martin Luther and others}"),
                    ("journal", "{Names}"),
                    ("year", "{2019}"),
                ],
                {
                    "title": "Particles in Names",
                    "authors": [
                        "van der Berg, Anna",
                        "van Beethoven, Ludwig",
                        {"family": "King, Jr", "given": "Martin Luther"},
                        "others",
                    ],
                    "year": 2019,
                },
            ),
            Spec(
                "inpress2026",
                "article",
                [
                    ("title", "{A Paper in Press}"),
                    ("author", "{Zhang, Wei}"),
                    ("journal", "{Neural Computation}"),
                    ("year", "{in press}"),
                    ("month", "{Sept}"),
                ],
                {"title": "A Paper in Press", "month": 9, "extra": {"year-text": "in press"}},
            ),
            Spec(
                "concat2017",
                "inproceedings",
                [
                    ("title", '"Concatenated " # {Titles} # " Work"'),
                    ("author", '"Kim, Been"'),
                    ("booktitle", 'icml # " 2017"'),
                    ("year", "2017"),
                    ("month", 'jul # "~10"'),
                ],
                {
                    "title": "Concatenated Titles Work",
                    "venue": "Proceedings of the International Conference on Machine Learning 2017",
                    "extra": {"month-text": "July 10"},
                },
                "hand",
            ),
            Spec(
                "scholar2022",
                "article",
                [
                    ("title", "{Scholar Style Preprint Entry}"),
                    ("author", "{Li, Kenneth and Nanda, Neel}"),
                    ("journal", "{arXiv preprint arXiv:2210.13382}"),
                    ("year", "{2022}"),
                ],
                {
                    "title": "Scholar Style Preprint Entry",
                    "arxiv": "2210.13382",
                    "venue": "arXiv preprint arXiv:2210.13382",
                },
            ),
            Spec(
                "thesis2015",
                "phdthesis",
                [
                    ("title", "{A Thesis on {\\'E}l{\\'e}gance}"),
                    ("author", "{Fran{\\c{c}}ois, Val{\\'e}rie}"),
                    ("school", "{Universit{\\'e} de Montr{\\'e}al}"),
                    ("year", "2015"),
                    ("address", "{Montr\\'eal}"),
                ],
                {
                    "title": "A Thesis on Élégance",
                    "authors": ["François, Valérie"],
                    "venue": "Université de Montréal",
                    "extra": {"address": "Montréal"},
                },
            ),
            Spec(
                "book2009",
                "book",
                [
                    ("title", "{Elements of {Statistical} Learning}"),
                    ("author", "{Hastie, Trevor and Tibshirani, Robert}"),
                    ("publisher", "{Springer}"),
                    ("year", "{2009}"),
                    ("edition", "{2nd}"),
                    ("isbn", "{978-0-387-84857-0}"),
                ],
                {
                    "title": "Elements of Statistical Learning",
                    "venue": "Springer",
                    "extra": {"edition": "2nd", "isbn": "978-0-387-84857-0"},
                },
            ),
            Spec(
                "blog2021",
                "misc",
                [
                    ("title", "{A Mathematical Framework for Transformer Circuits}"),
                    ("author", "{Elhage, Nelson and Nanda, Neel and Olsson, Catherine}"),
                    ("howpublished", "{\\url{https://transformer-circuits.pub/2021/framework/index.html}}"),
                    ("year", "2021"),
                    ("note", "{Accessed 2023-05-01 \\& cited widely}"),
                ],
                {
                    "title": "A Mathematical Framework for Transformer Circuits",
                    "note": "Accessed 2023-05-01 & cited widely",
                    "extra": {"howpublished": "https://transformer-circuits.pub/2021/framework/index.html"},
                },
            ),
            Spec(
                "weird_fields",
                "article",
                [
                    ("title", "{Odd Field Names}"),
                    ("author", "{Smith, Jane Q.}"),
                    ("year", "{2011}"),
                    ("journal", "{J}"),
                    ("date-added", "{2011-02-03 10:00:00 +0000}"),
                    ("bdsk-url-1", "{https://x.org/a_b%20c}"),
                    ("key", "{Smith}"),
                    ("tags", "{x}"),
                    ("doi", "{https://doi.org/10.1000/ODD.2011}"),
                ],
                {
                    "title": "Odd Field Names",
                    "doi": "10.1000/ODD.2011",
                    "extra": {
                        "date-added": "2011-02-03 10:00:00 +0000",
                        "bdsk-url-1": "https://x.org/a_b%20c",
                        "bibtex-key": "Smith",
                        "bibtex-tags": "x",
                    },
                },
            ),
        ]
        for spec in cases:
            spec.expect.setdefault("type", spec.type)
        return cases


def render(spec: Spec) -> str:
    """The entry as text, in its tool's style."""
    if spec.raw is not None:
        return spec.raw
    style = spec.style
    entry_type = spec.type.capitalize() if style == "jabref" else spec.type.upper() if style == "hand" else spec.type
    indent = "\t" if style == "jabref" else "  "
    names = [(name if style in ("mendeley", "bbt") else name.lower(), value) for name, value in spec.fields]
    if style == "mendeley":
        names.sort(key=lambda item: item[0].lower())
    lines = [f"{indent}{name} = {value}" for name, value in names]
    body = ",\n".join(lines) + ("," if style in ("zotero", "bbt", "jabref") else "")
    if style == "hand" and len(spec.key) % 5 == 0:  # some hand-written entries use @type( ... )
        return f"@{entry_type}({spec.key},\n{body}\n)\n"
    return f"@{entry_type}{{{spec.key},\n{body}\n}}\n"


def build(n: int, seed: int = 4, with_library_duplicate: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """A .bib text of about ``n`` entries and the ground truth of each entry, in file order."""
    gen = Generator(seed)
    specs: list[Spec] = []
    specs += gen.special_cases()
    # Crossref children of two proceedings parents; the parents come after them, as BibTeX wants.
    children: list[Spec] = []
    for parent, venue, year in (
        ("icml2020proc", "Proceedings of ICML 2020", 2020),
        ("nips2019proc", "NeurIPS 2019", 2019),
    ):
        for _ in range(5):
            spec = gen.article("hand")
            spec.fields = [
                f for f in spec.fields if f[0] not in ("journal", "booktitle", "year", "doi", "month", "volume")
            ]
            spec.fields.append(("crossref", "{" + parent + "}"))
            spec.type = "inproceedings"
            spec.expect = {k: v for k, v in spec.expect.items() if k not in ("doi", "month")}
            spec.expect |= {"venue": venue, "year": year, "type": "inproceedings", "extra": {"publisher": "PMLR"}}
            children.append(spec)
        parent_spec = Spec(
            parent,
            "proceedings",
            [
                ("title", "{" + venue + "}"),
                ("year", str(year)),
                ("publisher", "{PMLR}"),
                ("doi", "{10.9999/" + parent + "}"),
            ],
            {},
            "hand",
            status="container",
        )
        children.append(parent_spec)
    specs += children
    regular = max(0, round((n - len(specs)) / 1.05))  # about 5% more come as duplicates
    malformed_every = 50
    for index in range(regular):
        if index % malformed_every == 25:
            specs.append(gen.malformed(index // malformed_every))
        else:
            specs.append(gen.article())
    specs = _add_duplicates(gen, specs, with_library_duplicate)
    return _write(specs)


def _add_duplicates(gen: Generator, specs: list[Spec], with_library_duplicate: bool) -> list[Spec]:
    """Insert duplicates of earlier entries (about 5%), each after the entry it repeats."""
    rng = gen.rng
    out: list[Spec] = []
    eligible = [s for s in specs if s.generated and "crossref" not in dict(s.fields)]
    chosen = set(id(s) for s in rng.sample(eligible, max(6, len(eligible) // 20)))
    kinds = ["doi", "arxiv", "title", "samekey"]
    counter = 0
    for spec in specs:
        out.append(spec)
        if id(spec) not in chosen:
            continue
        fields = dict(spec.fields)
        kind = kinds[counter % len(kinds)]
        counter += 1
        if kind == "doi" and "doi" in fields:
            doi = fields["doi"].strip("{}")
            new_fields = [
                ("title", "{Retitled: " + spec.expect["title"] + " (Extended Version)}"),
                ("author", fields["author"]),
                ("year", "{" + str(spec.expect["year"]) + "}"),
                ("doi", "{https://doi.org/" + doi.upper() + "}"),
            ]
            reason = "same DOI"
        elif kind == "arxiv" and "arxiv" in spec.expect:
            arxiv = spec.expect["arxiv"]
            new_fields = [
                ("title", "{Preprint of " + spec.expect["title"] + "}"),
                ("author", fields["author"]),
                ("url", "{https://arxiv.org/abs/" + arxiv + "v3}"),
                ("year", "{" + str(spec.expect["year"]) + "}"),
            ]
            reason = "same arXiv id"
        elif kind == "samekey":
            out.append(
                Spec(spec.key, spec.type, list(spec.fields), {}, spec.style, status="present", duplicate_of=spec.key)
            )
            continue
        else:
            title = fields["title"][1:-1]  # the braced value, inner braces kept
            new_fields = [
                ("title", "{{" + title.upper() + "}}"),
                ("author", fields["author"]),
                ("year", "{" + str(spec.expect["year"]) + "}"),
                ("note", "{same title, other case}"),
            ]
            reason = "same title"
        n = gen.next_id()
        out.append(
            Spec(f"dup{n}", "misc", new_fields, {"reason": reason}, "hand", status="present", duplicate_of=spec.key)
        )
    if with_library_duplicate:
        out.insert(
            len(out) // 2,
            Spec(
                "elhage_toy_2022",
                "article",
                [
                    ("title", "{Toy {Models} of {Superposition}}"),
                    ("author", "{Elhage, Nelson and Hume, Tristan}"),
                    ("eprint", "{2209.10652}"),
                    ("archiveprefix", "{arXiv}"),
                    ("year", "{2022}"),
                ],
                {"reason": "same arXiv id"},
                "zotero",
                status="present",
                duplicate_of="library:elhage2022toy",
            ),
        )
    return out


HEADER = """% Exported by a mix of Zotero, Better BibTeX, JabRef and Mendeley, then edited by hand.
% Synthetic test data for litmap (benchmarks/synth_bib.py): titles are word salad, DOIs and arXiv
% ids are made up, names are chosen for their accents.

@preamble{ "\\newcommand{\\noopsort}[1]{} " }
@comment{ This comment block is ignored, even with an @article{inside, title={x}} of it }

"""
FOOTER = """
@Comment{jabref-meta: databaseType:bibtex;}
"""


def _write(specs: list[Spec]) -> tuple[str, list[dict[str, Any]]]:
    parts = [HEADER]
    strings = "".join(f"@string{{{macro} = {{{value}}}}}\n" for macro, value in MACROS[:3])
    strings += "".join(f'@STRING{{ {macro.upper()} = "{value}" }}\n' for macro, value in MACROS[3:]) + "\n"
    parts.append(strings)
    truth: list[dict[str, Any]] = []
    line = "".join(parts).count("\n") + 1
    for spec in specs:
        text = render(spec)
        if spec.status != "container":
            record: dict[str, Any] = {"line": line, "key": spec.key, "status": spec.status}
            if spec.duplicate_of:
                record["duplicate_of"] = spec.duplicate_of
            if spec.reason:
                record["reason"] = spec.reason
            if spec.expect:
                record["expect"] = spec.expect
            truth.append(record)
        parts.append(text + "\n")
        line += text.count("\n") + 1
        if len(truth) % 40 == 0 and spec.status != "container":
            comment = "% --- a line comment between entries\n\n"
            parts.append(comment)
            line += comment.count("\n")
    parts.append(FOOTER)
    return "".join(parts), truth


def main() -> None:
    """Write a fixture (with its ground truth) or a benchmark input."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=330, help="about how many entries")
    parser.add_argument("-o", "--output", type=Path, help="where to write the .bib")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--fixture", action="store_true", help="write tests/fixtures/zotero-library.bib")
    args = parser.parse_args()
    output = FIXTURE if args.fixture else args.output
    if output is None:
        parser.error("give -o FILE or --fixture")
    text, truth = build(args.n, args.seed, with_library_duplicate=args.fixture)
    output.write_text(text, encoding="utf-8")
    if args.fixture:
        output.with_suffix(".expected.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {output} ({len(truth)} entries)")


if __name__ == "__main__":
    main()
