"""Close matches for "did you mean" suggestions (rapidfuzz, imported only when needed)."""

from __future__ import annotations

from collections.abc import Sequence


def closest(text: str, choices: Sequence[str], limit: int = 3, cutoff: float = 60.0) -> list[str]:
    """Up to ``limit`` choices most similar to ``text``, best first; only near-best ones are kept."""
    if not choices:
        return []
    from rapidfuzz import fuzz, process

    matches = process.extract(text, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
    if not matches:
        return []
    best = matches[0][1]
    return [choice for choice, score, _index in matches if score >= best - 10]
