"""Shell completion latency: one Tab (``litmap show <prefix>``, ``list --tag``) as bash asks, on a
synthetic library of N papers (default 10,000); whole-process medians.

Usage: python benchmarks/bench_completion.py [-n 10000] [--runs 11]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_library
from timing import litmap_cmd, median_seconds, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    root = make_library(Path(tempfile.mkdtemp()) / "lib", args.n)
    median_seconds(litmap_cmd("--library", str(root), "search", "superposition"), 1)  # build the index
    rows = [("litmap --version (start-up floor)", median_seconds(litmap_cmd("--version"), args.runs))]
    for label, line in (
        ("Tab: litmap show a", f"litmap --library {root} show a"),
        ("Tab: litmap list --tag ", f"litmap --library {root} list --tag "),
        ("Tab: litmap list --category ", f"litmap --library {root} list --category "),
    ):
        env = {"_LITMAP_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1)}
        rows.append((f"{label} ({args.n:,} papers)", median_seconds(litmap_cmd(), args.runs, env=env)))
    print(f"whole-process medians over {args.runs} runs")
    print(report(rows))


if __name__ == "__main__":
    main()
