"""Across replications: means with 95 % confidence intervals, percentiles, rounding on purpose."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

__all__ = ["Estimate", "estimate", "percentile", "rounded"]

# Student's t at 97.5 % for 1..30 degrees of freedom; beyond, the normal's 1.96
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def rounded(value: float, places: int = 4) -> float:
    """Rounded on purpose, so float noise never reaches JSON or reports (and no -0.0)."""
    if not math.isfinite(value):
        return value
    result = round(value, places)
    return 0.0 if result == 0 else result


class Estimate(BaseModel):
    """A figure's mean over the replications and its 95 % confidence interval."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mean: float
    low: float
    high: float

    def covers(self, value: float, *, slack: float = 0.0) -> bool:
        """Whether ``value`` lies in the interval (widened by ``slack`` each side)."""
        return self.low - slack <= value <= self.high + slack


def estimate(values: Sequence[float], places: int = 4) -> Estimate | None:
    """Mean and 95 % interval (Student's t) of per-replication values; NaNs are left out,
    and none is left without any value. The interval of values that are never negative starts
    at 0 at the lowest."""
    data = [v for v in values if math.isfinite(v)]
    if not data:
        return None
    mean = sum(data) / len(data)
    if len(data) < 2:
        return Estimate(
            mean=rounded(mean, places), low=rounded(mean, places), high=rounded(mean, places)
        )
    variance = sum((v - mean) ** 2 for v in data) / (len(data) - 1)
    t = _T975[len(data) - 2] if len(data) - 1 <= len(_T975) else 1.96
    half = t * math.sqrt(variance / len(data))
    low = mean - half
    if min(data) >= 0:
        low = max(low, 0.0)  # a count, a time or a share is never negative
    return Estimate(
        mean=rounded(mean, places),
        low=rounded(low, places),
        high=rounded(mean + half, places),
    )


def percentile(values: object, share: float) -> float:
    """The ``share`` quantile (0 to 1) of a numpy array, NaN when empty."""
    import numpy as np

    array = np.asarray(values, dtype=np.float64)
    if array.size == 0:
        return math.nan
    return float(np.quantile(array, share))
