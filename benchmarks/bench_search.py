"""Search speed: whole-process medians of `litmap search superposition` on synthetic libraries.

For each size: cold (index absent: built from every file), warm (index fresh: one stat per file,
no file parsed), after one paper file was edited (the index re-reads that file only), and the
`--keys` variant. Libraries are made once under benchmarks/work/ (git-ignored) by synthetic.py.

Usage: python benchmarks/bench_search.py [--sizes 10000 100000] [--runs 11] [--cold-runs 3 (0: skip)] [--query WORD]
Targets on the 2-core reference machine: warm at most 0.12 s at 10k and 0.25 s at 100k papers.
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

WORK = Path(__file__).resolve().parent / "work"


def library_of(size: int) -> Path:
    """The synthetic library of ``size`` papers (made on first use, seed 0)."""
    root = WORK / f"lib{size // 1000}k" if size % 1000 == 0 else WORK / f"lib{size}"
    if not (root / "litmap.toml").exists() or len(list((root / "papers").iterdir())) != size:
        shutil.rmtree(root, ignore_errors=True)
        print(f"making a synthetic library of {size} papers in {root} ...", file=sys.stderr)
        make_library(root, size)
    return root


def drop_index(root: Path) -> None:
    """Remove the library's index (and SQLite's side files): the next search starts cold."""
    for path in (root / ".litmap").glob("index.sqlite3*"):
        path.unlink()


def edit_one(root: Path) -> object:
    """A function that appends a comment to one paper file (a hand edit the index must notice)."""
    target = sorted((root / "papers").iterdir())[len(list((root / "papers").iterdir())) // 2]
    counter = [0]

    def edit() -> None:
        counter[0] += 1
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"# edited {counter[0]}\n")

    return edit


def main() -> None:
    """Run the benchmark and print a table of medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--query", default="superposition")
    args = parser.parse_args()
    neutral = Path(tempfile.mkdtemp())
    rows: list[tuple[str, float]] = [("floor: litmap --version", median_seconds(litmap_cmd("--version"), args.runs))]
    for size in args.sizes:
        root = library_of(size)
        search = litmap_cmd("--library", str(root), "search", args.query)
        label = f"{size // 1000}k" if size % 1000 == 0 else str(size)
        if args.cold_runs:
            cold = median_seconds(search, args.cold_runs, cwd=neutral, before_each=lambda r=root: drop_index(r))
            rows.append((f"{label}: litmap search {args.query}  (cold: no index)", cold))
        median_seconds(search, 1, cwd=neutral)
        rows.append((f"{label}: litmap search {args.query}  (warm)", median_seconds(search, args.runs, cwd=neutral)))
        keys = [*search, "--keys"]
        rows.append(
            (f"{label}: litmap search {args.query} --keys  (warm)", median_seconds(keys, args.runs, cwd=neutral))
        )
        edited = median_seconds(search, args.runs, cwd=neutral, before_each=edit_one(root))
        rows.append((f"{label}: litmap search {args.query}  (one file edited)", edited))
    print(f"whole-process medians ({args.runs} runs warm, {args.cold_runs} cold)")
    print(report(rows))


if __name__ == "__main__":
    main()
