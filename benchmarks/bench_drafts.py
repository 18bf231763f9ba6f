"""Draft scanning and the --watch loop: a 300-page thesis split over 40 files, in LaTeX, Typst and Markdown.

Measures (medians): the scan alone, in-process (`litmap.drafts.scan_draft`; the target is < 0.2 s);
the whole `litmap export bibtex --draft main.*` process on the bundled library; and, for LaTeX, how
long `--watch` takes from saving the draft with a new citation to the rewritten output.

Usage: python benchmarks/bench_drafts.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import litmap_cmd, median_seconds, report

BUNDLED = Path(__file__).resolve().parent.parent / "library"
FILES = 40
#: The thesis cites this many of the bundled papers; the --watch measurement adds citations of others.
CITED = 60
PAGES = 300
#: About 3,000 characters of text per page; a citation every few sentences.
PARAGRAPHS_PER_PAGE = 5
WORDS = "the model learns features that are sparse and interpretable while circuits compose across layers".split()

#: Per syntax: extension, a citation, a citation with a note, a comment, an include.
SYNTAXES = {
    "latex": ("tex", "\\cite{{{key}}}", "\\citep[p.~{page}]{{{a},{b}}}", "% a comment @ {n}", "\\input{{{name}}}"),
    "typst": ("typ", "@{key}", "@{a}[p. {page}]", "// a comment @x {n}", '#include "{name}.typ"'),
    "pandoc": (
        "md",
        "[@{key}]",
        "[see @{a}, p. {page}; @{b}]",
        "<!-- a comment @x {n} -->",
        "{{{{< include {name}.md >}}}}",
    ),
}


def paragraph(rng: random.Random, keys: list[str], syntax: str, page: int) -> str:
    _ext, cite, cite_two, comment, _include = SYNTAXES[syntax]
    sentences = []
    for n in range(5):
        words = " ".join(rng.choice(WORDS) for _ in range(18))
        if n == 1:
            words += " " + cite.format(key=rng.choice(keys))
        if n == 3:
            words += " " + cite_two.format(a=rng.choice(keys), b=rng.choice(keys), page=page)
        sentences.append(words.capitalize() + ".")
    sentences.append("Mail jane@example.org or see https://example.org/@someone.")
    return " ".join(sentences) + "\n" + comment.format(n=page) + "\n\n"


def make_thesis(folder: Path, syntax: str, keys: list[str]) -> Path:
    ext, *_rest, include = SYNTAXES[syntax]
    rng = random.Random(7)
    pages_per_file = PAGES // FILES
    names = [f"chapter{n:02d}" for n in range(1, FILES)]
    for index, name in enumerate(names):
        text = "".join(
            paragraph(rng, keys, syntax, index * pages_per_file + page)
            for page in range(pages_per_file)
            for _ in range(PARAGRAPHS_PER_PAGE)
        )
        (folder / f"{name}.{ext}").write_text(text, encoding="utf-8")
    main = folder / f"main.{ext}"
    main.write_text(
        "".join(paragraph(rng, keys, syntax, 0) for _ in range(PARAGRAPHS_PER_PAGE))
        + "\n".join(include.format(name=name) for name in names)
        + "\n",
        encoding="utf-8",
    )
    return main


def scan_median(main: Path, runs: int) -> float:
    from litmap.drafts import scan_draft

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        scan = scan_draft(main)
        samples.append(time.perf_counter() - start)
    assert len(scan.files) == FILES, scan.files
    return statistics.median(samples)


def watch_latency(folder: Path, main: Path, runs: int) -> float:
    """Seconds from saving a new citation in the draft to the rewritten output (median)."""
    out = folder / "refs.bib"
    command = litmap_cmd("--library", str(BUNDLED), "export", "bibtex", "--draft", str(main), "-o", str(out), "-w")
    log = (folder / "watch.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        while "Watching" not in (folder / "watch.log").read_text():
            time.sleep(0.02)
        samples = []
        original = main.read_text(encoding="utf-8")
        keys = sorted(p.stem for p in (BUNDLED / "papers").glob("*.toml"))[CITED:]
        for run in range(runs):
            before = out.read_bytes()
            main.write_text(original + f"\\nocite{{{keys[run]}}}\n" * (run + 1), encoding="utf-8")
            start = time.perf_counter()
            while out.read_bytes() == before:
                time.sleep(0.005)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)
    finally:
        process.terminate()
        process.wait()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    keys = sorted(p.stem for p in (BUNDLED / "papers").glob("*.toml"))[:CITED]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for syntax in SYNTAXES:
            folder = Path(tmp) / syntax
            folder.mkdir()
            main_file = make_thesis(folder, syntax, keys)
            size = sum(p.stat().st_size for p in folder.iterdir()) // 1024
            label = f"{syntax} thesis ({FILES} files, {size} KB)"
            rows.append((f"{label}: scan (in-process)", scan_median(main_file, args.runs)))
            command = litmap_cmd("--library", str(BUNDLED), "export", "bibtex", "--draft", str(main_file))
            rows.append((f"{label}: litmap export bibtex --draft", median_seconds(command, args.runs)))
        latex = Path(tmp) / "latex"
        rows.append(("latex thesis: --watch, save to rewritten output", watch_latency(latex, latex / "main.tex", 5)))
    print(report(rows))


if __name__ == "__main__":
    main()
