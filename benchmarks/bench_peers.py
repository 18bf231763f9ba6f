"""litmap against its peers: papis 0.16.1 (SQLite/FTS5 backend) and pubs 0.9.0, the same jobs, one run.

Each peer is installed (once) into its own virtualenv under benchmarks/work/peers/ (git-ignored), and
the same synthetic library (benchmarks/synthetic.py, seed 0) is imported into each: litmap's papers
are exported as BibTeX (with abstracts) and that file is imported by `papis bibtex read F import` and
`pubs import F`. Peer libraries are cached between runs (their import takes minutes); the time each
import took is kept beside it. litmap's own import of the same file is timed fresh.

Every job is a whole process, warm (one untimed run first), to /dev/null; the tools' runs are
interleaved (litmap, papis, pubs, litmap, ...) so a machine that slows down slows all of them alike.
The table gives medians and litmap/peer ratios (below 1: litmap is faster) and is written as JSON.
A peer without the job shows "n/a".

Usage: python benchmarks/bench_peers.py [--sizes 10000] [--runs 5] [--only search,list] [--no-peers]
       [--json FILE]   (default: benchmarks/work/peers/results-<sizes>.json)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import litmap_cmd

WORK = Path(__file__).resolve().parent / "work"
PEERS = WORK / "peers"
PAPIS_VERSION, PUBS_VERSION = "0.16.1", "0.9.0"
REQUIREMENTS = {"papis": [f"papis=={PAPIS_VERSION}"], "pubs": [f"pubs=={PUBS_VERSION}", "bibtexparser<2"]}
QUERY = "superposition"
#: The category `category rename` moves there and back (about a tenth of the papers use it).
RENAMED = ("superposition", "superposition-renamed")

#: A command for run number i (so that "tag" can add on even runs and remove on odd ones).
Command = Callable[[int], list[str]]


@dataclass
class Job:
    """One job and how each tool does it (None: the tool cannot)."""

    name: str
    tools: dict[str, Command | None]
    runs: int | None = None  # None: --runs
    seconds: dict[str, float | None] = field(default_factory=dict)


# -- installing and importing --------------------------------------------------------------------


def peer_bin(name: str) -> Path:
    """The bin/ folder of the peer's virtualenv (made and filled on first use)."""
    home = PEERS / f"venv-{name}"
    binary = home / "bin" / name
    stamp = home / "installed.txt"
    wanted = " ".join(REQUIREMENTS[name])
    if not binary.exists() or not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(home, ignore_errors=True)
        print(f"installing {wanted} into {home} ...", file=sys.stderr)
        venv.create(home, with_pip=True)
        subprocess.run([str(home / "bin" / "pip"), "install", "-q", *REQUIREMENTS[name]], check=True)
        stamp.write_text(wanted)
    return home / "bin"


def plain_env() -> dict[str, str]:
    """The environment without PYTHONDONTWRITEBYTECODE: every tool runs from cached bytecode, as users run it."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def peer_env() -> dict[str, str]:
    """A private HOME (and XDG folders) for the peers: their config and caches stay under work/."""
    home = PEERS / "home"
    return {
        **plain_env(),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "EDITOR": "true",
    }


def label_of(size: int) -> str:
    """``10k`` for 10000."""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def litmap_library(size: int) -> Path:
    """The synthetic litmap library of ``size`` papers (shared with the other benchmarks), indexed."""
    root = WORK / f"lib{label_of(size)}"
    papers = root / "papers"
    if not (root / "litmap.toml").exists() or sum(1 for _ in papers.glob("*.toml")) != size:
        shutil.rmtree(root, ignore_errors=True)
        print(f"making a synthetic library of {size} papers in {root} ...", file=sys.stderr)
        # In a child: a child's peak RSS would start from this process's (Linux counts it from the fork).
        maker = Path(__file__).with_name("synthetic.py")
        subprocess.run([sys.executable, str(maker), str(root), str(size)], check=True)
    # A library in use has its search index (the first search builds it); without it every reading job
    # would time the slow path that parses each paper file.
    subprocess.run(litmap_cmd("-L", str(root), "search", "superposition"), check=True, capture_output=True)
    return root


def bib_of(size: int) -> Path:
    """The library as one BibTeX file with abstracts: what every tool imports."""
    bib = PEERS / f"lib{label_of(size)}.bib"
    if not bib.exists():
        PEERS.mkdir(parents=True, exist_ok=True)
        root = litmap_library(size)
        subprocess.run(litmap_cmd("-L", str(root), "export", "bibtex", "--abstracts", "-o", str(bib)), check=True)
    return bib


def _imported(folder: Path, size: int, do_import: Callable[[], None]) -> float:
    """Import once into ``folder`` (cached); the seconds that import took."""
    done = folder.with_name(folder.name + ".imported.json")
    if done.exists():
        return float(json.loads(done.read_text())["seconds"])
    shutil.rmtree(folder, ignore_errors=True)
    print(f"importing {size} papers into {folder} (once; cached) ...", file=sys.stderr)
    start = time.perf_counter()
    do_import()
    seconds = time.perf_counter() - start
    done.write_text(json.dumps({"seconds": seconds, "size": size}))
    return seconds


def papis_library(size: int) -> tuple[list[str], float]:
    """``papis`` argv prefix for the imported library, and the import's seconds."""
    binary = peer_bin("papis")
    folder = PEERS / f"papis{label_of(size)}"
    config = PEERS / "home" / ".config" / "papis" / "config"
    config.parent.mkdir(parents=True, exist_ok=True)
    default = PEERS / "papis-default"  # papis wants a default library to exist; the jobs name theirs by path
    default.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f"[settings]\ndatabase-backend = sqlite\ndefault-query-string = *\ndefault-library = papers\n\n"
        f"[papers]\ndir = {default}\n"
    )
    base = [str(binary / "papis"), "-l", str(folder)]

    def do_import() -> None:
        folder.mkdir(parents=True)
        run = [*base, "bibtex", "read", str(bib_of(size)), "import", "--all", "--batch"]
        subprocess.run(run, env=peer_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    seconds = _imported(folder, size, do_import)
    return base, seconds


def pubs_library(size: int) -> tuple[list[str], float]:
    """``pubs`` argv prefix for the imported library, and the import's seconds."""
    binary = peer_bin("pubs")
    folder = PEERS / f"pubs{label_of(size)}"
    rc = PEERS / f"pubsrc{label_of(size)}"
    base = [str(binary / "pubs"), "-c", str(rc)]

    def do_import() -> None:
        rc.unlink(missing_ok=True)
        quiet = {"env": peer_env(), "check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([*base, "init", "-p", str(folder)], stdin=subprocess.DEVNULL, **quiet)  # type: ignore[call-overload]
        subprocess.run([*base, "import", str(bib_of(size))], stdin=subprocess.DEVNULL, **quiet)  # type: ignore[call-overload]

    seconds = _imported(folder, size, do_import)
    return base, seconds


# -- timing --------------------------------------------------------------------------------------


def run_seconds(argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    """Wall seconds of one whole process (output to /dev/null; a failure stops the benchmark)."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr.decode()[-2000:]}")
    return seconds


def time_jobs(jobs: list[Job], runs: int, envs: dict[str, dict[str, str]], cwd: Path) -> None:
    """Fill each job's medians: a warm-up run each, then the tools' runs interleaved."""
    for job in jobs:
        samples: dict[str, list[float]] = {tool: [] for tool, command in job.tools.items() if command}
        count = job.runs or runs
        commands = {tool: command for tool, command in job.tools.items() if command}
        for tool, command in commands.items():
            run_seconds(command(0), envs[tool], cwd)  # warm-up: the first "there" of a there-and-back job
        for i in range(1, count + 1):
            for tool, command in commands.items():
                samples[tool].append(run_seconds(command(i), envs[tool], cwd))
        if count % 2 == 0:  # end where it started: every "there" has had its "back"
            for tool, command in commands.items():
                run_seconds(command(count + 1), envs[tool], cwd)
        job.seconds = {tool: statistics.median(samples[tool]) if tool in samples else None for tool in job.tools}
        shown = ", ".join(f"{tool} {s:.3f} s" for tool, s in job.seconds.items() if s is not None)
        print(f"  {job.name}: {shown}", file=sys.stderr)


def some_key(root: Path) -> str:
    """A paper in the middle of the library."""
    names = sorted(p.stem for p in (root / "papers").glob("*.toml"))
    return names[len(names) // 2]


def jobs_for(size: int, peers: dict[str, list[str]], only: set[str] | None) -> list[Job]:
    """The jobs at one size, for litmap and whichever peers are given."""
    root = litmap_library(size)
    key = some_key(root)
    lit = [*litmap_cmd("-L", str(root))]
    papis, pubs = peers.get("papis"), peers.get("pubs")

    def fixed(argv: list[str]) -> Command:
        return lambda _i: argv

    def alternate(there: list[str], back: list[str]) -> Command:
        return lambda i: there if i % 2 == 0 else back

    def tool(base: list[str] | None, *args: str) -> Command | None:
        return fixed([*base, *args]) if base else None

    jobs = [
        Job(
            f"search one word ({QUERY})",
            {
                "litmap": fixed([*lit, "search", QUERY]),
                "papis": tool(papis, "list", "--all", QUERY),
                "pubs": tool(pubs, "list", f"title:{QUERY}"),
            },
        ),
        Job(
            "list every paper",
            {"litmap": fixed([*lit, "list"]), "papis": tool(papis, "list", "--all"), "pubs": tool(pubs, "list")},
        ),
        Job("list every paper as JSON", {"litmap": fixed([*lit, "list", "--json"]), "papis": None, "pubs": None}),
        Job(
            "export every paper as BibTeX",
            {
                "litmap": fixed([*lit, "export", "bibtex"]),
                "papis": tool(papis, "export", "--all", "--format", "bibtex"),
                "pubs": tool(pubs, "export"),
            },
        ),
        Job(
            "show one paper",
            {
                "litmap": fixed([*lit, "show", key]),
                "papis": tool(papis, "list", "--all", "--info", key),
                "pubs": tool(pubs, "list", f"citekey:{key}"),
            },
        ),
        Job("stats", {"litmap": fixed([*lit, "stats"]), "papis": None, "pubs": tool(pubs, "statistics")}),
        Job(
            "tag one paper (add / remove)",
            {
                "litmap": alternate([*lit, "tag", key, "+bench"], [*lit, "tag", key, "-bench"]),
                "papis": alternate(
                    [*papis, "tag", "--all", "--add", "bench", key], [*papis, "tag", "--all", "--remove", "bench", key]
                )
                if papis
                else None,
                "pubs": alternate([*pubs, "tag", key, "bench"], [*pubs, "tag", key, "--", "-bench"]) if pubs else None,
            },
        ),
        Job(
            f"category rename ({RENAMED[0]}, there / back)",
            {
                "litmap": alternate(
                    [*lit, "category", "rename", *RENAMED], [*lit, "category", "rename", *RENAMED[::-1]]
                ),
                "papis": None,
                "pubs": None,
            },
        ),
        Job("dedupe (find duplicates)", {"litmap": fixed([*lit, "dedupe", "--json"]), "papis": None, "pubs": None}, 3),
    ]
    return [job for job in jobs if only is None or any(word in job.name for word in only)]


def litmap_import_seconds(size: int, runs: int) -> float:
    """Median seconds of `litmap import` of the shared .bib into a new empty library."""
    bib = bib_of(size)
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="litmap-bench-import-") as tmp:
            library = Path(tmp) / "lib"
            subprocess.run(litmap_cmd("init", str(library)), check=True, capture_output=True)
            samples.append(run_seconds(litmap_cmd("-L", str(library), "import", str(bib)), plain_env()))
    return statistics.median(samples)


# -- reporting -----------------------------------------------------------------------------------


def ratio(litmap: float | None, peer: float | None) -> str:
    """litmap/peer, two decimals (n/a when either is missing)."""
    return f"{litmap / peer:.2f}" if litmap is not None and peer else "n/a"


def seconds_text(value: float | None) -> str:
    """``0.123 s`` (n/a when missing)."""
    return "n/a" if value is None else (f"{value:.3f} s" if value < 10 else f"{value:.1f} s")


def table(results: list[dict[str, object]]) -> str:
    """A Markdown table of every size's jobs."""
    lines = [
        "| papers | job | litmap | papis (sqlite) | pubs | litmap / papis | litmap / pubs |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results:
        secs = row["seconds"]
        assert isinstance(secs, dict)
        lit, pap, pub = secs.get("litmap"), secs.get("papis"), secs.get("pubs")
        lines.append(
            f"| {row['size']} | {row['job']} | {seconds_text(lit)} | {seconds_text(pap)} | {seconds_text(pub)}"
            f" | {ratio(lit, pap)} | {ratio(lit, pub)} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Install, import, time, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="Comma-separated words: run only the jobs whose names hold one.")
    parser.add_argument("--no-peers", action="store_true", help="Time litmap alone (its absolute goals).")
    parser.add_argument("--import-runs", type=int, default=1, help="Runs of litmap's import (0: skip).")
    parser.add_argument("--json", type=Path, help="Where to write the results.")
    args = parser.parse_args()
    only = {w.strip() for w in args.only.split(",")} if args.only else None
    neutral = Path(tempfile.mkdtemp(prefix="litmap-bench-peers-"))
    results: list[dict[str, object]] = []
    for size in args.sizes:
        litmap_library(size)
        peers: dict[str, list[str]] = {}
        imports: dict[str, float | None] = {"litmap": None, "papis": None, "pubs": None}
        if not args.no_peers:
            peers["papis"], imports["papis"] = papis_library(size)
            peers["pubs"], imports["pubs"] = pubs_library(size)
        envs = {"litmap": plain_env(), "papis": peer_env(), "pubs": peer_env()}
        print(f"{size} papers:", file=sys.stderr)
        jobs = jobs_for(size, peers, only)
        time_jobs(jobs, args.runs, envs, neutral)
        for job in jobs:
            results.append({"size": size, "job": job.name, "seconds": job.seconds})
        if args.import_runs and (only is None or "import" in only):
            imports["litmap"] = litmap_import_seconds(size, args.import_runs)
            results.append({"size": size, "job": "import the .bib (peers: once, cached)", "seconds": imports})
    shutil.rmtree(neutral, ignore_errors=True)
    print(f"whole-process medians of {args.runs} runs, warm, interleaved (import: {args.import_runs} run(s))")
    print(table(results))
    out = args.json or PEERS / f"results-{'-'.join(label_of(s) for s in args.sizes)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    versions = {"papis": PAPIS_VERSION, "pubs": PUBS_VERSION, "runs": args.runs, "cpus": os.cpu_count()}
    out.write_text(json.dumps({"versions": versions, "results": results}, indent=2) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
