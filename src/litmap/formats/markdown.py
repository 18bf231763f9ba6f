"""The reading list as one Markdown page (CommonMark + GitHub's extensions), shaped like the seed page.

The page: a title and the introduction (the root category's description), a table of contents whose
links use GitHub's heading anchors, then each section in taxonomy order with a Mermaid ``graph LR``
of where it sits in the tree (its subtree inside a "We are here" box, as the original page draws
it) and its description, then its subsections, each with its description and its papers. A paper is
its linked title, authors, year and venue, with the abstract folded in a ``<details>`` block. Papers
are ordered by year, then first author, then key; everything else follows the taxonomy, so the same
library always gives the same page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from litmap.formats import ExportContext
from litmap.formats.latex_text import readable
from litmap.formats.outline import (
    UNCATEGORISED,
    Page,
    page_of,
    paper_link,
    papers_by_category,
    reading_order,
    sections_of,
    subtree,
    uncategorised,
)
from litmap.models import Category, Paper
from litmap.taxonomy import Taxonomy

MAX_AUTHORS = 6
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+=])(?=\s|$)")


def export_markdown(papers: Sequence[Paper], context: ExportContext) -> str:
    """``litmap export markdown``: the reading-list page (the ``--category`` subtree, if one was asked for)."""
    return papers_to_markdown(
        papers,
        context.taxonomy,
        library_name=context.library_name,
        library_description=context.library_description,
        category=context.category,
        notes=context.notes,
    )


def papers_to_markdown(
    papers: Iterable[Paper],
    taxonomy: Taxonomy,
    *,
    library_name: str,
    library_description: str | None = None,
    category: str | None = None,
    notes: Mapping[str, str] | None = None,
) -> str:
    """The reading-list page for ``papers`` (the subtree of ``category``, or the whole taxonomy)."""
    papers = list(papers)
    page = page_of(taxonomy, library_name, library_description, category)
    sections = sections_of(taxonomy, page)
    by_category = papers_by_category(papers)
    orphans = uncategorised(papers, taxonomy, category)

    anchors = Anchors()
    anchors.add(page.title)
    has_contents = bool(sections or orphans)
    if has_contents:
        anchors.add("Contents")
    anchor_of = {c.id: anchors.add(c.title) for section in sections for c in subtree(taxonomy, section)}
    orphan_anchor = anchors.add(UNCATEGORISED) if orphans else ""

    out = [f"# {inline(page.title)}", ""]
    if page.introduction:
        out += [*_paragraphs(page.introduction), ""]
    if page.root and by_category.get(page.root.id):
        out += _paper_list(by_category[page.root.id], notes)
    if has_contents:
        out += ["## Contents", ""]
    for section in sections:
        for c in subtree(taxonomy, section):
            indent = "  " * (taxonomy.depth(c.id) - taxonomy.depth(section.id))
            out.append(f"{indent}- [{inline(c.title)}](#{anchor_of[c.id]})")
    if orphans:
        out.append(f"- [{UNCATEGORISED}](#{orphan_anchor})")
    out.append("")
    for section in sections:
        out += _section(taxonomy, page, sections, section, by_category, anchor_of, notes)
    if orphans:
        out += [f"## {UNCATEGORISED}", "", *_paper_list(orphans, notes)]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _section(
    taxonomy: Taxonomy,
    page: Page,
    sections: Sequence[Category],
    section: Category,
    by_category: dict[str, list[Paper]],
    anchor_of: dict[str, str],
    notes: Mapping[str, str] | None = None,
) -> list[str]:
    out: list[str] = []
    base = taxonomy.depth(section.id)
    for category in subtree(taxonomy, section):
        level = min(2 + taxonomy.depth(category.id) - base, 6)
        out += [f"{'#' * level} {inline(category.title)}", ""]
        if category.id == section.id:
            out += mermaid_graph(taxonomy, page, sections, section, anchor_of)
        if category.description:
            out += [*_paragraphs(category.description), ""]
        papers = by_category.get(category.id, [])
        if papers:
            out += ["**Recommended papers**", "", *_paper_list(papers, notes)]
        elif not taxonomy.children(category.id):
            out += ["*No papers yet.*", ""]
    return out


def mermaid_graph(
    taxonomy: Taxonomy,
    page: Page,
    sections: Sequence[Category],
    current: Category,
    anchor_of: dict[str, str],
) -> list[str]:
    """A ``graph LR`` of the page root, every section, and ``current``'s subtree boxed "We are here"."""
    ids: dict[str, str] = {}

    def node(category: Category) -> str:
        if category.id not in ids:
            ids[category.id] = f"n{len(ids) + 1}"
            return f'{ids[category.id]}["{_mermaid_label(category.title)}"]'
        return ids[category.id]

    lines = ["```mermaid", "graph LR"]
    root = f'n0["{_mermaid_label(page.title)}"]'
    for section in sections:
        lines.append(f"  {root} --> {node(section)}")
        root = "n0"
        if section.id == current.id:
            lines.append("  subgraph here [We are here]")
            below = subtree(taxonomy, section)[1:]
            for category in below:
                parent = taxonomy.get(category.parent) if category.parent else section
                lines.append(f"    {node(parent)} --> {node(category)}")
            if not below:
                lines.append(f"    {ids[section.id]}")
            lines.append("  end")
        elif taxonomy.children(section.id):
            lines.append(f'  {node(section)} --> {ids[section.id]}more["..."]')
            lines.append(f'  click {ids[section.id]}more "#{anchor_of[section.id]}" _self')
    for category_id, node_id in ids.items():
        lines.append(f'  click {node_id} "#{anchor_of[category_id]}" _self')
    lines += ["```", ""]
    return lines


def _paper_list(papers: Iterable[Paper], notes: Mapping[str, str] | None = None) -> list[str]:
    out: list[str] = []
    for paper in reading_order(papers):
        out += [f"- {paper_line(paper)}", ""]
        if paper.abstract:
            out += ["  <details><summary>Abstract</summary>", ""]
            out += [f"  {line}" if line else "" for line in _paragraphs(paper.abstract)]
            out += ["", "  </details>", ""]
        note = (notes or {}).get(paper.key)
        if note:
            out += ["  <details><summary>Notes</summary>", ""]
            out += [f"  {line}" if line else "" for line in _note_lines(note)]
            out += ["", "  </details>", ""]
    return out


def _note_lines(text: str) -> list[str]:
    """A notes file as lines for the page: its own title heading and HTML comments left out."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    lines = text.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def paper_line(paper: Paper) -> str:
    """``[Title](url) — Authors (Year). *Venue*.``"""
    link = paper_link(paper)
    title = f"[{inline(paper.title)}]({link})" if link else inline(paper.title)
    parts = [f"**{title}**"]
    if paper.authors:
        names = [a.display for a in paper.authors]
        shown = names if len(names) <= MAX_AUTHORS else [*names[: MAX_AUTHORS - 1], "et al."]
        parts.append(" — " + inline(", ".join(shown)))
    if paper.year:
        parts.append(f" ({paper.year})")
    parts.append(".")
    if paper.venue:
        parts.append(f" *{inline(paper.venue)}*.")
    return "".join(parts)


def inline(text: str) -> str:
    """Text safe inside a Markdown line, LaTeX kept by the library read as text (``$x\\Phi(x)$`` -> xΦ(x)),
    every character Markdown or HTML would act on escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(readable(text).split()))


def _paragraphs(text: str) -> list[str]:
    """Paragraphs (blank-line separated) as escaped single lines, blank lines between them."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        line = inline(paragraph)
        if not line:
            continue
        line = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", line)
        out += [line, ""]
    return out[:-1]


def _mermaid_label(text: str) -> str:
    return " ".join(text.split()).replace('"', "#quot;")


class Anchors:
    """GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces to
    hyphens, and ``-1``, ``-2``... added to repeats, in the order headings appear."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def add(self, heading: str) -> str:
        """The anchor of the next heading with this (unescaped) text."""
        slug = re.sub(r"[^\w\- ]", "", unicodedata.normalize("NFC", heading).strip().lower()).replace(" ", "-")
        result = slug
        while result in self._seen:
            self._seen[slug] += 1
            result = f"{slug}-{self._seen[slug]}"
        self._seen[result] = 0
        return result
