"""Whole-process timing for the benchmarks: the median wall time of a command over several runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BIN = Path(sys.executable).parent


def litmap_cmd(*args: str) -> list[str]:
    """The installed ``litmap`` entry point with ``args``."""
    return [str(BIN / "litmap"), *args]


def median_seconds(
    command: Sequence[str],
    runs: int = 7,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    before_each: object = None,
) -> float:
    """Median wall-clock seconds of ``command`` as a fresh process (``before_each()`` runs untimed)."""
    full_env = {**os.environ, **(env or {})}
    samples = []
    for _ in range(runs):
        if callable(before_each):
            before_each()
        start = time.perf_counter()
        subprocess.run(command, env=full_env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(rows: Sequence[tuple[str, float]]) -> str:
    """A small aligned table of (label, seconds)."""
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {seconds:7.3f} s" for label, seconds in rows)
