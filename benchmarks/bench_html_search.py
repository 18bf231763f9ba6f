"""The exported web page's search speed: milliseconds per keystroke in headless Chromium, at 10k papers.

Exports a synthetic library (synthetic.py, under benchmarks/work/) with `litmap export html`, opens
the page from file:// in Debian's Chromium (selenium, /usr/bin/chromedriver), then types queries one
character at a time. Each keystroke is timed in the page from the input event to the next frame
(filtering, count, highlights, style and layout, paint): the page updates once per frame.

Usage: python benchmarks/bench_html_search.py [--size 10000] [--runs 5]
Target on the 2-core reference machine: under 50 ms per keystroke (median and 90th percentile) at 10k.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import WORK, library_of
from timing import litmap_cmd

QUERIES = ("superposition", "sparse features", "a", "neural network circuits", "xq")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: Types ``arguments[0]`` into the cleared #search a character at a time; returns ms to the next frame per key.
TYPE = """
const [query, done] = arguments;
const search = document.getElementById("search");
const frame = [];
const settle = (then) => requestAnimationFrame(() => setTimeout(then, 30));
let i = 0;
function next() {
  if (i >= query.length) { done(frame); return; }
  i += 1;
  const start = performance.now();
  search.value = query.slice(0, i);
  search.dispatchEvent(new Event("input"));
  requestAnimationFrame(() => setTimeout(() => { frame.push(performance.now() - start); setTimeout(next, 30); }, 0));
}
search.value = ""; search.dispatchEvent(new Event("input"));
settle(next);
"""


def summary(times: list[float]) -> str:
    """Median, 90th percentile and maximum of ``times`` (ms)."""
    p90 = statistics.quantiles(times, n=10, method="inclusive")[-1] if len(times) > 1 else times[0]
    return f"median {statistics.median(times):6.1f} ms, p90 {p90:6.1f} ms, max {max(times):6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="times each query is typed")
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    root = library_of(args.size)
    page = WORK / f"page{args.size}.html"
    started = time.perf_counter()
    subprocess.run([*litmap_cmd(), "--library", str(root), "export", "html", "-o", str(page)], check=True)
    print(f"export html: {time.perf_counter() - started:.1f} s, {page.stat().st_size / 1e6:.1f} MB")

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp()}")
    options.add_argument("--window-size=1280,900")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(600)
    try:
        started = time.perf_counter()
        driver.get(page.as_uri())
        print(f"page load (to the load event): {time.perf_counter() - started:.1f} s")
        frames: list[float] = []
        for query in QUERIES:
            per_query: list[float] = []
            for _ in range(args.runs):
                per_query += driver.execute_async_script(TYPE, query)
            frames += per_query
            shown = driver.find_element("id", "count").text
            print(f"{query!r:26} {summary(per_query)} ({shown})")
        print(f"all {len(frames)} keystrokes, input to next frame: {summary(frames)}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
