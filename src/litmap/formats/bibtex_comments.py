"""``%`` comments in a .bib file, as biber reads them. Pure, no I/O."""

from __future__ import annotations

import re

_SCAN = re.compile(r'[@{}()"%]')
_ENTRY_START = re.compile(r"@\s*([A-Za-z]\w*)\s*([{(])")


def blank_comments(text: str) -> str:
    """``text`` with its ``%`` comments blanked out, as biber reads them: from ``%`` to the end of the
    line, between entries and between the fields of one, but not inside a value (``{50% off}``) or an
    ``@comment``. Every other character, and every line, stays where it was (so lines still count)."""
    if "%" not in text:
        return text
    out: list[str] = []
    kept = 0  # text[kept:] is not yet copied to out
    depth = 0  # 0 between entries, 1 between an entry's fields, 2+ inside a braced value
    closer = ""
    quoted = comment_block = False
    position = 0
    while match := _SCAN.search(text, position):
        char, at = match.group(0), match.start()
        position = at + 1
        if depth == 0:
            if char == "@" and (start := _ENTRY_START.match(text, at)):
                comment_block = start.group(1).lower() == "comment"
                closer = "}" if start.group(2) == "{" else ")"
                depth, position = 1, start.end()
                continue
            if char != "%":
                continue
        elif char == "{":
            depth += 1
            continue
        elif char == "}" or char == ")":
            if depth == 1 and char == closer and not quoted:
                depth = 0
            elif char == "}" and depth > 1:
                depth -= 1
            continue
        elif char == '"':
            quoted = not quoted if depth == 1 else quoted
            continue
        if char != "%" or (depth == 1 and (quoted or comment_block)) or depth > 1:
            continue
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        out.append(text[kept:at])
        out.append(re.sub(r"[^\s]", " ", text[at:end]))
        kept = position = end
    out.append(text[kept:])
    return "".join(out)
