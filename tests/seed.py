"""A parser for the seed reading list (tests/data/interpretability-reading-list.txt).

The seed is a text dump of the reading-list web page: a title and introduction, then sections
(a heading followed by a Mermaid ``graph LR`` line and a description) made of subsections (a
heading, a description, "Recommended Papers List", then entries: "  • Title", "Click to have a
preview.", and the preview text). One entry lost its title line in the dump.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).resolve().parent / "data" / "interpretability-reading-list.txt"
BULLET = "  • "
PREVIEW = "Click to have a preview."
PAPERS_LIST = "Recommended Papers List"


def squash(text: str) -> str:
    """Whitespace normalised: runs of whitespace become one space."""
    return " ".join(text.split())


def readable(text: str) -> str:
    """An abstract as a reader sees it: LaTeX formatting (``\\emph{x}``, ````x''``) decoded, whitespace squashed.

    The library keeps the seed's abstracts in this form (a BibTeX round trip gives them back unchanged).
    """
    from litmap.formats.latex_text import latex_to_paragraphs

    return squash(latex_to_paragraphs(text).replace("’’", "”"))


@dataclass
class SeedEntry:
    """One listed paper: its title as dumped (None where the dump lost it) and preview text."""

    title: str | None
    abstract: str
    line: int


@dataclass
class SeedSubsection:
    """A subsection with its description and entries."""

    title: str
    description: str
    entries: list[SeedEntry] = field(default_factory=list)


@dataclass
class SeedSection:
    """A section: title, Mermaid graph line, description, subsections."""

    title: str
    graph: str
    description: str
    subsections: list[SeedSubsection] = field(default_factory=list)


@dataclass
class Seed:
    """The whole page."""

    title: str
    introduction: list[str]
    sections: list[SeedSection]

    def subsections(self) -> list[SeedSubsection]:
        """Every subsection in page order."""
        return [sub for section in self.sections for sub in section.subsections]


def parse_seed(path: Path = SEED) -> Seed:
    """Parse the seed text into sections, subsections and entries."""
    raw = path.read_text(encoding="utf-8").splitlines()
    lines = [(number + 1, text) for number, text in enumerate(raw) if text.strip()]
    texts = [text for _number, text in lines]

    def is_heading(i: int) -> str | None:
        text = texts[i]
        if text.startswith(" ") or text in (PREVIEW, PAPERS_LIST, "Previous", "Next"):
            return None
        if i + 1 < len(texts) and texts[i + 1].startswith("graph LR"):
            return "section"
        if i + 2 < len(texts) and texts[i + 2] == PAPERS_LIST:
            return "subsection"
        return None

    seed = Seed(title=texts[0], introduction=[], sections=[])
    i = 1
    while i < len(texts) and is_heading(i) is None:
        seed.introduction.append(texts[i])
        i += 1
    while i < len(texts):
        kind = is_heading(i)
        if kind == "section":
            seed.sections.append(SeedSection(texts[i], texts[i + 1], texts[i + 2]))
            i += 3
        elif kind == "subsection":
            seed.sections[-1].subsections.append(SeedSubsection(texts[i], texts[i + 1]))
            i += 3
        elif texts[i].startswith(BULLET) or texts[i].strip() == PREVIEW:
            title = None
            line = lines[i][0]
            if texts[i].startswith(BULLET):
                title = texts[i][len(BULLET) :].strip()
                i += 1
            indented = texts[i].startswith(" ")
            assert texts[i].strip() == PREVIEW, f"seed line {lines[i][0]}: expected the preview marker"
            i += 1
            paragraphs = []
            while i < len(texts) and not texts[i].startswith(BULLET) and is_heading(i) is None:
                if texts[i] in ("Previous", "Next") or (not indented and paragraphs):
                    break
                if indented and not texts[i].startswith(" "):
                    break
                paragraphs.append(texts[i].strip())
                i += 1
            seed.sections[-1].subsections[-1].entries.append(SeedEntry(title, "\n\n".join(paragraphs), line))
        else:
            i += 1
    return seed
