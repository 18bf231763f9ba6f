"""The reading list as one self-contained HTML page: the taxonomy map, sections, papers and instant search.

The same outline as the Markdown page (:mod:`litmap.formats.outline`): the title and introduction,
then each category in taxonomy order with its description and papers; a paper in several
categories is listed in each. Around it: a map of the taxonomy (each category links to its
section; the script marks the one in view "We are here"), category chips and a search box that
filter as you type. CSS and JavaScript are package data (``html_assets/``) inlined into the page, and
a Content-Security-Policy allowing only those two inline blocks (by hash) keeps the page from
making any request, even from ``file://``.

A page of more than :data:`RENDER_ALL_UP_TO` papers would take Chromium seconds to lay out and to
filter, so there each paper's element is written once, into a ``<template id="store">``; a section
lists its papers' positions in it (``data-papers``) and the script renders a few of them at a time
(a "Show more" button adds more). Up to that size every paper is in the page, for printing and
the browser's find.

Stable hooks for tests and themes: every paper element has ``data-key``, the search box is
``input#search``, the match count ``#count``; colours and fonts are CSS variables, and the
library's ``[export] html_css`` is appended to the style sheet.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import cache
from html import escape
from importlib.resources import files
from string import Template
from typing import Any

from litmap.errors import InvalidValue
from litmap.formats import ExportContext
from litmap.formats.bibtex import BibtexOptions, paper_to_bibtex
from litmap.formats.latex_text import readable
from litmap.formats.outline import (
    UNCATEGORISED,
    page_of,
    paper_link,
    papers_by_category,
    sections_of,
    subtree,
    uncategorised,
)
from litmap.models import Category, Paper
from litmap.taxonomy import Taxonomy

SHOWN_AUTHORS = 6
#: Up to this many papers every paper is rendered in the page; above it the script renders them.
RENDER_ALL_UP_TO = 2_000
_UNCATEGORISED_ID = "c--uncategorised"


def export_html(papers: Sequence[Paper], context: ExportContext) -> str:
    """``litmap export html``: the page (the ``--category`` subtree, if one was asked for)."""
    from litmap import __version__

    bibtex = BibtexOptions.from_settings(context.settings, context.settings_path)
    return papers_to_html(
        papers,
        context.taxonomy,
        library_name=context.library_name,
        library_description=context.library_description,
        category=context.category,
        bibtex={p.key: paper_to_bibtex(p, bibtex, context.other_keys(p.key)) for p in papers},
        extra_css=_extra_css(context.settings, context.settings_path),
        generator=f"litmap {__version__}",
    )


def papers_to_html(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    *,
    library_name: str,
    library_description: str | None = None,
    category: str | None = None,
    bibtex: Mapping[str, str] | None = None,
    extra_css: str = "",
    generator: str = "litmap",
    render_all_up_to: int | None = None,
) -> str:
    """The page for ``papers`` (the subtree of ``category``, or the whole taxonomy).

    ``bibtex`` maps a key to its BibTeX entry (shown behind a disclosure); ``extra_css`` is
    appended to the style sheet. Above ``render_all_up_to`` papers (:data:`RENDER_ALL_UP_TO`)
    they go into the store the script renders them from.
    """
    papers = list(papers)
    bibtex = bibtex or {}
    page = page_of(taxonomy, library_name, library_description, category)
    sections = sections_of(taxonomy, page)
    listed = [c for section in sections for c in subtree(taxonomy, section)]
    by_category = papers_by_category(papers)
    orphans = uncategorised(papers, taxonomy, category)
    subtree_keys = _subtree_keys(taxonomy, listed, by_category)
    lists = _Lists(bibtex, store=len(papers) > (RENDER_ALL_UP_TO if render_all_up_to is None else render_all_up_to))

    body: list[str] = []
    if page.root and by_category.get(page.root.id):
        body.append(_section_html(page.root, 1, [], lists.of(by_category[page.root.id]), heading=False))
    for c in listed:
        path = [p for p in taxonomy.path(c.id) if page.root is None or p.id != page.root.id]
        leaf = not taxonomy.children(c.id)
        body.append(_section_html(c, len(path), path[:-1], lists.of(by_category.get(c.id, [])), leaf=leaf))
    if orphans:
        body.append(_section_html(None, 1, [], lists.of(orphans)))

    style = _asset("style.css") + ("\n/* [export] html_css */\n" + extra_css if extra_css else "")
    script = _asset("search.js")
    count = len(papers)
    values = {
        "title": escape(page.title),
        "generator": escape(generator),
        "csp": f"default-src 'none'; style-src {_sha(style)}; script-src {_sha(script)}; img-src data:;"
        " base-uri 'none'; form-action 'none'",
        "style": style,
        "script": script,
        "introduction": _paragraphs(page.introduction or ""),
        "summary": escape(f"{_papers(count)} in {_plural(len(listed), 'category', 'categories')}"),
        "map": _map_html(taxonomy, sections, subtree_keys, bool(orphans)),
        "chips": "\n".join(_chip(c, page.root) for c in listed),
        "total": str(count),
        "count": _papers(count),
        "sections": "\n".join(body),
        "store": lists.store_html(),
    }
    return Template(_asset("page.html")).substitute(values)


def _section_html(
    category: Category | None,
    depth: int,
    ancestors: list[Category],
    papers_html: str,
    heading: bool = True,
    leaf: bool = False,
) -> str:
    """One category's section: heading, where it sits ("We are here"), description, its list of papers."""
    cid = category.id if category else ""
    path = " ".join([*(a.id for a in ancestors), cid]).strip()
    anchor = f"c-{cid}" if category else _UNCATEGORISED_ID
    out = [f'<section class="category depth-{min(depth, 5)}" id="{anchor}" data-category="{cid}" data-path="{path}">']
    if heading:
        level = min(depth + 1, 6)
        title = escape(category.title) if category else UNCATEGORISED
        out.append(f'<h{level}><a class="anchor" href="#{anchor}">{title}</a></h{level}>')
        if ancestors:
            crumbs = " › ".join(f'<a href="#c-{a.id}">{escape(a.title)}</a>' for a in ancestors)
            out.append(f'<p class="crumbs">In {crumbs}</p>')
    if category and category.description and heading:
        out.append(_paragraphs(category.description, "description"))
    if papers_html:
        out.append(papers_html)
    elif leaf:
        out.append('<p class="none">No papers yet.</p>')
    out.append("</section>")
    return "\n".join(out)


def _paper_html(paper: Paper, entry: str | None) -> str:
    """One paper: linked title, authors, year, venue, tags, links, abstract and BibTeX behind disclosure buttons."""
    link = paper_link(paper)
    title = escape(readable(paper.title))
    out = [f'<li class="paper" data-key="{escape(paper.key)}">']
    linked = f'<a href="{escape(link)}">{title}</a>' if link else title
    out.append(f'<p class="title">{linked}</p>')
    meta: list[str] = []
    if paper.authors:
        names = [escape(a.display) for a in paper.authors]
        shown = ", ".join(names[:SHOWN_AUTHORS])
        if len(names) > SHOWN_AUTHORS:
            rest = ", ".join(names[SHOWN_AUTHORS:])
            shown += f'<span class="rest" hidden>, {rest}</span><span class="etal"> et al.</span>'
        meta.append(f'<span class="authors">{shown}</span>')
    if paper.year:
        meta.append(f'<span class="year">{paper.year}</span>')
    if paper.venue:
        meta.append(f'<cite class="venue">{escape(readable(paper.venue))}</cite>')
    if meta:
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if paper.tags:
        out.append('<p class="tags">' + " ".join(f'<span class="tag">{escape(t)}</span>' for t in paper.tags) + "</p>")
    links = _links(paper)
    if links:
        out.append('<p class="links">' + " ".join(f'<a href="{escape(u)}">{label}</a>' for label, u in links) + "</p>")
    if paper.abstract:
        out.append('<div class="abstract">' + _toggle("Abstract"))
        out.append(_paragraphs(readable(paper.abstract), "abstract-text", hidden=True) + "</div>")
    if entry:
        out.append('<div class="bibtex">' + _toggle("BibTeX") + '<div class="bibtex-entry" hidden>')
        out.append(f"<pre><code>{escape(entry.rstrip())}</code></pre>")
        out.append('<button type="button" class="copy">Copy BibTeX</button></div></div>')
    out.append("</li>")
    return "\n".join(out)


class _Lists:
    """A section's list of papers: the papers' elements, or (``store``) their positions in the store."""

    def __init__(self, bibtex: Mapping[str, str], store: bool) -> None:
        self.bibtex = bibtex
        self.store: dict[str, tuple[int, Paper]] | None = {} if store else None

    def of(self, papers: Sequence[Paper]) -> str:
        if not papers:
            return ""
        if self.store is None:
            items = "\n".join(_paper_html(p, self.bibtex.get(p.key)) for p in papers)
            return f'<ol class="papers">\n{items}\n</ol>'
        ids = " ".join(str(self.store.setdefault(p.key, (len(self.store), p))[0]) for p in papers)
        more = '<button type="button" class="more" hidden>Show more</button>'
        return f'<ol class="papers" data-papers="{ids}"></ol>\n{more}'

    def store_html(self) -> str:
        """The ``<template>`` holding each paper's element once (empty when the sections hold them)."""
        if self.store is None:
            return ""
        inner = "\n".join(_paper_html(p, self.bibtex.get(p.key)) for _, p in self.store.values())
        return f'<template id="store">\n{inner}\n</template>'


def _chip(category: Category, root: Category | None) -> str:
    """A filter button; the script shows a subcategory's chip once its parent's subtree is chosen."""
    parent = "" if category.parent is None or (root and category.parent == root.id) else category.parent
    return (
        f'<button type="button" class="chip" data-category="{category.id}" data-parent="{parent}"'
        f' aria-pressed="false"{" hidden" if parent else ""}>{escape(category.title)}</button>'
    )


def _toggle(label: str) -> str:
    """The button that shows and hides the element after it (a disclosure; the script toggles it).

    Not ``<details>``: Chromium re-lays out every ``<details>`` of the page when any element is
    hidden, which made filtering 10,000 papers take seconds.
    """
    return f'<button type="button" class="toggle" aria-expanded="false">{label}</button>'


def _links(paper: Paper) -> list[tuple[str, str]]:
    """The paper's links, labelled: its page (or PDF), the DOI, the arXiv page and PDF."""
    out: list[tuple[str, str]] = []
    if paper.url:
        out.append(("PDF" if paper.url.lower().split("?")[0].endswith(".pdf") else "Web", paper.url))
    if paper.doi:
        out.append(("DOI", f"https://doi.org/{paper.doi}"))
    if paper.arxiv:
        out.append(("arXiv", f"https://arxiv.org/abs/{paper.arxiv}"))
        out.append(("PDF", f"https://arxiv.org/pdf/{paper.arxiv}"))
    return out


def _map_html(
    taxonomy: Taxonomy, sections: Sequence[Category], subtree_keys: Mapping[str, set[str]], orphans: bool
) -> str:
    """The taxonomy as nested lists of links to the sections, each with its (distinct) paper count."""

    def branch(category: Category) -> str:
        count = len(subtree_keys.get(category.id, ()))
        link = (
            f'<a href="#c-{category.id}" data-category="{category.id}">{escape(category.title)}'
            f' <span class="n" title="{_papers(count)}">{count}</span></a>'
        )
        children = taxonomy.children(category.id)
        inner = "<ul>" + "".join(branch(c) for c in children) + "</ul>" if children else ""
        return f"<li>{link}{inner}</li>"

    items = "".join(branch(s) for s in sections)
    if orphans:
        items += f'<li><a href="#{_UNCATEGORISED_ID}" data-category="">{UNCATEGORISED}</a></li>'
    return f"<ul>{items}</ul>"


def _subtree_keys(
    taxonomy: Taxonomy, categories: Sequence[Category], by_category: Mapping[str, list[Paper]]
) -> dict[str, set[str]]:
    """Category id -> the keys of the papers in it or below it (a paper counts once)."""
    out: dict[str, set[str]] = {}
    for category in reversed(categories):
        keys = {p.key for p in by_category.get(category.id, [])}
        for child in taxonomy.children(category.id):
            keys |= out.get(child.id, set())
        out[category.id] = keys
    return out


def _paragraphs(text: str, css_class: str = "", hidden: bool = False) -> str:
    """Blank-line separated paragraphs as ``<p>`` elements (inside a ``div`` of ``css_class``)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    inner = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
    return f'<div class="{css_class}"{" hidden" if hidden else ""}>{inner}</div>' if css_class else inner


def _extra_css(settings: Mapping[str, Any], where: str) -> str:
    """``[export] html_css``: CSS appended to the page's style sheet (a theme: CSS variables and more)."""
    css = settings.get("html_css", "")
    if not isinstance(css, str):
        raise InvalidValue(f"{where}: [export] html_css must be a string of CSS, e.g. ':root {{ --accent: teal }}'")
    if "</" in css:
        raise InvalidValue(f"{where}: [export] html_css must not contain '</' (it would end the page's style sheet)")
    return css


@cache
def _asset(name: str) -> str:
    return files("litmap.formats").joinpath("html_assets", name).read_text(encoding="utf-8")


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _papers(count: int) -> str:
    return _plural(count, "paper", "papers")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
