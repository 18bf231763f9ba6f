"""Close matches for "did you mean" suggestions (rapidfuzz, imported only when needed)."""

from __future__ import annotations

from collections.abc import Sequence


def closest(text: str, choices: Sequence[str], limit: int = 3, cutoff: float = 60.0) -> list[str]:
    """Up to ``limit`` choices most similar to ``text``, best first."""
    if not choices:
        return []
    from rapidfuzz import fuzz, process

    matches = process.extract(text, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return [choice for choice, _score, _index in matches]
