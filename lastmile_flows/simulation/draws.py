"""Random draws for one replication: numpy blocks consumed in a fixed order, touch-time
samplers, and arrival times (evenly over open hours, or by an arrival profile)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from lastmile_flows.simulation.calendar import MINUTES_PER_MONTH, ArrivalProfile, Calendar, Clock
from lastmile_flows.simulation.plan import Sampler

__all__ = ["BLOCK", "Streams", "arrival_times"]

BLOCK = 4096
"""Numbers drawn from numpy at a time, per stream."""


def _stream(draw: Callable[[int], Any]) -> Iterator[float]:
    while True:
        yield from draw(BLOCK).tolist()


class Streams:
    """Uniform, exponential and normal numbers from one generator seeded by ``seed`` (a
    ``SeedSequence``); the same seed and the same order of calls give the same numbers."""

    def __init__(self, seed: Any) -> None:
        import numpy as np

        rng = np.random.Generator(np.random.PCG64(seed))
        self.uni: Callable[[], float] = _stream(rng.random).__next__
        self.expo: Callable[[], float] = _stream(rng.standard_exponential).__next__
        self.norm: Callable[[], float] = _stream(rng.standard_normal).__next__

    def draw(self, sample: Sampler) -> float:
        """One value of a plan's sampler (see :data:`~lastmile_flows.simulation.plan.Sampler`)."""
        shape = sample[0]
        if shape == 1:
            return sample[1] * self.expo()
        if shape == 0:
            return sample[1]
        if shape == 3:
            return math.exp(sample[1] + sample[2] * self.norm())
        low, mode, high = sample[1], sample[2], sample[3]
        if high <= low:
            return low
        u = self.uni()
        cut = (mode - low) / (high - low)
        if u < cut:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1 - u) * (high - low) * (high - mode))


def arrival_times(
    calendar: Calendar,
    profile: ArrivalProfile | None,
    volume_per_month: float,
    horizon: float,
    streams: Streams,
) -> Callable[[float, float], tuple[float, float]]:
    """``next(working time, calendar time)`` of the last arrival -> (calendar time, working
    time) of the next one, or infinities when there is none before the horizon.

    Without a profile, a Poisson process over open hours; with one, a Poisson process over the
    calendar at the profile's peak rate, thinned to each hour's weight.
    """
    clock = Clock(calendar)
    if profile is None:
        open_rate = volume_per_month / (calendar.open_hours_per_month * 60)

        def evenly(t: float, at: float) -> tuple[float, float]:
            if open_rate <= 0:
                return math.inf, math.inf
            w = t + streams.expo() / open_rate
            return clock.at_open(w), w

        return evenly
    weights = profile.weights()
    peak = max(weights)
    base = volume_per_month / MINUTES_PER_MONTH

    def by_profile(t: float, at: float) -> tuple[float, float]:
        if base <= 0:
            return math.inf, math.inf
        while True:
            at += streams.expo() / (base * peak)
            if at > horizon:
                return math.inf, math.inf
            if streams.uni() * peak < weights[int(at % 10080.0 // 60)]:
                return at, clock.to_open(at)

    return by_profile
