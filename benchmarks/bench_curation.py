"""Curation cost: whole-process medians of `stats`, `tag` and `category rename` at several library sizes.

`tag KEY` reads only that paper's file, so it should cost the same at any size; `stats` and
`category rename` read every paper (rename then rewrites, as one atomic change, those that use it).

Usage: python benchmarks/bench_curation.py [--sizes 1000,10000] [--runs N]
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


def some_key(root: Path) -> str:
    return next(p.stem for p in sorted((root / "papers").glob("*.toml")))


def measure(root: Path, label: str, runs: int, rename: tuple[str, str]) -> list[tuple[str, float]]:
    env = {"LITMAP_LIBRARY": str(root)}
    key = some_key(root)
    rows = [
        (f"{label}: litmap stats", median_seconds(litmap_cmd("stats"), runs, env=env)),
        (f"{label}: litmap stats --json", median_seconds(litmap_cmd("stats", "--json"), runs, env=env)),
    ]
    # Tag and untag, rename there and back: every timed run really rewrites files.
    changes = {
        f"litmap tag {key} +x / -x": (("tag", key, "+x"), ("tag", key, "-x")),
        f"litmap category rename {rename[0]} {rename[1]} / back": (
            ("category", "rename", *rename),
            ("category", "rename", *rename[::-1]),
        ),
    }
    for name, (there, back) in changes.items():
        samples = sorted(
            median_seconds(litmap_cmd(*(there if i % 2 == 0 else back)), 1, env=env) for i in range(runs + runs % 2)
        )
        rows.append((f"{label}: {name}", samples[len(samples) // 2]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="Synthetic library sizes, comma-separated.")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="litmap-bench-curation-"))
    try:
        bundled = work / "bundled"
        shutil.copytree(BUNDLED, bundled, ignore=shutil.ignore_patterns(".litmap"))
        count = len(list((bundled / "papers").glob("*.toml")))
        rows = measure(bundled, f"bundled ({count})", args.runs, ("superposition", "superposition-renamed"))
        for size in (int(s) for s in args.sizes.split(",") if s):
            root = make_library(work / f"syn{size}", size)
            rows += measure(root, f"{size} papers", args.runs, ("superposition", "superposition-renamed"))
        print(f"whole-process medians over {args.runs} runs")
        print(report(rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
