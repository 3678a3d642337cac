"""What a simulation found, as frozen data: per side (current, redesigned), per step, per
queue, per AI step; with JSON, Markdown and SVG views."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from lastmile_flows.simulation.calendar import ArrivalProfile, Calendar
from lastmile_flows.simulation.stats import Estimate

__all__ = [
    "EdgeCaseFigures",
    "LittleCheck",
    "QueueFigures",
    "SideResult",
    "SimulationResult",
    "StepFigures",
    "TrustResult",
]


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StepFigures(_Data):
    """Time a case spends at one step per visit (its wait, queue, work and exceptions), in
    working minutes."""

    step: str
    visits_per_case: float
    p50: Estimate | None
    p90: Estimate | None
    p95: Estimate | None


class QueueFigures(_Data):
    """One human role's queue."""

    role: str
    headcount: float | None
    people: int
    offered_load: Estimate | None
    """Work given to the role over the hours its headcount gives (the static utilisation);
    none for a role with nobody in it."""
    utilisation: Estimate | None
    """Share of its people's working time spent working."""
    hours_given_per_month: Estimate | None
    wait_mean_minutes: Estimate | None
    wait_p90_minutes: Estimate | None
    waiting_at_end: Estimate | None
    unbounded: bool
    """Work arrives faster than the role can do it: the queue grows as long as the run lasts."""
    week_backlog_passes_a_day: int | None
    """The week (1 = the first) in which the mean backlog passes one day of the role's work."""
    backlog_hours: tuple[float, ...]
    """Mean hours of work waiting at the end of each working day (see ``sample_days``)."""
    backlog_cases: tuple[float, ...]


class EdgeCaseFigures(_Data):
    edge_case: str
    step: str
    per_month: Estimate | None
    unhandled_per_month: Estimate | None
    """Occurrences whose owner is missing or no longer a role of the process."""


class TrustResult(_Data):
    """Errors of one AI step: the closed form and what the simulation counted."""

    step: str
    error_rate: float
    review_share: float
    catch_rate: float
    catch_rate_assumed: bool
    errors_per_month_exact: float
    escaped_per_month_exact: float
    errors_per_month: Estimate | None
    escaped_per_month: Estimate | None
    """Simulated, over cases completed in the run (cases stuck in a queue never escape or
    get caught)."""
    escaped_by_failure_mode: tuple[tuple[str, float], ...]


class LittleCheck(_Data):
    """Little's law on the working clock: mean work in progress against arrival rate times
    mean time in the system, worst replication."""

    wip: float
    rate_times_time: float
    worst_relative_gap: float


class SideResult(_Data):
    """One process simulated over the replications."""

    side: str
    process_id: str
    label: str
    volume_per_month: float
    replications: int
    arrivals_per_month: Estimate | None
    completed_share: Estimate | None
    open_at_end: Estimate | None
    cycle_hours_mean: Estimate | None
    cycle_hours_p50: Estimate | None
    cycle_hours_p90: Estimate | None
    cycle_hours_p95: Estimate | None
    cycle_hours_quantiles: tuple[float, ...]
    """Pooled over replications: the 1st to 99th percentiles of completed cases (calendar
    hours), for charts."""
    sla_breach_share: Estimate | None
    human_minutes_per_case: Estimate | None
    wip_mean: Estimate | None
    little: LittleCheck | None
    sample_days: tuple[float, ...]
    """Calendar days at which backlogs and work in progress were sampled."""
    wip: tuple[float, ...]
    steps: tuple[StepFigures, ...]
    queues: tuple[QueueFigures, ...]
    edge_cases: tuple[EdgeCaseFigures, ...]
    trust: tuple[TrustResult, ...]

    def queue(self, role: str) -> QueueFigures:
        """The figures of one role's queue; ``KeyError`` naming the valid roles."""
        for found in self.queues:
            if found.role == role:
                return found
        raise KeyError(f"no queue {role!r}; valid: {', '.join(q.role for q in self.queues)}")


class SimulationResult(_Data):
    """A simulation of a process, or of both sides of a redesign."""

    schema_version: int = 1
    id: str
    name: str
    months: float
    seed: int
    calendar: Calendar
    profile: ArrivalProfile | None
    sla_hours: float | None
    hours_per_fte_month: float
    max_escaped_errors_per_month: float | None
    sides: tuple[SideResult, ...]

    def side(self, name: str) -> SideResult:
        """``"current"``, ``"redesigned"`` (or ``"process"`` for one process)."""
        for found in self.sides:
            if found.side == name:
                return found
        raise KeyError(f"no side {name!r}; valid: {', '.join(s.side for s in self.sides)}")

    def to_json(self) -> str:
        """JSON text, byte-identical for the same model, options and seed."""
        return self.model_dump_json(indent=2) + "\n"

    def to_markdown(self) -> str:
        from lastmile_flows.simulation.markdown import markdown

        return markdown(self)

    def backlog_svg(self) -> str:
        from lastmile_flows.simulation.charts import backlog_chart

        return backlog_chart(self)

    def cycle_time_svg(self) -> str:
        from lastmile_flows.simulation.charts import cycle_time_chart

        return cycle_time_chart(self)

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str]:
        """Jupyter shows the backlog chart (SVG), with the Markdown summary as the text."""
        bundle = {"image/svg+xml": self.backlog_svg(), "text/markdown": self.to_markdown()}
        if include:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle
