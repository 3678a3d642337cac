"""The statistics behind each calibrated figure, rounded on purpose.

- A duration's figure is its **mean** (workload and cycle time add up means), with the median
  and 90th percentile beside it and a 95% confidence interval for the mean (normal
  approximation, ``mean ± 1.96·sd/√n``, floored at 0; none for fewer than 2 observations).
- A share (a branch probability, an edge-case rate) is ``k / n`` with a 95% Wilson score
  interval, which stays inside [0, 1] and is honest for small ``n`` and for shares near 0 or 1.
- Minutes are rounded to 2 decimals, shares to 4, so the same log gives the same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Z95", "Duration", "Share", "duration", "minutes", "share", "wilson"]

Z95 = 1.959964
MINUTE_PLACES = 2
SHARE_PLACES = 4


def minutes(milliseconds: float | None) -> float | None:
    """Milliseconds as minutes, rounded (``None`` stays ``None``)."""
    if milliseconds is None:
        return None
    value = round(milliseconds / 60_000, MINUTE_PLACES)
    return 0.0 if value == 0 else value


@dataclass(frozen=True)
class Duration:
    """A duration measured ``n`` times, in minutes."""

    n: int
    mean: float
    median: float | None
    p90: float | None
    low: float | None
    high: float | None


def duration(
    n: int,
    mean_ms: float | None,
    sd_ms: float | None,
    median_ms: float | None,
    p90_ms: float | None,
) -> Duration | None:
    """Minutes from engine aggregates in milliseconds; ``None`` when nothing was measured."""
    if n <= 0 or mean_ms is None:
        return None
    mean = minutes(mean_ms) or 0.0
    low = high = None
    if n >= 2 and sd_ms is not None:
        half = Z95 * sd_ms / math.sqrt(n)
        low = minutes(max(0.0, mean_ms - half))
        high = minutes(mean_ms + half)
    return Duration(n, mean, minutes(median_ms), minutes(p90_ms), low, high)


def wilson(k: float, n: float) -> tuple[float, float]:
    """The 95% Wilson score interval of a share ``k / n``."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (
        round(max(0.0, centre - half), SHARE_PLACES),
        round(min(1.0, centre + half), SHARE_PLACES),
    )


@dataclass(frozen=True)
class Share:
    """``k`` of ``n``, as a rounded share with its interval."""

    k: int
    n: int
    value: float
    low: float
    high: float


def share(k: int, n: int) -> Share:
    """``k / n`` rounded, with its Wilson interval (0 of 0 is 0, interval [0, 1])."""
    value = round(k / n, SHARE_PLACES) if n else 0.0
    low, high = wilson(k, n)
    return Share(k, n, value, low, high)
