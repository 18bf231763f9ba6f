"""Scaling: wall time, CPU time and peak RSS of each job at several library sizes, and the fitted exponent.

Jobs (whole process, warm, output to /dev/null): ``search`` one word, ``export bibtex``, ``tag`` one
paper (add / remove), ``category rename`` of a category about a tenth of the papers use (there /
back), ``dedupe --json``, and ``import`` of a .bib of as many entries into a new empty library (the
hostile .bib of ``synth_bib.py``: about 5% duplicates, 2% malformed). Libraries are the synthetic ones
of ``synthetic.py`` (seed 0), shared with the other benchmarks and cached under benchmarks/work/.

Each run's peak RSS and CPU seconds come from ``os.wait4`` (the process and the children it waited
for). The exponent is the least-squares slope of log(median wall seconds) against log(papers): 1.0
is linear; start-up, which does not grow, pulls it below 1 at small sizes.

Usage: python benchmarks/bench_scale.py [--sizes 1000 10000 100000] [--runs 5] [--big-runs 1]
       [--only rename,tag] [--json FILE]   (default: benchmarks/work/scale/results-<sizes>.json)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_peers import RENAMED, label_of, litmap_library, plain_env, some_key
from timing import litmap_cmd

WORK = Path(__file__).resolve().parent / "work"
#: From this many papers a size counts as big: --big-runs runs instead of --runs.
BIG = 50_000
#: Goals of issue 13 (seconds, or MB for RSS), by (job, papers).
GOALS = {
    ("category rename", 10_000): 1.0,
    ("import", 10_000): 5.0,
    ("import", 100_000): 60.0,
    ("dedupe", 100_000): 10.0,
    ("export bibtex", 100_000): 6.0,
    ("tag", 100_000): 0.3,
}
RSS_GOALS = {("search", 100_000): 150.0, ("import", 100_000): 1024.0}


@dataclass
class Sample:
    """One whole-process run."""

    wall: float
    cpu: float
    rss_mb: float


def run(argv: list[str], env: dict[str, str], cwd: Path) -> Sample:
    """Run ``argv`` to completion; its wall seconds, CPU seconds and peak RSS (a failure stops the benchmark)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and "import" not in argv):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err.decode()[-2000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def import_bib(size: int) -> Path:
    """The hostile .bib of ``size`` entries (synth_bib.py, seed 10), made once.

    It is made in a child process: on Linux a child's peak RSS starts from its parent's at the fork, so
    a benchmark that grew to hold 100k entries would report that size for every job it timed after.
    """
    bib = WORK / f"import-{label_of(size)}.bib"
    if not bib.exists():
        print(f"making a .bib of {size} entries in {bib} ...", file=sys.stderr)
        bib.parent.mkdir(parents=True, exist_ok=True)
        make = (
            "import sys, pathlib; sys.path.insert(0, sys.argv[1]); from synth_bib import build; "
            "text, _ = build(int(sys.argv[2]), seed=10, with_library_duplicate=False); "
            "pathlib.Path(sys.argv[3]).write_text(text, encoding='utf-8')"
        )
        here = str(Path(__file__).resolve().parent)
        subprocess.run([sys.executable, "-c", make, here, str(size), str(bib)], check=True)
    return bib


def jobs_at(size: int, scratch: Path) -> dict[str, tuple[Callable[[int], list[str]], Callable[[int], None] | None]]:
    """Each job's command for run ``i`` (there-and-back jobs alternate), and what to do untimed before each run.

    Each import goes to a new library, and none is deleted before the end: ext4 allocates new inodes
    slowly for half a minute after many files were deleted, which would time the file system's
    state rather than litmap."""
    root = litmap_library(size)
    lit = litmap_cmd("-L", str(root))
    key = some_key(root)
    bib = import_bib(size)

    def fresh_library(i: int) -> None:
        subprocess.run(litmap_cmd("init", str(scratch / f"import{size}-{i}")), check=True, capture_output=True)

    return {
        "search": (lambda i: [*lit, "search", "superposition"], None),
        "export bibtex": (lambda i: [*lit, "export", "bibtex"], None),
        "tag": (lambda i: [*lit, "tag", key, "+bench" if i % 2 == 0 else "-bench"], None),
        "category rename": (
            lambda i: [*lit, "category", "rename", *(RENAMED if i % 2 == 0 else RENAMED[::-1])],
            None,
        ),
        "dedupe": (lambda i: [*lit, "dedupe", "--json"], None),
        "import": (lambda i: litmap_cmd("-L", str(scratch / f"import{size}-{i}"), "import", str(bib)), fresh_library),
    }


def measure(size: int, runs: int, only: set[str] | None, scratch: Path) -> dict[str, dict[str, float]]:
    """Medians of every job at one size (one untimed warm-up run each; import starts empty every run)."""
    env = plain_env()
    out: dict[str, dict[str, float]] = {}
    for name, (command, before) in jobs_at(size, scratch).items():
        if only is not None and not any(word in name for word in only):
            continue
        if before is None:
            run(command(0), env, scratch)  # warm: the index is fresh, caches are hot
        samples = []
        for i in range(1, runs + 1):
            if before is not None:
                before(i)
            samples.append(run(command(i), env, scratch))
        if before is None and runs % 2 == 1:  # a there-and-back job ends where it started
            run(command(runs + 1), env, scratch)
        out[name] = {
            "wall": statistics.median(s.wall for s in samples),
            "cpu": statistics.median(s.cpu for s in samples),
            "rss_mb": max(s.rss_mb for s in samples),
            "runs": len(samples),
        }
        row = out[name]
        print(
            f"  {label_of(size)} {name}: {row['wall']:.3f} s wall, {row['cpu']:.3f} s CPU, {row['rss_mb']:.0f} MB",
            file=sys.stderr,
        )
    return out


def exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(size); None with fewer than two sizes."""
    if len(points) < 2:
        return None
    xs = [math.log(size) for size, _ in points]
    ys = [math.log(max(seconds, 1e-6)) for _, seconds in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def goal_text(job: str, size: int, row: dict[str, float]) -> str:
    """``<= 1 s: met`` / ``missed`` for the goals issue 13 sets at this size, else ''."""
    parts = []
    if (job, size) in GOALS:
        goal = GOALS[(job, size)]
        parts.append(f"<= {goal:g} s: {'met' if row['wall'] <= goal else 'MISSED'}")
    if (job, size) in RSS_GOALS:
        goal = RSS_GOALS[(job, size)]
        parts.append(f"<= {goal:g} MB: {'met' if row['rss_mb'] <= goal else 'MISSED'}")
    return "; ".join(parts)


def table(results: dict[int, dict[str, dict[str, float]]]) -> str:
    """A Markdown table: a row per job and size, then the exponents."""
    lines = ["| job | papers | wall | CPU | peak RSS | goal |", "|---|---|---|---|---|---|"]
    jobs = list(dict.fromkeys(job for by_job in results.values() for job in by_job))
    for job in jobs:
        for size, by_job in results.items():
            if job in by_job:
                row = by_job[job]
                lines.append(
                    f"| {job} | {size} | {row['wall']:.3f} s | {row['cpu']:.3f} s | {row['rss_mb']:.0f} MB"
                    f" | {goal_text(job, size, row)} |"
                )
    lines += ["", "| job | exponent (wall) | exponent (CPU) |", "|---|---|---|"]
    for job in jobs:
        walls = [(size, by_job[job]["wall"]) for size, by_job in results.items() if job in by_job]
        cpus = [(size, by_job[job]["cpu"]) for size, by_job in results.items() if job in by_job]
        wall_exp, cpu_exp = exponent(walls), exponent(cpus)
        lines.append(
            f"| {job} | {'n/a' if wall_exp is None else f'{wall_exp:.2f}'}"
            f" | {'n/a' if cpu_exp is None else f'{cpu_exp:.2f}'} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Measure every size, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help="runs per job below 50k papers")
    parser.add_argument("--big-runs", type=int, default=1, help="runs per job from 50k papers")
    parser.add_argument("--only", help="Comma-separated words: run only the jobs whose names hold one.")
    parser.add_argument("--json", type=Path, help="Where to write the results.")
    args = parser.parse_args()
    only = {w.strip() for w in args.only.split(",")} if args.only else None
    scratch = Path(tempfile.mkdtemp(prefix="litmap-bench-scale-"))
    results: dict[int, dict[str, dict[str, float]]] = {}
    try:
        for size in args.sizes:
            print(f"{size} papers:", file=sys.stderr)
            results[size] = measure(size, args.big_runs if size >= BIG else args.runs, only, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"whole-process medians, warm ({args.runs} runs; {args.big_runs} from {BIG} papers)")
    print(table(results))
    out = args.json or WORK / "scale" / f"results-{'-'.join(label_of(s) for s in args.sizes)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"cpus": os.cpu_count(), "results": {str(size): jobs for size, jobs in results.items()}}
    out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
