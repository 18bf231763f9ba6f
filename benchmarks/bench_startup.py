"""Start-up cost: whole-process medians of `litmap --help` and `litmap list` beside the import floor.

Usage: python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import litmap_cmd, median_seconds, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    neutral = Path(tempfile.mkdtemp())
    rows = [
        (
            "python -c 'import typer, rich, pydantic'",
            median_seconds([sys.executable, "-c", "import typer, rich, pydantic"], args.runs, cwd=neutral),
        ),
        ("litmap --version", median_seconds(litmap_cmd("--version"), args.runs, cwd=neutral)),
        ("litmap --help", median_seconds(litmap_cmd("--help"), args.runs, cwd=neutral)),
        ("litmap list (bundled, 75 papers)", median_seconds(litmap_cmd("list"), args.runs, cwd=neutral)),
        ("litmap show elhage2022toy", median_seconds(litmap_cmd("show", "elhage2022toy"), args.runs, cwd=neutral)),
    ]
    print(f"whole-process medians over {args.runs} runs")
    print(report(rows))


if __name__ == "__main__":
    main()
