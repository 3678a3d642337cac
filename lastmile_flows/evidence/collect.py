"""The evidence records a calibration collects, and the notes on what stayed assumed."""

from __future__ import annotations

from typing import Any

from lastmile_flows.evidence.read import EventLog
from lastmile_flows.evidence.stats import Duration
from lastmile_flows.model import Evidence

__all__ = ["Collect"]


class Collect:
    def __init__(self, log: EventLog) -> None:
        self.source = log.source
        self.records: list[Evidence] = []
        self.notes: list[str] = []
        self.cases = 0

    def add(self, element: str, field: str, value: float, cases: int, **extra: Any) -> None:
        self.records.append(
            Evidence(
                element=element,
                field=field,
                value=value,
                source=self.source,
                cases=cases,
                **extra,
            )
        )

    def add_duration(
        self,
        element: str,
        field: str,
        value: float,
        cases: int,
        measured: Duration,
        method: str,
    ) -> None:
        """A figure measured from durations, with their median, mean, P90 and 95% interval."""
        self.add(
            element,
            field,
            value,
            cases,
            observations=measured.n,
            median=measured.median,
            mean=measured.mean,
            p90=measured.p90,
            low=measured.low,
            high=measured.high,
            method=method,
        )
