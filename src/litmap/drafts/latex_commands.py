"""Which LaTeX commands cite, and where their keys are: natbib, biblatex, apacite, harvard, chicago.

Each name is listed in lower case; the capitalised form (``\\Citet``, ``\\Parencite``) and the
starred form (``\\citet*``) of every name cite too. A command's keys are in:

- ``SINGLE``: its first braced argument, after any ``[...]``/``(...)`` notes (``\\citep[p.~3]{a,b}``;
  ``\\citename{key}{author}``);
- ``MULTI``: every consecutive braced argument (biblatex's ``\\cites(pre)(post)[a][b]{k1}[c]{k2}``);
- ``VOLUME``: every second braced argument (``\\volcite[see]{2}[45]{key}``, the volume first).
"""

from __future__ import annotations

from typing import Literal

Layout = Literal["single", "multi", "volume"]

_SINGLE = """
cite citet citep citealt citealp citeauthor citefullauthor citeyear citeyearpar citenum citetalias
citepalias nocite parencite footcite footcitetext textcite smartcite supercite autocite
citetitle citedate citeurl citeurldate fullcite footfullcite notecite pnotecite fnotecite citename
citelist citefield citea citenp citeanp citeyearnp citen citeonline shortcite shortcitea shortcitenp
shortciten fullcitea fullcitenp citeasnoun possessivecite citeaffixed
"""
_MULTI = "cites parencites footcites footcitetexts smartcites textcites supercites autocites"
_VOLUME = """
volcite pvolcite fvolcite ftvolcite svolcite tvolcite avolcite
volcites pvolcites fvolcites ftvolcites svolcites tvolcites avolcites
"""

#: Commands with "cite" in their name that take no keys (styles, hooks, switches, punctuation).
NOT_CITATIONS = frozenset(
    """
    citestyle citetext citesetup citereset citeindextype citeindextrue citeindexfalse citetrackertrue
    citetrackerfalse citeleft citeright citepunct citedash citecolon citeform citenumfont citeauthoryear
    citeyearpunct bibcitecolon pagetrackertrue defcitealias declarecitecommand declaremulticitecommand
    declareautocitecommand declarecitealias ateverycite ateverycitekey atnextcite atnextcitekey
    ateachcitekey citecounter citetracker mancite ifciteseen ifciteibid ifciteidem ifcitexref
    citeint citeinit citeseen newcitecommand
    """.split()
)


def _table() -> dict[str, Layout]:
    table: dict[str, Layout] = {}
    for names, layout in ((_SINGLE, "single"), (_MULTI, "multi"), (_VOLUME, "volume")):
        for name in names.split():
            table[name] = layout  # type: ignore[assignment]
    return table


_LAYOUTS = _table()
# Names in the table whose spelling has capitals inside (apacite's \citeA, \citeNP, ...).
_MIXED_CASE = {"citea": "citeA", "citenp": "citeNP", "citeanp": "citeANP", "citeyearnp": "citeyearNP"}
_MIXED_CASE |= {"shortcitea": "shortciteA", "shortcitenp": "shortciteNP", "shortciten": "shortciteN"}
_MIXED_CASE |= {"fullcitea": "fullciteA", "fullcitenp": "fullciteNP", "citen": "citeN"}
_SPELLED = {_MIXED_CASE.get(name, name): layout for name, layout in _LAYOUTS.items()}
_SPELLED["citen"] = "single"  # the cite package's \citen, beside chicago's \citeN


def layout_of(name: str) -> Layout | None:
    """Where the keys of ``\\name`` are, or None when it is not a citation command litmap knows."""
    layout = _SPELLED.get(name)
    if layout is None and name[:1].isupper():
        layout = _SPELLED.get(name[0].lower() + name[1:])
    return layout


def takes_no_keys(name: str) -> bool:
    """Whether ``\\name`` has "cite" in its name but cites nothing (a style, hook or switch)."""
    return name.lower() in NOT_CITATIONS
