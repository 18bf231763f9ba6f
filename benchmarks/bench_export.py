"""Export cost: whole-process medians of `export bibtex` (whole library, --ascii, a draft's citations),
`export csl-json` and `export markdown`, on the bundled library and synthetic ones.

Usage: python benchmarks/bench_export.py [--sizes 1000,10000] [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_library
from timing import litmap_cmd, median_seconds, report

BUNDLED = Path(__file__).resolve().parent.parent / "library"


def measure(root: Path, label: str, runs: int, work: Path) -> list[tuple[str, float]]:
    env = {"LITMAP_LIBRARY": str(root)}
    keys = sorted(p.stem for p in (root / "papers").glob("*.toml"))[:50]
    draft = work / f"{label.split()[0]}-draft.tex"
    draft.write_text("".join(f"\\cite{{{key}}}\n" for key in keys), encoding="utf-8")
    out = str(work / "out")
    commands = {
        "export bibtex": ("export", "bibtex", "-o", out),
        "export bibtex --ascii": ("export", "bibtex", "--ascii", "-o", out),
        f"export bibtex --tex (cites {len(keys)})": ("export", "bibtex", "--tex", str(draft), "-o", out),
        "export csl-json": ("export", "csl-json", "-o", out),
        "export markdown": ("export", "markdown", "-o", out),
    }
    return [
        (f"{label}: litmap {name}", median_seconds(litmap_cmd(*args), runs, env=env)) for name, args in commands.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="Synthetic library sizes, comma-separated.")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="litmap-bench-export-"))
    try:
        count = len(list((BUNDLED / "papers").glob("*.toml")))
        rows = measure(BUNDLED, f"bundled ({count})", args.runs, work)
        for size in (int(s) for s in args.sizes.split(",") if s):
            root = make_library(work / f"syn{size}", size)
            rows += measure(root, f"{size} papers", args.runs, work)
        print(f"whole-process medians over {args.runs} runs")
        print(report(rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
