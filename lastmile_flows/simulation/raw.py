"""What one replication saw: plain numbers and arrays, cheap to send back from a worker."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["Raw", "numbers", "work_in_progress"]


@dataclass
class Raw:
    """What one replication saw, as plain numbers and arrays (cheap to pickle)."""

    horizon: float
    open_minutes: float
    arrivals: int
    completed: int
    cycle: NDArray[np.float64]
    """End-to-end calendar minutes of each completed case."""
    cycle_open: NDArray[np.float64]
    """The same in working minutes."""
    open_ages: NDArray[np.float64]
    step_times: list[NDArray[np.float64]]
    role_waits: list[NDArray[np.float64]]
    role_busy: list[float]
    role_demand: list[float]
    role_waiting_at_end: list[int]
    sample_times: NDArray[np.float64]
    backlog_count: NDArray[np.float64]
    backlog_work: NDArray[np.float64]
    wip: NDArray[np.float64]
    wip_area: float
    human_minutes: float
    case_occurrences: list[int]
    case_unhandled: list[int]
    errors: list[int]
    caught: list[int]
    escaped: list[int]
    escaped_by_mode: list[list[int]]
    events: int


def numbers(values: array[float]) -> NDArray[np.float64]:
    import numpy as np

    return np.frombuffer(values, dtype=np.float64) if len(values) else np.zeros(0)


def work_in_progress(
    arrival: array[float], departure: array[float], at: list[float], horizon: float
) -> tuple[NDArray[np.float64], float]:
    """Cases in the system at each time of ``at``, and the area under that curve up to the
    horizon (cases x minutes), from the arrival and departure times (working clock)."""
    import numpy as np

    arrived = numbers(arrival)
    departed = np.sort(numbers(departure))
    times = np.asarray(at, dtype=np.float64)
    inside = np.searchsorted(arrived, times, side="right") - np.searchsorted(
        departed, times, side="right"
    )
    area = float(departed.sum() - arrived.sum() + (arrived.size - departed.size) * horizon)
    return inside.astype(np.float64), area
