"""Page ranges as people write them (``1102-1107``, ``1102–1107``, ``1102 --- 1107``): one normaliser.

BibTeX reading, BibTeX and CSL writing and the sources all go through :func:`page_range`, so a range
means the same everywhere. Pure, no I/O.
"""

from __future__ import annotations

import re

#: An explicit range dash: ``--`` or ``---`` (BibTeX's en and em dash), or an en, em or horizontal-bar dash.
_RANGE_DASH = re.compile(r"\s*(?:-{2,3}|[\u2013-\u2015])\s*")
#: A hyphen-like dash with a page number on each side: ``1102-1107``, ``S12-S20``, ``12a-15b``.
_NUMBER_DASH = re.compile(r"(?:(?<=\d)|(?<=\d[A-Za-z]))\s*[-\u2010-\u2012]\s*(?=[A-Za-z]?\d)")


def page_range(pages: str, dash: str = "--") -> str:
    """``pages`` with every range written with ``dash`` (BibTeX's ``--``; CSL wants ``-``).

    An explicit range dash (``--``, ``---``, –, —) is a range wherever it is; a plain hyphen is one
    only between two page numbers, so ``A-1`` or ``e00024.003`` stay as they are, and in
    ``A-1--A-9`` only the ``--`` is the range.
    """
    text = pages.strip()
    if _RANGE_DASH.search(text):
        return _RANGE_DASH.sub(dash, text)
    return _NUMBER_DASH.sub(dash, text)
