"""Benchmark: `litmap import` of a synthetic 10k-entry .bib into an empty library, whole process.

    .venv/bin/python benchmarks/bench_import.py            # 10k entries, 5 runs
    .venv/bin/python benchmarks/bench_import.py -n 1000 --runs 3

Each run makes a new empty library (`litmap init`) and times the installed `litmap` entry point
end to end (start-up, parsing, duplicate checks, key generation, writing every paper file
atomically). The .bib comes from `synth_bib.py`: Zotero/BBT/JabRef/Mendeley styles, LaTeX accents,
@string macros, crossref, about 5% duplicates and 2% malformed entries. Reports the median, min and max
wall-clock time and the import's own counts. Target: median <= 10 s at 10k entries on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth_bib import build

LITMAP = Path(sys.executable).parent / "litmap"


def run_once(bib: Path, workdir: Path, index: int) -> tuple[float, dict[str, int]]:
    """Import ``bib`` into a new library; (seconds, counts)."""
    library = workdir / f"lib{index}"
    subprocess.run([str(LITMAP), "init", str(library)], check=True, capture_output=True)
    start = time.perf_counter()
    done = subprocess.run(
        [str(LITMAP), "--library", str(library), "import", str(bib), "--json"], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr}")
    report = json.loads(done.stdout)
    counts = {name: len(report[name]) for name in ("added", "present", "failed")}
    written = len(list((library / "papers").glob("*.toml")))
    if written != counts["added"]:
        raise SystemExit(f"{written} files written but {counts['added']} reported added")
    shutil.rmtree(library)
    return elapsed, counts


def main() -> None:
    """Generate the input, time several runs, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="entries in the synthetic .bib")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="litmap-bench-") as tmp:
        workdir = Path(tmp)
        text, truth = build(args.n, seed=10, with_library_duplicate=False)
        bib = workdir / "synthetic.bib"
        bib.write_text(text, encoding="utf-8")
        print(f"input: {len(truth)} entries, {bib.stat().st_size / 1e6:.1f} MB")
        times: list[float] = []
        counts: dict[str, int] = {}
        for index in range(args.runs):
            elapsed, counts = run_once(bib, workdir, index)
            times.append(elapsed)
            print(f"run {index + 1}: {elapsed:.2f} s")
        print(f"counts: {counts}")
        print(
            f"import of {len(truth)} entries: median {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)"
        )


if __name__ == "__main__":
    main()
