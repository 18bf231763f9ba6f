"""`litmap upgrade --all --dry-run` with a warm cache: whole-process medians, and the time per preprint.

A local HTTP server stands in for arXiv, Crossref, DBLP and Semantic Scholar, answering every request
with a recorded answer from ``tests/fixtures/`` (arXiv and Crossref know nothing, DBLP finds nothing,
Semantic Scholar offers an unrelated paper that is rejected). One untimed run fills the library's
cache; the timed runs must then ask the server nothing, which the benchmark checks.

Usage: python benchmarks/bench_upgrade.py [--sizes 1000] [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_library
from timing import litmap_cmd, median_seconds, report

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "library"
FIXTURES = ROOT / "tests" / "fixtures"
ANSWERS = {  # path prefix -> (recorded body, content type)
    "/arxiv": ("arxiv/empty-result.atom", "application/atom+xml; charset=utf-8"),
    "/crossref": ("crossref/search-empty.json", "application/json"),
    "/dblp": ("dblp/search-empty.json", "application/json"),
    "/s2": ("s2/arXiv_1706.03762.json", "application/json"),
}


class Replay(BaseHTTPRequestHandler):
    """Answers each service's requests with its recorded answer, and counts them."""

    requests = 0

    def do_GET(self) -> None:
        Replay.requests += 1
        name, content_type = next(answer for prefix, answer in ANSWERS.items() if self.path.startswith(prefix))
        body = (FIXTURES / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def preprint_count(root: Path, env: dict[str, str]) -> int:
    """How many papers of the library `upgrade --all` works on."""
    import json

    result = subprocess.run(
        litmap_cmd("upgrade", "--all", "--dry-run", "--json"), env=env, capture_output=True, text=True, check=True
    )
    return len(json.loads(result.stdout)["findings"])


def measure(root: Path, label: str, runs: int, base: str) -> list[tuple[str, float]]:
    import os

    env = {
        **os.environ,
        "LITMAP_LIBRARY": str(root),
        "LITMAP_ARXIV_API": f"{base}/arxiv",
        "LITMAP_CROSSREF_API": f"{base}/crossref",
        "LITMAP_DBLP_API": f"{base}/dblp",
        "LITMAP_S2_API": f"{base}/s2",
        "LITMAP_ARXIV_DELAY": "0",
        "LITMAP_DBLP_DELAY": "0",
        "LITMAP_S2_DELAY": "0",
    }
    count = preprint_count(root, env)  # untimed: fills the cache
    before = Replay.requests
    seconds = median_seconds(litmap_cmd("upgrade", "--all", "--dry-run"), runs, env=env)
    if Replay.requests != before:
        raise SystemExit(f"{label}: the warm runs asked the server {Replay.requests - before} times")
    return [
        (f"{label}: litmap upgrade --all --dry-run ({count} preprints, warm cache)", seconds),
        (f"{label}: per preprint", seconds / max(count, 1)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000", help="Synthetic library sizes, comma-separated.")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    work = Path(tempfile.mkdtemp(prefix="litmap-bench-upgrade-"))
    try:
        bundled = work / "bundled"
        shutil.copytree(BUNDLED, bundled, ignore=shutil.ignore_patterns(".litmap"))
        count = len(list((bundled / "papers").glob("*.toml")))
        rows = measure(bundled, f"bundled ({count})", args.runs, base)
        for size in (int(s) for s in args.sizes.split(",") if s):
            rows += measure(make_library(work / f"syn{size}", size), f"{size} papers", args.runs, base)
        print(f"whole-process medians over {args.runs} runs")
        print(report(rows))
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
