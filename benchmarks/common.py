"""Timing helpers for the benchmarks: the median of repeated runs, and one table format.

Every benchmark prints its own time next to a reference measured in the same run on the same
machine, and the ratio of the two: absolute seconds vary between machines, ratios much less.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["REPO", "median_seconds", "row"]

REPO = Path(__file__).resolve().parent.parent


def median_seconds(work: Callable[[], object], *, repeat: int) -> float:
    """The median wall time of ``repeat`` runs of ``work`` (after one warm-up run)."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name: str, ours: float, reference: float) -> str:
    """One result line: our time, the reference's, and ours as a multiple of it."""
    return f"{name:44} {ours * 1000:9.1f} ms  {reference * 1000:9.1f} ms  {ours / reference:6.2f}x"
