"""The citekeys in the ``.aux`` file LaTeX writes: BibTeX's ``\\citation`` lines, biblatex's ``\\abx@aux@cite``.

The ``\\@input`` lines that ``\\include`` leaves are followed; ``\\citation{*}`` is :data:`ALL`.
"""

from __future__ import annotations

import re
from pathlib import Path

from litmap.drafts.scan import DraftScan, DraftWalk

_AUX_CITE = re.compile(r"\\(?:citation|abx@aux@cite)\s*(?:\{\d+\})?\{([^}]*)\}")
_AUX_INPUT = re.compile(r"\\@input\{([^}]*)\}")


def scan_aux(path: Path) -> DraftScan:
    """Every key in an ``.aux`` file and the ``.aux`` files it inputs (``\\include``)."""
    return _AuxWalk(Path(path)).run(f"no such aux file: {path} (run LaTeX on the draft first)")


class _AuxWalk(DraftWalk):
    what = "aux file"

    def read(self, path: Path, text: str) -> None:
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _AUX_CITE.finditer(line):
                for key in match.group(1).split(","):
                    if key.strip():
                        self.cite(key.strip(), path, number)
            for match in _AUX_INPUT.finditer(line):
                name = match.group(1)
                self.follow(self.root / name, f"{path}:{number}", f"\\@input{{{name}}}")
